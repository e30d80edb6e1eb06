"""Excel commands: export the data-collection workbook, import it back, consolidate entities."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from esg_author.cli.common import add_break_lock_option, editing_project, shown_value, split_list
from esg_author.cli.hints import finding_hint, with_hint
from esg_author.core.errors import EsgAuthorError

if TYPE_CHECKING:
    from esg_author.core.data.workbook_import import ImportResult
    from esg_author.core.model import Project


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    excel = commands.add_parser("excel", help="Excel data-collection workbooks: export, import, consolidate")
    actions = excel.add_subparsers(dest="excel_command", required=True, metavar="ACTION")

    export = actions.add_parser("export", help="write a workbook for colleagues to fill in")
    export.add_argument("project", type=Path, metavar="PROJECT")
    export.add_argument("out", type=Path, metavar="OUT.xlsx")
    export.add_argument("--years", help="comma-separated years; the last is the one to fill in (default: the report year and the two before)")
    export.add_argument("--by", default="group", choices=["group", "owner"], help="one sheet per KPI group (default)")
    export.add_argument("--entity", default="", help="prefill with this entity's values and import them back to it")
    export.add_argument("--force", action="store_true", help="replace an existing file")
    export.set_defaults(handler=_cmd_export)

    imp = actions.add_parser("import", help="read a filled-in workbook into the project (all or nothing)")
    imp.add_argument("project", type=Path, metavar="PROJECT")
    imp.add_argument("workbook", type=Path, metavar="IN.xlsx")
    imp.add_argument("--dry-run", action="store_true", help="list the changes without applying them")
    imp.add_argument("--entity", help="store the values as this entity's (default: the entity the workbook was exported for)")
    imp.add_argument("--year", type=int, help="the year the values are for (default: the year the workbook asks for)")
    imp.add_argument("--force", action="store_true", help="import a workbook exported from another project or year")
    add_break_lock_option(imp)
    imp.set_defaults(handler=_cmd_import)

    consolidate = actions.add_parser("consolidate", help="set group values to the sum over entities")
    consolidate.add_argument("project", type=Path, metavar="PROJECT")
    consolidate.add_argument("--year", type=int, help="the year to consolidate (default: the report year)")
    consolidate.add_argument("--dry-run", action="store_true", help="list the changes without applying them")
    add_break_lock_option(consolidate)
    consolidate.set_defaults(handler=_cmd_consolidate)


def _cmd_export(args: argparse.Namespace) -> int:
    from esg_author.core.data.workbook_export import export_workbook
    from esg_author.core.storage import open_project

    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise EsgAuthorError(f"{out}: the workbook name must end in .xlsx")
    if out.exists() and not args.force:
        raise EsgAuthorError(f"{out}: already exists (use --force to replace it)")
    try:
        years = [int(year) for year in split_list(args.years) or []]
    except ValueError:
        raise EsgAuthorError(f"--years: {args.years!r} is not a comma-separated list of years") from None
    project = open_project(args.project)
    summary = export_workbook(project, out, years or None, by=args.by, entity=args.entity)
    print(f"wrote {out}: {len(summary.sheets)} data sheets, {summary.input_cells} values to fill in"
          f"{f', {summary.derived} calculated' if summary.derived else ''}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from esg_author.core.data.workbook_import import import_workbook

    with editing_project(args.project, args.dry_run, args.break_lock) as edit:
        project = edit.project
        result = import_workbook(project, args.workbook, year=args.year, entity=args.entity, force=args.force,
                                 dry_run=args.dry_run, stack=edit.stack)
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if result.problems:
            for problem in result.problems:
                hint = finding_hint(problem.finding(result.path))
                print(with_hint(f"{args.workbook.name}: {problem}", hint), file=sys.stderr)
            print(f"nothing was imported: {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''} "
                  "in the workbook; fix them and import again", file=sys.stderr)
            return 1
        if args.dry_run:
            _print_changes(project, result)
    target = f" for entity {result.entity}" if result.entity else ""
    if args.dry_run:
        print(f"dry run: {len(result.changes)} values would change{target} ({result.year}), "
              f"{len(result.new_kpis)} new KPIs, {result.unchanged} unchanged; nothing was changed")
    else:
        print(f"imported {len(result.changes)} values{target} ({result.year}) and {len(result.new_kpis)} new KPIs "
              f"from {args.workbook.name}; {result.unchanged} unchanged")
    return 0


def _print_changes(project: Project, result: ImportResult) -> None:
    for kpi in result.new_kpis:
        print(f"new KPI {kpi.id} ({kpi.unit}, group {kpi.group}): {kpi.name.get('en') or next(iter(kpi.name.values()), '')}")
    from esg_author.core.data.units import unit_label

    new_units = {kpi.id: kpi.unit for kpi in result.new_kpis}
    for change in result.changes:
        code = project.kpis[change.kpi_id].unit if change.kpi_id in project.kpis else new_units[change.kpi_id]
        unit = unit_label(code, "en")
        converted = f" (written {change.written})" if change.written else ""
        print(f"{change.sheet}!{change.cell}  {change.kpi_id} {change.year}: "
              f"{shown_value(change.old)} → {shown_value(change.new)} {unit}{converted}")


def _cmd_consolidate(args: argparse.Namespace) -> int:
    from esg_author.core.commands import CompositeCommand
    from esg_author.core.data.consolidation import consolidate

    with editing_project(args.project, args.dry_run, args.break_lock) as edit:
        year = args.year or edit.project.meta.year
        result = consolidate(edit.project, year)
        for skipped in result.skipped:
            print(f"left alone: {skipped.kpi_id}: {skipped.reason}", file=sys.stderr)
        for change in result.changes:
            missing = f" (no value from {', '.join(change.missing_entities)})" if change.missing_entities else ""
            print(f"{change.kpi_id} {year}: {shown_value(change.old)} → {shown_value(change.new)} "
                  f"= sum of {', '.join(change.entities)}{missing}")
        if not result.entities:
            print(f"no entity values for {year}; nothing to consolidate")
            return 0
        if args.dry_run:
            print(f"dry run: {len(result.changes)} group values would change; nothing was changed")
            return 0
        if result.commands:  # the sums, then the derived KPIs recomputed from them
            edit.apply(CompositeCommand(list(result.commands), description=f"Consolidate {year}"))
    print(f"consolidated {len(result.changes)} group values for {year} from {len(result.entities)} entities; "
          f"{len(result.skipped)} KPIs left alone")
    return 0

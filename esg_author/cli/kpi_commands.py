"""KPI commands: list the registry, recompute derived KPIs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import esg_author.core.vocabulary  # noqa: F401 (installs the standard vocabulary for every CLI command)
from esg_author.cli.common import add_break_lock_option, editing_project, shown_value
from esg_author.cli.hints import finding_line

if TYPE_CHECKING:
    from esg_author.core.model import Kpi


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kpi = commands.add_parser("kpi", help="the KPI registry: list KPIs, recompute derived KPIs")
    actions = kpi.add_subparsers(dest="kpi_command", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="print every KPI with its unit, formula and values")
    listing.add_argument("project", type=Path, metavar="PROJECT")
    listing.add_argument("--json", action="store_true", help="print JSON with every field")
    listing.add_argument("--year", type=int, help="show only this year's values")
    listing.set_defaults(handler=_cmd_list)

    note = actions.add_parser("note", help="set the printed footnote of one KPI value (e.g. why it changed)")
    note.add_argument("project", type=Path, metavar="PROJECT")
    note.add_argument("kpi", metavar="KPI-ID")
    note.add_argument("year", type=int, metavar="YEAR")
    note.add_argument("--lang", required=True, action="append", nargs=2, metavar=("LANG", "TEXT"),
                      help="the note in one language (repeat for each language); an empty TEXT removes it")
    add_break_lock_option(note)
    note.set_defaults(handler=_cmd_note)

    recompute = actions.add_parser("recompute", help="recompute every derived KPI from its formula and save")
    recompute.add_argument("project", type=Path, metavar="PROJECT")
    recompute.add_argument("--dry-run", action="store_true", help="list the changes without applying them")
    recompute.add_argument("--year", type=int, action="append", metavar="YYYY",
                           help="recompute this year (repeatable); default: the report year only")
    recompute.add_argument("--all-years", action="store_true",
                           help="recompute every year; changed prior-year values are restatements")
    add_break_lock_option(recompute)
    recompute.set_defaults(handler=_cmd_recompute)


# -- list ---------------------------------------------------------------------------------------


def _cmd_list(args: argparse.Namespace) -> int:
    from esg_author.core.storage import open_project

    project = open_project(args.project)
    kpis = list(project.kpis.values())
    if args.json:
        print(json.dumps([_kpi_data(kpi, args.year) for kpi in kpis], ensure_ascii=False, indent=2))
        return 0
    for kpi in kpis:
        details = [f"unit {kpi.unit}" + (f" (shown in {kpi.display_unit})" if kpi.display_unit else "")]
        if kpi.group:
            details.append(f"group {kpi.group}")
        if kpi.parent_id:
            details.append(f"parent {kpi.parent_id}" + (f" by {kpi.dimension}" if kpi.dimension else ""))
        print(f"{kpi.id}  {kpi.name.get('en') or next(iter(kpi.name.values()), '')}")
        print(f"    {'; '.join(details)}")
        if kpi.formula:
            print(f"    = {kpi.formula}")
        for year, value in sorted(kpi.values.items()):
            if args.year is None or year == args.year:
                provenance = value.provenance
                source = provenance.source + (f": {provenance.detail}" if provenance.detail else "")
                print(f"    {year}: {shown_value(value)}  [{value.kind}; {source}]")
    print(f"{len(kpis)} KPIs, {sum(1 for k in kpis if k.formula)} derived", file=sys.stderr)
    return 0


def _kpi_data(kpi: Kpi, year: int | None) -> dict[str, Any]:
    from esg_author.core.storage.project_file import value_to_dict

    return {
        "id": kpi.id, "name": kpi.name, "unit": kpi.unit, "display_unit": kpi.display_unit, "group": kpi.group,
        "parent": kpi.parent_id, "dimension": kpi.dimension, "precision": kpi.precision, "codes": kpi.codes,
        "formula": kpi.formula, "boundary": kpi.boundary,
        # as the project file stores them: numbers as strings, since JSON floats would round
        "values": {str(y): value_to_dict(v) for y, v in sorted(kpi.values.items()) if year is None or y == year},
        "entity_values": {entity: {str(y): value_to_dict(v) for y, v in sorted(values.items()) if year is None or y == year}
                          for entity, values in kpi.entity_values.items()},
    }


# -- note -------------------------------------------------------------------------------------


def _cmd_note(args: argparse.Namespace) -> int:
    from esg_author.core.commands import CompositeCommand, SetKpiNote
    from esg_author.core.errors import EsgAuthorError

    with editing_project(args.project, break_lock=args.break_lock) as edit:
        project = edit.project
        kpi = project.kpi(args.kpi)
        if args.year not in kpi.values:
            raise EsgAuthorError(f"{args.project}: KPI {args.kpi!r} has no value for {args.year} to annotate")
        for lang, _text in args.lang:
            if lang not in project.meta.languages:
                raise EsgAuthorError(f"{args.project}: the project has no language {lang}")
        edit.apply(CompositeCommand([SetKpiNote(kpi.id, args.year, lang, text) for lang, text in args.lang],
                                    description="Edit value note"))
        note = kpi.values[args.year].note
    missing = [lang for lang in project.meta.languages if lang not in note] if note else []
    print(f"{kpi.id} {args.year}: note set in {', '.join(sorted(note)) or 'no language'}"
          + (f"; still missing in {', '.join(missing)}" if missing else ""))
    return 0


# -- recompute ----------------------------------------------------------------------------------


def _cmd_recompute(args: argparse.Namespace) -> int:
    from esg_author.core.commands import CompositeCommand
    from esg_author.core.data.derived import recompute_derived

    with editing_project(args.project, args.dry_run, args.break_lock) as edit:
        project = edit.project
        # Prior years are published figures: recomputing them is a restatement, so only on request.
        years = None if args.all_years else (args.year or [project.meta.year])
        commands, problems = recompute_derived(project, years)  # FormulaError: one line, nothing changed
        for problem in problems:
            print(finding_line(problem), file=sys.stderr)
        for command in commands:
            kpi = project.kpis[command.kpi_id]
            old = kpi.values.get(command.year)
            restates = " (RESTATES a published prior-year value)" if old and command.year < project.meta.year else ""
            print(f"{command.kpi_id} {command.year}: {shown_value(old)} → {shown_value(command.value)} {kpi.unit}   "
                  f"= {kpi.formula}{restates}")
        if args.dry_run:
            print(f"dry run: {len(commands)} values would change; nothing was changed")
            return 0
        if commands:
            edit.apply(CompositeCommand(list(commands), description="Recompute derived KPIs"))
    print(f"recomputed: {len(commands)} values changed")
    return 0

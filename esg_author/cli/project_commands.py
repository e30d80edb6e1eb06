"""Project commands: demo, build, new, info, check."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from esg_author.cli.common import progress, split_list
from esg_author.cli.hints import finding_line
from esg_author.core.errors import EsgAuthorError


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = commands.add_parser("demo", help="write the built-in demo project into DIR and build it")
    demo.add_argument("dir", type=Path, metavar="DIR")
    _add_build_options(demo, with_out=False)
    demo.set_defaults(handler=_cmd_demo)

    build = commands.add_parser("build", help="render a project to PDF and HTML")
    build.add_argument("project", type=Path, metavar="PROJECT")
    _add_build_options(build, with_out=True)
    build.set_defaults(handler=_cmd_build)

    new = commands.add_parser("new", help="create a new project from the standard skeleton")
    new.add_argument("project", type=Path, metavar="PROJECT")
    new.add_argument("--company", help="company name (used for every language until translated)")
    new.add_argument("--year", type=int, help="reporting year (default: last year)")
    new.add_argument("--languages", help="comma-separated, e.g. zh-Hant,en (default: zh-Hant,zh-Hans,en)")
    new.add_argument("--force", action="store_true", help="replace an existing file")
    new.set_defaults(handler=_cmd_new)

    info = commands.add_parser("info", help="show a project's format version, languages and counts")
    info.add_argument("project", type=Path, metavar="PROJECT")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(handler=_cmd_info)

    check = commands.add_parser("check", help="run the preflight checks; exit 1 when any finding is an error")
    check.add_argument("project", type=Path, metavar="PROJECT", nargs="?")
    check.add_argument("--json", action="store_true", help="print findings as JSON")
    check.add_argument("--no-render", action="store_true", help="skip the trial PDF render (faster)")
    check.add_argument("--rules", action="store_true",
                       help="list the rules findings can name (id, usual severity, what it checks) instead")
    check.add_argument("--ui-lang", choices=("en", "zh-Hant", "zh-Hans"),
                       help="language of the rule summaries (default: $ESG_AUTHOR_UI_LANG, else the system's)")
    check.set_defaults(handler=_cmd_check)


def _add_build_options(parser: argparse.ArgumentParser, with_out: bool) -> None:
    parser.add_argument("--lang", help="comma-separated languages (default: all of the project's)")
    parser.add_argument("--format", default="pdf,html", help="pdf, html or pdf,html (default)")
    if with_out:
        parser.add_argument("--out", type=Path, help="output folder (default: the project's folder)")
    parser.add_argument("--sequential", action="store_true", help="build languages one after another")


# -- commands -------------------------------------------------------------------------------


def _cmd_demo(args: argparse.Namespace) -> int:
    from esg_author.core.bundled import load_demo_project
    from esg_author.core.storage import save_project

    folder: Path = args.dir
    folder.mkdir(parents=True, exist_ok=True)
    project_path = folder / "demo.esgproj"
    save_project(load_demo_project(), project_path)
    print(f"wrote {project_path}")
    return _run_build(project_path, folder, args)


def _cmd_build(args: argparse.Namespace) -> int:
    return _run_build(args.project, args.out, args)


def _run_build(project_path: Path, out_dir: Path | None, args: argparse.Namespace) -> int:
    from esg_author.core.render.build import build_project
    from esg_author.core.storage import open_project

    languages = list(dict.fromkeys(split_list(args.lang) or open_project(project_path).meta.languages))
    formats = tuple(split_list(args.format) or ["pdf", "html"])
    steps_per_language = (2 if "pdf" in formats else 0) + (1 if "html" in formats else 0)  # see build_language
    with progress(len(languages) * steps_per_language, "building") as advance:
        result = build_project(project_path, out_dir, languages, formats,
                               parallel=not args.sequential, progress=lambda lang, step: advance(f"{lang} {step}"))
    for build in result.languages:
        if build.error:
            print(f"esg-author: error: {build.lang}: {build.error}", file=sys.stderr)
            continue
        outputs = [str(p) for p in (build.pdf_path, build.html_path) if p]
        pages = f" ({build.pages} pages)" if build.pdf_path else ""
        print(f"{build.lang}: {', '.join(outputs)}{pages}")
    errors = [f for f in result.findings if f.severity.value == "error"]
    for finding in result.findings:
        print(finding_line(finding), file=sys.stderr)
    if errors:
        print(f"{len(errors)} problems found; run `esg-author check` for the full list", file=sys.stderr)
    return 1 if result.failed else 0


def _cmd_new(args: argparse.Namespace) -> int:
    from datetime import date

    from esg_author.core.bundled import load_skeleton_project
    from esg_author.core.model import LANGUAGES
    from esg_author.core.storage import save_project

    path: Path = args.project
    if path.suffix != ".esgproj":
        raise EsgAuthorError(f"{path}: a project file name must end in .esgproj")
    if path.exists() and not args.force:
        raise EsgAuthorError(f"{path}: already exists (use --force to replace it)")
    languages = split_list(args.languages)
    unknown = [lang for lang in languages or [] if lang not in LANGUAGES]
    if unknown:
        raise EsgAuthorError(f"unknown language {', '.join(unknown)}; use {', '.join(LANGUAGES)}")
    year = args.year or date.today().year - 1
    if not 1990 <= year <= 2100:
        raise EsgAuthorError(f"{year} is not a plausible reporting year")
    save_project(load_skeleton_project(args.company, year, languages), path)
    print(f"wrote {path}")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from esg_author.core.storage import open_project, read_format_version

    version = read_format_version(args.project)
    project = open_project(args.project)
    values = sum(len(kpi.values) for kpi in project.kpis.values())
    data = {
        "file": str(args.project),
        "format_version": version,
        "company": project.meta.company,
        "year": project.meta.year,
        "languages": project.meta.languages,
        "frameworks": project.meta.frameworks,
        "template": project.meta.template,
        "sections": len(project.sections),
        "kpis": len(project.kpis),
        "kpi_values": values,
        "kpi_tables": len(project.tables),
        "assets": len(project.assets),
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    company = project.meta.company.get(project.meta.languages[0], "") if project.meta.languages else ""
    print(f"{args.project}: esg-author project, format version {version}")
    print(f"  company:    {company}")
    print(f"  year:       {project.meta.year}")
    print(f"  languages:  {', '.join(project.meta.languages)}")
    print(f"  frameworks: {', '.join(project.meta.frameworks) or '—'}")
    print(f"  template:   {project.meta.template}")
    print(f"  sections: {data['sections']}, KPIs: {data['kpis']} ({values} values), "
          f"KPI tables: {data['kpi_tables']}, assets: {data['assets']}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from esg_author.core.checks import has_errors
    from esg_author.core.checks.runner import run_checks
    from esg_author.core.storage import open_project

    if args.rules:
        return _list_rules(args)
    if args.project is None:
        raise EsgAuthorError("check: give the project file to check (or --rules to list the rules)")
    project = open_project(args.project)
    steps = len(project.meta.languages) * (1 if args.no_render else 2)
    with progress(steps, "checking", enabled=not args.json) as advance:
        findings = run_checks(project, render=not args.no_render, progress=lambda lang, step: advance(f"{lang} {step}"))
    if args.json:
        print(json.dumps({"findings": [f.as_dict() for f in findings], "errors": has_errors(findings)},
                         ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            print(finding_line(finding))
        counts = {s: sum(1 for f in findings if f.severity.value == s) for s in ("error", "warning", "info")}
        print(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes")
    return 1 if has_errors(findings) else 0


def _list_rules(args: argparse.Namespace) -> int:
    """The rule registry, as the desktop app's problems panel groups findings, in the UI language."""
    from esg_author.core.i18n.catalogs import translations
    from esg_author.core.i18n.ui import choose_ui_language
    from esg_author.core.rules import RULES

    gettext = translations(choose_ui_language(args.ui_lang)).gettext
    rules = [{"rule": rule.id, "severity": rule.severity, "summary": gettext(rule.summary)} for rule in RULES.values()]
    if args.json:
        print(json.dumps({"rules": rules}, ensure_ascii=False, indent=2))
        return 0
    width = max(len(rule["rule"]) for rule in rules)
    for rule in rules:
        print(f"{rule['rule']:<{width}}  {rule['severity']:<7}  {rule['summary']}")
    return 0

"""Translation commands: status, mark, review, convert, export, import, glossary.

`esg-author translate status PROJECT` shows which section texts are up to date with their source;
convert runs zh-Hant ⇄ zh-Hans through OpenCC with the project's glossary; export and import
exchange units with translators as XLIFF, PO or XLSX. See docs/translation.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from esg_author.cli.common import add_break_lock_option, editing_project
from esg_author.cli.hints import CONVERSION_HINTS, with_hint
from esg_author.core.errors import EsgAuthorError
from esg_author.core.model import LANGUAGES

STATE_LABELS = {"source": "source", "missing": "missing", "stale": "STALE", "up_to_date": "ok", "needs_review": "review"}


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    translate = commands.add_parser(
        "translate", help="translation status, zh-Hant⇄zh-Hans conversion, XLIFF/PO/XLSX exchange",
        description="Work on the translations of a project's section texts: see which are missing or stale, "
                    "convert between Traditional and Simplified Chinese, and exchange files with translators "
                    "(see docs/translation.md).")
    sub = translate.add_subparsers(dest="translate_command", required=True, metavar="ACTION")

    status = sub.add_parser(
        "status", help="list every section's state per language (source, missing, stale, …)",
        description="States: source = the language translated from; ok = up to date; STALE = the source changed "
                    "since it was translated; missing = no text; review = converted or imported, waiting for review.")
    status.add_argument("project", type=Path, metavar="PROJECT")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_cmd_status)

    mark = sub.add_parser("mark", help="record that a translation is done from the current source text")
    mark.add_argument("project", type=Path, metavar="PROJECT")
    mark.add_argument("--section", required=True, action="append", metavar="ID", help="section id (repeatable)")
    mark.add_argument("--lang", required=True, choices=LANGUAGES)
    mark.add_argument("--from", dest="source", choices=LANGUAGES, help="source language (default: the project's)")
    add_break_lock_option(mark)
    mark.set_defaults(handler=_cmd_mark)

    review = sub.add_parser("review", help="mark a converted or imported text as reviewed")
    review.add_argument("project", type=Path, metavar="PROJECT")
    review.add_argument("--section", required=True, action="append", metavar="ID", help="section id (repeatable)")
    review.add_argument("--lang", required=True, choices=LANGUAGES)
    add_break_lock_option(review)
    review.set_defaults(handler=_cmd_review)

    convert = sub.add_parser("convert", help="convert zh-Hant ⇄ zh-Hans with OpenCC and the glossary")
    convert.add_argument("project", type=Path, metavar="PROJECT")
    convert.add_argument("--from", dest="source", required=True, choices=("zh-Hant", "zh-Hans"))
    convert.add_argument("--to", dest="target", required=True, choices=("zh-Hant", "zh-Hans"))
    convert.add_argument("--section", action="append", metavar="ID", help="only this section (repeatable)")
    convert.add_argument("--force", action="store_true", help="also replace texts that are up to date or in review")
    convert.add_argument("--dry-run", action="store_true", help="show what would change; save nothing")
    add_break_lock_option(convert)
    convert.set_defaults(handler=_cmd_convert)

    export = sub.add_parser("export", help="write units for translators as XLIFF 1.2, PO or XLSX")
    export.add_argument("project", type=Path, metavar="PROJECT")
    export.add_argument("out", type=Path, metavar="OUT")
    export.add_argument("--lang", required=True, choices=LANGUAGES, help="target language")
    export.add_argument("--format", choices=("xliff", "po", "xlsx"), help="default: from OUT's suffix (.xlf, .po, .xlsx)")
    export.add_argument("--source", choices=LANGUAGES, help="source language (default: the project's)")
    export.add_argument("--section", action="append", metavar="ID", help="only this section (repeatable)")
    export.set_defaults(handler=_cmd_export)

    imp = sub.add_parser("import", help="read a translated XLIFF, PO or XLSX file back, unit by unit")
    imp.add_argument("project", type=Path, metavar="PROJECT")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="check the file and report; save nothing")
    add_break_lock_option(imp)
    imp.set_defaults(handler=_cmd_import)

    glossary = sub.add_parser("glossary", help="list or edit the protected terms (forms per language)")
    gsub = glossary.add_subparsers(dest="glossary_command", required=True, metavar="ACTION")
    glist = gsub.add_parser("list", help="list the glossary")
    glist.add_argument("project", type=Path, metavar="PROJECT")
    glist.add_argument("--json", action="store_true", help="print JSON")
    glist.set_defaults(handler=_cmd_glossary_list)
    gadd = gsub.add_parser("add", help="add a term, or replace the term with the same zh-Hant (or first) form")
    gadd.add_argument("project", type=Path, metavar="PROJECT")
    for lang in LANGUAGES:
        gadd.add_argument(f"--{lang}", dest=f"form_{lang.replace('-', '_')}", metavar="FORM", help=f"the {lang} form")
    gadd.add_argument("--note", default="", help="why the term is protected, what it means")
    gadd.add_argument("--unprotected", action="store_true", help="a term for translators only; conversion may rewrite it")
    add_break_lock_option(gadd)
    gadd.set_defaults(handler=_cmd_glossary_add)
    gremove = gsub.add_parser("remove", help="remove the term that has this form in any language")
    gremove.add_argument("project", type=Path, metavar="PROJECT")
    gremove.add_argument("form", metavar="FORM")
    add_break_lock_option(gremove)
    gremove.set_defaults(handler=_cmd_glossary_remove)


# -- status, mark, review ---------------------------------------------------------------------------


def _cmd_status(args: argparse.Namespace) -> int:
    from esg_author.core.i18n.translation_units import source_language, status_counts, translation_status
    from esg_author.core.storage import open_project

    project = open_project(args.project)
    statuses = translation_status(project)
    counts = status_counts(statuses)
    if args.json:
        print(json.dumps({"source_language": source_language(project), "languages": project.meta.languages,
                          "units": [s.as_dict() for s in statuses], "counts": counts}, ensure_ascii=False, indent=2))
        return 0
    languages = project.meta.languages
    by_section: dict[str, dict[str, str]] = {}
    for status in statuses:
        by_section.setdefault(status.section_id, {})[status.lang] = STATE_LABELS[status.state]
    width = max([len(s) for s in by_section] + [7])
    print(f"{'section':<{width}}  " + "  ".join(f"{lang:<8}" for lang in languages))
    for section_id, states in by_section.items():
        print(f"{section_id:<{width}}  " + "  ".join(f"{states.get(lang, ''):<8}" for lang in languages))
    print(f"source language {source_language(project)}: " + ", ".join(
        f"{n} {state.replace('_', ' ')}" for state, n in counts.items() if n))
    for status in statuses:
        if status.state == "stale" and status.detail:
            print(f"stale: {status.section_id} [{status.lang}]: {status.detail}", file=sys.stderr)
    return 0


def _cmd_mark(args: argparse.Namespace) -> int:
    from esg_author.core.i18n.translation_units import MarkTranslated

    with editing_project(args.project, break_lock=args.break_lock) as edit:
        for section_id in args.section:
            edit.apply(MarkTranslated(section_id, args.lang, args.source))
    print(f"marked {len(args.section)} {args.lang} text{'s' if len(args.section) != 1 else ''} as translated")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from esg_author.core.i18n.translation_units import MarkReviewed

    with editing_project(args.project, break_lock=args.break_lock) as edit:
        for section_id in args.section:
            edit.apply(MarkReviewed(section_id, args.lang))
    print(f"marked {len(args.section)} {args.lang} text{'s' if len(args.section) != 1 else ''} as reviewed")
    return 0


# -- convert ----------------------------------------------------------------------------------------


def _cmd_convert(args: argparse.Namespace) -> int:
    from esg_author.core.i18n.convert import convert_project

    with editing_project(args.project, args.dry_run, args.break_lock) as edit:
        result = convert_project(edit.project, args.source, args.target, args.section, force=args.force)
        for item in result.sections:
            if item.action == "skipped":
                print(with_hint(f"skipped {item.section_id}: {item.reason}", CONVERSION_HINTS.get(item.skip, "")),
                      file=sys.stderr)
            elif args.dry_run and item.action == "converted":
                print(f"--- {item.section_id} [{args.target}] ---\n{item.title}\n\n{item.body.rstrip()}\n")
        converted = len(result.converted)
        verb = "would convert" if args.dry_run else "converted"
        print(f"{verb} {converted} section{'s' if converted != 1 else ''} {args.source} → {args.target} "
              f"with OpenCC {result.config}; they are marked for review")
        if result.command is not None and not args.dry_run:
            edit.apply(result.command)
    return 0


# -- export and import ------------------------------------------------------------------------------


def _cmd_export(args: argparse.Namespace) -> int:
    from esg_author.core.i18n.exchange import build_export, write_exchange_file
    from esg_author.core.storage import open_project

    project = open_project(args.project)
    document = build_export(project, args.lang, args.source, args.section, original=args.project.name)
    fmt = write_exchange_file(document, args.out, args.format)
    todo = sum(1 for u in document.units if u.state in ("new", "needs-review"))
    print(f"wrote {args.out} ({fmt}): {len(document.units)} units {document.source_lang} → {document.target_lang}, "
          f"{todo} to translate or review")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from esg_author.core.i18n.exchange import apply_import, read_exchange_file

    document = read_exchange_file(args.file)
    with editing_project(args.project, args.dry_run, args.break_lock) as edit:
        report = apply_import(edit.project, document, args.file)
        for problem in report.problems:
            print(f"{args.file.name}: {problem.one_line()}", file=sys.stderr)
        summary = (f"{len(report.applied)} units {'would be ' if args.dry_run else ''}applied in {len(report.sections)} "
                   f"sections, {report.unchanged} unchanged, {report.untranslated} not translated yet, "
                   f"{len(report.problems)} not applied")
        if report.command is not None and not args.dry_run:
            edit.apply(report.command)
    if edit.changed:
        print(f"imported {args.file.name} ({report.source_lang} → {report.target_lang}): {summary}")
    else:
        print(f"{'dry run' if args.dry_run else 'nothing changed'}: {summary}")
    if report.problems:
        print(f"{len(report.problems)} unit{'s' if len(report.problems) != 1 else ''} not applied; the others "
              f"{'would be' if args.dry_run else 'were'} applied. Fix them in the file and import it again.", file=sys.stderr)
        return 1
    return 0


# -- glossary ---------------------------------------------------------------------------------------


def _cmd_glossary_list(args: argparse.Namespace) -> int:
    from esg_author.core.storage import open_project

    project = open_project(args.project)
    if args.json:
        print(json.dumps([{"forms": t.forms, "protected": t.protected, "note": t.note} for t in project.glossary],
                         ensure_ascii=False, indent=2))
        return 0
    for term in project.glossary:
        forms = " | ".join(f"{lang}: {term.forms[lang]}" for lang in LANGUAGES if term.forms.get(lang))
        flags = "" if term.protected else " (not protected)"
        print(f"{forms}{flags}{f'  — {term.note}' if term.note else ''}")
    print(f"{len(project.glossary)} terms")
    return 0


def _cmd_glossary_add(args: argparse.Namespace) -> int:
    from esg_author.core.commands import PutGlossaryTerm
    from esg_author.core.model import GlossaryTerm

    forms = {lang: value for lang in LANGUAGES if (value := getattr(args, f"form_{lang.replace('-', '_')}")) and value.strip()}
    if not forms:
        raise EsgAuthorError("give the term's form in at least one language (--zh-Hant, --zh-Hans, --en)")
    with editing_project(args.project, break_lock=args.break_lock) as edit:
        command = PutGlossaryTerm(GlossaryTerm(forms, not args.unprotected, args.note))
        edit.apply(command)
        count = len(edit.project.glossary)
    print(f"{'replaced' if command.replaced else 'added'} {' / '.join(command.term.forms[lang].strip() for lang in forms)}; "
          f"the glossary has {count} terms")
    return 0


def _cmd_glossary_remove(args: argparse.Namespace) -> int:
    from esg_author.core.commands import RemoveGlossaryTerm

    with editing_project(args.project, break_lock=args.break_lock) as edit:
        command = RemoveGlossaryTerm(args.form)
        edit.apply(command)  # InvalidValueError when no term has the form
        count = len(edit.project.glossary)
    print(f"removed {command.removed} term{'s' if command.removed != 1 else ''}; the glossary has {count} terms")
    return 0

"""Framework commands: list the catalogues, print a generated content index with coverage."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from esg_author.core.errors import EsgAuthorError


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    frameworks = commands.add_parser("frameworks", help="framework catalogues")
    sub = frameworks.add_subparsers(dest="frameworks_command", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="list the framework catalogues (built-in and your own)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_cmd_frameworks_list)

    index = commands.add_parser("index", help="print a project's generated content index with coverage")
    index.add_argument("project", type=Path, metavar="PROJECT")
    index.add_argument("--framework", required=True, metavar="ID", help="e.g. hkex-esg-code-2025, gri-2021")
    index.add_argument("--lang", help="language of titles (default: the project's first)")
    index.add_argument("--pages", action="store_true", help="render the PDF to add real page numbers (slower)")
    index.add_argument("--json", action="store_true", help="print JSON")
    index.set_defaults(handler=_cmd_index)


def _cmd_frameworks_list(args: argparse.Namespace) -> int:
    from esg_author.core.frameworks.registry import default_registry

    registry = default_registry()
    rows = []
    for framework in registry.all():
        kinds = Counter(d.kind for d in framework.disclosures)
        rows.append({"id": framework.id, "name": dict(framework.name), "version": framework.version,
                     "effective": str(framework.effective) if framework.effective else None, "disclosures": len(framework.disclosures),
                     "kinds": dict(kinds), "file": str(framework.source_path)})
    if args.json:
        print(json.dumps({"frameworks": rows, "errors": [str(e) for e in registry.errors]}, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['id']:<22} {row['name'].get('en', '')} ({row['disclosures']} items)")
        for error in registry.errors:
            print(f"error: {error}")
    return 1 if registry.errors else 0


def _cmd_index(args: argparse.Namespace) -> int:
    from esg_author.core.frameworks.index import table_locations
    from esg_author.core.frameworks.registry import default_registry
    from esg_author.core.render.index_tables import build_index
    from esg_author.core.storage import open_project

    project = open_project(args.project)
    lang = args.lang or project.meta.languages[0]
    if lang not in project.meta.languages:
        raise EsgAuthorError(f"{args.project}: the project has no language {lang}")
    default_registry().get(args.framework)  # a clear error for an unknown id
    numbers = project.section_numbers()
    index, _findings = build_index(project, args.framework, lang, numbers, table_locations(project))
    pages = _section_pages(project, lang) if args.pages else {}
    for group in index["groups"]:
        for row in group["rows"]:
            for reference in row["references"]:
                reference["page"] = pages.get(reference["anchor"])
        counts = Counter(row["status"] for row in group["rows"])
        group["coverage"] = {"rows": len(group["rows"]), **counts}
    if args.json:
        print(json.dumps(index, ensure_ascii=False, indent=2))
        return 0
    print(index["title"])
    if index["statement"]:
        print(index["statement"])
    for group in index["groups"]:
        coverage = group["coverage"]
        answered = coverage["rows"] - coverage.get("missing", 0)
        print(f"\n{group['title'] or index['title']}  — {answered}/{coverage['rows']} answered")
        for row in group["rows"]:
            where = "; ".join(r["label"] + (f" p.{r['page']}" if r.get("page") else "") for r in row["references"])
            print(f"  {row['code']:<12} {row['status_label']:<16} {where or row['explanation']}")
    return 0


def _section_pages(project, lang: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from esg_author.core.render.edition import render_edition_pdf

    return render_edition_pdf(project, lang).anchor_pages

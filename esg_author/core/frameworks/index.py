"""Generated content indices: which section answers which disclosure, as plain template data.

Links come from the project: sections list the disclosures they answer, KPIs and KPI tables carry
codes and are located by the section that prints their table. A status set by hand (not
applicable, omitted …) with its explanation wins over links. Rows follow the catalogue's
canonical order; required disclosures always get a row, voluntary ones only when reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from esg_author.core.checks.findings import Finding, Severity
from esg_author.core.frameworks.catalogue import Disclosure, Framework
from esg_author.core.frameworks.registry import UnknownFrameworkError, default_registry
from esg_author.core.i18n.catalogs import N_, translations
from esg_author.core.i18n.formatting import format_period
from esg_author.core.model import Project, localized
from esg_author.core.render.markdown import TOKEN_RE

ROW_KINDS = ("general", "kpi", "disclosure", "goal", "recommendation")
STATUS_LABELS = {
    "disclosed": N_("Disclosed"),
    "partly_disclosed": N_("Partly disclosed"),
    "not_applicable": N_("Not applicable"),
    "omitted": N_("Omitted"),
    "missing": N_("Not disclosed"),
}


Place = tuple[str, str]
"""Where a disclosure is answered: (section id, KPI table id or "" for the section text)."""


OMISSION_REASONS = {
    # GRI 1's reasons for omission; the index prints the reason before the explanation.
    "not_applicable": N_("Not applicable"),
    "legal_prohibitions": N_("Legal prohibitions"),
    "confidentiality": N_("Confidentiality constraints"),
    "information_unavailable": N_("Information unavailable or incomplete"),
}


@dataclass(frozen=True)
class IndexRow:
    code: str
    status: str
    places: tuple[Place, ...]
    explanation: str

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(section_id for section_id, _table in self.places))


def table_locations(project: Project) -> dict[str, str]:
    """KPI table id → the first section (in reading order) whose text places it."""
    locations: dict[str, str] = {}
    for section, _depth in project.walk():
        for lang in project.meta.languages:
            for match in TOKEN_RE.finditer(section.text(lang).body):
                if match.group(1) == "table":
                    locations.setdefault(match.group(2), section.id)
    return locations


def disclosure_links(project: Project, framework_id: str, table_locations: dict[str, str]) -> dict[str, list[Place]]:
    """code → the places that answer it, in reading order, without repeats. KPIs and KPI tables
    answer through the table that prints them, so the index can point at the table's own page."""
    prefix = f"{framework_id}:"
    order = {section.id: i for i, section in enumerate(project.sections)}
    links: dict[str, list[Place]] = {}

    def add(reference: str, place: Place) -> None:
        if place[0] and reference.startswith(prefix):
            links.setdefault(reference.removeprefix(prefix), []).append(place)

    for section in project.sections:
        for reference in section.disclosures:
            add(reference, (section.id, ""))
    for table in project.tables.values():
        place = (table_locations.get(table.id, ""), table.id)
        for reference in table.codes:
            add(reference, place)
        for kpi_id in table.rows:
            kpi = project.kpis.get(kpi_id)
            for reference in kpi.codes if kpi else []:
                add(reference, place)
    return {code: sorted(set(places), key=lambda p: (order[p[0]], p[1])) for code, places in links.items()}


def index_rows(project: Project, framework: Framework, lang: str, table_locations: dict[str, str],
               printed: bool = False) -> list[tuple[Disclosure, IndexRow]]:
    """The index rows of a framework. printed=True is for the printed index: a section that has
    no text in `lang` answers nothing there (the gap analysis, printed=False, reports such links)."""
    links = disclosure_links(project, framework.id, table_locations)
    if printed:
        links = {code: [p for p in places if p[1] or project.section(p[0]).text(lang).body.strip()]
                 for code, places in links.items()}
        links = {code: places for code, places in links.items() if places}
    # A link to an aspect or standard counts for its general disclosure.
    for disclosure in framework.disclosures:
        if disclosure.kind not in ROW_KINDS and disclosure.code in links:
            for child in framework.children(disclosure.code):
                if child.kind == "general":
                    links.setdefault(child.code, []).extend(
                        p for p in links[disclosure.code] if p not in links.get(child.code, []))
    list_missing = _lists_unreported(project, framework)
    rows = []
    for disclosure in framework.disclosures:
        if disclosure.kind not in ROW_KINDS:
            continue
        status = project.statuses.get((framework.id, disclosure.code))
        places = tuple(links.get(disclosure.code, []))
        if status is not None:
            row = IndexRow(disclosure.code, status.status, places, localized(status.explanation, lang))
        elif places:
            row = IndexRow(disclosure.code, "disclosed", places, "")
        elif list_missing and framework.is_required(disclosure.code):
            row = IndexRow(disclosure.code, "missing", (), "")
        else:
            continue
        rows.append((disclosure, row))
    return rows


def _lists_unreported(project: Project, framework: Framework) -> bool:
    """Whether unreported required disclosures get a row. A GRI index "with reference to" lists
    only what is reported; "in accordance with" must account for every required disclosure."""
    if framework.id.startswith("gri-"):
        return project.meta.options.get("gri_claim", "with_reference") == "in_accordance"
    return True


def build_index(project: Project, framework_id: str, lang: str, numbers: dict[str, str],
                table_locations: dict[str, str]) -> tuple[dict[str, Any], list[Finding]]:
    """The content index of one framework for the template, and findings about it."""
    _ = translations(lang).gettext
    try:
        framework = default_registry().get(framework_id)
    except UnknownFrameworkError as exc:
        return ({"framework": framework_id, "title": framework_id, "groups": [], "statement": ""},
                [Finding(Severity.ERROR, "index.framework", str(exc), lang)])
    groups: list[dict[str, Any]] = []
    current_parent: object = object()
    for disclosure, row in index_rows(project, framework, lang, table_locations, printed=True):
        if disclosure.parent != current_parent:
            current_parent = disclosure.parent
            parent = framework.get(disclosure.parent) if disclosure.parent else None
            groups.append({
                "code": parent.code if parent else "",
                "title": _group_title(framework, parent, lang),
                "rows": [],
            })
        references = [_reference(project, place, lang, numbers) for place in row.places]
        groups[-1]["rows"].append({
            "code": disclosure.code,
            "title": framework.title(disclosure.code, lang),
            "level": disclosure.level,
            "status": row.status,
            "status_label": _(STATUS_LABELS[row.status]),
            "references": references if row.status in ("disclosed", "partly_disclosed") else [],
            "explanation": _explanation(project, framework.id, disclosure.code, row.explanation, _),
        })
    meta = project.meta
    statement = ""
    if framework_id.startswith("gri-"):
        claim = str(meta.options.get("gri_claim", "with_reference"))
        template = (_("{company} has reported in accordance with the GRI Standards for the period {period}.")
                    if claim == "in_accordance" else
                    _("{company} has reported the information cited in this GRI content index for the period {period} with reference to the GRI Standards."))
        statement = template.format(company=localized(meta.company, lang),
                                    period=format_period(meta.period_start, meta.period_end, lang,
                                                         style=str(meta.options.get("date_style") or "default")))
    return ({
        "framework": framework.id,
        "title": localized(framework.name, lang, framework.id),
        "statement": statement,
        "gri_1": _("GRI 1: Foundation 2021") if framework_id == "gri-2021" else "",
        "groups": groups,
    }, [])


def _group_title(framework: Framework, parent: Disclosure | None, lang: str) -> str:
    if parent is None:
        return ""
    title = framework.title(parent.code, lang)
    if parent.kind in ("aspect",):
        return f"{parent.code} {title}"
    return title


def _explanation(project: Project, framework_id: str, code: str, explanation: str, _: Any) -> str:
    status = project.statuses.get((framework_id, code))
    reason = OMISSION_REASONS.get(status.omission_reason) if status and status.status == "omitted" else None
    if not reason:
        return explanation
    return _("{reason}: {explanation}").format(reason=_(reason), explanation=explanation) if explanation else _(reason)


def _reference(project: Project, place: Place, lang: str, numbers: dict[str, str]) -> dict[str, str]:
    section_id, table_id = place
    label = f"{numbers.get(section_id, '')} {project.section(section_id).text(lang).title or section_id}".strip()
    if not table_id:
        return {"anchor": f"sec-{section_id}", "label": label}
    table_title = localized(project.tables[table_id].title, lang, table_id)
    return {"anchor": f"table-{table_id}", "label": f"{label} · {table_title}"}

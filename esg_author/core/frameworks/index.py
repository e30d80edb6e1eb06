"""Disclosure links: which section (or KPI table) answers which disclosure of a framework.

Links come from the project: sections list the disclosures they answer, KPIs and KPI tables carry
codes and are located by the section that prints their table. A status set by hand (not
applicable, omitted …) with its explanation wins over links. Rows follow the catalogue's
canonical order; required disclosures always get a row, voluntary ones only when reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from esg_author.core.frameworks.catalogue import Disclosure, Framework
from esg_author.core.i18n.catalogs import N_
from esg_author.core.model import Project, localized
from esg_author.core.model.tokens import find_tokens

ROW_KINDS = ("general", "kpi", "disclosure", "goal", "recommendation")


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
            for token in find_tokens(section.text(lang).body):
                if token.kind == "table":
                    locations.setdefault(token.target, section.id)
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

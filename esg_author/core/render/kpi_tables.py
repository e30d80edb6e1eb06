"""KPI tables as plain data for templates, built from the registry so print and data agree.

Group rows appear where the KPI group changes, a "By gender"-style row where a run of breakdowns
of one dimension starts, breakdowns are indented by their depth under the total, and footnote
markers are numbered per table in reading order (value notes first, then boundaries).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from esg_author.core.data.emission_factors import available_factors, factor_note
from esg_author.core.data.formulas import factor_ids, parse_formula
from esg_author.core.data.units import unit_label
from esg_author.core.errors import FormulaError
from esg_author.core.i18n.catalogs import N_, translations
from esg_author.core.i18n.formatting import HTML_LANGS, format_kpi_value, format_number, kpi_name
from esg_author.core.model import Kpi, KpiTable, Project, localized

GROUP_LABELS = {
    "emissions": N_("Emissions"), "energy": N_("Energy"), "water": N_("Water"), "waste": N_("Waste"),
    "packaging": N_("Packaging"), "resources": N_("Use of resources"), "employment": N_("Employment"),
    "turnover": N_("Employee turnover"), "health_safety": N_("Health and safety"), "training": N_("Development and training"),
    "supply_chain": N_("Supply chain"), "product_responsibility": N_("Product responsibility"),
    "anti_corruption": N_("Anti-corruption"), "community": N_("Community investment"), "governance": N_("Governance"),
    "custom": N_("Other indicators"),
}
DIMENSION_LABELS = {
    "gender": N_("By gender"), "age": N_("By age group"), "region": N_("By region"), "category": N_("By employee category"),
    "employment_type": N_("By employment type"), "scope": N_("By scope"), "type": N_("By type"),
}
HEADER_LABELS = {"indicator": N_("Indicator"), "unit": N_("Unit"), "change": N_("Change"), "notes": N_("Notes")}
"""The column headers and notes title in the second language of a bilingual table (the template
prints the first language with the same msgids)."""


def build_kpi_table(project: Project, table: KpiTable, lang: str) -> dict[str, Any]:
    _ = translations(lang).gettext
    alt_lang = bilingual_partner(project, lang)  # None unless meta.options["bilingual_tables"]
    years = sorted(table.years, reverse=table.order == "descending")
    rows: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    note_numbers: dict[str, int] = {}
    missing: list[str] = []

    def marker_for(text: str) -> int:
        if text not in note_numbers:
            note_numbers[text] = len(note_numbers) + 1
            notes.append({"marker": note_numbers[text], "text": text})
        return note_numbers[text]

    # A group row that only repeats the table's single topic adds nothing.
    groups = {project.kpis[k].group for k in table.rows if k in project.kpis}
    previous_group: str | None = next(iter(groups)) if len(groups) == 1 else None
    previous_dimension: tuple[str | None, str] | None = None
    for kpi_id in table.rows:
        kpi = project.kpis.get(kpi_id)
        if kpi is None:
            missing.append(kpi_id)
            continue
        if kpi.group != previous_group:
            # A group without a printed name (a custom id) gets no heading rather than its raw id
            # in every language; `check` reports it (kpi.group_unknown).
            if kpi.group in GROUP_LABELS:
                rows.append({"kind": "group", "label": _(GROUP_LABELS[kpi.group])})
                if alt_lang:
                    rows[-1]["label_alt"] = translations(alt_lang).gettext(GROUP_LABELS[kpi.group])
            previous_group = kpi.group
            previous_dimension = None
        depth = project.kpi_depth(kpi.id)
        if depth and kpi.dimension and (kpi.parent_id, kpi.dimension) != previous_dimension:
            label = DIMENSION_LABELS.get(kpi.dimension)
            if label:
                rows.append({"kind": "dimension", "label": _(label), "depth": depth})
                if alt_lang:
                    rows[-1]["label_alt"] = translations(alt_lang).gettext(label)
            previous_dimension = (kpi.parent_id, kpi.dimension)
        elif not depth:
            previous_dimension = None
        cells = []
        for year in years:
            value = kpi.values.get(year)
            note_text = localized(value.note, lang) if value else ""
            if value is not None and value.kind in ("not_applicable", "not_reported", "confidential"):
                note_text = note_text or localized(value.reason, lang)
            cells.append({
                "text": format_kpi_value(kpi, value, lang),
                "marker": marker_for(note_text) if note_text else None,
                "kind": value.kind if value else "missing",
            })
        boundary = localized(kpi.boundary, lang)
        rows.append({
            "kind": "kpi",
            "id": kpi.id,
            "label": kpi_name(kpi, lang),
            "depth": depth + (1 if depth and kpi.dimension in DIMENSION_LABELS else 0),
            "unit": unit_label(kpi.display_unit or kpi.unit, lang),
            "cells": cells,
            "marker": marker_for(boundary) if boundary else None,
            "change": _change_text(kpi, years, lang) if table.show_change else None,
        })
        if alt_lang:
            rows[-1]["label_alt"] = _alternate(localized(kpi.name, alt_lang), rows[-1]["label"])
    for note in table.notes:
        text = localized(note, lang)
        if text:
            notes.append({"marker": None, "text": text})
    for text in factor_notes(project, table, lang):
        notes.append({"marker": None, "text": text})
    data: dict[str, Any] = {
        "id": table.id,
        "title": localized(table.title, lang, table.id),
        "years": [str(year) for year in years],
        "show_change": table.show_change,
        "rows": rows,
        "notes": notes,
        "missing": missing,
    }
    if alt_lang:
        alt_gettext = translations(alt_lang).gettext
        data["alt_lang"] = HTML_LANGS[alt_lang]
        data["title_alt"] = _alternate(localized(table.title, alt_lang), data["title"])
        data["headers_alt"] = {key: alt_gettext(message) for key, message in HEADER_LABELS.items()}
    return data


def factor_notes(project: Project, table: KpiTable, lang: str) -> list[str]:
    """One note per emission factor the table's derived KPIs use, in order of first use, so the
    printed method note can never disagree with the factor that computed the figures."""
    used: list[str] = []
    for kpi_id in table.rows:
        kpi = project.kpis.get(kpi_id)
        if kpi is None or not kpi.formula.strip():
            continue
        try:
            used.extend(factor_ids(parse_formula(kpi.formula)))
        except FormulaError:
            continue  # reported by the KPI checks; a table still prints
    factors = available_factors(project) if used else {}
    return [factor_note(factors[factor_id], lang) for factor_id in dict.fromkeys(used) if factor_id in factors]


def bilingual_partner(project: Project, lang: str) -> str | None:
    """The second language of KPI tables when meta.options["bilingual_tables"] is on: English in
    the Chinese editions, Chinese (Traditional if the project has it) in the English one."""
    if str(project.meta.options.get("bilingual_tables", "")).lower() not in ("true", "1", "yes", "on"):
        return None
    if lang != "en":
        return "en"
    return next((code for code in ("zh-Hant", "zh-Hans") if code in project.meta.languages), "zh-Hant")


def _alternate(text: str, shown: str) -> str:
    """The second-language text, or "" when it is missing or would only repeat the first."""
    return text if text and text != shown else ""


def _change_text(kpi: Kpi, years: list[int], lang: str) -> str:
    """Change of the latest year against the one before, on the earlier year's base."""
    ordered = sorted(years)
    if len(ordered) < 2:
        return "—"
    old, new = kpi.values.get(ordered[-2]), kpi.values.get(ordered[-1])
    if not (old and new and old.kind == "number" and new.kind == "number"):
        return "—"
    assert old.number is not None and new.number is not None
    if old.number == 0:
        return "—"
    if kpi.is_percent:  # a change of a rate is stated in percentage points
        points = new.number - old.number
        return translations(lang).gettext("{value} pp").format(value=_signed(format_number(points, 1, lang), points))
    change = (new.number - old.number) / old.number * 100
    return _signed(format_number(change, 1, lang), change) + "%"


def _signed(text: str, number: Decimal) -> str:
    return text if number < 0 or text.lstrip("-").strip("0.,") == "" else f"+{text}"

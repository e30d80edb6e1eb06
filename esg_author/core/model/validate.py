"""Every rule a project must satisfy, in one place: validate(project) lists what breaks them.

The same rules serve three callers:

- the loaders (storage/project_file.open_project, core/bundled.py) refuse a file whose project
  breaks one, naming the file and the first problems;
- the commands (core/commands) check each value they set with the check_* functions below,
  which raise InvalidValueError naming the field, so a command never leaves the project invalid;
- tests, and anything that assembled a project by hand, call check_valid(project).

What is checked is what a project must satisfy on any computer: ids safe to use in text tokens
and unique, a section tree without cycles whose parents exist, KPI units esg-author knows and
display units that can show them, KPI parents that exist and form no cycle, precisions 0–6,
sane years, known languages and statuses, table rows that are KPIs, safe asset names, finite
numbers (no NaN, no Infinity), option values the option accepts. What depends on what is
installed here (a framework catalogue, a report template) or may break by an edit elsewhere (a
derived KPI's formula) is not an invariant: the commands refuse such a value when it is set, and
`esg-author check` reports it, but a project that has one still opens.

Some rules need knowledge that lives above the model (units in data/, formulas, framework
catalogues). The model reaches it through a Vocabulary (model/vocabulary.py), and
esg_author.core.vocabulary installs the standard one when it is imported, which the entry points
do (the CLI, the bundled projects). Without it the model's own rules are still checked, and a
warning says that the units were not.

Reasons are English msgids with {placeholders} (marked N_), so the GUI can translate them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from esg_author.core.errors import InvalidProjectError, InvalidValueError, ModelError
from esg_author.core.model.names import check_asset_name, find_case_collision
from esg_author.core.model.options import option_problem
from esg_author.core.model.project import (
    DISCLOSURE_STATUSES,
    LANGUAGES,
    VALUE_KINDS,
    KpiValue,
    Project,
    ReportMeta,
)
from esg_author.core.model.tokens import MAX_ID_LENGTH, is_valid_id
from esg_author.core.model.vocabulary import BASIC_VOCABULARY, Vocabulary, install_vocabulary, installed_vocabulary

if TYPE_CHECKING:
    from esg_author.core.model.project import DisclosureStatus, EmissionFactor, GlossaryTerm, Kpi, KpiTable, Section

__all__ = ["BASIC_VOCABULARY", "Problem", "Vocabulary", "check_valid", "install_vocabulary", "installed_vocabulary", "require",
           "validate"]  # and the *_problems rules the commands check single values with

def N_(message: str) -> str:
    """Mark a constant for extraction (the same marker as i18n.catalogs.N_, which sits above us)."""
    return message


FORMULA_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
"""New KPI and emission-factor ids must also be names a formula can use (no '-', no leading digit)."""
FRAMEWORK_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as framework catalogues name themselves
DISCLOSURE_CODE_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9 .()\-]{0,38}[A-Za-z0-9)])?$")
TEMPLATE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # a plain folder name (render/template.py)
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_PRECISION = 6
MAX_ENTITY_LENGTH = 64
VALUE_SOURCES = ("typed", "imported", "derived")
SECTION_TEXT_STATES = ("", "needs_review")
TABLE_ORDERS = ("ascending", "descending")
OMISSION_REASON_CODES = ("not_applicable", "legal_prohibitions", "confidentiality", "information_unavailable")
"""GRI 1's reasons for omission (frameworks/index.py gives their printed names)."""
CURRENCY_ALIASES = ("RMB",)
"""Accepted beside ISO 4217 codes: Hong Kong filings write RMB for the renminbi (ISO: CNY)."""


# -- problems ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One broken rule: which field, its value, and why (an English msgid and its parameters)."""

    field: str
    value: object
    reason: str
    params: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def error(self) -> InvalidValueError:
        return InvalidValueError(self.field, self.value, self.reason, **self.params)

    def __str__(self) -> str:
        return str(self.error())


def _problem(field_name: str, value: object, reason: str, **params: object) -> Problem:
    return Problem(field_name, value, reason, params)


def require(problems: Iterable[Problem]) -> None:
    """Raise InvalidValueError for the first problem, if any."""
    for problem in problems:
        raise problem.error()


# -- values ------------------------------------------------------------------------------------


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in text)


def text_problems(field_name: str, value: object, single_line: bool = False) -> Iterator[Problem]:
    """Text. single_line (for names and titles being set) also refuses line breaks and control
    characters; what a file holds is only required to be text, since Word's line breaks and
    page breaks (\v, \f) come into bodies through translation exchange and are kept."""
    if not isinstance(value, str):
        yield _problem(field_name, value, N_("is not text"))
    elif single_line and ("\n" in value or "\r" in value or _has_control_characters(value)):
        yield _problem(field_name, value, N_("contains line breaks or control characters"))


def localized_problems(field_name: str, value: object, single_line: bool = False) -> Iterator[Problem]:
    """A text per language: {"zh-Hant": …, "en": …} with known languages only."""
    if not isinstance(value, dict):
        yield _problem(field_name, value, N_("is not a text per language"))
        return
    for lang, text in value.items():
        if lang not in LANGUAGES:
            yield _problem(f"{field_name}.{lang}", text, N_("is in an unknown language (known: {languages})"),
                           languages=", ".join(LANGUAGES))
        else:
            yield from text_problems(f"{field_name}.{lang}", text, single_line)


def year_problems(field_name: str, value: object) -> Iterator[Problem]:
    if isinstance(value, bool) or not isinstance(value, int):
        yield _problem(field_name, value, N_("is not a year (4 digits)"))
    elif not FIRST_YEAR <= value <= LAST_YEAR:
        yield _problem(field_name, value, N_("is not a year between {first} and {last}"), first=FIRST_YEAR, last=LAST_YEAR)


def date_problems(field_name: str, value: object) -> Iterator[Problem]:
    if isinstance(value, datetime) or not isinstance(value, date):
        yield _problem(field_name, value, N_("is not a date"))
    elif not FIRST_YEAR <= value.year <= LAST_YEAR:
        yield _problem(field_name, value, N_("is not a date between {first} and {last}"), first=FIRST_YEAR, last=LAST_YEAR)


def period_problems(start: object, end: object) -> Iterator[Problem]:
    found = [*date_problems("period_start", start), *date_problems("period_end", end)]
    yield from found
    if not found and isinstance(start, date) and isinstance(end, date) and end <= start:
        yield _problem("period_end", end, N_("is not after the start of the period ({start})"), start=start.isoformat())


def id_problems(field_name: str, value: object, *, formula_name: bool = False) -> Iterator[Problem]:
    """An id used in text tokens (and, for new KPIs and factors, in formulas)."""
    if not isinstance(value, str) or not value:
        yield _problem(field_name, value, N_("is not an id"))
    elif len(value) > MAX_ID_LENGTH:
        yield _problem(field_name, value, N_("is longer than {limit} characters"), limit=MAX_ID_LENGTH)
    elif not is_valid_id(value):
        yield _problem(field_name, value, N_("is not an id: use letters, digits, _ and -, in parts separated by single dots "
                                             "(such as energy.solar)"))
    elif formula_name and not FORMULA_NAME_RE.fullmatch(value):
        yield _problem(field_name, value, N_("cannot be used in formulas: use letters, digits, '.' and '_', starting with a letter"))


def link_problems(field_name: str, value: object) -> Iterator[Problem]:
    """A list of disclosure references "framework-id:CODE" without repeats."""
    if not isinstance(value, list):
        yield _problem(field_name, value, N_("is not a list of disclosures"))
        return
    seen: set[str] = set()
    for reference in value:
        framework_id, _colon, code = reference.partition(":") if isinstance(reference, str) else ("", "", "")
        if not FRAMEWORK_ID_RE.fullmatch(framework_id) or not DISCLOSURE_CODE_RE.fullmatch(code):
            yield _problem(field_name, reference, N_("is not a disclosure reference such as 'gri-2021:305-1'"))
        elif reference in seen:
            yield _problem(field_name, reference, N_("is listed twice"))
        seen.add(str(reference))


def number_problems(field_name: str, value: object) -> Iterator[Problem]:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        yield _problem(field_name, value, N_("is not a number"))
    elif isinstance(value, Decimal) and not value.is_finite():
        yield _problem(field_name, value, N_("is not a finite number"))


def kpi_value_problems(field_name: str, value: object) -> Iterator[Problem]:
    """One KPI value: its kind, finite numbers, a positive score maximum, reasons and notes."""
    if not isinstance(value, KpiValue):
        yield _problem(field_name, value, N_("is not a KPI value"))
        return
    if value.kind not in VALUE_KINDS:
        yield _problem(field_name, value.kind, N_("is not one of {choices}"), choices=", ".join(VALUE_KINDS))
    if value.number is not None:
        yield from number_problems(f"{field_name}.number", value.number)
    if value.maximum is not None:
        found = list(number_problems(f"{field_name}.maximum", value.maximum))
        yield from found
        if not found and value.maximum <= 0:
            yield _problem(f"{field_name}.maximum", value.maximum, N_("is not a positive number"))
    yield from localized_problems(f"{field_name}.reason", value.reason)
    yield from localized_problems(f"{field_name}.note", value.note)
    if value.provenance.source not in VALUE_SOURCES:
        yield _problem(f"{field_name}.provenance", value.provenance.source, N_("is not one of {choices}"),
                       choices=", ".join(VALUE_SOURCES))


def entity_problems(field_name: str, value: object) -> Iterator[Problem]:
    """A reporting entity's name (a subsidiary, a site); "" is the group itself."""
    if not isinstance(value, str):
        yield _problem(field_name, value, N_("is not text"))
    elif value and (value != value.strip() or len(value) > MAX_ENTITY_LENGTH or _has_control_characters(value)
                    or "\n" in value):
        yield _problem(field_name, value, N_("is not an entity name (at most {limit} characters, no spaces around it)"),
                       limit=MAX_ENTITY_LENGTH)


# -- report metadata ---------------------------------------------------------------------------


def currency_problems(value: object) -> Iterator[Problem]:
    from babel.numbers import list_currencies  # Babel's ISO 4217 list, loaded on first use

    if not isinstance(value, str) or not (value in CURRENCY_ALIASES or value in list_currencies()):
        yield _problem("currency", value, N_("is not a currency code (ISO 4217, such as HKD, USD or CNY; RMB is accepted)"))


def languages_problems(value: object) -> Iterator[Problem]:
    if not isinstance(value, list) or not value:
        yield _problem("languages", value, N_("is not a list of at least one language"))
        return
    for lang in value:
        if lang not in LANGUAGES:
            yield _problem("languages", lang, N_("is not a report language (known: {languages})"), languages=", ".join(LANGUAGES))
    if len(set(map(str, value))) != len(value):
        yield _problem("languages", value, N_("names a language twice"))


def frameworks_problems(value: object, vocabulary: Vocabulary | None = None) -> Iterator[Problem]:
    """Framework ids without repeats; with a vocabulary, also ones whose catalogue is installed."""
    if not isinstance(value, list):
        yield _problem("frameworks", value, N_("is not a list of frameworks"))
        return
    for framework_id in value:
        if not isinstance(framework_id, str) or not FRAMEWORK_ID_RE.fullmatch(framework_id):
            yield _problem("frameworks", framework_id, N_("is not a framework id such as 'gri-2021'"))
        elif vocabulary is not None and (detail := vocabulary.framework_problem(framework_id)):
            yield _problem("frameworks", framework_id, N_("cannot be used: {detail}"), detail=detail)
    if len(set(map(str, value))) != len(value):
        yield _problem("frameworks", value, N_("names a framework twice"))


def template_problems(value: object, vocabulary: Vocabulary | None = None) -> Iterator[Problem]:
    """A safe template name; with a vocabulary, also an installed one."""
    if not isinstance(value, str) or not TEMPLATE_NAME_RE.fullmatch(value):
        yield _problem("template", value, N_("is not a template name: use letters, digits, '-' and '_' only"))
    elif vocabulary is not None and (detail := vocabulary.template_problem(value)):
        yield _problem("template", value, N_("cannot be used: {detail}"), detail=detail)


def cover_asset_problems(field_name: str, value: object, project: Project) -> Iterator[Problem]:
    """logo / cover_image: None or the name of one of the project's assets."""
    if value is not None and (not isinstance(value, str) or value not in project.assets):
        yield _problem(field_name, value, N_("is not one of the project's images"))


def option_problems(key: object, value: object) -> Iterator[Problem]:
    if not isinstance(key, str) or not key:
        yield _problem("options", key, N_("is not an option name"))
        return
    found = option_problem(key, value)
    if found is not None:
        reason, params = found
        yield _problem(f"option.{key}", value, reason, **params)


META_FIELDS = ("company", "title", "short_name", "year", "period_start", "period_end", "currency", "languages",
               "frameworks", "template", "logo", "cover_image", "options")
"""The fields of ReportMeta that commands set (uuid is the project's identity, never edited)."""


def meta_field_problems(name: str, value: object, project: Project, vocabulary: Vocabulary | None = None) -> Iterator[Problem]:
    """Problems of one report metadata field set to value (the period's two ends are checked
    together: see period_problems). vocabulary is given for a value being set: then what is
    installed is checked too, and names must be single lines."""
    if name in ("company", "title", "short_name"):
        yield from localized_problems(name, value, single_line=vocabulary is not None)
    elif name == "year":
        yield from year_problems(name, value)
    elif name in ("period_start", "period_end"):
        yield from date_problems(name, value)
    elif name == "currency":
        yield from currency_problems(value)
    elif name == "languages":
        yield from languages_problems(value)
    elif name == "frameworks":
        yield from frameworks_problems(value, vocabulary)
    elif name == "template":
        yield from template_problems(value, vocabulary)
    elif name in ("logo", "cover_image"):
        yield from cover_asset_problems(name, value, project)
    elif name == "options":
        if not isinstance(value, dict):
            yield _problem("options", value, N_("is not a set of options"))
        else:
            for key, option in value.items():
                yield from option_problems(key, option)
    else:
        yield _problem(name, value, N_("is not a field of the report metadata (fields: {fields})"), fields=", ".join(META_FIELDS))


def meta_problems(meta: ReportMeta, project: Project) -> Iterator[Problem]:
    for name in META_FIELDS:
        if name not in ("period_start", "period_end"):
            yield from meta_field_problems(name, getattr(meta, name), project)
    yield from period_problems(meta.period_start, meta.period_end)


# -- sections ----------------------------------------------------------------------------------


def section_problems(section: Section) -> Iterator[Problem]:
    """One section on its own (its place in the tree: see tree_problems)."""
    where = f"section[{section.id}]"
    yield from id_problems(f"{where}.id", section.id)
    if not isinstance(section.numbered, bool):
        yield _problem(f"{where}.numbered", section.numbered, N_("is not true or false"))
    yield from link_problems(f"{where}.disclosures", section.disclosures)
    if not isinstance(section.texts, dict):
        yield _problem(f"{where}.texts", section.texts, N_("is not a text per language"))
        return
    for lang, text in section.texts.items():
        if lang not in LANGUAGES:
            yield _problem(f"{where}.texts", lang, N_("is not a report language (known: {languages})"), languages=", ".join(LANGUAGES))
            continue
        yield from text_problems(f"{where}.{lang}.title", text.title)
        yield from text_problems(f"{where}.{lang}.body", text.body)
        if text.state not in SECTION_TEXT_STATES:
            yield _problem(f"{where}.{lang}.state", text.state, N_("is not one of {choices}"), choices="'', 'needs_review'")
        if text.source_lang is not None and text.source_lang not in LANGUAGES:
            yield _problem(f"{where}.{lang}.source_lang", text.source_lang, N_("is not a report language (known: {languages})"),
                           languages=", ".join(LANGUAGES))


def tree_problems(project: Project) -> Iterator[Problem]:
    """Unique section ids; every parent exists; no section is its own ancestor (a cycle would hide
    sections from every walk of the tree)."""
    parents: dict[str, str | None] = {}
    for section in project.sections:
        if section.id in parents:
            yield _problem(f"section[{section.id}].id", section.id, N_("is the id of another section too"))
        parents[section.id] = section.parent_id
    for section in project.sections:
        if section.parent_id is not None and section.parent_id not in parents:
            yield _problem(f"section[{section.id}].parent_id", section.parent_id, N_("is not a section"))
    reported: set[str] = set()
    for section in project.sections:
        seen, parent = {section.id}, section.parent_id
        while parent is not None and parent in parents:
            if parent in seen:
                if section.id not in reported:
                    yield _problem(f"section[{section.id}].parent_id", section.parent_id, N_("makes the section its own ancestor"))
                reported |= seen
                break
            seen.add(parent)
            parent = parents[parent]


# -- KPIs --------------------------------------------------------------------------------------


def precision_problems(field_name: str, value: object) -> Iterator[Problem]:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PRECISION:
        yield _problem(field_name, value, N_("is not a number of decimals from 0 to {limit}"), limit=MAX_PRECISION)


def unit_problems(field_name: str, unit: object, vocabulary: Vocabulary) -> Iterator[Problem]:
    if not isinstance(unit, str) or not unit:
        yield _problem(field_name, unit, N_("is not a unit"))
    elif detail := vocabulary.unit_problem(unit):
        yield _problem(field_name, unit, N_("cannot be used: {detail}"), detail=detail)


def display_unit_problems(field_name: str, unit: str, display_unit: object, vocabulary: Vocabulary) -> Iterator[Problem]:
    if not isinstance(display_unit, str):
        yield _problem(field_name, display_unit, N_("is not a unit"))
    elif display_unit and (detail := vocabulary.display_unit_problem(unit, display_unit)):
        yield _problem(field_name, display_unit, N_("cannot be used: {detail}"), detail=detail)


def parent_problems(project: Project, kpi_id: str, parent_id: object) -> Iterator[Problem]:
    """parent_id may be kpi_id's parent: None, or a KPI that does not descend from kpi_id."""
    field_name = f"kpi[{kpi_id}].parent_id"
    if parent_id is None:
        return
    if not isinstance(parent_id, str) or parent_id not in project.kpis:
        yield _problem(field_name, parent_id, N_("is not a KPI"))
        return
    seen, current = {kpi_id}, parent_id
    while current is not None and current in project.kpis:
        if current in seen:
            yield _problem(field_name, parent_id, N_("makes the KPI its own ancestor"))
            return
        seen.add(current)
        current = project.kpis[current].parent_id


def kpi_definition_problems(kpi: Kpi, vocabulary: Vocabulary) -> Iterator[Problem]:
    """One KPI's own fields (its parent: parent_problems; its formula is not an invariant)."""
    where = f"kpi[{kpi.id}]"
    yield from id_problems(f"{where}.id", kpi.id)
    yield from localized_problems(f"{where}.name", kpi.name)
    yield from localized_problems(f"{where}.boundary", kpi.boundary)
    found = list(unit_problems(f"{where}.unit", kpi.unit, vocabulary))
    yield from found
    if not found:
        yield from display_unit_problems(f"{where}.display_unit", kpi.unit, kpi.display_unit, vocabulary)
    yield from precision_problems(f"{where}.precision", kpi.precision)
    for name in ("group", "dimension"):
        yield from text_problems(f"{where}.{name}", getattr(kpi, name))
    yield from text_problems(f"{where}.formula", kpi.formula)
    yield from link_problems(f"{where}.codes", kpi.codes)


def kpi_values_problems(kpi: Kpi) -> Iterator[Problem]:
    where = f"kpi[{kpi.id}]"
    for year, value in kpi.values.items():
        yield from year_problems(f"{where}.values", year)
        yield from kpi_value_problems(f"{where}.values[{year}]", value)
    for entity, values in kpi.entity_values.items():
        yield from entity_problems(f"{where}.entity_values", entity)
        if not entity:
            yield _problem(f"{where}.entity_values", entity, N_("is not an entity name (at most {limit} characters, no spaces around it)"),
                           limit=MAX_ENTITY_LENGTH)
        for year, value in values.items():
            yield from year_problems(f"{where}.entity_values[{entity}]", year)
            yield from kpi_value_problems(f"{where}.entity_values[{entity}][{year}]", value)


# -- tables, statuses, factors, assets, glossary -----------------------------------------------


def table_problems(table: KpiTable, project: Project) -> Iterator[Problem]:
    where = f"table[{table.id}]"
    yield from id_problems(f"{where}.id", table.id)
    yield from localized_problems(f"{where}.title", table.title)
    yield from table_rows_problems(where, table.rows, project)
    yield from table_years_problems(where, table.years)
    if table.order not in TABLE_ORDERS:
        yield _problem(f"{where}.order", table.order, N_("is not one of {choices}"), choices=", ".join(TABLE_ORDERS))
    if not isinstance(table.show_change, bool):
        yield _problem(f"{where}.show_change", table.show_change, N_("is not true or false"))
    if not isinstance(table.notes, list):
        yield _problem(f"{where}.notes", table.notes, N_("is not a list of notes"))
    else:
        for index, note in enumerate(table.notes):
            yield from localized_problems(f"{where}.notes[{index}]", note)
    yield from link_problems(f"{where}.codes", table.codes)


def table_rows_problems(where: str, rows: object, project: Project) -> Iterator[Problem]:
    if not isinstance(rows, list):
        yield _problem(f"{where}.rows", rows, N_("is not a list of KPIs"))
        return
    for row in rows:
        if row not in project.kpis:
            yield _problem(f"{where}.rows", row, N_("is not a KPI"))
    if len(set(map(str, rows))) != len(rows):
        yield _problem(f"{where}.rows", rows, N_("lists a KPI twice"))


def table_years_problems(where: str, years: object) -> Iterator[Problem]:
    if not isinstance(years, list) or not years:
        yield _problem(f"{where}.years", years, N_("is not a list of at least one year"))
        return
    for year in years:
        yield from year_problems(f"{where}.years", year)
    if len(set(map(str, years))) != len(years):
        yield _problem(f"{where}.years", years, N_("names a year twice"))


def status_problems(status: DisclosureStatus) -> Iterator[Problem]:
    where = f"status[{status.framework}:{status.code}]"
    if not FRAMEWORK_ID_RE.fullmatch(str(status.framework)) or not DISCLOSURE_CODE_RE.fullmatch(str(status.code)):
        yield _problem(where, f"{status.framework}:{status.code}", N_("is not a disclosure reference such as 'gri-2021:305-1'"))
    if status.status not in DISCLOSURE_STATUSES:
        yield _problem(f"{where}.status", status.status, N_("is not one of {choices}"), choices=", ".join(DISCLOSURE_STATUSES))
    yield from localized_problems(f"{where}.explanation", status.explanation)
    if status.omission_reason not in ("", *OMISSION_REASON_CODES):
        yield _problem(f"{where}.omission_reason", status.omission_reason, N_("is not one of {choices}"),
                       choices=", ".join(OMISSION_REASON_CODES))


def factor_problems(factor: EmissionFactor, vocabulary: Vocabulary, new: bool = False) -> Iterator[Problem]:
    """One emission factor; a new one (new=True) also needs an id a formula can name."""
    where = f"factor[{factor.id}]"
    yield from id_problems(f"{where}.id", factor.id, formula_name=new)
    found = list(number_problems(f"{where}.value", factor.value))
    yield from found
    if not found and factor.value < 0:
        yield _problem(f"{where}.value", factor.value, N_("is negative"))
    if not isinstance(factor.unit, str) or not factor.unit.strip():
        yield _problem(f"{where}.unit", factor.unit, N_("is not a unit"))
    elif detail := vocabulary.factor_unit_problem(factor.unit):
        yield _problem(f"{where}.unit", factor.unit, N_("cannot be used: {detail}"), detail=detail)
    yield from localized_problems(f"{where}.source", factor.source)
    yield from year_problems(f"{where}.year", factor.year)
    for name in ("region", "activity"):
        yield from text_problems(f"{where}.{name}", getattr(factor, name))


def asset_name_problems(name: object, existing: Iterable[str]) -> Iterator[Problem]:
    try:
        check_asset_name(name)
    except ModelError as exc:
        yield _problem(f"asset[{name}]", name, N_("cannot be an image name: {detail}"), detail=str(exc))
        return
    other = find_case_collision(str(name), existing)
    if other is not None:
        yield _problem(f"asset[{name}]", name, N_("differs from the image '{other}' only by case; the two files would collide "
                                                   "on Windows and macOS"), other=other)


def glossary_term_problems(index: int, term: GlossaryTerm, single_line: bool = False) -> Iterator[Problem]:
    where = f"glossary[{index}]"
    found = list(localized_problems(f"{where}.forms", term.forms, single_line))
    yield from found
    if not found and not any(form.strip() for form in term.forms.values()):
        yield _problem(f"{where}.forms", term.forms, N_("has no form in any language"))
    if not isinstance(term.protected, bool):
        yield _problem(f"{where}.protected", term.protected, N_("is not true or false"))
    yield from text_problems(f"{where}.note", term.note)


# -- the whole project -------------------------------------------------------------------------


def validate(project: Project, vocabulary: Vocabulary | None = None) -> list[Problem]:
    """Every broken rule of the project, in a stable order (metadata, sections, KPIs, tables,
    statuses, factors, assets, glossary). vocabulary None uses the installed one."""
    vocabulary = vocabulary or installed_vocabulary()
    problems: list[Problem] = list(meta_problems(project.meta, project))
    for section in project.sections:
        problems += section_problems(section)
    problems += tree_problems(project)
    for key, kpi in project.kpis.items():
        if key != kpi.id:
            problems.append(_problem(f"kpi[{key}].id", kpi.id, N_("differs from the id the KPI is filed under ({key})"), key=key))
        problems += kpi_definition_problems(kpi, vocabulary)
        problems += parent_problems(project, kpi.id, kpi.parent_id)
        problems += kpi_values_problems(kpi)
    for key, table in project.tables.items():
        if key != table.id:
            problems.append(_problem(f"table[{key}].id", table.id, N_("differs from the id the table is filed under ({key})"), key=key))
        problems += table_problems(table, project)
    for (framework_id, code), status in project.statuses.items():
        if (framework_id, code) != (status.framework, status.code):
            problems.append(_problem(f"status[{framework_id}:{code}]", f"{status.framework}:{status.code}",
                                     N_("differs from the disclosure it is filed under")))
        problems += status_problems(status)
    for key, factor in project.factors.items():
        if key != factor.id:
            problems.append(_problem(f"factor[{key}].id", factor.id, N_("differs from the id the factor is filed under ({key})"), key=key))
        problems += factor_problems(factor, vocabulary)
    names: list[str] = []
    for key, asset in project.assets.items():
        if key != asset.name:
            problems.append(_problem(f"asset[{key}]", asset.name, N_("differs from the name the image is filed under ({key})"), key=key))
        problems += asset_name_problems(key, names)
        if not isinstance(asset.data, bytes):
            problems.append(_problem(f"asset[{key}].data", type(asset.data).__name__, N_("is not the bytes of a file")))
        names.append(key)
    for index, term in enumerate(project.glossary):
        problems += glossary_term_problems(index, term)
    return problems


def check_valid(project: Project, vocabulary: Vocabulary | None = None) -> None:
    """Raise InvalidProjectError listing the problems of an invalid project."""
    problems = validate(project, vocabulary)
    if problems:
        raise InvalidProjectError(problems)


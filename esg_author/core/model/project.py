"""The in-memory project: report metadata, section tree, KPI registry, tables, links and assets.

Plain dataclasses with no I/O. Change a Project through the commands in esg_author.core.commands
so that every change can be undone; reading is free.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import uuid4

from esg_author.core.errors import ModelError

LANGUAGES: tuple[str, ...] = ("zh-Hant", "zh-Hans", "en")
"""The report languages esg-author publishes, in the order a Hong Kong issuer lists them."""
LANGUAGE_NAMES = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}
"""Each language's name in itself, as a language switch shows it."""

LocalizedText = dict[str, str]


def localized(text: LocalizedText, lang: str, fallback: str = "") -> str:
    """The text in `lang`, or `fallback` when it is missing or empty."""
    return text.get(lang) or fallback


def new_project_uuid() -> str:
    """A fresh project identity (a random UUID in its canonical text form)."""
    return str(uuid4())


@dataclass
class ReportMeta:
    company: LocalizedText
    title: LocalizedText
    year: int
    period_start: date
    period_end: date
    short_name: LocalizedText = field(default_factory=dict)
    currency: str = "RMB"
    languages: list[str] = field(default_factory=lambda: list(LANGUAGES))
    frameworks: list[str] = field(default_factory=list)
    template: str = "default"
    logo: str | None = None
    cover_image: str | None = None
    options: dict[str, object] = field(default_factory=dict)
    # The project's identity, kept when the file is renamed, moved or saved under another name;
    # matches autosaved recovery copies to their project (see core.document).
    uuid: str = field(default_factory=new_project_uuid)


@dataclass
class SectionText:
    title: str = ""
    body: str = ""
    # Which text this one was translated from, so a changed source marks it stale.
    source_lang: str | None = None
    source_fingerprint: str | None = None
    # Workflow state of this text: "" (normal) or "needs_review" (e.g. machine-converted).
    state: str = ""


@dataclass
class Section:
    id: str
    parent_id: str | None = None
    numbered: bool = True
    texts: dict[str, SectionText] = field(default_factory=dict)
    disclosures: list[str] = field(default_factory=list)

    def text(self, lang: str) -> SectionText:
        return self.texts.get(lang) or SectionText()


VALUE_KINDS = ("number", "score", "not_applicable", "not_reported", "confidential")


@dataclass(frozen=True)
class Provenance:
    source: str  # "typed" | "imported" | "derived"
    detail: str = ""  # file · sheet!cell, or the formula
    at: str = ""  # ISO 8601 timestamp


@dataclass(frozen=True)
class KpiValue:
    kind: str = "number"
    number: Decimal | None = None
    maximum: Decimal | None = None  # for scores: "8.5 of 9"
    reason: LocalizedText = field(default_factory=dict)  # why not applicable / not reported
    note: LocalizedText = field(default_factory=dict)  # footnote printed with the value
    provenance: Provenance = Provenance("typed")

    def __post_init__(self) -> None:
        if self.kind not in VALUE_KINDS:
            raise ModelError(f"unknown value kind {self.kind!r}; expected one of {', '.join(VALUE_KINDS)}")
        if self.kind in ("number", "score") and self.number is None:
            raise ModelError(f"a {self.kind} value needs a number")
        if self.kind == "score" and self.maximum is None:
            raise ModelError("a score needs its maximum")

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("number", "score")


@dataclass(frozen=True)
class ValueChange:
    """One entry of a KPI value's change history."""

    kpi_id: str
    year: int
    old: KpiValue | None
    new: KpiValue | None
    at: str
    entity: str = ""  # "" for the group value, else the entity (subsidiary, site) it belongs to


@dataclass
class Kpi:
    id: str
    name: LocalizedText
    unit: str
    group: str = ""
    parent_id: str | None = None
    dimension: str = ""
    precision: int = 0
    codes: list[str] = field(default_factory=list)
    boundary: LocalizedText = field(default_factory=dict)
    values: dict[int, KpiValue] = field(default_factory=dict)
    history: list[ValueChange] = field(default_factory=list)
    display_unit: str = ""  # unit to print in, when it differs from the stored unit
    formula: str = ""  # a derived KPI's formula over other KPIs; empty for entered data
    # Values per reporting entity (subsidiary, site) for consolidation: entity → year → value.
    entity_values: dict[str, dict[int, KpiValue]] = field(default_factory=dict)

    @property
    def is_percent(self) -> bool:
        return self.unit == "percent"


@dataclass
class KpiTable:
    id: str
    title: LocalizedText
    rows: list[str]
    years: list[int]
    order: str = "ascending"  # or "descending"
    show_change: bool = False
    notes: list[LocalizedText] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


DISCLOSURE_STATUSES = ("disclosed", "partly_disclosed", "not_applicable", "omitted")


@dataclass
class DisclosureStatus:
    """A status set by hand for one framework disclosure, with its explanation per language."""

    framework: str
    code: str
    status: str
    explanation: LocalizedText = field(default_factory=dict)
    omission_reason: str = ""  # GRI's reasons: not applicable, legal prohibitions, confidentiality, information unavailable


@dataclass
class EmissionFactor:
    """A conversion factor from activity data to emissions, with where it comes from."""

    id: str
    value: Decimal
    unit: str  # e.g. "tCO2e/MWh", "kgCO2e/kWh", "tCO2e/t"
    source: LocalizedText
    year: int
    region: str = ""
    activity: str = ""  # e.g. "electricity", "petrol", "natural_gas"


@dataclass
class GlossaryTerm:
    """A term conversion and translation must keep: its form in each language."""

    forms: LocalizedText
    protected: bool = True  # never rewritten by zh-Hant ⇄ zh-Hans conversion
    note: str = ""


@dataclass
class Asset:
    name: str
    media_type: str
    data: bytes


@dataclass
class Project:
    meta: ReportMeta
    sections: list[Section] = field(default_factory=list)
    kpis: dict[str, Kpi] = field(default_factory=dict)
    tables: dict[str, KpiTable] = field(default_factory=dict)
    statuses: dict[tuple[str, str], DisclosureStatus] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    factors: dict[str, EmissionFactor] = field(default_factory=dict)  # the project's own factors
    glossary: list[GlossaryTerm] = field(default_factory=list)

    # -- sections ---------------------------------------------------------------------------

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise ModelError(f"no section with id {section_id!r}")

    def has_section(self, section_id: str) -> bool:
        return any(s.id == section_id for s in self.sections)

    def children(self, parent_id: str | None) -> list[Section]:
        return [s for s in self.sections if s.parent_id == parent_id]

    def walk(self, parent_id: str | None = None, depth: int = 0) -> Iterator[tuple[Section, int]]:
        """Sections depth-first in reading order, with their depth (0 = chapter)."""
        for section in self.children(parent_id):
            yield section, depth
            yield from self.walk(section.id, depth + 1)

    def subtree_ids(self, section_id: str) -> list[str]:
        return [section_id] + [s.id for s, _ in self.walk(section_id)]

    def section_numbers(self) -> dict[str, str]:
        """Printed numbers ("2", "2.3", "2.3.1") of numbered sections; unnumbered ones are absent.

        Chapters are counted among numbered chapters only, so front matter does not shift them;
        an unnumbered section's subtree is unnumbered too.
        """
        numbers: dict[str, str] = {}

        def number_children(parent_id: str | None, prefix: str) -> None:
            count = 0
            for child in self.children(parent_id):
                if not child.numbered:
                    continue
                count += 1
                number = f"{prefix}{count}"
                numbers[child.id] = number
                number_children(child.id, number + ".")

        number_children(None, "")
        return numbers

    # -- KPIs --------------------------------------------------------------------------------

    def kpi(self, kpi_id: str) -> Kpi:
        try:
            return self.kpis[kpi_id]
        except KeyError:
            raise ModelError(f"no KPI with id {kpi_id!r}") from None

    def kpi_depth(self, kpi_id: str) -> int:
        """How many parents a KPI has (0 for a total); guards against cycles."""
        depth, seen = 0, {kpi_id}
        parent = self.kpi(kpi_id).parent_id
        while parent and parent in self.kpis:
            if parent in seen:
                raise ModelError(f"KPI {kpi_id!r} is its own ancestor")
            seen.add(parent)
            depth += 1
            parent = self.kpis[parent].parent_id
        return depth

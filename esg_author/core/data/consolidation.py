"""Consolidation: a group value as the sum of the entities' values (subsidiaries, sites).

Each entity fills its own workbook (`esg-author excel import --entity NAME`), which stores values in
kpi.entity_values[NAME]. consolidate() then proposes, for one year, each additive KPI's group
value = the exact Decimal sum over the entities that reported it, as SetKpiValue commands the
caller applies as one CompositeCommand. When anything changes, the last command is
RecomputeDerived for the year, so intensities and totals follow the consolidated inputs in the
same undo step (as after an import).

Only absolute quantities add up. Percentages, scores and intensities (anything "per" something)
do not: they are left alone and reported, and so are derived KPIs (their formula computes them
from the consolidated inputs). An entity's "not applicable" contributes nothing; when every
entity says not applicable the group value is not applicable too. "Not reported" or
"confidential" from any entity makes the sum unknown, so that KPI is left alone and reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from esg_author.core.commands import Command, SetKpiValue
from esg_author.core.data.derived import RecomputeDerived
from esg_author.core.data.units import is_intensity, is_known_unit
from esg_author.core.model import Kpi, KpiValue, Project, Provenance

logger = logging.getLogger(__name__)

_NOT_ADDITIVE = ("percent", "score")


@dataclass(frozen=True)
class ConsolidatedValue:
    kpi_id: str
    year: int
    old: KpiValue | None
    new: KpiValue
    entities: tuple[str, ...]  # the entities whose values were summed
    missing_entities: tuple[str, ...]  # entities with values for other KPIs this year, but not this one


@dataclass(frozen=True)
class SkippedKpi:
    kpi_id: str
    reason: str


@dataclass
class ConsolidationResult:
    year: int
    entities: list[str] = field(default_factory=list)
    changes: list[ConsolidatedValue] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)  # the SetKpiValues, then RecomputeDerived
    skipped: list[SkippedKpi] = field(default_factory=list)
    unchanged: int = 0


def is_additive_unit(code: str) -> bool:
    """True for absolute quantities (tonnes, MWh, persons, RMB); false for rates, scores, intensities."""
    if code in _NOT_ADDITIVE or "_per_" in code or not is_known_unit(code):
        return False
    return not is_intensity(code)


def consolidate(project: Project, year: int, now: datetime | None = None) -> ConsolidationResult:
    """The group values of `year` as sums over entities; applies nothing (see the commands)."""
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    entities = sorted({name for kpi in project.kpis.values() for name, values in kpi.entity_values.items() if year in values})
    result = ConsolidationResult(year, entities)
    for kpi in project.kpis.values():
        reported = {name: values[year] for name, values in sorted(kpi.entity_values.items()) if year in values}
        if not reported:
            continue
        reason = _reason_to_skip(kpi, reported)
        if reason:
            result.skipped.append(SkippedKpi(kpi.id, reason))
            continue
        old = kpi.values.get(year)
        new = _sum(kpi, reported, old, moment)
        if old is not None and _same(old, new):
            result.unchanged += 1
            continue
        missing = tuple(name for name in entities if name not in reported)
        result.changes.append(ConsolidatedValue(kpi.id, year, old, new, tuple(reported), missing))
        result.commands.append(SetKpiValue(kpi.id, year, new))
    if result.commands:  # derived KPIs (intensities, totals) from the consolidated inputs
        result.commands.append(RecomputeDerived((year,)))
    logger.info("Consolidation %d: %d changes, %d skipped, entities %s", year, len(result.changes),
                len(result.skipped), ", ".join(entities))
    return result


def _reason_to_skip(kpi: Kpi, reported: dict[str, KpiValue]) -> str:
    if kpi.formula:
        return "derived: its formula computes it from the consolidated inputs"
    if not is_additive_unit(kpi.unit):
        return f"unit {kpi.unit} does not add up across entities (a rate, score or intensity); set the group value by hand"
    unknown = [f"{name} ({value.kind.replace('_', ' ')})" for name, value in reported.items()
               if value.kind in ("not_reported", "confidential")]
    if unknown:
        return f"the sum is unknown: {', '.join(unknown)}"
    return ""


def _sum(kpi: Kpi, reported: dict[str, KpiValue], old: KpiValue | None, moment: str) -> KpiValue:
    names = ", ".join(reported)
    provenance = Provenance("derived", f"sum of entities: {names}", moment)
    numbers = [value.number for value in reported.values() if value.is_numeric and value.number is not None]
    note = old.note if old is not None else {}  # a printed footnote stays with the KPI-year
    if not numbers:  # every entity said not applicable
        reasons = [value.reason for value in reported.values()]
        reason = reasons[0] if all(r == reasons[0] for r in reasons) else {}
        return KpiValue("not_applicable", reason=dict(reason), note=note, provenance=provenance)
    return KpiValue("number", sum(numbers, Decimal(0)), note=note, provenance=provenance)


def _same(old: KpiValue, new: KpiValue) -> bool:
    """Equal numbers, or both not applicable: a group reason stays unless the entities give one."""
    if old.kind != new.kind:
        return False
    return old.number == new.number if new.is_numeric else (not new.reason or old.reason == new.reason)

"""Every command round-trips: execute, undo and redo on the demo restore exactly the states
before and after, the project stays valid, and listeners hear what happened and what changed.

Commands are found by walking Command's subclasses after importing every core module, so a
new command without a case here fails test_every_command_has_a_case.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest

import esg_author.core
from esg_author.core import commands as c
from esg_author.core.data.derived import RecomputeDerived
from esg_author.core.i18n.translation_units import MarkReviewed, MarkTranslated
from esg_author.core.model import (
    Asset,
    DisclosureStatus,
    EmissionFactor,
    GlossaryTerm,
    Kpi,
    KpiTable,
    KpiValue,
    Project,
    Section,
    SectionText,
)
from esg_author.core.model.validate import validate


def _import_every_core_module() -> None:
    for module in pkgutil.walk_packages(esg_author.core.__path__, "esg_author.core."):
        importlib.import_module(module.name)


def concrete_commands() -> set[type[c.Command]]:
    _import_every_core_module()
    found, todo = set(), [c.Command]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if not inspect.isabstract(sub) and not sub.__name__.startswith("_"):
                found.add(sub)
    return found


def _unused_kpi(project: Project) -> c.Command:
    project.kpis["tmp.unused"] = Kpi("tmp.unused", {"en": "Unused"}, "t", values={2025: KpiValue("number", Decimal(3))})
    return c.RemoveKpi("tmp.unused")


def _own_factor(project: Project) -> c.Command:
    project.factors["own_grid"] = EmissionFactor("own_grid", Decimal("0.5"), "tCO2e/MWh", {"en": "Utility bill"}, 2024)
    return c.RemoveEmissionFactor("own_grid")


def _changed_input(project: Project) -> c.Command:
    project.kpis["emp.total"].values[2025] = KpiValue("number", Decimal(4000))
    return RecomputeDerived((2025,))


def _untranslated(project: Project) -> c.Command:
    project.section("chairman").texts["en"].source_fingerprint = None
    return MarkTranslated("chairman", "en")


def _in_review(project: Project) -> c.Command:
    project.section("chairman").texts["en"].state = "needs_review"
    return MarkReviewed("chairman", "en")


def _other_template(project: Project) -> c.Command:
    project.meta.template = "classic"  # a project from another computer; "default" is installed here
    return c.SetTemplate("default")


NEW_STATUS = DisclosureStatus("hkex-esg-code-2025", "A2.5", "omitted", {"en": "Not collected", "zh-Hant": "未收集", "zh-Hans": "未收集"},
                              "information_unavailable")

CASES: dict[type[c.Command], Callable[[Project], c.Command]] = {
    # meta
    c.SetReportMeta: lambda p: c.SetReportMeta("year", 2024),
    c.SetReportText: lambda p: c.SetReportText("company", "en", "Lumora Holdings"),
    c.SetReportYear: lambda p: c.SetReportYear(2026),
    c.SetReportingPeriod: lambda p: c.SetReportingPeriod(date(2025, 4, 1), date(2026, 3, 31)),
    c.SetCurrency: lambda p: c.SetCurrency("HKD"),
    c.SetLanguages: lambda p: c.SetLanguages(["en", "zh-Hant"]),
    c.SetFrameworks: lambda p: c.SetFrameworks(["gri-2021"]),
    c.SetTemplate: _other_template,
    c.SetCoverImage: lambda p: c.SetCoverImage("logo", "cover.svg"),
    c.SetOption: lambda p: c.SetOption("date_style", "numerals"),
    # sections
    c.AddSection: lambda p: c.AddSection(Section("about-new", "about", True, {"en": SectionText("New")}), index=1),
    c.RemoveSection: lambda p: c.RemoveSection("about"),
    c.MoveSection: lambda p: c.MoveSection("governance", "about", 0),
    c.ChangeSectionId: lambda p: c.ChangeSectionId("climate", "climate-action"),
    c.SetSectionText: lambda p: c.SetSectionText("chairman", "en", body="A new letter."),
    c.SetSectionTitle: lambda p: c.SetSectionTitle("chairman", "en", "Letter from the Chair"),
    c.SetSectionNumbered: lambda p: c.SetSectionNumbered("chairman", True),
    c.SetTranslation: lambda p: c.SetTranslation("chairman", "en", "zh-Hant", "sha256:0", "needs_review"),
    # KPIs
    c.AddKpi: lambda p: c.AddKpi(Kpi("ghg.offsets", {"en": "Offsets"}, "tCO2e", "emissions",
                                     values={2025: KpiValue("number", Decimal("12.5"))}), index=2),
    c.RemoveKpi: _unused_kpi,
    c.MoveKpi: lambda p: c.MoveKpi("ghg.total", 3),
    c.ChangeKpiId: lambda p: c.ChangeKpiId("emp.total", "staff.total"),
    c.SetKpiName: lambda p: c.SetKpiName("ghg.total", "en", "Greenhouse gases"),
    c.SetKpiBoundary: lambda p: c.SetKpiBoundary("ghg.total", "en", "All offices"),
    c.SetKpiUnit: lambda p: c.SetKpiUnit("air.nox", "t"),
    c.SetKpiDisplayUnit: lambda p: c.SetKpiDisplayUnit("energy.total", "GJ"),
    c.SetKpiGroup: lambda p: c.SetKpiGroup("air.nox", "energy"),
    c.SetKpiParent: lambda p: c.SetKpiParent("air.sox", "air.nox"),
    c.SetKpiDimension: lambda p: c.SetKpiDimension("ghg.scope1", "source"),
    c.SetKpiPrecision: lambda p: c.SetKpiPrecision("ghg.total", 3),
    c.SetKpiFormula: lambda p: c.SetKpiFormula("air.pm", "air.nox / 10"),
    c.SetKpiCodes: lambda p: c.SetKpiCodes("ghg.total", ["gri-2021:305-1", "gri-2021:305-3"]),
    c.SetKpiValue: lambda p: c.SetKpiValue("ghg.total", 2025, KpiValue("number", Decimal("1234.56"))),
    c.SetKpiNote: lambda p: c.SetKpiNote("ghg.total", 2025, "en", "Restated."),
    # tables
    c.AddKpiTable: lambda p: c.AddKpiTable(KpiTable("t-new", {"en": "New"}, ["ghg.total"], [2025]), index=0),
    c.RemoveKpiTable: lambda p: c.RemoveKpiTable("env-emissions"),
    c.MoveKpiTable: lambda p: c.MoveKpiTable("env-waste", 0),
    c.ChangeTableId: lambda p: c.ChangeTableId("env-emissions", "emissions"),
    c.SetTableRows: lambda p: c.SetTableRows("env-emissions", ["ghg.total", "ghg.scope1"]),
    c.SetTableYears: lambda p: c.SetTableYears("env-emissions", [2024, 2025]),
    c.SetTableTitle: lambda p: c.SetTableTitle("env-emissions", "en", "Emissions to air"),
    c.SetTableNotes: lambda p: c.SetTableNotes("env-emissions", [{"en": "One note."}]),
    c.SetTableOrder: lambda p: c.SetTableOrder("env-emissions", "descending"),
    c.SetTableShowChange: lambda p: c.SetTableShowChange("env-emissions", True),
    c.SetTableCodes: lambda p: c.SetTableCodes("env-emissions", ["gri-2021:305-1"]),
    # frameworks
    c.SetSectionDisclosures: lambda p: c.SetSectionDisclosures("chairman", ["gri-2021:2-22", "gri-2021:2-14"]),
    c.SetDisclosureStatus: lambda p: c.SetDisclosureStatus("hkex-esg-code-2025", "A2.5", NEW_STATUS),
    # factors, assets, glossary
    c.PutEmissionFactor: lambda p: c.PutEmissionFactor(
        EmissionFactor("own_grid", Decimal("0.5"), "tCO2e/MWh", {"en": "Utility bill"}, 2024)),
    c.RemoveEmissionFactor: _own_factor,
    c.PutAsset: lambda p: c.PutAsset(Asset("chart.png", "image/png", b"\x89PNG")),
    c.RenameAsset: lambda p: c.RenameAsset("materiality-matrix.en.svg", "matrix.en.svg"),
    c.RemoveAsset: lambda p: c.RemoveAsset("governance-structure.en.svg"),
    c.SetGlossary: lambda p: c.SetGlossary(p.glossary[:3]),
    c.PutGlossaryTerm: lambda p: c.PutGlossaryTerm(GlossaryTerm({"zh-Hant": "持份者", "en": "stakeholder"})),
    c.RemoveGlossaryTerm: lambda p: c.RemoveGlossaryTerm(p.glossary[0].forms["en"]),
    # several as one, and the commands of the layers above
    c.CompositeCommand: lambda p: c.CompositeCommand([c.SetSectionText("chairman", "en", body="x"),
                                                      c.SetKpiValue("emp.total", 2025, KpiValue("number", Decimal(2500))),
                                                      RecomputeDerived((2025,))], "Edit"),
    RecomputeDerived: _changed_input,
    MarkTranslated: _untranslated,
    MarkReviewed: _in_review,
}


def test_every_command_has_a_case() -> None:
    missing = sorted(cls.__name__ for cls in concrete_commands() - set(CASES))
    assert missing == [], "add a case to CASES for each new command"


# -- what really changed, to check the reported changes against -------------------------------


def _renamed(changes: c.ChangeSet, kind: str) -> dict[str, str]:
    return {change.old: change.new for change in changes.ids if change.kind == kind}


def actual_changes(before: Project, after: Project, reported: c.ChangeSet) -> dict[str, set]:
    """The keys that differ between two states, with ids renamed as reported (a renamed id is the
    same thing under a new name)."""
    sections = _renamed(reported, "section")
    kpis = _renamed(reported, "kpi")
    tables = _renamed(reported, "table")
    assets = _renamed(reported, "asset")
    found: dict[str, set] = {key: set() for key in ("meta", "sections", "texts", "kpis", "kpi_values", "tables",
                                                     "statuses", "factors", "assets", "glossary", "links", "order")}
    for item in fields(before.meta):
        if item.name == "options":
            keys = before.meta.options.keys() | after.meta.options.keys()
            found["meta"] |= {f"option.{k}" for k in keys if before.meta.options.get(k) != after.meta.options.get(k)}
        elif getattr(before.meta, item.name) != getattr(after.meta, item.name):
            found["meta"].add(item.name)
    old_sections = {sections.get(s.id, s.id): s for s in before.sections}
    new_sections = {s.id: s for s in after.sections}
    for section_id in old_sections.keys() | new_sections.keys():
        old, new = old_sections.get(section_id), new_sections.get(section_id)
        if old is None or new is None or (sections.get(old.parent_id, old.parent_id), old.numbered, old.disclosures) != \
                (new.parent_id, new.numbered, new.disclosures):
            found["sections"].add(section_id)
        for lang in (old.texts.keys() if old else set()) | (new.texts.keys() if new else set()):
            if (old.texts.get(lang) if old else None) != (new.texts.get(lang) if new else None):
                found["texts"].add((section_id, lang))
    if [sections.get(s.id, s.id) for s in before.sections] != [s.id for s in after.sections]:
        found["order"].add("sections")
    definition = ("name", "unit", "group", "parent_id", "dimension", "precision", "codes", "boundary", "display_unit", "formula")
    old_kpis = {kpis.get(k, k): v for k, v in before.kpis.items()}
    for kpi_id in old_kpis.keys() | after.kpis.keys():
        old, new = old_kpis.get(kpi_id), after.kpis.get(kpi_id)
        if old is None or new is None or any(
                (kpis.get(getattr(old, f), getattr(old, f)) if f == "parent_id" else getattr(old, f)) != getattr(new, f)
                for f in definition if f != "formula") or (old.formula != new.formula and kpi_id not in kpis.values()):
            found["kpis"].add(kpi_id)
        for entity in {""} | (old.entity_values.keys() if old else set()) | (new.entity_values.keys() if new else set()):
            old_values = (old.values if not entity else old.entity_values.get(entity, {})) if old else {}
            new_values = (new.values if not entity else new.entity_values.get(entity, {})) if new else {}
            for year in old_values.keys() | new_values.keys():
                if old_values.get(year) != new_values.get(year) or kpi_id in kpis.values():
                    found["kpi_values"].add((kpi_id, year, entity))
    if [kpis.get(k, k) for k in before.kpis] != list(after.kpis):
        found["order"].add("kpis")
    old_tables = {tables.get(k, k): v for k, v in before.tables.items()}
    for table_id in old_tables.keys() | after.tables.keys():
        old, new = old_tables.get(table_id), after.tables.get(table_id)
        rows = [kpis.get(r, r) for r in old.rows] if old else None
        if old is None or new is None or (rows, old.years, old.title, old.notes, old.order, old.show_change, old.codes) != \
                (new.rows, new.years, new.title, new.notes, new.order, new.show_change, new.codes):
            found["tables"].add(table_id)
    if [tables.get(k, k) for k in before.tables] != list(after.tables):
        found["order"].add("tables")
    found["statuses"] = {k for k in before.statuses.keys() | after.statuses.keys() if before.statuses.get(k) != after.statuses.get(k)}
    found["factors"] = {k for k in before.factors.keys() | after.factors.keys() if before.factors.get(k) != after.factors.get(k)}
    old_assets = {assets.get(k, k): v.data for k, v in before.assets.items()}
    found["assets"] = {k for k in old_assets.keys() | after.assets.keys()
                       if old_assets.get(k) != (after.assets[k].data if k in after.assets else None)}
    if before.glossary != after.glossary:
        found["glossary"].add(True)

    def links(project: Project, rename: bool) -> dict[str, set[str]]:
        places: dict[str, set[str]] = {}
        for s in project.sections:
            for ref in s.disclosures:
                places.setdefault(ref, set()).add(f"s:{sections.get(s.id, s.id) if rename else s.id}")
        for k in project.kpis.values():
            for ref in k.codes:
                places.setdefault(ref, set()).add(f"k:{kpis.get(k.id, k.id) if rename else k.id}")
        for t in project.tables.values():
            for ref in t.codes:
                places.setdefault(ref, set()).add(f"t:{tables.get(t.id, t.id) if rename else t.id}")
        return places

    old_links, new_links = links(before, True), links(after, False)
    found["links"] = {ref for ref in old_links.keys() | new_links.keys() if old_links.get(ref) != new_links.get(ref)}
    return found


def assert_reported(changes: c.ChangeSet, found: dict[str, set]) -> None:
    assert found["meta"] <= changes.meta
    assert found["sections"] <= changes.sections
    assert found["texts"] <= changes.texts
    assert found["kpis"] <= changes.kpis
    assert found["kpi_values"] <= changes.kpi_values
    assert found["tables"] <= changes.tables
    assert found["statuses"] <= changes.statuses
    assert found["factors"] <= changes.factors
    assert found["assets"] <= changes.assets
    assert bool(found["glossary"]) <= changes.glossary
    assert found["links"] <= changes.links
    assert ("sections" in found["order"]) <= changes.structure
    assert ("kpis" in found["order"]) <= changes.kpi_order
    assert ("tables" in found["order"]) <= changes.table_order


def state(project: Project) -> tuple:
    """The project as equality sees it, plus the order of its registries (dicts compare equal in
    any order, but the order is what listings and the saved file show)."""
    return (copy.deepcopy(project), list(project.kpis), list(project.tables), list(project.assets),
            list(project.factors), list(project.statuses))


@pytest.fixture(scope="module")
def demo(demo_project: Project) -> Project:
    return copy.deepcopy(demo_project)  # never the shared fixture itself


@pytest.mark.parametrize("command_class", sorted(CASES, key=lambda cls: cls.__name__), ids=lambda cls: cls.__name__)
def test_execute_undo_redo_round_trip(command_class: type[c.Command], demo: Project) -> None:
    project = copy.deepcopy(demo)
    command = CASES[command_class](project)
    assert type(command) is command_class
    original, before = copy.deepcopy(project), state(project)
    stack = c.UndoStack(project)
    events: list[c.StackEvent] = []
    stack.subscribe(events.append)

    stack.execute(command)
    applied, after = copy.deepcopy(project), state(project)
    assert after != before, "the case must change something"
    assert validate(project) == [], "a command never leaves the project invalid"
    changes = command.changes()
    assert not changes.is_empty
    assert [(e.kind, e.command, e.changes) for e in events] == [("executed", command, changes)]
    assert_reported(changes, actual_changes(original, applied, changes))

    assert stack.undo() is command
    assert state(project) == before
    assert events[-1].kind == "undone" and events[-1].command is command and events[-1].changes == changes.inverted()
    assert_reported(events[-1].changes, actual_changes(applied, original, events[-1].changes))

    assert stack.redo() is command
    assert state(project) == after
    assert events[-1].kind == "redone" and events[-1].changes == changes
    assert len(events) == 3
    stack.undo()
    assert state(project) == before

"""Every change goes through a command that can be undone and redone, refuses bad values with a
typed error naming the field, and reports what it changed."""

from __future__ import annotations

import copy
import gc
import sys
import tracemalloc
from datetime import date
from decimal import Decimal

import pytest

from esg_author.core import commands as c
from esg_author.core.commands import (
    AddKpi,
    AddSection,
    CompositeCommand,
    MoveSection,
    PutAsset,
    RemoveSection,
    SetDisclosureStatus,
    SetKpiValue,
    SetReportMeta,
    SetSectionDisclosures,
    SetSectionText,
    UndoStack,
)
from esg_author.core.errors import InUseError, InvalidValueError, ModelError
from esg_author.core.i18n.translation_units import unit_status
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
from esg_author.core.storage import open_project, save_project


def order(project):
    return [(s.id, s.parent_id) for s in project.sections]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_edit_text_undo_redo(small_project):
    stack = UndoStack(small_project)
    stack.execute(SetSectionText("env", "en", body="New text"))
    assert small_project.section("env").text("en").body == "New text"
    assert small_project.section("env").text("en").title == "Environment"
    assert stack.undo_text == "Edit section text"
    stack.undo()
    assert small_project.section("env").text("en").body.startswith("Emissions fell.")
    stack.redo()
    assert small_project.section("env").text("en").body == "New text"


def test_add_move_remove_sections(small_project):
    stack = UndoStack(small_project)
    before = order(small_project)
    stack.execute(AddSection(Section("people", None, True, {"en": SectionText("People")}), index=1))
    assert order(small_project)[1] == ("people", None)
    stack.execute(AddSection(Section("training", "people")))
    assert small_project.section_numbers()["training"] == "1.1"
    stack.execute(MoveSection("env", "people", 0))
    assert [s.id for s, _ in small_project.walk("people")] == ["env", "env-data", "training"]
    stack.execute(RemoveSection("people"))
    assert [s.id for s in small_project.sections] == ["intro"]
    while stack.can_undo:
        stack.undo()
    assert order(small_project) == before


def test_invalid_commands_change_nothing(small_project):
    stack = UndoStack(small_project)
    before = order(small_project)
    with pytest.raises(ModelError):
        stack.execute(AddSection(Section("env")))  # duplicate id
    with pytest.raises(ModelError):
        stack.execute(AddSection(Section("x", "nowhere")))
    with pytest.raises(ModelError):
        stack.execute(MoveSection("env", "env-data"))  # into its own subtree
    with pytest.raises(ModelError):
        stack.execute(SetReportMeta("no_such_field", 1))
    assert order(small_project) == before
    assert not stack.can_undo


def test_kpi_value_history_follows_undo(small_project):
    stack = UndoStack(small_project)
    kpi = small_project.kpi("emp.total")
    stack.execute(SetKpiValue("emp.total", 2025, KpiValue("number", Decimal("130"))))
    assert kpi.values[2025].number == Decimal("130")
    assert kpi.history[-1].old.number == Decimal("120")
    stack.undo()
    assert kpi.values[2025].number == Decimal("120")
    assert kpi.history == []


def test_a_value_that_does_not_change_adds_no_history_and_no_step(small_project):
    stack = UndoStack(small_project)
    kpi = small_project.kpi("emp.total")
    stack.execute(SetKpiValue("emp.total", 2025, KpiValue("number", Decimal("120"))))  # what it already is
    stack.execute(SetKpiValue("emp.total", 2023, None))  # clearing a value that was never set
    stack.execute(SetKpiValue("emp.total", 2023, None, entity="HK"))
    assert kpi.history == [] and kpi.entity_values == {} and 2023 not in kpi.values
    assert not stack.can_undo and stack.is_clean


def test_composite_is_all_or_nothing(small_project):
    stack = UndoStack(small_project)
    new = Kpi("x", {"en": "X"}, "t")
    with pytest.raises(ModelError):
        stack.execute(CompositeCommand([AddKpi(new), AddKpi(new)], "Import"))
    assert "x" not in small_project.kpis
    stack.execute(CompositeCommand([AddKpi(new), SetKpiValue("x", 2025, KpiValue("number", Decimal(1)))], "Import"))
    assert small_project.kpi("x").values[2025].number == 1
    stack.undo()
    assert "x" not in small_project.kpis


def test_meta_links_status_assets(small_project):
    stack = UndoStack(small_project)
    stack.execute(SetReportMeta("languages", ["en"]))
    stack.execute(SetSectionDisclosures("env", ["hkex-esg-2020:A1.2", "hkex-esg-2020:A1.2"]))
    stack.execute(SetDisclosureStatus("hkex-esg-2020", "A1.1", DisclosureStatus(
        "hkex-esg-2020", "A1.1", "not_applicable", {"en": "No vehicles"})))
    stack.execute(PutAsset(Asset("a.png", "image/png", b"x")))
    assert small_project.meta.languages == ["en"]
    assert small_project.section("env").disclosures == ["hkex-esg-2020:A1.2"]
    assert small_project.statuses[("hkex-esg-2020", "A1.1")].status == "not_applicable"
    with pytest.raises(ModelError):
        stack.execute(SetDisclosureStatus("f", "c", DisclosureStatus("f", "c", "maybe")))
    for _ in range(4):
        stack.undo()
    assert small_project.meta.languages == ["zh-Hant", "zh-Hans", "en"]
    assert small_project.section("env").disclosures == ["hkex-esg-2020:A1.0"]
    assert small_project.statuses == {}
    assert small_project.assets == {}


def test_clean_state_tracks_saves(small_project):
    stack = UndoStack(small_project)
    events = []
    stack.subscribe(events.append)
    assert stack.is_clean
    stack.execute(SetSectionText("env", "en", body="a"))
    assert not stack.is_clean
    stack.mark_clean()
    assert stack.is_clean
    stack.undo()
    assert not stack.is_clean
    stack.redo()
    assert stack.is_clean
    stack.undo()
    stack.execute(SetSectionText("env", "en", body="b"))  # the saved state is gone for good
    assert not stack.is_clean
    assert [e.kind for e in events] == ["executed", "cleaned", "undone", "redone", "undone", "executed"]
    assert events[1].command is None and events[1].changes.is_empty
    assert events[2].changes.texts == {("env", "en")}


# -- bad values: a typed error that names the field, and the project unchanged -----------------

BAD = [
    ("year", lambda p: c.SetReportYear("2025年"), "year: '2025年' is not a year (4 digits)"),
    ("year", lambda p: SetReportMeta("year", "2025年"), "year: '2025年' is not a year (4 digits)"),
    ("year", lambda p: SetReportMeta("year", 1850), "between 1900 and 2200"),
    ("period_end", lambda p: c.SetReportingPeriod(date(2025, 1, 1), date(2024, 12, 31)), "is not after the start"),
    ("period_end", lambda p: SetReportMeta("period_end", date(2024, 12, 31)), "is not after the start"),
    ("period_start", lambda p: SetReportMeta("period_start", "2025-01-01"), "is not a date"),
    ("currency", lambda p: c.SetCurrency("Yuan"), "is not a currency code"),
    ("languages", lambda p: c.SetLanguages(["fr"]), "'fr' is not a report language"),
    ("languages", lambda p: c.SetLanguages([]), "at least one language"),
    ("languages", lambda p: SetReportMeta("languages", ["en", "en"]), "names a language twice"),
    ("frameworks", lambda p: c.SetFrameworks(["gri-1999"]), "no framework catalogue with this id is installed"),
    ("template", lambda p: c.SetTemplate("../x"), "'../x' is not a template name"),
    ("template", lambda p: SetReportMeta("template", "../x"), "'../x' is not a template name"),
    ("template", lambda p: c.SetTemplate("fancy"), "no template of this name is installed"),
    ("logo", lambda p: c.SetCoverImage("logo", "missing.png"), "is not one of the project's images"),
    ("company.fr", lambda p: c.SetReportText("company", "fr", "Exemple"), "is not a report language"),
    ("company.en", lambda p: c.SetReportText("company", "en", "Two\nlines"), "contains line breaks"),
    ("option.date_style", lambda p: c.SetOption("date_style", "roman"), "is not one of 'default', 'numerals'"),
    ("option.yoy_treshold", lambda p: c.SetOption("yoy_treshold", 30), "unknown option"),
    ("option.yoy_threshold", lambda p: c.SetOption("yoy_threshold", "thirty"), "percentage"),
    ("section[env].fr", lambda p: SetSectionText("env", "fr", body="x"), "'fr' is not a report language"),
    ("section[env].en.title", lambda p: c.SetSectionTitle("env", "en", "A\nB"), "contains line breaks"),
    ("section.id", lambda p: c.ChangeSectionId("env", "intro"), "is the id of another section"),
    ("section.id", lambda p: c.ChangeSectionId("env", "bad id"), "is not an id"),
    ("section[env].numbered", lambda p: c.SetSectionNumbered("env", "yes"), "is not true or false"),
    ("index", lambda p: AddSection(Section("x"), index=-1), "is not a row number"),
    ("kpi[ghg.total].unit", lambda p: c.SetKpiUnit("ghg.total", "furlong"), "'furlong' cannot be used: not a unit"),
    ("kpi[x].unit", lambda p: AddKpi(Kpi("x", {"en": "X"}, "furlong")), "'furlong' cannot be used"),
    ("kpi[ghg.total].display_unit", lambda p: c.SetKpiDisplayUnit("ghg.total", "MWh"), "measures energy"),
    ("kpi[ghg.total].parent_id", lambda p: c.SetKpiParent("ghg.total", "ghg.scope2"), "makes the KPI its own ancestor"),
    ("kpi[ghg.total].parent_id", lambda p: c.SetKpiParent("ghg.total", "nope"), "is not a KPI"),
    ("kpi[ghg.total].precision", lambda p: c.SetKpiPrecision("ghg.total", 7), "from 0 to 6"),
    ("kpi[x].precision", lambda p: AddKpi(Kpi("x", {"en": "X"}, "t", precision=7)), "from 0 to 6"),
    ("kpi[ghg.total].formula", lambda p: c.SetKpiFormula("ghg.total", "ghg.scope2 +"), "cannot be used"),
    ("kpi[x].formula", lambda p: AddKpi(Kpi("x", {"en": "X"}, "t", formula="sum(")), "cannot be used"),
    ("kpi[ghg.scope2].formula", lambda p: (setattr(p.kpis["ghg.total"], "formula", "ghg.scope2 * 1"),
                                           c.SetKpiFormula("ghg.scope2", "ghg.total * 1"))[1], "formulas form a cycle"),
    ("kpi[ghg.total].codes", lambda p: c.SetKpiCodes("ghg.total", ["hkex-esg-2020:Z9"]), "has no disclosure 'Z9'"),
    ("kpi[ghg.total].name.fr", lambda p: c.SetKpiName("ghg.total", "fr", "GES"), "is not a report language"),
    ("kpi.id", lambda p: c.ChangeKpiId("ghg.total", "emp.total"), "is the id of another KPI"),
    ("kpi.id", lambda p: (setattr(p.kpis["ghg.total"], "formula", "children(ghg.total)"), c.ChangeKpiId("ghg.total", "ghg-total"))[1],
     "cannot be used in formulas"),
    ("kpi.id", lambda p: AddKpi(Kpi("x..y", {"en": "X"}, "t")), "is not an id"),
    ("kpi[emp.total].values[2025].number", lambda p: SetKpiValue("emp.total", 2025, KpiValue("number", Decimal("NaN"))),
     "is not a finite number"),
    ("kpi[emp.total].values[2025].number", lambda p: SetKpiValue("emp.total", 2025, KpiValue("number", Decimal("-Infinity"))),
     "is not a finite number"),
    ("kpi[emp.total].year", lambda p: SetKpiValue("emp.total", 25, KpiValue("number", Decimal(1))), "is not a year"),
    ("kpi[emp.total].values[2025].reason.fr", lambda p: SetKpiValue("emp.total", 2025, KpiValue("not_applicable", reason={"fr": "x"})),
     "is in an unknown language"),
    ("kpi[emp.total].entity", lambda p: SetKpiValue("emp.total", 2025, KpiValue("number", Decimal(1)), " HK"), "entity name"),
    ("kpi[emp.total].year", lambda p: c.SetKpiNote("emp.total", 2019, "en", "x"), "has no value to annotate"),
    ("table[env].rows", lambda p: c.SetTableRows("env", ["ghg.total", "nope"]), "'nope' is not a KPI"),
    ("table[env].rows", lambda p: c.SetTableRows("env", ["ghg.total", "ghg.total"]), "lists a KPI twice"),
    ("table[env].years", lambda p: c.SetTableYears("env", [2025, 1066]), "is not a year"),
    ("table[env].order", lambda p: c.SetTableOrder("env", "newest"), "is not one of ascending, descending"),
    ("table[t2].rows", lambda p: c.AddKpiTable(KpiTable("t2", {"en": "T"}, ["nope"], [2025])), "is not a KPI"),
    ("table.id", lambda p: c.ChangeTableId("env", "bad id"), "is not an id"),
    ("section[env].disclosures", lambda p: SetSectionDisclosures("env", ["nope"]), "is not a disclosure reference"),
    ("section[env].disclosures", lambda p: SetSectionDisclosures("env", ["gri-1999:1"]), "cannot be used"),
    ("status[gri-2021:305-1].omission_reason", lambda p: SetDisclosureStatus("gri-2021", "305-1", DisclosureStatus(
        "gri-2021", "305-1", "omitted", omission_reason="lazy")), "is not one of not_applicable"),
    ("factor[own].value", lambda p: c.PutEmissionFactor(EmissionFactor("own", Decimal("NaN"), "tCO2e/MWh", {}, 2024)),
     "is not a finite number"),
    ("factor[own].unit", lambda p: c.PutEmissionFactor(EmissionFactor("own", Decimal(1), "tCO2e/wombat", {}, 2024)), "cannot be used"),
    ("asset[../a.png]", lambda p: PutAsset(Asset("../a.png", "image/png", b"")), "cannot be an image name"),
    ("asset", lambda p: c.RenameAsset("missing.png", "b.png"), "is not one of the project's images"),
    ("glossary[0].forms.fr", lambda p: c.PutGlossaryTerm(GlossaryTerm({"fr": "partie prenante"})), "is in an unknown language"),
    ("glossary", lambda p: c.RemoveGlossaryTerm("nothing"), "is not a form of any glossary term"),
]


@pytest.mark.parametrize("field, make, message", BAD, ids=[f"{f}-{i}" for i, (f, _m, _t) in enumerate(BAD)])
def test_bad_values_are_refused_naming_the_field_and_change_nothing(small_project, field, make, message):
    command = make(small_project)
    before = copy.deepcopy(small_project)
    stack = UndoStack(small_project)
    events = []
    stack.subscribe(events.append)
    with pytest.raises(InvalidValueError) as info:
        stack.execute(command)
    assert info.value.field == field
    assert message in str(info.value)
    assert str(info.value).startswith(f"{field}: ")
    assert small_project == before
    assert not stack.can_undo and events == []


def test_a_file_saved_after_commands_always_opens_again(small_project, tmp_path):
    """What the review found: year "2025年" saved, then the file no longer opened."""
    stack = UndoStack(small_project)
    for command in (c.SetReportYear("2025年"), c.SetLanguages(["fr"]), c.SetTemplate("../x"),
                    SetReportMeta("period_start", "2025-01-01")):
        with pytest.raises(InvalidValueError):
            stack.execute(command)
    stack.execute(c.SetReportYear(2026))
    stack.execute(c.SetReportingPeriod(date(2026, 1, 1), date(2026, 12, 31)))
    path = tmp_path / "p.esgproj"
    save_project(small_project, path)
    assert open_project(path).meta.year == 2026


# -- removals and id changes -----------------------------------------------------------------


def test_removing_what_definitions_use_is_refused_with_every_use(small_project):
    stack = UndoStack(small_project)
    small_project.kpis["ghg.intensity"] = Kpi("ghg.intensity", {"en": "Intensity"}, "tCO2e_per_person", formula="ghg.total / emp.total")
    with pytest.raises(InUseError) as info:
        stack.execute(c.RemoveKpi("ghg.total"))
    assert info.value.uses == ["table env", "breakdown ghg.scope2", "formula of ghg.intensity"]
    stack.execute(c.SetTableRows("env", ["ghg.scope2", "emp.total"]))
    stack.execute(c.SetKpiParent("ghg.scope2", None))
    stack.execute(c.SetKpiFormula("ghg.intensity", ""))
    stack.execute(c.RemoveKpi("ghg.total"))  # [[kpi:…]] in text would not block: check reports it
    assert "ghg.total" not in small_project.kpis and validate(small_project) == []
    stack.undo()
    assert list(small_project.kpis) == ["emp.total", "ghg.total", "ghg.scope2", "ghg.intensity"]

    stack.execute(PutAsset(Asset("logo.png", "image/png", b"x")))
    stack.execute(c.SetCoverImage("logo", "logo.png"))
    with pytest.raises(InUseError, match=r"image logo\.png is used by logo"):
        stack.execute(c.RemoveAsset("logo.png"))

    small_project.factors["own"] = EmissionFactor("own", Decimal("0.5"), "tCO2e/MWh", {"en": "bill"}, 2024)
    small_project.kpis["elec"] = Kpi("elec", {"en": "Electricity"}, "MWh")
    small_project.kpis["ghg.scope2"].formula = "elec * factor(own)"
    with pytest.raises(InUseError, match=r"formula of ghg\.scope2"):
        stack.execute(c.RemoveEmissionFactor("own"))
    small_project.factors["cn_grid_2022"] = EmissionFactor("cn_grid_2022", Decimal("0.6"), "tCO2e/MWh", {"en": "own"}, 2024)
    small_project.kpis["ghg.scope2"].formula = "elec * factor(cn_grid_2022)"
    stack.execute(c.RemoveEmissionFactor("cn_grid_2022"))  # the built-in factor of that id takes its place again


def test_formulas_may_name_what_comes_later_but_must_parse_and_form_no_cycle(small_project):
    """KPIs are added one by one, a total before its breakdowns; check reports what is still missing."""
    stack = UndoStack(small_project)
    stack.execute(AddKpi(Kpi("energy", {"en": "Energy"}, "MWh", formula="children(energy)")))
    stack.execute(AddKpi(Kpi("energy.grid", {"en": "Grid"}, "MWh", parent_id="energy")))
    stack.execute(c.SetKpiFormula("ghg.total", "energy * 2"))  # units disagree: reported by check, skipped by recompute
    with pytest.raises(InvalidValueError, match="formulas form a cycle"):
        stack.execute(c.SetKpiFormula("energy.grid", "energy / 2"))
    with pytest.raises(InvalidValueError, match="unexpected character"):
        stack.execute(c.SetKpiFormula("energy.grid", "energy # 2"))
    assert stack.undo_count == 3


def test_changing_a_kpi_id_rewrites_every_use(small_project):
    project = small_project
    project.kpis["ghg.intensity"] = Kpi("ghg.intensity", {"en": "I"}, "tCO2e_per_person", formula="ghg.total / emp.total + prev(emp.total) * 0")
    project.kpis["emp.f"] = Kpi("emp.f", {"en": "F"}, "person", parent_id="emp.total", dimension="gender")
    stack = UndoStack(project)
    stack.execute(SetKpiValue("emp.total", 2025, KpiValue("number", Decimal(130))))
    before = copy.deepcopy(project)
    text_before = project.section("intro").texts["en"].body
    stack.execute(c.ChangeKpiId("emp.total", "staff.total"))
    assert "staff.total" in project.kpis and "emp.total" not in project.kpis
    assert project.kpis["ghg.intensity"].formula == "ghg.total / staff.total + prev(staff.total) * 0"
    assert project.tables["env"].rows[-1] == "staff.total"
    assert project.kpis["emp.f"].parent_id == "staff.total"
    assert {entry.kpi_id for entry in project.kpis["staff.total"].history} == {"staff.total"}
    assert project.section("intro").texts["en"].body == text_before.replace("[[kpi:emp.total]]", "[[kpi:staff.total]]")
    assert list(project.kpis).index("staff.total") == 0  # keeps its place
    changes = stack._done[-1].changes()
    assert changes.ids == (c.IdChange("kpi", "emp.total", "staff.total"),)
    assert {("intro", "en"), ("intro", "zh-Hant"), ("intro", "zh-Hans")} <= changes.texts
    stack.undo()
    assert project == before


def test_an_id_change_keeps_translations_up_to_date(demo_project):
    project = copy.deepcopy(demo_project)
    referring = [s.id for s in project.sections if "[[ref:climate]]" in s.texts["zh-Hant"].body]
    assert referring
    assert unit_status(project, referring[0], "en").state == "up_to_date"
    UndoStack(project).execute(c.ChangeSectionId("climate", "climate-action"))
    assert "[[ref:climate-action]]" in project.section(referring[0]).texts["zh-Hant"].body
    assert unit_status(project, referring[0], "en").state == "up_to_date"  # not stale: every language changed alike


def test_renaming_an_asset_follows_in_text_and_cover(demo_project):
    project = copy.deepcopy(demo_project)
    stack = UndoStack(project)
    stack.execute(c.RenameAsset("logo.svg", "mark.svg"))
    stack.execute(c.RenameAsset("materiality-matrix.en.svg", "matrix.en.svg"))
    assert project.meta.logo == "mark.svg" and "mark.svg" in project.assets and "logo.svg" not in project.assets
    assert "asset:matrix.en.svg" in project.section("materiality").texts["en"].body
    assert list(project.assets).index("matrix.en.svg") == 5
    stack.undo()
    stack.undo()
    assert project == demo_project


# -- events and tree moves -------------------------------------------------------------------


class TreeMirror:
    """What a Qt tree model does: keep its own rows, and change them only from TreeMove steps
    (where beginInsertRows / beginRemoveRows / beginMoveRows would be called)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.rows = self._read(project)
        self.calls: list[tuple] = []

    @staticmethod
    def _read(project: Project) -> dict[str | None, list[str]]:
        rows: dict[str | None, list[str]] = {None: []}
        for section in project.sections:
            rows.setdefault(section.parent_id, []).append(section.id)
            rows.setdefault(section.id, [])
        return rows

    def __call__(self, event: c.StackEvent) -> None:
        for move in event.changes.tree:
            if move.kind in ("remove", "move"):
                assert self.rows[move.old_parent][move.old_row] == move.section_id
                self.rows[move.old_parent].pop(move.old_row)
            if move.kind in ("insert", "move"):
                self.rows[move.new_parent].insert(move.new_row, move.section_id)
            if move.kind == "insert":
                self.rows[move.section_id] = []
                for section_id, parent_id in move.subtree:  # came back with it (undo of a removal)
                    self.rows[parent_id].append(section_id)
                    self.rows[section_id] = []
            self.calls.append((move.kind, move.section_id))
        for change in event.changes.ids:
            if change.kind == "section":
                for children in self.rows.values():
                    children[:] = [change.new if i == change.old else i for i in children]
                self.rows[change.new] = self.rows.pop(change.old)
        assert self._outline(self.rows) == self._outline(self._read(self.project))

    @staticmethod
    def _outline(rows: dict[str | None, list[str]]) -> list[tuple[str, int]]:
        """The tree as the outline shows it: ids in reading order with their depth (rows of a
        removed subtree, no longer reachable, do not count)."""
        shown: list[tuple[str, int]] = []
        todo = [(child, 0) for child in reversed(rows[None])]
        while todo:
            section_id, depth = todo.pop()
            shown.append((section_id, depth))
            todo += [(child, depth + 1) for child in reversed(rows.get(section_id, []))]
        return shown


def test_a_tree_model_follows_every_step_without_a_reset(demo_project):
    project = copy.deepcopy(demo_project)
    stack = UndoStack(project)
    mirror = TreeMirror(project)
    stack.subscribe(mirror)
    steps = [
        AddSection(Section("new", "about", True, {"en": SectionText("New")}), index=1),
        MoveSection("new", "about", 0), MoveSection("new", "about", 3), MoveSection("about-scope", None, 2),
        MoveSection("governance", "about"), RemoveSection("about"), c.ChangeSectionId("climate", "climate-action"),
        CompositeCommand([AddSection(Section("a")), AddSection(Section("a1", "a")), MoveSection("a", "people", 0)]),
    ]
    for step in steps:
        stack.execute(step)
    while stack.can_undo:
        stack.undo()
    while stack.can_redo:
        stack.redo()
    assert ("remove", "about") in mirror.calls and ("insert", "about") in mirror.calls
    assert len(mirror.calls) == 3 * 9  # 9 tree steps, each seen on execute, undo and redo


def test_listeners_hear_kind_command_and_changes(small_project):
    stack = UndoStack(small_project)
    events = []
    stack.subscribe(events.append)
    command = c.CompositeCommand([SetSectionText("env", "en", body="x"), SetKpiValue("emp.total", 2025, KpiValue("number", Decimal(1))),
                                  c.SetOption("date_style", "numerals")], "Edit")
    stack.execute(command)
    (event,) = events
    assert (event.kind, event.command) == (c.StackEventKind.EXECUTED, command)
    assert event.changes.texts == {("env", "en")} and event.changes.kpi_values == {("emp.total", 2025, "")}
    assert event.changes.meta == {"options", "option.date_style"}
    stack.unsubscribe(events.append)
    stack.undo()
    assert len(events) == 1


# -- merging -----------------------------------------------------------------------------------


def _type(stack: UndoStack, clock: Clock, section_id: str, lang: str, text: str, position: int, typed: str,
          seconds_per_key: float = 0.1) -> str:
    for index, char in enumerate(typed):
        clock.now += seconds_per_key
        text = text[:position + index] + char + text[position + index:]
        stack.execute(SetSectionText(section_id, lang, body=text))
    return text


def _longest_body(project: Project, lang: str) -> tuple[str, str]:
    section = max(project.sections, key=lambda s: len(s.text(lang).body))
    return section.id, section.text(lang).body


@pytest.mark.parametrize("lang, words", [("en", "The Group cut its emissions again this year. "), ("zh-Hant", "本集團今年再次減少排放，推動綠色營運。")])
def test_typing_2000_characters_is_a_handful_of_steps_in_little_memory(demo_project, lang, words):
    project = copy.deepcopy(demo_project)
    section_id, body = _longest_body(project, lang)
    typed = (words * 200)[:1996]
    typed = typed[:700] + "\n\n" + typed[700:1400] + "\n\n" + typed[1400:]  # two new paragraphs
    clock = Clock()
    stack = UndoStack(project, clock=clock)
    kinds: list[str] = []
    stack.subscribe(lambda event: kinds.append(event.kind))
    gc.collect()
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    final = _type(stack, clock, section_id, lang, body, len(body) // 2, typed)
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    assert project.section(section_id).texts[lang].body == final and len(final) == len(body) + 2000
    history = grown - sys.getsizeof(final)  # the project itself holds the new body once
    print(f"{lang}: body {len(body)} chars, {stack.undo_count} steps, history {history} bytes")
    assert 3 <= stack.undo_count <= 20
    assert history < 100_000
    assert kinds.count("executed") == stack.undo_count and kinds.count("merged") == 2000 - stack.undo_count
    while stack.can_undo:
        stack.undo()
    assert project.section(section_id).texts[lang].body == body
    while stack.can_redo:
        stack.redo()
    assert project.section(section_id).texts[lang].body == final


def test_typing_steps_end_at_pauses_saves_deletes_and_elsewhere(small_project):
    clock = Clock()
    stack = UndoStack(small_project, clock=clock)
    text = small_project.section("env").texts["en"].body
    text = _type(stack, clock, "env", "en", text, 0, "Hello ")
    assert stack.undo_count == 1
    clock.now += 5  # a pause
    text = _type(stack, clock, "env", "en", text, 6, "world")
    assert stack.undo_count == 2
    stack.mark_clean()  # a save: the step that was saved takes no more typing
    text = _type(stack, clock, "env", "en", text, 11, "!")
    assert stack.undo_count == 3
    clock.now += 0.1
    text = text[:11] + text[12:]  # Backspace: deleting is a step of its own
    stack.execute(SetSectionText("env", "en", body=text))
    clock.now += 0.1
    text = text[:10] + text[11:]
    stack.execute(SetSectionText("env", "en", body=text))
    assert stack.undo_count == 4
    text = _type(stack, clock, "env", "en", text, len(text), " end")  # typing somewhere else
    assert stack.undo_count == 5
    clock.now += 0.1
    stack.execute(SetSectionText("env", "en", body=text.replace("Hello", "Howdy")))  # a replace
    assert stack.undo_count == 6
    stack.undo()
    stack.undo()
    assert small_project.section("env").texts["en"].body == "Hello worl" + small_project.section("env").texts["en"].body[10:]
    stack.undo()
    stack.undo()
    assert stack.is_clean  # back to the saved text, not half of it


def test_a_long_run_of_typing_breaks_only_between_words(small_project):
    clock = Clock()
    stack = UndoStack(small_project, clock=clock)
    start = small_project.section("env").texts["en"].body
    typed = "abcdefghijklmnopqrstuvwxyz" * 10 + " tail"  # one 260-letter word, 0.1 s a key: 26 s
    _type(stack, clock, "env", "en", start, 0, typed)
    assert stack.undo_count == 2
    stack.undo()
    assert small_project.section("env").texts["en"].body == typed[:260] + start  # the word stays whole


def test_kpi_cell_edits_merge_into_one_step_and_one_history_entry(small_project):
    clock = Clock()
    stack = UndoStack(small_project, clock=clock)
    kpi = small_project.kpi("emp.total")
    for number in ("1", "13", "130"):
        clock.now += 0.3
        stack.execute(SetKpiValue("emp.total", 2025, KpiValue("number", Decimal(number))))
    assert stack.undo_count == 1 and len(kpi.history) == 1
    assert (kpi.history[0].old.number, kpi.history[0].new.number) == (Decimal(120), Decimal(130))
    stack.undo()
    assert kpi.values[2025].number == 120 and kpi.history == []
    stack.redo()
    assert kpi.values[2025].number == 130 and len(kpi.history) == 1
    for number in ("12", "120"):  # typed back to where it began: nothing is left to undo
        clock.now += 0.3
        stack.execute(SetKpiValue("emp.total", 2024, KpiValue("number", Decimal(number))))
    clock.now += 0.3
    stack.execute(SetKpiValue("emp.total", 2024, KpiValue("number", Decimal(100))))
    assert stack.undo_count == 1 and len(kpi.history) == 1 and kpi.values[2024].number == 100


def test_validation_after_every_command_of_a_session(demo_project):
    """A long mixed session never leaves the project invalid, and undoing all of it restores it."""
    project = copy.deepcopy(demo_project)
    stack = UndoStack(project)
    session = [
        c.AddKpi(Kpi("ghg.removals", {"en": "Removals"}, "tCO2e", "emissions", parent_id="ghg.total", dimension="removal")),
        c.SetKpiFormula("ghg.removals", "ghg.scope1 * 0.1"), c.ChangeKpiId("ghg.removals", "ghg.offsets"),
        c.SetTableRows("env-emissions", [*project.tables["env-emissions"].rows, "ghg.offsets"]),
        c.ChangeTableId("env-emissions", "emissions"), c.SetKpiValue("ghg.scope1", 2025, KpiValue("number", Decimal(10))),
        c.SetOption("yoy_threshold", "25%"), c.SetReportText("title", "en", "ESG Report"), c.MoveKpi("ghg.offsets", 0),
    ]
    for command in session:
        stack.execute(command)
        assert validate(project) == []
    while stack.can_undo:
        stack.undo()
    assert project == demo_project

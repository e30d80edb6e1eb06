"""Every change goes through a command that can be undone and redone."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
from esg_author.core.errors import ModelError
from esg_author.core.model import Asset, DisclosureStatus, Kpi, KpiValue, Section, SectionText


def order(project):
    return [(s.id, s.parent_id) for s in project.sections]


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
    stack.execute(SetKpiValue("emp.total", 2023, None))  # clearing a value that was never set
    assert 2023 not in kpi.values


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
    assert len(events) == 6

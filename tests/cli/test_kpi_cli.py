"""esg-author kpi list / recompute."""

from __future__ import annotations

import json
from decimal import Decimal

from esg_author.cli import main
from esg_author.core.model import KpiValue
from esg_author.core.storage import open_project, save_project


def test_list_prints_the_registry(demo_path, capsys):
    assert main(["kpi", "list", str(demo_path), "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "ghg.intensity  GHG emission intensity (Scope 1 and 2)" in out
    assert "= ghg.total / emp.total" in out and "2025: 0.89  [number; typed: bundled demo data]" in out
    assert "2024:" not in out


def test_list_json_has_everything(demo_path, capsys):
    assert main(["kpi", "list", str(demo_path), "--json"]) == 0
    data = {kpi["id"]: kpi for kpi in json.loads(capsys.readouterr().out)}
    scope2 = data["ghg.scope2"]
    assert scope2["parent"] == "ghg.total" and scope2["unit"] == "tCO2e" and scope2["group"] == "emissions"
    assert "factor(cn_grid_2022)" in scope2["formula"]
    assert scope2["values"]["2025"]["number"] == "2224.88"
    assert scope2["values"]["2025"]["provenance"]["source"] == "typed"
    assert set(scope2["values"]) == {"2023", "2024", "2025"} and scope2["name"]["zh-Hant"]


def test_recompute_dry_run_then_apply(small_project_path, capsys):
    project = open_project(small_project_path)
    project.kpis["ghg.total"].formula = "ghg.scope2 * 2"
    project.kpis["ghg.total"].values[2024] = KpiValue("number", Decimal("1"))
    save_project(project, small_project_path)

    # 2024 is a prior (published) year: the default recomputes only the report year, 2025.
    assert main(["kpi", "recompute", str(small_project_path), "--dry-run"]) == 0
    assert "ghg.total 2024" not in capsys.readouterr().out
    assert main(["kpi", "recompute", str(small_project_path), "--dry-run", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "ghg.total 2024: 1 → 21.00 tCO2e" in out and "RESTATES" in out and "nothing was changed" in out
    assert open_project(small_project_path).kpis["ghg.total"].values[2024].number == 1

    assert main(["kpi", "recompute", str(small_project_path), "--all-years"]) == 0
    value = open_project(small_project_path).kpis["ghg.total"].values[2024]
    assert value.number == Decimal("21.00") and value.provenance.source == "derived"
    assert value.provenance.detail == "ghg.scope2 * 2"


def test_recompute_reports_a_broken_formula_in_one_line(small_project_path, capsys):
    project = open_project(small_project_path)
    project.kpis["ghg.total"].formula = "emp.total + ghg.scope2"
    save_project(project, small_project_path)
    assert main(["kpi", "recompute", str(small_project_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("esg-author: error: KPI ghg.total: cannot add emp.total") and err.count("\n") == 1


def test_note_clears_the_year_on_year_warning(small_project_path, capsys):
    from esg_author.core.checks.kpi_rules import check_project

    project = open_project(small_project_path)
    project.kpis["emp.total"].values[2025] = KpiValue("number", Decimal("200"))  # +100 % on 2024
    save_project(project, small_project_path)
    assert [f for f in check_project(open_project(small_project_path)) if f.rule == "kpi.yoy"]
    assert main(["kpi", "note", str(small_project_path), "emp.total", "2025",
                 "--lang", "en", "Two acquisitions.", "--lang", "zh-Hant", "兩項收購。"]) == 0
    assert "still missing in zh-Hans" in capsys.readouterr().out
    value = open_project(small_project_path).kpis["emp.total"].values[2025]
    assert value.note == {"en": "Two acquisitions.", "zh-Hant": "兩項收購。"} and value.number == 200
    assert not [f for f in check_project(open_project(small_project_path)) if f.rule == "kpi.yoy"]
    assert main(["kpi", "note", str(small_project_path), "emp.total", "2019", "--lang", "en", "x"]) == 1


def _foreign_lock(project_path):
    from esg_author.core.storage.lock import lock_path_for

    lock = lock_path_for(project_path)
    lock.write_text('{"user": "amy", "host": "other-pc", "pid": 4242}', encoding="utf-8")
    return lock


def test_note_and_recompute_break_a_lock_left_behind_only_when_asked(small_project_path, capsys):
    project = open_project(small_project_path)
    project.kpis["ghg.total"].formula = "ghg.scope2 * 2"
    project.kpis["ghg.total"].values[2024] = KpiValue("number", Decimal("1"))
    save_project(project, small_project_path)
    lock = _foreign_lock(small_project_path)
    note = ["kpi", "note", str(small_project_path), "emp.total", "2025", "--lang", "en", "Two acquisitions."]
    recompute = ["kpi", "recompute", str(small_project_path), "--year", "2024"]
    assert main(note) == 1 and main(recompute) == 1
    assert capsys.readouterr().err.count("open elsewhere (amy") == 2
    assert main([*recompute, "--dry-run"]) == 0  # a dry run needs no lock
    assert main([*note, "--break-lock"]) == 0 and not lock.exists()
    _foreign_lock(small_project_path)
    assert main([*recompute, "--break-lock"]) == 0 and not lock.exists()
    project = open_project(small_project_path)
    assert project.kpis["emp.total"].values[2025].note == {"en": "Two acquisitions."}
    assert project.kpis["ghg.total"].values[2024].number == Decimal("21.00")


def test_editing_project_saves_only_a_changed_project_and_always_releases(small_project_path):
    import pytest

    from esg_author.cli.common import editing_project
    from esg_author.core.commands import SetKpiValue
    from esg_author.core.storage.lock import lock_path_for

    before = small_project_path.read_bytes()
    with editing_project(small_project_path) as edit:
        assert lock_path_for(small_project_path).exists()
        edit.project.kpis["emp.total"].values[2025] = KpiValue("number", Decimal("1"))  # not marked changed
    assert small_project_path.read_bytes() == before and not lock_path_for(small_project_path).exists()
    with pytest.raises(RuntimeError), editing_project(small_project_path) as edit:
        edit.apply(SetKpiValue("emp.total", 2025, KpiValue("number", Decimal("2"))))
        raise RuntimeError("interrupted")
    assert small_project_path.read_bytes() == before and not lock_path_for(small_project_path).exists()
    with editing_project(small_project_path, dry_run=True) as edit:
        assert not lock_path_for(small_project_path).exists()
        edit.apply(SetKpiValue("emp.total", 2025, KpiValue("number", Decimal("3"))))
    assert small_project_path.read_bytes() == before
    with editing_project(small_project_path) as edit:
        edit.apply(SetKpiValue("emp.total", 2025, KpiValue("number", Decimal("4"))))
    assert open_project(small_project_path).kpis["emp.total"].values[2025].number == 4


def test_list_shows_scores_as_the_workbook_writes_them(small_project_path, capsys):
    project = open_project(small_project_path)
    project.kpis["emp.total"].values[2025] = KpiValue("score", Decimal("4.5"), Decimal("5"))
    save_project(project, small_project_path)
    assert main(["kpi", "list", str(small_project_path), "--year", "2025"]) == 0
    assert "2025: 4.5/5  [score;" in capsys.readouterr().out

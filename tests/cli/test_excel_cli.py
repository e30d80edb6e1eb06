"""`esg-author excel export|import|consolidate` as a user meets them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from esg_author.cli import main
from esg_author.core.storage import open_project
from esg_author.core.storage.lock import lock_path_for


def set_input(path: Path, kpi_id: str, value: object, notes: str | None = None) -> str:
    """Type a value into the yellow column of the KPI's row; returns sheet!cell."""
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, 1).value == kpi_id and sheet.cell(1, 7).value and "fill in" in str(sheet.cell(1, 7).value):
                sheet.cell(row, 7).value = value
                if notes is not None:
                    sheet.cell(row, 8).value = notes
                workbook.save(path)
                return f"{sheet.title}!G{row}"
    raise AssertionError(kpi_id)


@pytest.fixture
def exported(small_project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "collect.xlsx"
    assert main(["excel", "export", str(small_project_path), str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    return out


def test_export_refuses_to_overwrite_and_bad_names(small_project_path: Path, exported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["excel", "export", str(small_project_path), str(exported)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["excel", "export", str(small_project_path), str(exported.with_suffix(".xls"))]) == 1
    assert "must end in .xlsx" in capsys.readouterr().err
    assert main(["excel", "export", str(small_project_path), str(exported), "--force", "--years", "2024,2025"]) == 0
    assert main(["excel", "export", str(small_project_path), str(exported), "--force", "--by", "owner"]) == 1
    assert "no data owner" in capsys.readouterr().err


def test_dry_run_then_import(small_project_path: Path, exported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = set_input(exported, "emp.total", "1,234")
    before = small_project_path.read_bytes()
    assert main(["excel", "import", str(small_project_path), str(exported), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"{where}  emp.total 2025: 120 → 1234 persons" in out
    assert "dry run: 1 values would change (2025)" in out and "nothing was changed" in out
    assert small_project_path.read_bytes() == before

    assert main(["excel", "import", str(small_project_path), str(exported)]) == 0
    assert "imported 1 values (2025) and 0 new KPIs from collect.xlsx" in capsys.readouterr().out
    value = open_project(small_project_path).kpis["emp.total"].values[2025]
    assert value.number == Decimal("1234") and value.provenance.detail == f"collect.xlsx · {where}"
    assert not lock_path_for(small_project_path).exists()


def test_failed_import_leaves_the_project_file_identical(small_project_path: Path, exported: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    set_input(exported, "emp.total", "1,234")
    where = set_input(exported, "ghg.total", "lots")
    before = small_project_path.read_bytes()
    assert main(["excel", "import", str(small_project_path), str(exported)]) == 1
    err = capsys.readouterr().err
    assert f"collect.xlsx: {where}: ghg.total: 'lots' is not a number" in err
    assert "nothing was imported: 1 problem in the workbook" in err
    assert small_project_path.read_bytes() == before


def test_corrupt_file_is_one_line_error(small_project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\x00garbage" * 1000)
    before = small_project_path.read_bytes()
    assert main(["excel", "import", str(small_project_path), str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"esg-author: error: {bad}: not an Excel .xlsx workbook (the file is not a zip archive)"
    assert small_project_path.read_bytes() == before


def test_entities_then_consolidate(small_project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for entity, employees in (("Shenzhen", "70"), ("Hong Kong", "55")):
        path = tmp_path / f"{entity}.xlsx"
        assert main(["excel", "export", str(small_project_path), str(path), "--entity", entity]) == 0
        set_input(path, "emp.total", employees)
        assert main(["excel", "import", str(small_project_path), str(path)]) == 0
        assert f"for entity {entity}" in capsys.readouterr().out
    project = open_project(small_project_path)
    assert project.kpis["emp.total"].entity_values["Hong Kong"][2025].number == 55

    before = small_project_path.read_bytes()
    assert main(["excel", "consolidate", str(small_project_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "emp.total 2025: 120 → 125 = sum of Hong Kong, Shenzhen" in out and "nothing was changed" in out
    assert small_project_path.read_bytes() == before

    assert main(["excel", "consolidate", str(small_project_path), "--year", "2025"]) == 0
    assert "consolidated 1 group values for 2025 from 2 entities" in capsys.readouterr().out
    value = open_project(small_project_path).kpis["emp.total"].values[2025]
    assert value.number == 125 and value.provenance.source == "derived"


def test_consolidate_without_entities(small_project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["excel", "consolidate", str(small_project_path)]) == 0
    assert "nothing to consolidate" in capsys.readouterr().out


def _foreign_lock(project_path: Path) -> Path:
    """A lock left behind by a session on another computer (it never goes stale by itself)."""
    lock = lock_path_for(project_path)
    lock.write_text('{"user": "amy", "host": "other-pc", "pid": 4242, "since": "2026-01-05T09:00:00+00:00"}',
                    encoding="utf-8")
    return lock


def test_break_lock_takes_over_a_lock_left_behind(small_project_path: Path, exported: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    set_input(exported, "emp.total", "130")
    lock = _foreign_lock(small_project_path)
    before = small_project_path.read_bytes()
    for command in (["excel", "import", str(small_project_path), str(exported)],
                    ["excel", "consolidate", str(small_project_path)]):
        assert main(command) == 1
        assert "open elsewhere (amy" in capsys.readouterr().err
    assert small_project_path.read_bytes() == before and lock.exists()
    # a dry run takes no lock, so it works while the project is open elsewhere
    assert main(["excel", "import", str(small_project_path), str(exported), "--dry-run"]) == 0
    assert main(["excel", "import", str(small_project_path), str(exported), "--break-lock"]) == 0
    assert open_project(small_project_path).kpis["emp.total"].values[2025].number == 130
    assert not lock.exists()  # released after the save
    _foreign_lock(small_project_path)
    assert main(["excel", "consolidate", str(small_project_path), "--break-lock"]) == 0
    assert not lock.exists()


def test_consolidate_recomputes_the_derived_kpis(small_project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from esg_author.core.checks.kpi_rules import check_project
    from esg_author.core.model import Kpi, KpiValue
    from esg_author.core.storage import save_project

    project = open_project(small_project_path)
    project.kpis["ghg.intensity"] = Kpi("ghg.intensity", {"en": "GHG intensity"}, "tCO2e_per_person", "emissions",
                                        precision=4, formula="ghg.total / emp.total",
                                        values={2025: KpiValue("number", Decimal("0.0771"))})  # 9.25 / 120
    for name, (ghg, employees) in {"Hong Kong": ("4", "50"), "Shenzhen": ("6", "75")}.items():
        project.kpis["ghg.total"].entity_values[name] = {2025: KpiValue("number", Decimal(ghg))}
        project.kpis["emp.total"].entity_values[name] = {2025: KpiValue("number", Decimal(employees))}
    save_project(project, small_project_path)
    assert main(["excel", "consolidate", str(small_project_path)]) == 0
    assert "consolidated 2 group values for 2025" in capsys.readouterr().out
    project = open_project(small_project_path)
    assert project.kpis["ghg.total"].values[2025].number == 10 and project.kpis["emp.total"].values[2025].number == 125
    assert project.kpis["ghg.intensity"].values[2025].number == Decimal("0.0800")  # was left at 0.0771
    assert not [f for f in check_project(project) if getattr(f.target, "kpi_id", "") == "ghg.intensity"]

"""Excel data-collection workbook: export, fill in like a colleague would, import back.

Workbooks are filled with openpyxl the way people fill them in Excel: numbers as text, percent
strings, full-width digits, blanks, formulas. Hostile files (corrupt bytes, an XML bomb, a zip
bomb) are built by hand.
"""

from __future__ import annotations

import copy
import io
import os
import re
import time
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from esg_author.core.commands import CompositeCommand, UndoStack
from esg_author.core.data import workbook_import, xlsx_reader
from esg_author.core.data.consolidation import consolidate, is_additive_unit
from esg_author.core.data.workbook_export import (
    CALCULATED_NOTE,
    DEFINITIONS_SHEET,
    FONT_NAME,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    UNITS_SHEET,
    export_workbook,
)
from esg_author.core.data.workbook_import import import_workbook
from esg_author.core.errors import WorkbookError
from esg_author.core.findings import CellTarget, Severity
from esg_author.core.model import Kpi, KpiValue, Project, ReportMeta

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def make_project() -> Project:
    meta = ReportMeta(company={"en": "Example Co", "zh-Hant": "範例公司", "zh-Hans": "范例公司"},
                      title={"en": "ESG Report 2025"}, year=2025, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    project = Project(meta=meta)

    def add(kpi_id: str, unit: str, group: str, en: str, zh: str, values: dict[int, KpiValue] | None = None, **kw: object) -> None:
        project.kpis[kpi_id] = Kpi(kpi_id, {"en": en, "zh-Hant": zh, "zh-Hans": zh}, unit, group, values=values or {}, **kw)  # type: ignore[arg-type]

    number = lambda text: KpiValue("number", Decimal(text))  # noqa: E731
    add("energy.total", "MWh", "environment", "Total energy", "能源總量", {2024: number("150.5")},
        precision=2, formula="children(energy.total)")
    add("energy.electricity", "MWh", "environment", "Electricity", "電力", {2024: number("100.5"), 2025: number("110")},
        parent_id="energy.total", precision=2)
    add("energy.fuel", "MWh", "environment", "Fuel", "燃料", {2024: number("50")}, parent_id="energy.total", precision=2)
    add("ghg.scope1", "tCO2e", "environment", "Scope 1", "範圍一", {2024: number("12.25")}, precision=2)
    add("waste.paper", "t", "environment", "Paper", "廢紙", {
        2025: KpiValue("not_applicable", reason={"en": "No printing", "zh-Hant": "不印刷"})})
    add("emp.total", "person", "people", "Employees", "僱員總數", {2024: number("100")})
    add("emp.female_share", "percent", "people", "Female employees", "女性僱員比例", {2024: number("45.5")}, precision=1)
    add("customers.satisfaction", "score", "people", "Satisfaction", "滿意度",
        {2024: KpiValue("score", Decimal("4.5"), Decimal("5"))}, precision=2)
    add("training.hours_avg", "hour_per_person", "people", "Average training hours", "平均培訓時數", {}, precision=1)
    return project


@pytest.fixture
def project() -> Project:
    return make_project()


@pytest.fixture
def workbook_path(project: Project, tmp_path: Path) -> Path:
    path = tmp_path / "collect.xlsx"
    export_workbook(project, path, now=NOW)
    return path


def locate(path: Path, kpi_id: str) -> tuple[str, int]:
    """(sheet, row) of a KPI on the data sheets."""
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        if sheet.title in (INSTRUCTIONS_SHEET, DEFINITIONS_SHEET, UNITS_SHEET, META_SHEET):
            continue
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, 1).value == kpi_id:
                return sheet.title, row
    raise AssertionError(f"{kpi_id} not in workbook")


def fill(path: Path, values: dict[str, object], notes: dict[str, str] | None = None,
         formats: dict[str, str] | None = None) -> None:
    """Type values (and notes) into the input column (G: 2023, 2024, 2025 → E, F, G) like a user."""
    places = {kpi_id: locate(path, kpi_id) for kpi_id in {*values, *(notes or {})}}
    workbook = openpyxl.load_workbook(path)
    for kpi_id, value in values.items():
        sheet, row = places[kpi_id]
        workbook[sheet].cell(row, 7).value = value
        if formats and kpi_id in formats:
            workbook[sheet].cell(row, 7).number_format = formats[kpi_id]
    for kpi_id, note in (notes or {}).items():
        sheet, row = places[kpi_id]
        workbook[sheet].cell(row, 8).value = note
    workbook.save(path)


def edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)


def reasons(result: workbook_import.ImportResult) -> list[str]:
    return [str(problem) for problem in result.problems]


# -- export ---------------------------------------------------------------------------------


def test_export_layout(project: Project, workbook_path: Path) -> None:
    workbook = openpyxl.load_workbook(workbook_path)
    assert workbook.sheetnames == [INSTRUCTIONS_SHEET, "environment", "people", DEFINITIONS_SHEET, UNITS_SHEET, META_SHEET]
    assert workbook[META_SHEET].sheet_state == "hidden"
    assert workbook.security.lockStructure

    instructions = "\n".join(str(c.value) for row in workbook[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    for text in ("What to fill", "填寫方法", "填写方法", "N/A", "不適用", "未匯報", "保密", "範例公司", "范例公司", "grey"):
        assert text in instructions

    sheet = workbook["environment"]
    assert [c.value for c in sheet[1]] == ["KPI id\n指標編號", "Name (English)", "名稱（繁體中文）", "Unit\n單位", "2023", "2024",
                                          "2025\nfill in 請填寫", "Notes\n備註"]
    assert sheet.freeze_panes == "A2"
    assert sheet.protection.sheet and not sheet.protection.password
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    electricity = rows["energy.electricity"]
    assert sheet.cell(electricity, 3).value == "電力"
    assert sheet.cell(electricity, 4).value == "MWh / 兆瓦時"
    assert sheet.cell(electricity, 6).value == Decimal("100.50") or sheet.cell(electricity, 6).value == 100.5
    assert sheet.cell(electricity, 6).number_format == "#,##0.00"
    assert sheet.cell(electricity, 6).protection.locked
    assert sheet.cell(electricity, 7).value == 110  # this year's value, prefilled and unlocked
    assert not sheet.cell(electricity, 7).protection.locked and not sheet.cell(electricity, 8).protection.locked
    assert sheet.cell(electricity, 1).protection.locked
    assert sheet.cell(electricity, 3).font.name == FONT_NAME
    total = rows["energy.total"]  # derived: read-only, "calculated"
    assert sheet.cell(total, 7).protection.locked and sheet.cell(total, 7).value is None
    assert sheet.cell(total, 8).value == CALCULATED_NOTE and sheet.cell(total, 8).protection.locked
    paper = rows["waste.paper"]
    assert sheet.cell(paper, 7).value == "N/A" and sheet.cell(paper, 8).value in ("不印刷", "No printing")
    validation = sheet.data_validations.dataValidation[0]
    assert validation.type == "custom" and validation.errorStyle == "warning" and "N/A" in validation.prompt
    assert len(validation.prompt) <= 255 and len(validation.promptTitle) <= 32 and len(validation.error) <= 255

    definitions = workbook[DEFINITIONS_SHEET]
    ids = [definitions.cell(r, 1).value for r in range(2, len(project.kpis) + 2)]
    assert ids == list(project.kpis)
    assert definitions.cell(2, 1).protection.locked
    assert not definitions.cell(len(project.kpis) + 2, 1).protection.locked  # first row for a new KPI
    assert workbook[UNITS_SHEET].cell(2, 1).value == "t"


def test_export_of_the_demo_has_cjk_and_every_kpi(demo_project: Project, tmp_path: Path) -> None:
    summary = export_workbook(demo_project, tmp_path / "demo.xlsx", years=[2024, 2025])
    workbook = openpyxl.load_workbook(tmp_path / "demo.xlsx")
    ids = [c.value for name in summary.sheets for c in workbook[name]["A"][1:] if c.value]
    assert sorted(ids) == sorted(demo_project.kpis)
    assert workbook["emissions"]["C2"].value == demo_project.kpis["ghg.total"].name["zh-Hant"]
    assert workbook["emissions"]["E1"].value == "2024" and workbook["emissions"]["F1"].value.startswith("2025")
    assert summary.input_cells + summary.derived == len(demo_project.kpis)


def test_unchanged_workbook_imports_nothing(project: Project, workbook_path: Path) -> None:
    result = import_workbook(project, workbook_path, now=NOW)
    assert result.ok and result.changes == [] and result.new_kpis == []
    assert result.unchanged == 2  # energy.electricity 110 and waste.paper N/A with its reason


# -- filling in -----------------------------------------------------------------------------


def test_values_written_as_people_write_them(project: Project, workbook_path: Path) -> None:
    fill(workbook_path, {
        "energy.electricity": "1,234.5",
        "energy.fuel": "５０．２５",  # full-width digits and point
        "ghg.scope1": " 12.3456789012345678 ",  # more decimals than a float holds: kept exactly
        "waste.paper": "不適用",
        "emp.total": "1 234 人",
        "emp.female_share": "46.5 %",
        "customers.satisfaction": "4.6",
        "training.hours_avg": None,  # blank: no change, no error
    }, notes={"waste.paper": "沒有印刷業務", "ghg.scope1": "estimated from fuel bills"})
    result = import_workbook(project, workbook_path, now=NOW)
    assert result.ok, reasons(result)
    values = {kpi_id: kpi.values.get(2025) for kpi_id, kpi in project.kpis.items()}
    assert values["energy.electricity"].number == Decimal("1234.5")
    assert values["energy.fuel"].number == Decimal("50.25")
    assert str(values["ghg.scope1"].number) == "12.3456789012345678"
    assert values["waste.paper"].kind == "not_applicable"
    assert values["waste.paper"].reason == {"en": "No printing", "zh-Hant": "沒有印刷業務"}
    assert values["emp.total"].number == Decimal("1234")
    assert values["emp.female_share"].number == Decimal("46.5")
    assert values["customers.satisfaction"] == KpiValue("score", Decimal("4.6"), Decimal("5"),
                                                        provenance=values["customers.satisfaction"].provenance)
    assert values["training.hours_avg"] is None

    sheet, row = locate(workbook_path, "energy.electricity")
    provenance = values["energy.electricity"].provenance
    assert (provenance.source, provenance.detail, provenance.at) == ("imported", f"collect.xlsx · {sheet}!G{row}", NOW.isoformat())
    assert "note: estimated from fuel bills" in values["ghg.scope1"].provenance.detail
    assert {c.kpi_id for c in result.changes} == {"energy.electricity", "energy.fuel", "ghg.scope1", "waste.paper",
                                                  "emp.total", "emp.female_share", "customers.satisfaction"}


def test_percent_cells_and_converted_units(project: Project, workbook_path: Path) -> None:
    fill(workbook_path, {"emp.female_share": 0.465, "energy.electricity": "1,234 kWh", "energy.fuel": 7, "ghg.scope1": "(12)"},
         formats={"emp.female_share": "0.0%"})
    result = import_workbook(project, workbook_path, now=NOW)
    assert result.ok, reasons(result)
    assert project.kpis["emp.female_share"].values[2025].number == Decimal("46.5")
    assert project.kpis["energy.electricity"].values[2025].number == Decimal("1.234")  # kWh → MWh, exactly
    assert project.kpis["ghg.scope1"].values[2025].number == Decimal("-12")
    change = next(c for c in result.changes if c.kpi_id == "energy.electricity")
    assert change.written == "1234 kWh"


def test_dry_run_changes_nothing(project: Project, workbook_path: Path) -> None:
    before = copy.deepcopy(project)
    fill(workbook_path, {"energy.electricity": 999, "emp.total": "120"})
    result = import_workbook(project, workbook_path, dry_run=True, now=NOW)
    assert result.ok and not result.applied and len(result.changes) == 2
    assert project == before
    change = next(c for c in result.changes if c.kpi_id == "energy.electricity")
    assert (change.old.number, change.new.number, change.year, change.entity) == (Decimal("110"), Decimal("999"), 2025, "")


def test_import_is_one_undo_step(project: Project, workbook_path: Path) -> None:
    before = copy.deepcopy(project.kpis)
    fill(workbook_path, {"energy.electricity": 999, "emp.total": "120"})
    stack = UndoStack(project)
    result = import_workbook(project, workbook_path, stack=stack, now=NOW)
    assert result.applied and isinstance(result.command, CompositeCommand)
    assert project.kpis["emp.total"].values[2025].number == 120
    stack.undo()
    assert project.kpis == before and not stack.can_undo


# -- problems: all or nothing ----------------------------------------------------------------


def test_every_problem_is_reported_and_nothing_applied(project: Project, workbook_path: Path) -> None:
    before = copy.deepcopy(project)
    fill(workbook_path, {
        "energy.electricity": "500",  # fine, but not applied because of the others
        "energy.total": "160",  # derived
        "energy.fuel": "twelve",
        "ghg.scope1": "12 kWh",  # energy for an emissions KPI
        "emp.total": "12%",  # a percentage for persons
        "emp.female_share": "45 abc",
    })
    result = import_workbook(project, workbook_path, now=NOW)
    assert not result.applied and project == before
    sheet, row = locate(workbook_path, "energy.total")
    problems = "\n".join(reasons(result))
    assert f"{sheet}!G{row}: energy.total is calculated by esg-author" in problems
    assert "energy.fuel: 'twelve' is not a number" in problems
    assert "the cell says kWh but the KPI is in tCO₂e" in problems
    assert "written as a percentage, but the KPI is in persons" in problems
    assert "'abc' after the number is not a unit" in problems
    assert len(result.problems) == 5


def test_formula_never_calculated_is_a_problem(project: Project, workbook_path: Path) -> None:
    fill(workbook_path, {"energy.fuel": "=SUM(E4:F4)"})
    result = import_workbook(project, workbook_path, now=NOW)
    sheet, row = locate(workbook_path, "energy.fuel")
    assert reasons(result) == [f"{sheet}!G{row}: energy.fuel: formula was never calculated — open the file in Excel and save it"]
    assert 2025 not in project.kpis["energy.fuel"].values


def test_formula_with_cached_value_is_accepted(project: Project, workbook_path: Path) -> None:
    fill(workbook_path, {"energy.fuel": "=SUM(E4:F4)"})
    _store_cached_result(workbook_path, "SUM(E4:F4)", "50.75")  # what Excel does when it saves
    result = import_workbook(project, workbook_path, now=NOW)
    assert result.ok, reasons(result)
    value = project.kpis["energy.fuel"].values[2025]
    assert value.number == Decimal("50.75") and value.provenance.detail.endswith(" · formula")


def _store_cached_result(path: Path, formula: str, cached: str) -> None:
    parts = _zip_parts(path)
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and f"<f>{formula}</f>".encode() in data:
            parts[name] = data.replace(f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{cached}</v>".encode())
    _write_zip(path, parts)


def test_wrong_sheet_name_and_layout(project: Project, workbook_path: Path) -> None:
    def damage(workbook: openpyxl.Workbook) -> None:
        workbook["people"].title = "People data"
        workbook["environment"].insert_cols(5)

    edit(workbook_path, damage)
    result = import_workbook(project, workbook_path, now=NOW)
    problems = reasons(result)
    assert "people: the sheet is missing (renamed or deleted?); its values cannot be read" in problems
    assert any(p.startswith("People data: a data sheet esg-author did not export") for p in problems)
    assert any(p.startswith("environment!E1: expected the header '2023', found nothing") for p in problems)
    assert not result.applied


def test_unknown_and_duplicate_kpi_ids(project: Project, workbook_path: Path) -> None:
    sheet, row = locate(workbook_path, "energy.fuel")
    _, scope_row = locate(workbook_path, "ghg.scope1")

    def damage(workbook: openpyxl.Workbook) -> None:
        workbook[sheet].cell(row, 1).value = "energy.solar"  # unprotected and typed over
        workbook[sheet].cell(row, 7).value = 5
        workbook[sheet].cell(scope_row, 1).value = "energy.electricity"

    edit(workbook_path, damage)
    problems = reasons(import_workbook(project, workbook_path, now=NOW))
    assert f"{sheet}!A{row}: unknown KPI id 'energy.solar': it is not in this project" in problems
    assert any(p.startswith(f"{sheet}!A{scope_row}: duplicate KPI id 'energy.electricity': it is also at {sheet}!A") for p in problems)


def test_other_project_needs_force(project: Project, workbook_path: Path) -> None:
    other = make_project()
    other.meta.company = {"en": "Other Ltd"}
    other.meta.year = 2026
    fill(workbook_path, {"emp.total": 130})
    result = import_workbook(other, workbook_path, now=NOW)
    assert reasons(result) == ["_esg: the workbook was exported from another project (Example Co, 2025); "
                               "this project is Other Ltd, 2026; nothing is imported unless you choose to import "
                               "it anyway"]
    # the core names no command-line flag; the problem is a finding aimed at the workbook
    (finding,) = result.findings
    assert (finding.rule, finding.target) == ("workbook.other-project", CellTarget(workbook_path.name, "_esg", ""))
    assert finding.params["company"] == "Other Ltd" and "--force" not in finding.text
    forced = import_workbook(other, workbook_path, force=True, now=NOW)
    assert forced.applied and other.kpis["emp.total"].values[2025].number == 130  # the year the workbook asks for
    assert "imported anyway, as requested" in str(forced.warnings[0])
    assert forced.findings[0].severity is Severity.WARNING


def test_year_option_overrides_the_workbook_year(project: Project, workbook_path: Path) -> None:
    fill(workbook_path, {"emp.total": 101})
    result = import_workbook(project, workbook_path, year=2024, now=NOW)
    assert result.applied and project.kpis["emp.total"].values[2024].number == 101
    assert any("imported as 2024" in str(w) for w in result.warnings)


# -- new KPIs ---------------------------------------------------------------------------------


def test_new_kpis_on_the_definitions_sheet(project: Project, workbook_path: Path) -> None:
    first = len(project.kpis) + 2

    def add_rows(workbook: openpyxl.Workbook) -> None:
        sheet = workbook[DEFINITIONS_SHEET]
        rows = [
            ["energy.solar", "Solar power generated", "太陽能發電量", "", "MWh", "environment", "energy.total", None, "12.345", "roof panels"],
            ["energy.solar.hk", "Hong Kong", "", "", "兆瓦時", "", "energy.solar", 1, 2.5, None],
        ]
        for offset, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                sheet.cell(first + offset, column).value = value

    edit(workbook_path, add_rows)
    result = import_workbook(project, workbook_path, now=NOW)
    assert result.ok, reasons(result)
    solar = project.kpis["energy.solar"]
    assert (solar.unit, solar.group, solar.parent_id, solar.precision) == ("MWh", "environment", "energy.total", 3)
    assert solar.name == {"en": "Solar power generated", "zh-Hant": "太陽能發電量"}
    assert solar.values[2025].number == Decimal("12.345")
    child = project.kpis["energy.solar.hk"]
    assert (child.unit, child.group, child.precision, child.values[2025].number) == ("MWh", "custom", 1, Decimal("2.5"))
    assert any("no name in zh-Hans" in str(w) for w in result.warnings)


def test_invalid_new_kpis_are_problems(project: Project, workbook_path: Path) -> None:
    first = len(project.kpis) + 2

    def add_rows(workbook: openpyxl.Workbook) -> None:
        sheet = workbook[DEFINITIONS_SHEET]
        for offset, values in enumerate([["9lives", "Bad id", "", "", "t"], ["emp.total", "Exists", "", "", "person"],
                                          ["water.grey", "", "", "", "m3"], ["water.blue", "Blue water", "", "", "litres"],
                                          ["water.green", "Green", "", "", "m3", "", "water.none"]]):
            for column, value in enumerate(values, start=1):
                sheet.cell(first + offset, column).value = value

    edit(workbook_path, add_rows)
    problems = reasons(import_workbook(project, workbook_path, now=NOW))
    assert problems == [
        f"KPI definitions!A{first}: '9lives' is not a valid KPI id: start with a letter and use letters, digits, _ "
        "and -, in parts separated by single dots (e.g. energy.solar), at most 64 characters",
        f"KPI definitions!A{first + 1}: a KPI with id 'emp.total' already exists in the project",
        f"KPI definitions!B{first + 2}: new KPI 'water.grey' needs a name (English or Chinese)",
        f"KPI definitions!E{first + 3}: unknown unit code 'litres': choose one from the Units sheet",
        f"KPI definitions!G{first + 4}: unknown parent KPI 'water.none' (a new parent must be on a row above)",
    ]
    assert "water.blue" not in project.kpis


# -- untrusted files ----------------------------------------------------------------------------


def test_corrupt_files_are_refused(project: Project, tmp_path: Path, workbook_path: Path) -> None:
    random_bytes = tmp_path / "random.xlsx"
    random_bytes.write_bytes(os.urandom(20_000))
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(workbook_path.read_bytes()[: workbook_path.stat().st_size // 2])
    old_excel = tmp_path / "old.xlsx"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    not_excel = tmp_path / "other.xlsx"
    _write_zip(not_excel, {"hello.txt": b"hello"})
    expected = {random_bytes: "not a zip archive", truncated: "not a zip archive", old_excel: "old .xls file",
                not_excel: "[Content_Types].xml is missing", tmp_path / "missing.xlsx": "no such file"}
    for path, message in expected.items():
        with pytest.raises(WorkbookError, match=message.replace("[", r"\[").replace(".", r"\.")) as caught:
            import_workbook(project, path)
        assert str(caught.value).startswith(str(path))


def test_plain_workbook_without_esg_sheet(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "hello"
    workbook.save(path)
    with pytest.raises(WorkbookError, match="not an esg-author data workbook"):
        import_workbook(project, path)


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 or "") + ";") * 10}">'.encode() for i in range(1, 10))
                  + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                  b"<si><t>&lol9;</t></si></sst>")


def test_xml_bomb_in_shared_strings_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _write_zip(path, _minimal_xlsx(shared_strings=BILLION_LAUGHS))
    started = time.perf_counter()
    with pytest.raises(WorkbookError, match=r"sharedStrings\.xml declares a DTD") as caught:
        import_workbook(project, path)
    assert time.perf_counter() - started < 2
    assert str(caught.value).startswith(str(path))


def test_hand_built_minimal_xlsx_is_readable_without_bomb(tmp_path: Path) -> None:
    # Proves the bomb test fails because of the entities, not because the hand-built file is broken.
    path = tmp_path / "ok.xlsx"
    _write_zip(path, _minimal_xlsx(shared_strings=b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                                   b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>lol</t></si></sst>'))
    assert openpyxl.load_workbook(path)["Sheet1"]["A1"].value == "lol"


def test_zip_bomb_is_refused_before_opening(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "zipbomb.xlsx"
    parts = _minimal_xlsx(shared_strings=None)
    parts["xl/media/padding.bin"] = bytes(30 * 1024 * 1024)  # 30 MB of zeros: compresses about 1000:1
    _write_zip(path, parts)
    assert path.stat().st_size < 200_000
    opened = []
    monkeypatch.setattr(xlsx_reader.XlsxReader, "_read_workbook", lambda *a: opened.append(a))
    with pytest.raises(WorkbookError, match=r"possible zip bomb: part xl/media/padding.bin is compressed \d+:1"):
        import_workbook(project, path)
    monkeypatch.setattr(xlsx_reader, "MAX_UNCOMPRESSED_BYTES", 10 * 1024 * 1024)
    with pytest.raises(WorkbookError, match=r"possible zip bomb: it would unpack to 30 MB \(limit 10 MB\)"):
        import_workbook(project, path)
    assert opened == []


def test_refuses_without_defusedxml(project: Project, workbook_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_reader, "_defused_fromstring", None)
    with pytest.raises(WorkbookError, match="defusedxml"):
        import_workbook(project, workbook_path)


def test_defusedxml_is_active() -> None:
    assert xlsx_reader.safe_xml_available()
    assert openpyxl.DEFUSEDXML is True  # for anything else that opens workbooks with openpyxl


def test_dtd_in_a_small_part_is_refused_by_defusedxml(project: Project, tmp_path: Path) -> None:
    parts = _minimal_xlsx(shared_strings=None)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
    path = tmp_path / "external.xlsx"
    _write_zip(path, parts)
    with pytest.raises(WorkbookError, match="DTDForbidden"):
        import_workbook(project, path)


def test_reader_matches_openpyxl(project: Project, workbook_path: Path) -> None:
    """The fast reader returns what openpyxl (data_only=True) returns, on a filled-in export."""
    fill(workbook_path, {"energy.electricity": "1,234", "energy.fuel": 12.5, "emp.female_share": 0.455,
                         "ghg.scope1": True, "emp.total": datetime(2025, 1, 2)},
         notes={"energy.fuel": "估算"}, formats={"emp.female_share": "0.0%", "emp.total": "yyyy-mm-dd"})
    expected = openpyxl.load_workbook(workbook_path, data_only=True)
    with xlsx_reader.XlsxReader(workbook_path) as book:
        assert book.sheet_names == expected.sheetnames
        for name in book.sheet_names:
            cells = book.read_cells(name, lambda row, column: True)
            theirs = {(c.row, c.column): (c.value, c.number_format) for row in expected[name].iter_rows() for c in row
                      if c.value is not None}
            ours = {key: (cell.value, cell.number_format if isinstance(cell.value, (int, float)) and not
                          isinstance(cell.value, bool) else theirs.get(key, (None, ""))[1]) for key, cell in cells.items()}
            assert ours == {key: (value if not isinstance(value, Decimal) else float(value), fmt)
                            for key, (value, fmt) in theirs.items()}, name


def _minimal_xlsx(shared_strings: bytes | None) -> dict[str, bytes]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    overrides = ('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    if shared_strings is not None:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                      'officedocument.spreadsheetml.sharedStrings+xml"/>')
    cell = '<c r="A1" t="s"><v>0</v></c>' if shared_strings is not None else '<c r="A1"><v>1</v></c>'
    parts = {
        "[Content_Types].xml": ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                                f'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'),
        "_rels/.rels": (f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>' if shared_strings is not None else "")
            + "</Relationships>"),
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData><row r="1">{cell}</row></sheetData></worksheet>',
    }
    result = {name: text.encode() for name, text in parts.items()}
    if shared_strings is not None:
        result["xl/sharedStrings.xml"] = shared_strings
    return result


def _zip_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, parts: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


# -- entities and consolidation ------------------------------------------------------------------


def test_entity_import_and_consolidation(project: Project, tmp_path: Path) -> None:
    entities = {
        "Shenzhen": {"energy.electricity": "80.25", "emp.total": "60", "emp.female_share": "40%", "ghg.scope1": "N/A",
                     "waste.paper": "N/A", "training.hours_avg": "10"},
        "Hong Kong": {"energy.electricity": "29.75", "emp.total": "41", "emp.female_share": "55%", "ghg.scope1": "3.5",
                      "waste.paper": "N/A", "energy.fuel": "not reported", "training.hours_avg": "12"},
    }
    for name, values in entities.items():
        path = tmp_path / f"{name}.xlsx"
        export_workbook(project, path, entity=name, now=NOW)
        fill(path, values)
        result = import_workbook(project, path, now=NOW)  # the entity comes from the workbook
        assert result.ok and result.entity == name, reasons(result)
    electricity = project.kpis["energy.electricity"]
    assert electricity.values[2025].number == Decimal("110")  # the group value is untouched by entity imports
    assert electricity.entity_values["Shenzhen"][2025].number == Decimal("80.25")

    result = consolidate(project, 2025, now=NOW)
    assert result.entities == ["Hong Kong", "Shenzhen"]
    changes = {c.kpi_id: c for c in result.changes}
    # 80.25 + 29.75 equals the group value already there; every entity says N/A for paper, as the group does.
    assert set(changes) == {"emp.total", "ghg.scope1"} and result.unchanged == 2
    assert changes["emp.total"].new.number == Decimal("101")
    assert changes["ghg.scope1"].new.number == Decimal("3.5")  # N/A in Shenzhen contributes nothing
    assert changes["emp.total"].new.provenance.detail == "sum of entities: Hong Kong, Shenzhen"
    assert changes["emp.total"].missing_entities == ()
    skipped = {s.kpi_id: s.reason for s in result.skipped}
    assert "does not add up" in skipped["emp.female_share"]
    assert "does not add up" in skipped["training.hours_avg"]
    assert skipped["energy.fuel"] == "the sum is unknown: Hong Kong (not reported)"
    CompositeCommand(list(result.commands)).apply(project)
    assert project.kpis["emp.total"].values[2025].number == 101
    assert project.kpis["ghg.scope1"].values[2025].number == Decimal("3.5")


def test_entity_option_overrides(project: Project, workbook_path: Path) -> None:
    fill(workbook_path, {"emp.total": 7})
    result = import_workbook(project, workbook_path, entity="Chengdu", now=NOW)
    assert result.applied
    assert project.kpis["emp.total"].entity_values["Chengdu"][2025].number == 7
    assert 2025 not in project.kpis["emp.total"].values


def test_additive_units() -> None:
    assert is_additive_unit("MWh") and is_additive_unit("person") and is_additive_unit("RMB_thousand")
    for unit in ("percent", "score", "tCO2e_per_person", "hour_per_person", "tCO2e_per_rmb_million", "nonsense"):
        assert not is_additive_unit(unit)


def test_reader_handles_what_excel_writes(tmp_path: Path) -> None:
    """Shared strings with rich-text runs and phonetic hints, cells and rows without r="…", a
    shared formula with its cached value, an error, a boolean and a percent style."""
    parts = _minimal_xlsx(shared_strings=(
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>plain</t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh><t>ignored</t></rPh></si></sst>"))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/worksheets/sheet1.xml"] = (
        f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c t="s"><v>1</v></c><c r="D1" s="1"><v>0.125</v></c></row>'
        '<row><c><f t="shared" si="0">B3*2</f><v>4</v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c><c t="b"><v>1</v></c></row>'
        "</sheetData></worksheet>").encode()
    parts["xl/styles.xml"] = (f'<?xml version="1.0"?><styleSheet xmlns="{main}"><cellXfs count="2"><xf numFmtId="0"/>'
                              '<xf numFmtId="10"/></cellXfs></styleSheet>').encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/styles" Target="styles.xml"/></Relationships>')
    path = tmp_path / "excel.xlsx"
    _write_zip(path, parts)
    with xlsx_reader.XlsxReader(path) as book:
        cells = book.read_cells("Sheet1", lambda row, column: True)
    assert cells[(1, 1)].value == "plain" and cells[(1, 2)].value == "rich text"
    assert cells[(1, 4)] == xlsx_reader.XlsxCell(0.125, "0.00%")
    assert cells[(2, 1)] == xlsx_reader.XlsxCell(4, formula=True)
    assert cells[(2, 2)] == xlsx_reader.XlsxCell("#DIV/0!", formula=True, error=True)
    assert cells[(2, 3)].value is True


def test_spreadsheet_error_in_an_input_cell(project: Project, workbook_path: Path) -> None:
    fill(workbook_path, {"energy.fuel": "=1/0"})
    parts = _zip_parts(workbook_path)
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and b"<f>1/0</f><v />" in data:
            parts[name] = re.sub(rb'<c r="(G\d+)"([^>]*)><f>1/0</f><v />', rb'<c r="\1"\2 t="e"><f>1/0</f><v>#DIV/0!</v>', data)
    _write_zip(workbook_path, parts)
    sheet, row = locate(workbook_path, "energy.fuel")
    assert reasons(import_workbook(project, workbook_path)) == [f"{sheet}!G{row}: energy.fuel: the cell shows the spreadsheet error #DIV/0!"]


# -- converted values, magnitudes, derived KPIs after consolidation, formula injection -------------


def test_converted_values_keep_precision_plus_six_decimals_and_survive_the_round_trip(
        project: Project, workbook_path: Path, tmp_path: Path) -> None:
    fill(workbook_path, {"energy.electricity": "1000 GJ"})  # 1000 × 5/18 MWh: 277.777… without end
    result = import_workbook(project, workbook_path, now=NOW)
    assert result.ok, reasons(result)
    assert project.kpis["energy.electricity"].values[2025].number == Decimal("277.77777778")  # 2 + 6 decimals, half-up
    # a value stored with more digits than a cell holds (typed, or from an older version) exports as a double
    project.kpis["energy.fuel"].values[2025] = KpiValue("number", Decimal("277.7777777777777777777777778"))
    project.kpis["ghg.scope1"].values[2025] = KpiValue("number", Decimal("123456789012.12345678"))
    again = tmp_path / "again.xlsx"
    export_workbook(project, again, now=NOW)
    sheet, row = locate(again, "energy.electricity")
    assert openpyxl.load_workbook(again)[sheet].cell(row, 7).value == 277.77777778
    result = import_workbook(project, again, dry_run=True, now=NOW)  # the untouched workbook changes nothing
    assert result.ok and result.changes == [], [(c.kpi_id, c.new.number) for c in result.changes]
    assert result.unchanged == 4  # the three numbers and waste.paper N/A


def test_absurd_magnitudes_are_problems_not_crashes(project: Project, workbook_path: Path) -> None:
    fill(workbook_path, {"energy.electricity": "1e30", "energy.fuel": 2e15, "emp.female_share": 1e27,
                         "ghg.scope1": "1e12 kt"}, formats={"emp.female_share": "0%"})
    result = import_workbook(project, workbook_path, now=NOW)  # was: decimal.InvalidOperation
    problems = {(p.sheet, p.cell): p.reason for p in result.problems}
    assert not result.applied and len(problems) == 4, reasons(result)
    where = {kpi_id: (sheet, f"G{row}") for kpi_id in ("energy.electricity", "energy.fuel", "emp.female_share", "ghg.scope1")
             for sheet, row in [locate(workbook_path, kpi_id)]}
    assert problems[where["energy.electricity"]].startswith("energy.electricity: number too large: '1e30';")
    assert problems[where["emp.female_share"]].startswith("emp.female_share: number too large: 1e+27 (a percentage);")
    assert problems[where["energy.fuel"]].startswith("energy.fuel: number too large: 2000000000000000;")
    assert "'kt' after the number is not a unit" in problems[where["ghg.scope1"]]


def test_consolidation_recomputes_derived_kpis(project: Project) -> None:
    from esg_author.core.checks.kpi_rules import check_project

    project.kpis["ghg.intensity"] = Kpi("ghg.intensity", {"en": "GHG intensity"}, "tCO2e_per_person", "environment",
                                        precision=2, formula="ghg.scope1 / emp.total",
                                        values={2025: KpiValue("number", Decimal("0.05"))})
    project.kpis["ghg.scope1"].values[2025] = KpiValue("number", Decimal("5"))
    project.kpis["emp.total"].values[2025] = KpiValue("number", Decimal("100"))
    for name, (scope1, employees) in {"Hong Kong": ("3.5", "41"), "Shenzhen": ("8", "60")}.items():
        project.kpis["ghg.scope1"].entity_values[name] = {2025: KpiValue("number", Decimal(scope1))}
        project.kpis["emp.total"].entity_values[name] = {2025: KpiValue("number", Decimal(employees))}
    result = consolidate(project, 2025, now=NOW)
    stack = UndoStack(project)
    stack.execute(CompositeCommand(list(result.commands)))
    assert project.kpis["ghg.scope1"].values[2025].number == Decimal("11.5")
    assert project.kpis["ghg.intensity"].values[2025].number == Decimal("0.11")  # 11.5 / 101, was left at 0.05
    assert not [f for f in check_project(project) if getattr(f.target, "kpi_id", "") == "ghg.intensity"]
    stack.undo()  # one step undoes the sums and the recomputed intensity
    assert project.kpis["ghg.intensity"].values[2025].number == Decimal("0.05")


def test_text_that_looks_like_a_formula_stays_text(project: Project, tmp_path: Path) -> None:
    name = '=HYPERLINK("http://x","y")'
    project.kpis["emp.total"].name = {"en": name, "zh-Hant": "+1", "zh-Hans": "@SUM(A1)"}
    project.kpis["waste.paper"].values[2025] = KpiValue("not_applicable", reason={"en": "=1+1"})
    project.meta.company["en"] = "=cmd|' /C calc'!A0"
    path = tmp_path / "collect.xlsx"
    export_workbook(project, path, now=NOW)
    for part, data in _zip_parts(path).items():
        assert b"<f>" not in data, part  # no formula anywhere in the file
    workbook = openpyxl.load_workbook(path)
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in (name, "+1", "@SUM(A1)", "=1+1", "=cmd|' /C calc'!A0"):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
                    found.add((sheet.title, cell.value))
    assert {(sheet, value) for sheet, value in found if value == name} == {("people", name), (DEFINITIONS_SHEET, name)}
    assert ("environment", "=1+1") in found and (META_SHEET, "=cmd|' /C calc'!A0") in found
    result = import_workbook(project, path, now=NOW)  # the company and the reason read back as they were
    assert result.ok and result.changes == [], reasons(result)

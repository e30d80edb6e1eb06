"""Export the Excel data-collection workbook that colleagues fill in (see docs/excel-workbook.md).

Sheets, in order: Instructions (en, zh-Hant, zh-Hans); one data sheet per KPI group, where the
yellow column of the input year is the only thing to fill (plus notes); "KPI definitions", where
new KPIs can be added below the list; "Units", the unit codes; and the hidden "_esg" sheet that
lets the importer recognise the file (format version, company, year, entity, layout).

The layout (sheet names, header texts, column positions) is defined here once and read back by
workbook_import, so the two cannot drift apart.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from esg_author import __version__
from esg_author.core.data.number_parsing import stored_number
from esg_author.core.data.rounding import round_half_up
from esg_author.core.data.units import unit_codes, unit_label
from esg_author.core.errors import EsgAuthorError
from esg_author.core.model import Kpi, KpiValue, Project
from esg_author.core.storage.atomic import atomic_replace

logger = logging.getLogger(__name__)

FORMAT_NAME = "esg-author-workbook"
FORMAT_VERSION = 1

INSTRUCTIONS_SHEET = "Instructions"
DEFINITIONS_SHEET = "KPI definitions"
UNITS_SHEET = "Units"
META_SHEET = "_esg"
RESERVED_SHEETS = (INSTRUCTIONS_SHEET, DEFINITIONS_SHEET, UNITS_SHEET, META_SHEET)
CUSTOM_KPI_ROWS = 50  # empty, unlocked rows below the KPI definitions list

# Words written for non-numbers; the importer reads them back (number_parsing.NON_NUMBER_WORDS).
KIND_WORDS = {"not_applicable": "N/A", "not_reported": "not reported", "confidential": "confidential"}
CALCULATED_NOTE = "calculated 計算得出"

FONT_NAME = "Microsoft JhengHei"  # has Latin and CJK glyphs; Excel substitutes a CJK font where it is missing
_FONT = Font(name=FONT_NAME, size=10)
_BOLD = Font(name=FONT_NAME, size=10, bold=True)
_TITLE = Font(name=FONT_NAME, size=14, bold=True)
_GREY = PatternFill("solid", fgColor="E7E6E6")
_YELLOW = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="808080"))
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")

# Data-validation texts: Excel allows 32 characters in a title and 255 in a message.
_PROMPT_TITLE = "Fill in 請填寫"
_PROMPT = ("A number in the unit shown (1234.5, 12%), or N/A 不適用, not reported 未匯報, confidential 保密. "
           "Leave empty if unknown. Sources and reasons go in the Notes column 備註欄.")
_WARNING_TITLE = "Check the entry 請檢查"
_WARNING = ("This is not a number, N/A, not reported or confidential. esg-author also reads text such as "
            "\"1,234 kWh\"; choose Yes to keep it. 不是數字或 N/A、未匯報、保密。")
# Text Excel would take as a formula once someone edits the cell (or openpyxl writes as one: "=").
_FORMULA_STARTS = ("=", "+", "-", "@")
_ALLOWED_WORDS = "|n/a|na|/|-|—|not applicable|不適用|不适用|not reported|未匯報|未汇报|confidential|保密|機密|机密|"


@dataclass(frozen=True)
class DataSheetLayout:
    """Columns of a data sheet: id, names, unit, earlier years, the input year, notes."""

    years: tuple[int, ...]  # ascending; the last one is the year to fill in

    ID_COLUMN = 1
    NAME_EN_COLUMN = 2
    NAME_ZH_COLUMN = 3
    UNIT_COLUMN = 4
    FIRST_YEAR_COLUMN = 5

    @property
    def input_year(self) -> int:
        return self.years[-1]

    @property
    def input_column(self) -> int:
        return self.FIRST_YEAR_COLUMN + len(self.years) - 1

    @property
    def notes_column(self) -> int:
        return self.input_column + 1

    def headers(self) -> list[str]:
        earlier = [str(year) for year in self.years[:-1]]
        return ["KPI id\n指標編號", "Name (English)", "名稱（繁體中文）", "Unit\n單位", *earlier,
                f"{self.input_year}\nfill in 請填寫", "Notes\n備註"]


class DefinitionsLayout:
    """Columns of the KPI definitions sheet."""

    ID, NAME_EN, NAME_HANT, NAME_HANS, UNIT, GROUP, PARENT, PRECISION, VALUE, NOTES = range(1, 11)

    @staticmethod
    def headers(year: int) -> list[str]:
        return ["KPI id\n指標編號", "Name (English)", "名稱（繁體中文）", "名称（简体中文）", "Unit code\n單位代碼",
                "Group\n組別", "Parent KPI id\n上級指標", "Decimals\n小數位", f"{year} value (new KPIs)\n數值（新指標）",
                "Notes\n備註"]


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    sheets: list[str]  # the data sheets
    kpis: int
    input_cells: int
    derived: int


def export_workbook(project: Project, path: Path | str, years: Iterable[int] | None = None, by: str = "group",
                    entity: str = "", now: datetime | None = None) -> ExportSummary:
    """Write the data-collection workbook for `years` (default: the report year and the two before)."""
    path = Path(path)
    if by != "group":
        raise EsgAuthorError(f"cannot split the workbook by {by!r}: KPIs have no data owner yet; use --by group")
    chosen = tuple(sorted(set(years))) if years else (project.meta.year - 2, project.meta.year - 1, project.meta.year)
    if not chosen:
        raise EsgAuthorError("no years to export")
    layout = DataSheetLayout(chosen)
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")

    workbook = Workbook()
    _write_instructions(workbook.active, project, layout.input_year, entity, moment)
    sheets: dict[str, str] = {}
    input_cells = derived = 0
    for group, kpis in _kpis_by_group(project).items():
        name = _sheet_name(group, set(sheets) | set(RESERVED_SHEETS))
        sheets[name] = group
        inputs, calculated = _write_data_sheet(workbook.create_sheet(name), project, kpis, layout, entity)
        input_cells, derived = input_cells + inputs, derived + calculated
    _write_definitions(workbook.create_sheet(DEFINITIONS_SHEET), project, layout.input_year)
    _write_units(workbook.create_sheet(UNITS_SHEET))
    _write_meta(workbook.create_sheet(META_SHEET), project, layout, entity, moment, sheets)
    # No password: protection prevents accidents (a renamed sheet, a typed-over id), not misuse.
    workbook.security = WorkbookProtection(lockStructure=True)
    atomic_replace(path, lambda tmp: workbook.save(tmp))
    logger.info("Exported %d KPIs on %d sheets to %s", len(project.kpis), len(sheets), path)
    return ExportSummary(path, list(sheets), len(project.kpis), input_cells, derived)


# -- sheets ---------------------------------------------------------------------------------


def _write_instructions(sheet: Worksheet, project: Project, year: int, entity: str, moment: str) -> None:
    sheet.title = INSTRUCTIONS_SHEET
    company = project.meta.company
    day = moment[:10]
    blocks = [
        ("English", f"ESG data collection workbook — {company.get('en', '')}", [
            f"Reporting year: {year}. Entity: {entity or 'whole group'}. Exported: {day}.",
            f"What to fill: each data sheet holds one KPI group, one KPI per row. Type this year's figure in the "
            f"yellow column headed {year}, in the unit shown in the Unit column.",
            "Numbers: 1234.5, 1,234.5 and 12% are all fine. Write negative numbers as -12 or (12) and zero as 0. "
            "Leave a cell empty when you have no figure: empty cells change nothing.",
            "No figure to give: write N/A when the KPI does not apply, \"not reported\" when the figure is not "
            "available, or \"confidential\". The note in the same row is printed as the reason, so please explain.",
            "Notes: write sources, estimates and explanations in the Notes column of the same row.",
            "Do not change the grey columns (KPI id, names, unit, earlier years) or rows marked \"calculated\": "
            "esg-author fills them. Do not rename, move or delete sheets, rows or columns. The sheets are "
            "protected without a password, only to prevent accidents.",
            f"New KPIs: on the sheet \"{DEFINITIONS_SHEET}\", fill an empty row below the list: an id (letters, "
            f"digits, _ . -), the names, a unit code from the sheet \"{UNITS_SHEET}\", the group and this year's value.",
            "Formulas are allowed. Save the file in Excel or LibreOffice before returning it, so that their "
            "results are stored in the file.",
        ]),
        ("繁體中文", f"ESG 數據收集工作簿 — {company.get('zh-Hant', '')}", [
            f"報告年度：{year}。實體：{entity or '集團整體'}。匯出日期：{day}。",
            f"填寫方法：每個數據工作表對應一組關鍵績效指標（KPI），每行一項。請在標題為「{year}」的黃色欄內，"
            "按「單位」欄所示單位填寫本年度數據。",
            "數字：1234.5、1,234.5 及 12% 均可；負數請寫 -12 或 (12)；零請寫 0。如暫無數據，請留空：留空的儲存格不會更改任何數據。",
            "沒有數據：不適用請寫「不適用」或 N/A；本年度未能提供請寫「未匯報」；保密數據請寫「保密」。"
            "同一行備註欄的內容會作為原因印在報告中，請加以說明。",
            "備註：請在同一行的「備註」欄填寫數據來源、估算方法及說明。",
            "請勿更改灰色欄（指標編號、名稱、單位、往年數據）或標示「計算得出」的行，這些由 esg-author 填寫。"
            "請勿重新命名、移動或刪除工作表、行或欄。工作表的保護沒有密碼，只為防止誤改。",
            f"新增指標：在「{DEFINITIONS_SHEET}」工作表清單下方的空白行填寫：編號（英文字母、數字、_ . -）、名稱、"
            f"「{UNITS_SHEET}」工作表中的單位代碼、組別及本年度數值。",
            "可以使用公式。交回前請先在 Excel 或 LibreOffice 中儲存檔案，以保存公式的計算結果。",
        ]),
        ("简体中文", f"ESG 数据收集工作簿 — {company.get('zh-Hans', '')}", [
            f"报告年度：{year}。实体：{entity or '集团整体'}。导出日期：{day}。",
            f"填写方法：每个数据工作表对应一组关键绩效指标（KPI），每行一项。请在标题为“{year}”的黄色栏内，"
            "按“单位（Unit）”栏所示单位填写本年度数据。",
            "数字：1234.5、1,234.5 及 12% 均可；负数请写 -12 或 (12)；零请写 0。如暂无数据，请留空：留空的单元格不会更改任何数据。",
            "没有数据：不适用请写“不适用”或 N/A；本年度未能提供请写“未汇报”；保密数据请写“保密”。"
            "同一行备注栏的内容会作为原因印在报告中，请加以说明。",
            "备注：请在同一行的“备注（Notes）”栏填写数据来源、估算方法及说明。",
            "请勿更改灰色栏（指标编号、名称、单位、往年数据）或标示“计算得出”的行，这些由 esg-author 填写。"
            "请勿重命名、移动或删除工作表、行或列。工作表的保护没有密码，只为防止误改。",
            f"新增指标：在“{DEFINITIONS_SHEET}”工作表清单下方的空白行填写：编号（英文字母、数字、_ . -）、名称、"
            f"“{UNITS_SHEET}”工作表中的单位代码、组别及本年度数值。",
            "可以使用公式。交回前请先在 Excel 或 LibreOffice 中保存文件，以保存公式的计算结果。",
        ]),
    ]
    row = 1
    for language, title, lines in blocks:
        sheet.cell(row, 1, language).font = _BOLD
        sheet.cell(row, 2, title).font = _TITLE
        row += 1
        for number, line in enumerate(lines, start=1):
            sheet.cell(row, 1, number).font = _FONT
            cell = sheet.cell(row, 2, line)
            cell.font, cell.alignment = _FONT, _WRAP
            row += 1
        row += 1
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 110
    sheet.protection.sheet = True


def _write_data_sheet(sheet: Worksheet, project: Project, kpis: list[Kpi], layout: DataSheetLayout,
                      entity: str) -> tuple[int, int]:
    _write_header(sheet, layout.headers())
    inputs = calculated = 0
    for row, kpi in enumerate(kpis, start=2):
        values = kpi.entity_values.get(entity, {}) if entity else kpi.values
        depth = project.kpi_depth(kpi.id)
        fixed = [kpi.id, kpi.name.get("en", ""), kpi.name.get("zh-Hant", ""), _unit_text(kpi.unit)]
        for column, text in enumerate(fixed, start=1):
            cell = _text_cell(sheet, row, column, text)
            cell.font, cell.fill = _FONT, _GREY
            if column in (layout.NAME_EN_COLUMN, layout.NAME_ZH_COLUMN):  # long names wrap, children indent
                cell.alignment = Alignment(indent=depth, wrap_text=True, vertical="top")
        for column, year in enumerate(layout.years[:-1], start=layout.FIRST_YEAR_COLUMN):
            _write_value(sheet.cell(row, column), kpi, values.get(year), formatted=True)
            sheet.cell(row, column).fill = _GREY
        value_cell, notes_cell = sheet.cell(row, layout.input_column), sheet.cell(row, layout.notes_column)
        value_cell.font = notes_cell.font = _FONT
        if kpi.formula:  # derived: read-only, computed by esg-author from other KPIs
            value_cell.fill = notes_cell.fill = _GREY
            notes_cell.value = CALCULATED_NOTE
            calculated += 1
            continue
        current = values.get(layout.input_year)
        _write_value(value_cell, kpi, current, formatted=False)
        value_cell.fill, value_cell.protection = _YELLOW, _UNLOCKED
        notes_cell.protection = _UNLOCKED
        if current is not None and not current.is_numeric:
            _text_cell(sheet, row, layout.notes_column, _reason_text(project, current))
        inputs += 1
    last_row = len(kpis) + 1
    if last_row >= 2:
        _add_input_validation(sheet, layout.input_column, 2, last_row)
    _finish_sheet(sheet, {layout.input_column: 16, layout.notes_column: 40})
    return inputs, calculated


def _write_definitions(sheet: Worksheet, project: Project, year: int) -> None:
    columns = DefinitionsLayout
    _write_header(sheet, columns.headers(year))
    row = 1
    for row, kpi in enumerate(project.kpis.values(), start=2):
        texts = [kpi.id, kpi.name.get("en", ""), kpi.name.get("zh-Hant", ""), kpi.name.get("zh-Hans", ""),
                 kpi.unit, kpi.group, kpi.parent_id or "", kpi.precision, None, None]
        for column, text in enumerate(texts, start=1):
            cell = _text_cell(sheet, row, column, text)
            cell.font, cell.fill = _FONT, _GREY
    first_custom = row + 1
    for custom_row in range(first_custom, first_custom + CUSTOM_KPI_ROWS):
        for column in range(1, columns.NOTES + 1):
            cell = sheet.cell(custom_row, column)
            cell.font, cell.protection = _FONT, _UNLOCKED
            if column == columns.VALUE:
                cell.fill = _YELLOW
    last = first_custom + CUSTOM_KPI_ROWS - 1
    units = DataValidation(type="list", formula1=f"'{UNITS_SHEET}'!$A$2:$A${len(unit_codes()) + 1}", allow_blank=True,
                           showErrorMessage=True, errorTitle="Unknown unit 單位代碼", error="Choose a unit code from the Units sheet.")
    units.add(f"{get_column_letter(columns.UNIT)}{first_custom}:{get_column_letter(columns.UNIT)}{last}")
    decimals = DataValidation(type="whole", operator="between", formula1="0", formula2="6", allow_blank=True,
                              showErrorMessage=True, error="Decimals: a whole number from 0 to 6.")
    decimals.add(f"{get_column_letter(columns.PRECISION)}{first_custom}:{get_column_letter(columns.PRECISION)}{last}")
    sheet.add_data_validation(units)
    sheet.add_data_validation(decimals)
    _add_input_validation(sheet, columns.VALUE, first_custom, last)
    _finish_sheet(sheet, {columns.ID: 20, columns.NAME_EN: 30, columns.NAME_HANT: 24, columns.NAME_HANS: 24,
                          columns.UNIT: 14, columns.GROUP: 16, columns.PARENT: 20, columns.NOTES: 40})


def _write_units(sheet: Worksheet) -> None:
    _write_header(sheet, ["Unit code\n單位代碼", "English", "繁體中文", "简体中文"])
    for row, code in enumerate(unit_codes(), start=2):
        for column, text in enumerate([code, *(unit_label(code, lang) for lang in ("en", "zh-Hant", "zh-Hans"))], start=1):
            cell = sheet.cell(row, column, text)
            cell.font, cell.fill = _FONT, _GREY
    _finish_sheet(sheet)


def _write_meta(sheet: Worksheet, project: Project, layout: DataSheetLayout, entity: str, moment: str,
                sheets: dict[str, str]) -> None:
    rows: list[tuple[str, object, str]] = [
        ("format", FORMAT_NAME, ""),
        ("format_version", FORMAT_VERSION, ""),
        ("app_version", __version__, ""),
        ("exported_at", moment, ""),
        ("project_year", project.meta.year, ""),
        *((f"company.{lang}", text, "") for lang, text in sorted(project.meta.company.items())),
        ("years", ",".join(str(year) for year in layout.years), ""),
        ("input_year", layout.input_year, ""),
        ("entity", entity, ""),
        ("by", "group", ""),
        ("definitions_rows", len(project.kpis), ""),
        *(("sheet", name, group) for name, group in sheets.items()),
    ]
    for row, (key, value, extra) in enumerate(rows, start=1):
        sheet.cell(row, 1, key)
        _text_cell(sheet, row, 2, value)  # company names and the entity come from users
        if extra:
            _text_cell(sheet, row, 3, extra)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


# -- helpers --------------------------------------------------------------------------------


def _kpis_by_group(project: Project) -> dict[str, list[Kpi]]:
    groups: dict[str, list[Kpi]] = {}
    for kpi in project.kpis.values():
        groups.setdefault(kpi.group or "other", []).append(kpi)
    return groups


def _sheet_name(group: str, taken: set[str]) -> str:
    """A valid, unique sheet name for a group: no []:*?/\\, at most 31 characters."""
    base = re.sub(r"[\[\]:*?/\\]", "_", group).strip("'") or "other"
    base = base[:31]
    name, counter = base, 2
    lowered = {t.casefold() for t in taken}
    while name.casefold() in lowered or name.casefold() == "history":  # Excel reserves "History"
        suffix = f" ({counter})"
        name, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    return name


def _text_cell(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """sheet.cell(row, column, value), keeping text that starts like a formula as text.

    openpyxl writes a string starting with "=" as a formula, and Excel turns "+", "-" and "@"
    into one when the cell is edited: a KPI named =HYPERLINK(…) must stay a name (formula
    injection). The quote prefix is what Excel sets for text typed with a leading apostrophe.
    """
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _unit_text(code: str) -> str:
    english, chinese = unit_label(code, "en"), unit_label(code, "zh-Hant")
    return english if english == chinese else f"{english} / {chinese}"


def _write_value(cell: Cell, kpi: Kpi, value: KpiValue | None, formatted: bool) -> None:
    cell.font = _FONT
    if value is None:
        return
    if not value.is_numeric:
        cell.value = KIND_WORDS[value.kind]
        return
    assert value.number is not None
    if formatted:
        cell.value = round_half_up(value.number, kpi.precision)
        cell.number_format = "#,##0" + ("." + "0" * kpi.precision if kpi.precision > 0 else "")
    else:
        # The stored number with at most precision + 6 decimals: a cell holds a double, and the
        # importer counts a number within half a unit of that last place as unchanged.
        cell.value = stored_number(value.number, kpi.precision)
    if value.kind == "score" and formatted:
        cell.value = f"{cell.value}/{value.maximum}"


def _reason_text(project: Project, value: KpiValue) -> str:
    for lang in [*project.meta.languages, "en", "zh-Hant", "zh-Hans"]:
        if value.reason.get(lang):
            return value.reason[lang]
    return ""


def _add_input_validation(sheet: Worksheet, column: int, first_row: int, last_row: int) -> None:
    """A warning (not a stop) with help text: text numbers such as "1,234 kWh" are valid too."""
    letter = get_column_letter(column)
    top = f"{letter}{first_row}"
    formula = f'OR(ISNUMBER({top}),ISNUMBER(SEARCH("|"&TRIM({top})&"|","{_ALLOWED_WORDS}")))'
    validation = DataValidation(type="custom", formula1=formula, allow_blank=True, errorStyle="warning",
                                showInputMessage=True, promptTitle=_PROMPT_TITLE, prompt=_PROMPT,
                                showErrorMessage=True, errorTitle=_WARNING_TITLE, error=_WARNING)
    validation.add(f"{top}:{letter}{last_row}")
    sheet.add_data_validation(validation)


def _write_header(sheet: Worksheet, headers: list[str]) -> None:
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(1, column, text)
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[1].height = 30


def _finish_sheet(sheet: Worksheet, minimum_widths: dict[int, int] | None = None) -> None:
    """Frozen header, column widths from the content, protection on, landscape printing."""
    sheet.freeze_panes = "A2"
    minimum_widths = minimum_widths or {}
    widths: dict[int, float] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                longest = max(display_width(line) for line in str(cell.value).split("\n"))
                widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    for column, width in minimum_widths.items():  # room to type in columns that start empty
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)
    sheet.protection.sheet = True
    # Protected but resizable: colleagues widen columns for long names.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def display_width(text: str) -> int:
    """Width in Latin character cells: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)

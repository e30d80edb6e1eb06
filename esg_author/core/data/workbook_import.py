"""Import a filled-in data-collection workbook (see workbook_export and docs/excel-workbook.md).

All or nothing: read_workbook() parses and validates every cell and collects every problem with
its sheet!cell; only a workbook without problems is applied, as ONE CompositeCommand (one undo
step). Files from colleagues are untrusted: the zip is checked for bombs before any XML is
parsed, and the XML is read safely (xlsx_reader). Cells hold what Excel last calculated; a
formula without a cached result (saved by a tool that does not calculate) is a problem, never
"empty".

Problems and warnings name their sheet!cell and carry a translatable message (an English msgid
and its parameters, as findings do): `ImportResult.findings` gives them as Findings aimed at the
workbook cell, for a GUI to list in the UI language. They say what is wrong and what to do in
the workbook; how to override (import another project's workbook anyway) is the caller's word.
"""

from __future__ import annotations

import gc
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl.utils import get_column_letter

from esg_author.core.commands import AddKpi, Command, CompositeCommand, SetKpiValue, UndoStack
from esg_author.core.data.derived import RecomputeDerived
from esg_author.core.data.number_parsing import (
    NotANumberError,
    ParsedEntry,
    check_magnitude,
    parse_cell_value,
    same_number,
    stored_number,
    unit_code_for_text,
)
from esg_author.core.data.units import are_compatible, convert, is_known_unit, unit_label
from esg_author.core.data.workbook_export import (
    DEFINITIONS_SHEET,
    FORMAT_NAME,
    FORMAT_VERSION,
    META_SHEET,
    RESERVED_SHEETS,
    DataSheetLayout,
    DefinitionsLayout,
)
from esg_author.core.data.xlsx_reader import XlsxCell, XlsxReader
from esg_author.core.errors import EsgAuthorError, WorkbookError
from esg_author.core.findings import CellTarget, Finding, Severity
from esg_author.core.model import Kpi, KpiValue, Project, Provenance
from esg_author.core.model.tokens import MAX_ID_LENGTH, is_valid_id
from esg_author.core.rules import N_  # not i18n.catalogs: i18n reads data (units), data must not read i18n

logger = logging.getLogger(__name__)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# What reading a damaged or hostile file raises (defusedxml's and xlsx_reader's errors are ValueErrors).
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, ParseError, ValueError, IndexError, OSError, EOFError)


@dataclass(frozen=True)
class WorkbookProblem:
    """What is wrong at sheet!cell (cell "" for a whole sheet, both "" for the file). message is
    an English msgid with {placeholders}, params fill them; rule is a registered rule id."""

    sheet: str
    cell: str
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    rule: str = "workbook.value"

    @property
    def reason(self) -> str:
        """The message in English, placeholders filled."""
        return self.message.format(**self.params) if self.params else self.message

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{where}: {self.reason}" if where else self.reason

    def finding(self, path: Path, severity: Severity = Severity.ERROR) -> Finding:
        return Finding(severity, self.rule, self.message, target=CellTarget(path.name, self.sheet, self.cell),
                       params=self.params)


class _CellValueError(NotANumberError):
    """A cell value that does not fit its KPI, with its translatable message."""

    def __init__(self, message: str, **params: str | int) -> None:
        self.message, self.params = message, params
        super().__init__(message.format(**params))


@dataclass(frozen=True)
class ValueImport:
    """One value the import sets: old → new for a KPI, entity ("" = group) and year."""

    kpi_id: str
    entity: str
    year: int
    old: KpiValue | None
    new: KpiValue
    sheet: str
    cell: str
    written: str = ""  # the cell's text when it was converted ("1,234 kWh")


@dataclass
class ImportResult:
    path: Path
    year: int
    entity: str
    changes: list[ValueImport] = field(default_factory=list)
    new_kpis: list[Kpi] = field(default_factory=list)
    problems: list[WorkbookProblem] = field(default_factory=list)
    warnings: list[WorkbookProblem] = field(default_factory=list)
    unchanged: int = 0
    applied: bool = False
    command: CompositeCommand | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def findings(self) -> list[Finding]:
        """Problems (errors: nothing is imported) and warnings, aimed at their workbook cells."""
        return ([p.finding(self.path, Severity.ERROR) for p in self.problems]
                + [w.finding(self.path, Severity.WARNING) for w in self.warnings])


# -- public API -----------------------------------------------------------------------------


def import_workbook(project: Project, path: Path | str, *, year: int | None = None, entity: str | None = None,
                    force: bool = False, dry_run: bool = False, stack: UndoStack | None = None,
                    now: datetime | None = None) -> ImportResult:
    """Read the workbook and, unless dry_run or there are problems, apply it as one command."""
    result = read_workbook(project, path, year=year, entity=entity, force=force, now=now)
    if result.problems or dry_run:
        return result
    command = import_command(result)
    try:
        with _collector_paused():
            if stack is not None:
                stack.execute(command)
            else:
                command.apply(project)
    except EsgAuthorError as exc:  # CompositeCommand has already reverted what it applied
        raise WorkbookError(result.path, "", "", f"nothing was imported: {exc}") from exc
    result.applied, result.command = True, command
    return result


def import_command(result: ImportResult) -> CompositeCommand:
    """New KPIs first (values may refer to them), then every value, then the derived KPIs of the
    years touched (recomputed from the new values): one undo step."""
    commands: list[Command] = [AddKpi(kpi) for kpi in result.new_kpis]
    commands += [SetKpiValue(c.kpi_id, c.year, c.new, c.entity) for c in result.changes]
    group_years = tuple(sorted({c.year for c in result.changes if not c.entity}))
    if group_years:
        commands.append(RecomputeDerived(group_years))
    return CompositeCommand(commands, description=f"Import {result.path.name}")


def read_workbook(project: Project, path: Path | str, *, year: int | None = None, entity: str | None = None,
                  force: bool = False, now: datetime | None = None) -> ImportResult:
    """Parse and check the workbook against the project; changes nothing."""
    path = Path(path)
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    with _reading(path):
        book = XlsxReader(path)  # checks the zip for bombs before parsing anything
    with book, _collector_paused():
        meta = _read_meta(path, _read(path, book, META_SHEET, lambda row, column: column <= 3)
                          if META_SHEET in book.sheet_names else None)
        result = ImportResult(path, year or meta.input_year, meta.entity if entity is None else entity)
        _Reader(project, result, book, meta, force, moment).run()
    logger.info("Read %s: %d changes, %d new KPIs, %d problems", path, len(result.changes), len(result.new_kpis),
                len(result.problems))
    return result


# -- reading the file -----------------------------------------------------------------------


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while reading.

    A read allocates hundreds of thousands of short-lived XML elements, and with a large project
    in memory every full collection walks all of its objects: 10,000 values took 1.9 s instead
    of 0.75 s. Reading creates no reference cycles, so nothing waits for the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn whatever a damaged or hostile file makes the reader raise into one WorkbookError."""
    try:
        yield
    except _READ_ERRORS as exc:
        raise WorkbookError(path, "", "", f"cannot read the workbook ({type(exc).__name__}: {exc})") from exc


def _read(path: Path, book: XlsxReader, sheet: str, keep: Callable[[int, int], bool],
          max_row: int | None = None) -> dict[tuple[int, int], XlsxCell]:
    with _reading(path):
        return book.read_cells(sheet, keep, max_row)


@dataclass(frozen=True)
class _Meta:
    years: tuple[int, ...]
    input_year: int
    entity: str
    project_year: int
    company: dict[str, str]
    sheets: dict[str, str]  # data sheet name → group
    definitions_rows: int


def _read_meta(path: Path, cells: dict[tuple[int, int], XlsxCell] | None) -> _Meta:
    if cells is None:
        raise WorkbookError(path, "", "", f"not an esg-author data workbook: the hidden sheet {META_SHEET} is "
                            "missing (export a data workbook from the project, fill it in and import that)")
    rows: dict[int, list[Any]] = {}
    for (row, column), cell in cells.items():
        if column <= 3:  # key, value, extra (the group of a data sheet)
            rows.setdefault(row, [None, None, None])[column - 1] = cell.value
    pairs = [(str(key or ""), value, extra or "") for key, value, extra in (rows[row] for row in sorted(rows))]
    data = {key: value for key, value, _ in pairs}
    if data.get("format") != FORMAT_NAME:
        raise WorkbookError(path, META_SHEET, "B1", "not an esg-author data workbook")
    try:
        version = int(data.get("format_version", 0))
        years = tuple(int(y) for y in str(data["years"]).split(","))
        meta = _Meta(years, int(data["input_year"]), str(data.get("entity") or ""), int(data["project_year"]),
                     {key.split(".", 1)[1]: str(value) for key, value, _ in pairs if key.startswith("company.")},
                     {str(value): str(group) for key, value, group in pairs if key == "sheet"},
                     int(data.get("definitions_rows", 0)))
    except (KeyError, ValueError, TypeError) as exc:
        raise WorkbookError(path, META_SHEET, "", f"the workbook's description is damaged ({exc})") from exc
    if version > FORMAT_VERSION:
        raise WorkbookError(path, META_SHEET, "B2", f"the workbook has format version {version}; this esg-author "
                            f"reads up to version {FORMAT_VERSION}: update esg-author")
    return meta


# -- checking against the project ------------------------------------------------------------


class _Reader:
    def __init__(self, project: Project, result: ImportResult, book: XlsxReader, meta: _Meta, force: bool,
                 moment: str) -> None:
        self.project, self.result, self.book, self.meta = project, result, book, meta
        self.force, self.moment = force, moment
        self.layout = DataSheetLayout(meta.years)
        self.seen: dict[str, str] = {}  # KPI id → sheet!cell where it was first found

    def run(self) -> None:
        self._check_identity()
        self._check_sheets()
        layout = self.layout
        if self.result.year != layout.input_year:
            self._warn(META_SHEET, "", N_("the column headed {column_year} is imported as {year}, the year chosen "
                                          "for this import"),
                       {"column_year": layout.input_year, "year": self.result.year}, rule="workbook.year")
        wanted = {layout.ID_COLUMN, layout.input_column, layout.notes_column}
        for name in self.meta.sheets:
            if name in self.book.sheet_names:
                cells = self._cells(name, lambda row, column: column in wanted or (row == 1 and column <= layout.notes_column))
                if self._headers_match(name, cells, layout.headers()):
                    self._read_data_sheet(name, cells)
        if DEFINITIONS_SHEET in self.book.sheet_names:
            first_custom = self.meta.definitions_rows + 2
            cells = self._cells(DEFINITIONS_SHEET, lambda row, column: row == 1 or column == 1 or row >= first_custom)
            if self._headers_match(DEFINITIONS_SHEET, cells, DefinitionsLayout.headers(layout.input_year)):
                self._read_definitions(cells)

    def _cells(self, sheet: str, keep: Callable[[int, int], bool], max_row: int | None = None) -> dict[tuple[int, int], XlsxCell]:
        return _read(self.result.path, self.book, sheet, keep, max_row)

    # -- structure --

    def _check_identity(self) -> None:
        meta, project_meta = self.meta, self.project.meta
        same_company = all(project_meta.company.get(lang, text) == text for lang, text in meta.company.items())
        if same_company and meta.project_year == project_meta.year:
            return
        theirs = meta.company.get("en") or next(iter(meta.company.values()), "?")
        ours = project_meta.company.get("en") or next(iter(project_meta.company.values()), "?")
        params = {"their_company": theirs, "their_year": meta.project_year, "company": ours, "year": project_meta.year}
        if self.force:
            self._warn(META_SHEET, "", N_("the workbook was exported from another project ({their_company}, "
                                          "{their_year}); this project is {company}, {year}; imported anyway, as "
                                          "requested"), params, rule="workbook.other-project")
        else:
            self._problem(META_SHEET, "", N_("the workbook was exported from another project ({their_company}, "
                                             "{their_year}); this project is {company}, {year}; nothing is imported "
                                             "unless you choose to import it anyway"),
                          params, rule="workbook.other-project")

    def _check_sheets(self) -> None:
        expected = set(self.meta.sheets) | set(RESERVED_SHEETS)
        for name in [*self.meta.sheets, DEFINITIONS_SHEET]:
            if name not in self.book.sheet_names:
                self._problem(name, "", N_("the sheet is missing (renamed or deleted?); its values cannot be read"),
                              rule="workbook.sheet")
        id_header = self.layout.headers()[0]
        for name in self.book.sheet_names:
            if name in expected:
                continue
            first = self._cells(name, lambda row, column: column == 1, max_row=1).get((1, 1))
            if first is not None and _same_text(first.value, id_header):
                self._problem(name, "", N_("a data sheet esg-author did not export (renamed or copied?); expected "
                                           "sheets: {sheets}"), {"sheets": ", ".join(self.meta.sheets)},
                              rule="workbook.sheet")
            else:
                self._warn(name, "", N_("not part of the exported workbook; ignored"), rule="workbook.sheet")

    def _headers_match(self, sheet: str, cells: dict[tuple[int, int], XlsxCell], headers: list[str]) -> bool:
        for column, expected in enumerate(headers, start=1):
            found = cells.get((1, column))
            if found is None or not _same_text(found.value, expected):
                cell, params = f"{get_column_letter(column)}1", {"expected": repr(_one_line(expected))}
                if found is None or found.value is None:
                    self._problem(sheet, cell, N_("expected the header {expected}, found nothing: columns were "
                                                  "inserted, moved or renamed; this sheet was not read"),
                                  params, rule="workbook.sheet")
                else:
                    self._problem(sheet, cell, N_("expected the header {expected}, found {found}: columns were "
                                                  "inserted, moved or renamed; this sheet was not read"),
                                  {**params, "found": repr(str(found.value))}, rule="workbook.sheet")
                return False
        return True

    # -- data sheets --

    def _read_data_sheet(self, sheet: str, cells: dict[tuple[int, int], XlsxCell]) -> None:
        layout = self.layout
        rows = sorted({row for row, _ in cells if row >= 2})
        for row in rows:
            value_cell = cells.get((row, layout.input_column))
            filled = value_cell is not None and (value_cell.formula or _text(value_cell) != "")
            note = _text(cells.get((row, layout.notes_column)))
            where = f"{get_column_letter(layout.input_column)}{row}"
            kpi_id = _text(cells.get((row, layout.ID_COLUMN)))
            if not kpi_id:
                if filled:
                    self._problem(sheet, where, N_("a value in a row without KPI id"), rule="workbook.kpi")
                continue
            if not self._first_sighting(kpi_id, sheet, f"A{row}"):
                continue
            kpi = self.project.kpis.get(kpi_id)
            if kpi is None:
                if filled:
                    self._problem(sheet, f"A{row}", N_("unknown KPI id '{kpi}': it is not in this project"),
                                  {"kpi": kpi_id}, rule="workbook.kpi")
                else:
                    self._warn(sheet, f"A{row}", N_("unknown KPI id '{kpi}' (no value given; ignored)"),
                               {"kpi": kpi_id}, rule="workbook.kpi")
                continue
            if kpi.formula:
                if filled:
                    self._problem(sheet, where, N_("{kpi} is calculated by esg-author ({formula}); a value for it "
                                                   "cannot be imported"),
                                  {"kpi": kpi_id, "formula": kpi.formula}, rule="workbook.kpi")
                continue
            self._take_value(kpi, value_cell, note, sheet, where)

    def _take_value(self, kpi: Kpi, cell: XlsxCell | None, note: str, sheet: str, where: str) -> KpiValue | None:
        """Parse one input cell and record the change; blank cells change nothing. Returns the value read."""
        entry = self._parse(kpi.id, cell, sheet, where)
        if entry is None:
            if note and (cell is None or _text(cell) == ""):
                self._warn(sheet, where, N_("{kpi}: a note without a value is ignored"), {"kpi": kpi.id})
            return None
        values = kpi.entity_values.get(self.result.entity, {}) if self.result.entity else kpi.values
        old = values.get(self.result.year)
        try:
            new, written = self._to_value(kpi, entry, cell, old, note, sheet, where)
        except NotANumberError as exc:
            self._value_problem(sheet, where, kpi.id, exc)
            return None
        if old is not None and _same_value(old, new, kpi.precision):
            self.result.unchanged += 1
        else:
            self.result.changes.append(ValueImport(kpi.id, self.result.entity, self.result.year, old, new, sheet, where, written))
        return new

    def _parse(self, kpi_id: str, cell: XlsxCell | None, sheet: str, where: str) -> ParsedEntry | None:
        if cell is None:
            return None
        if cell.formula and cell.value is None:
            self._problem(sheet, where, N_("{kpi}: formula was never calculated — open the file in Excel and save it"),
                          {"kpi": kpi_id})
            return None
        if cell.error:
            self._problem(sheet, where, N_("{kpi}: the cell shows the spreadsheet error {error}"),
                          {"kpi": kpi_id, "error": str(cell.value)})
            return None
        try:
            return parse_cell_value(cell.value, cell.number_format)
        except NotANumberError as exc:
            self._value_problem(sheet, where, kpi_id, exc)
            return None

    def _to_value(self, kpi: Kpi, entry: ParsedEntry, cell: XlsxCell | None, old: KpiValue | None, note: str,
                  sheet: str, where: str) -> tuple[KpiValue, str]:
        """The KpiValue an entry stands for in this KPI's unit; raises NotANumberError when it does not fit."""
        detail = f"{self.result.path.name} · {sheet}!{where}" + (" · formula" if cell is not None and cell.formula else "")
        if not entry.is_numeric:
            reason = dict(old.reason) if old is not None and old.kind == entry.kind else {}
            if note and note not in reason.values():  # the exported reason comes back unchanged
                reason[self._note_language(note)] = note
            return KpiValue(entry.kind, reason=reason, provenance=Provenance("imported", detail, self.moment)), ""
        assert entry.number is not None
        number, written = entry.number, ""
        label = unit_label(kpi.unit, "en") if is_known_unit(kpi.unit) else kpi.unit
        if entry.percent and kpi.unit != "percent":
            raise _CellValueError(N_("{kpi}: written as a percentage, but the KPI is in {unit}"), kpi=kpi.id,
                                  unit=label)
        if entry.unit_text:
            code = unit_code_for_text(entry.unit_text)
            if code is None:
                raise _CellValueError(N_("{kpi}: {text} after the number is not a unit esg-author knows; write "
                                         "only the number, in {unit}"), kpi=kpi.id, text=repr(entry.unit_text),
                                      unit=label)
            if code != kpi.unit:
                if not (is_known_unit(kpi.unit) and are_compatible(code, kpi.unit)):
                    raise _CellValueError(N_("{kpi}: the cell says {written} but the KPI is in {unit}"), kpi=kpi.id,
                                          written=unit_label(code, "en"), unit=label)
                written = f"{number} {unit_label(code, 'en')}"
                # precision + 6 decimals, half-up: 1000 GJ is 277.77777778 MWh, which a workbook
                # cell holds exactly, so re-importing the exported value changes nothing.
                converted = convert(number, code, kpi.unit)
                number = stored_number(check_magnitude(converted, f"{number} {unit_label(code, 'en')} = "
                                                       f"{converted:.6g} {label}"), kpi.precision)
        if note:
            detail += f" · note: {note}"
        keep_note = old.note if old is not None else {}  # a printed footnote stays with the KPI-year
        provenance = Provenance("imported", detail, self.moment)
        if kpi.unit == "score" or entry.kind == "score":
            if kpi.unit != "score":
                raise _CellValueError(N_("{kpi}: written as a score (x/y), but the KPI is in {unit}"), kpi=kpi.id,
                                      unit=label)
            maximum = entry.maximum or _latest_maximum(kpi)
            if maximum is None:
                raise _CellValueError(N_("{kpi}: a score needs its maximum: write it as 4.5/5"), kpi=kpi.id)
            return KpiValue("score", number, maximum, note=keep_note, provenance=provenance), written
        return KpiValue("number", number, note=keep_note, provenance=provenance), written

    def _note_language(self, note: str) -> str:
        """Han characters → the project's first Chinese language; otherwise English."""
        if _HAN.search(note):
            return next((lang for lang in self.project.meta.languages if lang.startswith("zh")), "zh-Hant")
        return "en"

    # -- KPI definitions --

    def _read_definitions(self, cells: dict[tuple[int, int], XlsxCell]) -> None:
        sheet, columns = DEFINITIONS_SHEET, DefinitionsLayout
        first_custom = self.meta.definitions_rows + 2
        new_ids: set[str] = set()
        for row in sorted({row for row, _ in cells if row >= 2}):
            if row < first_custom:  # the exported list: read-only
                listed = _text(cells.get((row, columns.ID)))
                if listed and listed not in self.project.kpis:
                    self._warn(sheet, f"A{row}", N_("KPI '{kpi}' is no longer in the project; ignored"),
                               {"kpi": listed}, rule="workbook.kpi")
                continue
            texts = {column: _text(cells.get((row, column))) for column in range(1, columns.NOTES + 1)}
            if not any(texts.values()):
                continue
            kpi = self._new_kpi(row, texts, new_ids)
            if kpi is None:
                continue
            new_ids.add(kpi.id)
            self.result.new_kpis.append(kpi)
            where = f"{get_column_letter(columns.VALUE)}{row}"
            value = self._take_value(kpi, cells.get((row, columns.VALUE)), texts[columns.NOTES], sheet, where)
            if not texts[columns.PRECISION] and value is not None and value.number is not None:
                kpi.precision = min(_decimals(value.number), 6)  # decimals left empty: as many as the value has

    def _new_kpi(self, row: int, texts: dict[int, str], new_ids: set[str]) -> Kpi | None:
        sheet, columns = DEFINITIONS_SHEET, DefinitionsLayout
        kpi_id = texts[columns.ID]
        problems_before = len(self.result.problems)
        if not is_valid_id(kpi_id):  # the id grammar of tokens, sections and tables
            self._problem(sheet, f"A{row}", N_("'{kpi}' is not a valid KPI id: start with a letter and use letters, "
                                               "digits, _ and -, in parts separated by single dots (e.g. "
                                               "energy.solar), at most {length} characters"), {"kpi": kpi_id, "length": MAX_ID_LENGTH},
                          rule="workbook.kpi")
        elif kpi_id in self.project.kpis:
            self._problem(sheet, f"A{row}", N_("a KPI with id '{kpi}' already exists in the project"), {"kpi": kpi_id},
                          rule="workbook.kpi")
        else:
            self._first_sighting(kpi_id, sheet, f"A{row}")  # reports a second row with the same id
        names = {lang: texts[column] for lang, column in
                 (("en", columns.NAME_EN), ("zh-Hant", columns.NAME_HANT), ("zh-Hans", columns.NAME_HANS)) if texts[column]}
        if not names:
            self._problem(sheet, f"B{row}", N_("new KPI '{kpi}' needs a name (English or Chinese)"), {"kpi": kpi_id},
                          rule="workbook.kpi")
        missing = [lang for lang in self.project.meta.languages if lang not in names]
        if names and missing:
            self._warn(sheet, f"B{row}", N_("new KPI '{kpi}' has no name in {languages} yet"),
                       {"kpi": kpi_id, "languages": ", ".join(missing)}, rule="workbook.kpi")
        unit = texts[columns.UNIT]
        unit = unit if is_known_unit(unit) else (unit_code_for_text(unit) or unit)
        if not is_known_unit(unit):
            self._problem(sheet, f"E{row}", N_("unknown unit code {unit}: choose one from the Units sheet"),
                          {"unit": repr(texts[columns.UNIT])}, rule="workbook.kpi")
        parent = texts[columns.PARENT]
        if parent and parent not in self.project.kpis and parent not in new_ids:
            self._problem(sheet, f"G{row}", N_("unknown parent KPI '{parent}' (a new parent must be on a row above)"),
                          {"parent": parent}, rule="workbook.kpi")
        precision = 0
        if texts[columns.PRECISION]:
            try:
                precision = int(float(texts[columns.PRECISION]))
                if not 0 <= precision <= 6:
                    raise ValueError
            except ValueError:
                self._problem(sheet, f"H{row}", N_("decimals must be a whole number from 0 to 6"), rule="workbook.kpi")
        if len(self.result.problems) > problems_before:
            return None
        return Kpi(kpi_id, names, unit, group=texts[columns.GROUP] or "custom", parent_id=parent or None,
                   precision=precision)

    # -- helpers --

    def _first_sighting(self, kpi_id: str, sheet: str, cell: str) -> bool:
        if kpi_id in self.seen:
            self._problem(sheet, cell, N_("duplicate KPI id '{kpi}': it is also at {place}"),
                          {"kpi": kpi_id, "place": self.seen[kpi_id]}, rule="workbook.kpi")
            return False
        self.seen[kpi_id] = f"{sheet}!{cell}"
        return True

    def _problem(self, sheet: str, cell: str, message: str, params: Mapping[str, str | int] | None = None,
                 rule: str = "workbook.value") -> None:
        self.result.problems.append(WorkbookProblem(sheet, cell, message, params or {}, rule))

    def _warn(self, sheet: str, cell: str, message: str, params: Mapping[str, str | int] | None = None,
              rule: str = "workbook.value") -> None:
        self.result.warnings.append(WorkbookProblem(sheet, cell, message, params or {}, rule))

    def _value_problem(self, sheet: str, cell: str, kpi_id: str, exc: NotANumberError) -> None:
        if isinstance(exc, _CellValueError):
            self._problem(sheet, cell, exc.message, exc.params)
        else:  # number_parsing's reasons are English sentences, given as they are
            self._problem(sheet, cell, N_("{kpi}: {reason}"), {"kpi": kpi_id, "reason": str(exc)})


def _text(cell: XlsxCell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _same_text(value: object, expected: str) -> bool:
    return value is not None and _one_line(str(value)) == _one_line(expected)


def _same_value(old: KpiValue, new: KpiValue, precision: int) -> bool:
    """Equal kind and reason, or numbers equal as a workbook cell holds them (see same_number)."""
    if old.kind != new.kind:
        return False
    if new.is_numeric:
        return _same_number(old.number, new.number, precision) and _same_number(old.maximum, new.maximum, precision)
    return old.reason == new.reason


def _same_number(old: Decimal | None, new: Decimal | None, precision: int) -> bool:
    if old is None or new is None:
        return old is new
    return same_number(old, new, precision)


def _latest_maximum(kpi: Kpi) -> Decimal | None:
    scores = [kpi.values[year] for year in sorted(kpi.values) if kpi.values[year].kind == "score"]
    return scores[-1].maximum if scores else None


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0



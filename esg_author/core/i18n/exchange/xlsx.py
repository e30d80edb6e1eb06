"""XLSX for translators without a CAT tool: one row per unit on the sheet "Translation".

Columns: Unit ID | Source (<lang>) | Target (<lang>) | State | Notes. The source cell shows the
inline codes (tokens, links, bold markers) in red so they stand out; the notes list them and the
glossary terms of the unit. State is a drop-down of new / translated / needs-review / final. A
second sheet, "About", says what the file is. On import only the Unit ID, Target and State
columns are read; the languages come from the column headings.

An .xlsx file is a zip archive: before openpyxl sees it, its members are checked against size
limits, so a "zip bomb" (a few MB that unpack to gigabytes) is refused at once instead of
stalling the app (see research/spike.md §6).
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

from esg_author.core.errors import ExchangeError
from esg_author.core.i18n.exchange import UNIT_STATES, ExchangeDocument, ExchangeUnit, check_writable
from esg_author.core.i18n.segments import InlineCode, inline_parts
from esg_author.core.storage import atomic_write_bytes

SHEET = "Translation"
HEADINGS = ("Unit ID", "Source", "Target", "State", "Notes")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed size of one member; real sheets compress ~5–20×
_LANG_RE = re.compile(r"\((zh-Hant|zh-Hans|en|[A-Za-z-]+)\)\s*$")


def write(document: ExchangeDocument, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    check_writable(document, path)  # openpyxl refuses control characters with a traceback
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(["Unit ID", f"Source ({document.source_lang})", f"Target ({document.target_lang})", "State", "Notes"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    code_font = InlineFont(color="C00000", b=True)
    for unit in document.units:
        pieces = inline_parts(unit.source)
        if any(isinstance(p, InlineCode) for p in pieces):
            source: object = CellRichText(*[TextBlock(code_font, p.text) if isinstance(p, InlineCode) else p for p in pieces])
        else:
            source = unit.source
        sheet.append([unit.id, source, unit.target, unit.state, "\n".join(unit.notes)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that starts with "=" is text, not a formula
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for column, width in zip("ABCDE", (26, 60, 60, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "B2"
    states = DataValidation(type="list", formula1='"' + ",".join(UNIT_STATES) + '"', allow_blank=True)
    sheet.add_data_validation(states)
    if document.units:
        states.add(f"D2:D{len(document.units) + 1}")
    about = workbook.create_sheet("About")
    for row in (
        ("esg-author translation exchange", ""),
        ("Project", document.original),
        ("Source language", document.source_lang),
        ("Target language", document.target_lang),
        ("How to", "Write the translation in the Target column and set State (new, translated, needs-review, "
                   "final). Do not change Unit ID. Keep the red codes of the source exactly as they are."),
    ):
        about.append(list(row))
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())


def check_zip_limits(path: Path) -> None:
    """Refuse archives that are too large or unpack to far more than they weigh (zip bombs)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ExchangeError(path, None, f"the file is {size // (1024 * 1024)} MB; at most {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExchangeError(path, None, f"not an .xlsx workbook ({exc})") from exc
    if len(members) > MAX_MEMBERS:
        raise ExchangeError(path, None, f"the workbook has {len(members)} parts; at most {MAX_MEMBERS}")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExchangeError(path, None, f"the workbook unpacks to {unpacked // (1024 * 1024)} MB; at most "
                                        f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ExchangeError(path, None, f"part {member.filename} unpacks {member.file_size // max(member.compress_size, 1)}× "
                                            "its packed size; refused as a possible zip bomb")


def read(path: Path) -> ExchangeDocument:
    check_zip_limits(path)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ExchangeError(path, None, f"cannot read the workbook ({type(exc).__name__}: {exc})") from exc
    try:
        return _read_rows(path, workbook)
    except ExchangeError:
        raise
    except Exception as exc:  # read_only: rows are parsed lazily, so a damaged sheet fails here
        raise ExchangeError(path, None, f"cannot read the workbook ({type(exc).__name__}: {exc})") from exc
    finally:
        workbook.close()


def _read_rows(path: Path, workbook: Any) -> ExchangeDocument:
    if SHEET not in workbook.sheetnames:
        raise ExchangeError(path, None, f"no sheet named {SHEET!r} (export the file from esg-author)")
    rows = workbook[SHEET].iter_rows(values_only=True)
    header = [str(v or "").strip() for v in next(rows, ())]
    if len(header) < 4 or header[0] != "Unit ID" or not header[1].startswith("Source") \
            or not header[2].startswith("Target") or header[3] != "State":
        raise ExchangeError(path, None, f"sheet {SHEET!r} row 1 must be: {' | '.join(HEADINGS)}")
    languages = [_LANG_RE.search(header[i]) for i in (1, 2)]
    if not all(languages):
        raise ExchangeError(path, None, "the Source and Target headings must name their language, e.g. \"Target (en)\"")
    source_lang, target_lang = (m.group(1) for m in languages if m is not None)
    document = ExchangeDocument(source_lang, target_lang, original=path.name)
    for number, row in enumerate(rows, start=2):
        values = [_cell_text(v) for v in (list(row) + [None] * 5)[:5]]
        if not any(values[:4]):
            continue
        ident, source, target, state = values[:4]
        if not ident:
            raise ExchangeError(path, f"row {number}", "the Unit ID is empty")
        state = state.strip().lower() or ("translated" if target.strip() else "new")
        document.units.append(ExchangeUnit(ident.strip(), source, target, state))
    return document


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Excel stores line breaks typed with Alt+Enter as \n, some tools as \r\n.
    return str(value).replace("\r\n", "\n")

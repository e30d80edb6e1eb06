"""Turn what colleagues type into a spreadsheet cell into a number or a typed non-number.

Data collectors write "1,234", "1 234 kWh", "１２３", "12.5 %", "(12)", "56噸", "N/A", "不適用" or
"保密". This module reads such text (and numeric cell values) into a ParsedEntry without ever
going through float rounding: text is parsed straight into Decimal, and a float cell value is
converted through its shortest round-trip repr (the number Excel stored, not a binary expansion).

Whether the parsed unit or percent sign fits a KPI is decided by the importer, which knows the KPI;
`unit_code_for_text` maps a written unit ("kWh", "千瓦時", "噸") to a unit code for that check.

Numbers beyond ±10¹⁵ are refused ("number too large"): no ESG figure is that big, and "1e30"
is a typing error, not a value. `stored_number` and `same_number` define how many decimals a
converted value keeps and when a number read back from a workbook counts as unchanged (see
docs/excel-workbook.md).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from esg_author.core.data.units import unit_codes, unit_label

logger = logging.getLogger(__name__)


class NotANumberError(ValueError):
    """The text is neither a number nor one of the words for a non-number; str() is the reason."""


@dataclass(frozen=True)
class ParsedEntry:
    kind: str  # "number" | "score" | "not_applicable" | "not_reported" | "confidential"
    number: Decimal | None = None
    maximum: Decimal | None = None  # for "4.5/5" (a score)
    percent: bool = False  # written with a % sign, or read from a percent-formatted cell
    unit_text: str = ""  # the unit written beside the number, normalised ("kwh", "噸"); "" when none

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("number", "score")


# Words for the three non-numbers, compared after NFKC normalisation and casefolding. "-" and "/"
# are what Hong Kong and mainland data sheets use for "not applicable"; zero must be written as 0.
NON_NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "not_applicable": ("n/a", "na", "n.a.", "n. a.", "not applicable", "不適用", "不适用", "/", "-", "--", "—", "——", "–"),
    "not_reported": ("not reported", "未匯報", "未汇报", "未報告", "未报告", "未披露", "n.r.", "nr"),
    "confidential": ("confidential", "保密", "機密", "机密"),
}
_WORD_KIND = {word: kind for kind, words in NON_NUMBER_WORDS.items() for word in words}
# Longest first so that "not applicable" is removed before "na" could match inside it.
_WORDS_BY_LENGTH = sorted(_WORD_KIND, key=len, reverse=True)
_WORD_SEPARATORS = re.compile(r"[\s()\[\]（）【】,;；、/|]+")

# No ESG figure reaches 10^15 (a million billion); beyond it a cell holds a typing error.
MAX_MAGNITUDE = Decimal("1e15")
# Decimals a converted value keeps beyond the KPI's printed ones: 1000 GJ is 277.77777778 MWh for
# a KPI printed with 2 decimals, not 277.7777777777777777777777778 (28 digits no workbook holds).
EXTRA_DECIMALS = 6
# A number that went through a workbook cell: openpyxl writes 16 significant digits ("%.16g",
# at most 5e-16 off, relative), the double read back is 1 ulp (2.2e-16) from that at most. 8e-16
# stays below what typing can change: Excel keeps 15 significant digits of a typed number.
_CELL_RELATIVE = Decimal("8e-16")

EXCEL_ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA")

# Chinese multipliers written before the unit: "1.2萬噸" is 12,000 tonnes.
_MULTIPLIERS = {"萬": 4, "万": 4, "億": 8, "亿": 8}

_MINUS_SIGNS = "\u2212\u2012\ufe63"  # minus sign, figure dash, small hyphen-minus (NFKC keeps them)
_GROUPED = r"\d{1,3}(?:(?P<sep>[,' ’])\d{3})(?:(?P=sep)\d{3})*"
_NUMBER = rf"(?:{_GROUPED}|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(rf"(?P<sign>[+-]?)\s*(?P<body>{_NUMBER})")
_SCORE_RE = re.compile(r"^(?P<value>[\d.,]+)\s*(?:/|out of|of|分?\s*滿分|分?\s*满分)\s*(?P<maximum>[\d.,]+)\s*分?$")


def normalise_text(text: str) -> str:
    """NFKC (full-width digits and punctuation → ASCII, ₂ → 2), one kind of minus, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    for minus in _MINUS_SIGNS:
        text = text.replace(minus, "-")
    return " ".join(text.split())


def parse_text(text: str) -> ParsedEntry | None:
    """Parse one cell's text; None for blank text. Raises NotANumberError with the reason."""
    normal = normalise_text(text)
    if not normal:
        return None
    if normal.upper() in EXCEL_ERRORS:
        raise NotANumberError(f"the cell shows the spreadsheet error {normal.upper()}")
    kind = _non_number_kind(normal)
    if kind:
        return ParsedEntry(kind)
    score = _SCORE_RE.match(normal.casefold())
    if score:
        return ParsedEntry("score", _in_range(_plain_decimal(score["value"], text), repr(text.strip())),
                           _in_range(_plain_decimal(score["maximum"], text), repr(text.strip())))
    negative = False
    if normal.startswith("(") and normal.endswith(")"):  # accountants' negative: (12)
        normal, negative = normal[1:-1].strip(), True
    match = _NUMBER_RE.match(normal)
    body = match["body"] if match else ""
    if not match or not any(ch.isdigit() for ch in body):
        raise NotANumberError(f"{text.strip()!r} is not a number")
    if negative and match["sign"]:
        raise NotANumberError(f"{text.strip()!r} has two signs")
    number = _in_range(_decimal(body, match["sign"] == "-" or negative, text), repr(text.strip()))  # before arithmetic
    rest = normal[match.end():].strip()
    percent = False
    if rest.startswith("%"):
        percent, rest = True, rest[1:].strip()
        if rest:
            raise NotANumberError(f"{text.strip()!r}: unexpected text {rest!r} after the percent sign")
    if rest and rest[0] in _MULTIPLIERS:
        number, rest = number.scaleb(_MULTIPLIERS[rest[0]]), rest[1:].strip()
    if rest and (rest[0].isdigit() or rest[0] in ".,'+-()"):  # "1 2", "12-13", "1,23": not a unit
        raise NotANumberError(f"{text.strip()!r} is not a number")
    return ParsedEntry("number", _in_range(number, repr(text.strip())), percent=percent, unit_text=_unit_key(rest))


def parse_cell_value(value: object, number_format: str = "General") -> ParsedEntry | None:
    """Parse a cell value as openpyxl returns it (int, float, str, datetime, None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumberError(f"{'TRUE' if value else 'FALSE'} is not a number")
    if isinstance(value, (datetime, date, time, timedelta)):
        raise NotANumberError("the cell holds a date or time, not a number (format it as Number)")
    if isinstance(value, (int, float, Decimal)):
        number = decimal_from_cell_number(value)
        if is_percent_format(number_format):  # Excel stores 12% as 0.12
            shown = f"{value!r} (a percentage)"
            return ParsedEntry("number", _in_range(_in_range(number, shown).scaleb(2), shown), percent=True)
        return ParsedEntry("number", _in_range(number, repr(value)))
    if isinstance(value, str):
        return parse_text(value)
    raise NotANumberError(f"cannot read a value of type {type(value).__name__}")


def decimal_from_cell_number(value: int | float | Decimal) -> Decimal:
    """The exact decimal a spreadsheet number stands for: repr() is the shortest string that reads
    back as the same double, so 0.1 stays 0.1 rather than 0.1000000000000000055511151231257827."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise NotANumberError(f"{value!r} is not a finite number")
    if value.is_integer() and abs(value) < 1e15:
        return Decimal(int(value))
    return Decimal(repr(value))


def stored_number(number: Decimal, precision: int) -> Decimal:
    """number with at most precision + EXTRA_DECIMALS decimals, rounded half-up.

    For converted values on import and for the input cells of an export; never raises.
    """
    exponent = number.as_tuple().exponent
    places = max(precision, 0) + EXTRA_DECIMALS
    if not isinstance(exponent, int) or exponent >= -places:
        return number
    with localcontext() as context:  # room for every digit: quantize must not fail on big numbers
        context.prec = max(context.prec, number.adjusted() + places + 2)
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if not rounded:
            return Decimal(0)
        return _without_exponent(rounded.normalize())  # 1.23400000 → 1.234, 1.00E+2 → 100


def check_magnitude(number: Decimal, shown: str) -> Decimal:
    """number as it is; NotANumberError ("number too large") beyond ±MAX_MAGNITUDE."""
    return _in_range(number, shown)


def same_number(old: Decimal, new: Decimal, precision: int) -> bool:
    """Whether a number read back from a workbook cell is the stored one.

    Equal within half a unit of the last decimal a converted value keeps (precision +
    EXTRA_DECIMALS), or within what writing and reading a cell's double can change (_CELL_RELATIVE):
    an untouched cell then never counts as a change.
    """
    if old == new:
        return True
    half_unit = Decimal(5).scaleb(-(max(precision, 0) + EXTRA_DECIMALS + 1))
    return abs(old - new) <= max(half_unit, abs(old) * _CELL_RELATIVE)


def is_percent_format(number_format: str | None) -> bool:
    """True for number formats that show a percentage (0%, 0.00%), not for a quoted literal "%"."""
    if not number_format:
        return False
    unquoted = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in unquoted


# -- units ----------------------------------------------------------------------------------

# Spellings people write besides the labels esg-author prints (which are accepted too).
_EXTRA_UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "t": ("tonne", "tonnes", "ton", "tons", "公噸", "公吨"),
    "kg": ("kgs", "公斤", "千克"),
    "tCO2e": ("tco2", "t co2e", "tonnes co2e", "tonnes co2-e", "tco2-e", "噸co2e", "吨co2e"),
    "MWh": ("mwh", "兆瓦時", "兆瓦时", "mw·h"),
    "kWh": ("kwh", "度", "度電", "度电"),
    "GJ": ("gigajoules",),
    "m3": ("cubic metres", "cubic meters", "cbm", "立方", "方", "公方"),
    "person": ("person", "people", "employees", "employee", "staff", "名", "人數", "人数", "名員工", "名员工", "名僱員"),
    "hour": ("hour", "hrs", "hr", "h", "小時", "小时"),
    "day": ("day", "天"),
    "case": ("case", "件", "例"),
    "company": ("supplier", "companies", "company", "間", "间"),
    "count": ("no.", "項", "项"),
    "RMB": ("rmb", "cny", "元", "人民幣", "人民币", "¥"),
    "RMB_thousand": ("rmb'000", "rmb thousand", "rmb k", "千元"),
    "RMB_million": ("rmb m", "rmb mn", "rmb million", "百萬元", "百万元"),
    "score": ("point", "pts"),
    "person_time": ("person-time", "person times", "人次"),
}


def _unit_key(text: str) -> str:
    """A unit as written, reduced for comparison: NFKC (tCO₂e → tco2e, m³ → m3), casefolded, no spaces."""
    return "".join(normalise_text(text).casefold().split())


def _build_unit_spellings() -> dict[str, str]:
    spellings: dict[str, str] = {}
    for code in unit_codes():
        written = [code, *(unit_label(code, lang) for lang in ("en", "zh-Hant", "zh-Hans"))]
        written += _EXTRA_UNIT_SPELLINGS.get(code, ())
        for spelling in written:
            key = _unit_key(spelling)
            if key in spellings and spellings[key] != code:
                # A spelling must name one unit; the first (units.py order) wins and a test keeps
                # this list free of such clashes.
                logger.warning("unit spelling %r is ambiguous (%s, %s)", spelling, spellings[key], code)
                continue
            spellings[key] = code
    return spellings


_UNIT_SPELLINGS = _build_unit_spellings()


def unit_code_for_text(unit_text: str) -> str | None:
    """The unit code a written unit stands for ("千瓦時" → "kWh"), or None when it is not a unit."""
    return _UNIT_SPELLINGS.get(_unit_key(unit_text))


# -- helpers --------------------------------------------------------------------------------


def _non_number_kind(normal: str) -> str | None:
    """The non-number kind when the text consists only of its words ("N/A 不適用" too)."""
    folded = normal.casefold()
    if folded in _WORD_KIND:
        return _WORD_KIND[folded]
    if any(ch.isdigit() for ch in folded):
        return None
    kinds: set[str] = set()
    rest = folded
    for word in _WORDS_BY_LENGTH:
        if len(word) > 2 and word in rest:  # short words ("na", "/", "-") only count on their own
            kinds.add(_WORD_KIND[word])
            rest = rest.replace(word, " ")
    leftover = [part for part in _WORD_SEPARATORS.split(rest) if part]
    if all(part in _WORD_KIND for part in leftover):
        kinds.update(_WORD_KIND[part] for part in leftover)
        if len(kinds) == 1:
            return kinds.pop()
    return None


def _decimal(body: str, negative: bool, original: str) -> Decimal:
    digits = re.sub(r"[,' ’]", "", body)
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise NotANumberError(f"{original.strip()!r} is not a number") from None
    return -number if negative else number


def _in_range(number: Decimal, shown: str) -> Decimal:
    """number without exponent (see below); NotANumberError when it is beyond ±MAX_MAGNITUDE."""
    too_large = f"number too large: {shown}; esg-author reads numbers up to ±1,000,000,000,000,000 (10^15)"
    if not number.is_finite() or number.copy_abs() > MAX_MAGNITUDE:  # copy_abs: no context, no Overflow
        raise NotANumberError(too_large)
    try:
        return _without_exponent(number)
    except InvalidOperation:  # more digits than Decimal's context holds
        raise NotANumberError(too_large) from None


def _without_exponent(number: Decimal) -> Decimal:
    """1.2E+4 → 12000: "1e3" and "1.2萬" are whole numbers and should print as such in listings."""
    exponent = number.as_tuple().exponent
    return number.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else number


def _plain_decimal(text: str, original: str) -> Decimal:
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+", text):
        raise NotANumberError(f"{original.strip()!r} is not a number")
    return _decimal(text, False, original)

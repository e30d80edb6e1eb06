"""Numbers, percentages, dates and KPI values formatted for a report language with Babel.

Rounding policy: KPI values are Decimals rounded half-up to the KPI's precision before Babel
sees them (Babel alone rounds half-even, which prints 2.665 as 2.66 where readers and auditors
expect 2.67). Thousands separators are always half-width commas, as in the seeds.

Every format with examples per language: docs/formatting.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, get_currency_name
from babel.numbers import format_percent as babel_format_percent

from esg_author.core.data.rounding import round_half_up
from esg_author.core.data.units import convert, unit_label
from esg_author.core.errors import EsgAuthorError
from esg_author.core.i18n.catalogs import translations
from esg_author.core.model import Kpi, KpiValue, localized
from esg_author.core.model.options import DATE_STYLES  # the date_style option's values

BABEL_LOCALES = {"zh-Hant": "zh_Hant_HK", "zh-Hans": "zh_Hans_CN", "en": "en_GB"}
HTML_LANGS = {"zh-Hant": "zh-Hant-HK", "zh-Hans": "zh-Hans-CN", "en": "en-GB"}
"""The lang attribute per edition: pan-CJK fonts pick Hong Kong, Taiwan or mainland glyph forms
from it, so zh-Hant reports of Hong Kong issuers say zh-Hant-HK."""


def format_number(number: Decimal, precision: int, lang: str) -> str:
    pattern = "#,##0" + ("." + "0" * precision if precision > 0 else "")
    rounded = round_half_up(number, precision)
    if rounded.is_zero():  # -0.004 rounds to -0.00, which Babel prints with its sign
        rounded = rounded.copy_abs()
    return format_decimal(rounded, format=pattern, locale=BABEL_LOCALES[lang])


class DateStyleError(EsgAuthorError, ValueError):
    """The project option date_style has a value we do not know."""

    def __init__(self, style: str) -> None:
        self.style = style
        super().__init__(f"project option date_style: unknown value {style!r} (use one of: {', '.join(DATE_STYLES)})")


def format_date(day: date, lang: str, style: str | None = "default") -> str:
    """31 December 2025 / 2025年12月31日, or 二零二五年十二月三十一日 with style="numerals" (zh only).

    style None means "default", so callers can pass meta.options.get("date_style") as it is.
    """
    if _date_style(style) == "numerals" and lang != "en":
        return chinese_numeral_date(day)
    return babel_format_date(day, format="long", locale=BABEL_LOCALES[lang])


def format_period(start: date, end: date, lang: str, style: str | None = "default") -> str:
    """1 January 2025 to 31 December 2025 / 2025年1月1日至2025年12月31日 (joined by the catalog)."""
    _ = translations(lang).gettext
    return _("{start} to {end}").format(start=format_date(start, lang, style), end=format_date(end, lang, style))


_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_numeral_date(day: date) -> str:
    """二零二五年十二月三十一日: the year digit by digit (零, not 〇, as seed 003 writes it), month and
    day as counted numbers (十, 十一, 二十一, 三十一). Identical in Traditional and Simplified script."""
    year = "".join(_CHINESE_DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{_chinese_count(day.month)}月{_chinese_count(day.day)}日"


def _chinese_count(number: int) -> str:
    """1–99 in Chinese numerals: 一 … 十, 十一 … 十九, 二十, 二十一 … 九十九."""
    if not 1 <= number <= 99:
        raise ValueError(f"{number} is outside 1–99")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _CHINESE_DIGITS[ones]
    return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def _date_style(style: str | None) -> str:
    style = style or "default"
    if style not in DATE_STYLES:
        raise DateStyleError(style)
    return style


def format_percent(points: Decimal, precision: int, lang: str) -> str:
    """12.5% from Decimal("12.5") percentage points: rounded half-up, no space before % in any
    edition (the seeds' usual form), locale symbols from Babel."""
    pattern = "#,##0" + ("." + "0" * precision if precision > 0 else "") + "%"
    fraction = round_half_up(points, precision).scaleb(-2)  # exact: Babel's ×100 cannot re-round it
    return babel_format_percent(fraction, format=pattern, locale=BABEL_LOCALES[lang])


MONEY_SCALES = (0, 3, 4, 6, 8, 9)
"""Allowed `scale` of format_money: the power of ten the amount is printed in (千, 萬, 百萬, 億 /
thousand, million, billion)."""
_ZH_MAGNITUDES = {
    "zh-Hant": {0: "", 3: "千", 4: "萬", 6: "百萬", 8: "億"},
    "zh-Hans": {0: "", 3: "千", 4: "万", 6: "百万", 8: "亿"},
}
_EN_MAGNITUDES = {0: "", 3: " thousand", 6: " million", 9: " billion"}
_ZH_PREFIXED_CURRENCIES = {"RMB": ("人民幣", "人民币"), "CNY": ("人民幣", "人民币"), "HKD": ("港幣", "港币")}
_EN_CURRENCY_PREFIXES = {"RMB": "RMB", "CNY": "RMB", "HKD": "HK$", "USD": "US$"}


def format_money(amount: Decimal, currency: str, lang: str, scale: int | None = None,
                 precision: int | None = None) -> str:
    """An amount of money as the seeds write it in running text.

    amount is in whole currency units (yuan); scale picks the magnitude word it is printed in.
    Chinese: 人民幣1,234萬元 / 人民币17.805亿元 / 港幣5百萬元 / 12萬美元; English: RMB12.34 million,
    HK$5 million (the HKEX filing style, no space after the symbol). A scale a language has no word
    for becomes the next smaller one: 萬 (10⁴) is "thousand" in English, 億 (10⁸) "million", and
    billion (10⁹) is 億 in Chinese. precision None prints the scaled amount's own decimals exactly;
    a number rounds half-up like every other figure.
    """
    if scale is not None and scale not in MONEY_SCALES:
        raise ValueError(f"scale must be one of {MONEY_SCALES}, not {scale!r}")
    code = currency.upper()
    magnitudes = _EN_MAGNITUDES if lang == "en" else _ZH_MAGNITUDES[lang]
    native = max(power for power in magnitudes if power <= (scale or 0))
    scaled = amount.scaleb(-native)
    number = format_number(scaled, _decimals(scaled) if precision is None else precision, lang)
    magnitude = magnitudes[native]
    if lang == "en":
        prefix = _EN_CURRENCY_PREFIXES.get(code, f"{code} ")
        return f"{prefix}{number}{magnitude}"
    if code in _ZH_PREFIXED_CURRENCIES:
        hant, hans = _ZH_PREFIXED_CURRENCIES[code]
        return f"{hant if lang == 'zh-Hant' else hans}{number}{magnitude}元"
    try:
        name = get_currency_name(code, locale=BABEL_LOCALES[lang])  # 美元, 歐元, 日圓 …
    except (KeyError, ValueError):
        name = code
    return f"{number}{magnitude}{name}"


def format_kpi_value(kpi: Kpi, value: KpiValue | None, lang: str, with_unit: bool = False) -> str:
    """A KPI value as printed in a table cell (with_unit=False) or in running text."""
    _ = translations(lang).gettext
    if value is None:
        return "—"
    if value.kind == "not_applicable":
        return _("Not applicable")
    if value.kind == "not_reported":
        return _("Not reported")
    if value.kind == "confidential":
        return _("Confidential")
    assert value.number is not None  # guaranteed by KpiValue for numbers and scores
    number, unit = value.number, kpi.unit
    if value.kind == "number" and kpi.display_unit and kpi.display_unit != kpi.unit:
        # stored in one unit, printed in another (kWh kept as entered, shown as MWh)
        number, unit = convert(value.number, kpi.unit, kpi.display_unit), kpi.display_unit
    text = format_number(number, kpi.precision, lang)
    if value.kind == "score":
        assert value.maximum is not None
        maximum = format_number(value.maximum, _decimals(value.maximum), lang)
        return _("{value} out of {maximum}").format(value=text, maximum=maximum)
    if unit == "percent":
        return f"{text}%" if with_unit else text
    if with_unit:
        return _("{value} {unit}").format(value=text, unit=unit_label(unit, lang))
    return text


def kpi_name(kpi: Kpi, lang: str) -> str:
    return localized(kpi.name, lang, kpi.id)


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0

"""Numbers, percentages, dates and KPI values formatted for a report language with Babel.

Rounding policy: KPI values are Decimals rounded half-up to the KPI's precision before Babel
sees them (Babel alone rounds half-even, which prints 2.665 as 2.66 where readers and auditors
expect 2.67). Thousands separators are always half-width commas, as in the seeds.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

from esg_author.core.data.units import unit_label
from esg_author.core.i18n.catalogs import translations
from esg_author.core.model import Kpi, KpiValue, localized

BABEL_LOCALES = {"zh-Hant": "zh_Hant_HK", "zh-Hans": "zh_Hans_CN", "en": "en_GB"}
HTML_LANGS = {"zh-Hant": "zh-Hant-HK", "zh-Hans": "zh-Hans-CN", "en": "en-GB"}
"""The lang attribute per edition: pan-CJK fonts pick Hong Kong, Taiwan or mainland glyph forms
from it, so zh-Hant reports of Hong Kong issuers say zh-Hant-HK."""


def round_half_up(number: Decimal, precision: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def format_number(number: Decimal, precision: int, lang: str) -> str:
    pattern = "#,##0" + ("." + "0" * precision if precision > 0 else "")
    return format_decimal(round_half_up(number, precision), format=pattern, locale=BABEL_LOCALES[lang])


def format_date(day: date, lang: str) -> str:
    """31 December 2025 / 2025年12月31日."""
    return babel_format_date(day, format="long", locale=BABEL_LOCALES[lang])


def format_period(start: date, end: date, lang: str) -> str:
    _ = translations(lang).gettext
    return _("{start} to {end}").format(start=format_date(start, lang), end=format_date(end, lang))


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
    text = format_number(value.number, kpi.precision, lang)
    if value.kind == "score":
        assert value.maximum is not None
        maximum = format_number(value.maximum, _decimals(value.maximum), lang)
        return _("{value} out of {maximum}").format(value=text, maximum=maximum)
    if kpi.is_percent:
        return f"{text}%" if with_unit else text
    if with_unit:
        return _("{value} {unit}").format(value=text, unit=unit_label(kpi.unit, lang))
    return text


def kpi_name(kpi: Kpi, lang: str) -> str:
    return localized(kpi.name, lang, kpi.id)


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0

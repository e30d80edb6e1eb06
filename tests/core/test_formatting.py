"""Numbers and KPI values formatted per report language with a half-up rounding policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from esg_author.core.i18n.formatting import (
    DateStyleError,
    chinese_numeral_date,
    format_date,
    format_kpi_value,
    format_money,
    format_number,
    format_percent,
    format_period,
)
from esg_author.core.model import Kpi, KpiValue


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_numbers_round_half_up_with_half_width_separators(lang):
    assert format_number(Decimal("2.665"), 2, lang) == "2.67"  # Babel alone says 2.66
    assert format_number(Decimal("1234567.5"), 0, lang) == "1,234,568"
    assert format_number(Decimal("0.125"), 2, lang) == "0.13"


def test_dates_and_periods_per_language():
    assert format_date(date(2025, 12, 31), "en") == "31 December 2025"
    assert format_date(date(2025, 12, 31), "zh-Hant") == "2025年12月31日"
    assert format_period(date(2025, 1, 1), date(2025, 12, 31), "zh-Hans") == "2025年1月1日至2025年12月31日"
    assert format_period(date(2025, 1, 1), date(2025, 12, 31), "en") == "1 January 2025 to 31 December 2025"


def test_kpi_values_of_every_kind():
    kpi = Kpi("ghg", {"en": "GHG"}, "tCO2e", precision=2)
    assert format_kpi_value(kpi, KpiValue("number", Decimal("1397.955")), "en") == "1,397.96"
    assert format_kpi_value(kpi, KpiValue("number", Decimal("1397.955")), "en", with_unit=True) == "1,397.96 tCO₂e"
    assert format_kpi_value(kpi, KpiValue("number", Decimal("5")), "zh-Hant", with_unit=True) == "5.00噸二氧化碳當量"
    assert format_kpi_value(kpi, KpiValue("not_applicable"), "zh-Hant") == "不適用"
    assert format_kpi_value(kpi, KpiValue("not_reported"), "zh-Hans") == "未汇报"
    assert format_kpi_value(kpi, None, "en") == "—"
    score = Kpi("sat", {"en": "Satisfaction"}, "score", precision=1)
    assert format_kpi_value(score, KpiValue("score", Decimal("8.5"), Decimal("9")), "zh-Hant") == "8.5（滿分9）"
    assert format_kpi_value(score, KpiValue("score", Decimal("4.6"), Decimal("5")), "en") == "4.6 out of 5"
    rate = Kpi("rate", {"en": "Rate"}, "percent", precision=1)
    assert format_kpi_value(rate, KpiValue("number", Decimal("46.25")), "en", with_unit=True) == "46.3%"


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_percentages_round_half_up_without_a_space(lang):
    assert format_percent(Decimal("12.5"), 1, lang) == "12.5%"
    assert format_percent(Decimal("2.665"), 2, lang) == "2.67%"
    assert format_percent(Decimal("46.25"), 1, lang) == "46.3%"
    assert format_percent(Decimal("1234.5"), 0, lang) == "1,235%"
    assert format_percent(Decimal("-3.25"), 1, lang) == "-3.3%"  # half-up rounds away from zero


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh-Hant", ["人民幣1,234萬元", "人民幣17.805億元", "人民幣420元", "人民幣1,136.532百萬元", "港幣5百萬元", "12萬美元"]),
    ("zh-Hans", ["人民币1,234万元", "人民币17.805亿元", "人民币420元", "人民币1,136.532百万元", "港币5百万元", "12万美元"]),
    ("en", ["RMB12,340 thousand", "RMB1,780.5 million", "RMB420", "RMB1,136.532 million", "HK$5 million", "US$120 thousand"]),
])
def test_money_as_the_seeds_write_it(lang, expected):
    assert [
        format_money(Decimal("12340000"), "RMB", lang, scale=4),
        format_money(Decimal("1780500000"), "CNY", lang, scale=8),
        format_money(Decimal("420"), "RMB", lang),
        format_money(Decimal("1136532000"), "RMB", lang, scale=6),
        format_money(Decimal("5000000"), "HKD", lang, scale=6),
        format_money(Decimal("120000"), "usd", lang, scale=4),
    ] == expected


def test_money_precision_billions_and_other_currencies():
    assert format_money(Decimal("1780500000"), "RMB", "zh-Hant", scale=8, precision=2) == "人民幣17.81億元"
    assert format_money(Decimal("2665"), "RMB", "en", scale=3, precision=2) == "RMB2.67 thousand"
    assert format_money(Decimal("12300000000"), "RMB", "en", scale=9) == "RMB12.3 billion"
    assert format_money(Decimal("12300000000"), "RMB", "zh-Hans", scale=9) == "人民币123亿元"
    assert format_money(Decimal("1234000"), "EUR", "zh-Hant", scale=4) == "123.4萬歐元"
    assert format_money(Decimal("1234000"), "EUR", "en", scale=6) == "EUR 1.234 million"
    with pytest.raises(ValueError):
        format_money(Decimal("1"), "RMB", "en", scale=5)


def test_chinese_numeral_dates():
    assert chinese_numeral_date(date(2025, 12, 31)) == "二零二五年十二月三十一日"
    assert chinese_numeral_date(date(2023, 1, 1)) == "二零二三年一月一日"
    assert chinese_numeral_date(date(2020, 10, 20)) == "二零二零年十月二十日"
    assert chinese_numeral_date(date(2019, 11, 19)) == "二零一九年十一月十九日"
    assert chinese_numeral_date(date(2000, 2, 29)) == "二零零零年二月二十九日"
    assert chinese_numeral_date(date(2024, 6, 30)) == "二零二四年六月三十日"


def test_date_styles_per_language():
    day, start = date(2025, 12, 31), date(2025, 1, 1)
    assert format_date(day, "zh-Hant", style="numerals") == "二零二五年十二月三十一日"
    assert format_date(day, "zh-Hans", style="numerals") == "二零二五年十二月三十一日"
    assert format_date(day, "en", style="numerals") == "31 December 2025"  # no such style in English
    assert format_date(day, "zh-Hant", style=None) == format_date(day, "zh-Hant") == "2025年12月31日"
    assert format_period(start, day, "zh-Hant", style="numerals") == "二零二五年一月一日至二零二五年十二月三十一日"
    assert format_period(start, day, "en", style="numerals") == "1 January 2025 to 31 December 2025"
    with pytest.raises(DateStyleError, match="date_style"):
        format_date(day, "zh-Hant", style="roman")


def test_report_context_uses_the_date_style_option(small_project):
    from esg_author.core.render.context import build_context

    assert build_context(small_project, "zh-Hant", "pdf").data["report"]["period"] == "2025年1月1日至2025年12月31日"
    small_project.meta.options["date_style"] = "numerals"
    report = build_context(small_project, "zh-Hant", "pdf").data["report"]
    assert report["period"] == "二零二五年一月一日至二零二五年十二月三十一日"
    assert report["period_end"] == "二零二五年十二月三十一日"
    assert build_context(small_project, "en", "pdf").data["report"]["period"] == "1 January 2025 to 31 December 2025"


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
@pytest.mark.parametrize("number, precision, text", [
    (Decimal("-0.004"), 2, "0.00"), (Decimal("-0.4"), 0, "0"), (Decimal("-0.0"), 1, "0.0"),
    (Decimal("-0.005"), 2, "-0.01"), (Decimal("-1.2"), 1, "-1.2"),
])
def test_a_number_that_rounds_to_zero_has_no_sign(lang, number, precision, text):
    assert format_number(number, precision, lang) == text


@pytest.mark.parametrize("unit, old, new, lang, change", [
    ("person", "1000", "999.9996", "en", "0.0%"),   # -0.00004 %: no "-0.0%"
    ("person", "1000", "1000.0004", "en", "0.0%"),  # and no "+0.0%"
    ("person", "100", "120", "en", "+20.0%"),
    ("person", "100", "80", "zh-Hant", "-20.0%"),
    ("percent", "12.34", "12.30", "en", "0.0 pp"),  # -0.04 points
    ("percent", "12.3", "14.5", "en", "+2.2 pp"),
    ("percent", "12.3", "10.1", "zh-Hant", "-2.2個百分點"),
    ("percent", "12.3", "14.5", "zh-Hans", "+2.2个百分点"),
    ("percent", "12.34", "12.30", "zh-Hans", "0.0个百分点"),
])
def test_change_column_has_no_negative_zero_and_translated_points(unit, old, new, lang, change):
    from esg_author.core.render.kpi_tables import _change_text

    kpi = Kpi("k", {"en": "K"}, unit, precision=1,
              values={2024: KpiValue("number", Decimal(old)), 2025: KpiValue("number", Decimal(new))})
    assert _change_text(kpi, [2024, 2025], lang) == change

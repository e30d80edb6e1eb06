"""Numbers and KPI values formatted per report language with a half-up rounding policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from esg_author.core.i18n.formatting import format_date, format_kpi_value, format_number, format_period
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

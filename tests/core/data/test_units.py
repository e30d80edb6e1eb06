"""Units: labels per language, exact conversions with Decimals, typed errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esg_author.core.data.units import (
    convert,
    expression_label,
    inline_unit_label,
    is_counted,
    is_intensity,
    is_known_unit,
    unit_codes,
    unit_label,
)
from esg_author.core.errors import EsgAuthorError, ModelError, UnitError

REQUIRED = ["t", "kg", "tCO2e", "MWh", "kWh", "GJ", "kWh_thousand", "m3", "person", "percent", "hour", "day", "RMB",
            "RMB_thousand", "RMB_million", "RMB_ten_thousand", "score", "case", "company", "count", "person_time",
            "tCO2e_per_person", "tCO2e_per_rmb_million", "MWh_per_person", "m3_per_person", "t_per_person",
            "kg_per_person", "hour_per_person"]


@pytest.mark.parametrize("code", REQUIRED)
def test_every_unit_has_labels_in_three_languages(code):
    assert is_known_unit(code)
    labels = [unit_label(code, lang) for lang in ("en", "zh-Hant", "zh-Hans")]
    assert all(labels)


def test_labels_follow_the_seeds():
    assert unit_label("kWh_thousand", "en") == "'000 kWh"
    assert unit_label("kWh_thousand", "zh-Hant") == "千個千瓦時"
    assert unit_label("RMB_ten_thousand", "zh-Hant") == "人民幣萬元"
    assert unit_label("tCO2e", "zh-Hans") == "吨二氧化碳当量"
    assert inline_unit_label("percent", "en") == "%"
    assert expression_label("kgCO2e/kWh", "en") == "kgCO₂e/kWh"
    assert set(REQUIRED) <= set(unit_codes())


def test_unknown_unit_label_is_a_model_error():
    with pytest.raises(ModelError):
        unit_label("furlong", "en")


@pytest.mark.parametrize("value, source, target, expected", [
    ("1", "MWh", "kWh", "1000"),
    ("1234.5", "kWh", "kWh_thousand", "1.2345"),
    ("3.6", "GJ", "MWh", "1"),
    ("4701.89", "MWh", "GJ", "16926.804"),
    ("2", "RMB_million", "RMB_ten_thousand", "200"),
    ("1860", "RMB_thousand", "RMB_million", "1.86"),
    ("0.0751", "t_per_person", "kg_per_person", "75.1"),
    ("1500", "kg", "t", "1.5"),
    ("2", "day", "hour", "48"),
])
def test_conversions_are_exact(value, source, target, expected):
    assert convert(Decimal(value), source, target) == Decimal(expected)


def test_no_float_drift():
    # 0.1 + 0.2 style drift would show here: 0.3 MWh is exactly 300 kWh and 1.08 GJ
    assert convert(Decimal("0.3"), "MWh", "kWh") == Decimal("300")
    assert convert(Decimal("0.3"), "MWh", "GJ") == Decimal("1.08")
    assert str(convert(Decimal("1"), "GJ", "MWh")).startswith("0.27777777777777777777")


@pytest.mark.parametrize("source, target", [("MWh", "t"), ("person", "case"), ("tCO2e", "tCO2e_per_person"), ("RMB", "percent")])
def test_incompatible_units_raise_a_typed_error(source, target):
    with pytest.raises(UnitError, match=f"cannot convert {source} to {target}") as info:
        convert(Decimal(1), source, target)
    assert isinstance(info.value, EsgAuthorError)


def test_message_names_what_each_unit_measures():
    with pytest.raises(UnitError, match=r"energy vs mass"):
        convert(Decimal(1), "MWh", "t")


def test_unit_kinds():
    assert is_intensity("tCO2e_per_person") and is_intensity("m3_per_person")
    assert not is_intensity("percent") and not is_intensity("MWh")
    assert is_counted("person") and is_counted("company") and not is_counted("MWh")


def test_a_kpi_stored_in_kwh_is_printed_in_its_display_unit(small_project):
    from esg_author.core.i18n.formatting import format_kpi_value
    from esg_author.core.model import Kpi, KpiTable, KpiValue
    from esg_author.core.render.kpi_tables import build_kpi_table

    kpi = Kpi("energy.electricity", {"en": "Electricity"}, "kWh", precision=2, display_unit="MWh",
              values={2025: KpiValue("number", Decimal("4230700"))})
    assert format_kpi_value(kpi, kpi.values[2025], "en") == "4,230.70"
    assert format_kpi_value(kpi, kpi.values[2025], "zh-Hant", with_unit=True).endswith("兆瓦時")
    small_project.kpis[kpi.id] = kpi
    table = KpiTable("e", {"en": "E"}, [kpi.id], [2025])
    row = build_kpi_table(small_project, table, "en")["rows"][-1]
    assert row["unit"] == "MWh" and row["cells"][0]["text"] == "4,230.70"

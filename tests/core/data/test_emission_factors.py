"""The built-in emission factor library, its validation, project overrides and table notes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esg_author.core.data.emission_factors import available_factors, builtin_library, factor_note, load_factor_library
from esg_author.core.errors import DataFileError
from esg_author.core.model import EmissionFactor
from esg_author.core.render.kpi_tables import build_kpi_table


def test_library_has_the_factors_reports_use():
    factors = builtin_library().factors
    assert factors["cn_grid_2022"].factor.value == Decimal("0.5366")
    assert factors["cn_grid_2022"].factor.unit == "tCO2e/MWh"
    assert factors["cn_grid_2023"].uncertain  # press coverage only
    for factor_id in ("cn_grid_2021", "cn_grid_power_sector_2022", "hk_clp_2023", "hk_hke_2023", "hk_petrol_vehicle",
                      "hk_diesel_vehicle", "cn_petrol", "cn_diesel", "cn_natural_gas", "cn_lpg", "hk_lpg_stationary"):
        info = factors[factor_id]
        assert info.factor.source["en"] and info.factor.source["zh-Hant"] and info.factor.source["zh-Hans"]
        assert info.factor.year and info.factor.activity and info.factor.region
        assert info.note  # where the value comes from, or why it is uncertain


def test_project_factors_override_and_add(small_project):
    small_project.factors["cn_grid_2022"] = EmissionFactor("cn_grid_2022", Decimal("0.6"), "tCO2e/MWh", {"en": "ours"}, 2022)
    small_project.factors["own"] = EmissionFactor("own", Decimal("1"), "kgCO2e/kWh", {"en": "ours"}, 2025)
    factors = available_factors(small_project)
    assert factors["cn_grid_2022"].factor.value == Decimal("0.6") and not factors["cn_grid_2022"].builtin
    assert "own" in factors and "cn_grid_2023" in factors


@pytest.mark.parametrize("entry, message", [
    ('id = "x"\nvalue = "abc"\nunit = "tCO2e/MWh"\nyear = 2022\nsource = { en = "s" }', "value"),
    ('id = "x"\nvalue = "1"\nunit = "tCO2e/blorp"\nyear = 2022\nsource = { en = "s" }', "unknown unit"),
    ('id = "x"\nvalue = "1"\nunit = "tCO2e/MWh"\nsource = { en = "s" }', "missing field 'year'"),
    ('id = "x"\nvalue = "1"\nunit = "tCO2e/MWh"\nyear = 2022\nsource = { "zh-Hant" = "s" }', "English"),
])
def test_bad_factor_files_name_the_file_and_factor(tmp_path, entry, message):
    path = tmp_path / "factors.toml"
    path.write_text('[wording]\nnote = { en = "{name}" }\nnote_without_name = { en = "x" }\n\n[[factor]]\n' + entry, encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as info:
        load_factor_library(path)
    assert str(path) in str(info.value) and "'x'" in str(info.value)


def test_factor_note_in_each_language():
    info = builtin_library().factors["cn_grid_2022"]
    assert factor_note(info, "en").startswith("Emission factor – mainland China national grid average: 0.5366 tCO₂e/MWh (")
    assert "0.5366噸二氧化碳當量/兆瓦時" in factor_note(info, "zh-Hant") and "2022年" in factor_note(info, "zh-Hant")
    assert "0.5366吨二氧化碳当量/兆瓦时" in factor_note(info, "zh-Hans")


def test_tables_print_the_factors_their_kpis_use(demo_project):
    notes = [n["text"] for n in build_kpi_table(demo_project, demo_project.tables["env-emissions"], "en")["notes"]]
    factor_notes = [n for n in notes if n.startswith("Emission factor")]
    assert len(factor_notes) == 2
    assert "0.5366 tCO₂e/MWh" in factor_notes[0] and "0.39 kgCO₂e/kWh" in factor_notes[1]
    waste = build_kpi_table(demo_project, demo_project.tables["env-waste"], "en")["notes"]
    assert not any(n["text"].startswith("Emission factor") for n in waste)

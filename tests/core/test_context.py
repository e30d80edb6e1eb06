"""The template context: KPI values in running text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esg_author.core.model import Kpi, KpiValue
from esg_author.core.render.context import build_context, money_in_text


@pytest.mark.parametrize("unit, number, lang, expected", [
    ("RMB_thousand", "2385", "en", "RMB2,385 thousand"),
    ("RMB_thousand", "2385", "zh-Hant", "人民幣238.5萬元"),
    ("RMB_thousand", "2385", "zh-Hans", "人民币238.5万元"),
    ("RMB_million", "1780.5", "zh-Hant", "人民幣17.805億元"),
    ("RMB_million", "12.5", "zh-Hans", "人民币1,250万元"),
    ("RMB_million", "1780.5", "en", "RMB1,780.5 million"),
])
def test_money_reads_as_the_seeds_write_it(unit, number, lang, expected):
    kpi = Kpi("money", {"en": "Money"}, unit, precision=1)
    assert money_in_text(kpi, KpiValue("number", Decimal(number)), lang) == expected


def test_other_kpis_keep_number_and_unit(small_project):
    assert money_in_text(small_project.kpis["emp.total"], KpiValue("number", Decimal(1)), "en") is None
    html = "".join(b["html"] for s in build_context(small_project, "en", "pdf").data["sections"]
                   for b in s["blocks"] if b["kind"] == "html")
    assert '<span class="kpi-number">120</span> <span class="kpi-unit">persons</span>' in html

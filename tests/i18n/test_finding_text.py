"""Findings in the UI language: finding_text looks the message up in the catalog and fills in
its parameters; the rule summaries the problems panel groups by are translated too."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esg_author.core.checks import kpi_rules
from esg_author.core.findings import Finding, KpiTarget, Severity
from esg_author.core.i18n.catalogs import finding_text, translations
from esg_author.core.model import KpiValue
from esg_author.core.rules import RULES


def _yoy_finding(project) -> Finding:  # type: ignore[no-untyped-def]
    kpi = project.kpis["emp.total"]
    kpi.values[2024] = KpiValue("number", Decimal(100))
    kpi.values[2025] = KpiValue("number", Decimal(250))
    return next(f for f in kpi_rules.check_year_over_year(project) if f.target == KpiTarget("emp.total", 2025))


def test_a_check_finding_reads_in_each_ui_language_with_its_parameters(small_project) -> None:
    finding = _yoy_finding(small_project)
    assert finding.text == ("rose 150% from 100 in 2024 to 250 in 2025 (more than ±30%) without a note on the "
                            "2025 value explaining why")
    assert finding_text(finding, "en") == finding.text
    assert finding_text(finding, "zh-Hant") == ("由 2024 年的 100 上升 150% 至 2025 年的 250（超過 ±30%），"
                                                "但 2025 年的數值沒有附註說明原因")
    assert finding_text(finding, "zh-Hans") == ("由 2024 年的 100 上升 150% 至 2025 年的 250（超过 ±30%），"
                                                "但 2025 年的数值没有附注说明原因")


def test_a_token_finding_keeps_the_token_as_written(small_project) -> None:
    from esg_author.core.model.tokens import scan_tokens
    from esg_author.core.render.markdown import malformed_problem

    (token,) = scan_tokens("員工[[kpi:emp total]]人")
    problem = malformed_problem(token)
    finding = Finding(Severity.ERROR, problem.rule, problem.template, "zh-Hant", params=problem.params)
    text = finding_text(finding, "zh-Hant")
    assert text.startswith("[[kpi:emp total]] 不是標記：「emp total」不是有效的編號")
    assert "{" not in text


def test_a_message_without_a_catalog_entry_stays_in_english() -> None:
    finding = Finding(Severity.WARNING, "kpi.yoy", "a message nobody translated: {n}", params={"n": 3})
    assert finding_text(finding, "zh-Hant") == "a message nobody translated: 3"


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_every_rule_summary_is_translated(lang: str) -> None:
    gettext = translations(lang).gettext
    untranslated = [rule.id for rule in RULES.values() if gettext(rule.summary) == rule.summary]
    assert untranslated == []
    term = {"zh-Hant": "關鍵績效指標", "zh-Hans": "关键绩效指标"}[lang]  # the catalogs' word for KPI
    assert term in gettext(RULES["kpi.missing_value"].summary)

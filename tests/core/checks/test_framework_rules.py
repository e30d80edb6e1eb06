"""Gap analysis: what is missing, unexplained, empty or short of data for the chosen frameworks."""

from __future__ import annotations

from decimal import Decimal

from esg_author.core.checks.framework_rules import check_project
from esg_author.core.commands import SetDisclosureStatus, SetKpiValue, SetSectionDisclosures, SetSectionText, UndoStack
from esg_author.core.model import DisclosureStatus, KpiValue


def rules(findings):
    return {(f.rule, f.location) for f in findings}


def test_demo_has_no_gaps(demo_project):
    errors = [f.one_line() for f in check_project(demo_project) if f.severity.value == "error"]
    assert errors == []


def test_unanswered_required_disclosures_are_errors(small_project):
    found = rules(check_project(small_project))  # hkex-esg-2020: only A1.0 and B1.1 are answered
    assert ("framework.gap", "hkex-esg-2020:MDR-GOV") in found
    assert ("framework.gap", "hkex-esg-2020:B7.1") in found
    assert ("framework.gap", "hkex-esg-2020:A1.0") not in found
    assert ("framework.gap", "hkex-esg-2020:B1.1") not in found  # through the KPI in the table


def test_status_needs_an_explanation_in_every_language(small_project):
    stack = UndoStack(small_project)
    stack.execute(SetDisclosureStatus("hkex-esg-2020", "A2.5", DisclosureStatus(
        "hkex-esg-2020", "A2.5", "not_applicable", {"en": "We make no physical products."})))
    found = [f for f in check_project(small_project) if f.rule == "framework.no-reason"]
    assert sorted(f.lang for f in found) == ["zh-Hans", "zh-Hant"]
    assert ("framework.gap", "hkex-esg-2020:A2.5") not in rules(check_project(small_project))


def test_disclosed_in_an_empty_section_and_unknown_codes(small_project):
    stack = UndoStack(small_project)
    for lang in ("en", "zh-Hant", "zh-Hans"):
        stack.execute(SetSectionText("env-data", lang, body=""))
    stack.execute(SetSectionDisclosures("env-data", ["hkex-esg-2020:A1.5"]))
    # Codes no catalogue has: the command refuses them, but a project file may still hold them.
    small_project.section("env-data").disclosures += ["hkex-esg-2020:A9.9", "nope:1"]
    findings = check_project(small_project)
    assert ("framework.empty-section", "hkex-esg-2020:A1.5") in rules(findings)
    unknown = [f.text for f in findings if f.rule == "framework.unknown-code"]
    assert len(unknown) == 2 and "A9.9" in unknown[0] and "nope:1" in unknown[1]


def test_three_years_of_fatalities(small_project):
    small_project.kpis["emp.total"].codes.append("hkex-esg-2020:B2.1")
    found = [f for f in check_project(small_project) if f.rule == "framework.years"]
    assert len(found) == 1 and "2023" in found[0].text
    stack = UndoStack(small_project)
    stack.execute(SetKpiValue("emp.total", 2023, KpiValue("number", Decimal(90))))
    assert not [f for f in check_project(small_project) if f.rule == "framework.years"]

"""Script leakage check: Simplified characters in zh-Hant text and the reverse."""

from __future__ import annotations

from esg_author.core.checks import script_rules
from esg_author.core.checks.script_rules import foreign_characters
from esg_author.core.findings import KpiTarget, SectionTarget, TableTarget


def test_simplified_characters_in_traditional_text_are_found():
    found = foreign_characters("本集團重視健康与安全及安全生产，深圳市福田区。", "zh-Hant")
    assert set(found) == {"与", "产", "区"}


def test_characters_valid_in_both_scripts_are_not_reported():
    text = "若干平台的高峰期，雇主批准佣金；公里、恒生指數、游泳。"
    assert foreign_characters(text, "zh-Hant") == {}


def test_traditional_characters_in_simplified_text_are_found_but_not_in_tokens():
    found = foreign_characters("本集团於2025年發佈报告[[kpi:x]]，見https://example.com/後。", "zh-Hans")
    assert set(found) == {"於", "發", "佈", "見", "後"}  # not the x of kpi:x or the URL


def test_check_project_reports_location_and_characters(small_project):
    small_project.section("intro").texts["zh-Hant"].body += "健康与安全。"
    small_project.section("env").texts["zh-Hant"].title = "环境"
    small_project.kpis["emp.total"].name["zh-Hant"] = "员工總數"
    small_project.tables["env"].title["zh-Hans"] = "環境"
    body = small_project.section("intro").texts["zh-Hant"].body
    first = body.index("与")
    findings = {(f.rule, f.target, f.lang): f.text for f in script_rules.check_project(small_project)}
    body_target = SectionTarget("intro", "zh-Hant", first, first + 1)  # aimed at the first one in the body
    assert set(findings) == {
        ("script.simplified-in-hant", body_target, "zh-Hant"),
        ("script.simplified-in-hant", SectionTarget("env", "zh-Hant"), "zh-Hant"),
        ("script.simplified-in-hant", KpiTarget("emp.total"), "zh-Hant"),
        ("script.traditional-in-hans", TableTarget("env"), "zh-Hans"),
    }
    assert findings[("script.simplified-in-hant", body_target, "zh-Hant")].startswith(
        "Simplified characters in the text: 与")
    assert "title" in findings[("script.simplified-in-hant", SectionTarget("env", "zh-Hant"), "zh-Hant")]
    assert findings[("script.traditional-in-hans", TableTarget("env"), "zh-Hans")].startswith(
        "Traditional characters: 環")


def test_the_demo_has_no_script_leakage(demo_project):
    assert script_rules.check_project(demo_project) == []

"""KPI checks on the errors real reports printed (seed-anatomy §7) and on the clean demo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from esg_author.core.checks.kpi_rules import check_project, yoy_threshold
from esg_author.core.findings import Severity
from esg_author.core.model import Kpi, KpiTable, KpiValue, Project, ReportMeta, Section, SectionText


def _project(*kpis: Kpi, year: int = 2023) -> Project:
    meta = ReportMeta(company={"en": "X"}, title={"en": "T"}, year=year,
                      period_start=date(year, 1, 1), period_end=date(year, 12, 31))
    return Project(meta=meta, kpis={kpi.id: kpi for kpi in kpis})


def _kpi(kpi_id: str, unit: str, values: dict[int, str], parent: str | None = None, dimension: str = "",
         precision: int = 0, formula: str = "", notes: dict[int, str] | None = None) -> Kpi:
    return Kpi(kpi_id, {"en": kpi_id}, unit, parent_id=parent, dimension=dimension, precision=precision, formula=formula,
               values={year: KpiValue("number", Decimal(v), note={"en": (notes or {}).get(year, "")} if notes else {})
                       for year, v in values.items()})


def _rules(project: Project) -> set[tuple[str, str]]:
    return {(f.rule, f.target.kpi_id) for f in check_project(project) if f.severity is not Severity.INFO}


def test_credit_risk_distribution_that_does_not_add_up():
    # seed 001: 14,980 + 5,571 + 1,076 + 108 = 21,735, printed total 21,915
    project = _project(
        _kpi("credit.total", "RMB_million", {2021: "21915"}),
        *[_kpi(f"credit.band{i}", "RMB_million", {2021: v}, "credit.total", "band")
          for i, v in enumerate(["14980", "5571", "1076", "108"])],
        year=2021)
    findings = [f for f in check_project(project) if f.rule == "kpi.breakdown"]
    assert len(findings) == 1 and findings[0].target.kpi_id == "credit.total" and findings[0].severity is Severity.ERROR
    assert "2021" in findings[0].text and "21,735" in findings[0].text and "21,915" in findings[0].text
    assert "14,980 + 5,571 + 1,076 + 108" in findings[0].text
    project.kpis["credit.band1"].values[2021] = KpiValue("number", Decimal("5751"))  # the transposition fixed
    assert ("kpi.breakdown", "credit.total") not in _rules(project)


def test_each_dimension_must_add_up_training_by_gender_and_by_level():
    # seed 002: trained by gender 1,562 + 848 = 2,410, by level 47 + 433 + 1,920 = 2,400
    parts = [("f", "1562", "gender"), ("m", "848", "gender"), ("senior", "47", "level"), ("middle", "433", "level"),
             ("junior", "1920", "level")]
    project = _project(_kpi("trained", "person", {2023: "2410"}),
                       *[_kpi(f"trained.{k}", "person", {2023: v}, "trained", d) for k, v, d in parts])
    findings = [f for f in check_project(project) if f.rule == "kpi.breakdown"]
    assert len(findings) == 1
    assert "by level adds up to 2,400" in findings[0].text and "2,410" in findings[0].text
    del project.kpis["trained"].values[2023]  # without a total, the two breakdowns still disagree
    findings = [f for f in check_project(project) if f.rule == "kpi.breakdown"]
    assert len(findings) == 1 and "by gender they add up to 2,410, by level to 2,400" in findings[0].text


def test_rounding_tolerance_is_half_a_unit_per_part():
    project = _project(_kpi("e", "MWh", {2023: "10.01"}, precision=2),
                       *[_kpi(f"e.{i}", "MWh", {2023: "3.34"}, "e", "site", precision=2) for i in range(3)])
    assert ("kpi.breakdown", "e") not in _rules(project)  # 10.02 vs 10.01: within 3 × 0.005
    project.kpis["e"].values[2023] = KpiValue("number", Decimal("10.00"))
    assert ("kpi.breakdown", "e") in _rules(project)  # off by 0.02 > 0.015


def test_board_percentages_forced_to_100():
    # seed 002: 1 of 9 directors printed 11.10 %, 4 of 9 printed 44.45 % (twice): sum 100.00 but not k/9
    project = _project(_kpi("board", "person", {2023: "9"}),
                       _kpi("board.exec", "percent", {2023: "11.10"}, "board", "role", precision=2),
                       _kpi("board.ned", "percent", {2023: "44.45"}, "board", "role", precision=2),
                       _kpi("board.ined", "percent", {2023: "44.45"}, "board", "role", precision=2),
                       _kpi("board.female", "percent", {2023: "22.22"}, "board", "gender", precision=2),
                       _kpi("board.male", "percent", {2023: "77.78"}, "board", "gender", precision=2))
    findings = [f for f in check_project(project) if f.rule == "kpi.share_adjusted"]
    assert {f.target.kpi_id for f in findings} == {"board.exec", "board.ned", "board.ined"}
    exec_finding = next(f for f in findings if f.target.kpi_id == "board.exec")
    assert "11.10% of 9" in exec_finding.text and "1 of 9 is 11.11%" in exec_finding.text
    assert not any(f.rule == "kpi.shares" for f in check_project(project))  # 99.99 is 100 within rounding


def test_shares_that_do_not_add_up_to_100():
    project = _project(_kpi("emp", "person", {2023: "1000"}),
                       _kpi("emp.f_share", "percent", {2023: "46.0"}, "emp", "gender", precision=1),
                       _kpi("emp.m_share", "percent", {2023: "56.0"}, "emp", "gender", precision=1))
    findings = [f for f in check_project(project) if f.rule == "kpi.shares"]
    assert len(findings) == 1 and "102" in findings[0].text and findings[0].target.kpi_id == "emp"


def test_rates_broken_down_into_rates_are_not_shares(demo_project):
    # turnover 14.8 % by gender 14.0 % and 15.3 %: rates of groups, they do not add up to anything
    assert not any(f.rule == "kpi.shares" for f in check_project(demo_project))


def test_stored_intensity_that_differs_from_its_formula():
    project = _project(_kpi("ghg", "tCO2e", {2023: "1097.47"}, precision=2), _kpi("emp", "person", {2023: "2440"}),
                       _kpi("ghg.int", "tCO2e_per_person", {2023: "0.50"}, precision=2, formula="ghg / emp"))
    findings = [f for f in check_project(project) if f.rule == "kpi.intensity"]
    assert len(findings) == 1 and "0.45" in findings[0].text and "0.5" in findings[0].text


def test_water_change_on_the_wrong_base_and_the_sentence_claiming_it():
    # seed 002: water 16,098.54 → 7,221.46 t, printed "降低約123%" (the decrease ÷ the 2023 value)
    project = _project(_kpi("water", "t", {2022: "16098.54", 2023: "7221.46"}, precision=2),
                       _kpi("water.change", "percent", {2023: "-122.9"}, "water", "change", precision=1))
    project.sections.append(Section("env", texts={
        "zh-Hant": SectionText("環境", "總用水量較2022年降低約123%，耗電量降低約18%。"),
        "en": SectionText("Environment", "Total water consumption decreased by about 123% from 2022."),
        "zh-Hans": SectionText("环境", "总用水量下降123%。")}))
    findings = check_project(project)
    change = [f for f in findings if f.rule == "kpi.change_base"]
    assert change and all(f.target.kpi_id == "water.change" for f in change)
    assert any("impossible" in f.text for f in change)
    claims = {(f.lang, f.target.section_id) for f in findings if f.rule == "kpi.impossible_decrease"}
    assert claims == {("zh-Hant", "env"), ("en", "env"), ("zh-Hans", "env")}
    spans = {f.lang: f.target for f in findings if f.rule == "kpi.impossible_decrease"}
    body = project.section("env").texts["zh-Hant"].body
    assert "123%" in body[spans["zh-Hant"].start:spans["zh-Hant"].end]  # the span points at the claim
    assert not any("18%" in f.text for f in findings if f.rule == "kpi.impossible_decrease")


def test_change_formula_on_the_wrong_base_is_explained():
    project = _project(_kpi("el", "MWh", {2022: "2269.01", 2023: "1924.37"}, precision=2),
                       _kpi("el.change", "percent", {2023: "-17.9"}, precision=1, formula="percent(el - prev(el), prev(el))"))
    findings = [f for f in check_project(project) if f.rule == "kpi.change_base"]
    assert len(findings) == 1
    assert "divided by the 2023 value" in findings[0].text and "= -15.2%" in findings[0].text


def test_large_year_on_year_change_needs_a_note():
    project = _project(_kpi("suppliers.assessed", "company", {2022: "1563", 2023: "324"}))
    findings = [f for f in check_project(project) if f.rule == "kpi.yoy"]
    assert len(findings) == 1 and "fell 79.3%" in findings[0].text and findings[0].severity is Severity.WARNING
    project.kpis["suppliers.assessed"].values[2023] = KpiValue("number", Decimal("324"), note={"en": "New screening rule."})
    assert not any(f.rule == "kpi.yoy" for f in check_project(project))
    project.meta.options["yoy_threshold"] = "80%"
    assert yoy_threshold(project) == Decimal("0.8")


def test_missing_current_year_value_of_a_printed_entered_kpi():
    project = _project(_kpi("a", "t", {2022: "1"}), _kpi("b", "t", {}, formula="a * 2"), _kpi("c", "t", {}))
    project.tables["t"] = KpiTable("t", {"en": "T"}, ["a", "b"], [2022, 2023])
    assert {f.target.kpi_id for f in check_project(project) if f.rule == "kpi.missing_value"} == {"a"}  # b derived, c unprinted


def test_broken_formula_is_a_finding_not_a_crash():
    project = _project(_kpi("a", "MWh", {2023: "1"}), _kpi("b", "t", {2023: "1"}), _kpi("c", "MWh", {}, formula="a + b"))
    findings = [f for f in check_project(project) if f.rule == "kpi.formula"]
    assert len(findings) == 1 and findings[0].target.kpi_id == "c" and "cannot add" in findings[0].text


def test_the_demo_is_consistent(demo_project):
    findings = check_project(demo_project)
    assert [f.one_line() for f in findings if f.severity is not Severity.INFO] == []

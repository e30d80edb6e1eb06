"""Derived KPIs: dependency order, cycles, unknown ids, units, division by zero, undo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from esg_author.core.commands import CompositeCommand, UndoStack
from esg_author.core.data.derived import compile_formulas, recompute_derived
from esg_author.core.data.rounding import round_fraction
from esg_author.core.errors import FormulaError
from esg_author.core.model import EmissionFactor, Kpi, KpiValue, Project, ReportMeta


def _project(*kpis: Kpi) -> Project:
    meta = ReportMeta(company={"en": "X"}, title={"en": "T"}, year=2025,
                      period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    return Project(meta=meta, kpis={kpi.id: kpi for kpi in kpis})


def _kpi(kpi_id: str, unit: str, values: dict[int, str] | None = None, formula: str = "", precision: int = 2,
         parent: str | None = None, dimension: str = "") -> Kpi:
    return Kpi(kpi_id, {"en": kpi_id}, unit, precision=precision, formula=formula, parent_id=parent, dimension=dimension,
               values={year: KpiValue("number", Decimal(v)) for year, v in (values or {}).items()})


def _apply(project: Project, years=None) -> list:
    commands, problems = recompute_derived(project, years)
    CompositeCommand(list(commands)).apply(project)
    return problems


def test_chain_is_computed_in_dependency_order():
    project = _project(
        _kpi("ghg.intensity", "tCO2e_per_person", formula="ghg.total / emp.total", precision=2),  # listed first on purpose
        _kpi("ghg.total", "tCO2e", formula="children(ghg.total)"),
        _kpi("ghg.scope1", "tCO2e", {2025: "100.25"}, parent="ghg.total", dimension="scope"),
        _kpi("ghg.scope2", "tCO2e", formula="energy.electricity * factor(cn_grid_2022)", parent="ghg.total", dimension="scope"),
        _kpi("energy.electricity", "MWh", {2025: "1000"}),
        _kpi("emp.total", "person", {2025: "100"}, precision=0),
    )
    assert [c.kpi_id for c in compile_formulas(project).order] == ["ghg.scope2", "ghg.total", "ghg.intensity"]
    assert _apply(project) == []
    assert project.kpis["ghg.scope2"].values[2025].number == Decimal("536.60")
    assert project.kpis["ghg.total"].values[2025].number == Decimal("636.85")
    assert project.kpis["ghg.intensity"].values[2025].number == Decimal("6.37")
    provenance = project.kpis["ghg.intensity"].values[2025].provenance
    assert provenance.source == "derived" and provenance.detail == "ghg.total / emp.total" and provenance.at


def test_factor_units_are_converted_and_project_factors_override():
    project = _project(_kpi("gas", "m3", {2025: "19880"}, precision=0),
                       _kpi("s1", "tCO2e", formula="gas * factor(cn_natural_gas)"))
    _apply(project)
    assert project.kpis["s1"].values[2025].number == Decimal("42.98")  # 19,880 m³ × 2.162 kg/m³
    project.factors["cn_natural_gas"] = EmissionFactor("cn_natural_gas", Decimal("2"), "kgCO2e/m3", {"en": "own"}, 2025)
    _apply(project)
    assert project.kpis["s1"].values[2025].number == Decimal("39.76")


def test_percent_and_prev_and_years():
    project = _project(_kpi("water", "m3", {2024: "16098.54", 2025: "7221.46"}),
                       _kpi("water.change", "percent", formula="percent(water - prev(water), prev(water))", precision=1),
                       _kpi("trained", "person", {2025: "2410"}, precision=0), _kpi("emp", "person", {2025: "2440"}, precision=0),
                       _kpi("coverage", "percent", formula="percent(trained, emp)", precision=1))
    _apply(project)
    assert project.kpis["water.change"].values[2025].number == Decimal("-55.1")
    assert 2024 not in project.kpis["water.change"].values  # no 2023 value: nothing to compare with
    assert project.kpis["coverage"].values[2025].number == Decimal("98.8")


def test_cycle_is_named():
    project = _project(_kpi("a", "t", formula="b + c"), _kpi("b", "t", formula="a * 2"), _kpi("c", "t", {2025: "1"}))
    with pytest.raises(FormulaError, match=r"cycle: (a → b → a|b → a → b)"):
        recompute_derived(project)


def test_unknown_ids_are_named():
    project = _project(_kpi("a", "t", formula="b + nope"), _kpi("b", "t", {2025: "1"}))
    with pytest.raises(FormulaError, match=r"KPI a: .*'nope', which is not a KPI") as info:
        recompute_derived(project)
    assert info.value.kpi_id == "a"
    project = _project(_kpi("a", "tCO2e", formula="b * factor(mars_grid)"), _kpi("b", "MWh", {2025: "1"}))
    with pytest.raises(FormulaError, match="mars_grid"):
        recompute_derived(project)


def test_units_must_agree():
    project = _project(_kpi("a", "MWh", {2025: "1"}), _kpi("b", "t", {2025: "1"}), _kpi("c", "MWh", formula="a + b"))
    with pytest.raises(FormulaError, match=r"KPI c: cannot add a \(energy\) and b \(mass\)"):
        recompute_derived(project)
    project = _project(_kpi("a", "MWh", {2025: "1"}), _kpi("c", "t", formula="a * 2"))
    with pytest.raises(FormulaError, match="gives energy, which cannot be stored in the KPI's unit t"):
        recompute_derived(project)


def test_children_with_several_dimensions_must_name_one():
    project = _project(_kpi("emp", "person", formula="children(emp)"),
                       _kpi("emp.f", "person", {2025: "3"}, parent="emp", dimension="gender"),
                       _kpi("emp.m", "person", {2025: "4"}, parent="emp", dimension="gender"),
                       _kpi("emp.young", "person", {2025: "7"}, parent="emp", dimension="age"))
    with pytest.raises(FormulaError, match=r"several dimensions .*children\(emp, gender\)"):
        recompute_derived(project)
    project.kpis["emp"].formula = "children(emp, gender)"
    _apply(project)
    assert project.kpis["emp"].values[2025].number == 7


def test_not_applicable_breakdowns_count_as_zero_and_are_never_overwritten():
    project = _project(_kpi("e", "MWh", formula="children(e)"), _kpi("e.el", "MWh", {2025: "10"}, parent="e"),
                       _kpi("e.diesel", "MWh", parent="e"))
    project.kpis["e.diesel"].values[2025] = KpiValue("not_applicable")
    _apply(project)
    assert project.kpis["e"].values[2025].number == Decimal("10.00")
    project.kpis["e"].values[2025] = KpiValue("confidential")
    assert recompute_derived(project) == ([], [])


def test_division_by_zero_leaves_the_value_missing_and_is_reported():
    project = _project(_kpi("a", "t", {2025: "5"}), _kpi("n", "person", {2025: "0"}, precision=0),
                       _kpi("i", "t_per_person", formula="a / n"))
    commands, problems = recompute_derived(project)
    assert commands == []
    assert [(p.rule, p.target.kpi_id) for p in problems] == [("kpi.formula.division_by_zero", "i")]
    assert "2025" in problems[0].text


def test_missing_inputs_keep_typed_values_and_clear_stale_derived_ones():
    project = _project(_kpi("a", "t", {2024: "1"}), _kpi("b", "t", formula="a * 2", values={2023: "7"}))
    _apply(project)
    assert project.kpis["b"].values[2023].number == 7  # typed long ago, inputs gone: kept
    assert project.kpis["b"].values[2024].number == Decimal("2.00")
    del project.kpis["a"].values[2024]
    _apply(project, [2024])
    assert 2024 not in project.kpis["b"].values


def test_recompute_is_one_undo_step():
    project = _project(_kpi("a", "t", {2024: "1", 2025: "2"}), _kpi("b", "t", formula="a * 3"))
    stack = UndoStack(project)
    commands, _ = recompute_derived(project)
    stack.execute(CompositeCommand(list(commands), description="Recompute derived KPIs"))
    assert project.kpis["b"].values == {2024: project.kpis["b"].values[2024], 2025: project.kpis["b"].values[2025]}
    stack.undo()
    assert project.kpis["b"].values == {}


def test_rounding_is_half_up_and_exact():
    from fractions import Fraction
    assert round_fraction(Fraction("2.665"), 2) == Decimal("2.67")
    assert round_fraction(Fraction("-2.665"), 2) == Decimal("-2.67")
    assert round_fraction(Fraction(-1, 1000), 2) == Decimal("0.00")
    assert str(round_fraction(Fraction(1, 3), 4)) == "0.3333"


def test_demo_formulas_reproduce_the_demo_values(demo_project):
    assert recompute_derived(demo_project) == ([], [])
    assert demo_project.kpis["ghg.scope2"].formula and "factor(cn_grid_2022)" in demo_project.kpis["ghg.scope2"].formula

"""Derived KPIs: dependency order, cycles, unknown ids, units, division by zero, undo, and broken
formulas that are skipped and reported instead of blocking every recompute."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from esg_author.core.commands import CompositeCommand, SetKpiValue, UndoStack
from esg_author.core.data.consolidation import consolidate
from esg_author.core.data.derived import RecomputeDerived, compile_formulas, formula_names, recompute_derived, rename_in_formula
from esg_author.core.data.rounding import round_fraction
from esg_author.core.data.workbook_export import export_workbook
from esg_author.core.data.workbook_import import import_workbook
from esg_author.core.errors import FormulaError
from esg_author.core.findings import KpiTarget
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


# -- one broken formula does not block the others -------------------------------------------------


def _broken_project() -> Project:
    return _project(
        _kpi("energy", "MWh", {2025: "1000"}), _kpi("emp", "person", {2025: "100"}, precision=0),
        _kpi("energy.per_person", "MWh_per_person", formula="energy / emp"),  # fine
        _kpi("ghg", "tCO2e", formula="energy * factor(no_such_factor)"),  # broken: unknown factor
        _kpi("ghg.per_person", "tCO2e_per_person", formula="ghg / emp"),  # fine itself, but needs ghg
        _kpi("a", "t", formula="b * 2"), _kpi("b", "t", formula="a / 2"),  # a cycle
        _kpi("typo", "t", formula="energy +"),  # does not parse
    )


def test_a_tolerant_compilation_leaves_out_what_it_cannot_use():
    formula_set = compile_formulas(_broken_project(), tolerant=True)
    assert [c.kpi_id for c in formula_set.order] == ["energy.per_person"]
    assert sorted(formula_set.broken) == ["a", "b", "ghg", "typo"]
    assert "no_such_factor" in formula_set.broken["ghg"].reason and "cycle" in formula_set.broken["a"].reason
    assert formula_set.blocked == {"ghg.per_person": "ghg"}
    with pytest.raises(FormulaError):
        compile_formulas(_broken_project())  # strict, as `check` and `kpi recompute` want it


def test_recompute_derived_skips_broken_formulas_and_reports_each_on_its_kpi():
    project = _broken_project()
    stack = UndoStack(project)
    command = RecomputeDerived((2025,))
    stack.execute(CompositeCommand([SetKpiValue("emp", 2025, KpiValue("number", Decimal(200))), command]))
    assert project.kpis["energy.per_person"].values[2025].number == Decimal("5.00")  # 1000 / 200
    assert all(2025 not in project.kpis[k].values for k in ("ghg", "ghg.per_person", "a", "b", "typo"))
    found = {(f.rule, f.target.kpi_id, f.severity.value) for f in command.problems}
    assert found == {("kpi.formula", "ghg", "error"), ("kpi.formula", "a", "error"), ("kpi.formula", "b", "error"),
                     ("kpi.formula", "typo", "error"), ("kpi.formula", "ghg.per_person", "warning")}
    assert all(isinstance(f.target, KpiTarget) for f in command.problems)
    blocked = next(f for f in command.problems if f.target.kpi_id == "ghg.per_person")
    assert blocked.text == "Not computed: its formula needs ghg, whose own formula cannot be used"
    stack.undo()
    assert project.kpis["emp"].values[2025].number == 100 and 2025 not in project.kpis["energy.per_person"].values
    stack.redo()
    assert project.kpis["energy.per_person"].values[2025].number == Decimal("5.00")


def test_an_import_and_a_consolidation_succeed_despite_a_broken_formula(tmp_path):
    project = _broken_project()
    path = tmp_path / "collect.xlsx"
    export_workbook(project, path)
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, 1).value == "emp":
                sheet.cell(row, 7).value = 250  # 2025, the input column
    workbook.save(path)
    result = import_workbook(project, path, stack=UndoStack(project))
    assert result.applied and project.kpis["emp"].values[2025].number == 250
    assert project.kpis["energy.per_person"].values[2025].number == Decimal("4.00")

    project.kpis["energy"].entity_values = {"HK": {2025: KpiValue("number", Decimal(600))},
                                            "SZ": {2025: KpiValue("number", Decimal(900))}}
    consolidated = consolidate(project, 2025)
    UndoStack(project).execute(CompositeCommand(list(consolidated.commands), "Consolidate 2025"))
    assert project.kpis["energy"].values[2025].number == 1500
    assert project.kpis["energy.per_person"].values[2025].number == Decimal("6.00")


def test_redo_of_a_recompute_restores_the_same_values():
    project = _project(_kpi("a", "t", {2025: "2"}), _kpi("b", "t", formula="a * 3"))
    stack = UndoStack(project)
    stack.execute(RecomputeDerived((2025,)))
    first = project.kpis["b"].values[2025]
    stack.undo()
    stack.redo()
    assert project.kpis["b"].values[2025] is first  # the very value, time of derivation included


def test_formula_names_and_renames_follow_the_grammar():
    assert formula_names("children(emp, gender) + factor(cn_grid) / prev(emp.f)") == (
        frozenset({"emp", "emp.f"}), frozenset({"cn_grid"}))
    assert formula_names("a + + factor(x") == (frozenset({"a"}), frozenset({"x"}))  # does not parse: read name by name
    text = "children(emp, emp) + emp*factor(emp) + prev(emp) - emp2"
    assert rename_in_formula(text, "kpi", "emp", "staff") == "children(staff, emp) + staff*factor(emp) + prev(staff) - emp2"
    assert rename_in_formula(text, "factor", "emp", "grid") == "children(emp, emp) + emp*factor(grid) + prev(emp) - emp2"

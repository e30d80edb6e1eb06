"""Derived KPIs: compile every formula of a project, order them, and compute their values.

compile_formulas() checks the whole registry before a single value is read: syntax, unknown KPI
and factor ids, units, and cycles (a FormulaError names the KPI and the cycle). recompute_derived()
then evaluates year by year, in dependency order, and returns SetKpiValue commands — the caller
applies them as one CompositeCommand, so a recomputation is one undo step.

Policy:
- A derived value is stored rounded half-up to the KPI's precision: what is printed is what is
  stored, so a reader who adds up the printed parts gets the printed total.
- A value the user marked not applicable / not reported / confidential is never overwritten.
- When an input is missing, a derived value of an earlier recomputation is cleared; a typed one
  is kept (older years are often typed in from last year's report).
- Division by zero leaves the value missing and is reported as a Finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from esg_author.core.commands import Command, SetKpiValue
from esg_author.core.data import formulas
from esg_author.core.data.emission_factors import FactorInfo, available_factors
from esg_author.core.data.rounding import round_fraction
from esg_author.core.data.units import describe_dims, dimension
from esg_author.core.errors import FormulaError, UnitError
from esg_author.core.findings import Finding, KpiTarget, Severity
from esg_author.core.model import Kpi, KpiValue, Project, Provenance


@dataclass(frozen=True)
class CompiledFormula:
    kpi_id: str
    text: str
    node: formulas.Node
    depends_on: tuple[str, ...]  # derived KPIs needed in the same year


@dataclass
class FormulaSet:
    """The project's formulas in evaluation order, with the lookups evaluation needs."""

    order: list[CompiledFormula]
    factors: dict[str, FactorInfo]
    children: dict[str, list[str]]  # parent id → child ids in registry order


def compile_formulas(project: Project) -> FormulaSet:
    """Parse, resolve and unit-check every formula; order them so inputs come first."""
    factors = available_factors(project)
    children: dict[str, list[str]] = {}
    for kpi in project.kpis.values():
        if kpi.parent_id:
            children.setdefault(kpi.parent_id, []).append(kpi.id)
    formula_set = FormulaSet([], factors, children)
    scope = formulas.UnitScope(
        kpi_dims=lambda kpi_id: _kpi_dims(project, kpi_id),
        factor_dims=lambda factor_id: _factor_dims(factors, factor_id),
        children=lambda kpi_id, dim: child_ids(formula_set, project, kpi_id, dim),
    )
    compiled: dict[str, CompiledFormula] = {}
    for kpi in project.kpis.values():
        if not kpi.formula.strip():
            continue
        try:
            node = formulas.parse_formula(kpi.formula)
            for kpi_id in formulas.kpi_ids(node):
                if kpi_id not in project.kpis:
                    raise FormulaError("", f"formula {kpi.formula!r} names {kpi_id!r}, which is not a KPI of this project")
            for factor_id in formulas.factor_ids(node):
                if factor_id not in factors:
                    raise FormulaError("", f"formula {kpi.formula!r} names emission factor {factor_id!r}, which is "
                                           "neither built in nor one of the project's factors")
            result = formulas.result_dims(node, scope)
            target = _kpi_dims(project, kpi.id)
            if result != target:
                raise FormulaError("", f"formula {kpi.formula!r} gives {describe_dims(result)}, which cannot be "
                                       f"stored in the KPI's unit {kpi.unit} ({describe_dims(target)})")
        except FormulaError as exc:
            raise FormulaError(kpi.id, exc.reason) from None
        same_year = _same_year_inputs(node, formula_set, project)
        compiled[kpi.id] = CompiledFormula(kpi.id, kpi.formula, node, tuple(same_year))
    formula_set.order = _dependency_order(compiled)
    return formula_set


def child_ids(formula_set: FormulaSet, project: Project, kpi_id: str, dim: str | None) -> list[str]:
    """The direct breakdowns children(kpi_id[, dim]) sums; several dimensions need one named."""
    kids = formula_set.children.get(kpi_id, [])
    if dim is not None:
        chosen = [k for k in kids if project.kpis[k].dimension == dim]
        if not chosen:
            raise FormulaError("", f"{kpi_id} has no breakdowns by {dim!r}")
        return chosen
    dims = list(dict.fromkeys(project.kpis[k].dimension for k in kids))
    if len(dims) > 1:
        raise FormulaError("", f"the breakdowns of {kpi_id} come in several dimensions ({', '.join(d or '—' for d in dims)}); "
                               f"name one: children({kpi_id}, {dims[0] or 'DIMENSION'})")
    if not kids:
        raise FormulaError("", f"{kpi_id} has no breakdowns, so children({kpi_id}) has nothing to add up")
    return kids


def _kpi_dims(project: Project, kpi_id: str) -> formulas.Dims:
    kpi = project.kpis[kpi_id]
    try:
        return dimension(kpi.unit).dims
    except UnitError as exc:
        raise FormulaError(kpi_id, str(exc)) from None


def _factor_dims(factors: dict[str, FactorInfo], factor_id: str) -> formulas.Dims:
    return dimension(factors[factor_id].factor.unit).dims


def _same_year_inputs(node: formulas.Node, formula_set: FormulaSet, project: Project) -> list[str]:
    inputs: list[str] = []
    for part in formulas.walk(node):
        if isinstance(part, formulas.Ref):
            inputs.append(part.kpi_id)
        elif isinstance(part, formulas.Children):
            inputs.extend(child_ids(formula_set, project, part.kpi_id, part.dimension))
    return [i for i in dict.fromkeys(inputs) if project.kpis[i].formula.strip()]


def _dependency_order(compiled: dict[str, CompiledFormula]) -> list[CompiledFormula]:
    """Topological order (depth-first, registry order among equals); FormulaError on a cycle."""
    order: list[CompiledFormula] = []
    state: dict[str, int] = {}  # 1 = being visited, 2 = done
    for start in compiled:
        if state.get(start) == 2:
            continue
        # iterative DFS: deep chains of derived KPIs must not hit the recursion limit
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            kpi_id, index = stack.pop()
            if index == 0:
                state[kpi_id] = 1
                path.append(kpi_id)
            deps = compiled[kpi_id].depends_on
            if index < len(deps):
                stack.append((kpi_id, index + 1))
                dep = deps[index]
                if state.get(dep) == 1:
                    cycle = [*path[path.index(dep):], dep]
                    raise FormulaError(dep, f"formulas form a cycle: {' → '.join(cycle)}")
                if state.get(dep) != 2:
                    stack.append((dep, 0))
                continue
            state[kpi_id] = 2
            path.pop()
            order.append(compiled[kpi_id])
    return order


# -- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivedResult:
    kpi_id: str
    year: int
    exact: Fraction | None  # in the KPI's own unit; None when an input is missing or on division by zero
    division_by_zero: bool = False

    def rounded(self, precision: int) -> Decimal | None:
        return None if self.exact is None else round_fraction(self.exact, precision)


def evaluate_year(project: Project, formula_set: FormulaSet, year: int,
                  computed: dict[tuple[str, int], Fraction | None] | None = None,
                  chain: bool = True) -> list[DerivedResult]:
    """Every derived KPI's exact value for one year. `computed` holds results of earlier years
    (for prev()) and receives this year's, so derived inputs use freshly derived values.
    chain=False evaluates every formula on the stored values instead (the checks use it, so a
    wrong stored value is reported once, at the KPI that holds it, not again at its dependents)."""
    done = computed if computed is not None else {}
    scales: dict[str, Fraction] = {}

    def scale(kpi: Kpi) -> Fraction:
        if kpi.id not in scales:
            scales[kpi.id] = dimension(kpi.unit).scale
        return scales[kpi.id]

    def base_value(kpi_id: str, in_year: int) -> Fraction | None:
        kpi = project.kpis[kpi_id]
        if (kpi_id, in_year) in done:
            value = done[(kpi_id, in_year)]
            return None if value is None else value * scale(kpi)
        stored = kpi.values.get(in_year)
        if stored is None or stored.kind != "number" or stored.number is None:
            return None
        return Fraction(stored.number) * scale(kpi)

    factor_values: dict[str, Fraction] = {}

    def factor(factor_id: str) -> Fraction:
        if factor_id not in factor_values:
            info = formula_set.factors[factor_id].factor
            factor_values[factor_id] = Fraction(info.value) * dimension(info.unit).scale
        return factor_values[factor_id]

    scope = formulas.ValueScope(
        value=lambda kpi_id: base_value(kpi_id, year),
        previous=lambda kpi_id: base_value(kpi_id, year - 1),
        factor=factor,
        children=lambda kpi_id, dim: child_ids(formula_set, project, kpi_id, dim),
        not_applicable=lambda kpi_id: _is_not_applicable(project.kpis[kpi_id], year),
    )
    results = []
    for compiled in formula_set.order:
        kpi = project.kpis[compiled.kpi_id]
        try:
            value = formulas.evaluate(compiled.node, scope)
            exact = None if value is None else value / scale(kpi)
            results.append(DerivedResult(kpi.id, year, exact))
        except formulas.DivisionByZero:
            exact = None
            results.append(DerivedResult(kpi.id, year, None, division_by_zero=True))
        stored = kpi.values.get(year)
        if not chain:
            continue
        if stored is not None and stored.kind != "number":
            done[(kpi.id, year)] = None  # the user's "not applicable" wins over the formula
        elif exact is None and stored is not None and stored.provenance.source != "derived":
            done.pop((kpi.id, year), None)  # a typed value stays in use
        else:
            done[(kpi.id, year)] = exact
    return results


def _is_not_applicable(kpi: Kpi, year: int) -> bool:
    value = kpi.values.get(year)
    return value is not None and value.kind == "not_applicable"


def recompute_derived(project: Project, years: Iterable[int] | None = None) -> tuple[list[SetKpiValue], list[Finding]]:
    """Commands that bring every derived KPI up to date, and problems met on the way.

    years=None recomputes every year in which any KPI has a value, oldest first (so prev() sees
    freshly derived values). Raises FormulaError for a broken formula, before computing anything.
    """
    formula_set = compile_formulas(project)
    if not formula_set.order:
        return [], []
    chosen = sorted(set(years) if years is not None else _years_with_values(project))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    commands: list[SetKpiValue] = []
    problems: list[Finding] = []
    computed: dict[tuple[str, int], Fraction | None] = {}
    for year in chosen:
        for result in evaluate_year(project, formula_set, year, computed):
            kpi = project.kpis[result.kpi_id]
            stored = kpi.values.get(year)
            if result.division_by_zero:
                problems.append(Finding(Severity.WARNING, "kpi.formula.division_by_zero",
                                        f"{year}: {kpi.formula} divides by zero, so the value is left missing",
                                        target=KpiTarget(kpi.id, year)))
            if stored is not None and stored.kind != "number":
                continue
            new = result.rounded(kpi.precision)
            if new is None:
                if stored is not None and stored.provenance.source == "derived":
                    commands.append(SetKpiValue(kpi.id, year, None))
                continue
            if stored is not None and stored.number == new:
                continue
            note = stored.note if stored is not None else {}
            commands.append(SetKpiValue(kpi.id, year, KpiValue("number", new, note=dict(note),
                                                               provenance=Provenance("derived", kpi.formula, now))))
    return commands, problems


def _years_with_values(project: Project) -> set[int]:
    years = {year for kpi in project.kpis.values() for year in kpi.values}
    return years or {project.meta.year}


@dataclass
class RecomputeDerived(Command):
    """Bring the derived KPIs of some years up to date from the project as it is when applied.

    Placed last in an import's CompositeCommand, so the values it derives come from the values
    just imported, and undoing the import undoes both.
    """

    years: tuple[int, ...]
    _done: list[SetKpiValue] = field(default_factory=list)
    description = "Recompute derived KPIs"

    def apply(self, project: Project) -> None:
        commands, _problems = recompute_derived(project, self.years)
        self._done = []
        try:
            for command in commands:
                command.apply(project)
                self._done.append(command)
        except Exception:
            self.revert(project)
            raise

    def revert(self, project: Project) -> None:
        for command in reversed(self._done):
            command.revert(project)
        self._done = []

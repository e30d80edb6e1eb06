"""Derived KPIs: compile every formula of a project, order them, and compute their values.

compile_formulas() checks the whole registry before a single value is read: syntax, unknown KPI
and factor ids, units, and cycles (a FormulaError names the KPI and the cycle). recompute_derived()
then evaluates year by year, in dependency order, and returns SetKpiValue commands — the caller
applies them as one CompositeCommand, so a recomputation is one undo step.

One broken formula does not stop the others: compile_formulas(project, tolerant=True) leaves out
each KPI whose formula cannot be used (FormulaSet.broken, with the reason) and each KPI that needs
one of those in the same year (FormulaSet.blocked); RecomputeDerived, and so every import and
consolidation, recomputes the rest and reports the left-out ones as "kpi.formula" findings.

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

from esg_author.core.commands import ChangeSet, Command, SetKpiValue, apply_all
from esg_author.core.data import formulas
from esg_author.core.data.emission_factors import FactorInfo, available_factors
from esg_author.core.data.rounding import round_fraction
from esg_author.core.data.units import describe_dims, dimension
from esg_author.core.errors import FormulaError, UnitError
from esg_author.core.findings import Finding, KpiTarget, Severity
from esg_author.core.model import Kpi, KpiValue, Project, Provenance
from esg_author.core.rules import N_


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
    # Only when compiled with tolerant=True: KPIs left out of order, and why.
    broken: dict[str, FormulaError] = field(default_factory=dict)  # its own formula cannot be used
    in_cycles: set[str] = field(default_factory=set)  # the broken ones that are part of a cycle
    blocked: dict[str, str] = field(default_factory=dict)  # KPI id → the broken derived input it needs
    tolerant: bool = False  # evaluation reports a formula that fails instead of raising


class _Cycle(Exception):
    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle

    def error(self) -> FormulaError:
        return FormulaError(self.cycle[0], f"formulas form a cycle: {' → '.join(self.cycle)}")


def compile_formulas(project: Project, *, tolerant: bool = False) -> FormulaSet:
    """Parse, resolve and unit-check every formula; order them so inputs come first.

    Raises FormulaError for the first formula that cannot be used, unless tolerant: then that
    KPI goes into broken, every KPI that needs it in the same year into blocked, and the rest
    is compiled and ordered as usual.
    """
    factors = available_factors(project)
    children: dict[str, list[str]] = {}
    for kpi in project.kpis.values():
        if kpi.parent_id:
            children.setdefault(kpi.parent_id, []).append(kpi.id)
    formula_set = FormulaSet([], factors, children, tolerant=tolerant)
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
            same_year = _same_year_inputs(node, formula_set, project)
        except FormulaError as exc:
            if not tolerant:
                raise FormulaError(kpi.id, exc.reason) from None
            formula_set.broken[kpi.id] = FormulaError(kpi.id, exc.reason)
            continue
        compiled[kpi.id] = CompiledFormula(kpi.id, kpi.formula, node, tuple(same_year))
    while True:
        _leave_out_blocked(compiled, formula_set)
        try:
            formula_set.order = _dependency_order(compiled)
            return formula_set
        except _Cycle as cycle:
            if not tolerant:
                raise cycle.error() from None
            for kpi_id in dict.fromkeys(cycle.cycle):  # each member of the cycle is broken
                formula_set.broken[kpi_id] = FormulaError(kpi_id, cycle.error().reason)
                formula_set.in_cycles.add(kpi_id)
                compiled.pop(kpi_id, None)


def _leave_out_blocked(compiled: dict[str, CompiledFormula], formula_set: FormulaSet) -> None:
    """Drop the formulas that need a broken (or dropped) derived KPI of the same year: they would
    compute from a value that is not current."""
    changed = True
    while changed:
        changed = False
        for kpi_id, formula in list(compiled.items()):
            missing = next((dep for dep in formula.depends_on if dep not in compiled), None)
            if missing is not None:
                formula_set.blocked[kpi_id] = missing
                del compiled[kpi_id]
                changed = True


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
    """Topological order (depth-first, registry order among equals); _Cycle on a cycle."""
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
                    raise _Cycle([*path[path.index(dep):], dep])
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
    error: FormulaError | None = None  # the formula failed while evaluated (tolerant formula sets only)

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
    tolerant = formula_set.tolerant
    for compiled in formula_set.order:
        kpi = project.kpis[compiled.kpi_id]
        try:
            value = formulas.evaluate(compiled.node, scope)
            exact = None if value is None else value / scale(kpi)
            results.append(DerivedResult(kpi.id, year, exact))
        except formulas.DivisionByZero:
            exact = None
            results.append(DerivedResult(kpi.id, year, None, division_by_zero=True))
        except (FormulaError, UnitError) as exc:
            if not tolerant:
                raise
            reason = exc.reason if isinstance(exc, FormulaError) else str(exc)
            results.append(DerivedResult(kpi.id, year, None, error=FormulaError(kpi.id, reason)))
            done[(kpi.id, year)] = None  # its dependents see no value rather than a stale one
            continue
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


def recompute_derived(project: Project, years: Iterable[int] | None = None, *,
                      skip_broken: bool = False) -> tuple[list[SetKpiValue], list[Finding]]:
    """Commands that bring every derived KPI up to date, and problems met on the way.

    years=None recomputes every year in which any KPI has a value, oldest first (so prev() sees
    freshly derived values). Raises FormulaError for a broken formula, before computing anything;
    with skip_broken, computes every other KPI instead and reports each KPI it left out as a
    "kpi.formula" finding (an error for a broken formula, a warning for a KPI that needs one).
    """
    formula_set = compile_formulas(project, tolerant=skip_broken)
    problems: list[Finding] = left_out_findings(formula_set)
    if not formula_set.order:
        return [], problems
    chosen = sorted(set(years) if years is not None else _years_with_values(project))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    commands: list[SetKpiValue] = []
    computed: dict[tuple[str, int], Fraction | None] = {}
    for year in chosen:
        for result in evaluate_year(project, formula_set, year, computed):
            kpi = project.kpis[result.kpi_id]
            stored = kpi.values.get(year)
            if result.error is not None:
                problems.append(Finding(Severity.ERROR, "kpi.formula", N_("{year}: the formula cannot be evaluated: {reason}"),
                                        target=KpiTarget(kpi.id, year), params={"year": year, "reason": result.error.reason}))
                continue
            if result.division_by_zero:
                problems.append(Finding(Severity.WARNING, "kpi.formula.division_by_zero",
                                        N_("{year}: {formula} divides by zero, so the value is left missing"),
                                        target=KpiTarget(kpi.id, year), params={"year": year, "formula": kpi.formula}))
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


def left_out_findings(formula_set: FormulaSet) -> list[Finding]:
    """The KPIs a tolerant compilation left out, as findings on each KPI."""
    findings = [Finding(Severity.ERROR, "kpi.formula", N_("The formula cannot be used, so the KPI is not computed: {reason}"),
                        target=KpiTarget(kpi_id), params={"reason": error.reason})
                for kpi_id, error in formula_set.broken.items()]
    findings += [Finding(Severity.WARNING, "kpi.formula",
                         N_("Not computed: its formula needs {input}, whose own formula cannot be used"),
                         target=KpiTarget(kpi_id), params={"input": needed})
                 for kpi_id, needed in formula_set.blocked.items()]
    return findings


def _years_with_values(project: Project) -> set[int]:
    years = {year for kpi in project.kpis.values() for year in kpi.values}
    return years or {project.meta.year}


@dataclass
class RecomputeDerived(Command):
    """Bring the derived KPIs of some years up to date from the project as it is when applied.

    Placed last in an import's CompositeCommand, so the values it derives come from the values
    just imported, and undoing the import undoes both. A KPI whose formula cannot be used is
    skipped, not an error: the others are recomputed, and `problems` holds a "kpi.formula"
    finding on each KPI left out (and any division by zero) after apply.

    It lives here, not in core/commands, because it needs the formula language of this package,
    which sits above the commands (see docs/architecture.md, "Layers").
    """

    years: tuple[int, ...]
    _done: list[SetKpiValue] = field(default_factory=list)
    _computed: list[SetKpiValue] | None = None  # kept for redo, which must restore the same values
    problems: list[Finding] = field(default_factory=list, compare=False)
    description = "Recompute derived KPIs"

    def apply(self, project: Project) -> None:
        if self._computed is None:
            self._computed, self.problems = recompute_derived(project, self.years, skip_broken=True)
        self._done = []
        apply_all(self._computed, project, self._done)

    def revert(self, project: Project) -> None:
        for command in reversed(self._done):
            command.revert(project)

    def changes(self) -> ChangeSet:
        return ChangeSet.union(command.changes() for command in self._done)


# -- formula text ---------------------------------------------------------------------------------


def formula_names(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The KPI ids and the emission-factor ids a formula names. A formula that does not parse
    is read name by name, so that what it names still counts (for "is this KPI used?")."""
    try:
        node = formulas.parse_formula(text)
    except FormulaError:
        names = _names(text)
        return (frozenset(name for kind, name, _start in names if kind == "kpi"),
                frozenset(name for kind, name, _start in names if kind == "factor"))
    return frozenset(formulas.kpi_ids(node)), frozenset(formulas.factor_ids(node))


def rename_in_formula(text: str, kind: str, old: str, new: str) -> str:
    """text with the KPI (kind "kpi") or emission factor (kind "factor") old named new instead;
    everything else, spaces included, stays as written. A dimension name in children(ID, dim)
    is neither, so it never changes."""
    pieces: list[str] = []
    last = 0
    for name_kind, name, start in _names(text):
        if name_kind == kind and name == old:
            pieces += [text[last:start], new]
            last = start + len(old)
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _names(text: str) -> list[tuple[str, str, int]]:
    """Each name of a formula with what it names: ("kpi" | "factor" | "dimension", name, start)."""
    try:
        tokens = formulas._tokens(text)  # the formula language's own tokenizer, not a second one
    except FormulaError:
        return []
    found: list[tuple[str, str, int]] = []
    calls: list[tuple[str | None, int]] = []  # open parentheses: (function name or None, argument index)
    for index, token in enumerate(tokens):
        if token.kind == "op":
            if token.text == "(":
                before = tokens[index - 1] if index else None
                calls.append((before.text if before is not None and before.kind == "name" else None, 0))
            elif token.text == ")" and calls:
                calls.pop()
            elif token.text == "," and calls:
                calls[-1] = (calls[-1][0], calls[-1][1] + 1)
            continue
        if token.kind != "name":
            continue  # a number, or the end
        following = tokens[index + 1]  # the list ends with an "end" token
        if following.kind == "op" and following.text == "(":
            continue  # a function's own name
        function, argument = calls[-1] if calls else (None, 0)
        kind = "factor" if function == "factor" else "dimension" if function == "children" and argument == 1 else "kpi"
        found.append((kind, token.text, token.position))
    return found

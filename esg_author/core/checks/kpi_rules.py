"""KPI consistency checks: the errors real reports print (seed-anatomy §7) caught before print.

- kpi.formula            a formula that cannot be evaluated (syntax, unknown id, units, cycle)
- kpi.breakdown          a total ≠ the sum of its breakdown, per dimension (gender and age each)
- kpi.shares             shares of a whole that do not add up to 100 %
- kpi.share_adjusted     a share of counted things that is not k of n (11.10 % of 9 directors)
- kpi.intensity / kpi.derived   a stored value that differs from its formula's result
- kpi.change_base        a percent change computed on the wrong base, or a decrease over 100 %
- kpi.impossible_decrease a sentence claiming a decrease of more than 100 % ("降低約123%")
- kpi.yoy                a large year-on-year change without a note on that year's value
- kpi.missing_value      a printed, entered KPI without a value for the reporting year
- kpi.factor_unverified  a formula uses a built-in factor not checked against its source

Rounding tolerance: a printed value may be off by half a unit of its last printed digit, so a
sum of n parts may be off by n halves of the coarsest precision involved.

Messages are msgids with parameters (numbers formatted here, as the CLI and the GUI print them);
they say what to do in the product's terms ("recompute the derived KPIs"), never which command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from esg_author.core.data import formulas
from esg_author.core.data.derived import FormulaSet, compile_formulas, evaluate_year
from esg_author.core.data.rounding import round_fraction
from esg_author.core.data.units import are_compatible, convert, is_counted, is_intensity
from esg_author.core.errors import FormulaError, UnitError
from esg_author.core.findings import Finding, KpiGroupTarget, KpiTarget, SectionTarget, Severity
from esg_author.core.i18n.catalogs import N_
from esg_author.core.model import Kpi, Project
from esg_author.core.model.tokens import find_tokens

DEFAULT_YOY_THRESHOLD = Decimal("0.30")
_HUNDRED = Decimal(100)


def check_project(project: Project) -> list[Finding]:
    findings: list[Finding] = []
    formula_set: FormulaSet | None = None
    try:
        formula_set = compile_formulas(project)
    except FormulaError as exc:
        findings.append(Finding(Severity.ERROR, "kpi.formula", N_("the formula cannot be evaluated: {reason}"),
                                target=KpiTarget(exc.kpi_id), params={"reason": exc.reason}))
    children = _children(project)
    findings += check_breakdowns(project, children)
    findings += check_shares(project, children)
    if formula_set is not None:
        findings += check_derived_values(project, formula_set)
        findings += check_factors(project, formula_set)
    findings += check_change_kpis(project)
    findings += check_year_over_year(project)
    findings += check_score_scales(project)
    findings += check_reasons_and_groups(project)
    findings += check_missing_values(project)
    findings += check_decrease_claims(project)
    return findings


# -- totals and breakdowns --------------------------------------------------------------------


def _children(project: Project) -> dict[str, list[Kpi]]:
    children: dict[str, list[Kpi]] = {}
    for kpi in project.kpis.values():
        if kpi.parent_id in project.kpis:
            children.setdefault(kpi.parent_id, []).append(kpi)
    return children


def _by_dimension(kids: Iterable[Kpi]) -> dict[str, list[Kpi]]:
    groups: dict[str, list[Kpi]] = {}
    for kid in kids:
        groups.setdefault(kid.dimension, []).append(kid)
    return groups


def _is_amount(kpi: Kpi) -> bool:
    """A quantity whose breakdowns add up (not a rate, share, intensity or score)."""
    return kpi.unit not in ("percent", "score") and not is_intensity(kpi.unit)


def _compatible(first: str, second: str) -> bool:
    try:
        return are_compatible(first, second)
    except UnitError:
        return False


def _number(kpi: Kpi, year: int) -> Decimal | None:
    value = kpi.values.get(year)
    return value.number if value is not None and value.kind == "number" else None


def _half_unit(precision: int) -> Decimal:
    return Decimal(5).scaleb(-precision - 1)


def _years(kpis: Iterable[Kpi]) -> list[int]:
    return sorted({year for kpi in kpis for year in kpi.values})


def _part_sum(parts: list[Kpi], year: int, unit: str) -> Decimal | None:
    """The parts added up in `unit`; a part marked not applicable counts as 0; None when one is unknown."""
    total = Decimal(0)
    for part in parts:
        value = part.values.get(year)
        if value is not None and value.kind == "not_applicable":
            continue
        number = _number(part, year)
        if number is None:
            return None
        total += convert(number, part.unit, unit)
    return total


def check_breakdowns(project: Project, children: dict[str, list[Kpi]]) -> list[Finding]:
    findings = []
    for parent_id, kids in children.items():
        parent = project.kpis[parent_id]
        if not _is_amount(parent):
            continue
        # A breakdown in an unrelated unit (a share, an intensity) is not a breakdown of this total,
        # and a single part is an "of which" line, not a breakdown that must add up.
        groups = {dim: parts for dim, parts in _by_dimension(kids).items()
                  if len(parts) > 1 and all(_is_amount(p) and _compatible(p.unit, parent.unit) for p in parts)}
        for year in _years([parent, *kids]):
            sums: dict[str, tuple[Decimal, Decimal]] = {}  # dimension → (sum, tolerance)
            for dim, parts in groups.items():
                total = _part_sum(parts, year, parent.unit)
                if total is not None:
                    precision = min(p.precision for p in [parent, *parts])
                    sums[dim] = (total, _half_unit(precision) * len(parts))
            total_value = _number(parent, year)
            for dim, (total, tolerance) in sums.items():
                if total_value is not None and abs(total - total_value) > tolerance:
                    message = (N_("{year}: the breakdown by {dimension} adds up to {sum} ({terms}), but the total is "
                                  "{total} {unit}") if dim else
                               N_("{year}: the parts add up to {sum} ({terms}), but the total is {total} {unit}"))
                    findings.append(Finding(Severity.ERROR, "kpi.breakdown", message, target=KpiTarget(parent.id, year),
                                            params={"year": year, "dimension": _dimension(dim), "sum": _fmt(total),
                                                    "terms": _terms(groups[dim], year), "total": _fmt(total_value),
                                                    "unit": parent.unit}))
            if total_value is None and len(sums) > 1:
                (first_dim, (first, first_tol)), *others = sums.items()
                for dim, (total, tolerance) in others:
                    if abs(total - first) > first_tol + tolerance:
                        findings.append(Finding(Severity.ERROR, "kpi.breakdown",
                            N_("{year}: the breakdowns disagree: by {first_dimension} they add up to {first_sum}, by "
                               "{dimension} to {sum}"), target=KpiTarget(parent.id, year),
                            params={"year": year, "first_dimension": _dimension(first_dim), "first_sum": _fmt(first),
                                    "dimension": _dimension(dim), "sum": _fmt(total)}))
    return findings


def check_shares(project: Project, children: dict[str, list[Kpi]]) -> list[Finding]:
    """Percent breakdowns that are shares of a whole: of an amount, or of a percent total of 100 %."""
    findings = []
    for parent_id, kids in children.items():
        parent = project.kpis[parent_id]
        shares = [k for k in kids if k.unit == "percent"]
        if not shares or parent.unit in ("score",) or is_intensity(parent.unit):
            continue
        for year in _years([parent, *shares]):
            whole = _number(parent, year)
            if parent.unit == "percent" and (whole is None or abs(whole - _HUNDRED) > _half_unit(parent.precision)):
                continue  # a rate broken down into rates (turnover by gender): those do not add up
            for dim, parts in _by_dimension(shares).items():
                numbers = [_number(p, year) for p in parts]
                if any(n is None for n in numbers):
                    continue
                values = [n for n in numbers if n is not None]
                if parent.unit == "percent" and all(abs(v - _HUNDRED) <= _half_unit(p.precision) for v, p in zip(values, parts, strict=True)):
                    continue  # 100 % overall and 100 % in every group: a rate, consistent
                total = sum(values, Decimal(0))
                tolerance = _half_unit(min(p.precision for p in parts)) * len(parts)
                if len(parts) > 1 and abs(total - _HUNDRED) > tolerance:
                    message = (N_("{year}: the shares by {dimension} add up to {sum}% ({terms}), not 100%") if dim else
                               N_("{year}: the shares add up to {sum}% ({terms}), not 100%"))
                    findings.append(Finding(Severity.ERROR, "kpi.shares", message, target=KpiTarget(parent.id, year),
                                            params={"year": year, "dimension": _dimension(dim), "sum": _fmt(total),
                                                    "terms": _terms(parts, year)}))
            if whole is not None and is_counted(parent.unit) and whole > 0 and whole == whole.to_integral_value():
                findings += _adjusted_shares(parent, shares, year, whole)
    return findings


def _adjusted_shares(parent: Kpi, shares: list[Kpi], year: int, whole: Decimal) -> list[Finding]:
    """A share of n counted things must be k/n for a whole k: 11.10 % of 9 directors is not."""
    findings = []
    for share in shares:
        value = _number(share, year)
        if value is None:
            continue
        count = (value * whole / _HUNDRED).to_integral_value()
        expected = _round(Fraction(count) * 100 / Fraction(whole), share.precision)
        if expected != value and abs(value - expected) <= Decimal(100) / whole:  # near k/n but not it
            findings.append(Finding(Severity.ERROR, "kpi.share_adjusted",
                N_("{year}: {share}% of {whole} {unit} is not a whole number of them; {count} of {whole} is "
                   "{expected}%. Shares must be computed, not adjusted so that they add up to 100%"),
                target=KpiTarget(share.id, year),
                params={"year": year, "share": _fmt(value), "whole": _fmt(whole), "unit": parent.unit,
                        "count": _fmt(count), "expected": _fmt(expected)}))
    return findings


# -- derived values and factors ---------------------------------------------------------------


def check_derived_values(project: Project, formula_set: FormulaSet) -> list[Finding]:
    """Each stored value of a KPI with a formula against the formula applied to stored inputs."""
    findings = []
    years = _years(project.kpis[c.kpi_id] for c in formula_set.order)
    for year in years:
        for result in evaluate_year(project, formula_set, year, chain=False):
            kpi = project.kpis[result.kpi_id]
            stored = _number(kpi, year)
            if stored is None:
                if year == project.meta.year and result.exact is not None and kpi.values.get(year) is None:
                    findings.append(Finding(Severity.WARNING, "kpi.derived_missing",
                        N_("{year}: no value is stored although {formula} gives {expected}; recompute the derived KPIs"),
                        target=KpiTarget(kpi.id, year),
                        params={"year": year, "formula": kpi.formula,
                                "expected": _fmt(_round(result.exact, kpi.precision))}))
                continue
            if result.division_by_zero:
                findings.append(Finding(Severity.WARNING, "kpi.formula.division_by_zero",
                    N_("{year}: {formula} divides by zero, yet a value of {stored} is stored"),
                    target=KpiTarget(kpi.id, year), params={"year": year, "formula": kpi.formula, "stored": _fmt(stored)}))
                continue
            if result.exact is None:
                continue
            exact = Decimal(result.exact.numerator) / Decimal(result.exact.denominator)
            if abs(stored - exact) <= _half_unit(kpi.precision):
                continue
            expected = _round(result.exact, kpi.precision)
            wrong_base = _wrong_base_params(project, kpi, year, stored)
            if wrong_base:
                findings.append(Finding(Severity.ERROR, "kpi.change_base", _WRONG_BASE_WITH_FORMULA,
                                        target=KpiTarget(kpi.id, year), params={**wrong_base, "formula_result": _fmt(expected)}))
                continue
            if year == project.meta.year:
                message = N_("{year}: the stored value {stored} differs from {formula} = {expected}; recompute the "
                             "derived KPIs, or correct the inputs")
            else:  # a published figure: changing it is a restatement, which must be disclosed
                message = N_("{year}: the stored value {stored} differs from {formula} = {expected}; correct the "
                             "inputs, or restate the value by recomputing the derived KPIs of {year} and explain the "
                             "restatement in a note")
            rule = "kpi.intensity" if is_intensity(kpi.unit) else "kpi.derived"
            findings.append(Finding(Severity.ERROR, rule, message, target=KpiTarget(kpi.id, year),
                                    params={"year": year, "stored": _fmt(stored), "formula": kpi.formula,
                                            "expected": _fmt(expected)}))
    return findings


def check_factors(project: Project, formula_set: FormulaSet) -> list[Finding]:
    findings = []
    for compiled in formula_set.order:
        for factor_id in formulas.factor_ids(compiled.node):
            info = formula_set.factors[factor_id]
            if info.builtin and info.uncertain:
                findings.append(Finding(Severity.INFO, "kpi.factor_unverified",
                    N_("uses the built-in emission factor {factor} ({value} {unit}), which was not checked against "
                       "its source: {note} Confirm it, or add your own factor to the project"),
                    target=KpiTarget(compiled.kpi_id),
                    params={"factor": factor_id, "value": str(info.factor.value), "unit": info.factor.unit,
                            "note": info.note}))
    return list(dict.fromkeys(findings))


# -- percent changes ----------------------------------------------------------------------------


def _is_change(kpi: Kpi) -> bool:
    if kpi.dimension == "change":
        return True
    if kpi.unit != "percent" or not kpi.formula.strip():
        return False
    try:
        return formulas.has_prev(formulas.parse_formula(kpi.formula))
    except FormulaError:
        return False


def _change_base(project: Project, kpi: Kpi) -> Kpi | None:
    """The KPI whose change this is: the one prev() names, or the parent of a "change" KPI."""
    if kpi.formula.strip():
        try:
            node = formulas.parse_formula(kpi.formula)
        except FormulaError:
            return None
        named = list(dict.fromkeys(n.kpi_id for n in formulas.walk(node) if isinstance(n, formulas.Prev)))
        return project.kpis.get(named[0]) if len(named) == 1 else None
    return project.kpis.get(kpi.parent_id or "")


_WRONG_BASE = N_("{year}: {stored}% is the change of {base} divided by the {year} value ({difference} ÷ {new}); a "
                 "change is measured against the earlier year: ({new} − {old}) ÷ {old} = {right}%")
_WRONG_BASE_WITH_FORMULA = N_("{year}: {stored}% is the change of {base} divided by the {year} value ({difference} ÷ "
                              "{new}); a change is measured against the earlier year: ({new} − {old}) ÷ {old} = "
                              "{right}% (the formula gives {formula_result}%)")


def _wrong_base_params(project: Project, kpi: Kpi, year: int, stored: Decimal) -> dict[str, str | int]:
    """The parameters of _WRONG_BASE when `stored` is the change divided by the new value instead
    of the old one; {} when it is not."""
    if not _is_change(kpi):
        return {}
    base = _change_base(project, kpi)
    if base is None:
        return {}
    old, new = _number(base, year - 1), _number(base, year)
    if old is None or new is None or new == 0:
        return {}
    wrong = (new - old) / new * _HUNDRED
    if abs(abs(stored) - abs(wrong)) > _half_unit(kpi.precision):
        return {}
    right = (new - old) / old * _HUNDRED if old else None
    return {"year": year, "stored": _fmt(stored), "base": base.id, "difference": _fmt(new - old), "new": _fmt(new),
            "old": _fmt(old), "right": _fmt(_round(Fraction(right), kpi.precision)) if right is not None else "—"}


def check_change_kpis(project: Project) -> list[Finding]:
    findings = []
    for kpi in project.kpis.values():
        if not _is_change(kpi):
            continue
        for year, value in sorted(kpi.values.items()):
            stored = value.number if value.kind == "number" else None
            if stored is None:
                continue
            if stored < -_HUNDRED:
                findings.append(Finding(Severity.ERROR, "kpi.change_base",
                    N_("{year}: a decrease of {decrease}% is impossible (at most 100%); it was probably divided by the "
                       "new value instead of the old one"),
                    target=KpiTarget(kpi.id, year), params={"year": year, "decrease": _fmt(-stored)}))
                continue
            if kpi.formula.strip():
                continue  # compared with its formula by check_derived_values
            base = _change_base(project, kpi)
            old, new = (_number(base, year - 1), _number(base, year)) if base else (None, None)
            if old is None or new is None or old == 0:
                continue
            expected = (new - old) / old * _HUNDRED
            if abs(stored - expected) > _half_unit(kpi.precision):
                params = _wrong_base_params(project, kpi, year, stored)
                message = _WRONG_BASE
                if not params:
                    message = N_("{year}: the stored change {stored}% differs from the change of {base} from "
                                 "{previous_year} to {year}, ({new} − {old}) ÷ {old} = {expected}%")
                    params = {"year": year, "stored": _fmt(stored), "base": base.id if base else "?",
                              "previous_year": year - 1, "new": _fmt(new), "old": _fmt(old),
                              "expected": _fmt(_round(Fraction(expected), kpi.precision))}
                findings.append(Finding(Severity.ERROR, "kpi.change_base", message, target=KpiTarget(kpi.id, year),
                                        params=params))
    return findings


_DECREASE_PATTERNS = (
    re.compile(r"\b(?:decrease[sd]?|declin(?:e|ed|es|ing)|fell|fall(?:en|s)?|dropp?(?:ed|s)?|reduc(?:ed|es|tion|ing)|"
               r"lower(?:ed)?|cut|down)\b[^.%\d\n]{0,40}?(\d+(?:\.\d+)?)\s?%", re.IGNORECASE),
    re.compile(r"(?:降低|下降|減少|减少|下跌|減省|减省|減低|减低|縮減|缩减)[^，。；;,%％\d\n]{0,8}?(\d+(?:\.\d+)?)\s?[%％]"),
)


def check_decrease_claims(project: Project) -> list[Finding]:
    """Sentences that claim a decrease of more than 100 %: always a change on the wrong base."""
    findings = []
    for section in project.sections:
        for lang, text in section.texts.items():
            for pattern in _DECREASE_PATTERNS:
                for match in pattern.finditer(text.body):
                    if Decimal(match.group(1)) > _HUNDRED:
                        findings.append(Finding(Severity.ERROR, "kpi.impossible_decrease",
                            N_("“{claim}” claims a decrease of {percent}%, but nothing can fall by more than 100%; the "
                               "change was probably divided by the new value instead of the earlier one"),
                            lang, SectionTarget(section.id, lang, match.start(), match.end()),
                            {"claim": match.group(0).strip(), "percent": match.group(1)}))
    return findings


# -- year on year, missing values ---------------------------------------------------------------


def yoy_threshold(project: Project) -> Decimal:
    """meta.options["yoy_threshold"]: 30, "30%" or 0.3 all mean ±30 %."""
    raw = project.meta.options.get("yoy_threshold")
    if raw is None:
        return DEFAULT_YOY_THRESHOLD
    try:
        number = Decimal(str(raw).strip().rstrip("%"))
    except ArithmeticError:
        return DEFAULT_YOY_THRESHOLD
    return number / _HUNDRED if number > 1 or str(raw).strip().endswith("%") else number


def check_year_over_year(project: Project) -> list[Finding]:
    threshold = yoy_threshold(project)
    findings = []
    for kpi in project.kpis.values():
        if _is_change(kpi):
            continue
        for year, value in sorted(kpi.values.items()):
            new, old = _number(kpi, year), _number(kpi, year - 1)
            if new is None or old is None or old == 0:
                continue
            change = (new - old) / abs(old)
            if abs(change) <= threshold or any(text.strip() for text in value.note.values()):
                continue
            message = (N_("rose {change}% from {old} in {previous_year} to {new} in {year} (more than ±{threshold}%) "
                          "without a note on the {year} value explaining why") if change > 0 else
                       N_("fell {change}% from {old} in {previous_year} to {new} in {year} (more than ±{threshold}%) "
                          "without a note on the {year} value explaining why"))
            findings.append(Finding(Severity.WARNING, "kpi.yoy", message, target=KpiTarget(kpi.id, year),
                                    params={"change": _fmt(abs(change) * _HUNDRED, 1), "old": _fmt(old),
                                            "previous_year": year - 1, "new": _fmt(new), "year": year,
                                            "threshold": _fmt(threshold * _HUNDRED, 0)}))
    return findings


def check_score_scales(project: Project) -> list[Finding]:
    """A score whose scale changes between years ("9 of 10", then "8.5 of 9") cannot be compared."""
    findings = []
    for kpi in project.kpis.values():
        scores = sorted((year, value) for year, value in kpi.values.items() if value.kind == "score")
        for (year_before, before), (year, value) in pairwise(scores):
            if before.maximum == value.maximum or any(text.strip() for text in value.note.values()):
                continue
            findings.append(Finding(Severity.WARNING, "kpi.scale_change",
                N_("the score is out of {previous_maximum} in {previous_year} but out of {maximum} in {year}; the "
                   "years cannot be compared without a note on the {year} value explaining the change"),
                target=KpiTarget(kpi.id, year),
                params={"previous_maximum": _fmt(before.maximum) if before.maximum is not None else "—",
                        "previous_year": year_before, "maximum": _fmt(value.maximum) if value.maximum is not None else "—",
                        "year": year}))
    return findings


_REASON_MISSING = {
    "not_applicable": N_("{year}: the reason why the value is not applicable is missing in {languages}"),
    "not_reported": N_("{year}: the reason why the value is not reported is missing in {languages}"),
    "confidential": N_("{year}: the reason why the value is confidential is missing in {languages}"),
}


def check_reasons_and_groups(project: Project) -> list[Finding]:
    """Every language of the report needs the reason for a not-applicable value, and a KPI group
    without a printed name would print its raw id in every language."""
    from esg_author.core.render.kpi_tables import GROUP_LABELS  # the printed group names

    findings = []
    for kpi in project.kpis.values():
        for year, value in sorted(kpi.values.items()):
            if value.kind in ("not_applicable", "not_reported", "confidential") and value.reason:
                missing = [lang for lang in project.meta.languages if not value.reason.get(lang, "").strip()]
                if missing:
                    findings.append(Finding(Severity.WARNING, "kpi.reason_language", _REASON_MISSING[value.kind],
                                            target=KpiTarget(kpi.id, year),
                                            params={"year": year, "languages": ", ".join(missing)}))
    unknown = sorted({kpi.group for kpi in project.kpis.values() if kpi.group and kpi.group not in GROUP_LABELS})
    for group in unknown:
        findings.append(Finding(Severity.WARNING, "kpi.group_unknown",
            N_("KPI group {group} has no printed name, so tables print no heading for it; use one of {groups}"),
            target=KpiGroupTarget(group), params={"group": group, "groups": ", ".join(GROUP_LABELS)}))
    return findings


def check_missing_values(project: Project) -> list[Finding]:
    """Entered KPIs the report prints for the reporting year but that have no value for it."""
    year = project.meta.year
    printed: dict[str, None] = {}
    for table in project.tables.values():
        if year in table.years:
            printed.update(dict.fromkeys(table.rows))
    for section in project.sections:
        for text in section.texts.values():
            for token in find_tokens(text.body):
                if token.kind == "kpi" and token.year in (None, year):
                    printed[token.target] = None
    findings = []
    for kpi_id in printed:
        kpi = project.kpis.get(kpi_id)
        if kpi is None or kpi.formula.strip() or year in kpi.values:
            continue
        findings.append(Finding(Severity.WARNING, "kpi.missing_value",
                                N_("has no value for {year}, the reporting year, but the report prints it"),
                                target=KpiTarget(kpi_id, year), params={"year": year}))
    return findings


# -- formatting of numbers in messages ----------------------------------------------------------


def _fmt(number: Decimal, places: int | None = None) -> str:
    if places is not None:
        number = _round(Fraction(number), places)
    return f"{number.normalize() if number == number.to_integral_value() else number:,f}"


def _round(value: Fraction, precision: int) -> Decimal:
    return round_fraction(value, precision)


def _terms(parts: list[Kpi], year: int) -> str:
    """The parts as a sum, "14,980 + 5,571"; a part that is not applicable (counted as 0) is "—"."""
    shown = []
    for part in parts:
        number = _number(part, year)
        shown.append("—" if number is None else _fmt(number))
    return " + ".join(shown)


def _dimension(dimension: str) -> str:
    """A breakdown dimension as written in messages: "age group" for age_group."""
    return dimension.replace("_", " ")

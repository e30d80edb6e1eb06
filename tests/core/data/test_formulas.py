"""The formula language: parsing without eval, unit checking, exact evaluation."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from esg_author.core.data import formulas
from esg_author.core.data.formulas import BinOp, Children, FactorRef, Neg, Number, Percent, Prev, Ref, Sum, parse_formula
from esg_author.core.data.units import dimension
from esg_author.core.errors import FormulaError


def test_precedence_and_parentheses():
    assert parse_formula("a + b * c") == BinOp("+", Ref("a"), BinOp("*", Ref("b"), Ref("c")))
    assert parse_formula("(a + b) * c") == BinOp("*", BinOp("+", Ref("a"), Ref("b")), Ref("c"))
    assert parse_formula("a - b - c") == BinOp("-", BinOp("-", Ref("a"), Ref("b")), Ref("c"))
    assert parse_formula("-a / 2.5") == BinOp("/", Neg(Ref("a")), Number(Fraction(5, 2)))


def test_functions_and_dotted_ids():
    node = parse_formula("sum(emp.age.30to50, emp.age.over50) + children(ghg.total) + children(emp.total, gender)")
    assert node == BinOp("+", BinOp("+", Sum((Ref("emp.age.30to50"), Ref("emp.age.over50"))), Children("ghg.total")),
                         Children("emp.total", "gender"))
    assert parse_formula("energy.electricity * factor(cn_grid_2022)") == BinOp("*", Ref("energy.electricity"), FactorRef("cn_grid_2022"))
    assert parse_formula("percent(a - prev(a), prev(a))") == Percent(BinOp("-", Ref("a"), Prev("a")), Prev("a"))
    assert formulas.factor_ids(parse_formula("x * factor(f1) + y * factor(f2) + z * factor(f1)")) == ["f1", "f2"]


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("a +", "expected a number, a KPI id"),
    ("a b", "expected an operator"),
    ("(a + b", re.escape("expected ')'")),
    ("a ** b", "expected a number"),
    ("__import__(os)", "unknown function"),
    ("open(x)", "unknown function"),
    ("a; b", "unexpected character ';'"),
    ("a.b[0]", "unexpected character '\\['"),
    ("percent(a)", "two arguments"),
    ("factor(1)", "expected an id"),
    ("'text'", "unexpected character"),
])
def test_malformed_formulas_are_refused(text, message):
    with pytest.raises(FormulaError, match=message):
        parse_formula(text)


def _scope(units: dict[str, str], factors: dict[str, str] | None = None) -> formulas.UnitScope:
    return formulas.UnitScope(kpi_dims=lambda k: dimension(units[k]).dims,
                              factor_dims=lambda f: dimension((factors or {})[f]).dims,
                              children=lambda k, d: [c for c in units if c.startswith(k + ".")])


def test_units_are_checked():
    units = {"e": "MWh", "f": "t", "g": "tCO2e", "n": "person", "p": "percent"}
    scope = _scope(units, {"grid": "tCO2e/MWh"})
    assert formulas.result_dims(parse_formula("e * factor(grid)"), scope) == dimension("tCO2e").dims
    assert formulas.result_dims(parse_formula("g / n"), scope) == dimension("tCO2e_per_person").dims
    assert formulas.result_dims(parse_formula("percent(n, n)"), scope) == ()
    with pytest.raises(FormulaError, match=r"cannot add e \(energy\) and f \(mass\)"):
        formulas.result_dims(parse_formula("e + f"), scope)
    with pytest.raises(FormulaError, match="percent"):
        formulas.result_dims(parse_formula("percent(g, n)"), scope)


def _values(values: dict[str, Fraction | None], previous: dict[str, Fraction] | None = None) -> formulas.ValueScope:
    return formulas.ValueScope(value=lambda k: values.get(k), previous=lambda k: (previous or {}).get(k),
                               factor=lambda f: Fraction(1, 2), children=lambda k, d: [c for c in values if c.startswith(k + ".")])


def test_evaluation_is_exact_and_missing_inputs_propagate():
    scope = _values({"a": Fraction(1, 10), "b": Fraction(2, 10), "t.x": Fraction(3), "t.y": Fraction(4)}, {"a": Fraction(1, 20)})
    assert formulas.evaluate(parse_formula("a + b"), scope) == Fraction(3, 10)
    assert formulas.evaluate(parse_formula("children(t)"), scope) == 7
    assert formulas.evaluate(parse_formula("percent(a - prev(a), prev(a))"), scope) == 1  # +100 %
    assert formulas.evaluate(parse_formula("a * factor(f)"), scope) == Fraction(1, 20)
    assert formulas.evaluate(parse_formula("a + missing"), scope) is None
    with pytest.raises(formulas.DivisionByZero):
        formulas.evaluate(parse_formula("a / (b - b)"), scope)


@pytest.mark.parametrize("text", ["(" * 1000 + "1" + ")" * 1000, "-" * 3000 + "1", "sum(" * 500 + "1" + ")" * 500])
def test_deep_nesting_is_a_formula_error_not_a_recursion_error(text):
    with pytest.raises(FormulaError, match="formula nested too deeply"):
        parse_formula(text)


def test_a_very_long_chain_is_refused_before_anything_walks_it():
    with pytest.raises(FormulaError, match="more than 200 operators"):
        parse_formula("a" + " + a" * 3000)
    # what people write still parses, and walking it works
    assert parse_formula("(" * 100 + "a" + ")" * 100) == Ref("a")
    assert parse_formula("-" * 100 + "a") is not None
    assert formulas.kpi_ids(parse_formula("a" + " + b" * 150)) == ["a", "b"]

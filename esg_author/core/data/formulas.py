"""The formula language of derived KPIs: parsing, unit checking and exact evaluation.

    ghg.scope2 = energy.electricity.mainland * factor(cn_grid_2022) + energy.electricity.hk * factor(hk_clp_2023)
    ghg.intensity = ghg.total / emp.total
    training.coverage = percent(training.trained, emp.total)
    water.change = percent(water.total - prev(water.total), prev(water.total))

Grammar: + - * / and parentheses over decimal literals, KPI ids and five functions:
sum(a, b, …), children(ID) or children(ID, dimension), factor(FACTOR_ID), prev(ID) and
percent(a, b) = a ÷ b × 100. Formulas come from project files other people send, so they are
read by a small tokenizer and recursive-descent parser — never by eval() — with a limit on
nesting (MAX_NESTING) and on the depth of the tree (MAX_DEPTH), so that a hostile formula is a
FormulaError, not a RecursionError in the parser or in the functions that walk the tree.

Every quantity is evaluated in pint's base units as a Fraction (exact), and each formula is
checked for units before any value is read: adding MWh to tonnes, or a result in tCO₂e for a KPI
stored in MWh, is a FormulaError even while the inputs are still empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from esg_author.core.data.units import describe_dims
from esg_author.core.errors import FormulaError

FUNCTIONS = ("sum", "children", "factor", "prev", "percent")
MAX_NESTING = 100  # parentheses, signs and function calls inside each other
MAX_DEPTH = 200  # the syntax tree: "a + b + … " is one level per operator; sum(a, b, …) is flat

Dims = tuple[tuple[str, int], ...]


# -- syntax tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: Fraction


@dataclass(frozen=True)
class Ref:
    """A KPI's value in the year being computed."""

    kpi_id: str


@dataclass(frozen=True)
class Prev:
    """A KPI's value in the year before."""

    kpi_id: str


@dataclass(frozen=True)
class Children:
    """The sum of a KPI's direct breakdowns (of one dimension, when it has several)."""

    kpi_id: str
    dimension: str | None = None


@dataclass(frozen=True)
class FactorRef:
    factor_id: str


@dataclass(frozen=True)
class Sum:
    terms: tuple[Node, ...]


@dataclass(frozen=True)
class Percent:
    part: Node
    whole: Node


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


Node = Number | Ref | Prev | Children | FactorRef | Sum | Percent | BinOp | Neg


# -- parsing ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)|(?P<op>[-+*/(),]))")


@dataclass(frozen=True)
class _Token:
    kind: str  # number | name | op | end
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            where = len(text) - len(text[position:].lstrip())
            raise FormulaError("", f"formula {text!r}: unexpected character {text[where]!r} at position {where + 1}")
        kind = match.lastgroup or "op"
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0
        self.nesting = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def fail(self, expected: str) -> FormulaError:
        token = self.current
        found = "the end" if token.kind == "end" else repr(token.text)
        return FormulaError("", f"formula {self.text!r}: expected {expected} at position {token.position + 1}, found {found}")

    def take(self, text: str) -> None:
        if self.current.text != text or self.current.kind == "end":
            raise self.fail(repr(text))
        self.index += 1

    def shown(self) -> str:
        return repr(self.text if len(self.text) <= 80 else self.text[:77] + "…")

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise FormulaError("", "the formula is empty")
        node = self.expression()
        if self.current.kind != "end":
            raise self.fail("an operator")
        if _depth(node) > MAX_DEPTH:
            raise FormulaError("", f"formula {self.shown()}: more than {MAX_DEPTH} operators in a row; "
                                   "add long lists with sum(…) or children(…)")
        return node

    def enter(self) -> None:
        """One level deeper (a parenthesis, a sign, a function call); refuse absurd nesting."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise FormulaError("", f"formula nested too deeply: more than {MAX_NESTING} levels of parentheses, "
                                   f"signs or functions in {self.shown()}")

    def expression(self) -> Node:
        node = self.term()
        while self.current.kind == "op" and self.current.text in "+-":
            op = self.current.text
            self.index += 1
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.current.kind == "op" and self.current.text in "*/":
            op = self.current.text
            self.index += 1
            node = BinOp(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.current.kind == "op" and self.current.text in "+-":
            negative = self.current.text == "-"
            self.index += 1
            self.enter()
            operand = self.unary()
            self.nesting -= 1
            return Neg(operand) if negative else operand
        return self.primary()

    def primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.index += 1
            return Number(Fraction(token.text))
        if token.kind == "name":
            self.index += 1
            if self.current.text == "(" and self.current.kind == "op":
                self.enter()
                node = self.call(token)
                self.nesting -= 1
                return node
            return Ref(token.text)
        if token.kind == "op" and token.text == "(":
            self.index += 1
            self.enter()
            node = self.expression()
            self.take(")")
            self.nesting -= 1
            return node
        raise self.fail("a number, a KPI id or '('")

    def call(self, name: _Token) -> Node:
        if name.text not in FUNCTIONS:
            raise FormulaError("", f"formula {self.text!r}: unknown function {name.text!r} "
                                   f"(known: {', '.join(FUNCTIONS)})")
        self.take("(")
        if name.text in ("factor", "prev", "children"):
            first = self.identifier()
            second = None
            if name.text == "children" and self.current.text == ",":
                self.index += 1
                second = self.identifier()
            self.take(")")
            if name.text == "factor":
                return FactorRef(first)
            if name.text == "prev":
                return Prev(first)
            return Children(first, second)
        arguments = [self.expression()]
        while self.current.text == "," and self.current.kind == "op":
            self.index += 1
            arguments.append(self.expression())
        self.take(")")
        if name.text == "percent":
            if len(arguments) != 2:
                raise FormulaError("", f"formula {self.text!r}: percent() takes two arguments, a part and a whole")
            return Percent(arguments[0], arguments[1])
        return Sum(tuple(arguments))

    def identifier(self) -> str:
        if self.current.kind != "name":
            raise self.fail("an id")
        text = self.current.text
        self.index += 1
        return text


def _depth(node: Node) -> int:
    """The depth of the syntax tree, found without recursion (the tree may be hostile)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(current, BinOp):
            stack += [(current.left, depth + 1), (current.right, depth + 1)]
        elif isinstance(current, Neg):
            stack.append((current.operand, depth + 1))
        elif isinstance(current, Percent):
            stack += [(current.part, depth + 1), (current.whole, depth + 1)]
        elif isinstance(current, Sum):
            stack += [(term, depth + 1) for term in current.terms]
    return deepest


@lru_cache(maxsize=8192)
def parse_formula(text: str) -> Node:
    """The syntax tree of a formula; FormulaError (without a KPI id) when it is malformed."""
    return _Parser(text).parse()


# -- what a formula uses ------------------------------------------------------------------------


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, BinOp):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Neg):
        yield from walk(node.operand)
    elif isinstance(node, Percent):
        yield from walk(node.part)
        yield from walk(node.whole)
    elif isinstance(node, Sum):
        for term in node.terms:
            yield from walk(term)


def factor_ids(node: Node) -> list[str]:
    """The emission factors a formula uses, in order of appearance."""
    return list(dict.fromkeys(n.factor_id for n in walk(node) if isinstance(n, FactorRef)))


def kpi_ids(node: Node) -> list[str]:
    """Every KPI id the formula names (same year, previous year, or as a parent of children())."""
    return list(dict.fromkeys(n.kpi_id for n in walk(node) if isinstance(n, (Ref, Prev, Children))))


def has_prev(node: Node) -> bool:
    return any(isinstance(n, Prev) for n in walk(node))


# -- units --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitScope:
    """How unit checking sees the project: the dims of KPIs and factors, and the children of a KPI."""

    kpi_dims: Callable[[str], Dims]
    factor_dims: Callable[[str], Dims]
    children: Callable[[str, str | None], list[str]]


def result_dims(node: Node, scope: UnitScope) -> Dims:
    """The dimensions of a formula's result; FormulaError when it adds or compares unlike units."""
    if isinstance(node, Number):
        return ()
    if isinstance(node, (Ref, Prev)):
        return scope.kpi_dims(node.kpi_id)
    if isinstance(node, FactorRef):
        return scope.factor_dims(node.factor_id)
    if isinstance(node, Children):
        return _same_dims([(child, scope.kpi_dims(child)) for child in scope.children(node.kpi_id, node.dimension)],
                          f"children of {node.kpi_id}")
    if isinstance(node, Sum):
        return _same_dims([(_describe(term), result_dims(term, scope)) for term in node.terms], "sum()")
    if isinstance(node, Neg):
        return result_dims(node.operand, scope)
    if isinstance(node, Percent):
        part, whole = result_dims(node.part, scope), result_dims(node.whole, scope)
        if part != whole:
            raise FormulaError("", f"percent({_describe(node.part)}, {_describe(node.whole)}) compares "
                                   f"{describe_dims(part)} with {describe_dims(whole)}")
        return ()
    left, right = result_dims(node.left, scope), result_dims(node.right, scope)
    if node.op in "+-":
        if left != right:
            verb = "add" if node.op == "+" else "subtract"
            raise FormulaError("", f"cannot {verb} {_describe(node.left)} ({describe_dims(left)}) and "
                                   f"{_describe(node.right)} ({describe_dims(right)})")
        return left
    return _combine(left, right, 1 if node.op == "*" else -1)


def _same_dims(items: list[tuple[str, Dims]], what: str) -> Dims:
    if not items:
        return ()
    first_name, first = items[0]
    for name, dims in items[1:]:
        if dims != first:
            raise FormulaError("", f"{what} mixes {first_name} ({describe_dims(first)}) and {name} ({describe_dims(dims)})")
    return first


def _combine(left: Dims, right: Dims, sign: int) -> Dims:
    exponents = dict(left)
    for name, exp in right:
        exponents[name] = exponents.get(name, 0) + sign * exp
    return tuple(sorted((name, exp) for name, exp in exponents.items() if exp))


def _describe(node: Node) -> str:
    if isinstance(node, Ref):
        return node.kpi_id
    if isinstance(node, Prev):
        return f"prev({node.kpi_id})"
    if isinstance(node, FactorRef):
        return f"factor({node.factor_id})"
    if isinstance(node, Children):
        return f"children({node.kpi_id})"
    if isinstance(node, Number):
        return str(node.value)
    return "an expression"


# -- evaluation ---------------------------------------------------------------------------------


class DivisionByZero(Exception):  # an outcome, not a bug: the value stays missing
    """A formula divided by zero for this year."""


@dataclass(frozen=True)
class ValueScope:
    """How evaluation sees the project: values in base units (None when missing)."""

    value: Callable[[str], Fraction | None]  # this year
    previous: Callable[[str], Fraction | None]  # the year before
    factor: Callable[[str], Fraction]
    children: Callable[[str, str | None], list[str]]
    not_applicable: Callable[[str], bool] = lambda _kpi_id: False


def evaluate(node: Node, scope: ValueScope) -> Fraction | None:
    """The exact result in base units, or None when an input has no number for the year."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Ref):
        return scope.value(node.kpi_id)
    if isinstance(node, Prev):
        return scope.previous(node.kpi_id)
    if isinstance(node, FactorRef):
        return scope.factor(node.factor_id)
    if isinstance(node, Children):
        return _total([_addend(Ref(child), scope) for child in scope.children(node.kpi_id, node.dimension)])
    if isinstance(node, Sum):
        return _total([_addend(term, scope) for term in node.terms])
    if isinstance(node, Neg):
        operand = evaluate(node.operand, scope)
        return None if operand is None else -operand
    if isinstance(node, Percent):
        part, whole = evaluate(node.part, scope), evaluate(node.whole, scope)
        if part is None or whole is None:
            return None
        if whole == 0:
            raise DivisionByZero
        return part / whole  # a plain fraction: the KPI's unit (percent) scales it by 100
    left = evaluate(node.left, scope)
    right = evaluate(node.right, scope)
    if left is None or right is None:
        return None
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right == 0:
        raise DivisionByZero
    return left / right


def _addend(node: Node, scope: ValueScope) -> Fraction | None:
    """A term of a sum: a KPI marked not applicable adds nothing (a company without diesel still
    has a total energy figure); a KPI without a value leaves the total unknown."""
    if isinstance(node, Ref) and scope.not_applicable(node.kpi_id):
        return Fraction(0)
    return evaluate(node, scope)


def _total(values: list[Fraction | None]) -> Fraction | None:
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Fraction(0))

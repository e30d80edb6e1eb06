"""The rule registry (core/rules.py) lists exactly the rules the code emits, and findings carry
translatable messages: the GUI's problems panel groups by rule and shows messages in the UI
language, so a rule missing from the registry, a registered rule nothing emits or an f-string
message would show up there as a gap.

The code is read, not run: every Finding(...) call and every `rule=` given to a problem type
(TokenProblem, WorkbookProblem) is found in the source with ast.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from esg_author.core.model.tokens import BLOCK_KINDS
from esg_author.core.rules import RULES

_COMMAND_RE = re.compile(r"`esg-author|esg-author (?:build|check|demo|excel|framework|index|info|kpi|new|"
                         r"translate)\b|(?:^|\s)--[a-z]")
PACKAGE = Path(__file__).resolve().parents[3] / "esg_author"
TOKEN_PROBLEM_MODULE = PACKAGE / "core" / "render" / "markdown.py"


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


def _is_finding_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "Finding")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "Finding"))


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _token_problem_kinds() -> set[str]:
    """The kinds markdown.py gives TokenProblems (their rule is token.<kind>)."""
    tree = ast.parse(TOKEN_PROBLEM_MODULE.read_text(encoding="utf-8"))
    kinds = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_problem", "TokenProblem"):
            if node.args and isinstance(node.args[0], ast.Constant):
                kinds.add(node.args[0].value)
            elif node.args and isinstance(node.args[0], ast.Attribute) and node.args[0].attr == "kind":
                kinds |= set(BLOCK_KINDS)  # token.kind: a block token found inside a line
    return kinds


class _RuleValues:
    """The string values a rule expression can take, resolved within its function."""

    def __init__(self, function: ast.AST) -> None:
        self.assignments: dict[str, list[ast.expr]] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assignments.setdefault(target.id, []).append(node.value)

    def values(self, node: ast.expr, seen: frozenset[str] = frozenset()) -> set[str] | None:
        """The values, or None when they cannot be known from the source."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.Attribute) and node.attr == "rule":
            return set()  # a problem's own rule: found where the problem is made (rule=…)
        if isinstance(node, ast.IfExp):
            body, orelse = self.values(node.body, seen), self.values(node.orelse, seen)
            return None if body is None or orelse is None else body | orelse
        if isinstance(node, ast.Name) and node.id in self.assignments and node.id not in seen:
            found: set[str] = set()
            for value in self.assignments[node.id]:
                part = self.values(value, seen | {node.id})
                if part is None:
                    return None
                found |= part
            return found
        if isinstance(node, ast.JoinedStr) and len(node.values) == 2 and isinstance(node.values[0], ast.Constant):
            if node.values[0].value == "token.":  # f"token.{kind}": the kinds of TokenProblem
                return {f"token.{kind}" for kind in _token_problem_kinds()}
        return None


def emitted_rules() -> tuple[set[str], list[str]]:
    """(rule ids the code can emit, places whose rule cannot be read from the source)."""
    emitted: set[str] = set()
    unknown: list[str] = []
    for path, tree in _modules():
        if path.name == "rules.py" and path.parent.name == "core":
            continue
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for scope in [tree, *functions]:
            resolver = _RuleValues(scope)
            for node in ast.walk(scope):
                if _is_finding_call(node):
                    assert isinstance(node, ast.Call)
                    rule = _argument(node, 1, "rule")
                    if isinstance(rule, ast.Attribute) and rule.attr == "rule":
                        continue  # a problem's own rule: found where the problem is made (rule=…)
                    values = resolver.values(rule) if rule is not None else None
                    if values is None:
                        unknown.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
                    else:
                        emitted |= values
                elif isinstance(node, ast.Call):
                    for keyword in node.keywords:
                        if keyword.arg == "rule" and isinstance(keyword.value, ast.Constant):
                            emitted.add(keyword.value.value)
                elif (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "rule"
                      and isinstance(node.value, ast.Constant)):
                    emitted.add(node.value.value)  # a problem type's default rule
                elif isinstance(node, ast.arguments):
                    names = [a.arg for a in node.args[len(node.args) - len(node.defaults):]]
                    for name, default in zip(names, node.defaults, strict=True):
                        if name == "rule" and isinstance(default, ast.Constant):
                            emitted.add(default.value)
    emitted |= {f"token.{kind}" for kind in _token_problem_kinds()}  # TokenProblem.rule
    return emitted, unknown


def test_every_emitted_rule_is_registered_and_every_registered_rule_is_emitted() -> None:
    emitted, unknown = emitted_rules()
    assert unknown == [], "a Finding whose rule id cannot be read from the source"
    assert sorted(emitted - set(RULES)) == [], "emitted but not registered in core/rules.py"
    assert sorted(set(RULES) - emitted) == [], "registered in core/rules.py but emitted nowhere"


def test_the_scan_itself_sees_findings_and_problem_rules() -> None:
    """The scan can fail: it finds rules written every way the code writes them."""
    emitted, _unknown = emitted_rules()
    assert {"kpi.yoy", "kpi.intensity", "kpi.derived",  # literal, and both sides of an if-expression
            "script.simplified-in-hant", "script.traditional-in-hans",  # through a variable
            "workbook.value", "workbook.other-project",  # a problem type's default, and rule=
            "token.kpi", "token.token"} <= emitted  # TokenProblem kinds
    tree = ast.parse('Finding(Severity.ERROR, f"kpi.{name}", N_("x"))')
    call = next(node for node in ast.walk(tree) if _is_finding_call(node))
    assert _RuleValues(tree).values(_argument(call, 1, "rule")) is None  # an unreadable rule is reported


def test_messages_are_msgids_not_formatted_strings() -> None:
    """A message built with an f-string, % or + cannot be looked up in a catalog."""
    formatted = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if _is_finding_call(node):
                assert isinstance(node, ast.Call)
                message = _argument(node, 2, "message")
                if isinstance(message, (ast.JoinedStr, ast.BinOp)) or (
                        isinstance(message, ast.Call) and isinstance(message.func, ast.Attribute)
                        and message.func.attr == "format"):
                    formatted.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert formatted == []


def test_rule_summaries_are_sentences_and_core_messages_name_no_commands() -> None:
    for rule in RULES.values():
        assert rule.severity in ("error", "warning", "info"), rule.id
        assert rule.summary[:1].isupper() and rule.summary.endswith("."), rule.id
    # No command line in what the core says: the CLI adds its own hints (cli/hints.py).
    offenders = []
    for path, tree in _modules():
        if "cli" in path.relative_to(PACKAGE).parts or "gui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                text = node.args[0].value
                if _COMMAND_RE.search(text):
                    offenders.append(text)
    assert offenders == []


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_check_rules_lists_the_registry_in_the_ui_language(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    from esg_author.cli import main

    assert main(["check", "--rules", "--json", "--ui-lang", lang]) == 0
    listed = json.loads(capsys.readouterr().out)["rules"]
    assert [r["rule"] for r in listed] == list(RULES)
    yoy = next(r for r in listed if r["rule"] == "kpi.yoy")
    assert yoy["severity"] == "warning"
    if lang == "en":
        assert yoy["summary"] == RULES["kpi.yoy"].summary
    else:
        assert yoy["summary"] != RULES["kpi.yoy"].summary and "按年" in yoy["summary"]
    assert main(["check", "--rules", "--ui-lang", lang]) == 0
    assert capsys.readouterr().out.splitlines()[0].split()[:2] == ["text.missing", "error"]


def test_the_command_line_adds_its_hints_to_core_findings() -> None:
    from esg_author.cli.hints import FINDING_HINTS, finding_line
    from esg_author.core.findings import Finding, KpiTarget, Severity

    assert set(FINDING_HINTS) <= set(RULES)
    finding = Finding(Severity.ERROR, "kpi.derived", "{year}: the stored value {stored} differs", target=KpiTarget("a", 2024),
                      params={"year": 2024, "stored": "1"})
    assert finding_line(finding).endswith("[run `esg-author kpi recompute PROJECT --year 2024`]")
    assert "esg-author" not in finding.text
    plain = Finding(Severity.WARNING, "kpi.yoy", "rose", target=KpiTarget("a", 2024))
    assert finding_line(plain) == plain.one_line()

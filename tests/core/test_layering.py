"""The core's packages form a pipeline: no package imports one that imports it back.

Every import counts, including those inside functions: a lazy import hides a cycle from Python's
import machinery, not from a reader.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "esg_author" / "core"


def package_of(path: Path) -> str:
    """The core sub-package a module belongs to ("render"), or the module itself ("commands")."""
    parts = path.relative_to(CORE).parts
    return parts[0] if len(parts) > 1 else path.stem


def package_imports() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in CORE.rglob("*.py"):
        source = package_of(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.startswith("esg_author.core."):
                    target = name.split(".")[2]
                    if target not in (source, "__init__"):
                        edges.setdefault(source, set()).add(target)
    return edges


def test_core_packages_have_no_import_cycle() -> None:
    try:
        order = list(TopologicalSorter(package_imports()).static_order())
    except CycleError as exc:
        raise AssertionError(f"import cycle between core packages: {' → '.join(exc.args[1])}") from None
    assert "model" in order and "render" in order


def test_the_model_depends_on_nothing_above_it() -> None:
    assert package_imports().get("model", set()) <= {"errors"}


def test_a_cycle_is_detected() -> None:
    """The check itself can fail: a two-package loop is a CycleError."""
    try:
        list(TopologicalSorter({"render": {"checks"}, "checks": {"render"}}).static_order())
    except CycleError:
        return
    raise AssertionError("a cycle went unnoticed")

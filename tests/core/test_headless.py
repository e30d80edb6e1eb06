"""The core and the command line work with PySide6 made unimportable (DESIGN §3.1)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

BLOCK_QT = textwrap.dedent("""
    import importlib.abc, sys
    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith(("PySide6.", "shiboken6", "esg_author.gui")):
                raise ImportError(f"{name} is blocked in this test")
            return None
    sys.meta_path.insert(0, BlockQt())
""")


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK_QT + textwrap.dedent(code)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_core_modules_import_without_qt(tmp_path):
    result = run_python("""
        import pkgutil, importlib, esg_author.core
        names = [m.name for m in pkgutil.walk_packages(esg_author.core.__path__, "esg_author.core.")]
        for name in names:
            importlib.import_module(name)
        import esg_author.cli
        assert not any(m.startswith("PySide6") for m in sys.modules)
        print(len(names), "modules")
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "modules" in result.stdout


def test_cli_builds_a_report_without_qt(tmp_path, small_project_path):
    result = run_python(f"""
        from esg_author.cli import main
        code = main(["build", {str(small_project_path)!r}, "--lang", "en", "--out", {str(tmp_path)!r}])
        assert not any(m.startswith("PySide6") for m in sys.modules)
        sys.exit(code)
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "small.en.pdf").stat().st_size > 1000
    assert (tmp_path / "html" / "en" / "index.html").exists()


def test_no_core_file_mentions_qt():
    core = Path(__file__).parents[2] / "esg_author" / "core"
    imports_qt = re.compile(r"^\s*(from|import)\s+(PySide6|esg_author\.gui)", re.MULTILINE)
    offenders = [p for p in core.rglob("*.py") if imports_qt.search(p.read_text(encoding="utf-8"))]
    assert offenders == []

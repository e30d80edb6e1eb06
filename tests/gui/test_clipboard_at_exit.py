"""Quitting after copying from the section editor exits cleanly and keeps the copied text."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv)
    from esg_author.gui.app import keep_clipboard_as_text
    from esg_author.gui.section_editor import SectionEditor
    editor = SectionEditor()
    editor.set_markdown("We employ [[kpi:emp.total]] people.\\n")
    editor.selectAll()
    editor.copy()
    keep_clipboard_as_text(app)
    print(app.clipboard().text())
""")


def test_copied_text_survives_a_clean_exit() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr  # a crash at exit is -11 (SIGSEGV)
    assert "We employ" in result.stdout and "people." in result.stdout

"""Write PNG screenshots of the desktop editor's main screens, for the docs and for review.

    .venv/bin/python docs/screenshots.py [--out DIR] [--ui-lang en|zh-Hant|zh-Hans] [--only NAME …]

Runs offscreen unless DISPLAY is set; settings and recovery copies go to a temporary folder.
Each screen is one function registered with @screen("name"): it gets a Shots helper (a window
factory, the demo file, the output folder) and saves one or more PNGs. To add a screen (the
translator view, a KPI panel), write a function below and register it; nothing else changes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCREENS: dict[str, Callable[[Shots], None]] = {}


def screen(name: str) -> Callable[[Callable[[Shots], None]], Callable[[Shots], None]]:
    def register(function: Callable[[Shots], None]) -> Callable[[Shots], None]:
        SCREENS[name] = function
        return function

    return register


class Shots:
    """What a screen function needs: fresh windows, a copy of the demo, where to save."""

    def __init__(self, out: Path, work: Path, ui_lang: str) -> None:
        from esg_author.core.bundled import load_demo_project
        from esg_author.core.storage import save_project

        self.out, self.work, self.ui_lang = out, work, ui_lang
        self.demo = work / "demo.esgproj"
        save_project(load_demo_project(), self.demo)
        self._windows: list[object] = []

    def window(self, project: Path | None = None, size: tuple[int, int] = (1440, 900)):
        from esg_author.gui.main_window import MainWindow

        window = MainWindow()
        window.change_ui_language(self.ui_lang)
        window.resize(*size)
        window.show()
        if project is not None:
            assert window.open_project(project), f"cannot open {project}"
        self._windows.append(window)
        self.settle()
        return window

    def settle(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(200, loop.quit)  # layouts, deferred status updates, first paints
        loop.exec()
        QCoreApplication.processEvents()

    def save(self, widget, name: str) -> Path:
        self.settle()
        path = self.out / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise SystemExit(f"cannot write {path}")
        print(path)
        return path

    def close_all(self) -> None:
        for window in self._windows:
            document = window.controller.document
            if document is not None:
                document.close()  # no "save changes?" for what a screenshot changed
                window.controller.document = None
            window.close()
        self._windows.clear()


@screen("main-window")
def main_window(shots: Shots) -> None:
    window = shots.window(shots.demo)
    board = next(sid for sid, number in window.project.section_numbers().items() if number == "1.1")
    window.open_section(board)
    shots.save(window, "main-window")


@screen("section-editor")
def section_editor(shots: Shots) -> None:
    window = shots.window(shots.demo, size=(1200, 860))
    section = next(sid for sid, number in window.project.section_numbers().items() if number == "1.4")
    editor = window.open_section(section, "en")
    editor.verticalScrollBar().setValue(editor.verticalScrollBar().maximum())
    shots.save(window.editor_tabs, "section-editor")


@screen("start-page")
def start_page(shots: Shots) -> None:
    window = shots.window(size=(1200, 760))
    window.settings.add_recent_project(shots.work / "Acme ESG 2024.esgproj")
    window.settings.add_recent_project(shots.demo)
    window._on_recent_changed()
    shots.save(window, "start-page")


@screen("recovery-prompt")
def recovery_prompt(shots: Shots) -> None:
    from esg_author.core.commands import SetSectionText
    from esg_author.core.document import recoverable

    window = shots.window(shots.demo, size=(1200, 760))
    section = window.project.sections[1].id
    window.history.execute(SetSectionText(section, window.current_language(), body="A change not saved yet."), "typing")
    window.document.autosave()
    copy = recoverable(shots.demo)[0]
    box = window.prompts.recovery_box(shots.demo, copy)
    box.show()
    shots.save(box, "recovery-prompt")
    box.close()
    window.document.discard_recovery()


@screen("lock-prompt")
def lock_prompt(shots: Shots) -> None:
    window = shots.window(size=(1200, 760))
    owner = {"user": "alice", "host": "finance-pc-07", "pid": 4242, "since": "2026-03-02T01:30:00+00:00"}
    box = window.prompts.lock_box(shots.demo, owner)
    box.show()
    shots.save(box, "lock-prompt")
    box.close()


@screen("external-change-prompt")
def external_change_prompt(shots: Shots) -> None:
    window = shots.window(size=(1200, 760))
    box = window.prompts.external_change_box(shots.demo, "content")
    box.show()
    shots.save(box, "external-change-prompt")
    box.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the PNG files (created)")
    parser.add_argument("--ui-lang", default="en", choices=["en", "zh-Hant", "zh-Hans"])
    parser.add_argument("--only", nargs="*", choices=sorted(SCREENS), help="these screens only")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="esg-screens-") as temp:
        work = Path(temp)
        os.environ["ESG_AUTHOR_DATA_HOME"] = str(work / "data")
        if not os.environ.get("DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QSettings

        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "settings"))
        from esg_author.gui.app import create_application

        app = create_application(["esg-author"])
        shots = Shots(args.out, work, args.ui_lang)
        for name in args.only or SCREENS:
            try:
                SCREENS[name](shots)
            finally:
                shots.close_all()  # each screen starts from a closed demo (its lock released)
        del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

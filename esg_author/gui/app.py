"""Start the desktop application.

    esg-author [--ui-lang {en,zh-Hant,zh-Hans}] [--debug] [PROJECT.esgproj]

With a project, that project opens. Without one, the project open when the app last quit opens
again; if there was none (or it cannot be opened) the start page shows: new project, open,
recent projects, the demo. The UI language is --ui-lang, else $ESG_AUTHOR_UI_LANG, else the one
last chosen in Settings ▸ Interface language, else the system's (QLocale), else English.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from esg_author import __version__
from esg_author.core.i18n.ui import UI_LANG_ENV, UI_LANGUAGES, choose_ui_language
from esg_author.gui.actions import app_icon
from esg_author.gui.main_window import MainWindow
from esg_author.gui.settings_store import SettingsStore


def parse_app_arguments(args: Sequence[str]) -> argparse.Namespace:
    """The app's own options; anything else (Qt's -style, -platform …) is left for Qt."""
    parser = argparse.ArgumentParser(prog="esg-author", add_help=False)
    parser.add_argument("--ui-lang", choices=UI_LANGUAGES, help="language of menus and dialogs")
    parser.add_argument("--debug", action="store_true")
    options, _rest = parser.parse_known_args(list(args))
    options.projects = [Path(arg) for arg in args if arg.endswith(".esgproj")]
    return options


def create_application(argv: list[str]) -> QApplication:
    """The QApplication, made once per process, with the app's name (QSettings, dialogs) and icon."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scale factors (150 %) as they are: no rounding to whole pixels ratios, so text
    # and icons are sharp at every Windows and GNOME scaling step.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv[:1])
    app.setApplicationName("esg-author")
    app.setOrganizationName("esg-author")
    app.setApplicationDisplayName("esg-author")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("esg-author")
    app.setWindowIcon(app_icon())
    return app


def start_window(options: argparse.Namespace, settings: SettingsStore | None = None,
                 ui_lang: str | None = None) -> MainWindow:
    """Make the window, show it, and open what the command line or the last session asks for."""
    settings = settings or SettingsStore()
    requested = ui_lang or options.ui_lang
    if not requested and not os.environ.get(UI_LANG_ENV):
        saved = settings.ui_language()
        requested = saved if saved in UI_LANGUAGES else None
    lang = choose_ui_language(requested, QLocale.system().uiLanguages())
    window = MainWindow(settings=settings)
    window.change_ui_language(lang)
    window.show()
    if options.projects:
        for path in options.projects:
            window.open_project(path)
    else:
        last = settings.last_project()
        if last is not None and last.exists():
            # After the window is on screen: a recovery or lock question then has a parent to sit on.
            QTimer.singleShot(0, lambda: window.open_project(last))
    return window


def run_app(debug: bool = False, argv: list[str] | None = None, ui_lang: str | None = None) -> int:
    """argv is sys.argv-like (program name first); ui_lang overrides --ui-lang in it."""
    argv = list(argv or sys.argv[:1])
    options = parse_app_arguments(argv[1:])
    debug = debug or options.debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)
    app = create_application(argv)
    window = start_window(options, ui_lang=ui_lang)
    code = int(app.exec())
    keep_clipboard_as_text(app)
    del window
    return code


def keep_clipboard_as_text(app: QApplication) -> None:
    """Replace what the section editor copied with the same text made by Qt itself.

    PySide6 6.12 crashes at exit while the clipboard still holds mime data that a Python
    override created (the editor's copy with its Markdown flavour); plain text set here is
    Qt's own, so the user's copied text survives and the program exits cleanly."""
    clipboard = app.clipboard()
    if clipboard.ownsClipboard() or clipboard.mimeData() is not None:
        text = clipboard.text()
        if text:
            clipboard.setText(text)
        else:
            clipboard.clear()


if __name__ == "__main__":  # python -m esg_author.gui.app --ui-lang zh-Hant
    sys.exit(run_app(argv=sys.argv))

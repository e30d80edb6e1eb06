"""Start the desktop application.

    esg-author [--ui-lang {en,zh-Hant,zh-Hans}] [--debug] [PROJECT.esgproj]

The UI language is --ui-lang, else $ESG_AUTHOR_UI_LANG, else the system's (QLocale), else English;
it can be changed at run time in Settings ▸ Interface language (see core.i18n.ui).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from esg_author import __version__
from esg_author.core.i18n.ui import UI_LANGUAGES, choose_ui_language
from esg_author.gui.main_window import MainWindow


def parse_app_arguments(args: Sequence[str]) -> argparse.Namespace:
    """The app's own options; anything else (Qt's -style, -platform …) is left for Qt."""
    parser = argparse.ArgumentParser(prog="esg-author", add_help=False)
    parser.add_argument("--ui-lang", choices=UI_LANGUAGES, help="language of menus and dialogs")
    parser.add_argument("--debug", action="store_true")
    options, _rest = parser.parse_known_args(list(args))
    options.projects = [Path(arg) for arg in args if arg.endswith(".esgproj")]
    return options


def run_app(debug: bool = False, argv: list[str] | None = None, ui_lang: str | None = None) -> int:
    """argv is sys.argv-like (program name first); ui_lang overrides --ui-lang in it."""
    argv = list(argv or sys.argv[:1])
    options = parse_app_arguments(argv[1:])
    debug = debug or options.debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)
    app = QApplication.instance() or QApplication(argv[:1])
    app.setApplicationName("esg-author")
    app.setApplicationVersion(__version__)
    lang = choose_ui_language(ui_lang or options.ui_lang, QLocale.system().uiLanguages())
    window = MainWindow()
    window.change_ui_language(lang)
    window.show()
    for path in options.projects:
        window.open_project(path)
    return int(app.exec())


if __name__ == "__main__":  # python -m esg_author.gui.app --ui-lang zh-Hant
    sys.exit(run_app(argv=sys.argv))

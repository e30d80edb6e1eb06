"""Start the desktop application."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from esg_author import __version__
from esg_author.gui.main_window import MainWindow


def run_app(debug: bool = False, argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("esg-author")
    app.setApplicationVersion(__version__)
    window = MainWindow()
    window.show()
    for arg in (argv or [])[1:]:
        if arg.endswith(".esgproj"):
            window.open_project(Path(arg))
    return int(app.exec())

"""The main window: open a project, browse its sections and read their text per language.

A project opened here is locked for editing (see core.storage.lock) until it is closed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QToolBar,
    QWidget,
)

from esg_author.core.errors import EsgAuthorError
from esg_author.core.model import Project
from esg_author.core.render.context import LANGUAGE_NAMES
from esg_author.core.storage import ProjectLock, open_project
from esg_author.gui.outline_panel import OutlinePanel


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.project_path: Path | None = None
        self._lock: ProjectLock | None = None
        self.setWindowTitle("esg-author")
        self.resize(1100, 720)

        self.outline = OutlinePanel(self)
        self.text_view = QPlainTextEdit(self)
        self.text_view.setReadOnly(True)
        self.text_view.setPlaceholderText("Open a project (File ▸ Open…) to see its sections.")
        splitter = QSplitter(self)
        splitter.addWidget(self.outline)
        splitter.addWidget(self.text_view)
        splitter.setSizes([340, 760])
        self.setCentralWidget(splitter)

        self.language_box = QComboBox(self)
        self.open_action = QAction("&Open…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self._build_menus()
        self._connect_signals()
        self.statusBar().showMessage("No project open")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.addAction(self.open_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Language: ", self))
        toolbar.addWidget(self.language_box)
        self.addToolBar(toolbar)

    def _connect_signals(self) -> None:
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.language_box.currentIndexChanged.connect(self._on_language_changed)
        self.outline.section_selected.connect(self._show_section)

    # -- public --------------------------------------------------------------------------

    def open_project(self, path: Path) -> bool:
        """Open and lock a project; errors are shown once, here, and change nothing."""
        lock = ProjectLock(path)
        try:
            project = open_project(path)
            lock.acquire()
        except EsgAuthorError as exc:
            QMessageBox.critical(self, "Cannot open project", str(exc))
            return False
        self._release_lock()
        self._lock, self.project, self.project_path = lock, project, path
        self.language_box.blockSignals(True)
        self.language_box.clear()
        for lang in project.meta.languages:
            self.language_box.addItem(LANGUAGE_NAMES.get(lang, lang), lang)
        self.language_box.blockSignals(False)
        self.outline.show_project(project, self.current_language())
        company = project.meta.company.get(self.current_language(), path.stem)
        self.setWindowTitle(f"{path.name} — {company} — esg-author")
        self.statusBar().showMessage(
            f"{len(project.sections)} sections · {len(project.kpis)} KPIs · {len(project.tables)} KPI tables")
        return True

    def current_language(self) -> str:
        return str(self.language_box.currentData() or "en")

    # -- slots ---------------------------------------------------------------------------

    @Slot()
    def _on_open_action_triggered(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open project", "", "esg-author projects (*.esgproj)")
        if name:
            self.open_project(Path(name))

    @Slot(int)
    def _on_language_changed(self, _index: int) -> None:
        self.outline.show_project(self.project, self.current_language())

    @Slot(str)
    def _show_section(self, section_id: str) -> None:
        if self.project is None:
            return
        text = self.project.section(section_id).text(self.current_language())
        self.text_view.setPlainText(text.body)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._release_lock()
        super().closeEvent(event)

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

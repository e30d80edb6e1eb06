"""The main window: open a project, browse its sections and read their text per language.

A project opened here is a core.document.Document: read, then locked for editing until it is
closed; unsaved changes are never dropped without asking. Every
visible string goes through core.i18n.ui._ and is set in retranslate_ui, so Settings ▸ Interface
language switches the UI language at run time; the report language (toolbar) is independent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
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

from esg_author.core.document import Document
from esg_author.core.errors import EsgAuthorError
from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.ui import UI_LANGUAGE_NAMES, UI_LANGUAGES, _, set_ui_language, ui_language
from esg_author.core.model import LANGUAGE_NAMES, Project
from esg_author.gui.outline_panel import OutlinePanel

QT_TRANSLATION_LOCALES = {"zh-Hant": "zh_TW", "zh-Hans": "zh_CN"}
"""Qt's own dialog texts (buttons of file dialogs, message boxes): Qt ships no zh_HK catalog."""


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self._qt_translator: QTranslator | None = None
        self._status: tuple[str, dict[str, object]] = (N_("No project open"), {})
        self.setWindowTitle("esg-author")
        self.resize(1100, 720)

        self.outline = OutlinePanel(self)
        self.text_view = QPlainTextEdit(self)
        self.text_view.setReadOnly(True)
        splitter = QSplitter(self)
        splitter.addWidget(self.outline)
        splitter.addWidget(self.text_view)
        splitter.setSizes([340, 760])
        self.setCentralWidget(splitter)

        self.language_box = QComboBox(self)
        self.language_label = QLabel(self)
        self.language_label.setContentsMargins(6, 0, 6, 0)
        # A permanent label, not showMessage: Qt clears temporary messages whenever the mouse
        # passes over a menu or toolbar item.
        self.summary_label = QLabel(self)
        self.summary_label.setContentsMargins(4, 0, 4, 0)
        self.statusBar().addWidget(self.summary_label, 1)
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.ui_language_group = QActionGroup(self)
        self.ui_language_actions: dict[str, QAction] = {}
        for lang in UI_LANGUAGES:
            action = QAction(UI_LANGUAGE_NAMES[lang], self)  # a language's own name is never translated
            action.setCheckable(True)
            action.setData(lang)
            self.ui_language_group.addAction(action)
            self.ui_language_actions[lang] = action
        self._build_menus()
        self._connect_signals()
        self.retranslate_ui()

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.open_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.settings_menu = self.menuBar().addMenu("")
        self.ui_language_menu = self.settings_menu.addMenu("")
        self.ui_language_menu.addActions(list(self.ui_language_actions.values()))
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.addAction(self.open_action)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.language_label)
        self.toolbar.addWidget(self.language_box)
        self.addToolBar(self.toolbar)

    def _connect_signals(self) -> None:
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.ui_language_group.triggered.connect(self._on_ui_language_triggered)
        self.language_box.currentIndexChanged.connect(self._on_language_changed)
        self.outline.section_selected.connect(self._show_section)

    # -- public --------------------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        return None if self.document is None else self.document.project

    @property
    def project_path(self) -> Path | None:
        return None if self.document is None else self.document.path

    def open_project(self, path: Path) -> bool:
        """Open and lock a project; errors are shown once, here, and change nothing.

        Opening the project this window already has open reloads it from disk. Either replaces
        the project shown, so unsaved changes are saved or dropped only when the user says so.
        """
        if not self._may_replace_document():
            return False
        document = self.document
        try:
            if document is not None and self._is_open_here(path):
                # Reloading keeps this window's lock, so no other editor can slip in between
                # releasing it and taking it again.
                document.reload()
            else:
                document = Document.open(path)  # read, then lock: a bad file leaves no lock
                self._close_document()
                self.document = document
        except EsgAuthorError as exc:
            QMessageBox.critical(self, _("Cannot open project"), str(exc))
            return False
        project = document.project
        self.language_box.blockSignals(True)
        self.language_box.clear()
        for lang in project.meta.languages:
            self.language_box.addItem(LANGUAGE_NAMES.get(lang, lang), lang)
        self.language_box.blockSignals(False)
        self.outline.show_project(project, self.current_language())
        company = project.meta.company.get(self.current_language(), path.stem)
        self.setWindowTitle(f"{path.name} — {company} — esg-author")
        self._show_status(N_("Sections: {sections} · KPIs: {kpis} · KPI tables: {tables}"),
                          sections=len(project.sections), kpis=len(project.kpis), tables=len(project.tables))
        return True

    def current_language(self) -> str:
        """The report language shown in the outline and text view (not the UI language)."""
        return str(self.language_box.currentData() or "en")

    def change_ui_language(self, lang: str) -> None:
        """Switch menus, labels and messages (ours and Qt's own dialogs) to another UI language."""
        set_ui_language(lang)
        self._install_qt_translations(lang)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible string from the catalogs of the current UI language."""
        self.file_menu.setTitle(_("&File"))
        self.open_action.setText(_("&Open…"))
        self.open_action.setIconText(_("Open"))  # the toolbar button: no mnemonic, no ellipsis
        self.open_action.setStatusTip(_("Open an esg-author project"))
        self.quit_action.setText(_("&Quit"))
        self.settings_menu.setTitle(_("&Settings"))
        self.ui_language_menu.setTitle(_("Interface &language"))
        self.ui_language_actions[ui_language()].setChecked(True)
        self.toolbar.setWindowTitle(_("Main toolbar"))
        self.language_label.setText(_("Report language:"))
        self.language_box.setToolTip(_("The language of the report text shown here; the interface language is set in Settings"))
        self.text_view.setPlaceholderText(_("Open a project (File ▸ Open…) to see its sections."))
        message, values = self._status
        self.summary_label.setText(_(message).format(**values))

    # -- slots ---------------------------------------------------------------------------

    @Slot()
    def _on_open_action_triggered(self) -> None:
        name, _selected_filter = QFileDialog.getOpenFileName(
            self, _("Open project"), "", _("esg-author projects ({patterns})").format(patterns="*.esgproj"))
        if name:
            self.open_project(Path(name))

    @Slot(QAction)
    def _on_ui_language_triggered(self, action: QAction) -> None:
        self.change_ui_language(str(action.data()))

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
        if not self._may_replace_document():
            event.ignore()
            return
        self._close_document()
        super().closeEvent(event)

    def _show_status(self, message: str, **values: object) -> None:
        """Show a status-bar summary and remember it untranslated, so retranslate_ui can redo it."""
        self._status = (message, values)
        self.summary_label.setText(_(message).format(**values))

    def _install_qt_translations(self, lang: str) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        qt_locale = QT_TRANSLATION_LOCALES.get(lang)
        if qt_locale is None:
            return
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(QLocale(qt_locale), "qtbase", "_", folder):
            app.installTranslator(translator)
            self._qt_translator = translator

    def _is_open_here(self, path: Path) -> bool:
        if self.project_path is None:
            return False
        try:
            return Path(self.project_path).samefile(path)
        except OSError:
            return Path(self.project_path).resolve() == Path(path).resolve()

    def _may_replace_document(self) -> bool:
        """Whether the open document may be closed or reloaded: it has no unsaved changes, or
        the user saved them, or chose to discard them."""
        document = self.document
        if document is None or not document.is_dirty:
            return True
        buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        if document.path is not None:
            buttons |= QMessageBox.StandardButton.Save
        name = document.path.name if document.path is not None else _("Untitled project")
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("{name} has changes that are not saved. Save them first?").format(name=name),
            buttons, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Discard:
            return True
        if answer != QMessageBox.StandardButton.Save:
            return False
        try:
            document.save()  # refuses to replace a file changed on disk (ExternalChangeError)
        except EsgAuthorError as exc:
            QMessageBox.critical(self, _("Cannot save project"), str(exc))
            return False
        return True

    def _close_document(self) -> None:
        if self.document is not None:
            self.document.close()
            self.document = None

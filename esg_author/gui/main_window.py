"""The main window: the navigator of sections, the editor tabs, the docks around them, the
status bar, menus and toolbars.

The window composes the parts and wires them, all in _connect_signals: each part only states
facts (project_changed, current_text_changed) or asks for something (add_requested,
text_edited); the window runs every edit as a command through EditHistory, and every part
redraws from the command's change set. DocumentController owns opening, saving, autosave and
recovery; Prompts asks every question and shows every error. Every visible string goes through
core.i18n.ui._ and is set again in retranslate_ui, so the interface language switches live; the
report language (toolbar) is independent of it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from esg_author.core.commands import AddSection, MoveSection, RemoveSection, SetSectionText, SetSectionTitle, StackEvent, StackEventKind
from esg_author.core.document import Document
from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.ui import _, set_ui_language
from esg_author.core.model import LANGUAGE_NAMES, Project, Section, SectionText
from esg_author.gui.about_dialog import AboutDialog
from esg_author.gui.actions import WindowActions, app_icon
from esg_author.gui.chip_labels import ChipLabels
from esg_author.gui.dock_manager import DockManager
from esg_author.gui.document_controller import DocumentController
from esg_author.gui.edit_history import EditHistory, section_label
from esg_author.gui.editor_tabs import EditorTabs, TabKey
from esg_author.gui.find_bar import FindBar
from esg_author.gui.navigator_model import NavigatorModel
from esg_author.gui.navigator_panel import NavigatorPanel
from esg_author.gui.prompts import Prompts
from esg_author.gui.qt_translations import QtTranslations
from esg_author.gui.refcount_guard import guard_bool_refcount
from esg_author.gui.section_editor import SectionEditor
from esg_author.gui.settings_store import SettingsStore
from esg_author.gui.start_page import StartPage
from esg_author.gui.status_bar import EditorStatusBar

guard_bool_refcount()  # before the first signal is emitted (see refcount_guard.py)

NEW_SECTION_TITLE = N_("New section")
STATUS_DELAY_MS = 150


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None, settings: SettingsStore | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main-window")
        self.icon = app_icon()
        self.setWindowIcon(self.icon)
        self.qt_translations = QtTranslations(self)
        self.settings = settings or SettingsStore()
        self.prompts = Prompts(self)
        self.controller = DocumentController(self.prompts, self.settings, self)
        self.history = EditHistory(self)
        self.chip_labels = ChipLabels(lambda: self.project)

        self.window_actions = WindowActions(self)
        self.navigator_model = NavigatorModel(self)
        self.navigator = NavigatorPanel(self.navigator_model, self)
        self.navigator.set_context_actions(self.window_actions.section_actions)
        self.editor_tabs = EditorTabs(self.chip_labels, self.chip_labels.asset_data, self)
        self.editor_tabs.set_history_actions(self.window_actions.undo, self.window_actions.redo)
        self.find_bar = FindBar(self)
        self.editor_hint = QLabel(self)
        self.editor_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editor_hint.setWordWrap(True)
        self.editor_hint.setEnabled(False)
        self.editor_stack = QStackedWidget(self)
        self.editor_stack.addWidget(self.editor_hint)
        self.editor_stack.addWidget(self.editor_tabs)
        editor_area = QWidget(self)
        layout = QVBoxLayout(editor_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.editor_stack, 1)
        layout.addWidget(self.find_bar)
        self.start_page = StartPage(self.icon, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.start_page)
        self.pages.addWidget(editor_area)
        self.setCentralWidget(self.pages)
        self.docks = DockManager(self, self.window_actions.panels_menu)
        self.navigator_dock = self.docks.add_dock("navigator", N_("Sections"), self.navigator)

        self.language_label = QLabel(self)
        self.language_label.setContentsMargins(6, 0, 6, 0)
        self.language_box = QComboBox(self)
        self.language_box.setObjectName("report-language")
        self.window_actions.main_toolbar.addWidget(self.language_label)
        self.window_actions.main_toolbar.addWidget(self.language_box)
        self.status = EditorStatusBar(self)
        self.setStatusBar(self.status)
        # While typing, the section's character counts follow a few times a second rather than
        # with every key: the key's own repaint comes first.
        self.status_timer = QTimer(self)
        self.status_timer.setSingleShot(True)
        self.status_timer.setInterval(STATUS_DELAY_MS)

        # The navigator's own actions act where the navigator has the focus: Delete or
        # Ctrl+Shift+arrows in the text keep their meaning there.
        for action in (self.window_actions.rename_section, self.window_actions.delete_section, self.window_actions.move_up,
                       self.window_actions.move_down, self.window_actions.indent_section, self.window_actions.outdent_section):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.navigator.tree.addAction(action)

        self.resize(1280, 800)
        self.resizeDocks([self.navigator_dock], [360], Qt.Orientation.Horizontal)
        self._restore_layout()
        self._connect_signals()
        self.start_page.set_recent(self.settings.recent_projects())
        self.window_actions.set_recent(self.settings.recent_projects())
        self._show_start_page()
        self.retranslate_ui()
        self._update_everything()

    # -- wiring: every connection between parts is made here ----------------------------------

    def _connect_signals(self) -> None:
        a = self.window_actions
        a.new.triggered.connect(self._on_new)
        a.open.triggered.connect(self._on_open)
        a.recent_menu.triggered.connect(self._on_recent_triggered)
        a.clear_recent.triggered.connect(self._on_clear_recent)
        a.save.triggered.connect(self.controller.save)
        a.save_as.triggered.connect(self.controller.save_as)
        a.close_tab.triggered.connect(self.editor_tabs.close_current)
        a.close_project.triggered.connect(self._on_close_project)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.redo)
        a.cut.triggered.connect(lambda: self._edit_focused("cut", "cut"))
        a.copy.triggered.connect(lambda: self._edit_focused("copy", ""))
        a.paste.triggered.connect(lambda: self._edit_focused("paste", "paste"))
        a.select_all.triggered.connect(lambda: self._edit_focused("selectAll", ""))
        a.paste_plain.triggered.connect(lambda: self.editor_tabs.run_in_current("paste", SectionEditor.paste_plain_text))
        a.find.triggered.connect(lambda: self._open_find_bar(with_replace=False))
        a.replace.triggered.connect(lambda: self._open_find_bar(with_replace=True))
        a.find_next.triggered.connect(lambda: self._find_again(backward=False))
        a.find_previous.triggered.connect(lambda: self._find_again(backward=True))
        formatting = {
            a.bold: SectionEditor.toggle_bold, a.italic: SectionEditor.toggle_italic,
            a.strikethrough: SectionEditor.toggle_strikethrough, a.heading: SectionEditor.toggle_heading,
            a.bullet_list: SectionEditor.toggle_bullet_list, a.numbered_list: SectionEditor.toggle_numbered_list,
            a.list_indent: SectionEditor.indent, a.list_outdent: SectionEditor.outdent,
            a.insert_table: SectionEditor.insert_table, a.insert_footnote: SectionEditor.insert_footnote,
        }
        for action, edit in formatting.items():
            action.triggered.connect(lambda _checked=False, edit=edit: self.editor_tabs.run_in_current("formatting", edit))
        a.source_view.toggled.connect(self._on_source_view_toggled)
        a.add_section.triggered.connect(lambda: self.navigator.request_add(as_child=False))
        a.add_subsection.triggered.connect(lambda: self.navigator.request_add(as_child=True))
        a.rename_section.triggered.connect(self.navigator.rename_current)
        a.delete_section.triggered.connect(self.navigator.request_remove)
        a.move_up.triggered.connect(self.navigator.request_move_up)
        a.move_down.triggered.connect(self.navigator.request_move_down)
        a.indent_section.triggered.connect(self.navigator.request_indent)
        a.outdent_section.triggered.connect(self.navigator.request_outdent)
        a.about.triggered.connect(self._on_about)
        a.about_qt.triggered.connect(QApplication.aboutQt)
        a.ui_language_group.triggered.connect(self._on_ui_language_triggered)

        self.controller.document_opened.connect(self._on_document_opened)
        self.controller.document_closed.connect(self._on_document_closed)
        self.controller.state_changed.connect(self._update_everything)
        self.status_timer.timeout.connect(self._update_section_status)
        self.controller.recent_changed.connect(self._on_recent_changed)
        self.history.project_changed.connect(self._on_project_changed)
        self.history.edit_failed.connect(self._on_edit_failed)

        self.navigator.section_selected.connect(self._on_section_selected)
        self.navigator.section_activated.connect(self._on_section_activated)
        self.navigator.add_requested.connect(self._on_add_requested)
        self.navigator.remove_requested.connect(self._on_remove_requested)
        self.navigator.move_requested.connect(self._on_move_requested)
        self.navigator_model.move_requested.connect(self._on_move_requested)
        self.navigator_model.rename_requested.connect(self._on_rename_requested)
        self.navigator.tree.selectionModel().currentRowChanged.connect(self._update_actions)

        self.editor_tabs.text_edited.connect(self._on_text_edited)
        self.editor_tabs.current_text_changed.connect(self._on_current_text_changed)
        self.editor_tabs.chip_activated.connect(self._on_chip_activated)
        self.find_bar.find_requested.connect(self._on_find_requested)
        self.find_bar.replace_requested.connect(self._on_replace_requested)
        self.find_bar.replace_all_requested.connect(self._on_replace_all_requested)
        self.find_bar.closed.connect(self._on_find_bar_closed)
        self.language_box.currentIndexChanged.connect(self._on_report_language_changed)

        self.start_page.new_requested.connect(self._on_new)
        self.start_page.open_requested.connect(self._on_open)
        self.start_page.demo_requested.connect(self.controller.open_demo)
        self.start_page.recent_requested.connect(self.open_project)
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):
            application.applicationStateChanged.connect(self._on_application_state_changed)

    # -- public ------------------------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        return self.controller.document

    @property
    def project(self) -> Project | None:
        return None if self.document is None else self.document.project

    @property
    def project_path(self) -> Path | None:
        return None if self.document is None else self.document.path

    def open_project(self, path: Path) -> bool:
        """Open a project (recovery copy, lock and error dialogs included); False: nothing changed."""
        opened = self.controller.open_project(Path(path))
        if not opened and not Path(path).exists():
            self.settings.remove_recent_project(Path(path))
            self._on_recent_changed()
        return opened

    def current_language(self) -> str:
        """The report language shown in the navigator and opened in the editor (not the UI language)."""
        return str(self.language_box.currentData() or "en")

    def open_section(self, section_id: str, lang: str | None = None, focus: bool = True) -> SectionEditor | None:
        """Show a section's text for writing (its tab, pinned), selected in the navigator."""
        self.navigator.select_section(section_id)
        return self.editor_tabs.open_section(section_id, lang or self.current_language(), pin=True, focus=focus)

    def undo(self) -> None:
        self._step_history(self.history.undo_target(), self.history.undo)

    def redo(self) -> None:
        self._step_history(self.history.redo_target(), self.history.redo)

    def change_ui_language(self, lang: str) -> None:
        """Switch menus, labels and messages (ours and Qt's own dialogs) to another UI language."""
        set_ui_language(lang)
        self.qt_translations.install(lang)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible string from the catalogs of the current UI language."""
        self.window_actions.retranslate_ui()
        self.docks.retranslate_ui()
        self.navigator.retranslate_ui()
        self.editor_tabs.retranslate_ui()
        self.find_bar.retranslate_ui()
        self.start_page.retranslate_ui()
        self.status.retranslate_ui()
        self.language_label.setText(_("Report language:"))
        self.language_box.setToolTip(_("The language of the report text shown here; the interface language is set in Settings"))
        self.editor_hint.setText(_("Select a section in the navigator to write in it."))
        self.navigator_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.navigator_model.columnCount() - 1)
        self._update_everything()

    # -- the document ------------------------------------------------------------------------

    @Slot(object)
    def _on_document_opened(self, document: Document) -> None:
        project = document.project
        self.history.attach(document.stack)
        self.language_box.blockSignals(True)
        self.language_box.clear()
        for lang in project.meta.languages:
            self.language_box.addItem(LANGUAGE_NAMES.get(lang, lang), lang)
        self.language_box.blockSignals(False)
        lang = self.current_language()
        self.history.label_language = lang
        self.navigator_model.set_project(project, lang)
        self.navigator.show_languages(project.meta.languages)
        self.navigator.set_read_only(document.read_only)
        self.editor_tabs.set_project(project)
        self.editor_tabs.set_read_only(document.read_only)
        self.pages.setCurrentIndex(1)
        self.navigator_dock.show()
        self.language_box.setEnabled(True)
        self.find_bar.close_bar()
        first = next((section.id for section in project.sections if section.parent_id is None), None)
        if first is not None:
            self.navigator.select_section(first)
            self.editor_tabs.open_section(first, lang)
        self.status.show_summary(N_("Sections: {sections} · KPIs: {kpis} · KPI tables: {tables}"),
                                 sections=len(project.sections), kpis=len(project.kpis), tables=len(project.tables))
        self._update_everything()

    @Slot()
    def _on_document_closed(self) -> None:
        self.history.attach(None)
        self.navigator_model.set_project(None, self.current_language())
        self.editor_tabs.set_project(None)
        self.language_box.clear()
        self._show_start_page()
        self.status.show_summary(N_("No project open"))
        self._update_everything()

    @Slot(object)
    def _on_project_changed(self, event: StackEvent) -> None:
        self.navigator_model.apply_changes(event.changes)
        self.editor_tabs.apply_changes(event.changes)
        if event.changes.meta & {"languages"} and self.project is not None:
            self.navigator.show_languages(self.project.meta.languages)
        self._update_title()
        self._update_actions()
        self._update_save_state()
        if event.kind in (StackEventKind.EXECUTED, StackEventKind.MERGED) and not event.changes.tree:
            if not self.status_timer.isActive():
                self.status_timer.start()
        else:
            self._update_section_status()

    @Slot(object)
    def _on_edit_failed(self, error: Exception) -> None:
        self.prompts.show_error(_("Cannot make this change"), error)

    # -- edits -------------------------------------------------------------------------------

    @Slot(str, str, str, str)
    def _on_text_edited(self, section_id: str, lang: str, markdown: str, how: str) -> None:
        if not self.history.execute(SetSectionText(section_id, lang, body=markdown), how):
            self.editor_tabs.sync_from_project((section_id, lang))

    @Slot(str, str)
    def _on_rename_requested(self, section_id: str, title: str) -> None:
        self.history.execute(SetSectionTitle(section_id, self.current_language(), title=title), "rename")

    @Slot(object, object)
    def _on_add_requested(self, parent_id: str | None, index: int | None) -> None:
        project = self.project
        if project is None or self.document is None or self.document.read_only:
            return
        section = Section(_new_section_id(project), parent_id,
                          texts={self.current_language(): SectionText(title=_(NEW_SECTION_TITLE))})
        if self.history.execute(AddSection(section, index), "add"):
            self.navigator.select_section(section.id)
            self.editor_tabs.open_section(section.id, self.current_language(), pin=True)
            self.navigator.rename_current()  # a new section is named first, as in a file manager

    @Slot(str)
    def _on_remove_requested(self, section_id: str) -> None:
        project = self.project
        if project is None or self.navigator.tree.state() == QAbstractItemView.State.EditingState:
            return
        subsections = len(project.subtree_ids(section_id)) - 1
        if self.prompts.confirm_delete_section(section_label(project, section_id, self.current_language()), subsections):
            self.history.execute(RemoveSection(section_id), "remove")

    @Slot(str, object, object)
    def _on_move_requested(self, section_id: str, parent_id: str | None, index: int | None) -> None:
        self.history.execute(MoveSection(section_id, parent_id, index), "move")

    def _step_history(self, target: tuple[str, str | None] | None, step: object) -> None:
        """Undo or redo, showing where: the section selected, its tab open, the cursor at the change."""
        if target is not None and target[1] is not None and self.project is not None and self.project.has_section(target[0]):
            self.open_section(target[0], target[1], focus=False)  # before: the tab sees the text change
        event: StackEvent | None = step()  # type: ignore[operator]
        if event is None or self.project is None:
            return
        project = self.project
        shown: str | None = None
        if target is not None and project.has_section(target[0]):
            shown = target[0]
        for tree_step in event.changes.tree:
            if project.has_section(tree_step.section_id):
                shown = tree_step.section_id
            elif shown is None:
                shown = tree_step.old_parent if tree_step.old_parent and project.has_section(tree_step.old_parent) else None
        if shown is not None:
            self.navigator.select_section(shown)
            lang = target[1] if target is not None and target[1] is not None else self.current_language()
            editor = self.editor_tabs.open_section(shown, lang, pin=event.kind in (StackEventKind.UNDONE, StackEventKind.REDONE))
            if editor is not None and target is not None and target[1] is not None:
                editor.setFocus()

    # -- navigator and tabs ------------------------------------------------------------------

    @Slot(str)
    def _on_section_selected(self, section_id: str) -> None:
        self.editor_tabs.open_section(section_id, self.current_language())

    @Slot(str)
    def _on_section_activated(self, section_id: str) -> None:
        self.editor_tabs.open_section(section_id, self.current_language(), pin=True, focus=True)

    @Slot(object)
    def _on_current_text_changed(self, key: TabKey | None) -> None:
        if key is not None:
            self.navigator.select_section(key[0])
        editor = self.editor_tabs.current_editor()
        self.window_actions.source_view.blockSignals(True)
        self.window_actions.source_view.setChecked(editor is not None and editor.is_source_mode())
        self.window_actions.source_view.blockSignals(False)
        self.editor_stack.setCurrentIndex(1 if self.editor_tabs.count() else 0)
        self._update_everything()

    @Slot(int)
    def _on_report_language_changed(self, _index: int) -> None:
        lang = self.current_language()
        self.history.label_language = lang
        self.navigator_model.set_language(lang)
        key = self.editor_tabs.current_key()
        if key is not None and key[1] != lang:
            self.editor_tabs.open_section(key[0], lang, pin=self.editor_tabs.is_pinned(key))
        self._update_everything()

    @Slot(str, str, object)
    def _on_chip_activated(self, kind: str, target: str, _year: object) -> None:
        if kind == "ref" and self.project is not None and self.project.has_section(target):
            key = self.editor_tabs.current_key()
            self.open_section(target, key[1] if key else None)

    @Slot(bool)
    def _on_source_view_toggled(self, on: bool) -> None:
        editor = self.editor_tabs.current_editor()
        if editor is not None:
            editor.set_source_mode(on)

    def _edit_focused(self, method: str, how: str) -> None:
        """Cut, copy, paste, select all: for whichever text field has the focus."""
        widget = QApplication.focusWidget()
        slot = getattr(widget, method, None)
        if widget is None or not callable(slot):
            return
        if how and self.editor_tabs.isAncestorOf(widget):
            self.editor_tabs.run_in_current(how, lambda _editor: slot())
        else:
            slot()

    # -- find and replace --------------------------------------------------------------------

    def _open_find_bar(self, with_replace: bool) -> None:
        editor = self.editor_tabs.current_editor()
        selected = editor.textCursor().selectedText() if editor is not None else ""
        self.find_bar.open_bar(with_replace, selected)

    def _find_again(self, backward: bool) -> None:
        text = self.find_bar.find_field.text()
        if not text:
            self._open_find_bar(with_replace=False)
            return
        self._on_find_requested(text, self.find_bar.match_case.isChecked(), backward)

    @Slot(str, bool, bool)
    def _on_find_requested(self, text: str, match_case: bool, backward: bool) -> None:
        editor = self.editor_tabs.current_editor()
        if editor is not None:
            self.find_bar.find_in(editor, text, match_case, backward)

    @Slot(str, str, bool)
    def _on_replace_requested(self, text: str, replacement: str, match_case: bool) -> None:
        self.editor_tabs.run_in_current("replace", lambda editor: self.find_bar.replace_in(editor, text, replacement, match_case))

    @Slot(str, str, bool)
    def _on_replace_all_requested(self, text: str, replacement: str, match_case: bool) -> None:
        self.editor_tabs.run_in_current("replace", lambda editor: self.find_bar.replace_all_in(editor, text, replacement, match_case))

    @Slot()
    def _on_find_bar_closed(self) -> None:
        editor = self.editor_tabs.current_editor()
        if editor is not None:
            editor.setFocus()

    # -- files -------------------------------------------------------------------------------

    @Slot()
    def _on_new(self) -> None:
        self.controller.new_project(self)

    @Slot()
    def _on_open(self) -> None:
        folder = self.project_path.parent if self.project_path is not None else None
        path = self.prompts.choose_project_to_open(folder)
        if path is not None:
            self.open_project(path)

    @Slot(QAction)
    def _on_recent_triggered(self, action: QAction) -> None:
        if action.data():
            self.open_project(Path(str(action.data())))

    @Slot()
    def _on_clear_recent(self) -> None:
        self.settings.clear_recent_projects()
        self._on_recent_changed()

    @Slot()
    def _on_recent_changed(self) -> None:
        recent = self.settings.recent_projects()
        self.window_actions.set_recent(recent)
        self.start_page.set_recent(recent)
        self.start_page.retranslate_ui()

    @Slot()
    def _on_close_project(self) -> None:
        self.controller.close_document(forget=True)

    @Slot()
    def _on_about(self) -> None:
        AboutDialog(self.icon, self).exec()

    @Slot(QAction)
    def _on_ui_language_triggered(self, action: QAction) -> None:
        lang = str(action.data())
        self.change_ui_language(lang)
        self.settings.set_ui_language(lang)

    @Slot(Qt.ApplicationState)
    def _on_application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive and self.isActiveWindow():
            self.controller.check_disk()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.controller.close_document(forget=False):
            event.ignore()
            return
        self.settings.save_window_layout(self.saveGeometry(), self.saveState(SettingsStore.window_state_version()))
        self.settings.sync()
        super().closeEvent(event)

    def _show_start_page(self) -> None:
        self.pages.setCurrentIndex(0)
        self.navigator_dock.hide()  # nothing to navigate; it comes back with the next project
        self.language_box.setEnabled(False)

    # -- redrawing ---------------------------------------------------------------------------

    def _update_everything(self) -> None:
        self._update_title()
        self._update_status()
        self._update_actions()

    def _update_title(self) -> None:
        document = self.document
        if document is None:
            self.setWindowTitle("esg-author")
            self.setWindowModified(False)
            return
        company = document.project.meta.company.get(self.current_language()) or next(iter(document.project.meta.company.values()), "")
        name = self.controller.display_name()
        if document.read_only:
            name = _("{name} (read-only)").format(name=name)
        title = " — ".join(part for part in (f"{name}[*]", company, "esg-author") if part)
        if title != self.windowTitle():  # a title change is a round trip to the window system
            self.setWindowTitle(title)
        if document.is_dirty != self.isWindowModified():
            self.setWindowModified(document.is_dirty)

    def _update_status(self) -> None:
        self._update_section_status()
        self._update_save_state()

    def _update_section_status(self) -> None:
        self.status.show_text(self.project, self.editor_tabs.current_key())

    def _update_save_state(self) -> None:
        controller = self.controller
        self.status.show_document(self.document, controller.saved_at, controller.autosaved_at, controller.autosave_problem)

    def _update_actions(self) -> None:
        document = self.document
        self.window_actions.update_enabled(
            has_document=document is not None, writable=document is not None and not document.read_only,
            has_editor=self.editor_tabs.current_editor() is not None,
            has_section=self.navigator.current_section_id() is not None, moves=self.navigator.can_move(),
            undo=(self.history.can_undo, self.history.undo_text()), redo=(self.history.can_redo, self.history.redo_text()))

    # -- settings ----------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state, SettingsStore.window_state_version())


def _new_section_id(project: Project) -> str:
    number = 1
    while project.has_section(f"section-{number}"):
        number += 1
    return f"section-{number}"

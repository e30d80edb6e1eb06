"""The central editor area: one tab per section text (a section in one language) being written.

Selecting a section shows it in a preview tab that the next selection reuses, as file browsers
of code editors do; the tab stays once the user types in it or opens it deliberately (double
click, Enter). Every change in an editor is committed at once (text_edited → the window runs a
SetSectionText, which the core stack merges into one undo step per run of typing). The widget's
own keystroke undo is switched off: Ctrl+Z, the Edit menu and the editor's context menu all go
to the project's undo stack, and when the project's text changes under an editor (undo, redo, a
rename elsewhere) the editor shows the new text with the cursor where the change is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMenu, QTabWidget, QWidget

from esg_author.core.commands import ChangeSet
from esg_author.core.i18n.ui import _
from esg_author.core.model import LANGUAGE_NAMES, Project
from esg_author.gui.chip_object import ChipLabeler
from esg_author.gui.edit_history import section_label
from esg_author.gui.navigator_model import LANGUAGE_TAGS
from esg_author.gui.section_editor import AssetData, SectionEditor

TabKey = tuple[str, str]
"""(section id, language)."""


@dataclass
class _Tab:
    key: TabKey
    editor: SectionEditor
    committed: str  # the Markdown the project holds for this text, as this editor last saw it
    pinned: bool = False
    how: str = ""  # how the change being made is made ("paste", "formatting" …); "" is typing


class EditorTabs(QTabWidget):
    text_edited = Signal(str, str, str, str)
    """section id, language, the new Markdown, how it was changed ("typing", "paste" …)."""
    current_text_changed = Signal(object)
    """The (section id, language) now in front, or None when no tab is open."""
    chip_activated = Signal(str, str, object)
    """A chip was double-clicked: kind, target, year."""

    def __init__(self, chip_labeler: ChipLabeler, asset_data: AssetData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editor-tabs")
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.setUsesScrollButtons(True)
        self._chip_labeler = chip_labeler
        self._asset_data = asset_data
        self._project: Project | None = None
        self._tabs: list[_Tab] = []
        self._titles: dict[TabKey, str] = {}
        self._read_only = False
        self._undo_action: QAction | None = None
        self._redo_action: QAction | None = None
        self.tabCloseRequested.connect(self.close_tab)
        self.currentChanged.connect(self._on_current_changed)

    # -- the project -------------------------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        """Another document: every tab closes."""
        while self.count():
            self.close_tab(0)
        self._project = project
        self._titles = _titles(project)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for tab in self._tabs:
            tab.editor.setReadOnly(read_only)

    def set_history_actions(self, undo: QAction, redo: QAction) -> None:
        """The window's Undo and Redo, which the editors' context menus show instead of their own."""
        self._undo_action, self._redo_action = undo, redo

    # -- tabs --------------------------------------------------------------------------------

    def open_section(self, section_id: str, lang: str, pin: bool = False, focus: bool = False) -> SectionEditor | None:
        """Show a section text, in its tab if it has one, else in the preview tab or a new one."""
        project = self._project
        if project is None or not project.has_section(section_id):
            return None
        key = (section_id, lang)
        tab = self._tab_for(key)
        if tab is None:
            preview = next((t for t in self._tabs if not t.pinned), None)
            if preview is not None:
                tab = preview
                tab.key = key
                tab.editor.set_language(lang)
                self._show_text(tab, project.section(section_id).text(lang).body, place_cursor=False)
                tab.editor.moveCursor(QTextCursor.MoveOperation.Start)
                self._retitle(tab)
            else:
                tab = self._new_tab(key)
        if pin:
            tab.pinned = True
        index = self.indexOf(tab.editor)
        if self.currentIndex() != index:
            self.setCurrentIndex(index)
        else:
            self.current_text_changed.emit(tab.key)
        if focus:
            tab.editor.setFocus()
        return tab.editor

    def current_key(self) -> TabKey | None:
        tab = self._current_tab()
        return None if tab is None else tab.key

    def current_editor(self) -> SectionEditor | None:
        tab = self._current_tab()
        return None if tab is None else tab.editor

    def editor_for(self, key: TabKey) -> SectionEditor | None:
        tab = self._tab_for(key)
        return None if tab is None else tab.editor

    def open_keys(self) -> list[TabKey]:
        return [self._tab_at(i).key for i in range(self.count())]

    def is_pinned(self, key: TabKey) -> bool:
        tab = self._tab_for(key)
        return tab is not None and tab.pinned

    @Slot(int)
    def close_tab(self, index: int) -> None:
        if not 0 <= index < self.count():
            return
        tab = self._tab_at(index)
        self.removeTab(index)
        self._tabs.remove(tab)
        tab.editor.deleteLater()

    def close_current(self) -> None:
        self.close_tab(self.currentIndex())

    def run_in_current(self, how: str, edit: Callable[[SectionEditor], object]) -> object:
        """Run an editing action on the editor in front, naming its change for the Undo menu;
        returns what the action returns (None when no editor can be changed)."""
        tab = self._current_tab()
        if tab is None or self._read_only:
            return None
        tab.how = how
        try:
            return edit(tab.editor)
        finally:
            tab.how = ""

    # -- following the project ---------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        """Show what a command changed in the texts that are open (and close removed ones)."""
        project = self._project
        if project is None or changes.is_empty:
            return
        for change in changes.ids:
            if change.kind == "section":
                for tab in self._tabs:
                    if tab.key[0] == change.old:
                        tab.key = (change.new, tab.key[1])
        for tab in list(self._tabs):
            if not project.has_section(tab.key[0]):
                self.close_tab(self.indexOf(tab.editor))
        for tab in self._tabs:
            if tab.key in changes.texts:
                body = project.section(tab.key[0]).text(tab.key[1]).body
                if body != tab.committed:
                    self._show_text(tab, body, place_cursor=True)
        titles = _titles(project) if changes.texts or changes.structure or changes.ids else self._titles
        labels_changed = titles != self._titles or changes.structure or bool(changes.ids)
        self._titles = titles
        if labels_changed:
            for tab in self._tabs:
                self._retitle(tab)
        if labels_changed or changes.kpis or changes.kpi_values or changes.tables or changes.meta:
            for tab in self._tabs:
                tab.editor.refresh_chips()  # chips show KPI values, section numbers and titles

    def sync_from_project(self, key: TabKey) -> None:
        """Show the project's text again (an edit of it was refused)."""
        tab = self._tab_for(key)
        if tab is not None and self._project is not None and self._project.has_section(key[0]):
            self._show_text(tab, self._project.section(key[0]).text(key[1]).body, place_cursor=True)

    def retranslate_ui(self) -> None:
        for tab in self._tabs:
            self._retitle(tab)

    # -- internals ---------------------------------------------------------------------------

    def _new_tab(self, key: TabKey) -> _Tab:
        assert self._project is not None
        editor = SectionEditor(self, chip_labeler=self._chip_labeler, asset_data=self._asset_data, lang=key[1])
        editor.setObjectName("section-editor")
        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.setReadOnly(self._read_only)
        tab = _Tab(key, editor, "")
        self._tabs.append(tab)
        for widget in [editor, *editor.findChildren(QWidget)]:
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self)  # the source view too: Ctrl+Z never undoes locally
        self._show_text(tab, self._project.section(key[0]).text(key[1]).body, place_cursor=False)
        editor.moveCursor(QTextCursor.MoveOperation.Start)
        editor.markdown_changed.connect(lambda text, tab=tab: self._on_markdown_changed(tab, text))
        editor.chip_activated.connect(self.chip_activated)
        editor.customContextMenuRequested.connect(lambda point, tab=tab: self._show_context_menu(tab, point))
        self.addTab(editor, "")
        self._retitle(tab)
        return tab

    def _show_text(self, tab: _Tab, body: str, place_cursor: bool) -> None:
        editor = tab.editor
        document = editor.document()
        before = document.toRawText() if place_cursor else ""
        editor.set_markdown(body)
        document.setUndoRedoEnabled(False)  # the project's stack is the only undo (module docstring)
        tab.committed = body
        if place_cursor:
            position = _changed_position(before, document.toRawText())
            cursor = editor.textCursor()
            cursor.setPosition(min(position, max(0, document.characterCount() - 1)))
            editor.setTextCursor(cursor)
            editor.ensureCursorVisible()

    def _on_markdown_changed(self, tab: _Tab, text: str) -> None:
        if self._read_only or tab not in self._tabs:
            return
        tab.committed = text
        tab.pinned = True
        self.text_edited.emit(tab.key[0], tab.key[1], text, tab.how or "typing")

    def _retitle(self, tab: _Tab) -> None:
        index = self.indexOf(tab.editor)
        if index < 0:
            return
        section_id, lang = tab.key
        label = section_label(self._project, section_id, lang)
        self.setTabText(index, f"{label} · {LANGUAGE_TAGS.get(lang, lang)}".replace("&", "&&"))
        self.setTabToolTip(index, _("{section} in {language}").format(section=label, language=LANGUAGE_NAMES.get(lang, lang)))

    def _show_context_menu(self, tab: _Tab, point: QPoint) -> None:
        menu = self.context_menu(tab.editor, point)
        menu.exec(tab.editor.viewport().mapToGlobal(point))
        menu.deleteLater()

    def context_menu(self, editor: SectionEditor, point: QPoint) -> QMenu:
        """The editor's own context menu with the window's Undo and Redo in place of its own."""
        tab = next(t for t in self._tabs if t.editor is editor)
        menu = tab.editor.createStandardContextMenu(point)
        replacements: dict[str, QAction | None] = {"edit-undo": self._undo_action, "edit-redo": self._redo_action}
        for action in menu.actions():
            name = action.objectName()
            if name in replacements and replacements[name] is not None:
                menu.insertAction(action, replacements[name])
                menu.removeAction(action)
            elif name in ("edit-cut", "edit-paste"):
                how = "cut" if name == "edit-cut" else "paste"
                mine = QAction(action.text(), menu)
                mine.setShortcut(action.shortcut())
                mine.setEnabled(action.isEnabled())
                slot = tab.editor.cut if how == "cut" else tab.editor.paste
                mine.triggered.connect(lambda _checked=False, how=how, slot=slot: self._run_on(tab, how, slot))
                menu.insertAction(action, mine)
                menu.removeAction(action)
        return menu

    def _run_on(self, tab: _Tab, how: str, slot: Callable[[], object]) -> None:
        tab.how = how
        try:
            slot()
        finally:
            tab.how = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
                # Not the widget's: let the window's Undo/Redo shortcut take the key, and never
                # fall back to the document's own undo when there is nothing to undo.
                event.ignore()
                return True
            if kind == QEvent.Type.KeyPress:
                tab = next((t for t in self._tabs if t.editor is watched or t.editor.isAncestorOf(watched)), None)  # type: ignore[arg-type]
                if tab is not None:
                    if event.matches(QKeySequence.StandardKey.Paste):
                        return self._handled_as(tab, "paste", watched, event)
                    if event.matches(QKeySequence.StandardKey.Cut):
                        return self._handled_as(tab, "cut", watched, event)
        return super().eventFilter(watched, event)

    def _handled_as(self, tab: _Tab, how: str, watched: QObject, event: QEvent) -> bool:
        """Deliver a key event now, with its change named how (paste, cut)."""
        watched.removeEventFilter(self)
        tab.how = how
        try:
            watched.event(event)
        finally:
            tab.how = ""
            watched.installEventFilter(self)
        return True

    def _current_tab(self) -> _Tab | None:
        index = self.currentIndex()
        return self._tab_at(index) if index >= 0 else None

    def _tab_at(self, index: int) -> _Tab:
        widget = self.widget(index)
        return next(t for t in self._tabs if t.editor is widget)

    def _tab_for(self, key: TabKey) -> _Tab | None:
        return next((t for t in self._tabs if t.key == key), None)

    @Slot(int)
    def _on_current_changed(self, index: int) -> None:
        self.current_text_changed.emit(self._tab_at(index).key if index >= 0 and self.widget(index) is not None
                                       and any(t.editor is self.widget(index) for t in self._tabs) else None)


def _titles(project: Project | None) -> dict[TabKey, str]:
    if project is None:
        return {}
    return {(section.id, lang): text.title for section in project.sections for lang, text in section.texts.items()}


def _changed_position(before: str, after: str) -> int:
    """Where after differs from before: the end of the part that changed (the cursor goes there)."""
    limit = min(len(before), len(after))
    low, high = 0, limit
    while low < high:  # the longest common prefix, by slice comparisons (C speed)
        middle = (low + high + 1) // 2
        if before[:middle] == after[:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, limit - prefix
    while low < high:  # then the longest common suffix of what is left
        middle = (low + high + 1) // 2
        if before[len(before) - middle:] == after[len(after) - middle:]:
            low = middle
        else:
            high = middle - 1
    return len(after) - low

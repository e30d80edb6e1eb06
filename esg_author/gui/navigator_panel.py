"""The navigator: the report's sections as a tree, to open, add, rename, delete and reorder them.

Sections move by drag and drop and by keyboard (Move Up/Down, Indent, Outdent in the Section
menu, which also shows their shortcuts). The panel only asks for changes (signals ending in
_requested); the window runs them as commands and the tree follows their change sets.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView, QVBoxLayout, QWidget

from esg_author.core.i18n.ui import _
from esg_author.core.model import LANGUAGES
from esg_author.gui.navigator_model import NavigatorModel

LANGUAGE_COLUMN_WIDTH = 30


class _SectionTree(QTreeView):
    activated_by_key = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter opens the section for writing; F2 (EditKeyPressed) renames it.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            if self.currentIndex().isValid():
                self.activated_by_key.emit(self.currentIndex())
                return
        super().keyPressEvent(event)


class NavigatorPanel(QWidget):
    section_selected = Signal(str)
    """The current section changed (by click or arrow keys): show it."""
    section_activated = Signal(str)
    """Double-click or Enter: open the section to write in it."""
    add_requested = Signal(object, object)
    """parent id (None: a chapter), index among its children (None: last)."""
    remove_requested = Signal(str)
    move_requested = Signal(str, object, object)
    """section id, new parent id, index among the new siblings (None: last)."""

    def __init__(self, model: NavigatorModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.tree = _SectionTree(self)
        self.tree.setObjectName("navigator-tree")
        self.tree.setModel(model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(LANGUAGE_COLUMN_WIDTH)
        for column in range(1, model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, LANGUAGE_COLUMN_WIDTH)
        self._context_actions: list[QAction] = []
        self._quiet = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self.setFocusProxy(self.tree)
        # The panel's own widgets only; the window wires the panel to everything else.
        self.tree.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.tree.doubleClicked.connect(self._on_activated)
        self.tree.activated_by_key.connect(self._on_activated)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        model.modelReset.connect(self._on_model_reset)

    # -- state -------------------------------------------------------------------------------

    def current_section_id(self) -> str | None:
        return self.model.section_id(self.tree.currentIndex())

    def select_section(self, section_id: str | None) -> None:
        """Make a section current (expanding its chapter) without opening anything new."""
        index = self.model.index_of(section_id)
        if not index.isValid() or index == self.tree.currentIndex():
            return
        self._quiet = True  # showing what the window shows already: no section_selected
        try:
            parent = index.parent()
            while parent.isValid():
                self.tree.expand(parent)
                parent = parent.parent()
            self.tree.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                       | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._quiet = False
        self.tree.scrollTo(index)

    def show_languages(self, languages: list[str]) -> None:
        """Show the state columns of the project's languages only."""
        for lang in LANGUAGES:
            self.tree.setColumnHidden(self.model.column_of_language(lang), lang not in languages)

    def set_context_actions(self, actions: list[QAction]) -> None:
        """The actions of the tree's context menu (None-free; separators are actions too)."""
        self._context_actions = list(actions)

    def set_read_only(self, read_only: bool) -> None:
        self.model.read_only = read_only
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop if read_only
                                  else QAbstractItemView.DragDropMode.InternalMove)

    # -- requests from the Section menu ------------------------------------------------------

    def rename_current(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.setFocus()
            self.tree.edit(index.siblingAtColumn(0))

    def request_add(self, as_child: bool = False) -> None:
        index = self.tree.currentIndex()
        if not index.isValid():
            self.add_requested.emit(None, None)
        elif as_child:
            self.add_requested.emit(self.model.section_id(index), None)
        else:
            self.add_requested.emit(self.model.section_id(index.parent()), index.row() + 1)

    def request_remove(self) -> None:
        section_id = self.current_section_id()
        if section_id is not None:
            self.remove_requested.emit(section_id)

    def request_move_up(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid() and index.row() > 0:
            self.move_requested.emit(self.model.section_id(index), self.model.section_id(index.parent()), index.row() - 1)

    def request_move_down(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid() and index.row() < self.model.rowCount(index.parent()) - 1:
            self.move_requested.emit(self.model.section_id(index), self.model.section_id(index.parent()), index.row() + 1)

    def request_indent(self) -> None:
        """Make the section the last sub-section of the one above it."""
        index = self.tree.currentIndex()
        if index.isValid() and index.row() > 0:
            above = self.model.index(index.row() - 1, 0, index.parent())
            self.move_requested.emit(self.model.section_id(index), self.model.section_id(above), None)

    def request_outdent(self) -> None:
        """Make the section the next sibling of its parent."""
        index = self.tree.currentIndex()
        parent = index.parent()
        if index.isValid() and parent.isValid():
            self.move_requested.emit(self.model.section_id(index), self.model.section_id(parent.parent()), parent.row() + 1)

    def can_move(self) -> dict[str, bool]:
        """Which keyboard moves the current section allows (for enabling the actions)."""
        index = self.tree.currentIndex()
        valid = index.isValid() and not self.model.read_only
        return {
            "up": valid and index.row() > 0,
            "down": valid and index.row() < self.model.rowCount(index.parent()) - 1,
            "indent": valid and index.row() > 0,
            "outdent": valid and index.parent().isValid(),
        }

    def retranslate_ui(self) -> None:
        self.tree.setToolTip("")
        self.tree.setAccessibleName(_("Sections"))

    # -- slots -------------------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        section_id = self.model.section_id(current)
        if section_id is not None and not self._quiet:
            self.section_selected.emit(section_id)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        section_id = self.model.section_id(index)
        if section_id is not None:
            self.section_activated.emit(section_id)

    @Slot(QPoint)
    def _on_context_menu(self, point: QPoint) -> None:
        if not self._context_actions:
            return
        menu = QMenu(self)
        menu.addActions(self._context_actions)
        menu.exec(self.tree.viewport().mapToGlobal(point))

    @Slot()
    def _on_model_reset(self) -> None:
        self.tree.expandToDepth(0)

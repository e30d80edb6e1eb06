"""The report's sections as a Qt tree model, kept in step with the project by its change sets.

The model keeps its own tree of section ids and changes it only from the TreeMove steps of a
ChangeSet (beginInsertRows / beginRemoveRows / beginMoveRows), so selection, expansion and the
current row survive every edit, undo and redo; text changes redraw only their rows. Opening
another project is the one reset. Column 0 is the section ("2.1  Board statement" in the report
language shown); one column per language shows that text's state: written, missing, out of date
since its source changed, waiting for review, up to date (core.i18n.translation_units).

Drag and drop and inline renaming do not change the project here: the model asks for the change
(move_requested, rename_requested) and the window runs it as a command; the tree then follows
the command's change set like any other edit.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from esg_author.core.commands import ChangeSet, TreeMove
from esg_author.core.errors import EsgAuthorError
from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.translation_units import is_empty, unit_status
from esg_author.core.i18n.ui import _
from esg_author.core.model import LANGUAGE_NAMES, LANGUAGES, Project

logger = logging.getLogger(__name__)

SECTION_MIME_TYPE = "application/x-esg-author-section"
SECTION_ID_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()  # the invalid index: the tree's root, as a default argument
LANGUAGE_TAGS = {"zh-Hant": "繁", "zh-Hans": "简", "en": "EN"}
"""Column headers: each language's tag in its own script (never translated)."""

STATE_TEXTS = {
    "written": N_("the source text, written"),
    "empty": N_("the source text, not written yet"),
    "missing": N_("not translated yet"),
    "stale": N_("out of date: its source text changed"),
    "needs_review": N_("translated, needs review"),
    "up_to_date": N_("translated and up to date"),
    "unknown": N_("state unknown"),
}
_STATE_COLOURS = {  # fill (None: a ring), ring
    "written": ("#2e7d32", "#2e7d32"),
    "up_to_date": ("#43a047", "#2e7d32"),
    "needs_review": ("#1e88e5", "#1565c0"),
    "stale": ("#fb8c00", "#e65100"),
    "missing": (None, "#9e9e9e"),
    "empty": (None, "#9e9e9e"),
    "unknown": (None, "#d32f2f"),
}


class _Node:
    __slots__ = ("children", "parent", "section_id")

    def __init__(self, section_id: str | None, parent: _Node | None) -> None:
        self.section_id = section_id
        self.parent = parent
        self.children: list[_Node] = []

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)


class NavigatorModel(QAbstractItemModel):
    move_requested = Signal(str, object, object)
    """section id, new parent id (None: a chapter), index among the new siblings (None: last)."""
    rename_requested = Signal(str, str)
    """section id, its new title in the language shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._lang = "en"
        self._root = _Node(None, None)
        self._nodes: dict[str, _Node] = {}
        self._numbers: dict[str, str] = {}
        self._states: dict[tuple[str, str], str] = {}
        self._shown: dict[str, tuple[object, ...]] = {}  # what each row showed when last drawn
        self.read_only = False
        self._icons: dict[str, QIcon] = {}

    # -- the project -------------------------------------------------------------------------

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def language(self) -> str:
        return self._lang

    def set_project(self, project: Project | None, lang: str) -> None:
        """Show another project (the one reset this model does)."""
        self.beginResetModel()
        self._project, self._lang = project, lang
        self._root = _Node(None, None)
        self._nodes = {}
        self._states = {}
        self._shown = {}
        if project is not None:
            for section, _depth in project.walk():
                parent = self._nodes[section.parent_id] if section.parent_id else self._root
                node = _Node(section.id, parent)
                parent.children.append(node)
                self._nodes[section.id] = node
        self._numbers = project.section_numbers() if project is not None else {}
        self.endResetModel()

    def set_language(self, lang: str) -> None:
        if lang != self._lang:
            self._lang = lang
            self._all_rows_changed()

    def apply_changes(self, changes: ChangeSet) -> None:
        """Follow one command's changes: move rows for tree steps, redraw the rows it names."""
        project = self._project
        if project is None or changes.is_empty:
            return
        for change in changes.ids:
            if change.kind == "section" and change.old in self._nodes:
                node = self._nodes.pop(change.old)
                node.section_id = change.new
                self._nodes[change.new] = node
        for step in changes.tree:
            self._apply_step(step)
        if changes.tree and not self._matches(project):
            logger.warning("navigator: the tree did not follow %s; rebuilt", changes.describe())
            self.set_project(project, self._lang)
            return
        touched = set(changes.sections) | {section_id for section_id, _lang in changes.texts}
        for section_id in touched:
            for lang in LANGUAGES:
                self._states.pop((section_id, lang), None)
        if changes.structure or "languages" in changes.meta or "option.source_language" in changes.meta:
            self._numbers = project.section_numbers()
            if "option.source_language" in changes.meta:
                self._states.clear()
            self._all_rows_changed()
            return
        for section_id in touched:
            index = self.index_of(section_id)
            if index.isValid() and self._shown.get(section_id) != self._row_signature(section_id):
                # Only rows that look different are redrawn: typing in a body changes nothing here
                # until a translation turns stale.
                self.dataChanged.emit(index, index.siblingAtColumn(self.columnCount() - 1))

    # -- lookups -----------------------------------------------------------------------------

    def index_of(self, section_id: str | None, column: int = 0) -> QModelIndex:
        node = self._nodes.get(section_id) if section_id else None
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row(), column, node)

    def section_id(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        node = self._node(index)
        return None if node is None else node.section_id

    def section_ids(self) -> list[str]:
        """Every section in the model's reading order (for tests and keyboard moves)."""
        found: list[str] = []

        def walk(node: _Node) -> None:
            for child in node.children:
                found.append(child.section_id or "")
                walk(child)

        walk(self._root)
        return found

    def language_of_column(self, column: int) -> str | None:
        return LANGUAGES[column - 1] if 1 <= column <= len(LANGUAGES) else None

    def column_of_language(self, lang: str) -> int:
        return LANGUAGES.index(lang) + 1

    def state(self, section_id: str, lang: str) -> str:
        """The state shown for one text: a key of STATE_TEXTS."""
        key = (section_id, lang)
        if key not in self._states:
            self._states[key] = self._compute_state(section_id, lang)
        return self._states[key]

    # -- QAbstractItemModel ------------------------------------------------------------------

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        node = self._node(parent) if parent.isValid() else self._root
        if node is None or not 0 <= row < len(node.children) or not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent) if parent.isValid() else self._root
        return 0 if node is None else len(node.children)

    def columnCount(self, _parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 1 + len(LANGUAGES)

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return self.rowCount(parent) > 0

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        node = self._node(index)
        project = self._project
        if node is None or project is None or node.section_id is None or not project.has_section(node.section_id):
            return None
        section_id = node.section_id
        if role == SECTION_ID_ROLE:
            return section_id
        if section_id not in self._shown:
            self._row_signature(section_id)
        if index.column() == 0:
            return self._title_data(section_id, role)
        lang = self.language_of_column(index.column())
        if lang is None:
            return None
        if role == STATE_ROLE:
            return self.state(section_id, lang)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(self.state(section_id, lang))
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return _("{language}: {state}").format(language=LANGUAGE_NAMES.get(lang, lang),
                                                   state=_(STATE_TEXTS[self.state(section_id, lang)]))
        return None

    def _row_signature(self, section_id: str) -> tuple[object, ...]:
        """What a row shows: its label and the state of each language."""
        signature = (self._title_data(section_id, Qt.ItemDataRole.DisplayRole),
                     *(self.state(section_id, lang) for lang in LANGUAGES))
        self._shown[section_id] = signature
        return signature

    def _title_data(self, section_id: str, role: int) -> object:
        project = self._project
        assert project is not None
        section = project.section(section_id)
        title = section.text(self._lang).title
        if role == Qt.ItemDataRole.EditRole:
            return title
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            shown = title or next((t.title for t in section.texts.values() if t.title), "") or section_id
            number = self._numbers.get(section_id)
            text = f"{number}  {shown}" if number else shown
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("{section} (id: {id})").format(section=text, id=section_id)
            return text
        if role == Qt.ItemDataRole.FontRole and not title:
            font = QFont()
            font.setItalic(True)  # no title in this language yet: the one shown is another language's
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not title:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        lang = self.language_of_column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return _("Section") if section == 0 else LANGUAGE_TAGS.get(lang or "", lang)
        if role == Qt.ItemDataRole.ToolTipRole and lang is not None:
            return LANGUAGE_NAMES.get(lang, lang)
        if role == Qt.ItemDataRole.TextAlignmentRole and lang is not None:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if not self.read_only else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only:
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
            if index.column() == 0:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        section_id = self.section_id(index)
        if role != Qt.ItemDataRole.EditRole or index.column() != 0 or section_id is None or self.read_only:
            return False
        title = " ".join(str(value).split())
        if title and title != self.data(index, Qt.ItemDataRole.EditRole):
            self.rename_requested.emit(section_id, title)  # the title changes when the command runs
        return False

    # -- drag and drop -----------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [SECTION_MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        ids = [self.section_id(index) for index in indexes if index.column() == 0]
        if ids and ids[0]:
            data.setData(SECTION_MIME_TYPE, QByteArray(ids[0].encode("utf-8")))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex | QPersistentModelIndex) -> bool:
        return self._drop_target(data, action, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex | QPersistentModelIndex) -> bool:
        target = self._drop_target(data, action, row, parent)
        if target is None:
            return False
        self.move_requested.emit(*target)
        # False: the view must not remove the dragged row itself; the move command's change set
        # moves it (or nothing moves when the command is refused).
        return False

    def _drop_target(self, data: QMimeData, action: Qt.DropAction, row: int,
                     parent: QModelIndex | QPersistentModelIndex) -> tuple[str, str | None, int | None] | None:
        if self.read_only or action != Qt.DropAction.MoveAction or not data.hasFormat(SECTION_MIME_TYPE):
            return None
        section_id = bytes(data.data(SECTION_MIME_TYPE).data()).decode("utf-8", "replace")
        node = self._nodes.get(section_id)
        if node is None:
            return None
        parent_node = self._node(parent) if parent.isValid() else self._root
        if parent_node is None:
            return None
        ancestor: _Node | None = parent_node
        while ancestor is not None:
            if ancestor is node:
                return None  # into itself or one of its sub-sections
            ancestor = ancestor.parent
        index: int | None = None if row < 0 else row
        if index is not None and node.parent is parent_node and index > node.row():
            index -= 1  # the drop row counts the dragged section; the command's index does not
        return section_id, parent_node.section_id, index

    # -- internals ---------------------------------------------------------------------------

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> _Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, _Node) else None

    def _parent_index(self, node: _Node) -> QModelIndex:
        if node is self._root:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def _apply_step(self, step: TreeMove) -> None:
        if step.kind == "insert":
            parent = self._nodes.get(step.new_parent) if step.new_parent else self._root
            row = step.new_row
            if parent is None or row is None or not 0 <= row <= len(parent.children) or step.section_id in self._nodes:
                return  # caught by the check after the steps
            self.beginInsertRows(self._parent_index(parent), row, row)
            node = _Node(step.section_id, parent)
            parent.children.insert(row, node)
            self._nodes[step.section_id] = node
            for child_id, child_parent in step.subtree:
                owner = self._nodes.get(child_parent)
                if owner is not None and child_id not in self._nodes:
                    child = _Node(child_id, owner)
                    owner.children.append(child)
                    self._nodes[child_id] = child
            self.endInsertRows()
        elif step.kind == "remove":
            node = self._nodes.get(step.section_id)
            if node is None or node.parent is None:
                return
            parent, row = node.parent, node.row()
            self.beginRemoveRows(self._parent_index(parent), row, row)
            parent.children.pop(row)
            stack = [node]
            while stack:
                gone = stack.pop()
                self._nodes.pop(gone.section_id or "", None)
                stack.extend(gone.children)
            self.endRemoveRows()
        else:
            node = self._nodes.get(step.section_id)
            target = self._nodes.get(step.new_parent) if step.new_parent else self._root
            if node is None or node.parent is None or target is None or step.new_row is None:
                return
            source, old_row = node.parent, node.row()
            destination = step.new_row + 1 if source is target and step.new_row > old_row else step.new_row
            if not self.beginMoveRows(self._parent_index(source), old_row, old_row, self._parent_index(target), destination):
                return
            source.children.pop(old_row)
            target.children.insert(step.new_row, node)
            node.parent = target
            self.endMoveRows()

    def _matches(self, project: Project) -> bool:
        expected = [(section.id, section.parent_id) for section, _depth in project.walk()]
        found: list[tuple[str, str | None]] = []

        def walk(node: _Node) -> None:
            for child in node.children:
                found.append((child.section_id or "", node.section_id))
                walk(child)

        walk(self._root)
        return found == expected

    def _all_rows_changed(self) -> None:
        self._shown.clear()
        last_column = self.columnCount() - 1
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.children:
                parent = self._parent_index(node)
                self.dataChanged.emit(self.index(0, 0, parent), self.index(len(node.children) - 1, last_column, parent))
                stack.extend(node.children)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last_column)

    def _compute_state(self, section_id: str, lang: str) -> str:
        project = self._project
        if project is None or not project.has_section(section_id):
            return "unknown"
        try:
            state = unit_status(project, section_id, lang).state
        except EsgAuthorError:
            return "unknown"
        # A text counts once it has a body: a title alone (as a new project's chapters have in
        # every language) is not a text to write or to translate yet.
        text = project.section(section_id).texts.get(lang)
        has_body = not is_empty(text) and text is not None and bool(text.body.strip())
        if state == "source":
            return "written" if has_body else "empty"
        if not has_body:
            return "missing"
        return state if state in STATE_TEXTS else "unknown"

    def _icon(self, state: str) -> QIcon:
        if state not in self._icons:
            self._icons[state] = _state_icon(*_STATE_COLOURS.get(state, _STATE_COLOURS["unknown"]))
        return self._icons[state]


def _state_icon(fill: str | None, ring: str) -> QIcon:
    """A dot (filled: there is text; a ring: none yet), drawn at 1× and 2× for high-DPI screens."""
    icon = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(14 * scale, 14 * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(ring), 1.6))
        painter.setBrush(QBrush(QColor(fill)) if fill else Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(7, 7), 4.6, 4.6)
        painter.end()
        icon.addPixmap(pixmap)
    return icon

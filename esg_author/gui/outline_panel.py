"""The section tree of the open project, numbered as in print."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from esg_author.core.model import Project

SECTION_ID_ROLE = Qt.ItemDataRole.UserRole


class OutlinePanel(QWidget):
    section_selected = Signal(str)  # section id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)

    def show_project(self, project: Project | None, lang: str) -> None:
        self.tree.clear()
        if project is None:
            return
        numbers = project.section_numbers()
        items: dict[str, QTreeWidgetItem] = {}
        for section, _depth in project.walk():
            title = section.text(lang).title or section.id
            label = f"{numbers[section.id]}  {title}" if section.id in numbers else title
            parent = items.get(section.parent_id) if section.parent_id else None
            item = QTreeWidgetItem(parent or self.tree, [label])
            item.setData(0, SECTION_ID_ROLE, section.id)
            items[section.id] = item
        self.tree.expandToDepth(0)
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def section_count(self) -> int:
        count, stack = 0, [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            count += 1
            stack.extend(item.child(i) for i in range(item.childCount()))
        return count

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_tree_current_item_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.section_selected.emit(current.data(0, SECTION_ID_ROLE))

"""The window's docks: panels around the editor that the user can move, float, close and reopen
from View ▸ Panels, with their layout remembered (QMainWindow.saveState needs each dock's
objectName, which is "dock-<key>").

A panel becomes a dock by add_dock(key, title, widget, area); its title is a msgid, set again
by retranslate_ui. Only panels with content are added: the problems and data panels come with
the features that fill them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from esg_author.core.i18n.ui import _


class DockManager(QObject):
    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.menu = menu
        self._docks: dict[str, tuple[QDockWidget, str]] = {}

    def add_dock(self, key: str, title: str, widget: QWidget,
                 area: Qt.DockWidgetArea = Qt.DockWidgetArea.LeftDockWidgetArea) -> QDockWidget:
        """title is a msgid (N_); the dock's toggle action goes into the Panels menu."""
        dock = QDockWidget(_(title), self.window)
        dock.setObjectName(f"dock-{key}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.window.addDockWidget(area, dock)
        self._docks[key] = (dock, title)
        self.menu.addAction(dock.toggleViewAction())
        return dock

    def dock(self, key: str) -> QDockWidget:
        return self._docks[key][0]

    def toggle_action(self, key: str) -> QAction:
        return self.dock(key).toggleViewAction()

    def keys(self) -> list[str]:
        return list(self._docks)

    def retranslate_ui(self) -> None:
        for dock, title in self._docks.values():
            dock.setWindowTitle(_(title))

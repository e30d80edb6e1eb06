"""What the window shows when no project is open: start a new report, open one, try the demo,
or pick up a recent project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from esg_author.core.i18n.ui import _

PATH_ROLE = Qt.ItemDataRole.UserRole


class StartPage(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_requested = Signal(object)
    """A recent project's Path."""

    def __init__(self, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start-page")
        self.logo = QLabel(self)
        self.logo.setPixmap(icon.pixmap(QSize(72, 72)))
        self.title = QLabel("esg-author", self)
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 2)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.tagline = QLabel(self)
        self.tagline.setWordWrap(True)
        self.new_button = QPushButton(self)
        self.open_button = QPushButton(self)
        self.demo_button = QPushButton(self)
        for button in (self.new_button, self.open_button, self.demo_button):
            button.setMinimumHeight(36)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.new_hint = QLabel(self)
        self.demo_hint = QLabel(self)
        for hint in (self.new_hint, self.demo_hint):
            hint.setWordWrap(True)
            hint.setForegroundRole(hint.foregroundRole())
            hint.setEnabled(False)  # drawn in the palette's quieter text colour
        self.recent_label = QLabel(self)
        heading = QFont(self.recent_label.font())
        heading.setBold(True)
        self.recent_label.setFont(heading)
        self.recent_list = QListWidget(self)
        self.recent_list.setObjectName("recent-projects")
        self.recent_list.setFrameShape(QFrame.Shape.StyledPanel)
        self.recent_list.setWordWrap(True)
        self.recent_list.setUniformItemSizes(False)
        self.no_recent = QLabel(self)
        self.no_recent.setEnabled(False)

        actions = QVBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.new_hint)
        actions.addSpacing(8)
        actions.addWidget(self.open_button)
        actions.addSpacing(8)
        actions.addWidget(self.demo_button)
        actions.addWidget(self.demo_hint)
        actions.addStretch(1)
        recent = QVBoxLayout()
        recent.addWidget(self.recent_label)
        recent.addWidget(self.recent_list, 1)
        recent.addWidget(self.no_recent)
        recent.addStretch(0)  # takes the list's room while there is no list (set_recent)
        self._recent_layout = recent
        header = QGridLayout()
        header.addWidget(self.logo, 0, 0, 2, 1)
        header.addWidget(self.title, 0, 1)
        header.addWidget(self.tagline, 1, 1)
        header.setColumnStretch(1, 1)
        header.setHorizontalSpacing(16)
        body = QGridLayout()
        body.addLayout(actions, 0, 0)
        body.addLayout(recent, 0, 1)
        body.setColumnStretch(0, 2)
        body.setColumnStretch(1, 3)
        body.setColumnMinimumWidth(0, 220)
        body.setColumnMinimumWidth(1, 340)
        body.setHorizontalSpacing(32)
        page = QVBoxLayout()
        page.addLayout(header)
        page.addSpacing(24)
        page.addLayout(body, 1)
        frame = QWidget(self)
        frame.setLayout(page)
        frame.setMaximumWidth(980)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 36, 40, 36)
        outer.addWidget(frame, 1, Qt.AlignmentFlag.AlignHCenter)
        self._recent: list[Path] = []
        # The page's own widgets only; the window wires the requests.
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        self.recent_list.itemActivated.connect(self._on_recent_activated)

    def set_recent(self, paths: list[Path]) -> None:
        self._recent = list(paths)
        self.recent_list.clear()
        for path in paths:
            item = QListWidgetItem(f"{path.name}\n{path.parent}")
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            if not path.exists():
                item.setForeground(self.palette().brush(self.palette().ColorGroup.Disabled, self.palette().ColorRole.Text))
            self.recent_list.addItem(item)
        self.recent_list.setVisible(bool(paths))
        self.no_recent.setVisible(not paths)
        self._recent_layout.setStretch(self._recent_layout.count() - 1, 0 if paths else 1)
        if paths:
            self.recent_list.setCurrentRow(0)

    def retranslate_ui(self) -> None:
        self.tagline.setText(_("Write your ESG report once, publish it in Traditional Chinese, Simplified Chinese and English."))
        self.new_button.setText(_("&New Project…"))
        self.new_hint.setText(_("Starts from the standard chapters and KPIs, ready to fill in."))
        self.open_button.setText(_("&Open Project…"))
        self.demo_button.setText(_("Open the &Demo…"))
        self.demo_hint.setText(_("A complete fictional report in three languages, saved as a copy you can change."))
        self.recent_label.setText(_("Recent projects"))
        self.no_recent.setText(_("Projects you open appear here."))
        for row in range(self.recent_list.count()):
            item = self.recent_list.item(row)
            path = Path(item.data(PATH_ROLE))
            item.setToolTip(str(path) if path.exists() else _("{path} (not found)").format(path=path))

    @Slot(QListWidgetItem)
    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        self.recent_requested.emit(Path(item.data(PATH_ROLE)))

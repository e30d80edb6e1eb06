"""Find and replace in the section being written: a bar under the editor (Edit ▸ Find, Replace).

The bar only asks (find_requested, replace_requested, replace_all_requested); the window runs
the search in the editor in front (find_in, replace_in, replace_all_in), so a replacement is one
undo step named "replace".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextDocument
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QPushButton, QToolButton, QWidget

from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.ui import _
from esg_author.gui.section_editor import SectionEditor


class FindBar(QWidget):
    find_requested = Signal(str, bool, bool)
    """text, match case, backward."""
    replace_requested = Signal(str, str, bool)
    """text, replacement, match case: replace the match selected, then find the next."""
    replace_all_requested = Signal(str, str, bool)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find-bar")
        self.find_label = QLabel(self)
        self.find_field = QLineEdit(self)
        self.find_field.setClearButtonEnabled(True)
        self.replace_label = QLabel(self)
        self.replace_field = QLineEdit(self)
        self.replace_field.setClearButtonEnabled(True)
        self.previous_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.match_case = QCheckBox(self)
        self.replace_button = QPushButton(self)
        self.replace_all_button = QPushButton(self)
        self.close_button = QToolButton(self)
        self.close_button.setAutoRaise(True)
        self.close_button.setText("✕")
        self.result_label = QLabel(self)
        self.find_label.setBuddy(self.find_field)
        self.replace_label.setBuddy(self.replace_field)
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.find_label, 0, 0)
        layout.addWidget(self.find_field, 0, 1)
        layout.addWidget(self.previous_button, 0, 2)
        layout.addWidget(self.next_button, 0, 3)
        layout.addWidget(self.match_case, 0, 4)
        layout.addWidget(self.result_label, 0, 5)
        layout.addWidget(self.close_button, 0, 6, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.replace_label, 1, 0)
        layout.addWidget(self.replace_field, 1, 1)
        layout.addWidget(self.replace_button, 1, 2)
        layout.addWidget(self.replace_all_button, 1, 3)
        layout.setColumnStretch(1, 1)
        layout.setColumnStretch(5, 1)
        self._result: tuple[str, dict[str, object]] | None = None
        # The bar's own widgets only; the window wires the requests.
        self.find_field.returnPressed.connect(self._on_next)
        self.next_button.clicked.connect(self._on_next)
        self.previous_button.clicked.connect(self._on_previous)
        self.replace_button.clicked.connect(self._on_replace)
        self.replace_field.returnPressed.connect(self._on_replace)
        self.replace_all_button.clicked.connect(self._on_replace_all)
        self.close_button.clicked.connect(self.close_bar)
        self.find_field.textChanged.connect(self._on_text_changed)
        self.hide()

    def open_bar(self, with_replace: bool, text: str = "") -> None:
        for widget in (self.replace_label, self.replace_field, self.replace_button, self.replace_all_button):
            widget.setVisible(with_replace)
        if text and "\n" not in text and "\u2029" not in text:
            self.find_field.setText(text)
        self.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def find_in(self, editor: SectionEditor, text: str, match_case: bool, backward: bool) -> bool:
        """Select the next (previous) match in editor, wrapping around; says when there is none."""
        if not text:
            return False
        found = editor.find(text, find_flags(match_case, backward))
        self.show_result("" if found else N_("No match"))
        return found

    def replace_in(self, editor: SectionEditor, text: str, replacement: str, match_case: bool) -> None:
        """Replace the match that is selected (if the selection is one), then find the next."""
        selected = editor.textCursor().selectedText()
        if text and (selected == text or (not match_case and selected.casefold() == text.casefold())):
            editor.textCursor().insertText(replacement)
        self.find_in(editor, text, match_case, False)

    def replace_all_in(self, editor: SectionEditor, text: str, replacement: str, match_case: bool) -> int:
        count = editor.replace_all(text, replacement, find_flags(match_case, False))
        self.show_result(N_("{count} replaced"), count=count)
        return count

    @Slot()
    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def show_result(self, message: str, **values: object) -> None:
        """A short result ("No match", "3 replaced"), kept untranslated for retranslate_ui."""
        self._result = (message, values)
        self.result_label.setText(_(message).format(**values))

    def retranslate_ui(self) -> None:
        self.find_label.setText(_("&Find:"))
        self.replace_label.setText(_("Re&place with:"))
        self.previous_button.setText(_("Previous"))
        self.next_button.setText(_("Next"))
        self.match_case.setText(_("Match &case"))
        self.replace_button.setText(_("&Replace"))
        self.replace_all_button.setText(_("Replace &All"))
        self.close_button.setToolTip(_("Close the find bar (Esc)"))
        self.find_field.setPlaceholderText(_("Text to find"))
        if self._result is not None:
            message, values = self._result
            self.result_label.setText(_(message).format(**values))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        if event.matches(QKeySequence.StandardKey.FindPrevious):
            self._on_previous()
            return
        if event.matches(QKeySequence.StandardKey.FindNext):
            self._on_next()
            return
        super().keyPressEvent(event)

    @Slot()
    def _on_next(self) -> None:
        self.find_requested.emit(self.find_field.text(), self.match_case.isChecked(), False)

    @Slot()
    def _on_previous(self) -> None:
        self.find_requested.emit(self.find_field.text(), self.match_case.isChecked(), True)

    @Slot()
    def _on_replace(self) -> None:
        self.replace_requested.emit(self.find_field.text(), self.replace_field.text(), self.match_case.isChecked())

    @Slot()
    def _on_replace_all(self) -> None:
        self.replace_all_requested.emit(self.find_field.text(), self.replace_field.text(), self.match_case.isChecked())

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        self._result = None
        self.result_label.clear()


def find_flags(match_case: bool, backward: bool) -> QTextDocument.FindFlag:
    flags = QTextDocument.FindFlag(0)
    if match_case:
        flags |= QTextDocument.FindFlag.FindCaseSensitively
    if backward:
        flags |= QTextDocument.FindFlag.FindBackward
    return flags

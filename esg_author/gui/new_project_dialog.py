"""New project: the company, the report year and the report languages; the standard chapters
and KPIs come from the skeleton (core.bundled.load_skeleton_project)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from esg_author.core.i18n.ui import _
from esg_author.core.model import LANGUAGE_NAMES, LANGUAGES


class NewProjectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new-project-dialog")
        self.company_field = QLineEdit(self)
        self.company_field.setMinimumWidth(340)
        self.year_field = QSpinBox(self)
        self.year_field.setRange(2000, 2100)
        self.year_field.setValue(date.today().year - 1)  # reports cover the year just ended
        self.language_boxes: dict[str, QCheckBox] = {}
        languages = QHBoxLayout()
        for lang in LANGUAGES:
            box = QCheckBox(LANGUAGE_NAMES[lang], self)  # a language's own name is never translated
            box.setChecked(True)
            self.language_boxes[lang] = box
            languages.addWidget(box)
        languages.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.company_label = QLabel(self)
        self.company_label.setBuddy(self.company_field)
        self.year_label = QLabel(self)
        self.year_label.setBuddy(self.year_field)
        self.languages_label = QLabel(self)
        self.form = QFormLayout(self)
        self.form.addRow(self.company_label, self.company_field)
        self.form.addRow(self.year_label, self.year_field)
        self.form.addRow(self.languages_label, languages)
        self.form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.company_field.textChanged.connect(self._update_ok)
        for box in self.language_boxes.values():
            box.toggled.connect(self._update_ok)
        self.retranslate_ui()
        self._update_ok()

    def company(self) -> str:
        return " ".join(self.company_field.text().split())

    def year(self) -> int:
        return self.year_field.value()

    def languages(self) -> list[str]:
        return [lang for lang, box in self.language_boxes.items() if box.isChecked()]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New Project"))
        self.company_label.setText(_("&Company:"))
        self.year_label.setText(_("Report &year:"))
        self.languages_label.setText(_("Languages:"))
        self.company_field.setPlaceholderText(_("The company's name, as printed on the cover"))

    @Slot()
    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.company()) and bool(self.languages()))

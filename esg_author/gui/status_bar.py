"""The status bar: the section being written, its length in each language, and whether the
project is saved (or read-only, or only autosaved)."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from esg_author.core.document import Document
from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.ui import _
from esg_author.core.model import LANGUAGE_NAMES, Project
from esg_author.gui.edit_history import section_label
from esg_author.gui.navigator_model import LANGUAGE_TAGS
from esg_author.gui.prompts import ui_locale

_TOKEN = re.compile(r"\[\[[^\]\n]*\]\]")
_MARKUP = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s|:::.*$|\|)|[*_`~|\\]|\[\^[^\]]*\]|!?\[|\]\([^)]*\)|\s")

SAVE_STATES = {
    "none": "",
    "saved": N_("Saved"),
    "saved_at": N_("Saved at {time}"),
    "modified": N_("Unsaved changes"),
    "autosaved": N_("Unsaved changes · recovery copy at {time}"),
    "read_only": N_("Read-only"),
    "autosave_failed": N_("Unsaved changes · no recovery copy: {reason}"),
}


def visible_characters(markdown: str) -> int:
    """How many characters a reader sees, without spaces: Markdown marks are not counted and a
    token ([[kpi:…]], a chip in the editor) counts as one, as the chip does."""
    tokens = len(_TOKEN.findall(markdown))
    return len(_MARKUP.sub("", _TOKEN.sub("", markdown))) + tokens


class EditorStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status-bar")
        # Permanent labels, not showMessage: Qt clears temporary messages whenever the mouse
        # passes over a menu or toolbar item.
        self.section_label = QLabel(self)
        self.characters_label = QLabel(self)
        self.save_label = QLabel(self)
        for label in (self.section_label, self.characters_label, self.save_label):
            label.setContentsMargins(6, 0, 6, 0)
        self.addWidget(self.section_label, 1)
        self.addPermanentWidget(self.characters_label)
        self.addPermanentWidget(self.save_label)
        self._summary: tuple[str, dict[str, object]] = (N_("No project open"), {})
        self._section: str | None = None
        self._counts: dict[str, int] = {}
        self._save: tuple[str, dict[str, object]] = ("none", {})
        self._character_counts: dict[tuple[str, str], tuple[str, int]] = {}

    def show_summary(self, message: str, **values: object) -> None:
        """Shown where the section is when no section is open (a msgid and its values)."""
        self._summary = (message, values)
        self._refresh_section()

    def show_section(self, label: str | None, counts: dict[str, int]) -> None:
        """The section in front ("2.1 Board statement") and its characters per language."""
        if (label, counts) != (self._section, self._counts):
            self._section, self._counts = label, dict(counts)
            self._refresh_section()
            self._refresh_characters()

    def show_text(self, project: Project | None, key: tuple[str, str] | None) -> None:
        """The section text in front ((section id, language)), or none."""
        if project is None or key is None or not project.has_section(key[0]):
            self.show_section(None, {})
            return
        section = project.section(key[0])
        counts = {lang: self._count(key[0], lang, section.text(lang).body) for lang in project.meta.languages}
        self.show_section(section_label(project, key[0], key[1]), counts)

    def show_document(self, document: Document | None, saved_at: datetime | None, autosaved_at: datetime | None,
                      autosave_problem: str | None) -> None:
        if document is None:
            self.show_save_state("none")
        elif document.read_only:
            self.show_save_state("read_only")
        elif document.is_dirty:
            if autosave_problem:
                self.show_save_state("autosave_failed", reason=autosave_problem)
            elif autosaved_at is not None:
                self.show_save_state("autosaved", time=autosaved_at)
            else:
                self.show_save_state("modified")
        elif saved_at is not None:
            self.show_save_state("saved_at", time=saved_at)
        else:
            self.show_save_state("saved")

    def _count(self, section_id: str, lang: str, body: str) -> int:
        # Counted again only when the text object changed: on a keystroke, one of the languages.
        cached = self._character_counts.get((section_id, lang))
        if cached is None or cached[0] is not body:
            cached = (body, visible_characters(body))
            self._character_counts[(section_id, lang)] = cached
        return cached[1]

    def show_save_state(self, state: str, **values: object) -> None:
        """A key of SAVE_STATES and its values (a time is a datetime)."""
        if (state, values) != self._save:
            self._save = (state, values)
            self._refresh_save()

    def retranslate_ui(self) -> None:
        self.characters_label.setToolTip(_("Characters per language in this section, without spaces and Markdown marks"))
        self._refresh_section()
        self._refresh_characters()
        self._refresh_save()

    def _refresh_section(self) -> None:
        if self._section:
            self.section_label.setText(self._section)
        else:
            message, values = self._summary
            self.section_label.setText(_(message).format(**values))

    def _refresh_characters(self) -> None:
        locale = ui_locale()
        self.characters_label.setText(" · ".join(
            _("{language} {count}").format(language=LANGUAGE_TAGS.get(lang, lang), count=locale.toString(count))
            for lang, count in self._counts.items()))
        self.characters_label.setAccessibleName(", ".join(
            f"{LANGUAGE_NAMES.get(lang, lang)} {count}" for lang, count in self._counts.items()))

    def _refresh_save(self) -> None:
        state, values = self._save
        shown = {key: _clock_time(value) if isinstance(value, datetime) else value for key, value in values.items()}
        self.save_label.setText(_(SAVE_STATES[state]).format(**shown) if SAVE_STATES[state] else "")


def _clock_time(moment: datetime) -> str:
    """The time of day as the interface language writes it (12:03, 下午12:03)."""
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toLocalTime()
    return ui_locale().toString(local.time(), QLocale.FormatType.ShortFormat)

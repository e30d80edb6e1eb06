"""Translation units: which section texts are translated from the current source, and which are stale.

Each section has one text per language. One language is the project's source
(meta.options["source_language"], default zh-Hant); every other text remembers the language it
was translated from and the *fingerprint* of that source text (title and body) at the time. When
the source changes, its fingerprint changes, and the translation shows as stale until someone
updates it and marks it translated again — like gettext's fuzzy flag, but per section.

MarkTranslated and MarkReviewed are commands (see core/commands) that live here because they
need the fingerprints of this module, which sits above the commands.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from esg_author.core.commands import ChangeSet, Command, SetTranslation
from esg_author.core.errors import ModelError
from esg_author.core.i18n.segments import normalise
from esg_author.core.model import LANGUAGES, Project, SectionText

DEFAULT_SOURCE_LANGUAGE = "zh-Hant"
STATES = ("source", "missing", "stale", "up_to_date", "needs_review")


def fingerprint(title: str, body: str) -> str:
    """sha256 of the normalised title and body; whitespace-only edits do not change it."""
    data = normalise(title) + "\n\x1e\n" + normalise(body)
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def text_fingerprint(text: SectionText) -> str:
    return fingerprint(text.title, text.body)


def source_language(project: Project) -> str:
    """The language the project is written in; the others are translated from it."""
    lang = str(project.meta.options.get("source_language") or DEFAULT_SOURCE_LANGUAGE)
    if lang not in LANGUAGES:
        raise ModelError(f"source_language {lang!r} is not one of {', '.join(LANGUAGES)}")
    return lang


def is_empty(text: SectionText | None) -> bool:
    return text is None or not (text.title.strip() or text.body.strip())


@dataclass(frozen=True)
class UnitStatus:
    section_id: str
    lang: str
    state: str  # one of STATES
    source_lang: str = ""  # what this text is (or should be) translated from; "" for the source
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"section": self.section_id, "lang": self.lang, "state": self.state,
                "source_lang": self.source_lang, "detail": self.detail}


def unit_status(project: Project, section_id: str, lang: str) -> UnitStatus:
    """The state of one section text (see STATES)."""
    source = source_language(project)
    section = project.section(section_id)
    if lang == source:
        return UnitStatus(section_id, lang, "source")
    text = section.texts.get(lang)
    from_lang = (text.source_lang if text and text.source_lang else None) or source
    if is_empty(text):
        return UnitStatus(section_id, lang, "missing", from_lang)
    assert text is not None
    source_text = section.texts.get(from_lang)
    if text.source_fingerprint is None:
        return UnitStatus(section_id, lang, "stale", from_lang, "never marked as translated")
    if is_empty(source_text):
        return UnitStatus(section_id, lang, "stale", from_lang, f"the {from_lang} source text is empty")
    assert source_text is not None
    if text_fingerprint(source_text) != text.source_fingerprint:
        return UnitStatus(section_id, lang, "stale", from_lang, f"the {from_lang} text changed since translation")
    if text.state == "needs_review":
        return UnitStatus(section_id, lang, "needs_review", from_lang)
    return UnitStatus(section_id, lang, "up_to_date", from_lang)


def translation_status(project: Project) -> list[UnitStatus]:
    """The state of every section text in every report language, in reading order."""
    return [unit_status(project, section.id, lang)
            for section, _depth in project.walk() for lang in project.meta.languages]


def status_counts(statuses: list[UnitStatus]) -> dict[str, int]:
    return {state: sum(1 for s in statuses if s.state == state) for state in STATES}


@dataclass
class MarkTranslated(Command):
    """Record that the text in `lang` translates the current text in `source_lang` (default: the
    project's source language) and is reviewed; undoable like every change."""

    section_id: str
    lang: str
    source_lang: str | None = None
    _done: SetTranslation | None = None
    description = "Mark as translated"

    def apply(self, project: Project) -> None:
        source_lang = self.source_lang or source_language(project)
        if self.lang == source_lang:
            raise ModelError(f"a text cannot be translated from its own language ({self.lang})")
        section = project.section(self.section_id)
        source = section.texts.get(source_lang)
        if is_empty(source):
            raise ModelError(f"section {self.section_id!r} has no {source_lang} text to translate from")
        if is_empty(section.texts.get(self.lang)):
            raise ModelError(f"section {self.section_id!r} has no {self.lang} text yet")
        assert source is not None
        self._done = SetTranslation(self.section_id, self.lang, source_lang, text_fingerprint(source), "")
        self._done.apply(project)

    def revert(self, project: Project) -> None:
        if self._done is not None:
            self._done.revert(project)

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._done is None else self._done.changes()


@dataclass
class MarkReviewed(Command):
    """Clear the "needs review" state of a (converted) text; the recorded source stays as it was,
    so a stale text stays stale until it is updated and marked translated."""

    section_id: str
    lang: str
    _done: SetTranslation | None = None
    description = "Mark as reviewed"

    def apply(self, project: Project) -> None:
        text = project.section(self.section_id).texts.get(self.lang)
        if is_empty(text):
            raise ModelError(f"section {self.section_id!r} has no {self.lang} text to review")
        assert text is not None
        self._done = SetTranslation(self.section_id, self.lang, text.source_lang, text.source_fingerprint, "")
        self._done.apply(project)

    def revert(self, project: Project) -> None:
        if self._done is not None:
            self._done.revert(project)

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._done is None else self._done.changes()


def record_current_sources(project: Project, languages: list[str] | None = None) -> None:
    """Mark every non-empty translation as translated from the current source, without undo.

    For projects assembled from files whose translations are known to be current (the bundled
    demo); anything the user edits goes through commands instead.
    """
    source = source_language(project)
    for section in project.sections:
        source_text = section.texts.get(source)
        if is_empty(source_text):
            continue
        assert source_text is not None
        for lang in languages or project.meta.languages:
            text = section.texts.get(lang)
            if lang == source or text is None or is_empty(text):
                continue
            text.source_lang = source
            text.source_fingerprint = text_fingerprint(source_text)

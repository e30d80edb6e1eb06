"""Commands on the section tree and the section texts.

Typing merges: consecutive SetSectionText commands on the same (section, language) body fold
into one undo step (see SetSectionText.merge and UndoStack), keeping one old and one new text.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass, field, replace

from esg_author.core.commands.base import Command, TextRewrite
from esg_author.core.commands.changes import ChangeSet, IdChange, TreeMove, links_of
from esg_author.core.errors import InvalidValueError
from esg_author.core.model import LANGUAGES, Project, Section, SectionText
from esg_author.core.model.tokens import rename_target
from esg_author.core.model.validate import (
    N_,
    SECTION_TEXT_STATES,
    id_problems,
    require,
    section_problems,
    text_problems,
)

# -- the tree -----------------------------------------------------------------------------------


def _row(project: Project, section_id: str) -> tuple[str | None, int]:
    """A section's parent and its row among the parent's children."""
    section = project.section(section_id)
    return section.parent_id, [s.id for s in project.children(section.parent_id)].index(section_id)


def _insert_position(project: Project, parent_id: str | None, index: int | None) -> int:
    """Where in the flat reading-order list the index-th child of parent_id goes."""
    siblings = project.children(parent_id)
    if index is not None and index < len(siblings):
        return project.sections.index(siblings[index])
    if siblings:  # after the last sibling's whole subtree
        last_subtree = set(project.subtree_ids(siblings[-1].id))
        return max(i for i, s in enumerate(project.sections) if s.id in last_subtree) + 1
    if parent_id is None:
        return len(project.sections)
    return project.sections.index(project.section(parent_id)) + 1


def _check_index(index: object) -> None:
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        raise InvalidValueError("index", index, N_("is not a row number (0 or more)"))


def _check_parent(project: Project, parent_id: str | None, field_name: str) -> None:
    if parent_id is not None and not project.has_section(parent_id):
        raise InvalidValueError(field_name, parent_id, N_("is not a section"))


@dataclass
class AddSection(Command):
    """Insert a new section as the index-th child of its parent (at the end when index is None).

    The section comes with its texts; its sub-sections are added by further AddSection commands.
    """

    section: Section
    index: int | None = None
    _row: int = 0
    description = "Add section"

    def apply(self, project: Project) -> None:
        require(section_problems(self.section))
        for lang, text in self.section.texts.items():
            require(text_problems(f"section[{self.section.id}].{lang}.title", text.title, single_line=True))
        if project.has_section(self.section.id):
            raise InvalidValueError("section.id", self.section.id, N_("is the id of another section"))
        _check_parent(project, self.section.parent_id, "section.parent_id")
        _check_index(self.index)
        project.sections.insert(_insert_position(project, self.section.parent_id, self.index), self.section)
        self._row = _row(project, self.section.id)[1]

    def revert(self, project: Project) -> None:
        project.sections.remove(project.section(self.section.id))

    def changes(self) -> ChangeSet:
        return ChangeSet(sections=frozenset({self.section.id}),
                         texts=frozenset((self.section.id, lang) for lang in self.section.texts),
                         structure=True, tree=(TreeMove(self.section.id, None, None, self.section.parent_id, self._row),),
                         links=frozenset(self.section.disclosures))


@dataclass
class RemoveSection(Command):
    """Remove a section with all its sub-sections (and their texts).

    [[ref:…]] tokens elsewhere that name a removed section are not blocking: `check` reports them
    as it reports any reference to a section that does not exist, and undo brings the section back.
    """

    section_id: str
    _removed: list[tuple[int, Section]] = field(default_factory=list)
    _parent: str | None = None
    _row: int = 0
    description = "Remove section"

    def apply(self, project: Project) -> None:
        self._parent, self._row = _row(project, self.section_id)
        ids = set(project.subtree_ids(self.section_id))
        self._removed = [(i, s) for i, s in enumerate(project.sections) if s.id in ids]
        project.sections[:] = [s for s in project.sections if s.id not in ids]

    def revert(self, project: Project) -> None:
        for index, section in self._removed:
            project.sections.insert(index, section)

    def changes(self) -> ChangeSet:
        removed = [section for _index, section in self._removed]
        return ChangeSet(sections=frozenset(s.id for s in removed),
                         texts=frozenset((s.id, lang) for s in removed for lang in s.texts), structure=True,
                         tree=(TreeMove(self.section_id, self._parent, self._row, None, None),),
                         links=links_of(*(s.disclosures for s in removed)))


@dataclass
class MoveSection(Command):
    """Move a section (with its subtree) under new_parent_id as its index-th child; index None
    puts it last. index counts the new siblings without the section itself."""

    section_id: str
    new_parent_id: str | None
    index: int | None = None
    _old_sections: list[Section] = field(default_factory=list)
    _old_parent: str | None = None
    _old_row: int = 0
    _new_row: int = 0
    _subtree: tuple[str, ...] = ()
    description = "Move section"

    def apply(self, project: Project) -> None:
        moving = project.section(self.section_id)
        subtree = project.subtree_ids(self.section_id)
        if self.new_parent_id in subtree:
            raise InvalidValueError("section.parent_id", self.new_parent_id, N_("is the section itself or one of its sub-sections"))
        _check_parent(project, self.new_parent_id, "section.parent_id")
        _check_index(self.index)
        self._old_sections = list(project.sections)
        self._old_parent, self._old_row = _row(project, self.section_id)
        self._subtree = tuple(subtree)
        block = [s for s in project.sections if s.id in subtree]
        project.sections[:] = [s for s in project.sections if s.id not in subtree]
        moving.parent_id = self.new_parent_id
        position = _insert_position(project, self.new_parent_id, self.index)
        project.sections[position:position] = block
        self._new_row = _row(project, self.section_id)[1]

    def revert(self, project: Project) -> None:
        project.section(self.section_id).parent_id = self._old_parent
        project.sections[:] = self._old_sections

    def changes(self) -> ChangeSet:
        if (self._old_parent, self._old_row) == (self.new_parent_id, self._new_row):
            return ChangeSet.EMPTY
        return ChangeSet(sections=frozenset({self.section_id}), structure=True,
                         tree=(TreeMove(self.section_id, self._old_parent, self._old_row, self.new_parent_id, self._new_row),))


@dataclass
class SetSectionNumbered(Command):
    """Print a section with a number ("2.3") or without (front matter, an unnumbered appendix)."""

    section_id: str
    numbered: bool
    _old: bool = True
    description = "Number section"

    def apply(self, project: Project) -> None:
        if not isinstance(self.numbered, bool):
            raise InvalidValueError(f"section[{self.section_id}].numbered", self.numbered, N_("is not true or false"))
        section = project.section(self.section_id)
        self._old, section.numbered = section.numbered, self.numbered

    def revert(self, project: Project) -> None:
        project.section(self.section_id).numbered = self._old

    def changes(self) -> ChangeSet:
        # Numbers of the following sections change too: the outline redraws its numbers.
        return ChangeSet.EMPTY if self._old == self.numbered else ChangeSet(sections=frozenset({self.section_id}), structure=True)


@dataclass
class ChangeSectionId(Command):
    """Give a section another id, rewriting every [[ref:OLD]] token in every text to [[ref:NEW]]
    and the parent of its sub-sections."""

    old_id: str
    new_id: str
    _rewrite: TextRewrite = field(default_factory=TextRewrite)
    _children: list[str] = field(default_factory=list)
    description = "Change section id"

    def apply(self, project: Project) -> None:
        section = project.section(self.old_id)
        require(id_problems("section.id", self.new_id))
        if self.new_id != self.old_id and project.has_section(self.new_id):
            raise InvalidValueError("section.id", self.new_id, N_("is the id of another section"))
        self._children = [s.id for s in project.children(self.old_id)]
        section.id = self.new_id
        for child in self._children:
            project.section(child).parent_id = self.new_id
        self._rewrite.apply(project, lambda text: rename_target(text, "ref", self.old_id, self.new_id))

    def revert(self, project: Project) -> None:
        self._rewrite.revert(project)
        for child in self._children:
            project.section(child).parent_id = self.old_id
        project.section(self.new_id).id = self.old_id

    def changes(self) -> ChangeSet:
        if self.old_id == self.new_id:
            return ChangeSet.EMPTY
        return ChangeSet(sections=frozenset({self.old_id, self.new_id, *self._children}), texts=self._rewrite.texts(),
                         ids=(IdChange("section", self.old_id, self.new_id),))


# -- texts ----------------------------------------------------------------------------------------


def _check_lang(section_id: str, lang: object) -> None:
    if lang not in LANGUAGES:
        raise InvalidValueError(f"section[{section_id}].lang", lang, N_("is not a report language (known: {languages})"),
                                languages=", ".join(LANGUAGES))


@dataclass
class _TextChange(Command):
    """Replaces one section text (one language) and restores the old one on undo."""

    _old: SectionText | None = field(default=None, kw_only=True)
    _new: SectionText | None = field(default=None, kw_only=True)
    _existed: bool = field(default=False, kw_only=True)

    def _replace_text(self, project: Project, section_id: str, lang: str, new_text: SectionText) -> None:
        section = project.section(section_id)
        self._existed = lang in section.texts
        self._old = copy.copy(section.texts.get(lang))
        self._new = new_text
        section.texts[lang] = new_text

    def _restore_text(self, project: Project, section_id: str, lang: str) -> None:
        section = project.section(section_id)
        if self._existed and self._old is not None:
            section.texts[lang] = self._old
        else:
            section.texts.pop(lang, None)

    def _text_changes(self, section_id: str, lang: str) -> ChangeSet:
        if self._existed and self._old == self._new:
            return ChangeSet.EMPTY
        return ChangeSet(texts=frozenset({(section_id, lang)}))


@dataclass
class SetSectionText(_TextChange):
    """Replace the title and/or body of one section in one language (None keeps it).

    An editor sends one command per change with the whole new body; the stack merges a run of
    them into one undo step (see merge()).
    """

    section_id: str
    lang: str
    title: str | None = None
    body: str | None = None
    description = "Edit section text"

    def apply(self, project: Project) -> None:
        _check_lang(self.section_id, self.lang)
        where = f"section[{self.section_id}].{self.lang}"
        if self.title is not None:
            require(text_problems(f"{where}.title", self.title, single_line=True))
        if self.body is not None:
            require(text_problems(f"{where}.body", self.body))
        current = project.section(self.section_id).text(self.lang)
        self._replace_text(project, self.section_id, self.lang, replace(
            current,
            title=current.title if self.title is None else self.title,
            body=current.body if self.body is None else self.body,
        ))

    def revert(self, project: Project) -> None:
        self._restore_text(project, self.section_id, self.lang)

    def changes(self) -> ChangeSet:
        return self._text_changes(self.section_id, self.lang)

    def merge_key(self) -> Hashable | None:
        # Only body edits merge: a title edit is a step of its own.
        return None if self.body is None or self.title is not None else ("section-body", self.section_id, self.lang)

    def merge(self, later: Command, run_seconds: float) -> bool:
        """Typing policy. A run of insertions at one place merges, and so does a run of deletions
        (Backspace, Delete); a paste over a selection, a replace, typing somewhere else, or a
        switch between typing and deleting starts a new step. A run of typing also ends before a
        new paragraph (inserted text with a line break), and, once it has lasted
        MERGE_SPAN_SECONDS, at the next word boundary: one long run of typing is a few steps, and
        undo never takes away half a word. (Pauses and saves end a run too: UndoStack.)"""
        if not isinstance(later, SetSectionText) or later.merge_key() != self.merge_key():
            return False
        if self._old is None or self._new is None or later._old is None or later._new is None:
            return False
        current = _edit_kind(self._old.body, self._new.body)
        step = _edit_kind(later._old.body, later._new.body)
        merged = _edit_kind(self._old.body, later._new.body)
        if current is None or step is None or merged is None or not current[0] == step[0] == merged[0]:
            return False
        kind, piece, before = step
        if kind == "insert" and ("\n" in piece or (run_seconds >= MERGE_SPAN_SECONDS and _is_word_boundary(before, piece))):
            return False
        self.body, self._new = later.body, later._new
        return True


MERGE_SPAN_SECONDS = 10.0
"""A run of typing merged into one undo step ends at the first word boundary after this long."""


def _edit_kind(old: str, new: str) -> tuple[str, str, str] | None:
    """("insert" | "delete", the text inserted or deleted, the character before it) for an edit
    at one place; None for anything else (a replace, no change)."""
    if old == new:
        return None
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    before = old[prefix - 1] if prefix else ""
    if prefix + suffix == len(old):
        return "insert", new[prefix:len(new) - suffix], before
    if prefix + suffix == len(new):
        return "delete", old[prefix:len(old) - suffix], before
    return None


def _is_word_boundary(before: str, inserted: str) -> bool:
    """Whether inserting text after the character before starts a new word: next to a space or
    punctuation, or at a Chinese character (each is a word for this purpose; an input method
    commits whole words at once anyway)."""
    return not before or not inserted or not (_is_word_character(before) and _is_word_character(inserted[0]))


def _is_word_character(char: str) -> bool:
    return char.isalnum() and unicodedata.east_asian_width(char) not in ("W", "F")


@dataclass
class SetTranslation(_TextChange):
    """Record where a section's text in one language was translated from, and its review state.

    title/body None keep the current text, so the same command marks a text as translated,
    reviewed, or replaces it with a converted or imported translation in one undoable step.
    """

    section_id: str
    lang: str
    source_lang: str | None
    source_fingerprint: str | None
    state: str = ""
    title: str | None = None
    body: str | None = None
    description = "Update translation"

    def apply(self, project: Project) -> None:
        _check_lang(self.section_id, self.lang)
        if self.state not in SECTION_TEXT_STATES:
            raise InvalidValueError(f"section[{self.section_id}].{self.lang}.state", self.state,
                                    N_("is not one of {choices}"), choices="'', 'needs_review'")
        if self.source_lang is not None:
            _check_lang(self.section_id, self.source_lang)
        where = f"section[{self.section_id}].{self.lang}"
        if self.title is not None:
            require(text_problems(f"{where}.title", self.title, single_line=True))
        if self.body is not None:
            require(text_problems(f"{where}.body", self.body))
        current = project.section(self.section_id).text(self.lang)
        self._replace_text(project, self.section_id, self.lang, replace(
            current,
            title=current.title if self.title is None else self.title,
            body=current.body if self.body is None else self.body,
            source_lang=self.source_lang, source_fingerprint=self.source_fingerprint, state=self.state,
        ))

    def revert(self, project: Project) -> None:
        self._restore_text(project, self.section_id, self.lang)

    def changes(self) -> ChangeSet:
        return self._text_changes(self.section_id, self.lang)


@dataclass
class SetSectionTitle(_TextChange):
    """Rename a section in one language (its id, used by [[ref:…]], stays: see ChangeSectionId)."""

    section_id: str
    lang: str
    title: str
    description = "Rename section"

    def apply(self, project: Project) -> None:
        _check_lang(self.section_id, self.lang)
        require(text_problems(f"section[{self.section_id}].{self.lang}.title", self.title, single_line=True))
        current = project.section(self.section_id).text(self.lang)
        self._replace_text(project, self.section_id, self.lang, replace(current, title=self.title))

    def revert(self, project: Project) -> None:
        self._restore_text(project, self.section_id, self.lang)

    def changes(self) -> ChangeSet:
        return self._text_changes(self.section_id, self.lang)

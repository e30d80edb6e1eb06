"""Commands on the section tree and the section texts.

Typing merges: consecutive SetSectionText commands on the same (section, language) body fold
into one undo step (see SetSectionText.merge and UndoStack), keeping one old and one new text.
"""

from __future__ import annotations

import unicodedata
from abc import abstractmethod
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
    _changes: ChangeSet = ChangeSet.EMPTY
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
        # Recorded now: a later command of the same step may move or edit the section.
        self._changes = ChangeSet(sections=frozenset({self.section.id}),
                                  texts=frozenset((self.section.id, lang) for lang in self.section.texts), structure=True,
                                  tree=(TreeMove(self.section.id, None, None, *_row(project, self.section.id)),),
                                  links=frozenset(self.section.disclosures))

    def revert(self, project: Project) -> None:
        project.sections.remove(project.section(self.section.id))

    def changes(self) -> ChangeSet:
        return self._changes


@dataclass
class RemoveSection(Command):
    """Remove a section with all its sub-sections (and their texts).

    [[ref:…]] tokens elsewhere that name a removed section are not blocking: `check` reports them
    as it reports any reference to a section that does not exist, and undo brings the section back.
    """

    section_id: str
    _removed: list[tuple[int, Section]] = field(default_factory=list)
    _changes: ChangeSet = ChangeSet.EMPTY
    description = "Remove section"

    def apply(self, project: Project) -> None:
        parent, row = _row(project, self.section_id)
        ids = set(project.subtree_ids(self.section_id))
        self._removed = [(i, s) for i, s in enumerate(project.sections) if s.id in ids]
        project.sections[:] = [s for s in project.sections if s.id not in ids]
        removed = [section for _index, section in self._removed]
        subtree = tuple((s.id, s.parent_id) for s in removed if s.id != self.section_id and s.parent_id is not None)
        self._changes = ChangeSet(sections=frozenset(ids), texts=frozenset((s.id, lang) for s in removed for lang in s.texts),
                                  structure=True, tree=(TreeMove(self.section_id, parent, row, None, None, subtree),),
                                  links=links_of(*(s.disclosures for s in removed)))

    def revert(self, project: Project) -> None:
        for index, section in self._removed:
            project.sections.insert(index, section)

    def changes(self) -> ChangeSet:
        return self._changes


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
        raise InvalidValueError(f"section[{section_id}].{lang}", lang, N_("is not a report language (known: {languages})"),
                                languages=", ".join(LANGUAGES))


@dataclass(frozen=True)
class TextEdit:
    """The difference between two texts as the part that changed: the first start characters and
    the last end characters are kept, old became new. A text command keeps this instead of two
    whole bodies, so an undo step costs what was typed, not the length of the chapter."""

    start: int
    end: int
    old: str
    new: str

    @staticmethod
    def between(old: str, new: str) -> TextEdit:
        limit = min(len(old), len(new))
        # Binary searches over slice comparisons: each keystroke compares whole bodies, and
        # comparing slices runs in C, a character loop would not.
        low, high = 0, limit
        while low < high:
            middle = (low + high + 1) // 2
            if old[:middle] == new[:middle]:
                low = middle
            else:
                high = middle - 1
        start, low, high = low, 0, limit - low
        while low < high:
            middle = (low + high + 1) // 2
            if old[len(old) - middle:] == new[len(new) - middle:]:
                low = middle
            else:
                high = middle - 1
        end = low
        return TextEdit(start, end, old[start:len(old) - end], new[start:len(new) - end])

    def undo(self, text: str) -> str:
        return text[:self.start] + self.old + text[len(text) - self.end:]

    def redo(self, text: str) -> str:
        return text[:self.start] + self.new + text[len(text) - self.end:]

    @property
    def kind(self) -> str:
        """"insert", "delete", "replace", or "none"."""
        if self.old == self.new:
            return "none"
        return "insert" if not self.old else "delete" if not self.new else "replace"


@dataclass
class _TextChange(Command):
    """Replaces one section text (one language) and restores the old one on undo.

    After the first apply it keeps the text's other fields before and after and the TextEdit of
    its body; redo replays that edit, so the whole new body given to it is not kept.
    """

    section_id: str
    lang: str
    _existed: bool = field(default=False, kw_only=True)
    _old_rest: SectionText | None = field(default=None, kw_only=True, repr=False)  # the old text, body ""
    _new_rest: SectionText | None = field(default=None, kw_only=True, repr=False)  # the new text, body ""
    _edit: TextEdit | None = field(default=None, kw_only=True, repr=False)

    @abstractmethod
    def _check(self) -> None: ...

    @abstractmethod
    def _new_text(self, current: SectionText) -> SectionText: ...

    def _release(self) -> None:
        """Drop inputs that the edit now holds (a whole body)."""

    def apply(self, project: Project) -> None:
        section = project.section(self.section_id)
        if self._edit is not None:  # redo: the same change again
            assert self._new_rest is not None
            section.texts[self.lang] = replace(self._new_rest, body=self._edit.redo(section.text(self.lang).body))
            return
        _check_lang(self.section_id, self.lang)
        self._check()
        current = section.texts.get(self.lang)
        new_text = self._new_text(current or SectionText())
        self._existed = current is not None
        self._old_rest = replace(current or SectionText(), body="")
        self._new_rest = replace(new_text, body="")
        self._edit = TextEdit.between(current.body if current else "", new_text.body)
        section.texts[self.lang] = new_text
        self._release()

    def revert(self, project: Project) -> None:
        section = project.section(self.section_id)
        if not self._existed:
            section.texts.pop(self.lang, None)
            return
        assert self._old_rest is not None and self._edit is not None
        section.texts[self.lang] = replace(self._old_rest, body=self._edit.undo(section.text(self.lang).body))

    def changes(self) -> ChangeSet:
        if self._existed and self._old_rest == self._new_rest and self._edit is not None and self._edit.kind == "none":
            return ChangeSet.EMPTY
        return ChangeSet(texts=frozenset({(self.section_id, self.lang)}))


def _title_and_body_checked(section_id: str, lang: str, title: str | None, body: str | None) -> None:
    where = f"section[{section_id}].{lang}"
    if title is not None:
        require(text_problems(f"{where}.title", title, single_line=True))
    if body is not None:
        require(text_problems(f"{where}.body", body))


@dataclass
class SetSectionText(_TextChange):
    """Replace the title and/or body of one section in one language (None keeps it).

    An editor sends one command per change with the whole new body; the stack merges a run of
    them into one undo step (see merge()). After apply, body is None: the command keeps only
    the part of the body that changed (TextEdit).
    """

    title: str | None = None
    body: str | None = None
    description = "Edit section text"
    _body_only: bool = field(default=False, kw_only=True, repr=False)

    def __post_init__(self) -> None:
        self._body_only = self.body is not None and self.title is None

    def _check(self) -> None:
        _title_and_body_checked(self.section_id, self.lang, self.title, self.body)

    def _new_text(self, current: SectionText) -> SectionText:
        return replace(current, title=current.title if self.title is None else self.title,
                       body=current.body if self.body is None else self.body)

    def _release(self) -> None:
        self.body = None

    def merge_key(self) -> Hashable | None:
        # Only body edits merge: a title edit is a step of its own.
        return ("section-body", self.section_id, self.lang) if self._body_only else None

    def merge(self, later: Command, project: Project, run_seconds: float) -> bool:
        """Typing policy. A run of insertions at one place merges, and so does a run of deletions
        (Backspace, Delete); a paste over a selection, a replace, typing somewhere else, or a
        switch between typing and deleting starts a new step. A run of typing also ends before a
        new paragraph (inserted text with a line break), and, once it has lasted
        MERGE_SPAN_SECONDS, at the next word boundary: one long run of typing is a few steps, and
        undo never takes away half a word. (Pauses and saves end a run too: UndoStack.)"""
        if not isinstance(later, SetSectionText) or later.merge_key() != self.merge_key():
            return False
        if self._edit is None or later._edit is None or self._new_rest != later._old_rest:
            return False
        latest = project.section(self.section_id).text(self.lang).body
        before_later = later._edit.undo(latest)
        merged = TextEdit.between(self._edit.undo(before_later), latest)
        step = later._edit
        if not self._edit.kind == step.kind == merged.kind or step.kind not in ("insert", "delete"):
            return False
        if step.kind == "insert":
            previous = before_later[step.start - 1] if step.start else ""
            if "\n" in step.new or (run_seconds >= MERGE_SPAN_SECONDS and _is_word_boundary(previous, step.new)):
                return False
        self._edit, self._new_rest = merged, later._new_rest
        return True


MERGE_SPAN_SECONDS = 20.0
"""A run of typing merged into one undo step ends at the first word boundary after this long."""


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

    source_lang: str | None = None
    source_fingerprint: str | None = None
    state: str = ""
    title: str | None = None
    body: str | None = None
    description = "Update translation"

    def _check(self) -> None:
        if self.state not in SECTION_TEXT_STATES:
            raise InvalidValueError(f"section[{self.section_id}].{self.lang}.state", self.state,
                                    N_("is not one of {choices}"), choices="'', 'needs_review'")
        if self.source_lang is not None:
            _check_lang(self.section_id, self.source_lang)
        _title_and_body_checked(self.section_id, self.lang, self.title, self.body)

    def _new_text(self, current: SectionText) -> SectionText:
        return replace(current, title=current.title if self.title is None else self.title,
                       body=current.body if self.body is None else self.body,
                       source_lang=self.source_lang, source_fingerprint=self.source_fingerprint, state=self.state)

    def _release(self) -> None:
        self.body = None


@dataclass
class SetSectionTitle(_TextChange):
    """Rename a section in one language (its id, used by [[ref:…]], stays: see ChangeSectionId)."""

    title: str = ""
    description = "Rename section"

    def _check(self) -> None:
        _title_and_body_checked(self.section_id, self.lang, self.title, None)

    def _new_text(self, current: SectionText) -> SectionText:
        return replace(current, title=self.title)

"""The window's view of the open document's undo stack: runs the window's edits, turns stack
events into a Qt signal, and says in words what Undo and Redo will do.

Every edit the window makes goes through execute(command, how), which records how it was made
("typing", "formatting", "paste" …) and the section it concerns, so the Edit menu can say
"Undo typing in 2.1 Board statement". The stack is the only history: this class keeps a mirror
of its steps (the command objects, as the events name them) and never changes the project itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from esg_author.core.commands import (
    AddSection,
    Command,
    MoveSection,
    RemoveSection,
    SetSectionText,
    SetSectionTitle,
    SetTranslation,
    StackEvent,
    StackEventKind,
    UndoStack,
)
from esg_author.core.errors import EsgAuthorError
from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.ui import _
from esg_author.core.model import Project

logger = logging.getLogger(__name__)

# How an edit was made → (Undo text, Redo text). {section} is "2.1 Board statement".
_TEXTS: dict[str, tuple[str, str]] = {
    "typing": (N_("&Undo typing in {section}"), N_("&Redo typing in {section}")),
    "formatting": (N_("&Undo formatting in {section}"), N_("&Redo formatting in {section}")),
    "paste": (N_("&Undo paste in {section}"), N_("&Redo paste in {section}")),
    "cut": (N_("&Undo cut in {section}"), N_("&Redo cut in {section}")),
    "replace": (N_("&Undo replace in {section}"), N_("&Redo replace in {section}")),
    "text": (N_("&Undo text change in {section}"), N_("&Redo text change in {section}")),
    "rename": (N_("&Undo renaming {section}"), N_("&Redo renaming {section}")),
    "add": (N_("&Undo adding {section}"), N_("&Redo adding {section}")),
    "remove": (N_("&Undo deleting {section}"), N_("&Redo deleting {section}")),
    "move": (N_("&Undo moving {section}"), N_("&Redo moving {section}")),
}
_OTHER = (N_("&Undo {action}"), N_("&Redo {action}"))
_NOTHING = (N_("&Undo"), N_("&Redo"))


@dataclass
class _Step:
    command: Command
    how: str  # a key of _TEXTS, or "" for a command described by its own description
    section_id: str | None
    lang: str | None
    label: str  # the section as it was named when the edit was made


class EditHistory(QObject):
    project_changed = Signal(object)
    """A StackEvent: the project changed (or was saved); its changes name what."""
    edit_failed = Signal(object)
    """An edit was refused (a typed core error); nothing changed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack: UndoStack | None = None
        self._done: list[_Step] = []
        self._undone: list[_Step] = []
        self._pending: _Step | None = None
        self.label_language: str | None = None
        """The report language sections are named in (the window's); None: the project's first."""

    # -- attaching ---------------------------------------------------------------------------

    def attach(self, stack: UndoStack | None) -> None:
        """Follow this stack (a newly opened or reloaded document), or none."""
        if self._stack is not None:
            self._stack.unsubscribe(self._on_stack_event)
        self._stack = stack
        self._done, self._undone = [], []
        if stack is not None:
            stack.subscribe(self._on_stack_event)

    @property
    def project(self) -> Project | None:
        return None if self._stack is None else self._stack.project

    # -- editing -----------------------------------------------------------------------------

    def execute(self, command: Command, how: str = "") -> bool:
        """Run one edit; False (and edit_failed) when the core refuses it."""
        if self._stack is None:
            return False
        section_id, lang = _section_of(command)
        self._pending = _Step(command, how or _default_how(command), section_id, lang,
                              section_label(self._stack.project, section_id, self.label_language) if section_id else "")
        try:
            self._stack.execute(command)
        except EsgAuthorError as exc:
            self.edit_failed.emit(exc)
            return False
        finally:
            self._pending = None
        return True

    def undo(self) -> StackEvent | None:
        return self._move(self._stack.undo if self._stack else None)

    def redo(self) -> StackEvent | None:
        return self._move(self._stack.redo if self._stack else None)

    def _move(self, step: object) -> StackEvent | None:
        if step is None:
            return None
        events: list[StackEvent] = []
        self.project_changed.connect(events.append)
        try:
            step()  # type: ignore[operator]
        finally:
            self.project_changed.disconnect(events.append)
        return events[-1] if events else None

    # -- what undo and redo will do ----------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return self._stack is not None and self._stack.can_undo

    @property
    def can_redo(self) -> bool:
        return self._stack is not None and self._stack.can_redo

    def undo_text(self) -> str:
        """The Edit ▸ Undo menu text, with its mnemonic: "&Undo typing in 2.1 Board statement"."""
        return self._text(self._done[-1] if self.can_undo and self._done else None, 0)

    def redo_text(self) -> str:
        return self._text(self._undone[-1] if self.can_redo and self._undone else None, 1)

    def undo_target(self) -> tuple[str, str | None] | None:
        """The section (and language) the next undo changes, to show it before undoing."""
        step = self._done[-1] if self.can_undo and self._done else None
        return None if step is None or step.section_id is None else (step.section_id, step.lang)

    def redo_target(self) -> tuple[str, str | None] | None:
        step = self._undone[-1] if self.can_redo and self._undone else None
        return None if step is None or step.section_id is None else (step.section_id, step.lang)

    def _text(self, step: _Step | None, which: int) -> str:
        if step is None:
            return _(_NOTHING[which])
        if step.how in _TEXTS and step.label:
            return _(_TEXTS[step.how][which]).format(section=_escape_mnemonic(step.label))
        action = _(step.command.description)
        return _(_OTHER[which]).format(action=_escape_mnemonic(action[:1].lower() + action[1:]))

    # -- following the stack -----------------------------------------------------------------

    def _on_stack_event(self, event: StackEvent) -> None:
        stack = self._stack
        assert stack is not None
        if event.kind == StackEventKind.EXECUTED:
            pending = self._pending
            if pending is None or pending.command is not event.command:  # run on the stack directly
                assert event.command is not None
                section_id, lang = _section_of(event.command)
                pending = _Step(event.command, _default_how(event.command), section_id, lang,
                                section_label(stack.project, section_id, self.label_language) if section_id else "")
            self._done.append(pending)
            self._undone.clear()
        elif event.kind == StackEventKind.UNDONE and self._done:
            self._undone.append(self._done.pop())
        elif event.kind == StackEventKind.REDONE and self._undone:
            self._done.append(self._undone.pop())
        if len(self._done) != stack.undo_count:
            # A run of edits that ended where it began leaves no step (merged away), or the mirror
            # lost track: keep what matches and describe the rest generically.
            logger.debug("edit history: %d steps mirrored, %d on the stack", len(self._done), stack.undo_count)
            del self._done[stack.undo_count:]
        if not stack.can_redo:
            self._undone.clear()
        self.project_changed.emit(event)


def section_label(project: Project | None, section_id: str | None, lang: str | None = None) -> str:
    """A section as the UI names it: its printed number and title ("2.1 Board statement")."""
    if project is None or section_id is None or not project.has_section(section_id):
        return section_id or ""
    section = project.section(section_id)
    lang = lang or project.meta.languages[0]
    title = section.text(lang).title or next((t.title for t in section.texts.values() if t.title), "") or section_id
    number = project.section_numbers().get(section_id)
    return f"{number} {title}" if number else title


def _section_of(command: Command) -> tuple[str | None, str | None]:
    if isinstance(command, AddSection):
        return command.section.id, None
    section_id = getattr(command, "section_id", None)
    lang = getattr(command, "lang", None)
    return (section_id if isinstance(section_id, str) else None), (lang if isinstance(lang, str) else None)


def _default_how(command: Command) -> str:
    if isinstance(command, SetSectionTitle):
        return "rename"
    if isinstance(command, SetSectionText | SetTranslation):
        return "text"
    if isinstance(command, AddSection):
        return "add"
    if isinstance(command, RemoveSection):
        return "remove"
    if isinstance(command, MoveSection):
        return "move"
    return ""


def _escape_mnemonic(text: str) -> str:
    return text.replace("&", "&&")

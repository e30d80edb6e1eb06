"""The undo stack: runs commands on one project, keeps the undo/redo history, merges runs of
small edits, knows whether the project differs from the last save, and tells listeners what
happened and what changed.

Events. subscribe(listener) calls listener(event) after every change, with a StackEvent:

    executed  a command ran;                        changes = command.changes()
    merged    a command was folded into the last step (typing); command is that step,
              changes = what the folded command changed
    undone    the last step was reverted;           changes = command.changes().inverted()
    redone    an undone step ran again;             changes = command.changes()
    cleaned   the project was saved (mark_clean);   command None, changes empty

A command that changes nothing (the same text, the same value) is not recorded and sends no
event. Views refresh what the changes name, never everything.

Merging. A command merges into the last step when both have the same merge_key() (the same
section text, the same KPI cell), it comes at most merge_pause seconds (MERGE_PAUSE_SECONDS)
after the previous edit, the last step is not the saved state (mark_clean closes it) and was
not just undone or redone, and the step's merge() accepts it (SetSectionText's typing policy).
The clock is injectable for tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from esg_author.core.commands.base import Command
from esg_author.core.commands.changes import ChangeSet
from esg_author.core.model import Project

MERGE_PAUSE_SECONDS = 2.0
"""A pause longer than this between two edits of the same field starts a new undo step."""


class StackEventKind(StrEnum):
    EXECUTED = "executed"
    MERGED = "merged"
    UNDONE = "undone"
    REDONE = "redone"
    CLEANED = "cleaned"


@dataclass(frozen=True)
class StackEvent:
    kind: StackEventKind
    command: Command | None
    changes: ChangeSet


Listener = Callable[[StackEvent], None]


class UndoStack:
    """Runs commands on one project and keeps undo/redo history and the saved state."""

    def __init__(self, project: Project, *, clock: Callable[[], float] = time.monotonic,
                 merge_pause: float = MERGE_PAUSE_SECONDS) -> None:
        self.project = project
        self.clock = clock
        self.merge_pause = merge_pause
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean_depth: int | None = 0
        self._listeners: list[Listener] = []
        self._merge_open = False  # the last step may take further edits
        self._step_started = 0.0  # when the last step's first edit was made
        self._last_edit = 0.0  # when the last step was last extended

    # -- listeners ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """listener(event) is called after every execute, merge, undo, redo and mark_clean."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _notify(self, kind: StackEventKind, command: Command | None, changes: ChangeSet) -> None:
        event = StackEvent(kind, command, changes)
        for listener in list(self._listeners):
            listener(event)

    # -- running commands --------------------------------------------------------------------

    def execute(self, command: Command) -> None:
        """Apply command and record it (or fold it into the last step). An invalid command raises
        before anything is changed or recorded."""
        command.apply(self.project)
        changes = command.changes()
        if changes.is_empty:
            return  # nothing changed: no step, no event
        moment = self.clock()
        if self._try_merge(command, moment):
            top = self._done[-1]
            if top.changes().is_empty:  # edits that ended where they began leave no step
                self._done.pop()
                self._merge_open = False
            self._notify(StackEventKind.MERGED, top, changes)
            return
        self._done.append(command)
        if self._clean_depth is not None and self._clean_depth > len(self._done) - 1:
            self._clean_depth = None  # the saved state was in the discarded redo branch
        self._undone.clear()
        self._merge_open = True
        self._step_started = self._last_edit = moment
        self._notify(StackEventKind.EXECUTED, command, changes)

    def _try_merge(self, command: Command, moment: float) -> bool:
        if not self._merge_open or not self._done or self._clean_depth == len(self._done):
            return False
        top = self._done[-1]
        key = command.merge_key()
        if key is None or top.merge_key() != key or moment - self._last_edit > self.merge_pause:
            return False
        if not top.merge(command, self.project, moment - self._step_started):
            return False
        self._last_edit = moment
        return True

    def undo(self) -> Command | None:
        if not self._done:
            return None
        command = self._done.pop()
        command.revert(self.project)
        self._undone.append(command)
        self._merge_open = False
        self._notify(StackEventKind.UNDONE, command, command.changes().inverted())
        return command

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        command.apply(self.project)
        self._done.append(command)
        self._merge_open = False
        self._notify(StackEventKind.REDONE, command, command.changes())
        return command

    # -- state -------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].description if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].description if self._undone else ""

    @property
    def undo_count(self) -> int:
        """How many steps can be undone."""
        return len(self._done)

    @property
    def is_clean(self) -> bool:
        return self._clean_depth == len(self._done)

    def mark_clean(self) -> None:
        """The project was just saved: this is the state is_clean compares with. The last step
        takes no further edits, so undo after a save always returns to the saved text."""
        self._clean_depth = len(self._done)
        self._merge_open = False
        self._notify(StackEventKind.CLEANED, None, ChangeSet.EMPTY)

"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from esg_author.core.commands import Command, UndoStack
    from esg_author.core.document import Document
    from esg_author.core.model import KpiValue, Project

BREAK_LOCK_HELP = "take over the project's lock, e.g. one left behind by a crashed session on another computer"


def split_list(value: str | None) -> list[str] | None:
    """"a, b" → ["a", "b"]; None or "" → None."""
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


def add_break_lock_option(parser: argparse.ArgumentParser) -> None:
    """--break-lock for a command that edits the project (see editing_project)."""
    parser.add_argument("--break-lock", action="store_true", help=BREAK_LOCK_HELP)


@dataclass
class ProjectEdit:
    """A project opened by editing_project(): commands run through apply() (or on stack) are
    saved at the end; changing the project any other way is not."""

    document: Document
    dry_run: bool = False
    saved: bool = False

    @property
    def project(self) -> Project:
        return self.document.project

    @property
    def path(self) -> Path:
        assert self.document.path is not None
        return self.document.path

    @property
    def stack(self) -> UndoStack:
        return self.document.stack

    @property
    def changed(self) -> bool:
        """Whether commands changed the project (still true once editing_project saved it)."""
        return self.saved or self.document.is_dirty

    def apply(self, command: Command) -> None:
        """Run a command on the project; the project is then saved when the edit ends."""
        self.document.stack.execute(command)


@contextmanager
def editing_project(path: Path, dry_run: bool = False, break_lock: bool = False) -> Iterator[ProjectEdit]:
    """Open the project and lock it (not for a dry run), and save it atomically on a clean exit
    when a command changed it and it is not a dry run; the lock is released in any case.

    The lock keeps the desktop app from saving over our change while we work, and the save is
    refused (ExternalChangeError) if the file changed on disk meanwhile. break_lock takes over a
    lock held elsewhere (a crashed session on another computer leaves one behind).
    """
    from esg_author.core.document import Document

    document = Document.open(path, break_lock, read_only=dry_run)
    try:
        edit = ProjectEdit(document, dry_run)
        yield edit
        if edit.changed and not dry_run:
            document.save()
            edit.saved = True
    finally:
        document.close()


def shown_value(value: KpiValue | None) -> str:
    """A KPI value in one short line for listings: 1234.5, 4.5/5, not applicable, (empty)."""
    if value is None:
        return "(empty)"
    if not value.is_numeric:
        return value.kind.replace("_", " ")
    return f"{value.number}/{value.maximum}" if value.kind == "score" else str(value.number)


class progress:
    """A tqdm progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int, label: str, enabled: bool = True) -> None:
        self.total, self.label, self.enabled = total, label, enabled

    def __enter__(self) -> Callable[[str], None]:
        from tqdm import tqdm

        # No monitor thread: builds fork their workers only from a single-threaded process.
        tqdm.monitor_interval = 0
        self.bar = tqdm(total=self.total, desc=self.label, unit="step", file=sys.stderr,
                        disable=None if self.enabled else True, leave=False)

        def advance(text: str) -> None:
            self.bar.set_postfix_str(text)
            self.bar.update(1)

        return advance

    def __exit__(self, *exc: object) -> None:
        self.bar.close()

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
    from esg_author.core.commands import Command
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
    """A project opened by editing_project(): set changed (apply() does) to have it saved."""

    project: Project
    path: Path
    dry_run: bool = False
    changed: bool = False

    def apply(self, command: Command) -> None:
        """Run a command on the project and mark the project changed."""
        command.apply(self.project)
        self.changed = True


@contextmanager
def editing_project(path: Path, dry_run: bool = False, break_lock: bool = False) -> Iterator[ProjectEdit]:
    """Lock the project (not for a dry run), open it, and save it atomically on a clean exit when
    the caller marked it changed and it is not a dry run; the lock is released in any case.

    The lock keeps the desktop app from saving over our change while we work. break_lock takes
    over a lock held elsewhere (a crashed session on another computer leaves one behind).
    """
    from esg_author.core.storage import ProjectLock, open_project, save_project

    lock = ProjectLock(path)
    if not dry_run:
        lock.acquire(force=break_lock)
    try:
        edit = ProjectEdit(open_project(path), path, dry_run)
        yield edit
        if edit.changed and not dry_run:
            save_project(edit.project, path)
    finally:
        lock.release()


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

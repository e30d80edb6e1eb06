"""A lock file that marks a project open for editing, so two people do not overwrite each other.

The lock sits beside the project as `.~lock.<name>#` and says who holds it. A lock left behind by
a process that no longer runs on this machine is stale and taken over; one held by another
machine or a live process is reported with its owner.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from esg_author.core.errors import ProjectLockedError

logger = logging.getLogger(__name__)


def lock_path_for(project_path: Path) -> Path:
    return project_path.with_name(f".~lock.{project_path.name}#")


class ProjectLock:
    def __init__(self, project_path: Path) -> None:
        self.project_path = Path(project_path)
        self.path = lock_path_for(self.project_path)
        self.held = False

    def acquire(self, force: bool = False) -> None:
        owner = self.read_owner()
        if owner is not None and not force and not self._is_stale(owner):
            raise ProjectLockedError(self.project_path, _describe(owner))
        if owner is not None:
            logger.info("Taking over lock %s held by %s", self.path, _describe(owner))
            self.path.unlink(missing_ok=True)
        record = {
            "user": _user(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            # O_EXCL: if someone else created it in the meantime, we lose the race honestly.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise ProjectLockedError(self.project_path, _describe(self.read_owner() or {})) from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        self.held = True

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False

    def read_owner(self) -> dict[str, object] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"user": "unknown", "host": "unknown"}  # unreadable lock: treat as held
        return data if isinstance(data, dict) else {"user": "unknown", "host": "unknown"}

    def __enter__(self) -> ProjectLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    @staticmethod
    def _is_stale(owner: dict[str, object]) -> bool:
        if owner.get("host") != socket.gethostname():
            return False
        pid = owner.get("pid")
        if not isinstance(pid, int):
            return False
        return not _process_alive(pid)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth failing for
        return "unknown"


def _describe(owner: dict[str, object]) -> str:
    return f"{owner.get('user', 'unknown')} on {owner.get('host', 'unknown')} since {owner.get('since', '?')}"

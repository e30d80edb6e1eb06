"""A lock file that marks a project open for editing, so two people do not overwrite each other.

The lock sits beside the project as `.~lock.<name>#` and says who holds it. A lock left behind by
a process that no longer runs on this machine is stale and taken over; one held by another
machine or a live process is reported with its owner (`acquire(force=True)` breaks it anyway).

Taking over a stale lock removes it only if it still holds exactly what we judged stale, then
creates ours with O_EXCL, so a second process taking over at the same moment either finds our
lock and is refused, or wins the O_EXCL race and we are refused. The one window left is two
processes that both re-read the stale lock before either removes it; closing it would need OS
file locks, which network shares do not implement reliably. A lock file is a courtesy between
editors, not a guarantee.
"""

from __future__ import annotations

import ctypes
import getpass
import json
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from esg_author.core.errors import LockFileError, ProjectLockedError

logger = logging.getLogger(__name__)

_ON_WINDOWS = os.name == "nt"

# Windows API constants (winnt.h, minwinbase.h, winerror.h).
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
STILL_ACTIVE = 259
ERROR_ACCESS_DENIED = 5


def lock_path_for(project_path: Path) -> Path:
    return project_path.with_name(f".~lock.{project_path.name}#")


class ProjectLock:
    def __init__(self, project_path: Path) -> None:
        self.project_path = Path(project_path)
        self.path = lock_path_for(self.project_path)
        self.held = False
        # Tells our own lock file from one another window of this same process wrote.
        self._token = uuid.uuid4().hex

    def acquire(self, force: bool = False) -> None:
        """Take the lock; raises ProjectLockedError naming the owner when someone holds it, and
        LockFileError when the lock file cannot be written (a read-only folder).

        Calling it again on a lock this object holds does nothing. force=True breaks a lock held
        by anyone else (another machine, a live process): the user's explicit "open anyway".
        """
        if self.held and self._file_is_ours():
            return
        self.held = False
        raw = _read_raw(self.path)
        if raw is not None:
            owner = _parse(raw)
            if not force and not self._is_stale(owner):
                raise ProjectLockedError(self.project_path, _describe(owner))
            logger.info("Taking over lock %s held by %s", self.path, _describe(owner))
            self._remove_if_unchanged(raw)
        record = {
            "user": _user(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
            "token": self._token,
        }
        try:
            # O_EXCL: if someone else created it in the meantime, we lose the race honestly.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise ProjectLockedError(self.project_path, _describe(self.read_owner() or {})) from None
        except OSError as exc:
            raise LockFileError(self.project_path, f"{self.path.name} cannot be created ({exc.strerror or exc})") from exc
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record, handle)
        except OSError as exc:
            self.path.unlink(missing_ok=True)  # an empty or partial lock of ours would block others
            raise LockFileError(self.project_path, f"{self.path.name} cannot be written ({exc.strerror or exc})") from exc
        self.held = True

    def release(self) -> None:
        if self.held:
            # Only our own lock: if someone broke it with force and holds it now, it is theirs.
            if self._file_is_ours():
                self.path.unlink(missing_ok=True)
            self.held = False

    def read_owner(self) -> dict[str, object] | None:
        raw = _read_raw(self.path)
        return None if raw is None else _parse(raw)

    def is_held_by_this_process(self) -> bool:
        """Whether the lock file names this very process on this machine (any ProjectLock of it,
        e.g. the window that already has the project open)."""
        owner = self.read_owner()
        return owner is not None and owner.get("host") == socket.gethostname() and owner.get("pid") == os.getpid()

    def __enter__(self) -> ProjectLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _file_is_ours(self) -> bool:
        owner = self.read_owner()
        return (owner is not None and owner.get("host") == socket.gethostname()
                and owner.get("pid") == os.getpid() and owner.get("token") == self._token)

    def _remove_if_unchanged(self, stale: bytes) -> None:
        current = _read_raw(self.path)
        if current is None:
            return  # its owner released it meanwhile
        if current != stale:
            # Someone else took it over or re-locked it since we read it: theirs now.
            raise ProjectLockedError(self.project_path, _describe(_parse(current)))
        self.path.unlink(missing_ok=True)

    @staticmethod
    def _is_stale(owner: dict[str, object]) -> bool:
        if owner.get("host") != socket.gethostname():
            return False
        pid = owner.get("pid")
        if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
            return False  # cannot tell whose it is: respect it (the user may break it)
        return not _process_alive(pid)


def _read_raw(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return b""  # unreadable lock: parsed as an unknown owner, so it is treated as held


def _parse(raw: bytes) -> dict[str, object]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return {"user": "unknown", "host": "unknown"}
    return data if isinstance(data, dict) else {"user": "unknown", "host": "unknown"}


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if _ON_WINDOWS:
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _windows_process_alive(pid: int, kernel32: Any = None,
                           last_error: Callable[[], int] | None = None) -> bool:
    """Whether a Windows process runs. os.kill(pid, 0) cannot tell there: signal 0 is
    CTRL_C_EVENT. kernel32 and last_error are injectable for tests on other systems."""
    from ctypes import wintypes

    if kernel32 is None:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
        kernel32.OpenProcess.restype = wintypes.HANDLE
        kernel32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
        kernel32.GetExitCodeProcess.restype = wintypes.BOOL
        kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
        kernel32.CloseHandle.restype = wintypes.BOOL
        last_error = ctypes.get_last_error  # type: ignore[attr-defined]
    if pid > 0xFFFFFFFF:
        return False  # not a Windows process id
    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        # Access denied: the process exists but belongs to someone else. Anything else
        # (ERROR_INVALID_PARAMETER): there is no such process.
        return last_error is not None and last_error() == ERROR_ACCESS_DENIED
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.pointer(code)):
            return True  # cannot tell: a live owner's lock must never be taken over
        return code.value == STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not worth failing for
        return "unknown"


def _describe(owner: dict[str, object]) -> str:
    text = f"{owner.get('user', 'unknown')} on {owner.get('host', 'unknown')} since {owner.get('since', '?')}"
    if owner.get("host") == socket.gethostname() and owner.get("pid") == os.getpid():
        text += ", in another window of this program"
    return text

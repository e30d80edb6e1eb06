"""What a project file looked like when it was read or written: size, modification time, hash.

A document keeps the identity of the file it was opened from and compares it with the file on
disk before every save, so a save never silently replaces a version written by someone else (the
command line, another computer after a broken lock, a sync tool restoring an older copy).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileIdentity:
    size: int
    mtime_ns: int
    sha256: str

    @staticmethod
    def of_bytes(data: bytes, stat: os.stat_result) -> FileIdentity:
        """The identity of bytes just read from (or written to) a file with this stat."""
        return FileIdentity(len(data), stat.st_mtime_ns, hashlib.sha256(data).hexdigest())

    @staticmethod
    def of_file(path: Path) -> FileIdentity:
        """Read and hash the file; raises OSError (FileNotFoundError when it does not exist)."""
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            size = 0
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
        return FileIdentity(size, stat.st_mtime_ns, digest.hexdigest())

    def to_dict(self) -> dict[str, object]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}

    @staticmethod
    def from_dict(data: object) -> FileIdentity | None:
        """The identity stored by to_dict, or None when data is not one."""
        if not isinstance(data, dict):
            return None
        size, mtime_ns, sha256 = data.get("size"), data.get("mtime_ns"), data.get("sha256")
        if (not isinstance(size, int) or isinstance(size, bool) or not isinstance(mtime_ns, int)
                or isinstance(mtime_ns, bool) or not isinstance(sha256, str)):
            return None
        return FileIdentity(size, mtime_ns, sha256)


def stat_differs(identity: FileIdentity, path: Path) -> bool:
    """Whether the file's size or modification time is no longer what identity recorded (cheap:
    no read; a GUI can call it every few seconds). A missing or unreadable file differs."""
    try:
        stat = path.stat()
    except OSError:
        return True
    return stat.st_size != identity.size or stat.st_mtime_ns != identity.mtime_ns


def describe_change(expected: FileIdentity | None, path: Path) -> str | None:
    """What is different about the file at path from expected (None: no file was expected there),
    in a few words for an error message; None when it is exactly as expected."""
    try:
        current = FileIdentity.of_file(path)
    except FileNotFoundError:
        return None if expected is None else "it no longer exists (moved, renamed or deleted)"
    except OSError as exc:
        return f"it cannot be read to compare it ({exc.strerror or exc})"
    if expected is None:
        return f"a file of {current.size} bytes was created there, modified {_time(current.mtime_ns)}"
    if current == expected:
        return None
    changes = []
    if current.sha256 != expected.sha256:
        if current.size != expected.size:
            changes.append(f"its content changed ({expected.size} → {current.size} bytes)")
        else:
            changes.append("its content changed (same size)")
    if current.mtime_ns != expected.mtime_ns:
        changes.append(f"it was modified {_time(current.mtime_ns)} (expected {_time(expected.mtime_ns)})")
        if current.sha256 == expected.sha256:
            changes.append("the content is the same")
    return "; ".join(changes)


def _time(mtime_ns: int) -> str:
    return datetime.fromtimestamp(mtime_ns / 1e9).astimezone().isoformat(timespec="seconds")

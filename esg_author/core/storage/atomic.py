"""The one way esg-author writes a file: readers see the old file or the new one, never a mix.

A temporary file is written in the target's own folder (so os.replace is a rename on the same
file system, also on network drives), flushed to disk with fsync, then moved over the target.
If anything fails, the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once at import, before any worker thread
    # writes files, because a thread creating a file in between would get mode 0o666/0o777.
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def atomic_replace(target: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp_path) to produce the new content, then atomically move it onto target."""
    target = Path(target)
    folder = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp creates the file private (0600); give it the mode an ordinary write would (or
        # the replaced file's), so a PDF or an HTML folder can be shared or served as usual.
        os.chmod(tmp, _mode_for(target))
        _fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    atomic_replace(Path(target), lambda tmp: tmp.write_bytes(data))


def atomic_write_text(target: Path, text: str) -> None:
    atomic_write_bytes(Path(target), text.encode("utf-8"))


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on Windows.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

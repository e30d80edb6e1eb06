"""The open document an editor and the command line share: open, lock, edit, save, autosave, recover.

A Document owns one Project, its UndoStack, the lock file and the identity (size, modification
time, SHA-256) of the file as it was read or last written. Every piece has one rule:

- Opening reads first and locks only after the file opened (as novelWriter does): a file that
  does not open leaves no lock behind. A save by someone else between the read and the lock is
  caught because the file is compared again once the lock is held, and before every save.
- Saving re-checks the file on disk and refuses, with ExternalChangeError, to replace a version
  this document did not read or write; the caller then saves under another name or overwrites.
- Autosave writes a recovery copy of the in-memory project to the user data folder, never over
  the user's file, through the atomic-write helper: a kill at any moment leaves no copy or a
  complete one. The copy is removed on a clean save and on close.

The folder and its files are documented in docs/file-format.md ("Recovery copies").
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import esg_author.core.vocabulary  # noqa: F401 - opened projects are validated with units, formulas, frameworks
from esg_author import __version__
from esg_author.core.commands import UndoStack
from esg_author.core.errors import EsgAuthorError, ExternalChangeError, ProjectFormatError, ProjectSaveError
from esg_author.core.model import Project
from esg_author.core.paths import recovery_dir
from esg_author.core.storage import (
    FileIdentity,
    ProjectLock,
    atomic_write_text,
    load_project_file,
    read_project_uuid,
    save_project,
)
from esg_author.core.storage.identity import describe_change, stat_differs
from esg_author.core.storage.project_file import PROJECT_SUFFIX

logger = logging.getLogger(__name__)

DEFAULT_AUTOSAVE_INTERVAL = 120.0
"""Seconds of unsaved changes before autosave_if_due writes a recovery copy, and between copies."""
RECOVERY_SIDECAR_SUFFIX = ".json"
_SIDECAR_FORMAT = 1


class Document:
    """One project open for editing. Build it with open(), new() or recover(), not directly.

    project and stack are the Project and its UndoStack; change the project through
    stack.execute so that is_dirty and autosave see the change. A document opened read_only
    holds no lock and cannot save() (save_as() takes a lock on the new file).
    """

    def __init__(self, project: Project, path: Path | None, *, lock: ProjectLock | None = None,
                 identity: FileIdentity | None = None, read_only: bool = False, dirty: bool = False,
                 autosave_interval: float = DEFAULT_AUTOSAVE_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        self.autosave_interval = autosave_interval
        self.clock = clock
        self._lock = lock
        # The file as this document last read or wrote it; None: no file is expected at path.
        self._identity = identity
        # Unsaved although the stack is clean: a new project, a recovered copy.
        self._dirty_without_commands = dirty
        # Names this document's recovery copy when it holds no lock (an unsaved or read-only
        # document), so two of them never write over each other's copy.
        self._token = secrets.token_hex(6)
        self._dirty_since: float | None = clock() if dirty else None
        self._last_autosave: float | None = None
        self._changed_since_autosave = False
        self._written_copy: str | None = None  # stem of the recovery copy this document wrote
        self._cleaned_leftovers = False
        self._recovered_from: RecoveryCopy | None = None
        self.stack = UndoStack(project)
        self.stack.subscribe(self._on_stack_changed)

    # -- making documents ------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, break_lock: bool = False, *, read_only: bool = False,
             autosave_interval: float = DEFAULT_AUTOSAVE_INTERVAL,
             clock: Callable[[], float] = time.monotonic) -> Document:
        """Read the project at path, then lock it (unless read_only).

        Raises ProjectFormatError (nothing locked), ProjectLockedError naming the owner, or
        LockFileError (a read-only folder: open it read_only instead); break_lock takes over a
        lock held elsewhere (the user's explicit "open anyway").
        """
        path = Path(path)
        loaded = load_project_file(path)
        lock = None
        if not read_only:
            lock = ProjectLock(path)
            lock.acquire(force=break_lock)
            try:
                if stat_differs(loaded.identity, path):
                    # Saved by someone else between our read and our lock: read what is there now.
                    loaded = load_project_file(path)
            except BaseException:
                lock.release()
                raise
        return cls(loaded.project, path, lock=lock, identity=loaded.identity, read_only=read_only,
                   autosave_interval=autosave_interval, clock=clock)

    @classmethod
    def new(cls, project: Project, path: Path | str | None = None, *,
            autosave_interval: float = DEFAULT_AUTOSAVE_INTERVAL,
            clock: Callable[[], float] = time.monotonic) -> Document:
        """A project not saved yet (dirty until it is). With a path, that file is locked now and
        save() writes it, refusing with ExternalChangeError if a file already exists there."""
        lock = None
        if path is not None:
            path = Path(path)
            lock = ProjectLock(path)
            lock.acquire()
        return cls(project, None if path is None else Path(path), lock=lock, dirty=True,
                   autosave_interval=autosave_interval, clock=clock)

    @classmethod
    def recover(cls, copy: RecoveryCopy, break_lock: bool = False, *,
                autosave_interval: float = DEFAULT_AUTOSAVE_INTERVAL,
                clock: Callable[[], float] = time.monotonic) -> Document:
        """Open a recovery copy as a dirty document bound to its original path (locked there).

        Saving it is checked against the file as it was when the edits were made: if the file
        changed since, save() raises ExternalChangeError. The copy stays until the recovered
        document is saved or closed. Raises ProjectFormatError for a damaged copy.
        """
        if copy.problem is not None:
            raise ProjectFormatError(copy.path, copy.problem)
        project = load_project_file(copy.path).project
        lock = None
        if copy.original_path is not None:
            lock = ProjectLock(copy.original_path)
            lock.acquire(force=break_lock)
        document = cls(project, copy.original_path, lock=lock, identity=copy.base, dirty=True,
                       autosave_interval=autosave_interval, clock=clock)
        document._recovered_from = copy
        return document

    # -- state -----------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        return self.stack.project

    @property
    def is_dirty(self) -> bool:
        """Whether the project differs from the file (or was never saved)."""
        return self._dirty_without_commands or not self.stack.is_clean

    @property
    def holds_lock(self) -> bool:
        return self._lock is not None and self._lock.held

    def changed_on_disk(self) -> bool:
        """Whether the file's size or modification time changed since this document read or
        wrote it (or a file appeared where none was expected). Cheap enough to poll: it does not
        read the file, so a same-size change within the file system's time resolution is only
        found by save(), which compares hashes."""
        if self.path is None:
            return False
        if self._identity is None:
            return self.path.exists()
        return stat_differs(self._identity, self.path)

    # -- saving ----------------------------------------------------------------------------

    def save(self, overwrite: bool = False) -> None:
        """Write the project to its file and mark it clean.

        Raises ExternalChangeError, writing nothing, when the file changed on disk since it was
        opened or last saved; overwrite=True writes anyway (the user chose to replace it).
        """
        if self.path is None:
            raise ValueError("this document has no file yet; use save_as(path)")
        if self.read_only:
            raise ProjectSaveError(self.path, "the project was opened read-only (it is open elsewhere); "
                                              "save it under another name")
        if not overwrite:
            self._check_unchanged_on_disk()
        self._saved(save_project(self.project, self.path))

    def save_as(self, path: Path | str) -> None:
        """Write the project to another file and continue there: the lock moves to the new file.

        An existing file at path is replaced (the caller has asked the user). Saving as the
        document's own file is save(overwrite=True).
        """
        path = Path(path)
        if self.path is not None and _same_file(path, self.path):
            self.save(overwrite=True)
            return
        if not path.parent.is_dir():
            raise ProjectSaveError(path, "the folder does not exist")
        lock = ProjectLock(path)
        lock.acquire()  # ProjectLockedError: open elsewhere; nothing changes
        try:
            identity = save_project(self.project, path)
        except BaseException:
            lock.release()
            raise
        if self._lock is not None:
            self._lock.release()
        self._lock, self.path, self.read_only = lock, path, False
        self._saved(identity)

    def reload(self) -> None:
        """Read the file again, dropping unsaved changes and the undo history; the lock is kept.

        Replaces stack (views subscribe to the new one). On an error nothing changes.
        """
        if self.path is None:
            raise ValueError("this document has no file to reload")
        loaded = load_project_file(self.path)
        self.discard_recovery()
        self.stack = UndoStack(loaded.project)
        self.stack.subscribe(self._on_stack_changed)
        self._identity = loaded.identity
        self._dirty_without_commands = False
        self._dirty_since = None
        self._changed_since_autosave = False

    def close(self) -> None:
        """Release the lock and remove the recovery copy. Unsaved changes are dropped: a caller
        with a user asks first. Calling it again does nothing."""
        self.discard_recovery()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_unchanged_on_disk(self) -> None:
        assert self.path is not None
        change = describe_change(self._identity, self.path)
        if change is not None:
            raise ExternalChangeError(self.path, change)

    def _saved(self, identity: FileIdentity) -> None:
        self._identity = identity
        self._dirty_without_commands = False
        self.stack.mark_clean()
        self.discard_recovery()

    # -- autosave and recovery -------------------------------------------------------------

    def autosave(self) -> Path:
        """Write a recovery copy of the project now; returns its path. Raises ProjectSaveError
        naming the copy when the user data folder cannot be written; the user's file is never
        touched."""
        return self._autosave(self.clock())

    def _autosave(self, now: float) -> Path:
        folder = recovery_dir()
        stem = self._recovery_stem()
        copy_path = folder / f"{stem}{PROJECT_SUFFIX}"
        sidecar_path = folder / f"{stem}{RECOVERY_SIDECAR_SUFFIX}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectSaveError(copy_path, f"the recovery folder cannot be created ({exc.strerror or exc})") from exc
        if self._written_copy not in (None, stem):
            _remove_copy(folder, self._written_copy)  # the uuid or the file changed since
        if not self._cleaned_leftovers:
            _remove_temp_files(folder, stem)
            self._cleaned_leftovers = True
        sidecar = {
            "format": _SIDECAR_FORMAT,
            "uuid": self.project.meta.uuid,
            "original_path": None if self.path is None else str(Path(os.path.abspath(self.path))),
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": __version__,
            "base": None if self._identity is None else self._identity.to_dict(),
        }
        # The description first, then the copy: a kill in between leaves a description without a
        # copy, which is no recovery copy; a copy is listed only once it is complete.
        try:
            atomic_write_text(sidecar_path, json.dumps(sidecar, ensure_ascii=False, indent=1))
        except OSError as exc:
            raise ProjectSaveError(sidecar_path, str(exc.strerror or exc)) from exc
        save_project(self.project, copy_path)
        self._written_copy = stem
        self._last_autosave = now
        self._changed_since_autosave = False
        logger.debug("Autosaved %s to %s", self.path or "an unsaved project", copy_path)
        return copy_path

    def autosave_if_due(self, now: float | None = None) -> bool:
        """Autosave when the project has had unsaved changes for autosave_interval seconds, and
        then at most once per interval while it keeps changing; returns whether it wrote.

        now is a reading of the document's clock (time.monotonic unless one was given). Undoing
        back to the saved state removes the recovery copy instead.
        """
        now = self.clock() if now is None else now
        if not self.is_dirty:
            if self._written_copy is not None:
                self.discard_recovery()
            return False
        has_copy = self._written_copy is not None or self._recovered_from is not None
        if has_copy and not self._changed_since_autosave:
            return False
        if self._dirty_since is None:
            self._dirty_since = now
        start = self._dirty_since if self._last_autosave is None else max(self._dirty_since, self._last_autosave)
        if now - start < self.autosave_interval:
            return False
        self._autosave(now)
        return True

    def discard_recovery(self) -> None:
        """Remove this document's recovery copy (and the copy it was recovered from)."""
        if self._written_copy is not None:
            _remove_copy(recovery_dir(), self._written_copy)
            self._written_copy = None
        if self._recovered_from is not None:
            self._recovered_from.discard()
            self._recovered_from = None
        self._last_autosave = None

    def _recovery_stem(self) -> str:
        project_id = _safe_uuid(self.project.meta.uuid)
        if self.path is not None and self.holds_lock and not self.read_only:
            # One writer per file (the lock), so the file names the copy: a new session on the
            # same file replaces the copy a crashed one left instead of piling up more.
            return f"{project_id}-{_path_key(self.path)}"
        return f"{project_id}-{self._token}"

    def _on_stack_changed(self, *_event: object) -> None:
        # Any notification (execute, undo, redo, mark_clean); its arguments are not needed here.
        if self.is_dirty:
            if self._dirty_since is None:
                self._dirty_since = self.clock()
            self._changed_since_autosave = True
        else:
            self._dirty_since = None
            self._changed_since_autosave = False


# -- recovery copies on disk ----------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryCopy:
    """An autosaved copy found in the recovery folder, with what its description file says.

    problem is set (and the rest may be unknown) when the copy or its description is damaged:
    show it to the user, and let them discard it; Document.recover refuses it.
    """

    path: Path
    sidecar: Path
    uuid: str | None
    original_path: Path | None
    saved_at: str | None
    app_version: str | None
    base: FileIdentity | None
    modified_ns: int
    problem: str | None = None

    def discard(self) -> None:
        """Delete the copy and its description (the user chose not to recover it)."""
        for path in (self.path, self.sidecar):
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                logger.warning("Cannot remove recovery file %s: %s", path, exc)


def list_recovery_copies() -> list[RecoveryCopy]:
    """Every recovery copy in the recovery folder, newest first (damaged ones with a problem)."""
    folder = recovery_dir()
    try:
        candidates = sorted(folder.glob(f"*{PROJECT_SUFFIX}"))
    except OSError:
        return []
    copies = [_read_copy(path) for path in candidates if not path.name.startswith(".")]
    return sorted((c for c in copies if c is not None), key=lambda c: c.modified_ns, reverse=True)


def recoverable(path: Path | str) -> list[RecoveryCopy]:
    """Recovery copies of the project at path that hold changes the file does not have.

    A copy belongs to the file when it was autosaved from that path, or when it carries the
    file's project uuid and the path it was autosaved from no longer exists (the file was moved
    or renamed since). It is listed when it is newer than the file, or the file is still the
    version the copy's edits were made on (a network share's clock may differ from ours), or
    the file is missing. Damaged copies of the file are listed too, with their problem.
    """
    path = Path(path)
    key = _path_key(path)
    try:
        file_mtime: int | None = path.stat().st_mtime_ns
    except OSError:
        file_mtime = None
    file_uuid: list[str | None] = []  # read at most once, only when a copy needs it

    def uuid_of_file() -> str | None:
        if not file_uuid:
            try:
                file_uuid.append(read_project_uuid(path))
            except EsgAuthorError:
                file_uuid.append(None)
        return file_uuid[0]

    found = []
    for copy in list_recovery_copies():
        belongs = copy.original_path is not None and _path_key(copy.original_path) == key
        if not belongs and copy.uuid is not None and (copy.original_path is None or not copy.original_path.exists()):
            belongs = copy.uuid == uuid_of_file()
        if not belongs:
            continue
        if (file_mtime is None or copy.modified_ns > file_mtime
                or (copy.base is not None and not stat_differs(copy.base, path))):
            found.append(copy)
    return found


def _read_copy(path: Path) -> RecoveryCopy | None:
    sidecar = path.with_suffix(RECOVERY_SIDECAR_SUFFIX)
    try:
        modified_ns = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None  # removed meanwhile (its document saved or closed)
    except OSError as exc:
        return RecoveryCopy(path, sidecar, None, None, None, None, None, 0, f"cannot be read ({exc.strerror or exc})")
    problem = None
    data: dict[str, object] = {}
    try:
        raw = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        data = raw
    except FileNotFoundError:
        problem = f"its description {sidecar.name} is missing"
    except (OSError, ValueError) as exc:
        problem = f"its description {sidecar.name} is damaged ({exc})"
    try:
        load_project_file(path)
    except EsgAuthorError as exc:
        problem = getattr(exc, "reason", str(exc))
    project_id = data.get("uuid") if isinstance(data.get("uuid"), str) else _uuid_from_name(path.stem)
    original = data.get("original_path")
    return RecoveryCopy(
        path=path, sidecar=sidecar, uuid=None if project_id is None else str(project_id),
        original_path=Path(original) if isinstance(original, str) and original else None,
        saved_at=data.get("saved_at") if isinstance(data.get("saved_at"), str) else None,  # type: ignore[arg-type]
        app_version=data.get("app_version") if isinstance(data.get("app_version"), str) else None,  # type: ignore[arg-type]
        base=FileIdentity.from_dict(data.get("base")), modified_ns=modified_ns, problem=problem,
    )


def _remove_copy(folder: Path, stem: str) -> None:
    # The copy before its description: a kill in between leaves a description without a copy.
    for name in (f"{stem}{PROJECT_SUFFIX}", f"{stem}{RECOVERY_SIDECAR_SUFFIX}"):
        try:
            (folder / name).unlink(missing_ok=True)
        except OSError as exc:
            logger.warning("Cannot remove recovery file %s: %s", folder / name, exc)


def _remove_temp_files(folder: Path, stem: str) -> None:
    """Half-written temporary files of this copy left by a session that was killed while
    autosaving (the atomic-write helper names them .NAME.*.tmp)."""
    for suffix in (PROJECT_SUFFIX, RECOVERY_SIDECAR_SUFFIX):
        for leftover in folder.glob(f".{stem}{suffix}.*.tmp"):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass


def _path_key(path: Path) -> str:
    """A short fixed-length name for a file's absolute path (the same on every call)."""
    normalized = os.path.normcase(os.path.abspath(path))
    return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _safe_uuid(text: str) -> str:
    # The uuid becomes part of a file name: anything but a real UUID is reduced to a hash.
    try:
        return str(uuid.UUID(text))
    except (ValueError, TypeError, AttributeError):
        return hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _uuid_from_name(stem: str) -> str | None:
    try:
        return str(uuid.UUID(stem[:36]))
    except ValueError:
        return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return _path_key(a) == _path_key(b)

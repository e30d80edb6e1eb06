"""Opening, saving and closing the project, and never losing work on the way.

The flows around core.document.Document, with the user's choices asked through Prompts:

- open: a recovery copy newer than the file is offered first (its time shown); a project locked
  by someone else opens read-only or, if the user insists, for editing anyway; a folder that
  cannot take a lock file opens read-only; a file that is not a project is one error.
- save: a file changed on disk since it was opened is never overwritten silently (Save As,
  Overwrite, Cancel); a failed save says why and keeps everything in memory, still unsaved.
- while there are unsaved changes, a recovery copy is written at most every AUTOSAVE_SECONDS
  (Document.autosave_if_due, polled by a timer); a clean save or close removes it.
- closing or replacing a project with unsaved changes asks Save / Discard / Cancel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget

from esg_author.core.bundled import load_demo_project, load_skeleton_project
from esg_author.core.document import Document, RecoveryCopy, recoverable
from esg_author.core.errors import EsgAuthorError, ExternalChangeError, LockFileError, ProjectLockedError
from esg_author.core.i18n.ui import _
from esg_author.core.storage import ProjectLock
from esg_author.gui.new_project_dialog import NewProjectDialog
from esg_author.gui.prompts import Prompts, documents_folder
from esg_author.gui.settings_store import SettingsStore

logger = logging.getLogger(__name__)

AUTOSAVE_SECONDS = 30.0
"""At most this often a recovery copy is written while there are unsaved changes."""
AUTOSAVE_POLL_MS = 5_000


class DocumentController(QObject):
    document_opened = Signal(object)
    """A Document is now the one shown: opened, recovered, created or reloaded (a new stack)."""
    document_closed = Signal()
    state_changed = Signal()
    """Saved, autosaved, read-only or not: the window redraws its title and status."""
    recent_changed = Signal()

    def __init__(self, prompts: Prompts, settings: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.settings = settings
        self.document: Document | None = None
        self.clock: Callable[[], float] = time.monotonic
        self.autosave_interval = AUTOSAVE_SECONDS
        self.saved_at: datetime | None = None
        self.autosaved_at: datetime | None = None
        self.autosave_problem: str | None = None
        self._asked_about_disk: tuple[int, int] | None = None
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_POLL_MS)
        self.autosave_timer.timeout.connect(self.autosave_tick)

    # -- opening -----------------------------------------------------------------------------

    def open_project(self, path: Path) -> bool:
        """Open a project (or reload the one open, when it is the same file). False: nothing changed."""
        path = Path(path)
        if self.document is not None and self._is_open_here(path):
            return self._reload()
        if not self.may_close():
            return False
        document = self._open_with_recovery(path)
        if document is None:
            return False
        self._show(document)
        return True

    def _open_with_recovery(self, path: Path) -> Document | None:
        for copy in recoverable(path):
            choice = self.prompts.ask_recovery(path, copy)
            if choice == "cancel":
                return None
            if choice == "discard":
                copy.discard()
                continue
            recovered = self._recover(copy)
            if recovered is not None:
                return recovered
            return None
        return self._open_file(path)

    def _recover(self, copy: RecoveryCopy) -> Document | None:
        try:
            return Document.recover(copy, autosave_interval=self.autosave_interval, clock=self.clock)
        except ProjectLockedError as exc:
            owner = ProjectLock(exc.path).read_owner()
            if self.prompts.ask_locked(exc.path, owner) != "break":
                return None  # the copy stays for the next time
            try:
                return Document.recover(copy, break_lock=True, autosave_interval=self.autosave_interval, clock=self.clock)
            except EsgAuthorError as again:
                self.prompts.show_error(_("Cannot recover project"), again)
        except EsgAuthorError as exc:
            self.prompts.show_error(_("Cannot recover project"), exc)
        return None

    def _open_file(self, path: Path) -> Document | None:
        options = {"autosave_interval": self.autosave_interval, "clock": self.clock}
        try:
            return Document.open(path, **options)  # type: ignore[arg-type]
        except ProjectLockedError:
            choice = self.prompts.ask_locked(path, ProjectLock(path).read_owner())
            if choice == "cancel":
                return None
            try:
                if choice == "read_only":
                    return Document.open(path, read_only=True, **options)  # type: ignore[arg-type]
                return Document.open(path, break_lock=True, **options)  # type: ignore[arg-type]
            except EsgAuthorError as again:
                self.prompts.show_error(_("Cannot open project"), again)
        except LockFileError as exc:
            if self.prompts.ask_open_read_only(path, exc.reason):
                try:
                    return Document.open(path, read_only=True, **options)  # type: ignore[arg-type]
                except EsgAuthorError as again:
                    self.prompts.show_error(_("Cannot open project"), again)
        except EsgAuthorError as exc:
            self.prompts.show_error(_("Cannot open project"), exc)
        return None

    def _reload(self) -> bool:
        document = self.document
        assert document is not None
        if document.is_dirty:
            choice = self.prompts.ask_unsaved(self.display_name(), can_save=True)
            if choice == "cancel" or (choice == "save" and not self.save()):
                return False
        try:
            # Reloading keeps this window's lock, so no other editor can slip in between.
            document.reload()
        except EsgAuthorError as exc:
            self.prompts.show_error(_("Cannot open project"), exc)
            return False
        self._show(document)
        return True

    def new_project(self, parent: QWidget | None = None) -> bool:
        """A project from the skeleton, saved at once under a name the user picks."""
        if not self.may_close():
            return False
        dialog = NewProjectDialog(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        suggested = documents_folder() / f"{dialog.company()} ESG {dialog.year()}.esgproj"
        path = self.prompts.choose_project_to_save(_("Save New Project"), suggested)
        if path is None:
            return False
        try:
            project = load_skeleton_project(dialog.company(), dialog.year(), dialog.languages())
        except EsgAuthorError as exc:
            self.prompts.show_error(_("Cannot create project"), exc)
            return False
        return self._create(project, path)

    def open_demo(self) -> bool:
        """The demo report, saved as a copy of the user's own first (so it can be changed)."""
        if not self.may_close():
            return False
        path = self.prompts.choose_project_to_save(_("Save the Demo Project As"), documents_folder() / "esg-author demo.esgproj")
        if path is None:
            return False
        return self._create(load_demo_project(), path)

    def _create(self, project: object, path: Path) -> bool:
        document = Document.new(project, autosave_interval=self.autosave_interval, clock=self.clock)  # type: ignore[arg-type]
        try:
            document.save_as(path)
        except (EsgAuthorError, OSError) as exc:
            document.close()
            self.prompts.show_error(_("Cannot save project"), exc)
            return False
        self._show(document)
        return True

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> bool:
        document = self.document
        if document is None:
            return False
        if document.path is None or document.read_only:
            return self.save_as()
        try:
            document.save()
        except ExternalChangeError as exc:
            choice = self.prompts.ask_external_change(document.path, exc.change)
            if choice == "save_as":
                return self.save_as()
            if choice != "overwrite":
                return False
            try:
                document.save(overwrite=True)
            except (EsgAuthorError, OSError) as again:
                self.prompts.show_error(_("Cannot save project"), again)
                return False
        except (EsgAuthorError, OSError) as exc:
            self.prompts.show_error(_("Cannot save project"), exc)
            return False
        self._saved()
        return True

    def save_as(self) -> bool:
        document = self.document
        if document is None:
            return False
        suggested = document.path if document.path is not None else documents_folder() / "report.esgproj"
        if document.read_only and document.path is not None:
            suggested = document.path.with_name(_("{name} (copy)").format(name=document.path.stem) + document.path.suffix)
        path = self.prompts.choose_project_to_save(_("Save Project As"), suggested)
        if path is None:
            return False
        try:
            document.save_as(path)
        except (EsgAuthorError, OSError) as exc:
            self.prompts.show_error(_("Cannot save project"), exc)
            return False
        self._saved()
        return True

    def _saved(self) -> None:
        document = self.document
        assert document is not None and document.path is not None
        self.saved_at = datetime.now(UTC)
        self.autosaved_at = None
        self.autosave_problem = None
        self._asked_about_disk = None
        self._remember(document.path)
        self.state_changed.emit()

    # -- closing -----------------------------------------------------------------------------

    def may_close(self) -> bool:
        """Whether the open document may be closed or replaced: nothing unsaved, or the user
        saved it, or chose to discard it."""
        document = self.document
        if document is None or not document.is_dirty:
            return True
        choice = self.prompts.ask_unsaved(self.display_name(), can_save=True)
        if choice == "discard":
            return True
        return choice == "save" and self.save()

    def close_document(self, forget: bool = True) -> bool:
        """Close after asking about unsaved changes. forget: the next start shows the start
        page instead of reopening this project (File ▸ Close Project, not quitting)."""
        if not self.may_close():
            return False
        if self.document is not None:
            self.document.close()
            self.document = None
            self.autosave_timer.stop()
            if forget:
                self.settings.set_last_project(None)
            self.document_closed.emit()
        return True

    # -- autosave and changes on disk -------------------------------------------------------

    @Slot()
    def autosave_tick(self) -> None:
        document = self.document
        if document is None:
            return
        try:
            wrote = document.autosave_if_due()
        except (EsgAuthorError, OSError) as exc:
            if self.autosave_problem is None:
                logger.warning("Autosave failed: %s", exc)
            self.autosave_problem = getattr(exc, "reason", str(exc))
            self.state_changed.emit()
            return
        if wrote:
            self.autosaved_at = datetime.now(UTC)
            self.autosave_problem = None
            self.state_changed.emit()

    def check_disk(self) -> None:
        """The window came to the front: offer to reload a file another program changed."""
        document = self.document
        if document is None or document.path is None or not document.changed_on_disk():
            return
        try:
            stat = document.path.stat()
            seen = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return  # gone or unreachable now; saving will say so
        if seen == self._asked_about_disk:
            return
        self._asked_about_disk = seen
        if self.prompts.ask_reload(document.path, document.is_dirty):
            try:
                document.reload()
            except EsgAuthorError as exc:
                self.prompts.show_error(_("Cannot open project"), exc)
                return
            self._show(document)

    # -- helpers -----------------------------------------------------------------------------

    def display_name(self) -> str:
        document = self.document
        if document is None or document.path is None:
            return _("Untitled project")
        return document.path.name

    def _show(self, document: Document) -> None:
        previous = self.document
        if previous is not None and previous is not document:
            previous.close()
        self.document = document
        self.saved_at = None
        self.autosaved_at = None
        self.autosave_problem = None
        self._asked_about_disk = None
        if document.path is not None:
            self._remember(document.path)
        self.autosave_timer.start()
        self.document_opened.emit(document)

    def _remember(self, path: Path) -> None:
        self.settings.add_recent_project(path)
        self.settings.set_last_project(path)
        self.recent_changed.emit()

    def _is_open_here(self, path: Path) -> bool:
        current = self.document.path if self.document is not None else None
        if current is None:
            return False
        try:
            return current.samefile(path)
        except OSError:
            return current.resolve() == path.resolve()

"""Every question the window asks and every error it shows, in one place.

Each ask_* method shows one modal dialog and returns the user's choice as a plain string, so the
flows (document_controller.py) read as decisions and tests replace one method instead of
clicking. The *_box methods build the dialog without showing it (the screenshots use them).
Errors always go through show_error: a translated title, then the core's message, which names
the file and the reason.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QLocale, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from esg_author.core.document import RecoveryCopy
from esg_author.core.errors import InvalidValueError, shown_value
from esg_author.core.i18n.ui import _, ui_language
from esg_author.core.storage.project_file import PROJECT_SUFFIX

UI_LOCALES = {"zh-Hant": "zh_Hant_HK", "zh-Hans": "zh_Hans_CN", "en": "en_US"}
"""The locale dates and times are written in for each interface language."""


class Prompts:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    # -- errors ------------------------------------------------------------------------------

    def show_error(self, title: str, error: BaseException | str) -> None:
        """title is translated already; error is a core error (its message names the file)."""
        QMessageBox.critical(self.parent, title, error_text(error))

    # -- unsaved changes ---------------------------------------------------------------------

    def ask_unsaved(self, name: str, can_save: bool) -> str:
        """"save", "discard" or "cancel"."""
        buttons = QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        if can_save:
            buttons |= QMessageBox.StandardButton.Save
        answer = QMessageBox.question(
            self.parent, _("Unsaved changes"), _("{name} has changes that are not saved. Save them first?").format(name=name),
            buttons, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"

    # -- recovery ----------------------------------------------------------------------------

    def recovery_box(self, project_path: Path, copy: RecoveryCopy) -> QMessageBox:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Recover unsaved changes?"))
        if copy.problem is None:
            box.setText(_("esg-author was not closed properly while {name} had unsaved changes.").format(name=project_path.name))
            box.setInformativeText(_("A recovery copy saved at {time} holds those changes. Recover them, or discard "
                                     "the copy and open the project as it was last saved?").format(time=recovery_time(copy)))
            box.addButton(_("&Recover"), QMessageBox.ButtonRole.AcceptRole).setObjectName("recover")
        else:
            box.setText(_("A recovery copy of {name} cannot be used.").format(name=project_path.name))
            box.setInformativeText(_("The copy saved at {time} is damaged: {problem}").format(
                time=recovery_time(copy), problem=copy.problem))
        box.addButton(_("&Discard Copy"), QMessageBox.ButtonRole.DestructiveRole).setObjectName("discard")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("cancel")
        box.setEscapeButton(cancel)
        box.setDefaultButton(box.buttons()[0])
        return box

    def ask_recovery(self, project_path: Path, copy: RecoveryCopy) -> str:
        """"recover", "discard" (open the saved file) or "cancel" (open nothing, keep the copy)."""
        return _run(self.recovery_box(project_path, copy))

    # -- locks -------------------------------------------------------------------------------

    def lock_box(self, project_path: Path, owner: dict[str, object] | None) -> QMessageBox:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Project in use"))
        box.setText(_("{name} is open for editing by {holder}.").format(name=project_path.name, holder=lock_holder(owner)))
        box.setInformativeText(_("You can open it read-only and save your own copy with Save As. Open it for editing "
                                 "anyway only if you are sure no one is working on it: their changes could be lost."))
        read_only = box.addButton(_("Open &Read-Only"), QMessageBox.ButtonRole.AcceptRole)
        read_only.setObjectName("read_only")
        box.addButton(_("Open for &Editing Anyway"), QMessageBox.ButtonRole.DestructiveRole).setObjectName("break")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("cancel")
        box.setDefaultButton(read_only)
        box.setEscapeButton(cancel)
        return box

    def ask_locked(self, project_path: Path, owner: dict[str, object] | None) -> str:
        """"read_only", "break" (take the lock over) or "cancel"."""
        return _run(self.lock_box(project_path, owner))

    def ask_open_read_only(self, project_path: Path, reason: str) -> bool:
        """The folder cannot take a lock file (a read-only folder or share)."""
        answer = QMessageBox.question(
            self.parent, _("Cannot open for editing"),
            _("{name} cannot be opened for editing: {reason}. Open it read-only?").format(name=project_path.name, reason=reason),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Open)
        return answer == QMessageBox.StandardButton.Open

    # -- saving ------------------------------------------------------------------------------

    def external_change_box(self, project_path: Path, change: str) -> QMessageBox:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("File changed on disk"))
        box.setText(_("{name} was changed on disk since you opened it ({change}).").format(name=project_path.name, change=change))
        box.setInformativeText(_("Saving over it would lose those changes. Save your version under another name, "
                                 "or overwrite the file?"))
        save_as = box.addButton(_("Save &As…"), QMessageBox.ButtonRole.AcceptRole)
        save_as.setObjectName("save_as")
        box.addButton(_("&Overwrite"), QMessageBox.ButtonRole.DestructiveRole).setObjectName("overwrite")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("cancel")
        box.setDefaultButton(save_as)
        box.setEscapeButton(cancel)
        return box

    def ask_external_change(self, project_path: Path, change: str) -> str:
        """"save_as", "overwrite" or "cancel"."""
        return _run(self.external_change_box(project_path, change))

    def ask_reload(self, project_path: Path, dirty: bool) -> bool:
        """The file changed on disk while it is open here: read it again?"""
        text = _("{name} was changed on disk by another program.").format(name=project_path.name)
        if dirty:
            text += "\n\n" + _("Reload it and lose your unsaved changes, or keep your version?")
        else:
            text += "\n\n" + _("Reload it?")
        answer = QMessageBox.question(self.parent, _("File changed on disk"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No if dirty else QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    # -- sections ----------------------------------------------------------------------------

    def confirm_delete_section(self, label: str, subsections: int) -> bool:
        if subsections:
            text = _("Delete {section} and its {count} sub-sections? Edit ▸ Undo brings them back.").format(
                section=label, count=subsections)
        else:
            text = _("Delete {section}? Edit ▸ Undo brings it back.").format(section=label)
        answer = QMessageBox.question(self.parent, _("Delete section"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    # -- files -------------------------------------------------------------------------------

    def choose_project_to_open(self, folder: Path | None = None) -> Path | None:
        name, _selected = QFileDialog.getOpenFileName(
            self.parent, _("Open project"), str(folder or documents_folder()), project_file_filter())
        return Path(name) if name else None

    def choose_project_to_save(self, title: str, suggested: Path) -> Path | None:
        """A file name to save a project under (the platform's dialog asks before replacing)."""
        name, _selected = QFileDialog.getSaveFileName(self.parent, title, str(suggested), project_file_filter())
        if not name:
            return None
        path = Path(name)
        return path if path.suffix == PROJECT_SUFFIX else path.with_name(path.name + PROJECT_SUFFIX)


def _run(box: QMessageBox) -> str:
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.exec()
    clicked = box.clickedButton()
    return clicked.objectName() if clicked is not None and clicked.objectName() else "cancel"


def error_text(error: BaseException | str) -> str:
    """A core error as the user reads it: a field's problem in the UI language, else the message."""
    if isinstance(error, InvalidValueError):
        reason = _(error.reason).format(**error.params) if error.params else _(error.reason)
        return f"{error.field}: {shown_value(error.value)} {reason}"
    return str(error)


def project_file_filter() -> str:
    return _("esg-author projects ({patterns})").format(patterns=f"*{PROJECT_SUFFIX}")


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


def ui_locale() -> QLocale:
    return QLocale(UI_LOCALES.get(ui_language(), "en_US"))


def format_time(moment: datetime) -> str:
    """A moment in local time as the interface language writes it: the date in full (no two-digit
    years that read either way round), then the time."""
    local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toLocalTime()
    locale = ui_locale()
    return f"{locale.toString(local.date(), QLocale.FormatType.LongFormat)} {locale.toString(local.time(), QLocale.FormatType.ShortFormat)}"


def parse_utc(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def recovery_time(copy: RecoveryCopy) -> str:
    moment = parse_utc(copy.saved_at) or datetime.fromtimestamp(copy.modified_ns / 1e9, UTC)
    return format_time(moment)


def lock_holder(owner: dict[str, object] | None) -> str:
    """Who holds a lock and since when, from what the lock file records (core/storage/lock.py)."""
    if not owner:
        return _("someone (the lock file cannot be read)")
    user, host = str(owner.get("user") or "?"), str(owner.get("host") or "?")
    if host == socket.gethostname() and owner.get("pid") == os.getpid():
        return _("another window of this program")
    since = parse_utc(owner.get("since"))
    if since is None:
        return _("{user} on {host}").format(user=user, host=host)
    return _("{user} on {host} since {time}").format(user=user, host=host, time=format_time(since))

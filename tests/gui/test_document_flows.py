"""Never losing work: autosave of a recovery copy, the offer to recover after a crash, projects
locked elsewhere opening read-only, files changed on disk never overwritten silently."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from esg_author.core.commands import SetSectionText
from esg_author.core.document import recoverable
from esg_author.core.storage import lock_path_for, open_project, save_project
from esg_author.gui.document_controller import AUTOSAVE_SECONDS
from esg_author.gui.prompts import recovery_time


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def edit(window, body="Edited, not saved."):
    window.history.execute(SetSectionText("env", "en", body=body), "typing")


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def simulate_crash(window, path):
    """The process dies: the document is never closed, its lock file stays behind naming a
    process that no longer runs."""
    window.controller.document = None  # dropped without close(): lock and recovery copy stay
    window.controller.autosave_timer.stop()
    window.hide()
    owner = json.loads(lock_path_for(path).read_text())
    owner["pid"] = dead_pid()
    lock_path_for(path).write_text(json.dumps(owner))


def test_autosave_writes_a_recovery_copy_at_most_every_30_seconds(make_window, small_project_path):
    window = make_window()
    clock = FakeClock()
    window.controller.clock = clock
    assert window.open_project(small_project_path)
    assert window.document.autosave_interval == AUTOSAVE_SECONDS == 30
    assert window.controller.autosave_timer.isActive()
    edit(window)
    clock.now += 29
    window.controller.autosave_tick()
    assert recoverable(small_project_path) == []
    clock.now += 2
    window.controller.autosave_tick()
    assert len(recoverable(small_project_path)) == 1
    assert window.status.save_label.text().startswith("Unsaved changes · recovery copy at ")
    window.window_actions.save.trigger()  # a clean save removes the copy
    assert recoverable(small_project_path) == [] and window.status.save_label.text().startswith("Saved at ")


def test_after_a_crash_the_next_open_offers_the_recovered_copy(make_window, small_project_path, monkeypatch):
    window = make_window()
    clock = FakeClock()
    window.controller.clock = clock
    assert window.open_project(small_project_path)
    edit(window, "Written just before the crash.")
    clock.now += 31
    window.controller.autosave_tick()
    simulate_crash(window, small_project_path)

    again = make_window()
    offered = []

    def ask_recovery(path, copy):
        offered.append((path, copy, again.prompts.recovery_box(path, copy).informativeText()))
        return "recover"

    monkeypatch.setattr(again.prompts, "ask_recovery", ask_recovery)
    assert again.open_project(small_project_path)  # the stale lock is taken over, not asked about
    (path, copy, text), = offered
    assert path == small_project_path and recovery_time(copy) in text and "saved at" in text
    assert again.project.section("env").text("en").body == "Written just before the crash."
    assert again.isWindowModified() and again.document.holds_lock
    assert open_project(small_project_path).section("env").text("en").body.startswith("Emissions fell.")
    again.window_actions.save.trigger()
    assert open_project(small_project_path).section("env").text("en").body == "Written just before the crash."
    assert recoverable(small_project_path) == []


def test_a_discarded_recovery_copy_opens_the_saved_file(make_window, small_project_path, monkeypatch):
    window = make_window(small_project_path)
    edit(window)
    window.document.autosave()
    simulate_crash(window, small_project_path)
    again = make_window()
    monkeypatch.setattr(again.prompts, "ask_recovery", lambda path, copy: "discard")
    assert again.open_project(small_project_path)
    assert again.project.section("env").text("en").body.startswith("Emissions fell.") and not again.isWindowModified()
    assert recoverable(small_project_path) == []
    third = make_window()
    monkeypatch.setattr(third.prompts, "ask_recovery", lambda path, copy: pytest.fail("no copy to offer"))


def test_cancelling_the_recovery_offer_opens_nothing_and_keeps_the_copy(make_window, small_project_path, monkeypatch):
    window = make_window(small_project_path)
    edit(window)
    window.document.autosave()
    simulate_crash(window, small_project_path)
    again = make_window()
    monkeypatch.setattr(again.prompts, "ask_recovery", lambda path, copy: "cancel")
    assert not again.open_project(small_project_path)
    assert again.project is None and len(recoverable(small_project_path)) == 1


def lock_held_by_alice(path):
    lock_path_for(path).write_text(json.dumps(
        {"user": "alice", "host": "finance-pc-07", "pid": 4242, "since": "2026-03-02T01:30:00+00:00", "token": "x"}))


def test_a_project_locked_elsewhere_opens_read_only_on_request(make_window, small_project_path, tmp_path, monkeypatch):
    lock_held_by_alice(small_project_path)
    window = make_window()
    asked = []

    def ask_locked(path, owner):
        box = window.prompts.lock_box(path, owner)
        asked.append(box.text())
        return "read_only"

    monkeypatch.setattr(window.prompts, "ask_locked", ask_locked)
    assert window.open_project(small_project_path)
    assert "alice on finance-pc-07 since " in asked[0] and "2026" in asked[0]
    assert window.document.read_only and not window.document.holds_lock
    assert "(read-only)" in window.windowTitle() and window.status.save_label.text() == "Read-only"
    assert window.editor_tabs.current_editor().isReadOnly()
    assert not window.window_actions.add_section.isEnabled() and not window.window_actions.bold.isEnabled()
    assert json.loads(lock_path_for(small_project_path).read_text())["user"] == "alice"  # her lock stays
    # Save saves a copy: the user's own, editable from then on.
    copy = tmp_path / "mine.esgproj"
    monkeypatch.setattr(window.prompts, "choose_project_to_save", lambda title, suggested: copy)
    window.window_actions.save.trigger()
    assert window.project_path == copy and not window.document.read_only and window.document.holds_lock
    assert "(read-only)" not in window.windowTitle()


def test_breaking_a_lock_opens_for_editing(make_window, small_project_path, monkeypatch):
    lock_held_by_alice(small_project_path)
    window = make_window()
    monkeypatch.setattr(window.prompts, "ask_locked", lambda path, owner: "break")
    assert window.open_project(small_project_path)
    assert window.document.holds_lock and not window.document.read_only
    owner = json.loads(lock_path_for(small_project_path).read_text())
    assert (owner["host"], owner["pid"]) == (socket.gethostname(), os.getpid())


def test_the_same_project_in_a_second_window_is_offered_read_only(make_window, small_project_path, monkeypatch):
    make_window(small_project_path)
    second = make_window()
    holders = []
    monkeypatch.setattr(second.prompts, "ask_locked", lambda path, owner: holders.append(second.prompts.lock_box(path, owner).text()) or "cancel")
    assert not second.open_project(small_project_path)
    assert "another window of this program" in holders[0] and second.project is None


def test_a_folder_without_room_for_a_lock_opens_read_only(make_window, small_project_path, monkeypatch):
    from esg_author.core.errors import LockFileError
    from esg_author.core.storage import ProjectLock

    def refuse(self, force=False):
        raise LockFileError(self.project_path, "the folder is read-only")

    monkeypatch.setattr(ProjectLock, "acquire", refuse)
    window = make_window()
    monkeypatch.setattr(window.prompts, "ask_open_read_only", lambda path, reason: reason == "the folder is read-only")
    assert window.open_project(small_project_path) and window.document.read_only


def changed_elsewhere(path):
    other = open_project(path)
    other.meta.company["en"] = "Changed Elsewhere Ltd"
    save_project(other, path)


def test_a_file_changed_on_disk_is_never_overwritten_silently(make_window, small_project_path, tmp_path, monkeypatch):
    window = make_window(small_project_path)
    edit(window)
    changed_elsewhere(small_project_path)
    answers = ["cancel", "save_as", "overwrite"]
    asked = []
    monkeypatch.setattr(window.prompts, "ask_external_change", lambda path, change: asked.append(change) or answers.pop(0))
    window.window_actions.save.trigger()  # cancelled: nothing written, still unsaved
    assert open_project(small_project_path).meta.company["en"] == "Changed Elsewhere Ltd" and window.isWindowModified()
    copy = tmp_path / "mine.esgproj"
    monkeypatch.setattr(window.prompts, "choose_project_to_save", lambda title, suggested: copy)
    window.window_actions.save.trigger()  # saved under another name, the other file untouched
    assert window.project_path == copy and not window.isWindowModified()
    assert open_project(small_project_path).meta.company["en"] == "Changed Elsewhere Ltd"
    assert open_project(copy).section("env").text("en").body == "Edited, not saved."
    edit(window, "Second edit.")
    changed_elsewhere(copy)
    window.window_actions.save.trigger()  # overwritten on purpose
    assert open_project(copy).section("env").text("en").body == "Second edit." and len(asked) == 3


def test_the_external_change_dialog_offers_save_as_overwrite_and_cancel(make_window, small_project_path, real_message_boxes):
    window = make_window()
    seen = []

    def click_overwrite():
        box = QApplication.activeModalWidget()
        seen.append((box.text(), sorted(b.objectName() for b in box.buttons())))
        next(b for b in box.buttons() if b.objectName() == "overwrite").click()

    QTimer.singleShot(0, click_overwrite)
    assert window.prompts.ask_external_change(small_project_path, "content") == "overwrite"
    text, buttons = seen[0]
    assert "small.esgproj was changed on disk since you opened it (content)." == text
    assert buttons == ["cancel", "overwrite", "save_as"]


def test_the_recovery_dialog_shows_the_time_of_the_copy(make_window, small_project_path, real_message_boxes):
    window = make_window(small_project_path)
    edit(window)
    window.document.autosave()
    copy, = recoverable(small_project_path)
    seen = []

    def press_escape():
        box = QApplication.activeModalWidget()
        seen.append(box.informativeText())
        box.reject()

    QTimer.singleShot(0, press_escape)
    assert window.prompts.ask_recovery(small_project_path, copy) == "cancel"
    assert recovery_time(copy) in seen[0]


def test_another_programs_save_is_offered_for_reload_when_the_window_comes_back(make_window, small_project_path, monkeypatch):
    window = make_window(small_project_path)
    changed_elsewhere(small_project_path)
    asked = []
    monkeypatch.setattr(window.prompts, "ask_reload", lambda path, dirty: asked.append(dirty) or True)
    window.controller.check_disk()
    assert asked == [False] and window.project.meta.company["en"] == "Changed Elsewhere Ltd"
    window.controller.check_disk()  # nothing new on disk: not asked again
    assert asked == [False]


def test_closing_asks_and_the_message_names_the_project(make_window, small_project_path, monkeypatch):
    window = make_window(small_project_path)
    edit(window)
    questions = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, buttons, default:
                        questions.append(text) or QMessageBox.StandardButton.Discard)
    window.close()
    assert questions == ["small.esgproj has changes that are not saved. Save them first?"]
    assert not lock_path_for(small_project_path).exists() and recoverable(small_project_path) == []


def test_an_autosave_that_cannot_be_written_is_shown_once_and_changes_nothing(make_window, small_project_path, tmp_path, monkeypatch):
    from esg_author.core import document as document_module

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the recovery folder should be")
    monkeypatch.setattr(document_module, "recovery_dir", lambda: blocker / "recovery")
    window = make_window()
    clock = FakeClock()
    window.controller.clock = clock
    assert window.open_project(small_project_path)
    edit(window)
    clock.now += 31
    window.controller.autosave_tick()  # no dialog: the no_unexpected_dialogs fixture would fail the test
    assert window.status.save_label.text().startswith("Unsaved changes · no recovery copy: ")
    assert window.isWindowModified() and window.project.section("env").text("en").body == "Edited, not saved."
    window.window_actions.save.trigger()  # saving the file itself still works
    assert not window.isWindowModified()

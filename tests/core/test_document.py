"""The open document: open → lock, edit through commands, checked saves, autosave and recovery."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from esg_author import __version__
from esg_author.core.commands import SetKpiValue, SetReportMeta, SetSectionText
from esg_author.core.document import Document, RecoveryCopy, list_recovery_copies, recoverable
from esg_author.core.errors import ExternalChangeError, ProjectFormatError, ProjectLockedError, ProjectSaveError
from esg_author.core.model import KpiValue
from esg_author.core.paths import recovery_dir
from esg_author.core.storage import lock_path_for, open_project, project_file, save_project
from esg_author.core.storage.lock import ProjectLock

FOREIGN_LOCK = '{"user": "amy", "host": "other-pc", "pid": 4242, "since": "2026-01-05T09:00:00+00:00"}'


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch) -> Path:
    """Recovery copies go to a folder of this test, never to the user's own data folder."""
    home = tmp_path / "user-data"
    monkeypatch.setenv("ESG_AUTHOR_DATA_HOME", str(home))
    return home


@pytest.fixture
def demo_copy(demo_path, tmp_path) -> Path:
    path = tmp_path / "demo.esgproj"
    shutil.copy(demo_path, path)
    return path


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _body(document_or_project, section_id="env", lang="en") -> str:
    project = getattr(document_or_project, "project", document_or_project)
    return project.section(section_id).text(lang).body


def _rewrite_behind_the_back(path: Path, body: str = "Changed by someone else.") -> bytes:
    other = open_project(path)
    other.section("env").texts["en"].body = body
    save_project(other, path)
    return path.read_bytes()


def _recovery_files() -> list[str]:
    folder = recovery_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- open, edit, save ---------------------------------------------------------------------


def test_demo_edits_through_commands_are_saved_and_reopen(demo_copy):
    document = Document.open(demo_copy)
    section = document.project.sections[0].id
    kpi = next(iter(document.project.kpis))
    year = document.project.meta.year
    project_uuid = document.project.meta.uuid
    assert not document.is_dirty
    document.stack.execute(SetSectionText(section, "en", body="A new opening paragraph."))
    document.stack.execute(SetKpiValue(kpi, year, KpiValue("number", Decimal("4321.5"))))
    document.stack.execute(SetReportMeta("title", {**document.project.meta.title, "en": "Our Year in Review"}))
    assert document.is_dirty
    document.save()
    assert not document.is_dirty and document.stack.is_clean
    document.close()

    reopened = Document.open(demo_copy)
    assert _body(reopened, section) == "A new opening paragraph."
    assert reopened.project.kpis[kpi].values[year].number == Decimal("4321.5")
    assert reopened.project.meta.title["en"] == "Our Year in Review"
    assert reopened.project.meta.uuid == project_uuid
    reopened.stack.undo()  # a fresh document has no history of the earlier session
    assert not reopened.is_dirty
    reopened.close()


def test_undoing_back_to_the_save_is_clean_again(small_project_path):
    with Document.open(small_project_path) as document:
        document.stack.execute(SetSectionText("env", "en", body="x"))
        assert document.is_dirty
        document.stack.undo()
        assert not document.is_dirty


# -- lock -----------------------------------------------------------------------------------


def test_lock_is_taken_after_the_read_and_released_on_close(small_project_path, monkeypatch):
    lock_file = lock_path_for(small_project_path)
    real_load = project_file.load_project_file
    seen_during_read = []

    def watching_load(path):
        seen_during_read.append(lock_file.exists())
        return real_load(path)

    monkeypatch.setattr("esg_author.core.document.load_project_file", watching_load)
    document = Document.open(small_project_path)
    assert seen_during_read == [False] and lock_file.exists() and document.holds_lock
    with pytest.raises(ProjectLockedError, match="another window of this program"):
        Document.open(small_project_path)
    document.close()
    assert not lock_file.exists()
    document.close()  # twice is harmless


def test_a_file_that_does_not_open_leaves_no_lock(tmp_path, small_project_path):
    bad = tmp_path / "bad.esgproj"
    bad.write_bytes(b"SQLite format 3\x00" + bytes(300))
    with pytest.raises(ProjectFormatError):
        Document.open(bad)
    assert not lock_path_for(bad).exists()
    # Someone else's lock on a file that does not open: the file's problem is reported, the
    # lock is left as it was.
    lock_path_for(bad).write_text(FOREIGN_LOCK, encoding="utf-8")
    with pytest.raises(ProjectFormatError):
        Document.open(bad)
    assert lock_path_for(bad).read_text(encoding="utf-8") == FOREIGN_LOCK


def test_a_project_locked_elsewhere_is_refused_unless_the_lock_is_broken(small_project_path):
    lock_path_for(small_project_path).write_text(FOREIGN_LOCK, encoding="utf-8")
    with pytest.raises(ProjectLockedError, match="amy on other-pc"):
        Document.open(small_project_path)
    assert lock_path_for(small_project_path).read_text(encoding="utf-8") == FOREIGN_LOCK
    with Document.open(small_project_path, read_only=True) as viewer:  # no lock needed to read
        assert not viewer.holds_lock and viewer.project.meta.year == 2025
    with Document.open(small_project_path, break_lock=True) as document:
        assert document.holds_lock
    assert not lock_path_for(small_project_path).exists()


def test_a_save_between_the_read_and_the_lock_is_read(small_project_path, monkeypatch):
    real_acquire = ProjectLock.acquire

    def someone_saves_first(self, force=False):
        _rewrite_behind_the_back(small_project_path, "Saved just before our lock.")
        time.sleep(0.01)
        monkeypatch.setattr(ProjectLock, "acquire", real_acquire)
        real_acquire(self, force)

    monkeypatch.setattr(ProjectLock, "acquire", someone_saves_first)
    with Document.open(small_project_path) as document:
        assert _body(document) == "Saved just before our lock."
        assert not document.changed_on_disk()
        document.stack.execute(SetSectionText("env", "en", body="Ours."))
        document.save()  # what it read is what is on disk: no external change
    assert _body(open_project(small_project_path)) == "Ours."


def test_a_failure_rereading_after_the_lock_releases_it(small_project_path, monkeypatch):
    real_acquire = ProjectLock.acquire

    def file_damaged_meanwhile(self, force=False):
        small_project_path.write_bytes(b"garbage")
        real_acquire(self, force)

    monkeypatch.setattr(ProjectLock, "acquire", file_damaged_meanwhile)
    with pytest.raises(ProjectFormatError):
        Document.open(small_project_path)
    assert not lock_path_for(small_project_path).exists()


# -- external changes -------------------------------------------------------------------------


def test_a_file_rewritten_behind_the_documents_back_is_not_overwritten(small_project_path, tmp_path):
    document = Document.open(small_project_path)
    document.stack.execute(SetSectionText("env", "en", body="Mine."))
    assert not document.changed_on_disk()
    theirs = _rewrite_behind_the_back(small_project_path)
    assert document.changed_on_disk()
    with pytest.raises(ExternalChangeError, match="changed on disk") as error:
        document.save()
    assert error.value.path == small_project_path and str(small_project_path) in str(error.value)
    assert "content changed" in error.value.change
    assert isinstance(error.value, ProjectSaveError)
    assert small_project_path.read_bytes() == theirs and document.is_dirty

    other = tmp_path / "mine.esgproj"
    document.save_as(other)  # the way out that keeps both versions
    assert _body(open_project(other)) == "Mine." and small_project_path.read_bytes() == theirs
    assert document.path == other and not document.is_dirty
    assert lock_path_for(other).exists() and not lock_path_for(small_project_path).exists()
    document.close()


def test_overwrite_replaces_a_changed_file_when_asked(small_project_path):
    with Document.open(small_project_path) as document:
        document.stack.execute(SetSectionText("env", "en", body="Mine."))
        _rewrite_behind_the_back(small_project_path)
        with pytest.raises(ExternalChangeError):
            document.save()
        document.save(overwrite=True)
        assert not document.changed_on_disk() and not document.is_dirty
        assert _body(open_project(small_project_path)) == "Mine."
        document.stack.execute(SetSectionText("env", "en", body="Mine again."))
        document.save()  # the file is ours again: no more conflict
    assert _body(open_project(small_project_path)) == "Mine again."


def test_a_touched_file_counts_as_changed(small_project_path):
    with Document.open(small_project_path) as document:
        before = small_project_path.read_bytes()
        stat = small_project_path.stat()
        os.utime(small_project_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
        assert document.changed_on_disk()
        with pytest.raises(ExternalChangeError, match="the content is the same"):
            document.save()
        assert small_project_path.read_bytes() == before


def test_a_same_size_same_time_change_is_found_by_the_hash(small_project_path):
    with Document.open(small_project_path) as document:
        stat = small_project_path.stat()
        data = bytearray(small_project_path.read_bytes())
        data[-1] ^= 0xFF  # a different byte, same size
        small_project_path.write_bytes(bytes(data))
        os.utime(small_project_path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert not document.changed_on_disk()  # the cheap poll cannot see it …
        with pytest.raises(ExternalChangeError, match="same size"):
            document.save()  # … the save does
        assert small_project_path.read_bytes() == bytes(data)


def test_a_deleted_file_is_reported_before_saving(small_project_path):
    with Document.open(small_project_path) as document:
        small_project_path.unlink()
        assert document.changed_on_disk()
        with pytest.raises(ExternalChangeError, match="no longer exists"):
            document.save()
        assert not small_project_path.exists()
        document.save(overwrite=True)
        assert open_project(small_project_path).meta.year == 2025


def test_save_as_to_a_project_open_elsewhere_changes_nothing(small_project_path, tmp_path):
    target = tmp_path / "taken.esgproj"
    lock_path_for(target).write_text(FOREIGN_LOCK, encoding="utf-8")
    with Document.open(small_project_path) as document:
        document.stack.execute(SetSectionText("env", "en", body="Mine."))
        with pytest.raises(ProjectLockedError):
            document.save_as(target)
        assert document.path == small_project_path and document.holds_lock and document.is_dirty
        assert not target.exists()
        document.save_as(small_project_path)  # its own file: an explicit overwrite
        assert not document.is_dirty and document.holds_lock


def test_a_failed_save_as_keeps_the_old_file_and_lock(small_project_path, tmp_path):
    target = tmp_path / "missing-folder" / "x.esgproj"
    with Document.open(small_project_path) as document:
        document.stack.execute(SetSectionText("env", "en", body="Mine."))
        with pytest.raises(ProjectSaveError, match="folder does not exist"):
            document.save_as(target)
        assert document.path == small_project_path and document.holds_lock and document.is_dirty
        assert not lock_path_for(target).exists()


def test_a_new_document_is_dirty_and_never_replaces_an_existing_file(small_project, small_project_path, tmp_path):
    with Document.new(small_project) as document:
        assert document.is_dirty and document.path is None and not document.changed_on_disk()
        with pytest.raises(ValueError, match="save_as"):
            document.save()
        document.save_as(tmp_path / "new.esgproj")
        assert not document.is_dirty and open_project(tmp_path / "new.esgproj").meta.uuid == small_project.meta.uuid
    before = small_project_path.read_bytes()
    with Document.new(open_project(small_project_path), small_project_path.parent / "other.esgproj") as fresh:
        assert lock_path_for(fresh.path).exists()
        fresh.save()
        assert not fresh.is_dirty
    occupied = Document.new(open_project(small_project_path), small_project_path)
    with pytest.raises(ExternalChangeError, match="was created there"):
        occupied.save()
    assert small_project_path.read_bytes() == before
    occupied.close()


def test_a_read_only_document_saves_only_under_another_name(small_project_path, tmp_path):
    document = Document.open(small_project_path, read_only=True)
    document.stack.execute(SetSectionText("env", "en", body="Mine."))
    with pytest.raises(ProjectSaveError, match="read-only"):
        document.save()
    document.save_as(tmp_path / "copy.esgproj")
    assert document.holds_lock and not document.read_only
    document.stack.execute(SetSectionText("env", "en", body="Mine, twice."))
    document.save()
    document.close()
    assert _body(open_project(tmp_path / "copy.esgproj")) == "Mine, twice."
    assert _body(open_project(small_project_path)) == "Emissions fell.\n\n[[table:env]]"


def test_reload_drops_unsaved_changes_and_keeps_the_lock(small_project_path):
    with Document.open(small_project_path) as document:
        document.stack.execute(SetSectionText("env", "en", body="Mine."))
        document.autosave()
        _rewrite_behind_the_back(small_project_path, "Theirs.")
        document.reload()
        assert _body(document) == "Theirs." and not document.is_dirty and not document.stack.can_undo
        assert document.holds_lock and not document.changed_on_disk()
        assert _recovery_files() == []


# -- autosave --------------------------------------------------------------------------------


def test_autosave_if_due_writes_after_the_interval_of_unsaved_changes(small_project_path):
    clock = FakeClock()
    document = Document.open(small_project_path, autosave_interval=120, clock=clock)
    assert not document.autosave_if_due(clock.now + 10_000)  # clean: nothing to keep
    clock.now = 1010.0
    document.stack.execute(SetSectionText("env", "en", body="First."))
    assert not document.autosave_if_due(1129.0)
    assert _recovery_files() == []
    assert document.autosave_if_due(1130.0)
    assert len([n for n in _recovery_files() if n.endswith(".esgproj")]) == 1
    assert not document.autosave_if_due(1500.0)  # nothing changed since the copy
    clock.now = 1140.0
    document.stack.execute(SetSectionText("env", "en", body="Second."))
    assert not document.autosave_if_due(1249.0)  # at most once per interval …
    assert document.autosave_if_due(1250.0)  # … counted from the last copy
    copies = list_recovery_copies()
    assert len(copies) == 1 and _body(open_project(copies[0].path)) == "Second."
    document.save()
    assert _recovery_files() == []  # a clean save removes the copy
    clock.now = 2000.0
    document.stack.execute(SetSectionText("env", "en", body="Third."))
    assert not document.autosave_if_due(2119.0)  # the interval starts again at the first change
    clock.now = 2120.0
    assert document.autosave_if_due()  # no argument: the document's clock
    assert not document.autosave_if_due()
    clock.now = 2300.0
    document.stack.undo()  # back to the saved state: the copy is not needed any more
    assert not document.autosave_if_due()
    assert _recovery_files() == []
    document.close()


def test_the_copy_lives_in_the_recovery_folder_with_its_description(small_project_path, data_home):
    with Document.open(small_project_path) as document:
        document.stack.execute(SetSectionText("env", "en", body="Mine."))
        copy = document.autosave()
        assert copy.parent == data_home / "recovery"
        assert copy.name.startswith(document.project.meta.uuid + "-") and copy.suffix == ".esgproj"
        sidecar = json.loads(copy.with_suffix(".json").read_text(encoding="utf-8"))
        assert sidecar["uuid"] == document.project.meta.uuid
        assert sidecar["original_path"] == str(small_project_path.absolute())
        assert sidecar["app_version"] == __version__
        assert sidecar["saved_at"].endswith("+00:00")
        assert sidecar["base"]["sha256"] and sidecar["base"]["size"] == small_project_path.stat().st_size
        assert _body(open_project(copy)) == "Mine."
        assert _body(open_project(small_project_path)) == "Emissions fell.\n\n[[table:env]]"  # never the user's file
        assert sorted(p.name for p in small_project_path.parent.iterdir()
                      if not p.name.startswith(".~lock")) == ["small.esgproj", "user-data"]
    assert _recovery_files() == []  # close removes it


def test_two_documents_without_a_lock_keep_separate_copies(small_project_path):
    first = Document.open(small_project_path, read_only=True)
    second = Document.open(small_project_path, read_only=True)
    first.stack.execute(SetSectionText("env", "en", body="First."))
    second.stack.execute(SetSectionText("env", "en", body="Second."))
    assert first.autosave() != second.autosave()
    assert sorted(_body(open_project(c.path)) for c in list_recovery_copies()) == ["First.", "Second."]
    first.close()
    assert [_body(open_project(c.path)) for c in list_recovery_copies()] == ["Second."]
    second.close()


def test_autosave_into_a_folder_that_cannot_be_made_is_a_typed_error(small_project_path, data_home):
    data_home.write_text("a file where the folder should be", encoding="utf-8")
    with Document.open(small_project_path) as document:
        document.stack.execute(SetSectionText("env", "en", body="Mine."))
        with pytest.raises(ProjectSaveError, match="recovery"):
            document.autosave()
        assert document.is_dirty


# -- recovery --------------------------------------------------------------------------------


def _crash_with_a_copy(path: Path, body: str = "Unsaved work.") -> Path:
    """A session that autosaved and then died: its copy stays (it was never closed); its lock,
    which the next session would find stale, is removed here."""
    document = Document.open(path)
    document.stack.execute(SetSectionText("env", "en", body=body))
    copy = document.autosave()
    document._lock.release()
    return copy


def test_a_copy_newer_than_the_file_is_offered_and_recovered_as_a_dirty_document(small_project_path):
    copy_path = _crash_with_a_copy(small_project_path)
    [copy] = recoverable(small_project_path)
    assert copy.path == copy_path and copy.problem is None
    assert copy.original_path == small_project_path.absolute() and copy.app_version == __version__
    document = Document.recover(copy)
    assert document.is_dirty and document.path == small_project_path.absolute()
    assert _body(document) == "Unsaved work." and document.holds_lock
    assert lock_path_for(small_project_path).exists()
    document.save()  # the file is still the one the edits were made on
    assert _body(open_project(small_project_path)) == "Unsaved work."
    assert recoverable(small_project_path) == [] and _recovery_files() == []
    document.close()


def test_a_copy_older_than_the_file_is_not_offered(small_project_path):
    _crash_with_a_copy(small_project_path)
    _rewrite_behind_the_back(small_project_path, "Saved later by another session.")
    later = time.time_ns() + 10_000_000_000
    os.utime(small_project_path, ns=(later, later))
    assert recoverable(small_project_path) == []
    assert len(list_recovery_copies()) == 1  # still there, for a "recover anything" listing


def test_a_recovered_document_does_not_overwrite_a_file_changed_since(small_project_path, tmp_path):
    copy_path = _crash_with_a_copy(small_project_path)
    theirs = _rewrite_behind_the_back(small_project_path, "Theirs.")
    copy = next(c for c in list_recovery_copies() if c.path == copy_path)
    document = Document.recover(copy)
    with pytest.raises(ExternalChangeError):
        document.save()
    assert small_project_path.read_bytes() == theirs
    document.save_as(tmp_path / "recovered.esgproj")
    assert _body(open_project(tmp_path / "recovered.esgproj")) == "Unsaved work."
    assert _recovery_files() == []
    document.close()


def test_recovery_follows_a_moved_file_but_not_a_copy_of_it(small_project_path, tmp_path):
    _crash_with_a_copy(small_project_path)
    duplicate = tmp_path / "duplicate.esgproj"
    shutil.copy(small_project_path, duplicate)  # same uuid, but the original is still there
    os.utime(duplicate, ns=(1, 1))
    assert recoverable(duplicate) == []
    moved = tmp_path / "moved.esgproj"
    small_project_path.rename(moved)
    [copy] = recoverable(moved)
    assert _body(open_project(copy.path)) == "Unsaved work."
    assert len(recoverable(small_project_path)) == 1  # the file is gone: the copy is all there is


def test_a_damaged_copy_is_reported_and_refused(small_project_path):
    copy_path = _crash_with_a_copy(small_project_path)
    copy_path.write_bytes(copy_path.read_bytes()[:1000])
    [copy] = recoverable(small_project_path)
    assert copy.problem is not None and "damaged" in copy.problem
    with pytest.raises(ProjectFormatError) as error:
        Document.recover(copy)
    assert error.value.path == copy_path
    assert not lock_path_for(small_project_path).exists()
    copy.discard()
    assert recoverable(small_project_path) == [] and _recovery_files() == []


def test_a_copy_with_a_damaged_description_is_reported(small_project_path):
    copy_path = _crash_with_a_copy(small_project_path)
    copy_path.with_suffix(".json").write_text("{not json", encoding="utf-8")
    [copy] = list_recovery_copies()
    assert copy.problem is not None and "description" in copy.problem
    assert copy.uuid == open_project(small_project_path).meta.uuid  # read from the copy's name
    assert recoverable(small_project_path) == [copy]  # found by the project's uuid
    copy_path.with_suffix(".json").unlink()
    [copy] = list_recovery_copies()
    assert "missing" in (copy.problem or "")


def test_recovery_listing_without_a_folder_is_empty(small_project_path):
    assert list_recovery_copies() == [] and recoverable(small_project_path) == []


def test_a_description_without_its_copy_is_no_recovery_copy(small_project_path):
    recovery_dir().mkdir(parents=True)
    (recovery_dir() / f"{uuid.uuid4()}-000000000000.json").write_text("{}", encoding="utf-8")
    (recovery_dir() / f".{uuid.uuid4()}-000000000000.esgproj.x1.tmp").write_bytes(b"half")
    assert list_recovery_copies() == []


def test_recovery_copy_of_an_unsaved_project(small_project, tmp_path):
    document = Document.new(small_project)
    document.stack.execute(SetSectionText("env", "en", body="Never saved."))
    document.autosave()
    [copy] = list_recovery_copies()
    assert copy.original_path is None and copy.base is None
    recovered = Document.recover(copy)
    assert recovered.path is None and recovered.is_dirty and _body(recovered) == "Never saved."
    recovered.save_as(tmp_path / "finally.esgproj")
    assert _recovery_files() == []
    recovered.close()


def test_recovery_copy_type_is_plain_data(small_project_path):
    _crash_with_a_copy(small_project_path)
    [copy] = list_recovery_copies()
    assert isinstance(copy, RecoveryCopy) and copy.modified_ns > 0 and copy.saved_at


# -- a kill at any moment ---------------------------------------------------------------------


def _autosave_until_killed(project_path: str, data_home: str) -> None:
    """The child: open the project (taking over the lock its killed predecessor left) and
    autosave after every edit, as fast as it can, until it is killed."""
    os.environ["ESG_AUTHOR_DATA_HOME"] = data_home
    document = Document.open(project_path)
    edit = 0
    while True:
        edit += 1
        document.stack.execute(SetSectionText("env", "en", body=f"Edit {edit}. " * (1 + edit % 200)))
        document.autosave()


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL timing test, Linux only")
def test_a_kill_at_any_moment_leaves_no_copy_or_a_complete_one(small_project_path, data_home):
    context = multiprocessing.get_context("forkserver")
    # The server imports this module once; every child is forked from it, so a child starts in
    # milliseconds and the kills land while it writes, not while it imports.
    context.set_forkserver_preload([__name__])
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    folder = data_home / "recovery"
    started = time.monotonic()
    copies_seen = leftovers_seen = 0
    for attempt in range(100):
        temp_files_before = set(folder.glob(".*.tmp")) if folder.exists() else set()
        child = context.Process(target=_autosave_until_killed, args=(str(small_project_path), str(data_home)))
        child.start()
        time.sleep(rng.uniform(0.0, 0.25))
        child.kill()
        child.join()
        copies = [p for p in folder.glob("*.esgproj") if not p.name.startswith(".")] if folder.exists() else []
        assert len(copies) <= 1, f"attempt {attempt} (seed {seed}): {copies}"
        for copy in copies:
            assert _body(open_project(copy)).startswith("Edit "), f"attempt {attempt} (seed {seed})"
        assert all(c.problem is None for c in list_recovery_copies()), f"attempt {attempt} (seed {seed})"
        copies_seen += len(copies)
        # A temporary file that was not there before: this kill interrupted a write.
        leftovers_seen += bool(folder.exists() and set(folder.glob(".*.tmp")) - temp_files_before)
    elapsed = time.monotonic() - started
    print(f"kill test: {copies_seen} copies, {leftovers_seen} with temp files, {elapsed:.1f} s")
    assert copies_seen >= 50, f"the children rarely got to autosave (seed {seed})"
    assert leftovers_seen >= 5, f"no kill landed during a write (seed {seed}): the test proved nothing"
    assert elapsed < 40
    [copy] = recoverable(small_project_path)
    document = Document.recover(copy, break_lock=True)
    assert document.is_dirty and _body(document).startswith("Edit ")
    document.close()


def test_a_folder_where_no_lock_can_be_made_opens_read_only_only(small_project_path, monkeypatch):
    from esg_author.core.errors import LockFileError

    real_open = os.open

    def read_only_folder(path, flags, *args):
        if str(path).endswith("#"):  # the lock file
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only_folder)
    with pytest.raises(LockFileError):
        Document.open(small_project_path)
    with Document.open(small_project_path, read_only=True) as document:
        assert document.project.meta.year == 2025 and not document.holds_lock

"""The .esgproj file: round trip, atomic save, refusal of bad files, migrations, lock."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from esg_author.core.errors import ProjectFormatError, ProjectLockedError, ProjectSaveError
from esg_author.core.model import Asset, EmissionFactor, GlossaryTerm, KpiValue, Provenance
from esg_author.core.storage import (
    FileIdentity,
    ProjectLock,
    load_project_file,
    lock_path_for,
    open_project,
    project_file,
    read_format_version,
    read_project_uuid,
    save_project,
)
from esg_author.core.storage import lock as lock_file
from esg_author.core.storage.schema import APPLICATION_ID, FORMAT_VERSION

FIXTURES = Path(__file__).parent.parent / "fixtures"
V3_FIXTURE_UUID = "6f1c3b5e-2d4a-4c8e-9a71-3e5b0d2f8c14"


def test_round_trip_keeps_everything(small_project, tmp_path):
    small_project.assets["logo.svg"] = Asset("logo.svg", "image/svg+xml", b"<svg/>")
    small_project.kpis["emp.total"].entity_values["Shenzhen"] = {2025: KpiValue("number", Decimal("70"))}
    small_project.kpis["emp.total"].display_unit = "person"
    small_project.kpis["ghg.total"].formula = "ghg.scope1 + ghg.scope2"
    small_project.factors["my-grid"] = EmissionFactor("my-grid", Decimal("0.5366"), "tCO2e/MWh",
                                                      {"en": "MEE 2024"}, 2024, "CN", "electricity")
    small_project.glossary.append(GlossaryTerm({"zh-Hant": "持份者", "zh-Hans": "利益相关方", "en": "stakeholders"}))
    small_project.section("env").texts["zh-Hans"].state = "needs_review"
    small_project.kpis["emp.total"].values[2025] = KpiValue(
        "number", Decimal("120.50"), provenance=Provenance("imported", "hr.xlsx · HR!C4", "2026-01-05T10:00:00+00:00"))
    path = tmp_path / "p.esgproj"
    save_project(small_project, path)
    loaded = open_project(path)
    assert loaded.meta == small_project.meta
    assert [s.id for s in loaded.sections] == ["intro", "env", "env-data"]
    assert loaded.sections == small_project.sections
    assert loaded.kpis == small_project.kpis
    assert loaded.kpis["emp.total"].values[2025].number == Decimal("120.50")  # no float rounding
    assert loaded.kpis["emp.total"].values[2025].provenance.detail == "hr.xlsx · HR!C4"
    assert loaded.tables == small_project.tables
    assert loaded.assets["logo.svg"].data == b"<svg/>"
    assert loaded.factors == small_project.factors
    assert loaded.glossary == small_project.glossary


def test_file_is_a_marked_sqlite_database(small_project_path):
    conn = sqlite3.connect(small_project_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == FORMAT_VERSION
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert read_format_version(small_project_path) == FORMAT_VERSION


def test_failed_save_leaves_old_file_and_no_temp(small_project, small_project_path, monkeypatch):
    before = small_project_path.read_bytes()

    def explode(project, target):
        target.write_bytes(b"half written")
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(project_file, "_write_database", explode)
    with pytest.raises(ProjectSaveError, match="disk full"):
        save_project(small_project, small_project_path)
    assert small_project_path.read_bytes() == before
    assert sorted(p.name for p in small_project_path.parent.iterdir()) == ["small.esgproj"]


def test_kill_during_save_leaves_a_readable_project(small_project_path, tmp_path):
    """A process killed while saving a large project never leaves a damaged file behind."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parents[2])!r})
        from conftest import make_small_project
        from esg_author.core.model import Asset
        from esg_author.core.storage import save_project
        project = make_small_project()
        for i in range(400):
            project.assets[f"big{{i}}.bin"] = Asset(f"big{{i}}.bin", "application/octet-stream", bytes(250_000))
        print("saving", flush=True)
        while True:
            save_project(project, {str(small_project_path)!r})
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stdout.readline().strip() == b"saving"
    time.sleep(1.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    project = open_project(small_project_path)  # old or new, never a mix
    assert [s.id for s in project.sections] == ["intro", "env", "env-data"]
    for leftover in small_project_path.parent.glob(".small.esgproj.*.tmp"):
        leftover.unlink()  # a killed process cannot clean up; the next save ignores them


@pytest.mark.parametrize("content, reason", [
    (b"", "not an esg-author project"),
    (b"PK\x03\x04 this is a zip file" + bytes(200), "not an esg-author project"),
    (b"SQLite format 3\x00" + os.urandom(4000), "damaged"),
])
def test_bad_files_are_refused_and_unchanged(tmp_path, content, reason):
    path = tmp_path / "bad.esgproj"
    path.write_bytes(content)
    with pytest.raises(ProjectFormatError, match=reason):
        open_project(path)
    assert path.read_bytes() == content


def test_truncated_project_is_refused_and_unchanged(small_project_path):
    data = small_project_path.read_bytes()
    small_project_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProjectFormatError) as error:
        open_project(small_project_path)
    assert str(small_project_path) in str(error.value)
    assert small_project_path.read_bytes() == data[: len(data) // 2]


def test_other_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.esgproj"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectFormatError, match="not an esg-author project"):
        open_project(path)


def test_newer_format_is_refused_with_a_clear_message(small_project_path):
    conn = sqlite3.connect(small_project_path)
    conn.execute(f"PRAGMA user_version = {FORMAT_VERSION + 1}")
    conn.commit()
    conn.close()
    before = small_project_path.read_bytes()
    with pytest.raises(ProjectFormatError, match="newer esg-author"):
        open_project(small_project_path)
    assert small_project_path.read_bytes() == before


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectFormatError, match="no such file"):
        open_project(tmp_path / "nope.esgproj")
    with pytest.raises(ProjectFormatError, match="folder"):
        open_project(tmp_path)


@pytest.mark.parametrize("version", range(1, FORMAT_VERSION + 1))
def test_every_past_format_opens(version, tmp_path):
    """One fixture per format version ever released; older ones are migrated in memory and kept
    as a backup when first saved in the new format."""
    fixture = FIXTURES / f"project-v{version}.esgproj"
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    project = open_project(path)
    assert project.meta.company["en"] == "Example Co"
    assert project.kpis["emp.total"].values[2025].number == Decimal("120")
    assert project.section("env").text("zh-Hant").title == "環境"
    assert read_format_version(path) == version
    assert str(uuid.UUID(project.meta.uuid)) == project.meta.uuid
    if version >= 3:
        assert project.meta.uuid == V3_FIXTURE_UUID
    else:  # no identity before format 3: the migration gives a fresh one
        assert project.meta.uuid != V3_FIXTURE_UUID and read_project_uuid(path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [fixture.name]  # opening never writes
    assert path.read_bytes() == fixture.read_bytes()
    save_project(project, path)
    assert read_format_version(path) == FORMAT_VERSION
    assert open_project(path).kpis == project.kpis
    assert read_project_uuid(path) == project.meta.uuid  # the identity given on migration is kept
    backup = project_file.backup_path_for(path, version)
    if version < FORMAT_VERSION:
        assert backup.read_bytes() == fixture.read_bytes()  # the old file is kept as it was
        backup.write_bytes(b"first backup")
        save_project(project, path)  # already in the new format: the backup stays as it was
        assert backup.read_bytes() == b"first backup"
    else:
        assert not backup.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_opening_an_old_format_writes_nothing_even_many_times(tmp_path):
    fixture = FIXTURES / "project-v1.esgproj"
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    for _ in range(3):  # info, check and build each open the project, often in parallel
        open_project(path)
        read_format_version(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [fixture.name]
    assert path.read_bytes() == fixture.read_bytes()


def test_backup_that_cannot_be_written_fails_the_save_and_keeps_the_file(tmp_path, monkeypatch):
    fixture = FIXTURES / "project-v1.esgproj"
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    project = open_project(path)
    real_replace = project_file.atomic_replace

    def refuse_backup(target, write):
        if target == project_file.backup_path_for(path, 1):
            raise PermissionError(13, "Permission denied")
        real_replace(target, write)

    monkeypatch.setattr(project_file, "atomic_replace", refuse_backup)
    with pytest.raises(ProjectSaveError, match="backup") as error:
        save_project(project, path)
    assert error.value.path == path
    assert path.read_bytes() == fixture.read_bytes()


def test_saving_over_a_file_that_is_no_project_makes_no_backup(small_project, tmp_path):
    path = tmp_path / "p.esgproj"
    path.write_bytes(b"SQLite format 3\x00" + bytes(200))
    save_project(small_project, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.esgproj"]


@pytest.mark.parametrize("folder", ["with space", "hash#and?query", "管治 架構", "x #1 ?q=報告&%20"])
def test_opens_a_project_whatever_its_folder_is_called(small_project, tmp_path, folder):
    # Path.as_uri() percent-encodes '#', '?' and '%', so the old URI route got these right too;
    # this guards the names, test_project_is_read_without_sqlite_opening_the_path the UNC case.
    path = tmp_path / folder / "報告 #2?.esgproj"
    path.parent.mkdir()
    save_project(small_project, path)
    assert open_project(path).sections == small_project.sections
    assert read_format_version(path) == FORMAT_VERSION


def test_project_is_read_without_sqlite_opening_the_path(small_project_path, monkeypatch):
    """SQLite's URI route cannot open a Windows network path: \\\\server\\share\\x.esgproj becomes
    file://server/share/x.esgproj, "invalid uri authority". The bytes are read by Python instead."""
    from pathlib import PureWindowsPath

    with pytest.raises(sqlite3.OperationalError, match="invalid uri authority"):
        sqlite3.connect(PureWindowsPath(r"\\server\share\x.esgproj").as_uri() + "?mode=ro", uri=True)
    real_connect = sqlite3.connect
    opened = []

    def only_memory(database, *args, **kwargs):
        opened.append(str(database))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(project_file.sqlite3, "connect", only_memory)
    assert open_project(small_project_path).meta.year == 2025
    assert opened == [":memory:"]


def test_fallback_without_deserialize_still_opens(small_project_path, monkeypatch):
    monkeypatch.setattr(project_file, "_CAN_DESERIALIZE", False)
    assert [s.id for s in open_project(small_project_path).sections] == ["intro", "env", "env-data"]


def test_wal_mode_project_is_read(small_project, tmp_path):
    path = tmp_path / "wal.esgproj"
    save_project(small_project, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert path.read_bytes()[18:20] == b"\x02\x02"
    assert open_project(path).sections == small_project.sections
    writer = sqlite3.connect(path)  # another tool with changes not yet merged from NAME-wal
    try:
        writer.execute("UPDATE sections SET numbered = 0")
        writer.commit()
        with pytest.raises(ProjectFormatError, match=r"wal\.esgproj-wal"):
            open_project(path)
    finally:
        writer.close()
    assert open_project(path).section("env").numbered is False


def _edit_database(path, *statements):
    conn = sqlite3.connect(path)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize("statement, reason", [
    ("UPDATE sections SET parent_id = 'env' WHERE id = 'env'", "section env: is its own parent"),
    ("UPDATE sections SET parent_id = 'nowhere' WHERE id = 'env-data'", "section env-data: its parent 'nowhere'"),
    ("UPDATE sections SET parent_id = 'env-data' WHERE id = 'env'", "section env.*: the section tree has a cycle"),
])
def test_broken_section_tree_is_refused(small_project_path, statement, reason):
    _edit_database(small_project_path, "PRAGMA foreign_keys = OFF", statement)
    with pytest.raises(ProjectFormatError, match=reason) as error:
        open_project(small_project_path)
    assert error.value.path == small_project_path


def test_content_breaking_model_rules_is_a_format_error(small_project_path):
    _edit_database(small_project_path, "UPDATE kpi_values SET kind = 'guess' WHERE kpi_id = 'emp.total'")
    with pytest.raises(ProjectFormatError, match="unknown value kind") as error:
        open_project(small_project_path)
    assert error.value.path == small_project_path


@pytest.mark.parametrize("name", ["../../../PWNED.txt", "/tmp/x.txt", "..\\x.txt", "C:x.png", ".hidden.png",
                                  "noext", "a\x00b.png"])
def test_project_with_a_bad_asset_name_is_refused(small_project_path, name):
    conn = sqlite3.connect(small_project_path)
    with conn:
        conn.execute("INSERT INTO assets VALUES (?, ?, ?)", (name, "text/plain", b"x"))
    conn.close()
    with pytest.raises(ProjectFormatError, match="asset") as error:
        open_project(small_project_path)
    assert error.value.path == small_project_path and repr(name) in str(error.value)


def test_project_with_assets_differing_only_by_case_is_refused(small_project_path):
    conn = sqlite3.connect(small_project_path)
    with conn:
        conn.executemany("INSERT INTO assets VALUES (?, ?, ?)",
                         [("Logo.svg", "image/svg+xml", b"a"), ("logo.svg", "image/svg+xml", b"b")])
    conn.close()
    with pytest.raises(ProjectFormatError, match="only by case"):
        open_project(small_project_path)


def test_lock_blocks_a_second_editor_and_is_released(small_project_path):
    first = ProjectLock(small_project_path)
    first.acquire()
    assert lock_path_for(small_project_path).exists()
    with pytest.raises(ProjectLockedError, match="open elsewhere"):
        ProjectLock(small_project_path).acquire()
    first.release()
    assert not lock_path_for(small_project_path).exists()
    with ProjectLock(small_project_path):
        pass


def test_stale_lock_of_a_dead_process_is_taken_over(small_project_path):
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    lock_path_for(small_project_path).write_text(
        f'{{"user": "x", "host": "{os.uname().nodename}", "pid": {process.pid}}}', encoding="utf-8")
    lock = ProjectLock(small_project_path)
    lock.acquire()
    assert lock.held
    lock.release()


def test_lock_of_another_machine_is_respected(small_project_path):
    lock_path_for(small_project_path).write_text('{"user": "amy", "host": "laptop-7", "pid": 1}', encoding="utf-8")
    with pytest.raises(ProjectLockedError, match="amy on laptop-7"):
        ProjectLock(small_project_path).acquire()


def test_written_files_get_ordinary_permissions(tmp_path):
    from esg_author.core.storage import atomic_write_bytes

    target = tmp_path / "report.pdf"
    atomic_write_bytes(target, b"%PDF")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    atomic_write_bytes(target, b"%PDF-2")  # a replaced file keeps its mode
    assert target.stat().st_mode & 0o777 == 0o640


def test_atomic_write_does_not_touch_the_process_umask(tmp_path, monkeypatch):
    from esg_author.core.storage import atomic_write_bytes

    def forbidden(mask):
        raise AssertionError("os.umask changes the mask of every thread")

    monkeypatch.setattr(os, "umask", forbidden)
    atomic_write_bytes(tmp_path / "new.html", b"<p>")
    assert (tmp_path / "new.html").read_bytes() == b"<p>"


def test_lock_of_another_machine_can_be_broken_with_force(small_project_path):
    lock_path_for(small_project_path).write_text('{"user": "amy", "host": "laptop-7", "pid": 1}', encoding="utf-8")
    lock = ProjectLock(small_project_path)
    lock.acquire(force=True)
    assert lock.held and lock.is_held_by_this_process()
    assert lock.read_owner()["pid"] == os.getpid()
    lock.release()
    assert not lock_path_for(small_project_path).exists()


def test_release_leaves_a_lock_someone_broke_and_now_holds(small_project_path):
    first, breaker = ProjectLock(small_project_path), ProjectLock(small_project_path)
    first.acquire()
    breaker.acquire(force=True)
    first.release()
    assert lock_path_for(small_project_path).exists()  # the breaker's lock, not ours to remove
    assert not first.held and breaker.held
    breaker.release()
    assert not lock_path_for(small_project_path).exists()


def test_lock_of_this_process(small_project_path):
    lock = ProjectLock(small_project_path)
    assert not lock.is_held_by_this_process()
    lock.acquire()
    lock.acquire()  # idempotent while this object holds it
    other_window = ProjectLock(small_project_path)
    assert other_window.is_held_by_this_process()
    with pytest.raises(ProjectLockedError, match="another window of this program"):
        other_window.acquire()
    lock.release()
    assert not lock_path_for(small_project_path).exists()
    assert not other_window.is_held_by_this_process()


def test_taking_over_a_stale_lock_respects_whoever_took_it_first(small_project_path, monkeypatch):
    """Two editors find the same stale lock; the one that comes second must not remove the
    first one's fresh lock."""
    path = lock_path_for(small_project_path)
    path.write_text('{"user": "dead", "host": "h", "pid": 4000000}', encoding="utf-8")

    def stale_but_someone_is_faster(owner):
        path.write_text('{"user": "bob", "host": "h2", "pid": 7, "since": "now"}', encoding="utf-8")
        return True

    monkeypatch.setattr(ProjectLock, "_is_stale", staticmethod(stale_but_someone_is_faster))
    with pytest.raises(ProjectLockedError, match="bob on h2"):
        ProjectLock(small_project_path).acquire()
    assert "bob" in path.read_text(encoding="utf-8")


def test_lock_with_a_nonsense_pid_is_not_stale(small_project_path):
    for pid in (0, -1, True, "12"):
        lock_path_for(small_project_path).write_text(
            json.dumps({"user": "x", "host": socket.gethostname(), "pid": pid}), encoding="utf-8")
        with pytest.raises(ProjectLockedError):
            ProjectLock(small_project_path).acquire()


class FakeKernel32:
    """Just enough of kernel32 for _windows_process_alive."""

    def __init__(self, processes, denied=()):
        self.processes, self.denied, self.closed = processes, set(denied), []
        self.error = 0

    def OpenProcess(self, access, inherit, pid):  # the Windows API names
        assert access == lock_file.PROCESS_QUERY_LIMITED_INFORMATION
        if pid in self.denied:
            self.error = 5
            return None
        if pid not in self.processes:
            self.error = 87  # ERROR_INVALID_PARAMETER
            return None
        return 1000 + pid

    def GetExitCodeProcess(self, handle, code):
        code.contents.value = self.processes[handle - 1000]
        return 1

    def CloseHandle(self, handle):
        self.closed.append(handle)
        return 1


def test_windows_liveness_uses_the_process_exit_code():
    kernel32 = FakeKernel32({10: lock_file.STILL_ACTIVE, 11: 0}, denied={12})
    alive = [lock_file._windows_process_alive(pid, kernel32, lambda: kernel32.error) for pid in (10, 11, 12, 13)]
    assert alive == [True, False, True, False]  # running, exited, someone else's, no such process
    assert kernel32.closed == [1010, 1011]


def test_windows_never_uses_os_kill_to_test_a_process(small_project_path, monkeypatch):
    """On Windows os.kill(pid, 0) sends CTRL_C_EVENT instead of testing whether pid runs."""
    asked = []
    monkeypatch.setattr(lock_file, "_ON_WINDOWS", True)
    monkeypatch.setattr(lock_file, "_windows_process_alive", lambda pid: asked.append(pid) or False)
    monkeypatch.setattr(os, "kill", lambda *args: pytest.fail("os.kill called"))
    lock_path_for(small_project_path).write_text(
        json.dumps({"user": "x", "host": socket.gethostname(), "pid": 4321}), encoding="utf-8")
    taker = ProjectLock(small_project_path)
    taker.acquire()
    assert asked == [4321] and taker.held
    taker.release()


def test_each_new_project_gets_its_own_uuid_and_keeps_it(small_project, tmp_path):
    from dataclasses import replace

    from esg_author.core.model import ReportMeta

    other = ReportMeta(company={}, title={}, year=2025, period_start=small_project.meta.period_start,
                       period_end=small_project.meta.period_end)
    assert other.uuid != small_project.meta.uuid and uuid.UUID(other.uuid)
    assert replace(small_project.meta).uuid == small_project.meta.uuid  # a copy is the same project
    path = tmp_path / "p.esgproj"
    save_project(small_project, path)
    assert open_project(path).meta.uuid == small_project.meta.uuid == read_project_uuid(path)


def test_migrating_an_old_file_twice_gives_two_identities_until_it_is_saved(tmp_path):
    path = tmp_path / "old.esgproj"
    shutil.copy(FIXTURES / "project-v2.esgproj", path)
    assert open_project(path).meta.uuid != open_project(path).meta.uuid


@pytest.mark.parametrize("stored", ['"not-a-uuid"', '"../../evil"', "42", "null"])
def test_a_bad_project_uuid_is_refused(small_project_path, stored):
    _edit_database(small_project_path, f"UPDATE meta SET value = '{stored}' WHERE key = 'uuid'")
    with pytest.raises(ProjectFormatError, match="uuid") as error:
        open_project(small_project_path)
    assert error.value.path == small_project_path
    with pytest.raises(ProjectFormatError, match="uuid"):
        read_project_uuid(small_project_path)


def test_a_project_without_uuid_is_refused(small_project_path):
    _edit_database(small_project_path, "DELETE FROM meta WHERE key = 'uuid'")
    with pytest.raises(ProjectFormatError, match="malformed"):
        open_project(small_project_path)


def test_uuid_is_stored_in_canonical_form(small_project_path):
    canonical = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    _edit_database(small_project_path, f"UPDATE meta SET value = '\"{canonical.upper()}\"' WHERE key = 'uuid'")
    assert open_project(small_project_path).meta.uuid == canonical


def test_open_and_save_report_the_identity_of_the_bytes(small_project, tmp_path):
    path = tmp_path / "p.esgproj"
    written = save_project(small_project, path)
    data = path.read_bytes()
    stat = path.stat()
    assert written == FileIdentity(len(data), stat.st_mtime_ns, hashlib.sha256(data).hexdigest())
    assert load_project_file(path).identity == written == FileIdentity.of_file(path)


def test_a_lock_file_that_cannot_be_created_is_a_typed_error(small_project_path, monkeypatch):
    from esg_author.core.errors import LockFileError

    real_open = os.open

    def read_only_folder(path, flags, *args):
        if str(path).endswith("#"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only_folder)
    lock = ProjectLock(small_project_path)
    with pytest.raises(LockFileError, match="cannot lock the project for editing") as error:
        lock.acquire()
    assert error.value.path == small_project_path and "Permission denied" in str(error.value)
    assert not lock.held and not lock_path_for(small_project_path).exists()

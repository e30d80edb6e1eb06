"""The .esgproj file: round trip, atomic save, refusal of bad files, migrations, lock."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest

from esg_author.core.errors import ProjectFormatError, ProjectLockedError, ProjectSaveError
from esg_author.core.model import Asset, EmissionFactor, GlossaryTerm, KpiValue, Provenance
from esg_author.core.storage import (
    ProjectLock,
    lock_path_for,
    open_project,
    project_file,
    read_format_version,
    save_project,
)
from esg_author.core.storage.schema import APPLICATION_ID, FORMAT_VERSION

FIXTURES = Path(__file__).parent.parent / "fixtures"


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
    """One fixture per format version ever released; older ones are migrated with a backup."""
    fixture = FIXTURES / f"project-v{version}.esgproj"
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    project = open_project(path)
    assert project.meta.company["en"] == "Example Co"
    assert project.kpis["emp.total"].values[2025].number == Decimal("120")
    assert project.section("env").text("zh-Hant").title == "環境"
    if version < FORMAT_VERSION:
        backup = project_file.backup_path_for(path, version)
        assert backup.read_bytes() == fixture.read_bytes()  # the old file is kept as it was
        assert path.read_bytes() == fixture.read_bytes()  # opening never writes
        save_project(project, path)
        assert read_format_version(path) == FORMAT_VERSION
        assert open_project(path).kpis == project.kpis


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

"""Upgrades of older .esgproj formats, one step per version, run on an in-memory copy.

MIGRATIONS[n] turns a database of format n into format n + 1. The file on disk is never changed
by opening it: the migrated project is written only when the user saves, and a backup of the
old file is kept beside it first (see project_file.save_project).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from esg_author.core.model.project import new_project_uuid
from esg_author.core.storage.schema import FORMAT_VERSION

Migration = Callable[[sqlite3.Connection], None]


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    conn.executescript("""
        ALTER TABLE section_texts ADD COLUMN state TEXT NOT NULL DEFAULT '';
        ALTER TABLE kpis ADD COLUMN display_unit TEXT NOT NULL DEFAULT '';
        ALTER TABLE kpis ADD COLUMN formula TEXT NOT NULL DEFAULT '';
        CREATE TABLE kpi_values_v2 (
            kpi_id TEXT NOT NULL REFERENCES kpis(id), entity TEXT NOT NULL DEFAULT '',
            year INTEGER NOT NULL, kind TEXT NOT NULL, number TEXT, maximum TEXT,
            reason TEXT NOT NULL, note TEXT NOT NULL, provenance TEXT NOT NULL,
            PRIMARY KEY (kpi_id, entity, year));
        INSERT INTO kpi_values_v2 SELECT kpi_id, '', year, kind, number, maximum, reason, note, provenance
            FROM kpi_values;
        DROP TABLE kpi_values;
        ALTER TABLE kpi_values_v2 RENAME TO kpi_values;
        ALTER TABLE kpi_value_history ADD COLUMN entity TEXT NOT NULL DEFAULT '';
        CREATE TABLE emission_factors (id TEXT PRIMARY KEY, spec TEXT NOT NULL);
        CREATE TABLE glossary (position INTEGER PRIMARY KEY, spec TEXT NOT NULL);
    """)


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    # Each opening of an old file mints another identity until it is saved; recovery copies are
    # matched by the file's path as well, so an autosave of the unsaved migration is still found.
    conn.execute("INSERT INTO meta (key, value) VALUES ('uuid', ?)", (json.dumps(new_project_uuid()),))


MIGRATIONS: dict[int, Migration] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
}


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Bring conn from from_version up to FORMAT_VERSION, one step at a time."""
    version = from_version
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise LookupError(f"no migration from format {version}")
        step(conn)
        version += 1
        conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()

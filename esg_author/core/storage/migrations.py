"""Upgrades of older .esgproj formats, one step per version, run on an in-memory copy.

MIGRATIONS[n] turns a database of format n into format n + 1. The file on disk is never changed
by opening it: the migrated project is written only when the user saves, and a backup of the
old file is kept beside it first (see project_file.open_project).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from esg_author.core.storage.schema import FORMAT_VERSION

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: dict[int, Migration] = {
    # Format 1 is the first; the next format adds its step here, e.g. 1: _v1_to_v2.
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

"""Read and write .esgproj files.

Opening never writes anything: the file's bytes are read into an in-memory database first and
every check (header, application id, format version, integrity, model rules) runs on that copy.
Saving writes a complete new database next to the target and moves it into place with the
atomic-write helper; a file of an older format is first kept as a backup beside it. Both report
the identity (size, modification time, hash) of the bytes read or written, so an open document
can tell whether the file changed on disk since (see core.document).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import struct
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from esg_author.core.errors import InvalidProjectError, ModelError, ProjectFormatError, ProjectSaveError
from esg_author.core.model import (
    Asset,
    DisclosureStatus,
    EmissionFactor,
    GlossaryTerm,
    Kpi,
    KpiTable,
    KpiValue,
    Project,
    Provenance,
    ReportMeta,
    Section,
    SectionText,
    ValueChange,
)
from esg_author.core.model.names import check_asset_name, find_case_collision
from esg_author.core.model.validate import validate
from esg_author.core.storage.atomic import atomic_replace
from esg_author.core.storage.identity import FileIdentity
from esg_author.core.storage.migrations import migrate
from esg_author.core.storage.schema import APPLICATION_ID, FORMAT_VERSION, SCHEMA, SQLITE_HEADER

logger = logging.getLogger(__name__)

PROJECT_SUFFIX = ".esgproj"

# Python's sqlite3 has Connection.deserialize only when SQLite was built with it (nearly always).
_CAN_DESERIALIZE = hasattr(sqlite3.Connection, "deserialize")

# Fields of the 100-byte SQLite file header (https://sqlite.org/fileformat.html#the_database_header).
_HEADER_SIZE = 100
_USER_VERSION_OFFSET = 60
_APPLICATION_ID_OFFSET = 68


# -- opening --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedProject:
    """A project read from a file, with the identity of the exact bytes it was read from."""

    project: Project
    identity: FileIdentity


def open_project(path: Path | str) -> Project:
    """Load a project; raises ProjectFormatError with a plain reason for anything unreadable."""
    return load_project_file(path).project


def load_project_file(path: Path | str) -> LoadedProject:
    """What open_project does, keeping the file identity too (Document.open uses this)."""
    path = Path(path)
    conn, identity = _load_into_memory(path)
    try:
        version = _check_identity(conn, path)
        if version < FORMAT_VERSION:
            # Migrated in memory only; save_project keeps the old file as a backup.
            logger.info("Upgrading %s from format %d in memory", path, version)
            try:
                migrate(conn, version)
            except (LookupError, sqlite3.Error) as exc:
                raise ProjectFormatError(path, f"cannot upgrade from format {version}: {exc}") from exc
        try:
            project = _read_project(conn, path)
        except ModelError as exc:
            raise ProjectFormatError(path, f"the project content is inconsistent ({exc})") from exc
        except (KeyError, ValueError, TypeError, InvalidOperation, sqlite3.Error) as exc:
            raise ProjectFormatError(path, f"the project content is malformed ({exc})") from exc
    finally:
        conn.close()
    # The project is read: checks of the project as a whole go here, so that every way of
    # opening a file (open_project, Document.open, recovery) refuses the same files.
    problems = validate(project)
    if problems:
        raise ProjectFormatError(path, f"the project content is invalid: {InvalidProjectError(problems)}")
    return LoadedProject(project, identity)


def backup_path_for(path: Path, version: int) -> Path:
    return path.with_name(f"{path.stem}.format{version}.bak{PROJECT_SUFFIX}")


def read_format_version(path: Path | str) -> int:
    """The format version of a project file (for `esg-author info`), after the same checks."""
    path = Path(path)
    conn, _identity = _load_into_memory(path)
    try:
        return _check_identity(conn, path)
    finally:
        conn.close()


def read_project_uuid(path: Path | str) -> str | None:
    """The project identity stored in the file, without reading the rest of the project; None
    for a file of a format older than 3, which has none yet. Same checks as open_project."""
    path = Path(path)
    conn, _identity = _load_into_memory(path)
    try:
        if _check_identity(conn, path) < 3:
            return None
        row = conn.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()
        if row is None:
            raise ProjectFormatError(path, "the project content is malformed (no project uuid)")
        try:
            return _canonical_uuid(json.loads(row[0]))
        except ValueError as exc:
            raise ProjectFormatError(path, f"the project content is malformed ({exc})") from exc
    finally:
        conn.close()


def _load_into_memory(path: Path) -> tuple[sqlite3.Connection, FileIdentity]:
    if not path.exists():
        raise ProjectFormatError(path, "no such file")
    if path.is_dir():
        raise ProjectFormatError(path, "is a folder, not a project file")
    try:
        # Opened for reading only. With deserialize SQLite never sees the path, so whatever Python
        # can read opens: a Windows network path (\\server\share\…, which SQLite's URI form
        # file://server/share/… refuses as "invalid uri authority"), '#', '?', CJK.
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as exc:
        raise ProjectFormatError(path, f"cannot be read ({exc.strerror})") from exc
    if not data.startswith(SQLITE_HEADER):
        raise ProjectFormatError(path, "is not an esg-author project (not an SQLite database)")
    memory = sqlite3.connect(":memory:")
    try:
        if _CAN_DESERIALIZE:
            memory.deserialize(_without_wal_mode(data, path))
        else:
            _backup_through_uri(memory, path)
        result = memory.execute("PRAGMA integrity_check").fetchone()
    except ProjectFormatError:
        memory.close()
        raise
    except sqlite3.DatabaseError as exc:
        memory.close()
        raise ProjectFormatError(path, f"the file is damaged ({exc})") from exc
    if not result or result[0] != "ok":
        memory.close()
        raise ProjectFormatError(path, f"the file is damaged ({result[0] if result else 'no result'})")
    return memory, FileIdentity.of_bytes(data, stat)


def _without_wal_mode(data: bytes, path: Path) -> bytes:
    """The database bytes, readable from memory even if another tool switched the file to WAL
    mode (esg-author saves in DELETE mode): SQLite cannot read a WAL-mode image without its WAL."""
    if len(data) < _HEADER_SIZE or (data[18] != 2 and data[19] != 2):
        return data
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ProjectFormatError(
            path, f"has changes another SQLite tool has not yet written into it ({wal.name}); "
                  "close that tool, then open the project again")
    patched = bytearray(data)
    patched[18] = patched[19] = 1  # file format read/write versions: 1 = rollback journal
    return bytes(patched)


def _backup_through_uri(memory: sqlite3.Connection, path: Path) -> None:
    """Fallback for an SQLite without deserialize; cannot open UNC paths (file://server/…)."""
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(memory)
    finally:
        source.close()


def _check_identity(conn: sqlite3.Connection, path: Path) -> int:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise ProjectFormatError(path, "is an SQLite database but not an esg-author project")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > FORMAT_VERSION:
        raise ProjectFormatError(
            path,
            f"was saved by a newer esg-author (project format {version}; this version reads up to "
            f"{FORMAT_VERSION}). Update esg-author to open it; the file was not changed.",
        )
    if version < 1:
        raise ProjectFormatError(path, f"has an invalid format version {version}")
    return version


def _read_project(conn: sqlite3.Connection, path: Path) -> Project:
    meta_rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    meta_data = {key: json.loads(value) for key, value in meta_rows.items()}
    project = Project(meta=_meta_from_dict(meta_data))

    texts: dict[str, dict[str, SectionText]] = {}
    for section_id, lang, title, body, source_lang, fingerprint, state in conn.execute(
        "SELECT section_id, lang, title, body, source_lang, source_fingerprint, state FROM section_texts"
    ):
        texts.setdefault(section_id, {})[lang] = SectionText(title, body, source_lang, fingerprint, state)
    for section_id, parent_id, numbered, disclosures in conn.execute(
        "SELECT id, parent_id, numbered, disclosures FROM sections ORDER BY position"
    ):
        project.sections.append(
            Section(section_id, parent_id, bool(numbered), texts.get(section_id, {}), json.loads(disclosures))
        )
    _check_section_tree(project, path)

    for row in conn.execute(
        "SELECT id, grp, parent_id, dimension, unit, precision, codes, name, boundary, display_unit, formula "
        "FROM kpis ORDER BY position"
    ):
        kpi_id, group, parent_id, dimension, unit, precision, codes, name, boundary, display_unit, formula = row
        project.kpis[kpi_id] = Kpi(
            id=kpi_id, name=json.loads(name), unit=unit, group=group, parent_id=parent_id,
            dimension=dimension, precision=precision, codes=json.loads(codes), boundary=json.loads(boundary),
            display_unit=display_unit, formula=formula,
        )
    for kpi_id, entity, year, kind, number, maximum, reason, note, provenance in conn.execute(
        "SELECT kpi_id, entity, year, kind, number, maximum, reason, note, provenance FROM kpi_values"
    ):
        value = value_from_dict(
            {"kind": kind, "number": number, "maximum": maximum, "reason": json.loads(reason),
             "note": json.loads(note), "provenance": json.loads(provenance)}
        )
        kpi = project.kpi(kpi_id)
        if entity:
            kpi.entity_values.setdefault(entity, {})[year] = value
        else:
            kpi.values[year] = value
    for kpi_id, year, old, new, at, entity in conn.execute(
        "SELECT kpi_id, year, old, new, at, entity FROM kpi_value_history ORDER BY seq"
    ):
        project.kpi(kpi_id).history.append(
            ValueChange(kpi_id, year, _optional_value(old), _optional_value(new), at, entity)
        )

    for table_id, spec in conn.execute("SELECT id, spec FROM kpi_tables ORDER BY position"):
        data = json.loads(spec)
        project.tables[table_id] = KpiTable(
            id=table_id, title=data["title"], rows=data["rows"], years=data["years"],
            order=data.get("order", "ascending"), show_change=data.get("show_change", False),
            notes=data.get("notes", []), codes=data.get("codes", []),
        )
    for framework, code, status, explanation, omission in conn.execute(
        "SELECT framework, code, status, explanation, omission_reason FROM disclosure_status"
    ):
        project.statuses[(framework, code)] = DisclosureStatus(
            framework, code, status, json.loads(explanation), omission
        )
    for name, media_type, data in conn.execute("SELECT name, media_type, data FROM assets ORDER BY name"):
        try:
            check_asset_name(name)
        except ModelError as exc:
            raise ProjectFormatError(path, f"asset {name!r}: {exc}") from None
        other = find_case_collision(name, project.assets)
        if other is not None:
            raise ProjectFormatError(
                path, f"asset {name!r}: differs from asset {other!r} only by case; the two files would "
                      "collide on Windows and macOS")
        project.assets[name] = Asset(name, media_type, bytes(data))
    for factor_id, spec in conn.execute("SELECT id, spec FROM emission_factors"):
        data = json.loads(spec)
        project.factors[factor_id] = EmissionFactor(
            factor_id, Decimal(data["value"]), data["unit"], data["source"], int(data["year"]),
            data.get("region", ""), data.get("activity", ""))
    for (spec,) in conn.execute("SELECT spec FROM glossary ORDER BY position"):
        data = json.loads(spec)
        project.glossary.append(GlossaryTerm(data["forms"], bool(data.get("protected", True)), data.get("note", "")))
    return project


def _check_section_tree(project: Project, path: Path) -> None:
    """Every parent exists and no section is its own ancestor (a cycle would hide sections from
    every walk of the tree and make removing them recurse forever)."""
    parents = {section.id: section.parent_id for section in project.sections}
    for section in project.sections:
        if section.parent_id is None:
            continue
        if section.parent_id == section.id:
            raise ProjectFormatError(path, f"section {section.id}: is its own parent")
        if section.parent_id not in parents:
            raise ProjectFormatError(path, f"section {section.id}: its parent {section.parent_id!r} does not exist")
    for section in project.sections:
        seen = {section.id}
        parent = section.parent_id
        while parent is not None:
            if parent in seen:
                raise ProjectFormatError(path, f"section {section.id}: the section tree has a cycle through {parent!r}")
            seen.add(parent)
            parent = parents[parent]


def _meta_from_dict(data: dict[str, Any]) -> ReportMeta:
    return ReportMeta(
        company=data["company"],
        title=data["title"],
        year=int(data["year"]),
        period_start=date.fromisoformat(data["period_start"]),
        period_end=date.fromisoformat(data["period_end"]),
        short_name=data.get("short_name", {}),
        currency=data.get("currency", "RMB"),
        languages=list(data["languages"]),
        frameworks=list(data.get("frameworks", [])),
        template=data.get("template", "default"),
        logo=data.get("logo"),
        cover_image=data.get("cover_image"),
        options=data.get("options", {}),
        uuid=_canonical_uuid(data["uuid"]),
    )


def _canonical_uuid(value: object) -> str:
    # The uuid names recovery files, so only a real UUID in canonical form is accepted.
    if not isinstance(value, str):
        raise ValueError(f"the project uuid {value!r} is not text")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"the project uuid {value!r} is not a UUID") from None


def _meta_to_dict(meta: ReportMeta) -> dict[str, Any]:
    return {
        "company": meta.company, "title": meta.title, "year": meta.year,
        "period_start": meta.period_start.isoformat(), "period_end": meta.period_end.isoformat(),
        "short_name": meta.short_name, "currency": meta.currency, "languages": meta.languages,
        "frameworks": meta.frameworks, "template": meta.template, "logo": meta.logo,
        "cover_image": meta.cover_image, "options": meta.options, "uuid": meta.uuid,
    }


def value_to_dict(value: KpiValue) -> dict[str, Any]:
    return {
        "kind": value.kind,
        "number": None if value.number is None else str(value.number),
        "maximum": None if value.maximum is None else str(value.maximum),
        "reason": value.reason,
        "note": value.note,
        "provenance": {"source": value.provenance.source, "detail": value.provenance.detail,
                       "at": value.provenance.at},
    }


def value_from_dict(data: dict[str, Any]) -> KpiValue:
    provenance = data.get("provenance") or {"source": "typed"}
    return KpiValue(
        kind=data["kind"],
        number=None if data.get("number") is None else Decimal(data["number"]),
        maximum=None if data.get("maximum") is None else Decimal(data["maximum"]),
        reason=data.get("reason") or {},
        note=data.get("note") or {},
        provenance=Provenance(provenance["source"], provenance.get("detail", ""), provenance.get("at", "")),
    )


def _optional_value(text: str | None) -> KpiValue | None:
    return None if text is None else value_from_dict(json.loads(text))


# -- saving ---------------------------------------------------------------------------------


def save_project(project: Project, path: Path | str) -> FileIdentity:
    """Write the whole project to path atomically; on failure the old file is unchanged.

    Returns the identity of what was written: hashed from the new file before it is moved into
    place, so a write by someone else right after ours is never mistaken for ours.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ProjectSaveError(path, "the folder does not exist")
    _back_up_older_format(path)
    written: list[FileIdentity] = []

    def write(tmp: Path) -> None:
        _write_database(project, tmp)
        written.append(FileIdentity.of_file(tmp))

    try:
        atomic_replace(path, write)
        mtime_ns = path.stat().st_mtime_ns
    except (OSError, sqlite3.Error) as exc:
        raise ProjectSaveError(path, str(exc)) from exc
    # os.replace keeps the new file's modification time, but some network file systems set their
    # own: take the time from the target, the size and hash from what we wrote.
    return FileIdentity(written[0].size, mtime_ns, written[0].sha256)


def _back_up_older_format(path: Path) -> None:
    """Before an older-format project is replaced by the current format, keep it as it was."""
    version = _saved_format_version(path)
    if version is None or version >= FORMAT_VERSION:
        return
    backup = backup_path_for(path, version)
    if backup.exists():
        return  # the first backup is the original; later saves are already in the new format
    try:
        atomic_replace(backup, lambda tmp: shutil.copyfile(path, tmp))
    except OSError as exc:
        raise ProjectSaveError(path, f"cannot keep a backup of the format {version} file as {backup.name} "
                                     f"({exc.strerror or exc}); nothing was saved") from exc
    logger.info("Kept %s (format %d) as %s before saving in format %d", path, version, backup, FORMAT_VERSION)


def _saved_format_version(path: Path) -> int | None:
    """The format version of the esg-author project at path, read from the SQLite header, or
    None when there is no such file or it is not an esg-author project."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(_HEADER_SIZE)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ProjectSaveError(path, f"cannot read the existing file ({exc.strerror or exc})") from exc
    if len(header) < _HEADER_SIZE or not header.startswith(SQLITE_HEADER):
        return None
    (version,) = struct.unpack_from(">i", header, _USER_VERSION_OFFSET)
    (app_id,) = struct.unpack_from(">I", header, _APPLICATION_ID_OFFSET)
    return version if app_id == APPLICATION_ID else None


def _write_database(project: Project, target: Path) -> None:
    target.unlink(missing_ok=True)  # mkstemp created an empty file; SQLite wants its own
    conn = sqlite3.connect(target)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        conn.executescript(SCHEMA)
        with conn:
            _insert_project(conn, project)
    finally:
        conn.close()


def _insert_project(conn: sqlite3.Connection, project: Project) -> None:
    dump = json.dumps
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [(key, dump(value, ensure_ascii=False)) for key, value in _meta_to_dict(project.meta).items()],
    )
    for position, section in enumerate(project.sections):
        conn.execute(
            "INSERT INTO sections (id, parent_id, position, numbered, disclosures) VALUES (?, ?, ?, ?, ?)",
            (section.id, section.parent_id, position, int(section.numbered), dump(section.disclosures)),
        )
        conn.executemany(
            "INSERT INTO section_texts VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(section.id, lang, t.title, t.body, t.source_lang, t.source_fingerprint, t.state)
             for lang, t in section.texts.items()],
        )
    for position, kpi in enumerate(project.kpis.values()):
        conn.execute(
            "INSERT INTO kpis VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kpi.id, position, kpi.group, kpi.parent_id, kpi.dimension, kpi.unit, kpi.precision,
             dump(kpi.codes), dump(kpi.name, ensure_ascii=False), dump(kpi.boundary, ensure_ascii=False),
             kpi.display_unit, kpi.formula),
        )
        rows = [("", year, value) for year, value in kpi.values.items()]
        rows += [(entity, year, value) for entity, values in kpi.entity_values.items() for year, value in values.items()]
        for entity, year, value in rows:
            data = value_to_dict(value)
            conn.execute(
                "INSERT INTO kpi_values VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kpi.id, entity, year, data["kind"], data["number"], data["maximum"],
                 dump(data["reason"], ensure_ascii=False), dump(data["note"], ensure_ascii=False),
                 dump(data["provenance"], ensure_ascii=False)),
            )
        conn.executemany(
            "INSERT INTO kpi_value_history (kpi_id, year, old, new, at, entity) VALUES (?, ?, ?, ?, ?, ?)",
            [(c.kpi_id, c.year,
              None if c.old is None else dump(value_to_dict(c.old), ensure_ascii=False),
              None if c.new is None else dump(value_to_dict(c.new), ensure_ascii=False), c.at, c.entity)
             for c in kpi.history],
        )
    for position, table in enumerate(project.tables.values()):
        spec = {"title": table.title, "rows": table.rows, "years": table.years, "order": table.order,
                "show_change": table.show_change, "notes": table.notes, "codes": table.codes}
        conn.execute("INSERT INTO kpi_tables VALUES (?, ?, ?)",
                     (table.id, position, dump(spec, ensure_ascii=False)))
    conn.executemany(
        "INSERT INTO disclosure_status VALUES (?, ?, ?, ?, ?)",
        [(s.framework, s.code, s.status, dump(s.explanation, ensure_ascii=False), s.omission_reason)
         for s in project.statuses.values()],
    )
    conn.executemany(
        "INSERT INTO assets VALUES (?, ?, ?)",
        [(a.name, a.media_type, a.data) for a in project.assets.values()],
    )
    conn.executemany(
        "INSERT INTO emission_factors VALUES (?, ?)",
        [(f.id, dump({"value": str(f.value), "unit": f.unit, "source": f.source, "year": f.year,
                      "region": f.region, "activity": f.activity}, ensure_ascii=False))
         for f in project.factors.values()],
    )
    conn.executemany(
        "INSERT INTO glossary VALUES (?, ?)",
        [(i, dump({"forms": t.forms, "protected": t.protected, "note": t.note}, ensure_ascii=False))
         for i, t in enumerate(project.glossary)],
    )

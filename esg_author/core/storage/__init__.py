"""Project files on disk: atomic writes, the .esgproj format, migrations, the lock file and the
identity of a file as it was read or written."""

from esg_author.core.storage.atomic import atomic_replace, atomic_write_bytes, atomic_write_text
from esg_author.core.storage.identity import FileIdentity
from esg_author.core.storage.lock import ProjectLock, lock_path_for
from esg_author.core.storage.project_file import (
    PROJECT_SUFFIX,
    LoadedProject,
    load_project_file,
    open_project,
    read_format_version,
    read_project_uuid,
    save_project,
)

__all__ = [
    "PROJECT_SUFFIX",
    "FileIdentity",
    "LoadedProject",
    "ProjectLock",
    "atomic_replace",
    "atomic_write_bytes",
    "atomic_write_text",
    "load_project_file",
    "lock_path_for",
    "open_project",
    "read_format_version",
    "read_project_uuid",
    "save_project",
]

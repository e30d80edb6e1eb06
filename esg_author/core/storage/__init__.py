"""Project files on disk: atomic writes, the .esgproj format, migrations and the lock file."""

from esg_author.core.storage.atomic import atomic_replace, atomic_write_bytes, atomic_write_text
from esg_author.core.storage.lock import ProjectLock, lock_path_for
from esg_author.core.storage.project_file import (
    PROJECT_SUFFIX,
    open_project,
    read_format_version,
    save_project,
)

__all__ = [
    "PROJECT_SUFFIX",
    "ProjectLock",
    "atomic_replace",
    "atomic_write_bytes",
    "atomic_write_text",
    "lock_path_for",
    "open_project",
    "read_format_version",
    "save_project",
]

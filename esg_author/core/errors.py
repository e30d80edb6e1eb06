"""Typed errors of the core. The CLI prints them as one line; the GUI shows them in one place."""

from __future__ import annotations

from pathlib import Path


class EsgAuthorError(Exception):
    """Base of every error a user can cause and fix (bad file, bad input, locked project)."""


class ProjectFormatError(EsgAuthorError):
    """A file that is not a readable esg-author project, or one of an unsupported version."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ProjectLockedError(EsgAuthorError):
    """The project is open for editing elsewhere."""

    def __init__(self, path: Path | str, owner: str) -> None:
        self.path = Path(path)
        self.owner = owner
        super().__init__(f"{self.path}: the project is open elsewhere ({owner})")


class ProjectSaveError(EsgAuthorError):
    """Saving failed; the file on disk is unchanged."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: could not save: {reason}")


class ModelError(EsgAuthorError):
    """A change that would make the project inconsistent (unknown id, duplicate id, cycle …)."""


class TemplateError(EsgAuthorError):
    """A report template that cannot be loaded or rendered; names the file and line when known."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {reason}")


class RenderError(EsgAuthorError):
    """Rendering a report failed."""


class DataFileError(EsgAuthorError):
    """A bundled or user data file (demo content, skeleton, catalogue) is malformed."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

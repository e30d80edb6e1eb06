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


class LockFileError(EsgAuthorError):
    """The lock file beside a project cannot be written (a read-only folder or share)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: cannot lock the project for editing: {reason}")


class ProjectSaveError(EsgAuthorError):
    """Saving failed; the file on disk is unchanged."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: could not save: {reason}")


class ExternalChangeError(ProjectSaveError):
    """The file changed on disk since it was opened or last saved, so saving over it would lose
    what someone else wrote; nothing was written. change says what differs (content, time …).
    The caller offers to save under another name or to overwrite (Document.save(overwrite=True))."""

    def __init__(self, path: Path | str, change: str) -> None:
        self.change = change
        super().__init__(path, f"the file was changed on disk since it was opened or last saved ({change}); "
                               "nothing was written")


class ModelError(EsgAuthorError):
    """A change that would make the project inconsistent (unknown id, duplicate id, cycle …)."""


class InvalidValueError(ModelError):
    """A value a field of the project cannot hold: names the field, the value and why.

    field is a path such as "year", "option.date_style", "kpi[ghg.total].unit" or
    "section[env].parent_id"; reason is an English msgid with {placeholders} filled from params,
    so a GUI can translate it and point at the field.
    """

    def __init__(self, field: str, value: object, reason: str, **params: object) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        self.params = params
        super().__init__(f"{field}: {shown_value(value)} {reason.format(**params) if params else reason}")


class InvalidProjectError(ModelError):
    """A project that breaks rules every project must satisfy (core/model/validate.py); problems
    lists each broken rule (field, value, reason), the message the first few."""

    def __init__(self, problems: list[object]) -> None:
        self.problems = list(problems)
        shown = "; ".join(str(problem) for problem in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(shown + more)


class InUseError(ModelError):
    """Something cannot be removed while other parts of the project use it; uses names them
    ("table env", "formula of ghg.intensity"), so the user can change those first."""

    def __init__(self, what: str, uses: list[str]) -> None:
        self.what = what
        self.uses = list(uses)
        listed = ", ".join(self.uses[:5]) + (f" and {len(self.uses) - 5} more" if len(self.uses) > 5 else "")
        super().__init__(f"{what} is used by {listed}; change those first")


def shown_value(value: object, limit: int = 60) -> str:
    """A value as an error message quotes it: its repr, shortened when long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


class UnitError(EsgAuthorError):
    """A unit that is unknown, or a conversion between units of different kinds (MWh → t)."""


class FormulaError(EsgAuthorError):
    """A derived KPI's formula that cannot be evaluated: bad syntax, unknown id, cycle, wrong units."""

    def __init__(self, kpi_id: str, reason: str) -> None:
        self.kpi_id = kpi_id
        self.reason = reason
        super().__init__(f"KPI {kpi_id}: {reason}" if kpi_id else reason)


class WorkbookError(EsgAuthorError):
    """An Excel workbook that cannot be read or imported; names the file, sheet!cell and reason.

    sheet and cell are "" when the problem concerns the whole file (not a zip, a zip bomb …).
    """

    def __init__(self, path: Path | str, sheet: str, cell: str, reason: str) -> None:
        self.path = Path(path)
        self.sheet = sheet
        self.cell = cell
        self.reason = reason
        where = f"{sheet}!{cell}" if sheet and cell else sheet
        super().__init__(f"{self.path}: {where}: {reason}" if where else f"{self.path}: {reason}")


class ExchangeError(EsgAuthorError):
    """A translation exchange file (XLIFF, PO, XLSX) that cannot be read or written as a whole.

    Problems with single units of a readable file are reported per unit instead (see
    esg_author.core.i18n.exchange.ImportReport); unit names the unit when the error is about one.
    """

    def __init__(self, path: Path | str, unit: str | None, reason: str) -> None:
        self.path = Path(path)
        self.unit = unit
        self.reason = reason
        super().__init__(f"{self.path}: {f'unit {unit}: ' if unit else ''}{reason}")

"""The one result type of every check, render and import: a Finding with a severity, a rule id
from the registry (core/rules.py), a translatable message and a typed target a GUI can jump to.

A message is an English source string with `{name}` placeholders (a gettext msgid, marked with
N_ where it is written) and the parameters that fill it. `text` is the English message for logs
and the CLI; `esg_author.core.i18n.catalogs.finding_text(finding, lang)` gives it in a UI
language. Core messages describe the problem and never advise command-line flags: the CLI adds
such hints itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import ClassVar

from esg_author.core.rules import RULES


class Severity(StrEnum):
    ERROR = "error"  # the report is wrong or incomplete: `check` exits 1
    WARNING = "warning"  # probably wrong, worth a look
    INFO = "info"


# -- targets: where to look ----------------------------------------------------------------


@dataclass(frozen=True)
class SectionTarget:
    """A section's text in one language; start/end a character span of its body when known."""

    section_id: str
    lang: str = ""
    start: int | None = None
    end: int | None = None

    kind: ClassVar[str] = "section"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return self.section_id

    def describe(self) -> str:
        return f"section {self.section_id}"


@dataclass(frozen=True)
class KpiTarget:
    kpi_id: str
    year: int | None = None
    entity: str = ""  # "" is the group value

    kind: ClassVar[str] = "kpi"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return self.kpi_id

    def describe(self) -> str:
        where = f"KPI {self.kpi_id}"
        if self.year is not None:
            where += f" {self.year}"
        return where + (f" ({self.entity})" if self.entity else "")


@dataclass(frozen=True)
class KpiGroupTarget:
    group: str

    kind: ClassVar[str] = "kpi_group"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return self.group

    def describe(self) -> str:
        return f"KPI group {self.group}"


@dataclass(frozen=True)
class TableTarget:
    table_id: str

    kind: ClassVar[str] = "table"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return self.table_id

    def describe(self) -> str:
        return f"KPI table {self.table_id}"


@dataclass(frozen=True)
class DisclosureTarget:
    framework: str
    code: str = ""  # "" is the framework as a whole

    kind: ClassVar[str] = "disclosure"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return f"{self.framework}:{self.code}" if self.code else self.framework

    def describe(self) -> str:
        return f"{self.framework}:{self.code}" if self.code else f"framework {self.framework}"


@dataclass(frozen=True)
class CellTarget:
    """A cell (or a whole sheet, or the file) of a workbook or exchange file. In a translation
    exchange file (XLIFF, PO), which has no sheets, the cell is the unit's id."""

    file: str
    sheet: str = ""
    cell: str = ""

    kind: ClassVar[str] = "cell"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return self.file

    def describe(self) -> str:
        where = self.file
        if self.sheet:
            where += f" {self.sheet}" + (f"!{self.cell}" if self.cell else "")
        elif self.cell:
            where += f" {self.cell}"
        return where


@dataclass(frozen=True)
class TemplateTarget:
    """A report template, or one of its files and a line in it."""

    template: str
    file: str = ""
    line: int | None = None

    kind: ClassVar[str] = "template"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return self.template

    def describe(self) -> str:
        where = f"template {self.template}" + (f" {self.file}" if self.file else "")
        return where + (f":{self.line}" if self.line is not None else "")


@dataclass(frozen=True)
class AssetTarget:
    name: str

    kind: ClassVar[str] = "asset"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return self.name

    def describe(self) -> str:
        return f"asset {self.name}"


@dataclass(frozen=True)
class SettingTarget:
    """A field of the report metadata ("year", "period_end") or a project option ("option.date_style")."""

    name: str

    kind: ClassVar[str] = "setting"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return self.name

    def describe(self) -> str:
        return self.name.replace("option.", "option ", 1)


@dataclass(frozen=True)
class ProjectTarget:
    """The report as a whole (e.g. the PDF of an edition)."""

    kind: ClassVar[str] = "project"

    @property
    def key(self) -> str:
        """The id of what is concerned, e.g. the section or KPI id."""
        return ""

    def describe(self) -> str:
        return ""


Target = (SectionTarget | KpiTarget | KpiGroupTarget | TableTarget | DisclosureTarget | CellTarget
          | TemplateTarget | AssetTarget | SettingTarget | ProjectTarget)

TARGET_TYPES = Target.__args__  # type: ignore[attr-defined]


class Params(Mapping[str, object]):
    """A message's parameters: read-only and hashable, so equal findings can be de-duplicated.
    Values are plain text and numbers."""

    def __init__(self, values: Mapping[str, object] | None = None) -> None:
        self._items = tuple(sorted((values or {}).items()))

    def __getitem__(self, key: str) -> object:
        for name, value in self._items:
            if name == key:
                return value
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._items) == dict(other.items())

    def __repr__(self) -> str:
        return f"Params({dict(self._items)!r})"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str  # a registered id (core/rules.py), e.g. "text.missing", "token.unresolved"
    message: str  # English source text with {placeholders}: the catalog key
    lang: str = ""  # the report language concerned, "" for all
    target: Target = field(default_factory=ProjectTarget)
    params: Mapping[str, object] = field(default_factory=Params)

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"finding rule {self.rule!r} is not registered in core/rules.py")
        if not isinstance(self.target, TARGET_TYPES):
            raise TypeError(f"finding target must be a Target, not {self.target!r}")
        if not isinstance(self.params, Params):
            object.__setattr__(self, "params", Params(self.params))

    @property
    def text(self) -> str:
        """The message in English, placeholders filled."""
        return self.message.format(**self.params) if self.params else self.message

    @property
    def location(self) -> str:
        """Where to look, as one short English phrase (for the CLI and logs)."""
        return self.target.describe()

    def as_dict(self) -> dict[str, object]:
        return {"severity": self.severity.value, "rule": self.rule, "message": self.text, "lang": self.lang,
                "location": self.location,
                "target": {"kind": self.target.kind, "id": self.target.key, **asdict(self.target)}}

    def one_line(self) -> str:
        lang = self.lang or getattr(self.target, "lang", "")
        where = " ".join(part for part in (self.location, f"[{lang}]" if lang else "") if part)
        return f"{self.severity.value}: {where + ': ' if where else ''}{self.text} ({self.rule})"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)

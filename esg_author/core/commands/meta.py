"""Commands on the report metadata: names, year and period, currency, languages, frameworks,
template, logo and cover image, and project options.

Each setter checks its value with the rules of core/model/validate.py (and, for frameworks and
templates, that they are installed here) and raises InvalidValueError naming the field before
anything changes. SetReportMeta(field_name, value) sets any one field by name with the same
checks, for callers that hold a field name (the CLI).
"""

from __future__ import annotations

import copy
from abc import abstractmethod
from dataclasses import dataclass, field
from datetime import date

from esg_author.core.commands.base import Command, vocabulary
from esg_author.core.commands.changes import ChangeSet
from esg_author.core.errors import InvalidValueError
from esg_author.core.model import LANGUAGES, Project
from esg_author.core.model.options import KNOWN_OPTIONS
from esg_author.core.model.validate import (
    META_FIELDS,
    N_,
    meta_field_problems,
    option_problems,
    period_problems,
    require,
    text_problems,
)

LOCALIZED_FIELDS = ("company", "title", "short_name")


@dataclass
class SetReportMeta(Command):
    """Set one field of the report metadata by name (see META_FIELDS), checked like the typed
    setters below; the value replaces the whole field (all languages of a name, all options).

    period_start and period_end are checked against each other: to move the whole period, use
    SetReportingPeriod, which sets both ends in one step.
    """

    field_name: str
    value: object
    _old: object = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Set {self.field_name.replace('_', ' ')}"

    def apply(self, project: Project) -> None:
        if self.field_name not in META_FIELDS:
            raise InvalidValueError(self.field_name, self.value, N_("is not a field of the report metadata (fields: {fields})"),
                                    fields=", ".join(META_FIELDS))
        require(meta_field_problems(self.field_name, self.value, project, vocabulary()))
        if self.field_name in ("period_start", "period_end"):
            start = self.value if self.field_name == "period_start" else project.meta.period_start
            end = self.value if self.field_name == "period_end" else project.meta.period_end
            require(period_problems(start, end))
        self._old = copy.deepcopy(getattr(project.meta, self.field_name))
        setattr(project.meta, self.field_name, copy.deepcopy(self.value))

    def revert(self, project: Project) -> None:
        setattr(project.meta, self.field_name, self._old)

    def changes(self) -> ChangeSet:
        if self._old == self.value:
            return ChangeSet.EMPTY
        if self.field_name == "options":
            old = self._old if isinstance(self._old, dict) else {}
            new = self.value if isinstance(self.value, dict) else {}
            keys = {key for key in old.keys() | new.keys() if old.get(key, _MISSING) != new.get(key, _MISSING)}
            return ChangeSet(meta=frozenset({"options", *(f"option.{key}" for key in keys)}))
        return ChangeSet(meta=frozenset({self.field_name}))


_MISSING = object()


@dataclass
class SetReportText(Command):
    """Set the company name, report title or short name in one language ("" removes it)."""

    field_name: str  # "company", "title" or "short_name"
    lang: str
    text: str
    _old: str | None = None
    description = "Edit report name"

    def apply(self, project: Project) -> None:
        if self.field_name not in LOCALIZED_FIELDS:
            raise InvalidValueError(self.field_name, self.text, N_("is not one of {choices}"), choices=", ".join(LOCALIZED_FIELDS))
        if self.lang not in LANGUAGES:
            raise InvalidValueError(f"{self.field_name}.{self.lang}", self.lang, N_("is not a report language (known: {languages})"),
                                    languages=", ".join(LANGUAGES))
        require(text_problems(f"{self.field_name}.{self.lang}", self.text, single_line=True))
        texts: dict[str, str] = getattr(project.meta, self.field_name)
        self._old = texts.get(self.lang)
        if self.text.strip():
            texts[self.lang] = self.text
        else:
            texts.pop(self.lang, None)

    def revert(self, project: Project) -> None:
        texts: dict[str, str] = getattr(project.meta, self.field_name)
        if self._old is None:
            texts.pop(self.lang, None)
        else:
            texts[self.lang] = self._old

    def changes(self) -> ChangeSet:
        new = self.text if self.text.strip() else None
        return ChangeSet.EMPTY if new == self._old else ChangeSet(meta=frozenset({self.field_name}))


@dataclass
class _SetField(Command):
    """Base of the typed setters: one field, checked by validate's rules for that field."""

    field_name = ""
    _old: object = field(default=None, kw_only=True)

    @abstractmethod
    def _value(self) -> object: ...

    def apply(self, project: Project) -> None:
        value = self._value()
        require(meta_field_problems(self.field_name, value, project, vocabulary()))
        self._old = copy.deepcopy(getattr(project.meta, self.field_name))
        setattr(project.meta, self.field_name, copy.deepcopy(value))

    def revert(self, project: Project) -> None:
        setattr(project.meta, self.field_name, self._old)

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._old == self._value() else ChangeSet(meta=frozenset({self.field_name}))


@dataclass
class SetReportYear(_SetField):
    """The reporting year (2025). The period is separate: see SetReportingPeriod."""

    year: int
    field_name = "year"
    description = "Set reporting year"

    def _value(self) -> object:
        return self.year


@dataclass
class SetCurrency(_SetField):
    """The currency money KPIs are reported in: an ISO 4217 code (HKD, USD, CNY) or RMB."""

    currency: str
    field_name = "currency"
    description = "Set currency"

    def _value(self) -> object:
        return self.currency


@dataclass
class SetLanguages(_SetField):
    """The report's languages, in the order the editions are listed. Texts in a language that is
    dropped are kept, so adding it back brings them back."""

    languages: list[str]
    field_name = "languages"
    description = "Set report languages"

    def _value(self) -> object:
        return self.languages


@dataclass
class SetFrameworks(_SetField):
    """The frameworks the report reports under (ids of installed catalogues, such as gri-2021)."""

    frameworks: list[str]
    field_name = "frameworks"
    description = "Set frameworks"

    def _value(self) -> object:
        return self.frameworks


@dataclass
class SetTemplate(_SetField):
    """The report template: the name of a template installed here (a plain folder name)."""

    template: str
    field_name = "template"
    description = "Set template"

    def _value(self) -> object:
        return self.template


@dataclass
class SetCoverImage(_SetField):
    """The logo (role "logo") or the cover image (role "cover_image"): one of the project's
    images, or None for none."""

    role: str
    asset: str | None
    description = "Set cover image"

    @property
    def field_name(self) -> str:  # type: ignore[override]
        if self.role not in ("logo", "cover_image"):
            raise InvalidValueError("role", self.role, N_("is not one of {choices}"), choices="logo, cover_image")
        return self.role

    def _value(self) -> object:
        return self.asset


@dataclass
class SetReportingPeriod(Command):
    """The first and the last day of the reporting period, set together (the end after the start)."""

    start: date
    end: date
    _old: tuple[date, date] | None = None
    description = "Set reporting period"

    def apply(self, project: Project) -> None:
        require(period_problems(self.start, self.end))
        self._old = (project.meta.period_start, project.meta.period_end)
        project.meta.period_start, project.meta.period_end = self.start, self.end

    def revert(self, project: Project) -> None:
        assert self._old is not None
        project.meta.period_start, project.meta.period_end = self._old

    def changes(self) -> ChangeSet:
        assert self._old is not None
        changed = {name for name, old, new in (("period_start", self._old[0], self.start), ("period_end", self._old[1], self.end))
                   if old != new}
        return ChangeSet(meta=frozenset(changed))


@dataclass
class SetOption(Command):
    """Set one project option (date_style, zh_variant, yoy_threshold …) to a value it accepts, or
    remove it with value None (its default applies). Only known options can be set."""

    key: str
    value: object
    _old: object = None
    _had: bool = False
    description = "Set project option"

    def apply(self, project: Project) -> None:
        if self.key not in KNOWN_OPTIONS:
            raise InvalidValueError(f"option.{self.key}", self.value, N_("is a value for an unknown option (known: {known})"),
                                    known=", ".join(KNOWN_OPTIONS))
        if self.value is not None:
            require(option_problems(self.key, self.value))
        options = project.meta.options
        self._had, self._old = self.key in options, options.get(self.key)
        if self.value is None:
            options.pop(self.key, None)
        else:
            options[self.key] = self.value

    def revert(self, project: Project) -> None:
        if self._had:
            project.meta.options[self.key] = self._old
        else:
            project.meta.options.pop(self.key, None)

    def changes(self) -> ChangeSet:
        if (self._had, self._old) == (self.value is not None, self.value):
            return ChangeSet.EMPTY
        return ChangeSet(meta=frozenset({"options", f"option.{self.key}"}))

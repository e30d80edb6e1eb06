"""Commands: the only way to change a Project, each one undoable.

A command validates when it is executed and records what it needs to revert itself. The
UndoStack runs commands, keeps the undo/redo history and knows whether the project differs from
the last save. The GUI presents the stack; the CLI and tests use it directly.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from esg_author.core.errors import ModelError
from esg_author.core.model import (
    DISCLOSURE_STATUSES,
    Asset,
    DisclosureStatus,
    GlossaryTerm,
    Kpi,
    KpiTable,
    KpiValue,
    Project,
    Section,
    SectionText,
    ValueChange,
)
from esg_author.core.model.names import check_asset_name, find_case_collision


class Command(ABC):
    """Base class. Subclasses implement apply() and revert(); description names the change."""

    description = "Change"

    @abstractmethod
    def apply(self, project: Project) -> None: ...

    @abstractmethod
    def revert(self, project: Project) -> None: ...


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- report metadata ------------------------------------------------------------------------


@dataclass
class SetReportMeta(Command):
    """Set one field of the report metadata (company, title, year, languages, template …)."""

    field_name: str
    value: Any
    _old: Any = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Set {self.field_name.replace('_', ' ')}"

    def apply(self, project: Project) -> None:
        if not hasattr(project.meta, self.field_name):
            raise ModelError(f"report metadata has no field {self.field_name!r}")
        self._old = copy.deepcopy(getattr(project.meta, self.field_name))
        setattr(project.meta, self.field_name, copy.deepcopy(self.value))

    def revert(self, project: Project) -> None:
        setattr(project.meta, self.field_name, self._old)


# -- sections -------------------------------------------------------------------------------


@dataclass
class _TextChange(Command):
    """Replaces one section text (one language) and restores the old one on undo."""

    _old: SectionText | None = field(default=None, kw_only=True)
    _existed: bool = field(default=False, kw_only=True)

    def _replace_text(self, project: Project, section_id: str, lang: str, new_text: SectionText) -> None:
        section = project.section(section_id)
        self._existed = lang in section.texts
        self._old = copy.copy(section.texts.get(lang))
        section.texts[lang] = new_text

    def _restore_text(self, project: Project, section_id: str, lang: str) -> None:
        section = project.section(section_id)
        if self._existed and self._old is not None:
            section.texts[lang] = self._old
        else:
            section.texts.pop(lang, None)


@dataclass
class SetSectionText(_TextChange):
    """Replace the title and/or body of one section in one language."""

    section_id: str
    lang: str
    title: str | None = None
    body: str | None = None
    description = "Edit section text"

    def apply(self, project: Project) -> None:
        current = project.section(self.section_id).text(self.lang)
        self._replace_text(project, self.section_id, self.lang, replace(
            current,
            title=current.title if self.title is None else self.title,
            body=current.body if self.body is None else self.body,
        ))

    def revert(self, project: Project) -> None:
        self._restore_text(project, self.section_id, self.lang)


@dataclass
class AddSection(Command):
    """Insert a new section as the index-th child of its parent (at the end when index is None)."""

    section: Section
    index: int | None = None
    description = "Add section"

    def apply(self, project: Project) -> None:
        if project.has_section(self.section.id):
            raise ModelError(f"a section with id {self.section.id!r} already exists")
        if self.section.parent_id is not None:
            project.section(self.section.parent_id)  # raises when the parent is unknown
        project.sections.insert(_insert_position(project, self.section.parent_id, self.index), self.section)

    def revert(self, project: Project) -> None:
        project.sections.remove(project.section(self.section.id))


@dataclass
class RemoveSection(Command):
    """Remove a section with all its sub-sections."""

    section_id: str
    _removed: list[tuple[int, Section]] = field(default_factory=list)
    description = "Remove section"

    def apply(self, project: Project) -> None:
        ids = set(project.subtree_ids(self.section_id))
        self._removed = [(i, s) for i, s in enumerate(project.sections) if s.id in ids]
        project.sections[:] = [s for s in project.sections if s.id not in ids]

    def revert(self, project: Project) -> None:
        for index, section in self._removed:
            project.sections.insert(index, section)


@dataclass
class MoveSection(Command):
    """Move a section (with its subtree) under new_parent_id as its index-th child."""

    section_id: str
    new_parent_id: str | None
    index: int | None = None
    _old_sections: list[Section] = field(default_factory=list)
    _old_parent: str | None = None
    description = "Move section"

    def apply(self, project: Project) -> None:
        moving = project.section(self.section_id)
        subtree = project.subtree_ids(self.section_id)
        if self.new_parent_id in subtree:
            raise ModelError("a section cannot be moved into itself")
        if self.new_parent_id is not None:
            project.section(self.new_parent_id)
        self._old_sections = list(project.sections)
        self._old_parent = moving.parent_id
        block = [s for s in project.sections if s.id in subtree]
        project.sections[:] = [s for s in project.sections if s.id not in subtree]
        moving.parent_id = self.new_parent_id
        position = _insert_position(project, self.new_parent_id, self.index)
        project.sections[position:position] = block

    def revert(self, project: Project) -> None:
        project.section(self.section_id).parent_id = self._old_parent
        project.sections[:] = self._old_sections


def _insert_position(project: Project, parent_id: str | None, index: int | None) -> int:
    """Where in the flat reading-order list the index-th child of parent_id goes."""
    siblings = project.children(parent_id)
    if index is not None and index < len(siblings):
        return project.sections.index(siblings[index])
    if siblings:  # after the last sibling's whole subtree
        last_subtree = project.subtree_ids(siblings[-1].id)
        return max(i for i, s in enumerate(project.sections) if s.id in last_subtree) + 1
    if parent_id is None:
        return len(project.sections)
    return project.sections.index(project.section(parent_id)) + 1


@dataclass
class SetSectionDisclosures(Command):
    """Set which framework disclosures ("framework:code") a section answers."""

    section_id: str
    disclosures: list[str]
    _old: list[str] = field(default_factory=list)
    description = "Link disclosures"

    def apply(self, project: Project) -> None:
        section = project.section(self.section_id)
        self._old = list(section.disclosures)
        section.disclosures = list(dict.fromkeys(self.disclosures))

    def revert(self, project: Project) -> None:
        project.section(self.section_id).disclosures = self._old


# -- KPIs -----------------------------------------------------------------------------------


@dataclass
class AddKpi(Command):
    kpi: Kpi
    description = "Add KPI"

    def apply(self, project: Project) -> None:
        if self.kpi.id in project.kpis:
            raise ModelError(f"a KPI with id {self.kpi.id!r} already exists")
        if self.kpi.parent_id and self.kpi.parent_id not in project.kpis:
            raise ModelError(f"parent KPI {self.kpi.parent_id!r} does not exist")
        project.kpis[self.kpi.id] = self.kpi

    def revert(self, project: Project) -> None:
        del project.kpis[self.kpi.id]


@dataclass
class SetKpiValue(Command):
    """Set (or clear, with value None) one KPI's value for one year; recorded in its history.

    entity "" is the group value; any other name is a subsidiary's or site's own value.
    """

    kpi_id: str
    year: int
    value: KpiValue | None
    entity: str = ""
    _old: KpiValue | None = None
    description = "Set KPI value"

    def _values(self, project: Project) -> dict[int, KpiValue]:
        kpi = project.kpi(self.kpi_id)
        return kpi.values if not self.entity else kpi.entity_values.setdefault(self.entity, {})

    def apply(self, project: Project) -> None:
        values = self._values(project)
        self._old = values.get(self.year)
        if self.value is None:
            values.pop(self.year, None)
        else:
            values[self.year] = self.value
        project.kpi(self.kpi_id).history.append(
            ValueChange(self.kpi_id, self.year, self._old, self.value, _now(), self.entity))

    def revert(self, project: Project) -> None:
        values = self._values(project)
        if self._old is None:
            values.pop(self.year, None)
        else:
            values[self.year] = self._old
        kpi = project.kpi(self.kpi_id)
        if self.entity and not values:
            kpi.entity_values.pop(self.entity, None)
        kpi.history.pop()


@dataclass
class AddKpiTable(Command):
    table: KpiTable
    description = "Add KPI table"

    def apply(self, project: Project) -> None:
        if self.table.id in project.tables:
            raise ModelError(f"a KPI table with id {self.table.id!r} already exists")
        project.tables[self.table.id] = self.table

    def revert(self, project: Project) -> None:
        del project.tables[self.table.id]


# -- frameworks and assets ------------------------------------------------------------------


@dataclass
class SetDisclosureStatus(Command):
    """Set (or clear, with status None) the hand-set status of one disclosure."""

    framework: str
    code: str
    status: DisclosureStatus | None
    _old: DisclosureStatus | None = None
    description = "Set disclosure status"

    def apply(self, project: Project) -> None:
        if self.status is not None and self.status.status not in DISCLOSURE_STATUSES:
            raise ModelError(f"unknown disclosure status {self.status.status!r}")
        key = (self.framework, self.code)
        self._old = project.statuses.get(key)
        if self.status is None:
            project.statuses.pop(key, None)
        else:
            project.statuses[key] = self.status

    def revert(self, project: Project) -> None:
        key = (self.framework, self.code)
        if self._old is None:
            project.statuses.pop(key, None)
        else:
            project.statuses[key] = self._old


@dataclass
class PutAsset(Command):
    """Add or replace a binary asset (logo, image)."""

    asset: Asset
    _old: Asset | None = None
    description = "Add image"

    def apply(self, project: Project) -> None:
        check_asset_name(self.asset.name)
        other = find_case_collision(self.asset.name, project.assets)
        if other is not None:
            raise ModelError(f"asset name {self.asset.name!r} differs from the existing {other!r} only by case; "
                             "the two files would collide on Windows and macOS")
        self._old = project.assets.get(self.asset.name)
        project.assets[self.asset.name] = self.asset

    def revert(self, project: Project) -> None:
        if self._old is None:
            del project.assets[self.asset.name]
        else:
            project.assets[self.asset.name] = self._old


@dataclass
class CompositeCommand(Command):
    """Several commands undone and redone as one step (e.g. an import)."""

    commands: list[Command]
    description: str = "Change"  # type: ignore[assignment]

    def apply(self, project: Project) -> None:
        done: list[Command] = []
        try:
            for command in self.commands:
                command.apply(project)
                done.append(command)
        except Exception:
            for command in reversed(done):  # all or nothing
                command.revert(project)
            raise

    def revert(self, project: Project) -> None:
        for command in reversed(self.commands):
            command.revert(project)


# -- the stack ------------------------------------------------------------------------------


class UndoStack:
    """Runs commands on one project and keeps undo/redo history and the saved state."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._clean_depth: int | None = 0
        self._listeners: list[Callable[[Command | None], None]] = []

    def subscribe(self, listener: Callable[[Command | None], None]) -> None:
        """listener(command) is called after every execute/undo/redo (None after mark_clean)."""
        self._listeners.append(listener)

    def execute(self, command: Command) -> None:
        command.apply(self.project)  # raises before anything is recorded when invalid
        self._done.append(command)
        if self._clean_depth is not None and self._clean_depth > len(self._done) - 1:
            self._clean_depth = None  # the saved state was in the discarded redo branch
        self._undone.clear()
        self._notify(command)

    def undo(self) -> Command | None:
        if not self._done:
            return None
        command = self._done.pop()
        command.revert(self.project)
        self._undone.append(command)
        self._notify(command)
        return command

    def redo(self) -> Command | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        command.apply(self.project)
        self._done.append(command)
        self._notify(command)
        return command

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].description if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].description if self._undone else ""

    @property
    def is_clean(self) -> bool:
        return self._clean_depth == len(self._done)

    def mark_clean(self) -> None:
        self._clean_depth = len(self._done)
        self._notify(None)

    def _notify(self, command: Command | None) -> None:
        for listener in self._listeners:
            listener(command)


# -- translation workflow (see esg_author.core.i18n.translation_units) ----------------------


@dataclass
class SetTranslation(_TextChange):
    """Record where a section's text in one language was translated from, and its review state.

    title/body None keep the current text, so the same command marks a text as translated,
    reviewed, or replaces it with a converted or imported translation in one undoable step.
    """

    section_id: str
    lang: str
    source_lang: str | None
    source_fingerprint: str | None
    state: str = ""
    title: str | None = None
    body: str | None = None
    description = "Update translation"

    def apply(self, project: Project) -> None:
        if self.state not in ("", "needs_review"):
            raise ModelError(f"unknown text state {self.state!r}; expected '' or 'needs_review'")
        current = project.section(self.section_id).text(self.lang)
        self._replace_text(project, self.section_id, self.lang, replace(
            current,
            title=current.title if self.title is None else self.title,
            body=current.body if self.body is None else self.body,
            source_lang=self.source_lang, source_fingerprint=self.source_fingerprint, state=self.state,
        ))

    def revert(self, project: Project) -> None:
        self._restore_text(project, self.section_id, self.lang)


@dataclass
class SetGlossary(Command):
    """Replace the project's glossary (terms and their forms per language) as one undoable step."""

    glossary: list[GlossaryTerm]
    _old: list[GlossaryTerm] = field(default_factory=list)
    description = "Edit glossary"

    def apply(self, project: Project) -> None:
        for term in self.glossary:
            if not any(form.strip() for form in term.forms.values()):
                raise ModelError("a glossary term needs a form in at least one language")
        self._old = list(project.glossary)
        project.glossary = copy.deepcopy(self.glossary)

    def revert(self, project: Project) -> None:
        project.glossary = self._old

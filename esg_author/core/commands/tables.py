"""Commands on KPI tables: add, edit rows / years / title / notes / options, reorder, change the
id (with every [[table:…]] token rewritten), remove.

Removing a table that a [[table:ID]] token places is allowed: `check` reports the token, and undo
brings the table back (see kpis.py for the same rule on KPIs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from esg_author.core.commands.base import Command, FieldSetter, TextRewrite, check_links
from esg_author.core.commands.changes import ChangeSet, IdChange
from esg_author.core.errors import InvalidValueError
from esg_author.core.model import LANGUAGES, KpiTable, Project
from esg_author.core.model.tokens import rename_target
from esg_author.core.model.validate import (
    N_,
    TABLE_ORDERS,
    id_problems,
    localized_problems,
    require,
    table_problems,
    table_rows_problems,
    table_years_problems,
    text_problems,
)


def _check_index(index: object, count: int) -> None:
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= count):
        raise InvalidValueError("index", index, N_("is not a position from 0 to {last}"), last=count)


def _insert(project: Project, table: KpiTable, index: int | None) -> None:
    if index is None or index >= len(project.tables):
        project.tables[table.id] = table
        return
    items = list(project.tables.items())
    items.insert(index, (table.id, table))
    project.tables.clear()
    project.tables.update(items)


@dataclass
class AddKpiTable(Command):
    """Add a KPI table (at the end, or at index). Its rows must be KPIs of the project."""

    table: KpiTable
    index: int | None = None
    description = "Add KPI table"

    def apply(self, project: Project) -> None:
        if self.table.id in project.tables:
            raise InvalidValueError("table.id", self.table.id, N_("is the id of another KPI table"))
        require(table_problems(self.table, project))
        _check_index(self.index, len(project.tables))
        _insert(project, self.table, self.index)

    def revert(self, project: Project) -> None:
        del project.tables[self.table.id]

    def changes(self) -> ChangeSet:
        return ChangeSet(tables=frozenset({self.table.id}), table_order=self.index is not None, links=frozenset(self.table.codes))


@dataclass
class RemoveKpiTable(Command):
    """Remove a KPI table (its KPIs stay)."""

    table_id: str
    _table: KpiTable | None = None
    _index: int = 0
    description = "Remove KPI table"

    def apply(self, project: Project) -> None:
        if self.table_id not in project.tables:
            raise InvalidValueError("table.id", self.table_id, N_("is not a KPI table"))
        self._index = list(project.tables).index(self.table_id)
        self._table = project.tables.pop(self.table_id)

    def revert(self, project: Project) -> None:
        assert self._table is not None
        _insert(project, self._table, self._index)

    def changes(self) -> ChangeSet:
        assert self._table is not None
        return ChangeSet(tables=frozenset({self.table_id}), table_order=True, links=frozenset(self._table.codes))


@dataclass
class MoveKpiTable(Command):
    """Move a KPI table to another place in the list of tables."""

    table_id: str
    index: int
    _old_index: int = 0
    description = "Move KPI table"

    def apply(self, project: Project) -> None:
        table = _table(project, self.table_id)
        _check_index(self.index, len(project.tables) - 1)
        self._old_index = list(project.tables).index(self.table_id)
        del project.tables[self.table_id]
        _insert(project, table, self.index)

    def revert(self, project: Project) -> None:
        _insert(project, project.tables.pop(self.table_id), self._old_index)

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._old_index == self.index else ChangeSet(tables=frozenset({self.table_id}), table_order=True)


def _table(project: Project, table_id: str) -> KpiTable:
    if table_id not in project.tables:
        raise InvalidValueError("table.id", table_id, N_("is not a KPI table"))
    return project.tables[table_id]


@dataclass
class _SetTableField(FieldSetter):
    table_id: str

    def _owner(self, project: Project) -> object:
        return _table(project, self.table_id)

    def _changed(self, links: frozenset[str]) -> ChangeSet:
        return ChangeSet(tables=frozenset({self.table_id}), links=links)


@dataclass
class SetTableRows(_SetTableField):
    """The KPIs a table prints, in order (each once)."""

    rows: list[str] = field(default_factory=list)
    field_name = "rows"
    description = "Edit table rows"

    def _new(self) -> object:
        return list(self.rows)

    def _check(self, project: Project, value: object) -> None:
        require(table_rows_problems(f"table[{self.table_id}]", value, project))


@dataclass
class SetTableYears(_SetTableField):
    """The years a table prints (each once); the order option decides left to right."""

    years: list[int] = field(default_factory=list)
    field_name = "years"
    description = "Edit table years"

    def _new(self) -> object:
        return list(self.years)

    def _check(self, project: Project, value: object) -> None:
        require(table_years_problems(f"table[{self.table_id}]", value))


@dataclass
class SetTableTitle(_SetTableField):
    """The table's title in one language ("" removes it)."""

    lang: str = ""
    title: str = ""
    field_name = "title"
    description = "Rename KPI table"
    _after: dict[str, str] = field(default_factory=dict, kw_only=True, repr=False)

    def _new(self) -> object:
        return self._after

    def apply(self, project: Project) -> None:
        if self.lang not in LANGUAGES:
            raise InvalidValueError(f"table[{self.table_id}].title.{self.lang}", self.lang, N_("is not a report language (known: {languages})"),
                                    languages=", ".join(LANGUAGES))
        require(text_problems(f"table[{self.table_id}].title.{self.lang}", self.title, single_line=True))
        titles = dict(_table(project, self.table_id).title)
        if self.title.strip():
            titles[self.lang] = self.title
        else:
            titles.pop(self.lang, None)
        self._after = titles
        super().apply(project)

    def _check(self, project: Project, value: object) -> None:
        require(localized_problems(f"table[{self.table_id}].title", value))


@dataclass
class SetTableNotes(_SetTableField):
    """The notes printed under a table, each a text per language, in order."""

    notes: list[dict[str, str]] = field(default_factory=list)
    field_name = "notes"
    description = "Edit table notes"

    def _new(self) -> object:
        return [dict(note) for note in self.notes]

    def _check(self, project: Project, value: object) -> None:
        assert isinstance(value, list)
        for index, note in enumerate(value):
            require(localized_problems(f"table[{self.table_id}].notes[{index}]", note))


@dataclass
class SetTableOrder(_SetTableField):
    """Years left to right: "ascending" (2023 2024 2025) or "descending"."""

    order: str = "ascending"
    field_name = "order"
    description = "Set table year order"

    def _new(self) -> object:
        return self.order

    def _check(self, project: Project, value: object) -> None:
        if value not in TABLE_ORDERS:
            raise InvalidValueError(f"table[{self.table_id}].order", value, N_("is not one of {choices}"), choices=", ".join(TABLE_ORDERS))


@dataclass
class SetTableShowChange(_SetTableField):
    """Whether the table prints a change column (the latest year against the one before)."""

    show_change: bool = False
    field_name = "show_change"
    description = "Show change column"

    def _new(self) -> object:
        return self.show_change

    def _check(self, project: Project, value: object) -> None:
        if not isinstance(value, bool):
            raise InvalidValueError(f"table[{self.table_id}].show_change", value, N_("is not true or false"))


@dataclass
class SetTableCodes(_SetTableField):
    """The framework disclosures ("gri-2021:305-1") a table answers as a whole."""

    codes: list[str] = field(default_factory=list)
    field_name = "codes"
    description = "Link table to disclosures"

    def _new(self) -> object:
        return list(dict.fromkeys(self.codes))

    def _check(self, project: Project, value: object) -> None:
        check_links(f"table[{self.table_id}].codes", project.tables[self.table_id].codes, value)


@dataclass
class ChangeTableId(Command):
    """Give a KPI table another id, rewriting every [[table:OLD]] token in every text."""

    old_id: str
    new_id: str
    _index: int = 0
    _rewrite: TextRewrite = field(default_factory=TextRewrite)
    description = "Change table id"

    def apply(self, project: Project) -> None:
        table = _table(project, self.old_id)
        require(id_problems("table.id", self.new_id))
        if self.new_id != self.old_id and self.new_id in project.tables:
            raise InvalidValueError("table.id", self.new_id, N_("is the id of another KPI table"))
        self._index = list(project.tables).index(self.old_id)
        del project.tables[self.old_id]
        table.id = self.new_id
        _insert(project, table, self._index)
        self._rewrite.apply(project, lambda text: rename_target(text, "table", self.old_id, self.new_id))

    def revert(self, project: Project) -> None:
        self._rewrite.revert(project)
        table = project.tables.pop(self.new_id)
        table.id = self.old_id
        _insert(project, table, self._index)

    def changes(self) -> ChangeSet:
        if self.old_id == self.new_id:
            return ChangeSet.EMPTY
        return ChangeSet(tables=frozenset({self.old_id, self.new_id}), texts=self._rewrite.texts(),
                         ids=(IdChange("table", self.old_id, self.new_id),))

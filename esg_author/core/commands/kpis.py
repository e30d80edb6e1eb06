"""Commands on KPI definitions: add, edit each field, reorder, change the id, remove.

The checks that need more than the model (units, formulas) go through the installed Vocabulary.
A definition edit does not recompute derived values: callers that want it run RecomputeDerived
(data/derived.py) in the same CompositeCommand.

Removing a KPI that other definitions use (a table row, a breakdown's parent, a formula) is
refused with InUseError naming every use: the editor shows them, and the user removes those
uses first (or the editor composes the removals and this command into one CompositeCommand).
A [[kpi:…]] token in the text does not block a removal: `check` reports it, as it reports any
token naming a KPI the project does not have, and undo brings the KPI back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from esg_author.core.commands.base import Command, FieldSetter, TextRewrite, check_links, vocabulary
from esg_author.core.commands.changes import ChangeSet, IdChange
from esg_author.core.errors import InUseError, InvalidValueError
from esg_author.core.model import LANGUAGES, Kpi, Project, ValueChange
from esg_author.core.model.tokens import find_tokens, rename_target
from esg_author.core.model.validate import (
    N_,
    display_unit_problems,
    id_problems,
    kpi_definition_problems,
    kpi_values_problems,
    localized_problems,
    parent_problems,
    precision_problems,
    require,
    text_problems,
    unit_problems,
)


def _formula_problem(project: Project, kpi: Kpi) -> None:
    """Raise InvalidValueError when kpi's formula cannot be used in project."""
    if not kpi.formula.strip():
        return
    detail = vocabulary().formula_problem(project, kpi)
    if detail:
        raise InvalidValueError(f"kpi[{kpi.id}].formula", kpi.formula, N_("cannot be used: {detail}"), detail=detail)


def kpi_uses(project: Project, kpi_id: str) -> list[str]:
    """What in the project's definitions uses a KPI: table rows, breakdowns, formulas (English
    phrases such as "table env", "breakdown ghg.scope1", "formula of ghg.intensity")."""
    names = vocabulary().formula_names
    uses = [f"table {table.id}" for table in project.tables.values() if kpi_id in table.rows]
    uses += [f"breakdown {kpi.id}" for kpi in project.kpis.values() if kpi.parent_id == kpi_id]
    uses += [f"formula of {kpi.id}" for kpi in project.kpis.values()
             if kpi.id != kpi_id and kpi.formula.strip() and kpi_id in names(kpi.formula)[0]]
    return uses


def kpi_text_uses(project: Project, kpi_id: str) -> list[tuple[str, str]]:
    """The (section, language) texts with a [[kpi:ID]] token naming the KPI."""
    def names_it(text: str) -> bool:
        return f"[[kpi:{kpi_id}" in text and any(t.kind == "kpi" and t.target == kpi_id for t in find_tokens(text))

    return [(section.id, lang) for section in project.sections for lang, text in section.texts.items()
            if names_it(text.body) or names_it(text.title)]


@dataclass
class AddKpi(Command):
    """Add a KPI to the registry (at the end, or at index), with its values if it has any."""

    kpi: Kpi
    index: int | None = None
    _changes: ChangeSet = ChangeSet.EMPTY
    description = "Add KPI"

    def apply(self, project: Project) -> None:
        if self.kpi.id in project.kpis:
            raise InvalidValueError("kpi.id", self.kpi.id, N_("is the id of another KPI"))
        require(id_problems("kpi.id", self.kpi.id))
        require(kpi_definition_problems(self.kpi, vocabulary()))
        require(localized_problems(f"kpi[{self.kpi.id}].name", self.kpi.name, single_line=True))
        require(parent_problems(project, self.kpi.id, self.kpi.parent_id))
        require(kpi_values_problems(self.kpi))
        _check_index(self.index, len(project.kpis))
        _formula_problem(project, self.kpi)
        _insert(project, self.kpi, self.index)
        # Recorded now: later commands of the same step may change the KPI object.
        self._changes = ChangeSet(kpis=frozenset({self.kpi.id}), kpi_values=_cells(self.kpi), kpi_order=self.index is not None,
                                  links=frozenset(self.kpi.codes))

    def revert(self, project: Project) -> None:
        del project.kpis[self.kpi.id]

    def changes(self) -> ChangeSet:
        return self._changes


def _cells(kpi: Kpi, *ids: str) -> frozenset[tuple[str, int, str]]:
    """The value cells of a KPI (under each of ids), for a change that adds, removes or renames it."""
    return frozenset((kpi_id, year, entity) for kpi_id in (ids or (kpi.id,))
                     for entity, values in (("", kpi.values), *kpi.entity_values.items()) for year in values)


def _check_index(index: object, count: int) -> None:
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= count):
        raise InvalidValueError("index", index, N_("is not a position from 0 to {last}"), last=count)


def _insert(project: Project, kpi: Kpi, index: int | None) -> None:
    """Put kpi into the registry at index (the end when None): the registry's order is the dict's."""
    if index is None or index >= len(project.kpis):
        project.kpis[kpi.id] = kpi
        return
    items = list(project.kpis.items())
    items.insert(index, (kpi.id, kpi))
    project.kpis.clear()
    project.kpis.update(items)


@dataclass
class RemoveKpi(Command):
    """Remove a KPI with its values and history; refused (InUseError) while a table row, a
    breakdown or a formula uses it."""

    kpi_id: str
    _kpi: Kpi | None = None
    _index: int = 0
    _changes: ChangeSet = ChangeSet.EMPTY
    description = "Remove KPI"

    def apply(self, project: Project) -> None:
        project.kpi(self.kpi_id)  # ModelError for an unknown KPI
        uses = kpi_uses(project, self.kpi_id)
        if uses:
            raise InUseError(f"KPI {self.kpi_id}", uses)
        self._index = list(project.kpis).index(self.kpi_id)
        self._kpi = project.kpis.pop(self.kpi_id)
        self._changes = ChangeSet(kpis=frozenset({self.kpi_id}), kpi_values=_cells(self._kpi), kpi_order=True,
                                  links=frozenset(self._kpi.codes))

    def revert(self, project: Project) -> None:
        assert self._kpi is not None
        _insert(project, self._kpi, self._index)

    def changes(self) -> ChangeSet:
        return self._changes


@dataclass
class MoveKpi(Command):
    """Move a KPI to another place in the registry (the order of listings and the workbook)."""

    kpi_id: str
    index: int
    _old_index: int = 0
    description = "Move KPI"

    def apply(self, project: Project) -> None:
        kpi = project.kpi(self.kpi_id)
        _check_index(self.index, len(project.kpis) - 1)
        self._old_index = list(project.kpis).index(self.kpi_id)
        del project.kpis[self.kpi_id]
        _insert(project, kpi, self.index)

    def revert(self, project: Project) -> None:
        kpi = project.kpis.pop(self.kpi_id)
        _insert(project, kpi, self._old_index)

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._old_index == self.index else ChangeSet(kpis=frozenset({self.kpi_id}), kpi_order=True)


@dataclass
class _SetKpiField(FieldSetter):
    """Base of the KPI field setters: records the field's old value and restores it."""

    kpi_id: str

    def _owner(self, project: Project) -> object:
        return project.kpi(self.kpi_id)

    def _changed(self, links: frozenset[str]) -> ChangeSet:
        return ChangeSet(kpis=frozenset({self.kpi_id}), links=links)


@dataclass
class _SetKpiText(_SetKpiField):
    """A text of the KPI in one language ("" removes it)."""

    lang: str = ""
    text: str = ""

    def _new(self) -> object:
        return self._texts_after

    def apply(self, project: Project) -> None:
        if self.lang not in LANGUAGES:
            raise InvalidValueError(f"kpi[{self.kpi_id}].{self.field_name}.{self.lang}", self.lang, N_("is not a report language (known: {languages})"),
                                    languages=", ".join(LANGUAGES))
        require(text_problems(f"kpi[{self.kpi_id}].{self.field_name}.{self.lang}", self.text, single_line=self.field_name == "name"))
        texts = dict(getattr(project.kpi(self.kpi_id), self.field_name))
        if self.text.strip():
            texts[self.lang] = self.text
        else:
            texts.pop(self.lang, None)
        self._texts_after = texts
        super().apply(project)

    def _check(self, project: Project, value: object) -> None:
        require(localized_problems(f"kpi[{self.kpi_id}].{self.field_name}", value))

    _texts_after: dict[str, str] = field(default_factory=dict, kw_only=True, repr=False)


@dataclass
class SetKpiName(_SetKpiText):
    """The KPI's printed name in one language."""

    field_name = "name"
    description = "Rename KPI"


@dataclass
class SetKpiBoundary(_SetKpiText):
    """The KPI's boundary (what it covers: sites, subsidiaries) in one language."""

    field_name = "boundary"
    description = "Edit KPI boundary"


@dataclass
class SetKpiUnit(_SetKpiField):
    """The unit values are stored in. Values are kept as they are (they are not converted): the
    user changes the unit of a KPI whose numbers were entered in the wrong one. A display unit
    that cannot show the new unit is refused; change or clear it first."""

    unit: str = ""
    field_name = "unit"
    description = "Set KPI unit"

    def _new(self) -> object:
        return self.unit

    def _check(self, project: Project, value: object) -> None:
        where = f"kpi[{self.kpi_id}]"
        require(unit_problems(f"{where}.unit", value, vocabulary()))
        require(display_unit_problems(f"{where}.display_unit", str(value), project.kpi(self.kpi_id).display_unit, vocabulary()))


@dataclass
class SetKpiDisplayUnit(_SetKpiField):
    """The unit values are printed in when it differs from the stored one ("" prints the stored unit)."""

    display_unit: str = ""
    field_name = "display_unit"
    description = "Set KPI display unit"

    def _new(self) -> object:
        return self.display_unit

    def _check(self, project: Project, value: object) -> None:
        require(display_unit_problems(f"kpi[{self.kpi_id}].display_unit", project.kpi(self.kpi_id).unit, value, vocabulary()))


@dataclass
class SetKpiGroup(_SetKpiField):
    """The group a KPI is listed and printed under (emissions, energy, employment …)."""

    group: str = ""
    field_name = "group"
    description = "Set KPI group"

    def _new(self) -> object:
        return self.group

    def _check(self, project: Project, value: object) -> None:
        require(text_problems(f"kpi[{self.kpi_id}].group", value, single_line=True))


@dataclass
class SetKpiParent(_SetKpiField):
    """Make a KPI a breakdown of another (None: a total of its own); a cycle is refused."""

    parent_id: str | None = None
    field_name = "parent_id"
    description = "Set KPI parent"

    def _new(self) -> object:
        return self.parent_id

    def _check(self, project: Project, value: object) -> None:
        require(parent_problems(project, self.kpi_id, value))


@dataclass
class SetKpiDimension(_SetKpiField):
    """What a breakdown splits its parent by (gender, scope, site …)."""

    dimension: str = ""
    field_name = "dimension"
    description = "Set KPI dimension"

    def _new(self) -> object:
        return self.dimension

    def _check(self, project: Project, value: object) -> None:
        require(text_problems(f"kpi[{self.kpi_id}].dimension", value, single_line=True))


@dataclass
class SetKpiPrecision(_SetKpiField):
    """How many decimals the KPI is printed (and derived values are stored) with: 0 to 6."""

    precision: int = 0
    field_name = "precision"
    description = "Set KPI decimals"

    def _new(self) -> object:
        return self.precision

    def _check(self, project: Project, value: object) -> None:
        require(precision_problems(f"kpi[{self.kpi_id}].precision", value))


@dataclass
class SetKpiFormula(_SetKpiField):
    """A derived KPI's formula ("" makes it entered data). It must parse, name KPIs and factors
    that exist, give the KPI's unit and form no cycle with the other formulas."""

    formula: str = ""
    field_name = "formula"
    description = "Set KPI formula"

    def _new(self) -> object:
        return self.formula

    def _check(self, project: Project, value: object) -> None:
        require(text_problems(f"kpi[{self.kpi_id}].formula", value))
        _formula_problem(project, replace(project.kpi(self.kpi_id), formula=str(value)))


@dataclass
class SetKpiCodes(_SetKpiField):
    """The framework disclosures ("gri-2021:305-1") a KPI answers."""

    codes: list[str] = field(default_factory=list)
    field_name = "codes"
    description = "Link KPI to disclosures"

    def _new(self) -> object:
        return list(dict.fromkeys(self.codes))

    def _check(self, project: Project, value: object) -> None:
        check_links(f"kpi[{self.kpi_id}].codes", project.kpis[self.kpi_id].codes, value)


@dataclass
class ChangeKpiId(Command):
    """Give a KPI another id, rewriting everything that names it: [[kpi:OLD]] tokens in every
    text, formulas, table rows, breakdowns' parents and the KPI's history."""

    old_id: str
    new_id: str
    _kpi: Kpi | None = None
    _index: int = 0
    _history: list[ValueChange] = field(default_factory=list)
    _formulas: dict[str, str] = field(default_factory=dict)
    _rows: dict[str, list[str]] = field(default_factory=dict)
    _children: list[str] = field(default_factory=list)
    _rewrite: TextRewrite = field(default_factory=TextRewrite)
    description = "Change KPI id"

    def apply(self, project: Project) -> None:
        kpi = project.kpi(self.old_id)
        require(id_problems("kpi.id", self.new_id))
        if self.new_id != self.old_id and self.new_id in project.kpis:
            raise InvalidValueError("kpi.id", self.new_id, N_("is the id of another KPI"))
        rename = vocabulary().rename_in_formula
        self._formulas = {other.id: other.formula for other in project.kpis.values() if other.formula.strip()
                          and rename(other.formula, "kpi", self.old_id, self.new_id) != other.formula}
        if self._formulas:  # formulas will name it: "a-b" would read as a minus b there
            require(id_problems("kpi.id", self.new_id, formula_name=True))
        self._rows = {table.id: list(table.rows) for table in project.tables.values() if self.old_id in table.rows}
        self._children = [other.id for other in project.kpis.values() if other.parent_id == self.old_id]
        self._index = list(project.kpis).index(self.old_id)
        self._history = kpi.history
        self._kpi = kpi
        del project.kpis[self.old_id]
        kpi.id = self.new_id
        kpi.history = [replace(entry, kpi_id=self.new_id) for entry in self._history]
        _insert(project, kpi, self._index)
        for other_id, formula in self._formulas.items():
            project.kpis[self.new_id if other_id == self.old_id else other_id].formula = rename(formula, "kpi", self.old_id, self.new_id)
        for table_id in self._rows:
            table = project.tables[table_id]
            table.rows = [self.new_id if row == self.old_id else row for row in table.rows]
        for child in self._children:
            project.kpis[child].parent_id = self.new_id
        self._rewrite.apply(project, lambda text: rename_target(text, "kpi", self.old_id, self.new_id))

    def revert(self, project: Project) -> None:
        assert self._kpi is not None
        self._rewrite.revert(project)
        for child in self._children:
            project.kpis[child].parent_id = self.old_id
        for table_id, rows in self._rows.items():
            project.tables[table_id].rows = list(rows)
        for other_id, formula in self._formulas.items():
            project.kpis[self.new_id if other_id == self.old_id else other_id].formula = formula
        del project.kpis[self.new_id]
        self._kpi.id = self.old_id
        self._kpi.history = self._history
        _insert(project, self._kpi, self._index)

    def changes(self) -> ChangeSet:
        if self.old_id == self.new_id:
            return ChangeSet.EMPTY
        assert self._kpi is not None
        changed = {self.old_id, self.new_id, *self._children, *(k for k in self._formulas if k != self.old_id)}
        return ChangeSet(kpis=frozenset(changed), kpi_values=_cells(self._kpi, self.old_id, self.new_id), tables=frozenset(self._rows),
                         texts=self._rewrite.texts(), links=frozenset(self._kpi.codes),
                         ids=(IdChange("kpi", self.old_id, self.new_id),))

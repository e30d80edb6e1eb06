"""Commands on the project's own emission factors (project.factors): put (add or replace) and
remove. A project factor with the id of a built-in one takes its place in the project's formulas.

Removing a factor a formula uses is refused (InUseError names the formulas), unless a built-in
factor of the same id takes its place again. Editing a factor so that a formula's units no
longer agree is allowed, like changing a KPI's unit: `check` reports the formula, and a
recompute skips it until it is right.
"""

from __future__ import annotations

from dataclasses import dataclass

from esg_author.core.commands.base import Command, vocabulary
from esg_author.core.commands.changes import ChangeSet
from esg_author.core.errors import InUseError, InvalidValueError
from esg_author.core.model import EmissionFactor, Project
from esg_author.core.model.validate import N_, factor_problems, require


def factor_users(project: Project, factor_id: str) -> list[str]:
    """The KPIs whose formula names the factor."""
    names = vocabulary().formula_names
    return [kpi.id for kpi in project.kpis.values() if kpi.formula.strip() and factor_id in names(kpi.formula)[1]]


@dataclass
class PutEmissionFactor(Command):
    """Add a project factor, or replace the one with the same id (an edit of its value, unit,
    source, year, region or activity)."""

    factor: EmissionFactor
    _old: EmissionFactor | None = None
    description = "Edit emission factor"

    def apply(self, project: Project) -> None:
        require(factor_problems(self.factor, vocabulary(), new=self.factor.id not in project.factors))
        self._old = project.factors.get(self.factor.id)
        project.factors[self.factor.id] = self.factor

    def revert(self, project: Project) -> None:
        if self._old is None:
            project.factors.pop(self.factor.id, None)
        else:
            project.factors[self.factor.id] = self._old

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._old == self.factor else ChangeSet(factors=frozenset({self.factor.id}))


@dataclass
class RemoveEmissionFactor(Command):
    """Remove one of the project's own factors."""

    factor_id: str
    _old: EmissionFactor | None = None
    _index: int = 0
    description = "Remove emission factor"

    def apply(self, project: Project) -> None:
        if self.factor_id not in project.factors:
            raise InvalidValueError("factor.id", self.factor_id, N_("is not one of the project's emission factors"))
        users = factor_users(project, self.factor_id)
        if users and not vocabulary().is_builtin_factor(self.factor_id):
            raise InUseError(f"emission factor {self.factor_id}", [f"formula of {kpi_id}" for kpi_id in users])
        self._index = list(project.factors).index(self.factor_id)
        self._old = project.factors.pop(self.factor_id)

    def revert(self, project: Project) -> None:
        assert self._old is not None
        items = list(project.factors.items())
        items.insert(self._index, (self.factor_id, self._old))
        project.factors.clear()
        project.factors.update(items)

    def changes(self) -> ChangeSet:
        return ChangeSet(factors=frozenset({self.factor_id}))

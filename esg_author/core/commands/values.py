"""Commands on KPI values: a value (number, score, or not applicable / not reported /
confidential with a reason per language) for one year and entity, and its printed note.

Every change of a value is recorded in the KPI's history, with the old and the new value; a
command that changes nothing records nothing (and the stack keeps no undo step for it).
Consecutive edits of one cell merge into one undo step and one history entry (see UndoStack).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, replace

from esg_author.core.commands.base import Command, now
from esg_author.core.commands.changes import ChangeSet
from esg_author.core.errors import InvalidValueError
from esg_author.core.model import LANGUAGES, Kpi, KpiValue, Project, ValueChange
from esg_author.core.model.validate import N_, entity_problems, kpi_value_problems, require, text_problems, year_problems


def same_value(first: KpiValue | None, second: KpiValue | None) -> bool:
    """Equal for the reader: the same kind, numbers, reasons and notes, and where it came from;
    only the time it was entered may differ."""
    if first is None or second is None:
        return first is second
    return replace(first, provenance=replace(first.provenance, at="")) == replace(second, provenance=replace(second.provenance, at=""))


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
    _at: str = ""  # when the change was first made; a redo keeps it
    _entry: ValueChange | None = field(default=None, repr=False)
    description = "Set KPI value"

    def _where(self) -> str:
        return f"kpi[{self.kpi_id}].{'values' if not self.entity else f'entity_values[{self.entity}]'}[{self.year}]"

    def _values(self, project: Project) -> dict[int, KpiValue]:
        kpi = project.kpi(self.kpi_id)
        return kpi.values if not self.entity else kpi.entity_values.get(self.entity, {})

    def apply(self, project: Project) -> None:
        kpi = project.kpi(self.kpi_id)
        require(year_problems(f"kpi[{self.kpi_id}].year", self.year))
        require(entity_problems(f"kpi[{self.kpi_id}].entity", self.entity))
        if self.value is not None:
            require(kpi_value_problems(self._where(), self.value))
        self._old = self._values(project).get(self.year)
        self._entry = None
        if same_value(self._old, self.value):
            return  # nothing changes: no history entry
        self._put(kpi, self.value)
        self._at = self._at or now()
        self._entry = ValueChange(self.kpi_id, self.year, self._old, self.value, self._at, self.entity)
        kpi.history.append(self._entry)

    def revert(self, project: Project) -> None:
        if self._entry is None:
            return
        kpi = project.kpi(self.kpi_id)
        self._put(kpi, self._old)
        if kpi.history and kpi.history[-1] is self._entry:
            kpi.history.pop()
        else:  # a later change's entry is still there (applied outside the stack): remove ours
            kpi.history.remove(self._entry)

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._entry is None else ChangeSet(kpi_values=frozenset({(self.kpi_id, self.year, self.entity)}))

    def merge_key(self) -> Hashable | None:
        return ("kpi-value", self.kpi_id, self.year, self.entity)

    def merge(self, later: Command, project: Project, run_seconds: float) -> bool:
        """Edits of one cell in a row (a grid that commits on every keystroke) are one step with
        one history entry, from the value before the first edit to the value after the last;
        edits that end where they began leave nothing at all."""
        if not isinstance(later, SetKpiValue) or later.merge_key() != self.merge_key():
            return False
        kpi = project.kpi(self.kpi_id)
        if self._entry is None or later._entry is None or later._entry not in kpi.history or self._entry not in kpi.history:
            return False
        kpi.history.remove(later._entry)
        kpi.history.remove(self._entry)
        self.value, self._at = later.value, later._at
        if same_value(self._old, self.value):
            self._put(kpi, self._old)  # exactly as it was, time of entry included
            self._entry = None
        else:
            self._entry = ValueChange(self.kpi_id, self.year, self._old, self.value, self._at, self.entity)
            kpi.history.append(self._entry)
        return True

    def _put(self, kpi: Kpi, value: KpiValue | None) -> None:
        values = kpi.values if not self.entity else kpi.entity_values.setdefault(self.entity, {})
        if value is None:
            values.pop(self.year, None)
        else:
            values[self.year] = value
        if self.entity and not values:
            kpi.entity_values.pop(self.entity, None)


@dataclass
class SetKpiNote(Command):
    """Set the note printed with one KPI value in one language ("" removes it), e.g. why it
    changed; the value must exist. Recorded in the value's history like any change of it."""

    kpi_id: str
    year: int
    lang: str
    text: str
    entity: str = ""
    _done: SetKpiValue | None = None
    description = "Edit value note"

    def apply(self, project: Project) -> None:
        if self.lang not in LANGUAGES:
            raise InvalidValueError(f"kpi[{self.kpi_id}].note.{self.lang}", self.lang, N_("is not a report language (known: {languages})"),
                                    languages=", ".join(LANGUAGES))
        require(text_problems(f"kpi[{self.kpi_id}].note.{self.lang}", self.text))
        kpi = project.kpi(self.kpi_id)
        values = kpi.values if not self.entity else kpi.entity_values.get(self.entity, {})
        value = values.get(self.year)
        if value is None:
            raise InvalidValueError(f"kpi[{self.kpi_id}].year", self.year, N_("has no value to annotate"))
        if self._done is None:  # the first apply decides the new value; a redo restores it
            note = dict(value.note)
            if self.text.strip():
                note[self.lang] = self.text.strip()
            else:
                note.pop(self.lang, None)
            self._done = SetKpiValue(self.kpi_id, self.year, replace(value, note=note), self.entity)
        self._done.apply(project)

    def revert(self, project: Project) -> None:
        if self._done is not None:
            self._done.revert(project)

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._done is None else self._done.changes()

"""What a command changed, for views to refresh exactly the rows concerned.

A ChangeSet is frozen and small: ids and keys, never copies of the data (a view reads the new
state from the project). It names what changed whichever way it was applied: UndoStack sends a
command's changes() after execute and redo and changes().inverted() after undo; only the section
tree moves and id changes have a direction, and inverted() turns them around.

Section tree moves carry what a Qt tree model needs to call beginInsertRows / beginRemoveRows /
beginMoveRows on its own copy of the tree instead of resetting: the section, its parent and row
before (None when it was inserted), and after (None when it was removed). A removed or inserted
section takes its whole subtree with it. Rows are among the siblings at the moment of that step;
several steps are listed in the order they happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import ClassVar


@dataclass(frozen=True)
class TreeMove:
    """One step of the section tree: inserted (old_row None), removed (new_row None) or moved.

    For a move within one parent, Qt's beginMoveRows wants the destination row as counted before
    the move: new_row + 1 when the section moves down (new_row > old_row), else new_row.
    subtree lists the sub-sections inserted or removed with the section, as (id, parent id) in
    reading order, so a model can add their rows without reading a project that may already
    be further on (the later steps of a CompositeCommand have been applied too).
    """

    section_id: str
    old_parent: str | None
    old_row: int | None
    new_parent: str | None
    new_row: int | None
    subtree: tuple[tuple[str, str], ...] = ()

    @property
    def kind(self) -> str:
        if self.old_row is None:
            return "insert"
        return "remove" if self.new_row is None else "move"

    def inverted(self) -> TreeMove:
        return TreeMove(self.section_id, self.new_parent, self.new_row, self.old_parent, self.old_row, self.subtree)


@dataclass(frozen=True)
class IdChange:
    """An id that changed: kind is "section", "kpi", "table" or "asset" (its name)."""

    kind: str
    old: str
    new: str

    def inverted(self) -> IdChange:
        return IdChange(self.kind, self.new, self.old)


@dataclass(frozen=True)
class ChangeSet:
    """Which parts of a project one command (or several) changed.

    sections      sections whose own fields changed (numbered, disclosures, id, being added or removed)
    texts         (section id, language) whose title, body or translation state changed
    structure     the section tree changed: order, nesting, numbering (see tree for the steps)
    tree          the steps of the section tree, in order (see TreeMove)
    kpis          KPIs whose definition changed (name, unit, parent …, being added or removed)
    kpi_values    (KPI id, year, entity) cells whose value changed; entity "" is the group value
    kpi_order     the order of the KPI registry changed
    tables        KPI tables whose definition changed (rows, years, title …, added or removed)
    table_order   the order of the KPI tables changed
    links         disclosure references ("gri-2021:305-1") whose linked sections, KPIs or tables changed
    statuses      (framework, code) whose hand-set status changed
    factors       emission factor ids put, edited or removed
    assets        asset names added, replaced or removed
    glossary      the glossary changed
    meta          report metadata fields ("year", "languages" …); options as "option.KEY"
    ids           ids that changed (the texts that used them are in texts too)
    """

    sections: frozenset[str] = frozenset()
    texts: frozenset[tuple[str, str]] = frozenset()
    structure: bool = False
    tree: tuple[TreeMove, ...] = ()
    kpis: frozenset[str] = frozenset()
    kpi_values: frozenset[tuple[str, int, str]] = frozenset()
    kpi_order: bool = False
    tables: frozenset[str] = frozenset()
    table_order: bool = False
    links: frozenset[str] = frozenset()
    statuses: frozenset[tuple[str, str]] = frozenset()
    factors: frozenset[str] = frozenset()
    assets: frozenset[str] = frozenset()
    glossary: bool = False
    meta: frozenset[str] = frozenset()
    ids: tuple[IdChange, ...] = ()

    EMPTY: ClassVar[ChangeSet]

    @property
    def is_empty(self) -> bool:
        return self == ChangeSet.EMPTY

    def merged(self, other: ChangeSet) -> ChangeSet:
        """Both change sets as one (self first, then other)."""
        if other.is_empty:
            return self
        if self.is_empty:
            return other
        values: dict[str, object] = {}
        for item in fields(self):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if isinstance(mine, bool):
                values[item.name] = mine or theirs
            elif isinstance(mine, tuple):
                values[item.name] = mine + theirs
            else:
                values[item.name] = mine | theirs
        return ChangeSet(**values)  # type: ignore[arg-type]

    @staticmethod
    def union(change_sets: Iterable[ChangeSet]) -> ChangeSet:
        result = ChangeSet.EMPTY
        for change_set in change_sets:
            result = result.merged(change_set)
        return result

    def inverted(self) -> ChangeSet:
        """The changes of undoing this: tree steps and id changes reversed, the rest as is."""
        if not self.tree and not self.ids:
            return self
        return replace(self, tree=tuple(step.inverted() for step in reversed(self.tree)),
                       ids=tuple(change.inverted() for change in reversed(self.ids)))

    def describe(self) -> str:
        """A short English summary for logs and tests ("texts: env/en; kpi_values: 1")."""
        parts = []
        for item in fields(self):
            value = getattr(self, item.name)
            if value and item.name not in ("tree", "ids"):
                parts.append(item.name if value is True else f"{item.name}: {len(value)}")
        parts += [f"{step.kind} {step.section_id}" for step in self.tree]
        parts += [f"{change.kind} {change.old} → {change.new}" for change in self.ids]
        return "; ".join(parts) or "nothing"


ChangeSet.EMPTY = ChangeSet()


def links_of(*reference_lists: Iterable[str]) -> frozenset[str]:
    """The disclosure references of some link lists (before and after a change)."""
    return frozenset(reference for references in reference_lists for reference in references)

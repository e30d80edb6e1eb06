"""Commands on framework links and disclosure statuses.

A link says that a section (SetSectionDisclosures), a KPI (kpis.SetKpiCodes) or a KPI table
(tables.SetTableCodes) answers a disclosure ("gri-2021:305-1"); the content indices are made
from them. A status set by hand (SetDisclosureStatus) says that a disclosure is not applicable,
omitted (with one of GRI's reasons for omission) or only partly disclosed, with an explanation
per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from esg_author.core.commands.base import Command, check_links, vocabulary
from esg_author.core.commands.changes import ChangeSet
from esg_author.core.errors import InvalidValueError
from esg_author.core.model import DisclosureStatus, Project
from esg_author.core.model.validate import N_, require, status_problems


@dataclass
class SetSectionDisclosures(Command):
    """Set which framework disclosures ("framework:code") a section answers (repeats are dropped)."""

    section_id: str
    disclosures: list[str]
    _old: list[str] = field(default_factory=list)
    description = "Link disclosures"

    def apply(self, project: Project) -> None:
        section = project.section(self.section_id)
        new = list(dict.fromkeys(self.disclosures))
        check_links(f"section[{self.section_id}].disclosures", section.disclosures, new)
        self._old = list(section.disclosures)
        section.disclosures = new

    def revert(self, project: Project) -> None:
        project.section(self.section_id).disclosures = self._old

    def changes(self) -> ChangeSet:
        new = list(dict.fromkeys(self.disclosures))
        if new == self._old:
            return ChangeSet.EMPTY
        return ChangeSet(sections=frozenset({self.section_id}), links=frozenset(self._old) ^ frozenset(new))


@dataclass
class SetDisclosureStatus(Command):
    """Set (or clear, with status None) the hand-set status of one disclosure, with its
    explanation per language and, for an omission, one of GRI's reasons."""

    framework: str
    code: str
    status: DisclosureStatus | None
    _old: DisclosureStatus | None = None
    description = "Set disclosure status"

    def apply(self, project: Project) -> None:
        key = (self.framework, self.code)
        if self.status is not None:
            if (self.status.framework, self.status.code) != key:
                raise InvalidValueError(f"status[{self.framework}:{self.code}]", f"{self.status.framework}:{self.status.code}",
                                        N_("differs from the disclosure it is filed under"))
            require(status_problems(self.status))
            if key not in project.statuses:
                detail = vocabulary().disclosure_problem(self.framework, self.code)
                if detail:
                    raise InvalidValueError(f"status[{self.framework}:{self.code}]", f"{self.framework}:{self.code}",
                                            N_("cannot be used: {detail}"), detail=detail)
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

    def changes(self) -> ChangeSet:
        if self._old == self.status:
            return ChangeSet.EMPTY
        return ChangeSet(statuses=frozenset({(self.framework, self.code)}))

"""Commands on the glossary: the terms conversion and translation must keep, with their form in
each language. A term is identified by its form in its first language (zh-Hant, zh-Hans, en in
that order): adding a term with the same key form replaces the old one.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from esg_author.core.commands.base import Command
from esg_author.core.commands.changes import ChangeSet
from esg_author.core.errors import InvalidValueError
from esg_author.core.model import LANGUAGES, GlossaryTerm, Project
from esg_author.core.model.validate import N_, glossary_term_problems, require


def term_key(term: GlossaryTerm) -> tuple[str, str]:
    """(language, form) of a term's first form in LANGUAGES order: what identifies it."""
    lang = next((lang for lang in LANGUAGES if term.forms.get(lang, "").strip()), "")
    return lang, term.forms.get(lang, "")


@dataclass
class SetGlossary(Command):
    """Replace the project's glossary (terms and their forms per language) as one undoable step."""

    glossary: list[GlossaryTerm]
    _old: list[GlossaryTerm] = field(default_factory=list)
    description = "Edit glossary"

    def apply(self, project: Project) -> None:
        for index, term in enumerate(self.glossary):
            require(glossary_term_problems(index, term, single_line=True))
        self._old = list(project.glossary)
        project.glossary = copy.deepcopy(self.glossary)

    def revert(self, project: Project) -> None:
        project.glossary = self._old

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._old == self.glossary else ChangeSet(glossary=True)


@dataclass
class PutGlossaryTerm(Command):
    """Add a term, or replace the term with the same key form (see term_key). Forms are stripped
    of surrounding spaces; languages without a form are left out."""

    term: GlossaryTerm
    _old: list[GlossaryTerm] = field(default_factory=list)
    _replaced: bool = False
    _changed: bool = False
    description = "Add glossary term"

    def _cleaned(self) -> GlossaryTerm:
        forms = {lang: form.strip() for lang, form in self.term.forms.items() if isinstance(form, str) and form.strip()}
        return GlossaryTerm(forms, self.term.protected, self.term.note.strip() if isinstance(self.term.note, str) else self.term.note)

    def apply(self, project: Project) -> None:
        term = self._cleaned()
        require(glossary_term_problems(len(project.glossary), term, single_line=True))
        key = term_key(term)
        self._old = list(project.glossary)
        kept = [existing for existing in project.glossary if term_key(existing) != key]
        self._replaced = len(kept) != len(project.glossary)
        project.glossary = [*kept, term]
        self._changed = project.glossary != self._old

    def revert(self, project: Project) -> None:
        project.glossary = self._old

    @property
    def replaced(self) -> bool:
        """After apply: whether a term with the same key form was replaced."""
        return self._replaced

    def changes(self) -> ChangeSet:
        return ChangeSet(glossary=True) if self._changed else ChangeSet.EMPTY


@dataclass
class RemoveGlossaryTerm(Command):
    """Remove every term that has form (in any language)."""

    form: str
    _old: list[GlossaryTerm] = field(default_factory=list)
    description = "Remove glossary term"

    def apply(self, project: Project) -> None:
        kept = [term for term in project.glossary if self.form not in term.forms.values()]
        if len(kept) == len(project.glossary):
            raise InvalidValueError("glossary", self.form, N_("is not a form of any glossary term"))
        self._old = list(project.glossary)
        project.glossary = kept

    def revert(self, project: Project) -> None:
        project.glossary = self._old

    @property
    def removed(self) -> int:
        """After apply: how many terms were removed."""
        return len(self._old) - len([term for term in self._old if self.form not in term.forms.values()])

    def changes(self) -> ChangeSet:
        return ChangeSet(glossary=True)

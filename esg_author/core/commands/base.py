"""The Command protocol, CompositeCommand, and helpers the command modules share."""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from esg_author.core.commands.changes import ChangeSet
from esg_author.core.errors import InvalidValueError
from esg_author.core.model import Project, SectionText
from esg_author.core.model.validate import N_, link_problems, require
from esg_author.core.model.vocabulary import Vocabulary, installed_vocabulary


class Command(ABC):
    """One undoable change of a Project.

    apply() validates first and raises (a ModelError, usually InvalidValueError naming the field)
    before changing anything; then it changes the project and records what revert() needs.
    apply() is called again for redo, after revert(), and must restore exactly the same state.
    changes() says what the last apply changed (empty when it changed nothing: the stack then
    records no undo step). merge_key() and merge() let the stack fold a run of small edits of the
    same field (typing) into one undo step; see UndoStack.
    """

    description = "Change"

    @abstractmethod
    def apply(self, project: Project) -> None: ...

    @abstractmethod
    def revert(self, project: Project) -> None: ...

    @abstractmethod
    def changes(self) -> ChangeSet: ...

    def merge_key(self) -> Hashable | None:
        """Commands with the same key edit the same field and may merge; None never merges."""
        return None

    def merge(self, later: Command, project: Project, run_seconds: float) -> bool:
        """Take over later's effect (later has been applied to project just after this one and
        has the same merge_key), so that reverting this undoes both; False when the two should
        stay separate undo steps. run_seconds is how long ago this step began. Called by
        UndoStack only, which has checked the pause since the last edit and that this step is
        not the saved state."""
        return False


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def vocabulary() -> Vocabulary:
    """The vocabulary commands check names with (units, formulas, frameworks, templates)."""
    return installed_vocabulary()


def apply_all(commands: Iterable[Command], project: Project, done: list[Command] | None = None) -> list[Command]:
    """Apply commands in order, all or nothing: on an error the ones applied are reverted (in
    reverse order) and the error is raised. done, when given, receives the applied commands."""
    applied = [] if done is None else done
    try:
        for command in commands:
            command.apply(project)
            applied.append(command)
    except Exception:
        for command in reversed(applied):
            command.revert(project)
        applied.clear()
        raise
    return applied


@dataclass
class FieldSetter(Command):
    """Base of the setters of one field of one object (a KPI, a KPI table): checks the new value,
    keeps a copy of the old one and restores it. Subclasses name the object and what changed."""

    _old: object = field(default=None, kw_only=True)
    field_name = ""

    @abstractmethod
    def _owner(self, project: Project) -> object: ...

    @abstractmethod
    def _new(self) -> object: ...

    @abstractmethod
    def _check(self, project: Project, value: object) -> None: ...

    @abstractmethod
    def _changed(self, links: frozenset[str]) -> ChangeSet: ...

    def apply(self, project: Project) -> None:
        owner = self._owner(project)
        value = self._new()
        self._check(project, value)
        self._old = copy.deepcopy(getattr(owner, self.field_name))
        setattr(owner, self.field_name, copy.deepcopy(value))

    def revert(self, project: Project) -> None:
        setattr(self._owner(project), self.field_name, self._old)

    def changes(self) -> ChangeSet:
        if self._old == self._new():
            return ChangeSet.EMPTY
        links = frozenset(self._old) ^ frozenset(self._new()) if self.field_name == "codes" else frozenset()  # type: ignore[arg-type]
        return self._changed(links)


@dataclass
class CompositeCommand(Command):
    """Several commands undone and redone as one step (e.g. an import); all or nothing."""

    commands: list[Command]
    description: str = "Change"  # type: ignore[assignment]

    def apply(self, project: Project) -> None:
        apply_all(self.commands, project)

    def revert(self, project: Project) -> None:
        for command in reversed(self.commands):
            command.revert(project)

    def changes(self) -> ChangeSet:
        return ChangeSet.union(command.changes() for command in self.commands)


@dataclass
class TextRewrite:
    """Rewrites every section text (title and body) with one function, such as replacing
    [[kpi:OLD]] by [[kpi:NEW]], and undoes it.

    Translations stay current: the rewrite changes every language alike, so a translation that
    recorded the fingerprint of its source before the rewrite records the fingerprint of the
    rewritten source after it, instead of turning stale.
    """

    _old: dict[tuple[str, str], SectionText] = field(default_factory=dict)

    def apply(self, project: Project, rewrite: Callable[[str], str]) -> None:
        self._old = {}
        fingerprint = vocabulary().text_fingerprint
        for section in project.sections:
            new_texts = {lang: replace(text, title=rewrite(text.title), body=rewrite(text.body))
                         for lang, text in section.texts.items()}
            changed = {lang for lang, text in new_texts.items()
                       if (text.title, text.body) != (section.texts[lang].title, section.texts[lang].body)}
            if not changed:
                continue
            for lang, text in section.texts.items():
                source = text.source_lang
                if source in changed and text.source_fingerprint is not None:
                    before = section.texts[source]
                    if fingerprint(before.title, before.body) == text.source_fingerprint:
                        after = new_texts[source]
                        new_texts[lang] = replace(new_texts[lang], source_fingerprint=fingerprint(after.title, after.body))
                        changed.add(lang)
            for lang in changed:
                self._old[(section.id, lang)] = section.texts[lang]
                section.texts[lang] = new_texts[lang]

    def revert(self, project: Project) -> None:
        for (section_id, lang), text in self._old.items():
            project.section(section_id).texts[lang] = text

    def texts(self) -> frozenset[tuple[str, str]]:
        """The (section, language) texts the rewrite changed."""
        return frozenset(self._old)


def check_links(field_name: str, old: list[str], new: object) -> None:
    """A new list of disclosure references for a section, KPI or table: well-formed, no repeats,
    and each reference it adds names a disclosure of an installed framework. References kept
    from the old list are not checked again, so a link to a catalogue missing on this computer
    does not block editing the others."""
    require(link_problems(field_name, new))
    assert isinstance(new, list)
    for reference in new:
        if reference in old:
            continue
        framework_id, _colon, code = reference.partition(":")
        detail = vocabulary().disclosure_problem(framework_id, code)
        if detail:
            raise InvalidValueError(field_name, reference, N_("cannot be used: {detail}"), detail=detail)

"""Commands on the project's images (assets): add or replace, rename (with every image in the
text and the logo / cover image following), remove.

Removing an image the logo or the cover image uses is refused (InUseError); an image the text
shows does not block a removal: `check` reports the broken image, and undo brings it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from esg_author.core.commands.base import Command, TextRewrite
from esg_author.core.commands.changes import ChangeSet, IdChange
from esg_author.core.errors import InUseError, InvalidValueError
from esg_author.core.model import Asset, Project
from esg_author.core.model.names import rename_asset_references, shows_asset
from esg_author.core.model.validate import N_, asset_name_problems, require

COVER_ROLES = ("logo", "cover_image")


def asset_uses(project: Project, name: str) -> list[str]:
    """What shows an image: "logo", "cover_image", and "section ID (LANG)" for each text."""
    uses = [role for role in COVER_ROLES if getattr(project.meta, role) == name]
    uses += [f"section {section.id} ({lang})" for section in project.sections for lang, text in section.texts.items()
             if shows_asset(text.body, name)]
    return uses


@dataclass
class PutAsset(Command):
    """Add an image, or replace the one with the same name (the text showing it then shows the
    new one)."""

    asset: Asset
    _old: Asset | None = None
    description = "Add image"

    def apply(self, project: Project) -> None:
        require(asset_name_problems(self.asset.name, project.assets))
        if not isinstance(self.asset.data, bytes):
            raise InvalidValueError(f"asset[{self.asset.name}].data", type(self.asset.data).__name__, N_("is not the bytes of a file"))
        self._old = project.assets.get(self.asset.name)
        project.assets[self.asset.name] = self.asset

    def revert(self, project: Project) -> None:
        if self._old is None:
            del project.assets[self.asset.name]
        else:
            project.assets[self.asset.name] = self._old

    def changes(self) -> ChangeSet:
        return ChangeSet.EMPTY if self._old == self.asset else ChangeSet(assets=frozenset({self.asset.name}))


@dataclass
class RenameAsset(Command):
    """Give an image another file name; every ![…](asset:OLD) in the text, and the logo or cover
    image, follow."""

    old_name: str
    new_name: str
    _index: int = 0
    _roles: list[str] = field(default_factory=list)
    _rewrite: TextRewrite = field(default_factory=TextRewrite)
    _old_asset: Asset | None = field(default=None, repr=False)
    description = "Rename image"

    def apply(self, project: Project) -> None:
        if self.old_name not in project.assets:
            raise InvalidValueError("asset", self.old_name, N_("is not one of the project's images"))
        if self.new_name != self.old_name and self.new_name in project.assets:
            raise InvalidValueError("asset", self.new_name, N_("is the name of another image"))
        require(asset_name_problems(self.new_name, [name for name in project.assets if name != self.old_name]))
        items = list(project.assets.items())
        self._index = list(project.assets).index(self.old_name)
        asset = project.assets[self.old_name]
        items[self._index] = (self.new_name, Asset(self.new_name, asset.media_type, asset.data))
        project.assets.clear()
        project.assets.update(items)
        self._roles = [role for role in COVER_ROLES if getattr(project.meta, role) == self.old_name]
        for role in self._roles:
            setattr(project.meta, role, self.new_name)
        self._rewrite.apply(project, lambda text: rename_asset_references(text, self.old_name, self.new_name))
        self._old_asset = asset

    def revert(self, project: Project) -> None:
        self._rewrite.revert(project)
        for role in self._roles:
            setattr(project.meta, role, self.old_name)
        assert self._old_asset is not None
        items = list(project.assets.items())
        items[self._index] = (self.old_name, self._old_asset)
        project.assets.clear()
        project.assets.update(items)

    def changes(self) -> ChangeSet:
        if self.old_name == self.new_name:
            return ChangeSet.EMPTY
        return ChangeSet(assets=frozenset({self.old_name, self.new_name}), texts=self._rewrite.texts(),
                         meta=frozenset(self._roles), ids=(IdChange("asset", self.old_name, self.new_name),))


@dataclass
class RemoveAsset(Command):
    """Remove an image; refused while it is the logo or the cover image."""

    name: str
    _old: Asset | None = None
    _index: int = 0
    description = "Remove image"

    def apply(self, project: Project) -> None:
        if self.name not in project.assets:
            raise InvalidValueError("asset", self.name, N_("is not one of the project's images"))
        roles = [role for role in COVER_ROLES if getattr(project.meta, role) == self.name]
        if roles:
            raise InUseError(f"image {self.name}", roles)
        self._index = list(project.assets).index(self.name)
        self._old = project.assets.pop(self.name)

    def revert(self, project: Project) -> None:
        assert self._old is not None
        items = list(project.assets.items())
        items.insert(self._index, (self.name, self._old))
        project.assets.clear()
        project.assets.update(items)

    def changes(self) -> ChangeSet:
        return ChangeSet(assets=frozenset({self.name}))

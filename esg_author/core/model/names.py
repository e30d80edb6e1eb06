"""Rules for names that become file names on disk (project assets).

An asset's name is written as a file into the HTML edition's assets/ folder and appears in URLs,
so it must be one plain file name that is valid on every desktop system: a name from a project
file must never be able to point anywhere else ("../x", "/tmp/x", "C:x").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from esg_author.core.errors import ModelError

MAX_ASSET_NAME_LENGTH = 128

# Characters Windows refuses in file names, besides the separators and ":" checked on their own.
_WINDOWS_FORBIDDEN = '<>"|?*'


def check_asset_name(name: object) -> str:
    """Return name if it is one plain file name with an extension; raise ModelError if not."""
    if not isinstance(name, str) or not name:
        raise ModelError("an asset needs a file name")
    if len(name) > MAX_ASSET_NAME_LENGTH:
        raise ModelError(f"asset name {name[:40]!r}… is longer than {MAX_ASSET_NAME_LENGTH} characters")
    if "/" in name or "\\" in name:
        raise ModelError(f"asset name {name!r} must be a plain file name, without / or \\")
    if name in (".", ".."):
        raise ModelError(f"asset name {name!r} is not a file name")
    if name.startswith("."):
        raise ModelError(f"asset name {name!r} must not start with a dot")
    if ":" in name:
        raise ModelError(f"asset name {name!r} must not contain ':'")
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ModelError(f"asset name {name!r} must not contain control characters")
    if any(char in _WINDOWS_FORBIDDEN for char in name):
        raise ModelError(f"asset name {name!r} must not contain any of {_WINDOWS_FORBIDDEN}")
    if name != name.strip() or name.endswith("."):
        # Windows silently drops a trailing dot or space, so the file would get another name.
        raise ModelError(f"asset name {name!r} must not start or end with a space or end with a dot")
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not extension:
        raise ModelError(f"asset name {name!r} needs an extension (such as .png or .svg)")
    return name


def find_case_collision(name: str, existing: Iterable[str]) -> str | None:
    """The name in existing that differs from name only by case (they collide on Windows and
    macOS disks), or None."""
    folded = name.casefold()
    for other in existing:
        if other != name and other.casefold() == folded:
            return other
    return None


# -- where text shows an asset ------------------------------------------------------------------


def _asset_reference(name: str) -> re.Pattern[str]:
    # Markdown images name project assets as asset:NAME: ![alt](asset:NAME "title"),
    # ![alt](<asset:NAME with spaces>), or a reference definition "[id]: asset:NAME".
    return re.compile(r"(?<=[(<\s])asset:" + re.escape(name) + r"(?=[)>\s\"']|\Z)")


def shows_asset(text: str, name: str) -> bool:
    """Whether Markdown text shows the project asset name as an image."""
    return f"asset:{name}" in text and _asset_reference(name).search(text) is not None


def rename_asset_references(text: str, old: str, new: str) -> str:
    """Markdown text with its images of asset old showing asset new instead."""
    if f"asset:{old}" not in text:
        return text
    return _asset_reference(old).sub(lambda _match: f"asset:{new}", text)

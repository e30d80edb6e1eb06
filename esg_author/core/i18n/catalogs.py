"""gettext catalogs (locales/<dir>/LC_MESSAGES/esg_author.po), compiled in memory when loaded.

The .po files are the only source: they are compiled with Babel at run time, so a translator's
edit shows up in the next build without a compile step, and no .mo file is committed. A compiled
catalog is cached under the file's modification time and size, so an edited .po is picked up by
the next lookup, also in a running app. ESG_AUTHOR_LOCALES_DIR points at another locales folder
(a translator's working copy) without moving templates and assets (see docs/translating.md).
"""

from __future__ import annotations

import logging
import os
import re
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from esg_author.core.errors import DataFileError
from esg_author.core.findings import Finding
from esg_author.core.paths import locales_dir

logger = logging.getLogger(__name__)

DOMAIN = "esg_author"
LOCALES_ENV = "ESG_AUTHOR_LOCALES_DIR"
CATALOG_DIRS = {"zh-Hant": "zh_Hant", "zh-Hans": "zh_Hans", "en": "en"}
"""Report language code → catalog folder. Named exactly, because gettext's own fallback chain
silently turns zh_Hant_HK into English (see DESIGN §3b)."""


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated where it is displayed."""
    return message


def locales_root() -> Path:
    """$ESG_AUTHOR_LOCALES_DIR if set, else the locales folder of the data root."""
    override = os.environ.get(LOCALES_ENV)
    return Path(override) if override else locales_dir()


def catalog_path(lang: str, root: Path | None = None) -> Path:
    return (root or locales_root()) / CATALOG_DIRS[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(lang: str, root: Path | None = None) -> NullTranslations:
    """The catalog of a language (report or UI); English source strings when there is none."""
    path = catalog_path(lang, root) if lang in CATALOG_DIRS else Path(f"<{lang}>")
    try:
        stat = path.stat()
        version: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = None
    return _load(lang, path, version)


@lru_cache(maxsize=32)
def _load(lang: str, path: Path, version: tuple[int, int] | None) -> NullTranslations:
    """`version` (mtime, size) is only part of the cache key: an edited file is a new entry."""
    if lang not in CATALOG_DIRS:
        raise DataFileError(path, f"no catalog for language {lang!r}")
    if not path.exists():
        logger.warning("No catalog %s; labels stay in English", path)
        return NullTranslations()
    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=CATALOG_DIRS[lang], abort_invalid=True)
    except (PoFileError, ValueError, OSError) as exc:
        raise DataFileError(path, f"cannot read catalog: {exc}") from exc
    _check_placeholders(catalog, path)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


_PLACEHOLDER_RE = re.compile(r"\{(\w*)\}")


def _check_placeholders(catalog: Catalog, path: Path) -> None:
    """A translation must use exactly the {names} of its original: a typo would otherwise stop
    every build in that language with a bare KeyError."""
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        expected = set(_PLACEHOLDER_RE.findall(message.id))
        found = set(_PLACEHOLDER_RE.findall(str(message.string)))
        if expected != found:
            raise DataFileError(path, f"line {message.lineno}: the translation of {message.id!r} uses "
                                      f"{{{', '.join(sorted(found)) or ''}}} but must use "
                                      f"{{{', '.join(sorted(expected))}}}")


def clear_cache() -> None:
    """Forget every compiled catalog. Not needed after editing a .po (that is noticed by itself);
    for a file replaced with one of identical size and timestamp, or to free memory."""
    _load.cache_clear()


def finding_text(finding: Finding, lang: str) -> str:
    """A finding's message in a UI language: its English source looked up in the catalog, then
    filled with its parameters. A message without a catalog entry stays in English."""
    message = translations(lang).gettext(finding.message) if lang in CATALOG_DIRS else finding.message
    return message.format(**finding.params) if finding.params else message

"""gettext catalogs (locales/<dir>/LC_MESSAGES/esg_author.po), compiled in memory when loaded.

The .po files are the only source: they are compiled with Babel at run time, so a translator's
edit shows up in the next build without a compile step, and no .mo file is committed.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from esg_author.core.errors import DataFileError
from esg_author.core.paths import locales_dir

logger = logging.getLogger(__name__)

DOMAIN = "esg_author"
CATALOG_DIRS = {"zh-Hant": "zh_Hant", "zh-Hans": "zh_Hans", "en": "en"}
"""Report language code → catalog folder. Named exactly, because gettext's own fallback chain
silently turns zh_Hant_HK into English (see DESIGN §3b)."""


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated where it is displayed."""
    return message


def catalog_path(lang: str, root: Path | None = None) -> Path:
    return (root or locales_dir()) / CATALOG_DIRS[lang] / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(lang: str) -> NullTranslations:
    """The catalog of a report language; English source strings when there is none."""
    return _load(lang, catalog_path(lang))


@lru_cache(maxsize=16)
def _load(lang: str, path: Path) -> NullTranslations:
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
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def clear_cache() -> None:
    """Forget loaded catalogs (after a translator edited a .po file in a running app)."""
    _load.cache_clear()

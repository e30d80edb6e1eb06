"""The gettext catalogs are complete and current: every msgid of the .pot is translated in every
language, nothing is fuzzy or stale, {placeholders} survive translation, and the .pot matches
what the code and templates contain right now (scripts/update_catalogs.sh regenerates it)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from esg_author.core.i18n.catalogs import CATALOG_DIRS, DOMAIN, catalog_path
from esg_author.core.paths import data_root

ROOT = data_root()
POT = ROOT / "locales" / f"{DOMAIN}.pot"
LANGS = sorted(CATALOG_DIRS)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _msgids(catalog: Catalog) -> set[str]:
    return {message.id for message in catalog if message.id}


def placeholders(text: str) -> set[str]:
    """The {names} of a str.format string ('{{' escapes are not placeholders)."""
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def pot() -> Catalog:
    return _read(POT)


@pytest.mark.parametrize("lang", LANGS)
def test_every_msgid_is_translated_and_not_fuzzy(pot: Catalog, lang: str) -> None:
    catalog = _read(catalog_path(lang, ROOT / "locales"), CATALOG_DIRS[lang])
    untranslated = sorted(msgid for msgid in _msgids(pot) if msgid not in catalog or not catalog[msgid].string)
    assert untranslated == [], f"{lang}: translate these (run scripts/update_catalogs.sh first)"
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert fuzzy == [], f"{lang}: review these and remove the fuzzy flag"


@pytest.mark.parametrize("lang", LANGS)
def test_no_stale_entries(pot: Catalog, lang: str) -> None:
    catalog = _read(catalog_path(lang, ROOT / "locales"), CATALOG_DIRS[lang])
    stale = sorted(_msgids(catalog) - _msgids(pot)) + sorted(str(key) for key in catalog.obsolete)
    assert stale == [], f"{lang}: entries no longer in the .pot (run scripts/update_catalogs.sh)"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_survive_translation(lang: str) -> None:
    catalog = _read(catalog_path(lang, ROOT / "locales"), CATALOG_DIRS[lang])
    broken = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        try:
            if placeholders(message.string) != placeholders(message.id):
                broken.append(message.id)
        except ValueError:  # an unbalanced brace in the translation
            broken.append(message.id)
    assert broken == [], f"{lang}: msgstr must keep exactly the {{names}} of its msgid"


def test_english_catalog_is_the_source_text() -> None:
    catalog = _read(catalog_path("en", ROOT / "locales"), "en")
    assert all(message.string == message.id for message in catalog if message.id)


def test_pot_is_up_to_date_with_code_and_templates(pot: Catalog, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    # The options of scripts/update_catalogs.sh.
    CommandLineInterface().run([
        "pybabel", "--quiet", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_", "-k", "N_",
        "--no-location", "--sort-output", "--project", "esg-author", "-o", str(fresh), str(ROOT),
    ])
    extracted = _msgids(_read(fresh))
    assert sorted(extracted - _msgids(pot)) == [], "new strings: run scripts/update_catalogs.sh and translate them"
    assert sorted(_msgids(pot) - extracted) == [], "strings no longer used: run scripts/update_catalogs.sh"


def test_the_checks_catch_what_they_should() -> None:
    """The placeholder rule itself: a renamed, dropped or added {name} counts as broken."""
    assert placeholders("{start} to {end}") == {"start", "end"}
    assert placeholders("{start}至{end}") == {"start", "end"}
    assert placeholders("{value}（滿分{maximum}）") == {"value", "maximum"}
    assert placeholders("{開始}至{end}") != placeholders("{start} to {end}")
    assert placeholders("{{literal}} {x}") == {"x"}
    with pytest.raises(ValueError):
        placeholders("{start to")

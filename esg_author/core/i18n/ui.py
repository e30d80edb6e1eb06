"""The language of the user interface (menus, dialogs, status messages).

It is independent of the report language: an officer may work in an English UI on a Traditional
Chinese edition. UI strings live in the same gettext catalogs as the template labels
(locales/<dir>/LC_MESSAGES/esg_author.po) and are looked up through `_` here, which always uses
the current UI language. Which language: the --ui-lang option of the app, else the environment
variable ESG_AUTHOR_UI_LANG, else the system locale, else English.

Qt-free: the GUI passes Qt's own list of system UI languages (QLocale.system().uiLanguages())
to choose_ui_language; without it the POSIX locale variables are read.
"""

from __future__ import annotations

import locale
import logging
import os
from collections.abc import Iterable

from esg_author.core.i18n.catalogs import CATALOG_DIRS, translations

logger = logging.getLogger(__name__)

UI_LANGUAGES = ("en", "zh-Hant", "zh-Hans")
UI_LANGUAGE_NAMES = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}
"""Each language named in itself, so a user lost in a foreign UI still finds their own."""
UI_LANG_ENV = "ESG_AUTHOR_UI_LANG"

_current = "en"


def _(message: str) -> str:
    """A UI string in the current UI language (the English msgid when it has no translation)."""
    return translations(_current).gettext(message)


def ui_language() -> str:
    return _current


def set_ui_language(lang: str) -> None:
    """Switch the UI language for every later `_` call (the GUI then retranslates its widgets)."""
    global _current
    if lang not in UI_LANGUAGES or lang not in CATALOG_DIRS:
        raise ValueError(f"unknown UI language {lang!r} (use one of: {', '.join(UI_LANGUAGES)})")
    _current = lang


def language_for_locale(name: str) -> str | None:
    """The UI language for a locale name (zh_HK.UTF-8, zh-Hant-TW, zh_CN, en-US, …); None when we
    have no UI in that language. Chinese in Hong Kong, Macau or Taiwan, or written Hant, is
    Traditional; other Chinese (mainland, Singapore, plain zh) is Simplified."""
    tag = name.split(".")[0].split("@")[0].replace("_", "-").lower()
    parts = tag.split("-")
    if parts[0] == "zh":
        if "hant" in parts or (any(part in ("hk", "mo", "tw") for part in parts[1:]) and "hans" not in parts):
            return "zh-Hant"
        return "zh-Hans"
    if parts[0] == "en":
        return "en"
    return None


def system_locale_names() -> list[str]:
    """The POSIX locale settings in priority order (used when the GUI gives no list of its own)."""
    names: list[str] = []
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            names.append(value)
            break
    names.extend(name for name in os.environ.get("LANGUAGE", "").split(":") if name)
    current = locale.getlocale(locale.LC_CTYPE)[0]
    if current:
        names.append(current)
    return names


def choose_ui_language(requested: str | None = None, system_locales: Iterable[str] | None = None) -> str:
    """--ui-lang, else $ESG_AUTHOR_UI_LANG, else the first system locale we have a UI for, else en.

    A bad --ui-lang is an error (the user typed it just now); a bad environment value is logged
    and skipped, so a stale setting never keeps the app from starting.
    """
    if requested:
        if requested not in UI_LANGUAGES:
            raise ValueError(f"unknown UI language {requested!r} (use one of: {', '.join(UI_LANGUAGES)})")
        return requested
    from_env = os.environ.get(UI_LANG_ENV, "").strip()
    if from_env:
        lang = from_env if from_env in UI_LANGUAGES else language_for_locale(from_env)  # zh_HK works too
        if lang:
            return lang
        logger.warning("%s=%r is not one of %s; ignored", UI_LANG_ENV, from_env, ", ".join(UI_LANGUAGES))
    for name in system_locales if system_locales is not None else system_locale_names():
        lang = language_for_locale(name)
        if lang:
            return lang
    return "en"

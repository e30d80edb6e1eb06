"""What the desktop app remembers between sessions, kept in QSettings.

Recent projects, the project open when the app quit, the window's geometry and the layout of its
docks and toolbars, and the interface language. The settings live in an INI file in the user's
configuration folder on every platform (not the Windows registry), so support can read them and
tests can point QSettings.setPath at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10
"""How many recent projects File ▸ Open Recent and the start page list."""

_RECENT = "files/recent"
_LAST = "files/last_project"
_GEOMETRY = "window/geometry"
_STATE = "window/state"
_UI_LANGUAGE = "ui/language"
_STATE_VERSION = 1  # bump when docks or toolbars are renamed, so an old layout is not restored


class SettingsStore:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                               "esg-author", "esg-author")

    # -- recent projects -------------------------------------------------------------------

    def recent_projects(self) -> list[Path]:
        """Most recent first, without duplicates."""
        value = self._settings.value(_RECENT, [])
        if isinstance(value, str):  # QSettings gives one string for a one-item list
            value = [value]
        return [Path(item) for item in value or [] if isinstance(item, str) and item]

    def add_recent_project(self, path: Path) -> None:
        key = _path_key(path)
        kept = [p for p in self.recent_projects() if _path_key(p) != key]
        self._settings.setValue(_RECENT, [str(Path(os.path.abspath(path)))] + [str(p) for p in kept[:MAX_RECENT - 1]])

    def remove_recent_project(self, path: Path) -> None:
        key = _path_key(path)
        self._settings.setValue(_RECENT, [str(p) for p in self.recent_projects() if _path_key(p) != key])

    def clear_recent_projects(self) -> None:
        self._settings.setValue(_RECENT, [])

    # -- the project to reopen -------------------------------------------------------------

    def last_project(self) -> Path | None:
        value = self._settings.value(_LAST, "")
        return Path(value) if isinstance(value, str) and value else None

    def set_last_project(self, path: Path | None) -> None:
        self._settings.setValue(_LAST, "" if path is None else str(Path(os.path.abspath(path))))

    # -- window layout ---------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self._settings.value(_GEOMETRY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self._settings.value(_STATE)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._settings.setValue(_GEOMETRY, geometry)
        self._settings.setValue(_STATE, state)

    @staticmethod
    def window_state_version() -> int:
        return _STATE_VERSION

    # -- interface language ----------------------------------------------------------------

    def ui_language(self) -> str | None:
        value = self._settings.value(_UI_LANGUAGE, "")
        return value if isinstance(value, str) and value else None

    def set_ui_language(self, lang: str) -> None:
        self._settings.setValue(_UI_LANGUAGE, lang)

    def sync(self) -> None:
        self._settings.sync()


def _path_key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))

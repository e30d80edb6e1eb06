"""Where esg-author finds its data (templates, locales, assets) and keeps user files.

In a source checkout or an editable install the data folders sit beside the package;
ESG_AUTHOR_DATA_DIR overrides that (used by frozen desktop builds). The per-user data folder is
the platform's (platformdirs), or ESG_AUTHOR_DATA_HOME.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "esg-author"


def data_root() -> Path:
    override = os.environ.get("ESG_AUTHOR_DATA_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2]


def templates_dir() -> Path:
    return data_root() / "templates"


def locales_dir() -> Path:
    return data_root() / "locales"


def assets_dir() -> Path:
    return data_root() / "assets"


def demo_dir() -> Path:
    return assets_dir() / "demo"


def user_data_path() -> Path:
    """Per-user data (recovery copies, user catalogues); created on demand by the caller.

    ESG_AUTHOR_DATA_HOME overrides the platform's folder (tests, portable installs).
    """
    override = os.environ.get("ESG_AUTHOR_DATA_HOME")
    if override:
        return Path(override)
    return Path(user_data_dir(APP_NAME, appauthor=False))


def recovery_dir() -> Path:
    """Where autosaved recovery copies of open projects are kept (see core.document)."""
    return user_data_path() / "recovery"


def user_cache_path() -> Path:
    return Path(user_cache_dir(APP_NAME, appauthor=False))

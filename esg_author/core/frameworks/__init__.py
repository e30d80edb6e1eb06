"""Reporting-framework catalogues (HKEX, GRI, Nasdaq, SDG, TCFD, IFRS S2) and their registry."""

from .catalogue import (
    LANGUAGES,
    LEVELS,
    REQUIRED_LEVELS,
    CatalogueError,
    Disclosure,
    Framework,
    UnknownDisclosureError,
    load_catalogue,
    normalize_language,
)
from .registry import (
    BUILTIN_CATALOGUE_DIR,
    FrameworkRegistry,
    UnknownFrameworkError,
    default_registry,
    user_catalogue_dir,
)

__all__ = [
    "BUILTIN_CATALOGUE_DIR",
    "LANGUAGES",
    "LEVELS",
    "REQUIRED_LEVELS",
    "CatalogueError",
    "Disclosure",
    "Framework",
    "FrameworkRegistry",
    "UnknownDisclosureError",
    "UnknownFrameworkError",
    "default_registry",
    "load_catalogue",
    "normalize_language",
    "user_catalogue_dir",
]

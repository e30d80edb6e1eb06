"""The set of framework catalogues known to the app: built-in ones plus user catalogues."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from esg_author.core.errors import EsgAuthorError
from esg_author.core.paths import user_data_path

from .catalogue import CatalogueError, Disclosure, Framework, load_catalogue

logger = logging.getLogger(__name__)

BUILTIN_CATALOGUE_DIR = Path(__file__).with_name("catalogues")


class UnknownFrameworkError(KeyError, EsgAuthorError):
    """A framework id that no loaded catalogue defines (a KeyError, so mapping-style callers work)."""

    def __init__(self, framework_id: str, known_ids: Iterable[str]) -> None:
        self.framework_id = framework_id
        self.known_ids = tuple(known_ids)
        super().__init__(framework_id)

    def __str__(self) -> str:
        known = ", ".join(self.known_ids) or "none"
        return f"unknown framework {self.framework_id!r}; known frameworks: {known}"


class FrameworkRegistry:
    """Frameworks by id. Build it with `FrameworkRegistry.load(...)` or `default_registry()`."""

    def __init__(
        self, frameworks: Iterable[Framework] = (), errors: Iterable[CatalogueError] = ()
    ) -> None:
        self._frameworks: dict[str, Framework] = {}
        for framework in frameworks:
            self._frameworks[framework.id] = framework
        self.errors: list[CatalogueError] = list(errors)

    @classmethod
    def load(
        cls,
        extra_dirs: Iterable[Path | str] = (),
        *,
        strict: bool = True,
        builtin_dir: Path | str = BUILTIN_CATALOGUE_DIR,
    ) -> FrameworkRegistry:
        """Load the built-in catalogues, then every `*.json` in `extra_dirs` (in the order given).

        A user catalogue with the id of an already loaded one replaces it (logged). With
        `strict=False`, broken user files are skipped and their CatalogueErrors collected in
        `registry.errors`, so the app can start and show them; with `strict=True` the first one is
        raised. Broken built-in files always raise: that is a packaging bug, and hiding it would
        silently drop a framework.
        """
        registry = cls()
        for path in _catalogue_files(Path(builtin_dir)):
            framework = load_catalogue(path)
            if framework.id in registry._frameworks:
                raise CatalogueError(path, f"built-in framework id {framework.id!r} is defined twice", "$.id")
            registry._frameworks[framework.id] = framework

        for directory in map(Path, extra_dirs):
            if not directory.is_dir():
                # A configured folder that is gone (unplugged drive, renamed folder) is not fatal.
                logger.warning("user catalogue folder %s does not exist; skipped", directory)
                continue
            for path in _catalogue_files(directory):
                try:
                    framework = load_catalogue(path)
                except CatalogueError as error:
                    registry._fail(error, strict)
                    continue
                replaced = registry._frameworks.get(framework.id)
                if replaced is not None:
                    logger.warning(
                        "user catalogue %s overrides framework %r from %s",
                        path, framework.id, replaced.source_path,
                    )
                registry._frameworks[framework.id] = framework

        for error in registry._cross_reference_errors():
            registry._fail(error, strict)
        return registry

    def _fail(self, error: CatalogueError, strict: bool) -> None:
        if strict:
            raise error
        logger.error("skipped framework catalogue: %s", error)
        self.errors.append(error)

    def _cross_reference_errors(self) -> list[CatalogueError]:
        """maps_to codes must exist in the target framework (checked once all files are loaded)."""
        errors: list[CatalogueError] = []
        for framework in list(self._frameworks.values()):
            target_id = framework.maps_to_framework
            if target_id is None:
                continue
            path = framework.source_path or Path(f"{framework.id}.json")
            target = self._frameworks.get(target_id)
            if target is None:
                errors.append(CatalogueError(
                    path, f"maps_to_framework {target_id!r} is not a loaded framework", "$.maps_to_framework"
                ))
                continue
            for index, disclosure in enumerate(framework.disclosures):
                missing = [code for code in disclosure.maps_to if code not in target]
                if missing:
                    errors.append(CatalogueError(
                        path,
                        f"maps_to of {disclosure.code!r} names codes not in {target_id!r}: {', '.join(missing)}",
                        f"$.disclosures[{index}].maps_to",
                    ))
                    break
        return errors

    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._frameworks))

    def all(self) -> tuple[Framework, ...]:
        return tuple(self._frameworks[framework_id] for framework_id in self.ids())

    def get(self, framework_id: str) -> Framework:
        try:
            return self._frameworks[framework_id]
        except KeyError:
            raise UnknownFrameworkError(framework_id, self.ids()) from None

    def __contains__(self, framework_id: object) -> bool:
        return framework_id in self._frameworks

    def resolve(self, reference: str) -> tuple[Framework, Disclosure]:
        """Look up a reference of the form 'framework-id:CODE', e.g. 'hkex-esg-2020:A1.2'."""
        framework_id, separator, code = reference.partition(":")
        if not separator or not framework_id or not code:
            raise ValueError(
                f"disclosure reference {reference!r} must look like 'framework-id:CODE', e.g. 'gri-2021:305-1'"
            )
        framework = self.get(framework_id.strip())
        return framework, framework.get(code.strip())


def _catalogue_files(directory: Path) -> list[Path]:
    # Sorted so that the result (and which of two same-id user files wins) does not depend on the OS.
    return sorted(p for p in directory.glob("*.json") if p.is_file() and not p.name.startswith("."))


def user_catalogue_dir() -> Path:
    """Where the app looks for the user's own catalogues (may not exist)."""
    return user_data_path() / "catalogues"


@cache
def default_registry() -> FrameworkRegistry:
    """Built-in catalogues plus those in `user_catalogue_dir()`, loaded once per process.

    Non-strict, so one broken user file cannot stop the app: its error is in `.errors` for the GUI
    or `esg-author check` to report.
    """
    user_dir = user_catalogue_dir()
    return FrameworkRegistry.load([user_dir] if user_dir.is_dir() else [], strict=False)

"""Framework catalogues: one JSON file per framework version, loaded into immutable objects.

A catalogue lists a framework's disclosures (codes, hierarchy, requirement level, short titles in
en / zh-Hant / zh-Hans). The file format is described in docs/frameworks.md and enforced by
catalogue.schema.json plus the semantic rules in `load_catalogue`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from esg_author.core.errors import DataFileError, EsgAuthorError

logger = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).with_name("catalogue.schema.json")

LANGUAGES: tuple[str, ...] = ("en", "zh-Hant", "zh-Hans")
LEVELS: tuple[str, ...] = ("mandatory", "comply_or_explain", "recommended", "voluntary", "required")
# "explain" satisfies a comply-or-explain item, but the item still has to be addressed in the report.
REQUIRED_LEVELS: frozenset[str] = frozenset({"mandatory", "comply_or_explain", "required"})
KINDS: tuple[str, ...] = (
    "part", "area", "aspect", "general", "kpi", "disclosure", "standard", "goal", "recommendation",
)
# Same rule as $defs/code in the schema; kept here so maps_to codes can be checked without it.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9 .()\-]{0,38}[A-Za-z0-9)])?$")

_EMPTY_MAPPING: Mapping[str, Any] = MappingProxyType({})


class CatalogueError(DataFileError):
    """A catalogue file is unreadable or breaks the format; names the file and the JSON path."""

    def __init__(self, path: Path | str, reason: str, json_path: str = "$") -> None:
        # The message reads "<file>: <json path>: <reason>"; `reason` stays the bare reason.
        super().__init__(path, f"{json_path}: {reason}")
        self.reason = reason
        self.json_path = json_path


class UnknownDisclosureError(KeyError, EsgAuthorError):
    """A code that the framework does not define (a KeyError, so mapping-style callers work)."""

    def __init__(self, framework_id: str, code: str) -> None:
        self.framework_id = framework_id
        self.code = code
        super().__init__(code)

    def __str__(self) -> str:
        # KeyError's default str() is the repr of the key, which reads badly in a UI message.
        return f"framework {self.framework_id!r} has no disclosure {self.code!r}"


@dataclass(frozen=True)
class Disclosure:
    """One item of a catalogue: a part, area, standard, aspect, KPI, goal, ... with its title."""

    code: str
    parent: str | None
    order: int
    level: str
    kind: str
    # Read-only mappings keep the frozen dataclass truly immutable; they are left out of the hash.
    title: Mapping[str, str] = field(hash=False)
    version: str | None = None
    maps_to: tuple[str, ...] = ()
    core: bool = False
    phase_in: str | None = None
    data_requirements: Mapping[str, Any] = field(default_factory=lambda: _EMPTY_MAPPING, hash=False)
    note: Mapping[str, str] | None = field(default=None, hash=False)

    @property
    def is_required(self) -> bool:
        return self.level in REQUIRED_LEVELS


@dataclass(frozen=True)
class Framework:
    """One framework version with its disclosures in canonical order."""

    id: str
    name: Mapping[str, str] = field(hash=False)
    short_name: Mapping[str, str] = field(hash=False)
    version: str
    publisher: str
    effective: dt.date | None
    notes: str
    disclosures: tuple[Disclosure, ...]
    levels_used: tuple[str, ...] = ()
    maps_to_framework: str | None = None
    source_path: Path | None = field(default=None, compare=False)
    _by_code: Mapping[str, Disclosure] = field(init=False, repr=False, compare=False, hash=False)
    _children: Mapping[str | None, tuple[Disclosure, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        by_code = {d.code: d for d in self.disclosures}
        children: dict[str | None, list[Disclosure]] = {}
        for disclosure in self.disclosures:
            children.setdefault(disclosure.parent, []).append(disclosure)
        # object.__setattr__ because the dataclass is frozen; the indexes are derived, not state.
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))
        object.__setattr__(
            self, "_children", MappingProxyType({k: tuple(v) for k, v in children.items()})
        )

    def __repr__(self) -> str:
        # The generated repr would print every disclosure; this one stays readable in logs.
        return f"Framework(id={self.id!r}, version={self.version!r}, disclosures={len(self.disclosures)})"

    def __iter__(self) -> Iterator[Disclosure]:
        return iter(self.disclosures)

    def __len__(self) -> int:
        return len(self.disclosures)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.disclosures)

    def get(self, code: str) -> Disclosure:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownDisclosureError(self.id, code) from None

    def children(self, code: str) -> tuple[Disclosure, ...]:
        """Direct children of `code`, in canonical order."""
        self.get(code)  # unknown codes are an error, not an empty result
        return self._children.get(code, ())

    def top_level(self) -> tuple[Disclosure, ...]:
        return self._children.get(None, ())

    def is_required(self, code: str) -> bool:
        return self.get(code).is_required

    def title(self, code: str, lang: str) -> str:
        return self.get(code).title[normalize_language(lang)]


def normalize_language(tag: str) -> str:
    """Map a language tag such as 'zh-Hant-HK', 'zh-HK', 'zh-CN' or 'en-GB' to a catalogue language."""
    parts = tag.replace("_", "-").split("-")
    lowered = [p.lower() for p in parts]
    if lowered[0] == "en":
        return "en"
    if lowered[0] == "zh":
        if "hant" in lowered or any(p in ("hk", "tw", "mo") for p in lowered[1:]):
            return "zh-Hant"
        return "zh-Hans"
    raise ValueError(f"unsupported language {tag!r}; catalogues have {', '.join(LANGUAGES)}")


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def load_catalogue(path: Path | str) -> Framework:
    """Read, validate and build one catalogue file; any problem raises CatalogueError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(path, f"cannot read file: {exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc

    error = best_match(_validator().iter_errors(document))
    if error is not None:
        raise CatalogueError(path, error.message, error.json_path)

    _check_semantics(path, document)
    framework = _build_framework(path, document)
    logger.debug("loaded catalogue %s (%d disclosures) from %s", framework.id, len(framework), path)
    return framework


def _check_semantics(path: Path, document: Mapping[str, Any]) -> None:
    """Rules JSON Schema cannot express; each error points at the offending item."""
    seen: set[str] = set()
    previous_order: int | None = None
    levels_found: set[str] = set()
    has_maps_to = False
    for index, item in enumerate(document["disclosures"]):
        where = f"$.disclosures[{index}]"
        code = item["code"]
        if code in seen:
            raise CatalogueError(path, f"duplicate code {code!r}", f"{where}.code")
        parent = item["parent"]
        if parent is not None and parent not in seen:
            reason = (
                f"parent {parent!r} of {code!r} must be listed before it"
                if any(other["code"] == parent for other in document["disclosures"])
                else f"parent {parent!r} of {code!r} does not exist"
            )
            raise CatalogueError(path, reason, f"{where}.parent")
        order = item["order"]
        if previous_order is not None and order <= previous_order:
            raise CatalogueError(
                path,
                f"order {order} of {code!r} must be greater than the previous item's {previous_order}",
                f"{where}.order",
            )
        for position, target in enumerate(item.get("maps_to", ())):
            if not CODE_PATTERN.match(target):
                raise CatalogueError(
                    path, f"maps_to code {target!r} is not a well-formed code", f"{where}.maps_to[{position}]"
                )
        has_maps_to = has_maps_to or "maps_to" in item
        seen.add(code)
        previous_order = order
        levels_found.add(item["level"])

    declared = set(document["levels_used"])
    if declared != levels_found:
        raise CatalogueError(
            path,
            f"levels_used {sorted(declared)} must list exactly the levels used {sorted(levels_found)}",
            "$.levels_used",
        )
    if has_maps_to and "maps_to_framework" not in document:
        raise CatalogueError(path, "disclosures use maps_to but maps_to_framework is missing", "$")
    if document["effective"] is not None:
        try:
            dt.date.fromisoformat(document["effective"])
        except ValueError:
            raise CatalogueError(
                path, f"effective {document['effective']!r} is not a real date", "$.effective"
            ) from None


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(
        {k: tuple(v) if isinstance(v, list) else v for k, v in mapping.items()}
    )


def _build_framework(path: Path, document: Mapping[str, Any]) -> Framework:
    disclosures = tuple(
        Disclosure(
            code=item["code"],
            parent=item["parent"],
            order=item["order"],
            level=item["level"],
            kind=item["kind"],
            title=_frozen(item["title"]),
            version=item.get("version"),
            maps_to=tuple(item.get("maps_to", ())),
            core=item.get("core", False),
            phase_in=item.get("phase_in"),
            data_requirements=_frozen(item.get("data_requirements", {})),
            note=_frozen(item["note"]) if "note" in item else None,
        )
        for item in document["disclosures"]
    )
    effective = document["effective"]
    return Framework(
        id=document["id"],
        name=_frozen(document["name"]),
        short_name=_frozen(document["short_name"]),
        version=document["version"],
        publisher=document["publisher"],
        effective=dt.date.fromisoformat(effective) if effective is not None else None,
        notes=document["notes"],
        disclosures=disclosures,
        levels_used=tuple(document["levels_used"]),
        maps_to_framework=document.get("maps_to_framework"),
        source_path=path,
    )

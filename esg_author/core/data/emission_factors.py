"""Emission factors: the built-in library (emission_factors.toml) and a project's own factors.

A project's factors (Project.factors) override built-in ones with the same id and add new ones.
Formulas name factors as factor(ID); the KPI tables print, under each table, which factors its
KPIs were computed with. The note's wording lives in the library file, in three languages, so a
factor's name, source and wording travel together.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from esg_author.core.data.units import dimension, expression_label
from esg_author.core.errors import DataFileError, UnitError
from esg_author.core.model import EmissionFactor, LocalizedText, Project, localized

LIBRARY_PATH = Path(__file__).with_name("emission_factors.toml")


@dataclass(frozen=True)
class FactorInfo:
    """A factor with what the library knows beyond the project model: its name and caveats."""

    factor: EmissionFactor
    name: LocalizedText = field(default_factory=dict)
    note: str = ""
    uncertain: bool = False
    published: int | None = None
    builtin: bool = True


@dataclass(frozen=True)
class FactorLibrary:
    factors: dict[str, FactorInfo]
    wording: dict[str, LocalizedText]


def load_factor_library(path: Path) -> FactorLibrary:
    """Read and validate a factor file; DataFileError names the file and the factor."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, f"invalid TOML: {exc}") from exc
    factors: dict[str, FactorInfo] = {}
    for entry in data.get("factor", []):
        info = _factor(path, entry)
        if info.factor.id in factors:
            raise DataFileError(path, f"factor {info.factor.id!r} appears twice")
        factors[info.factor.id] = info
    wording = {key: dict(value) for key, value in data.get("wording", {}).items()}
    for key in ("note", "note_without_name"):
        if "en" not in wording.get(key, {}):
            raise DataFileError(path, f"[wording] needs {key} with at least an English text")
    return FactorLibrary(factors, wording)


def _factor(path: Path, entry: dict[str, Any]) -> FactorInfo:
    factor_id = str(entry.get("id", "?"))
    try:
        try:
            value = Decimal(str(entry["value"]))
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value < 0:
            raise ValueError(f"value must be a number ≥ 0, not {entry['value']!r}")
        unit = str(entry["unit"])
        dimension(unit)  # raises UnitError for an expression pint cannot read
        source = dict(entry["source"])
        if not source.get("en"):
            raise ValueError("source needs at least an English text")
        factor = EmissionFactor(id=str(entry["id"]), value=value, unit=unit, source=source, year=int(entry["year"]),
                                region=str(entry.get("region", "")), activity=str(entry.get("activity", "")))
        published = entry.get("published")
        return FactorInfo(factor, dict(entry.get("name", {})), str(entry.get("note", "")),
                          bool(entry.get("uncertain", False)), int(published) if published is not None else None)
    except (KeyError, TypeError, ValueError, InvalidOperation, UnitError) as exc:
        reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise DataFileError(path, f"factor {factor_id!r}: {reason}") from exc


@lru_cache(maxsize=1)
def builtin_library() -> FactorLibrary:
    return load_factor_library(LIBRARY_PATH)


def available_factors(project: Project) -> dict[str, FactorInfo]:
    """Built-in factors, overridden and extended by the project's own."""
    factors = dict(builtin_library().factors)
    for factor_id, factor in project.factors.items():
        factors[factor_id] = FactorInfo(factor, builtin=False)
    return factors


def factor_note(info: FactorInfo, lang: str) -> str:
    """The sentence a table prints for a factor, e.g. "Emission factor – …: 0.5366 tCO₂e/MWh (…, 2022)."."""
    wording = builtin_library().wording
    factor = info.factor
    name = localized(info.name, lang, localized(info.name, "en"))
    template = wording["note" if name else "note_without_name"]
    text = localized(template, lang, template["en"])
    return text.format(name=name, value=_plain(factor.value), unit=expression_label(factor.unit, lang),
                       source=localized(factor.source, lang, localized(factor.source, "en")), year=factor.year)


def _plain(value: Decimal) -> str:
    """0.5366 as written by its publisher: no exponent, no trailing zeros added."""
    return format(value, "f")

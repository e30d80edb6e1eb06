"""Projects described by bundled TOML files: the built-in demo and the new-project skeleton.

A source folder holds structure.toml (report metadata and the section tree), optionally
kpis.toml and tables.toml (the KPI registry and KPI tables), text/<lang>/<section-id>.md (section
bodies) and images/ (assets). The format is documented in docs/bundled-projects.md.
"""

from __future__ import annotations

import mimetypes
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from esg_author.core.errors import DataFileError, InvalidProjectError, ModelError
from esg_author.core.i18n.translation_units import record_current_sources
from esg_author.core.model import (
    LANGUAGES,
    Asset,
    DisclosureStatus,
    GlossaryTerm,
    Kpi,
    KpiTable,
    KpiValue,
    Project,
    Provenance,
    ReportMeta,
    Section,
    SectionText,
)
from esg_author.core.model.project import new_project_uuid
from esg_author.core.model.validate import check_valid, languages_problems, require, text_problems, validate, year_problems
from esg_author.core.paths import assets_dir, demo_dir
from esg_author.core.vocabulary import STANDARD_VOCABULARY

SKELETON_DIR_NAME = "skeleton"
KPI_APPENDIX_ID = "kpi-tables"
# The standard KPI library a new project starts from (esg_author/core/data/library/).
LIBRARY_DIR = Path(__file__).parent / "data" / "library"


def load_demo_project() -> Project:
    """The fictional demo report, complete in three languages with three years of KPIs."""
    project = load_project_source(demo_dir())
    project.glossary = load_glossary(demo_dir() / "glossary.toml")
    # Its zh-Hans and en texts are reviewed translations of the current zh-Hant source.
    record_current_sources(project)
    _check(project, {"glossary": demo_dir() / "glossary.toml"}, demo_dir() / "structure.toml")
    return project


def load_glossary(path: Path) -> list[GlossaryTerm]:
    """[[term]] entries: a form per language ("zh-Hant", "zh-Hans", "en"), protected, note."""
    if not path.exists():
        return []
    terms = []
    for entry in _read_toml(path).get("term", []):
        forms = {lang: str(entry[lang]) for lang in LANGUAGES if str(entry.get(lang, "")).strip()}
        if not forms:
            raise DataFileError(path, f"a [[term]] has no form in any of {', '.join(LANGUAGES)}: {entry}")
        terms.append(GlossaryTerm(forms, bool(entry.get("protected", True)), str(entry.get("note", ""))))
    return terms


def load_skeleton_project(company: str | None = None, year: int | None = None,
                          languages: list[str] | None = None) -> Project:
    """A new project: standard chapters with empty text and the standard KPIs without values."""
    # The caller's choices are checked like the commands check them, before anything is built.
    if company is not None:
        require(text_problems("company", company))
    if year is not None:
        require(year_problems("year", year))
    if languages is not None:
        require(languages_problems(list(languages)))
    folder = assets_dir() / SKELETON_DIR_NAME
    project = load_project_source(folder, kpi_source=LIBRARY_DIR / "standard_kpis.toml", with_values=False,
                                  table_source=LIBRARY_DIR / "standard_tables.toml")
    meta = project.meta
    if company:
        meta.company = {lang: company for lang in meta.languages}
        meta.short_name = dict(meta.company)
    if year:
        meta.year = year
        meta.period_start, meta.period_end = date(year, 1, 1), date(year, 12, 31)
    for lang, title in list(meta.title.items()):
        meta.title[lang] = title.replace("{year}", str(meta.year))
    if languages:
        meta.languages = list(languages)
    for table in project.tables.values():
        table.years = [meta.year - 2, meta.year - 1, meta.year]
    # The KPI appendix starts out printing every standard table; users remove what they do not report.
    if project.has_section(KPI_APPENDIX_ID):
        placements = "\n\n".join(f"[[table:{table_id}]]" for table_id in project.tables)
        for text in project.section(KPI_APPENDIX_ID).texts.values():
            text.body = text.body or placements
    check_valid(project, STANDARD_VOCABULARY)  # its files were checked by load_project_source
    return project


def load_project_source(folder: Path, kpi_source: Path | None = None, with_values: bool = True,
                        table_source: Path | None = None) -> Project:
    structure_path = folder / "structure.toml"
    structure = _read_toml(structure_path)
    project = Project(meta=_meta(structure_path, structure.get("report", {})))
    for entry in structure.get("section", []):
        _add_section(project, folder, structure_path, entry)
    for entry in structure.get("status", []):
        status = _status(structure_path, entry)
        project.statuses[(status.framework, status.code)] = status
    kpi_path = kpi_source or folder / "kpis.toml"
    if kpi_path.exists():
        for entry in _read_toml(kpi_path).get("kpi", []):
            kpi = _kpi(kpi_path, entry, with_values)
            project.kpis[kpi.id] = kpi
    tables_path = table_source or folder / "tables.toml"
    if not tables_path.exists() and kpi_source is not None:
        tables_path = kpi_source.parent / "tables.toml"
    if tables_path.exists():
        for entry in _read_toml(tables_path).get("table", []):
            table = _table(tables_path, entry)
            project.tables[table.id] = table
    images = folder / "images"
    if images.is_dir():
        for path in sorted(images.iterdir()):
            if path.is_file():
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                project.assets[path.name] = Asset(path.name, media_type, path.read_bytes())
    _check(project, {"kpi": kpi_path, "table": tables_path, "asset": images}, structure_path)
    return project


def _check(project: Project, sources: dict[str, Path], default: Path) -> None:
    """The rules every project satisfies (core/model/validate.py), reported as a DataFileError
    naming the file the first problem comes from (KPIs, tables, images …, else structure.toml)."""
    problems = validate(project, STANDARD_VOCABULARY)
    if problems:
        kind = problems[0].field.split("[", 1)[0].split(".", 1)[0]
        raise DataFileError(sources.get(kind, default), str(InvalidProjectError(problems)))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, f"invalid TOML: {exc}") from exc


def _meta(path: Path, data: dict[str, Any]) -> ReportMeta:
    try:
        return ReportMeta(
            company=dict(data["company"]),
            short_name=dict(data.get("short_name", {})),
            title=dict(data["title"]),
            year=int(data["year"]),
            period_start=date.fromisoformat(str(data["period_start"])),
            period_end=date.fromisoformat(str(data["period_end"])),
            currency=str(data.get("currency", "RMB")),
            languages=list(data["languages"]),
            frameworks=list(data.get("frameworks", [])),
            template=str(data.get("template", "default")),
            logo=data.get("logo"),
            cover_image=data.get("cover_image"),
            options=dict(data.get("options", {})),
            # Each load is a new project (a demo written twice is two projects), never one
            # identity shared by every copy made from the same bundled source.
            uuid=new_project_uuid(),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise DataFileError(path, f"[report] is missing or has an invalid entry: {exc}") from exc


def _add_section(project: Project, folder: Path, path: Path, entry: dict[str, Any]) -> None:
    try:
        section_id = str(entry["id"])
        parent = entry.get("parent") or None
        titles: dict[str, str] = dict(entry.get("title", {}))
        bodies: dict[str, str] = dict(entry.get("body", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(path, f"a [[section]] is missing or has an invalid entry: {exc}") from exc
    if project.has_section(section_id):
        raise DataFileError(path, f"section id {section_id!r} appears twice")
    if parent and not project.has_section(parent):
        raise DataFileError(path, f"section {section_id!r} names parent {parent!r}, which is not defined before it")
    texts = {}
    for lang in project.meta.languages:
        text_file = folder / "text" / lang / f"{section_id}.md"
        body = text_file.read_text(encoding="utf-8") if text_file.exists() else bodies.get(lang, "")
        texts[lang] = SectionText(title=titles.get(lang, ""), body=body)
    project.sections.append(Section(section_id, parent, bool(entry.get("numbered", True)), texts,
                                    list(entry.get("disclosures", []))))


def _status(path: Path, entry: dict[str, Any]) -> DisclosureStatus:
    try:
        status = DisclosureStatus(str(entry["framework"]), str(entry["code"]), str(entry["status"]),
                                  dict(entry.get("explanation", {})), str(entry.get("omission_reason", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(path, f"a [[status]] is missing or has an invalid entry: {exc}") from exc
    return status


def _kpi(path: Path, entry: dict[str, Any], with_values: bool) -> Kpi:
    kpi_id = entry.get("id", "?")
    try:
        unit = str(entry["unit"])
        display_unit = str(entry.get("display_unit", ""))
        values = {}
        notes = entry.get("notes", {})
        if with_values:
            for year, raw in entry.get("values", {}).items():
                values[int(year)] = _value(raw, notes.get(year, {}))
        return Kpi(
            id=str(entry["id"]), name=dict(entry["name"]), unit=unit, group=str(entry.get("group", "")),
            parent_id=entry.get("parent") or None, dimension=str(entry.get("dimension", "")),
            precision=int(entry.get("precision", 0)), codes=list(entry.get("codes", [])),
            boundary=dict(entry.get("boundary", {})), values=values,
            display_unit=display_unit, formula=str(entry.get("formula", "")),
        )
    except (KeyError, ValueError, TypeError, ModelError) as exc:
        raise DataFileError(path, f"KPI {kpi_id!r}: {exc}") from exc


def _value(raw: Any, note: dict[str, str]) -> KpiValue:
    provenance = Provenance("typed", "bundled demo data")
    if isinstance(raw, (int, float, str)) and not isinstance(raw, bool):
        return KpiValue("number", Decimal(str(raw)), note=dict(note), provenance=provenance)
    if isinstance(raw, dict):
        kind = str(raw["kind"])
        number = Decimal(str(raw["value"])) if "value" in raw else None
        maximum = Decimal(str(raw["maximum"])) if "maximum" in raw else None
        return KpiValue(kind, number, maximum, dict(raw.get("reason", {})), dict(note), provenance)
    raise ValueError(f"cannot read value {raw!r}")


def _table(path: Path, entry: dict[str, Any]) -> KpiTable:
    try:
        order = str(entry.get("order", "ascending"))
        return KpiTable(
            id=str(entry["id"]), title=dict(entry["title"]), rows=[str(r) for r in entry["rows"]],
            years=[int(y) for y in entry["years"]], order=order, show_change=bool(entry.get("show_change", False)),
            notes=[dict(n) for n in entry.get("notes", [])], codes=list(entry.get("codes", [])),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise DataFileError(path, f"table {entry.get('id', '?')!r}: {exc}") from exc

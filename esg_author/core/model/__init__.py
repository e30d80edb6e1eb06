"""The project model: plain data, changed only through esg_author.core.commands."""

from esg_author.core.model.project import (
    DISCLOSURE_STATUSES,
    LANGUAGES,
    VALUE_KINDS,
    Asset,
    DisclosureStatus,
    Kpi,
    KpiTable,
    KpiValue,
    LocalizedText,
    Project,
    Provenance,
    ReportMeta,
    Section,
    SectionText,
    ValueChange,
    localized,
)

__all__ = [
    "DISCLOSURE_STATUSES",
    "LANGUAGES",
    "VALUE_KINDS",
    "Asset",
    "DisclosureStatus",
    "Kpi",
    "KpiTable",
    "KpiValue",
    "LocalizedText",
    "Project",
    "Provenance",
    "ReportMeta",
    "Section",
    "SectionText",
    "ValueChange",
    "localized",
]

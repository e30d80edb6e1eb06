"""Names the rendered report uses for its own places: anchors of sections and KPI tables, and the
URL scheme of project assets in the PDF edition. One place, so links and targets always agree."""

from __future__ import annotations

PDF_ASSET_SCHEME = "project-asset:"


def section_anchor(section_id: str) -> str:
    return f"sec-{section_id}"


def table_anchor(table_id: str) -> str:
    return f"table-{table_id}"

"""What the editor's chips show: a KPI's value in the section's language, a cross-reference's
number and title, a KPI table's title. Reads the project the window has open at each call, so
the chips follow edits, undo and another project."""

from __future__ import annotations

from collections.abc import Callable

from esg_author.core.i18n.formatting import format_kpi_value, kpi_name
from esg_author.core.i18n.ui import _
from esg_author.core.model import Project
from esg_author.gui.edit_history import section_label


class ChipLabels:
    def __init__(self, project: Callable[[], Project | None]) -> None:
        self._project = project

    def __call__(self, kind: str, target: str, year: int | None, lang: str) -> tuple[str, str] | None:
        project = self._project()
        if project is None:
            return None
        if kind == "kpi":
            kpi = project.kpis.get(target)
            if kpi is None:
                return None
            shown_year = year or project.meta.year
            value = kpi.values.get(shown_year)
            return (format_kpi_value(kpi, value, lang, with_unit=True),
                    _("{kpi} ({year})").format(kpi=kpi_name(kpi, lang), year=shown_year))
        if kind == "ref":
            if not project.has_section(target):
                return None
            return section_label(project, target, lang), _("Cross-reference to section {id}").format(id=target)
        if kind == "table":
            table = project.tables.get(target)
            if table is None:
                return None
            return table.title.get(lang) or target, _("KPI table {id}").format(id=target)
        return target, target

    def asset_data(self, name: str) -> bytes | None:
        project = self._project()
        asset = None if project is None else project.assets.get(name)
        return None if asset is None else asset.data

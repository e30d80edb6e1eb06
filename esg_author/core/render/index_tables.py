"""Generated content indices as plain template data: one framework's rows, grouped, with references.

The links themselves (which place answers which disclosure, statuses set by hand) are domain
rules and live in frameworks/index.py; this module only turns them into what the template prints.
"""

from __future__ import annotations

from typing import Any

from esg_author.core.findings import DisclosureTarget, Finding, Severity
from esg_author.core.frameworks.catalogue import Disclosure, Framework
from esg_author.core.frameworks.index import OMISSION_REASONS, Place, index_rows
from esg_author.core.frameworks.registry import UnknownFrameworkError, default_registry
from esg_author.core.i18n.catalogs import N_, translations
from esg_author.core.i18n.formatting import format_period
from esg_author.core.model import Project, localized
from esg_author.core.render.anchors import section_anchor, table_anchor

STATUS_LABELS = {
    "disclosed": N_("Disclosed"),
    "partly_disclosed": N_("Partly disclosed"),
    "not_applicable": N_("Not applicable"),
    "omitted": N_("Omitted"),
    "missing": N_("Not disclosed"),
}


def build_index(project: Project, framework_id: str, lang: str, numbers: dict[str, str],
                table_locations: dict[str, str]) -> tuple[dict[str, Any], list[Finding]]:
    """The content index of one framework for the template, and findings about it."""
    _ = translations(lang).gettext
    try:
        framework = default_registry().get(framework_id)
    except UnknownFrameworkError:
        return ({"framework": framework_id, "title": framework_id, "groups": [], "statement": ""},
                [Finding(Severity.ERROR, "index.framework", N_("The content index names a framework esg-author does not know: {framework}"),
                         lang, DisclosureTarget(framework_id), {"framework": framework_id})])
    groups: list[dict[str, Any]] = []
    current_parent: object = object()
    for disclosure, row in index_rows(project, framework, lang, table_locations, printed=True):
        if disclosure.parent != current_parent:
            current_parent = disclosure.parent
            parent = framework.get(disclosure.parent) if disclosure.parent else None
            groups.append({
                "code": parent.code if parent else "",
                "title": _group_title(framework, parent, lang),
                "rows": [],
            })
        references = [_reference(project, place, lang, numbers) for place in row.places]
        groups[-1]["rows"].append({
            "code": disclosure.code,
            "title": framework.title(disclosure.code, lang),
            "level": disclosure.level,
            "status": row.status,
            "status_label": _(STATUS_LABELS[row.status]),
            "references": references if row.status in ("disclosed", "partly_disclosed") else [],
            "explanation": _explanation(project, framework.id, disclosure.code, row.explanation, _),
        })
    meta = project.meta
    statement = ""
    if framework_id.startswith("gri-"):
        claim = str(meta.options.get("gri_claim", "with_reference"))
        template = (_("{company} has reported in accordance with the GRI Standards for the period {period}.")
                    if claim == "in_accordance" else
                    _("{company} has reported the information cited in this GRI content index for the period {period} with reference to the GRI Standards."))
        statement = template.format(company=localized(meta.company, lang),
                                    period=format_period(meta.period_start, meta.period_end, lang,
                                                         style=str(meta.options.get("date_style") or "default")))
    return ({
        "framework": framework.id,
        "title": localized(framework.name, lang, framework.id),
        "statement": statement,
        "gri_1": _("GRI 1: Foundation 2021") if framework_id == "gri-2021" else "",
        "groups": groups,
    }, [])


def _group_title(framework: Framework, parent: Disclosure | None, lang: str) -> str:
    if parent is None:
        return ""
    title = framework.title(parent.code, lang)
    if parent.kind in ("aspect",):
        return f"{parent.code} {title}"
    return title


def _explanation(project: Project, framework_id: str, code: str, explanation: str, _: Any) -> str:
    status = project.statuses.get((framework_id, code))
    reason = OMISSION_REASONS.get(status.omission_reason) if status and status.status == "omitted" else None
    if not reason:
        return explanation
    return _("{reason}: {explanation}").format(reason=_(reason), explanation=explanation) if explanation else _(reason)


def _reference(project: Project, place: Place, lang: str, numbers: dict[str, str]) -> dict[str, str]:
    section_id, table_id = place
    label = f"{numbers.get(section_id, '')} {project.section(section_id).text(lang).title or section_id}".strip()
    if not table_id:
        return {"anchor": section_anchor(section_id), "label": label}
    table_title = localized(project.tables[table_id].title, lang, table_id)
    return {"anchor": table_anchor(table_id), "label": f"{label} · {table_title}"}

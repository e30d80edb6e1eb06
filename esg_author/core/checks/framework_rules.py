"""Gap analysis against the frameworks a project reports on.

Reports what an exchange reviewer or an assurance provider would find first:
- links to codes that do not exist (a typo, or a code of another framework version);
- required disclosures (mandatory, comply-or-explain, or GRI's requirements when the report
  claims "in accordance") that nothing answers and nothing explains;
- "disclosed" links to sections that have no text;
- not-applicable or omitted statuses without an explanation in every report language;
- data requirements the KPIs do not meet (B2.1 asks for three years of fatalities, B1.1 for
  breakdowns by gender, employment type, age and region …).
"""

from __future__ import annotations

from collections.abc import Iterator

from esg_author.core.data.units import is_intensity
from esg_author.core.findings import DisclosureTarget, Finding, KpiTarget, SectionTarget, Severity, TableTarget, Target
from esg_author.core.frameworks.catalogue import Disclosure, Framework, UnknownDisclosureError
from esg_author.core.frameworks.index import OMISSION_REASONS, ROW_KINDS, index_rows, table_locations
from esg_author.core.frameworks.registry import FrameworkRegistry, UnknownFrameworkError, default_registry
from esg_author.core.i18n.catalogs import N_
from esg_author.core.model import Kpi, Project

_GAP = {
    "mandatory": N_("{code} is mandatory but no section, KPI or table answers it and no explanation is given"),
    "comply_or_explain": N_("{code} is comply-or-explain but no section, KPI or table answers it and no explanation "
                            "is given"),
    "required": N_("{code} is required but no section, KPI or table answers it and no explanation is given"),
}
_NO_EXPLANATION = {
    "not_applicable": N_("{code} is not applicable without an explanation"),
    "omitted": N_("{code} is omitted without an explanation"),
    "partly_disclosed": N_("{code} is partly disclosed without an explanation"),
}


def check_project(project: Project) -> list[Finding]:
    registry = default_registry()
    findings = list(_unknown_references(project, registry))
    locations = table_locations(project)
    for framework_id in project.meta.frameworks:
        try:
            framework = registry.get(framework_id)
        except UnknownFrameworkError as exc:
            findings.append(Finding(Severity.ERROR, "framework.unknown",
                                    N_("unknown framework {framework}; known frameworks: {known}"),
                                    target=DisclosureTarget(framework_id),
                                    params={"framework": framework_id, "known": ", ".join(exc.known_ids) or "—"}))
            continue
        rows = index_rows(project, framework, project.meta.languages[0], locations)
        for disclosure, row in rows:
            where = DisclosureTarget(framework.id, disclosure.code)
            if row.status == "missing":
                # The title is not in the message: the target names the disclosure, and a GUI shows
                # its title in the UI language from the catalogue.
                findings.append(Finding(Severity.ERROR, "framework.gap", _GAP.get(disclosure.level, _GAP["required"]),
                                        target=where, params={"code": disclosure.code}))
            elif row.status in ("not_applicable", "omitted", "partly_disclosed"):
                findings.extend(_missing_explanations(project, framework, disclosure, row.status))
                reason = project.statuses[(framework.id, disclosure.code)].omission_reason
                if row.status == "omitted" and framework.id.startswith("gri-") and reason not in OMISSION_REASONS:
                    message = (N_("{code} is omitted; GRI requires one of its reasons for omission ({reasons}), "
                                  "not “{reason}”") if reason else
                               N_("{code} is omitted without a reason; GRI requires one of its reasons for omission "
                                  "({reasons})"))
                    findings.append(Finding(Severity.ERROR, "framework.omission-reason", message, target=where,
                                            params={"code": disclosure.code, "reasons": ", ".join(OMISSION_REASONS),
                                                    "reason": reason}))
            for section_id in row.section_ids if row.status in ("disclosed", "partly_disclosed") else ():
                if _is_empty(project, section_id):
                    findings.append(Finding(
                        Severity.ERROR, "framework.empty-section",
                        N_("{code} is marked disclosed in section {section}, which has no text"),
                        target=where, params={"code": disclosure.code, "section": section_id}))
        findings.extend(_data_requirements(project, framework))
    return findings


def _unknown_references(project: Project, registry: FrameworkRegistry) -> Iterator[Finding]:
    chosen = set(project.meta.frameworks)
    references: list[tuple[Target, str]] = [(SectionTarget(s.id), ref) for s in project.sections for ref in s.disclosures]
    references += [(KpiTarget(k.id), ref) for k in project.kpis.values() for ref in k.codes]
    references += [(TableTarget(t.id), ref) for t in project.tables.values() for ref in t.codes]
    references += [(DisclosureTarget(fw, code), f"{fw}:{code}") for fw, code in project.statuses]
    for owner, reference in references:
        framework_id, _, code = reference.partition(":")
        params = {"reference": reference, "framework": framework_id.strip(), "code": code.strip()}
        try:
            registry.resolve(reference)
        except UnknownFrameworkError:
            yield Finding(Severity.ERROR, "framework.unknown-code",
                          N_("links to {reference}, but there is no framework {framework}"), target=owner, params=params)
            continue
        except UnknownDisclosureError:
            yield Finding(Severity.ERROR, "framework.unknown-code",
                          N_("links to {reference}, but framework {framework} has no disclosure {code}"),
                          target=owner, params=params)
            continue
        except ValueError:
            yield Finding(Severity.ERROR, "framework.unknown-code",
                          N_("links to {reference}, which is not a disclosure: write framework-id:CODE, such as "
                             "gri-2021:305-1"), target=owner, params=params)
            continue
        if framework_id not in chosen and code:
            yield Finding(Severity.INFO, "framework.not-chosen",
                          N_("links to {reference}, a framework the report does not use"), target=owner, params=params)


def _missing_explanations(project: Project, framework: Framework, disclosure: Disclosure, status: str) -> Iterator[Finding]:
    explanation = project.statuses[(framework.id, disclosure.code)].explanation
    for lang in project.meta.languages:
        if not explanation.get(lang, "").strip():
            yield Finding(Severity.ERROR, "framework.no-reason", _NO_EXPLANATION[status], lang,
                          DisclosureTarget(framework.id, disclosure.code), {"code": disclosure.code})


def _is_empty(project: Project, section_id: str) -> bool:
    section = project.section(section_id)
    return not any(section.text(lang).body.strip() for lang in project.meta.languages)


def _data_requirements(project: Project, framework: Framework) -> Iterator[Finding]:
    year = project.meta.year
    for disclosure in framework.disclosures:
        needs = disclosure.data_requirements
        if disclosure.kind not in ROW_KINDS or not needs:
            continue
        status = project.statuses.get((framework.id, disclosure.code))
        if status is not None and status.status in ("not_applicable", "omitted"):
            continue
        kpis = [k for k in project.kpis.values() if f"{framework.id}:{disclosure.code}" in k.codes]
        where = DisclosureTarget(framework.id, disclosure.code)
        if not kpis:
            if framework.is_required(disclosure.code):
                yield Finding(Severity.WARNING, "framework.no-kpi",
                              N_("{code} asks for data, but no KPI is linked to it"), target=where,
                              params={"code": disclosure.code})
            continue
        years_needed = int(needs.get("min_years", 1))
        for kpi in kpis:
            missing = [y for y in range(year - years_needed + 1, year + 1) if y not in kpi.values]
            if missing and years_needed > 1:  # aimed at the first value to enter
                yield Finding(Severity.ERROR, "framework.years",
                              N_("{framework}:{code} asks for {count} years; KPI {kpi} has no value for {years}"),
                              target=KpiTarget(kpi.id, missing[0]),
                              params={"framework": framework.id, "code": disclosure.code, "count": years_needed,
                                      "kpi": kpi.id, "years": ", ".join(map(str, missing))})
        dimensions = {d for kpi in kpis for d in _breakdown_dimensions(project, kpi)}
        if len({k.parent_id or k.id for k in kpis}) > 1:
            dimensions |= {"type", "source"}  # separate KPIs (NOx, SOx, PM …) are a breakdown by type
        if dimensions & {"type", "source"}:
            dimensions |= {"type", "source"}  # the catalogues use both words for the same split
        wanted = [d for d in needs.get("breakdowns", ()) if d not in dimensions]
        if wanted:
            message = (N_("{code} asks for a breakdown by {wanted}; the linked KPIs have {found}") if dimensions else
                       N_("{code} asks for a breakdown by {wanted}; the linked KPIs have no breakdown"))
            yield Finding(Severity.WARNING, "framework.breakdown", message, target=where,
                          params={"code": disclosure.code, "wanted": ", ".join(wanted),
                                  "found": ", ".join(sorted(dimensions))})
        if needs.get("intensity") and not any(is_intensity(k.unit) for k in kpis):
            yield Finding(Severity.WARNING, "framework.intensity",
                          N_("{code} asks for an intensity, but no linked KPI is one"), target=where,
                          params={"code": disclosure.code})


def _breakdown_dimensions(project: Project, kpi: Kpi) -> set[str]:
    dimensions = {kpi.dimension} if kpi.parent_id and kpi.dimension else set()
    for child in project.kpis.values():
        if child.parent_id == kpi.id and child.dimension:
            dimensions.add(child.dimension)
    return dimensions


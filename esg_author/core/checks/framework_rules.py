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

from esg_author.core.findings import DisclosureTarget, Finding, KpiTarget, SectionTarget, Severity, TableTarget, Target
from esg_author.core.frameworks.catalogue import Disclosure, Framework, UnknownDisclosureError
from esg_author.core.frameworks.index import OMISSION_REASONS, ROW_KINDS, index_rows, table_locations
from esg_author.core.frameworks.registry import FrameworkRegistry, UnknownFrameworkError, default_registry
from esg_author.core.model import Kpi, Project


def check_project(project: Project) -> list[Finding]:
    registry = default_registry()
    findings = list(_unknown_references(project, registry))
    locations = table_locations(project)
    for framework_id in project.meta.frameworks:
        try:
            framework = registry.get(framework_id)
        except UnknownFrameworkError as exc:
            findings.append(Finding(Severity.ERROR, "framework.unknown", str(exc), target=DisclosureTarget(framework_id)))
            continue
        rows = index_rows(project, framework, project.meta.languages[0], locations)
        for disclosure, row in rows:
            where = DisclosureTarget(framework.id, disclosure.code)
            if row.status == "missing":
                findings.append(Finding(
                    Severity.ERROR, "framework.gap",
                    f"{disclosure.code} ({_title(framework, disclosure)}) is {disclosure.level.replace('_', '-')} "
                    f"but no section, KPI or table answers it and no explanation is given", target=where))
            elif row.status in ("not_applicable", "omitted", "partly_disclosed"):
                findings.extend(_missing_explanations(project, framework, disclosure, row.status))
                reason = project.statuses[(framework.id, disclosure.code)].omission_reason
                if row.status == "omitted" and framework.id.startswith("gri-") and reason not in OMISSION_REASONS:
                    findings.append(Finding(
                        Severity.ERROR, "framework.omission-reason",
                        f"{disclosure.code} is omitted; GRI requires one of its reasons for omission "
                        f"({', '.join(OMISSION_REASONS)}), not {reason!r}", target=where))
            for section_id in row.section_ids if row.status in ("disclosed", "partly_disclosed") else ():
                if _is_empty(project, section_id):
                    findings.append(Finding(
                        Severity.ERROR, "framework.empty-section",
                        f"{disclosure.code} is marked disclosed in section {section_id!r}, which has no text",
                        target=where))
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
        try:
            registry.resolve(reference)
        except (UnknownFrameworkError, UnknownDisclosureError, ValueError) as exc:
            yield Finding(Severity.ERROR, "framework.unknown-code", f"{owner.describe()} links to {reference!r}: {exc}",
                          target=owner)
            continue
        if framework_id not in chosen and code:
            yield Finding(Severity.INFO, "framework.not-chosen",
                          f"{owner.describe()} links to {reference}, a framework the report does not use", target=owner)


def _missing_explanations(project: Project, framework: Framework, disclosure: Disclosure, status: str) -> Iterator[Finding]:
    explanation = project.statuses[(framework.id, disclosure.code)].explanation
    for lang in project.meta.languages:
        if not explanation.get(lang, "").strip():
            yield Finding(Severity.ERROR, "framework.no-reason",
                          f"{disclosure.code} is {status.replace('_', ' ')} without an explanation",
                          lang, DisclosureTarget(framework.id, disclosure.code))


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
                              f"{disclosure.code} asks for data, but no KPI is linked to it", target=where)
            continue
        years_needed = int(needs.get("min_years", 1))
        for kpi in kpis:
            missing = [y for y in range(year - years_needed + 1, year + 1) if y not in kpi.values]
            if missing and years_needed > 1:
                yield Finding(Severity.ERROR, "framework.years",
                              f"{disclosure.code} asks for {years_needed} years; KPI {kpi.id!r} has no value for "
                              f"{', '.join(map(str, missing))}", target=where)
        dimensions = {d for kpi in kpis for d in _breakdown_dimensions(project, kpi)}
        if len({k.parent_id or k.id for k in kpis}) > 1:
            dimensions |= {"type", "source"}  # separate KPIs (NOx, SOx, PM …) are a breakdown by type
        if dimensions & {"type", "source"}:
            dimensions |= {"type", "source"}  # the catalogues use both words for the same split
        wanted = [d for d in needs.get("breakdowns", ()) if d not in dimensions]
        if wanted:
            yield Finding(Severity.WARNING, "framework.breakdown",
                          f"{disclosure.code} asks for a breakdown by {', '.join(wanted)}; the linked KPIs have "
                          f"{', '.join(sorted(dimensions)) or 'no breakdown'}", target=where)
        if needs.get("intensity") and not any("_per_" in k.unit for k in kpis):
            yield Finding(Severity.WARNING, "framework.intensity",
                          f"{disclosure.code} asks for an intensity, but no linked KPI is one", target=where)


def _breakdown_dimensions(project: Project, kpi: Kpi) -> set[str]:
    dimensions = {kpi.dimension} if kpi.parent_id and kpi.dimension else set()
    for child in project.kpis.values():
        if child.parent_id == kpi.id and child.dimension:
            dimensions.add(child.dimension)
    return dimensions


def _title(framework: Framework, disclosure: Disclosure) -> str:
    return framework.title(disclosure.code, "en")

"""Text checks: every section has its title and text in every report language."""

from __future__ import annotations

from esg_author.core.findings import Finding, SectionTarget, Severity
from esg_author.core.i18n.catalogs import N_
from esg_author.core.model import Project


def check_missing_text(project: Project) -> list[Finding]:
    findings: list[Finding] = []
    languages = project.meta.languages
    for section, _depth in project.walk():
        written = [lang for lang in languages if section.text(lang).body.strip()]
        for lang in languages:
            text = section.text(lang)
            if not text.title.strip():
                findings.append(Finding(Severity.ERROR, "text.missing-title", N_("the section has no title"), lang,
                                        SectionTarget(section.id, lang)))
            if written and lang not in written:
                findings.append(Finding(Severity.ERROR, "text.missing",
                                        N_("the text exists in {languages} but not in this language"), lang,
                                        SectionTarget(section.id, lang), {"languages": ", ".join(written)}))
        if not written and not project.children(section.id):
            findings.append(Finding(Severity.WARNING, "text.empty", N_("the section has no text in any language"),
                                    target=SectionTarget(section.id)))
    return findings

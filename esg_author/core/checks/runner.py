"""Run the preflight checks of a project: the same list for `esg-author check` and the editor."""

from __future__ import annotations

from collections.abc import Callable

from esg_author.core.checks.findings import Finding, Severity
from esg_author.core.checks.fonts import check_font_coverage, printed_characters
from esg_author.core.checks.text import check_missing_text
from esg_author.core.model import Project
from esg_author.core.render.build import render_language
from esg_author.core.render.pdf import render_pdf
from esg_author.core.render.template import load_template

ProgressCallback = Callable[[str, str], None]


def run_checks(project: Project, render: bool = True, progress: ProgressCallback | None = None) -> list[Finding]:
    """All findings for the project. render=False skips the (slow) trial render of each PDF."""
    report = progress or (lambda _lang, _step: None)
    findings = check_missing_text(project)
    template = load_template(project.meta.template)
    for lang in project.meta.languages:
        html, context_findings, _ = render_language(project, lang, template, "pdf")
        findings.extend(context_findings)
        families = template.fonts.get(lang, ())
        if families:
            findings.extend(check_font_coverage(printed_characters(html), families, lang, f"template {template.name}"))
        else:
            findings.append(Finding(Severity.WARNING, "font.undeclared",
                                    f"template {template.name!r} declares no fonts for {lang}", lang))
        report(lang, "checked")
        if render:
            stylesheets = [template.folder / css for css in template.pdf_stylesheets]
            findings.extend(render_pdf(html, template.folder, stylesheets, project.assets, lang).findings)
            report(lang, "rendered")
    return _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))

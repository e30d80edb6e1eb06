"""Run the preflight checks of a project: the same list for `esg-author check` and the editor.

Rule modules: every module esg_author/core/checks/<topic>_rules.py has a function
check_project(project) -> list[Finding]; the runner calls each of them (in name order). The
checks that need a rendered edition (tokens, fonts, WeasyPrint's log) run here per language.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType

import esg_author.core.checks as checks_package
from esg_author.core.checks.fonts import check_font_coverage, printed_characters
from esg_author.core.checks.text import check_missing_text
from esg_author.core.findings import Finding, Severity, TemplateTarget
from esg_author.core.i18n.catalogs import N_
from esg_author.core.model import Project
from esg_author.core.render.edition import render_edition_pdf, render_language
from esg_author.core.render.template import TemplateInfo, load_template

ProgressCallback = Callable[[str, str], None]


def run_checks(project: Project, render: bool = True, progress: ProgressCallback | None = None) -> list[Finding]:
    """All findings for the project. render=False skips the (slow) trial render of each PDF."""
    report = progress or (lambda _lang, _step: None)
    findings = check_missing_text(project)
    for module in rule_modules():
        findings.extend(module.check_project(project))
    template = load_template(project.meta.template)
    for lang in project.meta.languages:

        def check_fonts(html: str, lang: str = lang) -> None:
            findings.extend(_font_findings(html, template, lang))
            report(lang, "checked")

        if render:
            # The fonts are checked on the HTML before WeasyPrint lays it out: one render for both.
            findings.extend(render_edition_pdf(project, lang, template, on_html=check_fonts).findings)
            report(lang, "rendered")
        else:
            html, context_findings, _ = render_language(project, lang, template, "pdf")
            findings.extend(context_findings)
            check_fonts(html)
    return _unique(findings)


def _font_findings(html: str, template: TemplateInfo, lang: str) -> list[Finding]:
    families = template.fonts.get(lang, ())
    if families:
        return check_font_coverage(printed_characters(html), families, lang, template.name)
    return [Finding(Severity.WARNING, "font.undeclared", N_("The template {template} declares no fonts for {language}"),
                    lang, TemplateTarget(template.name, "manifest.toml"), {"template": template.name, "language": lang})]


def rule_modules() -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(checks_package.__path__) if m.name.endswith("_rules"))
    return [importlib.import_module(f"{checks_package.__name__}.{name}") for name in names]


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))

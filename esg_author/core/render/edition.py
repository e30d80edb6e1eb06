"""One edition of a report (a language in its pdf or html flavour) as final HTML, from memory."""

from __future__ import annotations

import time

from esg_author.core.findings import Finding
from esg_author.core.model import Project
from esg_author.core.render.context import build_context
from esg_author.core.render.markdown import SectionMarkdown
from esg_author.core.render.template import TemplateInfo, render_template


def render_language(project: Project, lang: str, template: TemplateInfo, output: str) -> tuple[str, list[Finding], dict[str, float]]:
    """The final HTML of one edition ("pdf" or "html" flavour) with findings and timings."""
    started = time.perf_counter()
    context = build_context(project, lang, "pdf" if output == "pdf" else "html", SectionMarkdown())
    built = time.perf_counter()
    name = template.pdf_template if output == "pdf" else template.html_template
    html = render_template(template, name, lang, context.data)
    return html, context.findings, {"context": built - started, "jinja": time.perf_counter() - built}

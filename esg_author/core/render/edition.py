"""What a report looks like, from memory: the final HTML and the PDF of one edition (a language),
or of one section of it alone for the editor's preview. Nothing here reads the project file.

`render_edition_pdf` is the one way an edition becomes a PDF: the build, the checks and the
`index --pages` command all use it, so they share the template's confined stylesheets, the
captured WeasyPrint log and the timings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from esg_author.core.findings import Finding
from esg_author.core.model import Project
from esg_author.core.render.context import PageMap, build_context, build_section_context
from esg_author.core.render.markdown import SectionMarkdown
from esg_author.core.render.pdf import PdfResult, render_pdf
from esg_author.core.render.template import TemplateInfo, load_template, render_template


@dataclass
class EditionHtml:
    html: str
    findings: list[Finding] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # context, jinja


@dataclass
class EditionPdf:
    """A rendered PDF of an edition or of one section, with what the render noticed."""

    pdf: bytes
    pages: int
    anchor_pages: dict[str, int]  # element id (sec-…, table-…) → page; a preview's own pages
    findings: list[Finding]  # the context's (tokens, tables, indices) and WeasyPrint's
    seconds: dict[str, float]  # context, jinja, layout, write
    html: str  # the final HTML that was laid out


def render_language(project: Project, lang: str, template: TemplateInfo, output: str) -> tuple[str, list[Finding], dict[str, float]]:
    """The final HTML of one edition ("pdf" or "html" flavour) with findings and timings."""
    started = time.perf_counter()
    context = build_context(project, lang, "pdf" if output == "pdf" else "html", SectionMarkdown())
    built = time.perf_counter()
    name = template.pdf_template if output == "pdf" else template.html_template
    html = render_template(template, name, lang, context.data)
    return html, context.findings, {"context": built - started, "jinja": time.perf_counter() - built}


def render_edition_pdf(project: Project, lang: str, template: TemplateInfo | None = None,
                       on_html: Callable[[str], None] | None = None) -> EditionPdf:
    """The PDF edition of one language. `on_html` is called with the final HTML before layout
    (progress, or checks that read the HTML while WeasyPrint has not started yet)."""
    template = template or load_template(project.meta.template)
    html, findings, seconds = render_language(project, lang, template, "pdf")
    if on_html:
        on_html(html)
    return _laid_out(project, lang, template, EditionHtml(html, findings, seconds), fragment=False)


def render_section_html(project: Project, section_id: str, lang: str, template: TemplateInfo | None = None,
                        page_map: PageMap | None = None) -> EditionHtml:
    """The final HTML of one section and its sub-sections as the PDF edition prints them.

    Rendered with the template's preview_template (or its pdf_template when it has none). With
    `page_map` (anchor_pages of a previous full render of the same language) the section's pages
    and its cross-references print the pages they have in the full edition.
    """
    template = template or load_template(project.meta.template)
    started = time.perf_counter()
    context = build_section_context(project, section_id, lang, page_map, SectionMarkdown())
    built = time.perf_counter()
    html = render_template(template, template.section_template, lang, context.data)
    return EditionHtml(html, context.findings, {"context": built - started, "jinja": time.perf_counter() - built})


def render_section_pdf(project: Project, section_id: str, lang: str, template: TemplateInfo | None = None,
                       page_map: PageMap | None = None) -> EditionPdf:
    """The PDF of one section alone (see render_section_html)."""
    template = template or load_template(project.meta.template)
    edition = render_section_html(project, section_id, lang, template, page_map)
    return _laid_out(project, lang, template, edition, fragment=True)


def _laid_out(project: Project, lang: str, template: TemplateInfo, edition: EditionHtml, fragment: bool) -> EditionPdf:
    stylesheets = [template.file(css) for css in template.pdf_stylesheets]  # TemplateError outside the folder
    result: PdfResult = render_pdf(edition.html, template.folder, stylesheets, project.assets, lang, fragment=fragment)
    return EditionPdf(
        pdf=result.data,
        pages=result.pages,
        anchor_pages=result.anchor_pages,
        findings=[*edition.findings, *result.findings],
        seconds={**edition.seconds, "layout": result.layout_seconds, "write": result.write_seconds},
        html=edition.html,
    )

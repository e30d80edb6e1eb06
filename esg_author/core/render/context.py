"""The template context: a plain-data picture of one report edition (one language), or of one
section of it for the editor's preview.

Templates see only what is built here (dicts, lists, strings and pre-rendered, escaped HTML of
section text); never model objects. Section text is rendered by markdown.py and never passes
through Jinja as template source.

A section preview is printed as the whole report would print it: its real number, running heads,
cross-references to sections it does not contain (number and title, and their page in the full
edition when a page map of a previous full render is given), KPI values, tables and footnotes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any, Literal
from urllib.parse import quote, unquote

from markupsafe import Markup

from esg_author.core.data.units import unit_label
from esg_author.core.findings import Finding, SectionTarget, Severity, TableTarget
from esg_author.core.i18n.catalogs import N_, translations
from esg_author.core.i18n.formatting import (
    BABEL_LOCALES,
    HTML_LANGS,
    format_date,
    format_kpi_value,
    format_money,
    format_period,
    round_half_up,
)
from esg_author.core.model import LANGUAGE_NAMES, Kpi, KpiValue, Project, Section, localized
from esg_author.core.render.anchors import PDF_ASSET_SCHEME, section_anchor, table_anchor
from esg_author.core.render.kpi_tables import build_kpi_table
from esg_author.core.render.markdown import SectionMarkdown, TokenProblem
from esg_author.core.rules import RULES

OutputFormat = Literal["pdf", "html"]


@dataclass
class ReportContext:
    """The context dict plus everything noticed while building it."""

    data: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)


PageMap = Mapping[str, int]  # anchor → page number in the full edition (EditionPdf.anchor_pages)


class _Resolver:
    """Resolves [[kpi:…]], [[ref:…]] and asset:… for one language and output format.

    `scope` is the set of sections the document prints (None: all of them); a reference to a
    section outside it is not a link, and carries its page from `page_map` when known.
    """

    def __init__(self, project: Project, lang: str, output: OutputFormat, numbers: dict[str, str],
                 scope: frozenset[str] | None = None, page_map: PageMap | None = None) -> None:
        self.project = project
        self.lang = lang
        self.output = output
        self.numbers = numbers
        self.scope = scope
        self.page_map = page_map or {}
        self._ = translations(lang).gettext

    def kpi_html(self, kpi_id: str, year: int | None) -> str | None:
        kpi = self.project.kpis.get(kpi_id)
        if kpi is None:
            return None
        value = kpi.values.get(year or self.project.meta.year)
        if value is None:
            return None
        number_only = format_kpi_value(kpi, value, self.lang, with_unit=False)
        money = money_in_text(kpi, value, self.lang)
        if money is not None:
            # The magnitude word ("thousand", 萬元) is set like a unit, so highlight figures stay short.
            cut = max(i for i, ch in enumerate(money) if ch.isdigit()) + 1
            number, words = money[:cut], money[cut:]
            return (f'<span class="kpi" data-kpi="{escape(kpi_id)}"><span class="kpi-number">{escape(number)}</span>'
                    f'{" " if words.startswith(" ") else ""}<span class="kpi-unit">{escape(words.strip())}</span></span>')
        if value.kind == "number":
            unit = "%" if kpi.is_percent else unit_label(kpi.display_unit or kpi.unit, self.lang)
            spacer = "" if kpi.is_percent or self.lang != "en" else " "
            unit_class = "kpi-unit percent" if kpi.is_percent else "kpi-unit"
            return (f'<span class="kpi" data-kpi="{escape(kpi_id)}"><span class="kpi-number">'
                    f'{escape(number_only)}</span>{spacer}<span class="{unit_class}">{escape(unit)}</span></span>')
        return f'<span class="kpi" data-kpi="{escape(kpi_id)}"><span class="kpi-number">{escape(number_only)}</span></span>'

    def ref_html(self, section_id: str) -> str | None:
        if not self.project.has_section(section_id):
            return None
        if self.scope is None:
            return xref_html(self.project, section_id, self.lang, self.numbers)
        return xref_html(self.project, section_id, self.lang, self.numbers, linked=section_id in self.scope,
                         page=self.page_map.get(section_anchor(section_id)))

    def asset_url(self, name: str) -> str | None:
        if name not in self.project.assets:
            # Markdown percent-encodes link targets (asset:管治.svg arrives as asset:%E7%AE%A1…).
            name = unquote(name)
        if name not in self.project.assets:
            return None
        return asset_url(name, self.output)

    def container_title(self, kind: str, title: str) -> str:
        label = escape(self._("Case"))
        return f'<span class="case-label">{label}</span> {escape(title)}' if title else label


# Money KPIs in running text read as the seeds write them (RMB2,385 thousand / 人民幣238.5萬元),
# not as a number followed by the table's unit label ("2,385 RMB thousand"). unit → (power of
# ten of the stored unit, magnitude used in English, magnitude used in Chinese).
_MONEY_UNITS = {"RMB": (0, 0, 0), "RMB_thousand": (3, 3, 4), "RMB_ten_thousand": (4, 3, 4), "RMB_million": (6, 6, 8)}


def money_in_text(kpi: Kpi, value: KpiValue, lang: str) -> str | None:
    """A money KPI's value worded for running text, or None for any other KPI."""
    if value.kind != "number" or value.number is None or kpi.display_unit or kpi.unit not in _MONEY_UNITS:
        return None
    power, english, chinese = _MONEY_UNITS[kpi.unit]
    amount = round_half_up(value.number, kpi.precision).scaleb(power)
    scale = english if lang == "en" else chinese
    if lang != "en" and scale == 8 and abs(amount) < Decimal(10) ** 8:
        scale = 4  # under 1 億: 萬
    return format_money(amount, "RMB", lang, scale=scale or None)


def asset_url(name: str, output: OutputFormat) -> str:
    # Percent-encoded: a name may hold spaces, CJK, '#' or '%'; the fetcher and browsers decode it.
    quoted = quote(name, safe="")
    return f"{PDF_ASSET_SCHEME}{quoted}" if output == "pdf" else f"assets/{quoted}"


def section_title(project: Project, section_id: str, lang: str) -> str:
    return project.section(section_id).text(lang).title or section_id


def xref_html(project: Project, section_id: str, lang: str, numbers: dict[str, str],
              linked: bool = True, page: int | None = None) -> str:
    """A cross-reference: number and title; a link when the target is in the document, and its
    page as data-page when it is known beforehand (a preview; the full edition lets CSS count)."""
    number = numbers.get(section_id, "")
    title = section_title(project, section_id, lang)
    label = f"{number} {title}".strip()
    attributes = f' href="#{section_anchor(section_id)}"' if linked else ""
    if page is not None:
        attributes += f' data-page="{page}"'
    return f'<a class="xref"{attributes}>{escape(label)}</a>'


def build_context(project: Project, lang: str, output: OutputFormat,
                  markdown: SectionMarkdown | None = None) -> ReportContext:
    """Everything the template needs to print one language edition of the report."""
    numbers = project.section_numbers()
    resolver = _Resolver(project, lang, output, numbers)
    findings: list[Finding] = []
    sections = _section_entries(project, lang, resolver, markdown or SectionMarkdown(), findings, None)
    _add_indices(project, lang, numbers, sections, findings)
    data = _report_data(project, lang, output)
    data["toc"] = _toc(sections)
    data["sections"] = sections
    return ReportContext(data, findings)


def build_section_context(project: Project, section_id: str, lang: str, page_map: PageMap | None = None,
                          markdown: SectionMarkdown | None = None) -> ReportContext:
    """The context of one section and its sub-sections, printed as in the full PDF edition.

    `sections` and `toc` hold the previewed subtree only, with the report's numbers and depths;
    `preview` says what is previewed, the running head of its chapter and, with a page map, the
    page the section starts on in the full edition. Findings concern the subtree only.
    """
    top = project.section(section_id)  # ModelError for an unknown id
    numbers = project.section_numbers()
    scope = frozenset(project.subtree_ids(section_id))
    page_map = page_map or {}
    resolver = _Resolver(project, lang, "pdf", numbers, scope, page_map)
    findings: list[Finding] = []
    sections = _section_entries(project, lang, resolver, markdown or SectionMarkdown(), findings, scope)
    in_document = {entry["anchor"] for entry in sections} | {
        table_anchor(block["table"]["id"]) for entry in sections for block in entry["blocks"] if block["kind"] == "table"}
    _add_indices(project, lang, numbers, sections, findings, in_document, page_map)
    chapter = _chapter_of(project, top)
    data = _report_data(project, lang, "pdf")
    data["toc"] = _toc(sections)
    data["sections"] = sections
    data["preview"] = {
        "section_id": top.id,
        "anchor": section_anchor(top.id),
        "number": numbers.get(top.id, ""),
        "title": top.text(lang).title or top.id,
        "depth": sections[0]["depth"] if sections else 0,
        # What the chapter's title sets as the running head in the full edition ("6 Towards Low Carbon").
        "chapter_heading": f"{numbers.get(chapter.id, '')} {chapter.text(lang).title or chapter.id}".strip(),
        "first_page": page_map.get(section_anchor(top.id)),
    }
    return ReportContext(data, findings)


def _chapter_of(project: Project, section: Section) -> Section:
    seen = {section.id}
    while section.parent_id and project.has_section(section.parent_id) and section.parent_id not in seen:
        section = project.section(section.parent_id)
        seen.add(section.id)
    return section


def _section_entries(project: Project, lang: str, resolver: _Resolver, markdown: SectionMarkdown,
                     findings: list[Finding], only: frozenset[str] | None) -> list[dict[str, Any]]:
    """Template entries of the sections in reading order (of those in `only`, when given)."""
    numbers = resolver.numbers
    sections: list[dict[str, Any]] = []
    chapter_title = ""
    for section, depth in project.walk():
        text = section.text(lang)
        title = text.title or section.id
        if depth == 0:
            chapter_title = title
        if only is not None and section.id not in only:
            continue
        blocks, problems = markdown.render(text.body, resolver, doc_id=section.id)
        findings.extend(_token_finding(section.id, lang, problem) for problem in problems)
        rendered_blocks = []
        for block in blocks:
            if block.kind == "html":
                rendered_blocks.append({"kind": "html", "html": Markup(block.html)})
            elif block.kind == "table":
                table = project.tables.get(block.ref)
                if table is None:
                    findings.append(Finding(Severity.ERROR, "token.table",
                                            N_("[[table:{table}]] names a KPI table the project does not have"), lang,
                                            SectionTarget(section.id, lang, block.start, block.end), {"table": block.ref}))
                    continue
                data = build_kpi_table(project, table, lang)
                for kpi_id in data["missing"]:
                    findings.append(Finding(Severity.ERROR, "table.kpi",
                                            N_("KPI table {table} lists a KPI the project does not have: {kpi}"), lang,
                                            TableTarget(table.id), {"table": table.id, "kpi": kpi_id}))
                rendered_blocks.append({"kind": "table", "table": data})
            else:
                rendered_blocks.append({"kind": "index", "framework": block.ref})
        sections.append({
            "id": section.id,
            "anchor": section_anchor(section.id),
            "number": numbers.get(section.id, ""),
            "title": title,
            "depth": depth,
            "chapter_title": chapter_title,
            "blocks": rendered_blocks,
        })
    return sections


def _toc(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"anchor": s["anchor"], "number": s["number"], "title": s["title"], "depth": s["depth"]}
            for s in sections if s["depth"] <= 1]


def _add_indices(project: Project, lang: str, numbers: dict[str, str], sections: list[dict[str, Any]],
                 findings: list[Finding], in_document: set[str] | None = None, page_map: PageMap | None = None) -> None:
    """Fill the content-index blocks. A reference links (href) to a place the document prints;
    its page is given only when known beforehand (page_map), else the template counts it."""
    from esg_author.core.frameworks.index import table_locations  # frameworks load lazily
    from esg_author.core.render.index_tables import build_index

    # Tables are located by the one rule `esg-author index` and the gap checks use (the first
    # section placing them in any language), so every edition's index agrees with them.
    locations = table_locations(project)
    for entry in sections:
        for block in entry["blocks"]:
            if block["kind"] != "index":
                continue
            index, index_findings = build_index(project, block["framework"], lang, numbers, locations)
            findings.extend(index_findings)
            for group in index["groups"]:
                for row in group["rows"]:
                    for reference in row["references"]:
                        anchor = reference["anchor"]
                        linked = in_document is None or anchor in in_document
                        reference["href"] = f"#{anchor}" if linked else ""
                        reference["page"] = (page_map or {}).get(anchor)
            block["index"] = index


def _report_data(project: Project, lang: str, output: OutputFormat) -> dict[str, Any]:
    meta = project.meta
    return {
        "lang": lang,
        "html_lang": HTML_LANGS[lang],
        "babel_locale": BABEL_LOCALES[lang],
        "output": output,
        "report": {
            "company": localized(meta.company, lang),
            "short_name": localized(meta.short_name, lang) or localized(meta.company, lang),
            "title": localized(meta.title, lang),
            "year": str(meta.year),
            "period": format_period(meta.period_start, meta.period_end, lang, style=str(meta.options.get("date_style") or "default")),
            "period_end": format_date(meta.period_end, lang, style=str(meta.options.get("date_style") or "default")),
            "currency": meta.currency,
            "logo": asset_url(meta.logo, output) if meta.logo in project.assets else None,
            "cover_image": asset_url(meta.cover_image, output) if meta.cover_image in project.assets else None,
        },
        "languages": [
            {"code": code, "name": LANGUAGE_NAMES.get(code, code), "href": f"../{code}/index.html", "current": code == lang}
            for code in meta.languages
        ],
    }


# -- findings about tokens, aimed at the token's characters ----------------------------------


def _token_finding(section_id: str, lang: str, problem: TokenProblem) -> Finding:
    """markdown.py words the problem (a msgid with params) and knows the token's span in the body."""
    rule = problem.rule if problem.rule in RULES else "token.token"
    return Finding(Severity.ERROR, rule, problem.template or problem.message, lang,
                   SectionTarget(section_id, lang, problem.start, problem.end), problem.params)

"""HTML to PDF with WeasyPrint, its log captured as findings instead of lost on stderr.

WeasyPrint reports problems as log records and still produces a PDF, so a render without
capturing them can look fine while it prints boxes or leaves an image out. Its policy is that
ERROR records are resources it could not use (an image, a font, a stylesheet, a link target) and
WARNING records everything else (unsupported CSS, layout). Both levels are kept: an ERROR record
is an ERROR finding ("render.resource", `check` fails), a warning a warning ("render.weasyprint");
repeated missing-glyph warnings are folded into one "font.missing-glyph" error.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetchingError

from esg_author.core.errors import TemplateError
from esg_author.core.findings import AssetTarget, Finding, ProjectTarget, Severity, Target, TemplateTarget
from esg_author.core.i18n.catalogs import N_
from esg_author.core.model import Asset
from esg_author.core.render.anchors import PDF_ASSET_SCHEME
from esg_author.core.render.fetcher import Refusal, RestrictedFetcher

_GLYPH_RE = re.compile(r'unsupported by fonts?: "(.+?)"|missing from font', re.IGNORECASE)
_ASSET_URL_RE = re.compile(re.escape(PDF_ASSET_SCHEME) + r"""([^'"\s)<>]+)""")
_FILE_URL_RE = re.compile(r"""file:[^'"\s)<>]+""")
# A document that is one section of a report links to places it does not contain.
_MISSING_ANCHOR_RE = re.compile(r"target points to undefined anchor|No anchor #?.* for internal URI reference")


@dataclass
class PdfResult:
    data: bytes
    pages: int
    findings: list[Finding] = field(default_factory=list)
    layout_seconds: float = 0.0
    write_seconds: float = 0.0
    anchor_pages: dict[str, int] = field(default_factory=dict)  # element id → page number (from 1)


class LogRecordText(NamedTuple):
    level: int  # logging.ERROR, logging.WARNING …
    message: str


class _CaptureHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[LogRecordText] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(LogRecordText(record.levelno, record.getMessage()))


@contextmanager
def capture_weasyprint_log() -> Iterator[_CaptureHandler]:
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("weasyprint.progress")]
    handler = _CaptureHandler()
    saved = [(lg, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False  # ours now: reported as findings, not printed
    try:
        yield handler
    finally:
        for lg, propagate in saved:
            lg.removeHandler(handler)
            lg.propagate = propagate


def render_pdf(html: str, template_folder: Path, stylesheets: list[Path], assets: dict[str, Asset],
               lang: str, font_config: FontConfiguration | None = None, fragment: bool = False) -> PdfResult:
    """Lay out and write one PDF. `fragment`: the HTML is part of a report (a section preview),
    so links to places outside it are expected and not reported."""
    fetcher = RestrictedFetcher([template_folder], assets)
    font_config = font_config or FontConfiguration()
    with capture_weasyprint_log() as log:
        started = time.perf_counter()
        css = [_stylesheet(path, template_folder, fetcher, font_config) for path in stylesheets]
        document = HTML(string=html, base_url=template_folder.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=css, font_config=font_config)
        laid_out = time.perf_counter()
        data = document.write_pdf()
        written = time.perf_counter()
    anchor_pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchor_pages.setdefault(anchor, number)
    records = [r for r in log.records if not (fragment and _MISSING_ANCHOR_RE.search(r.message))]
    return PdfResult(
        data=data,
        pages=len(document.pages),
        anchor_pages=anchor_pages,
        findings=findings_from_log(records, fetcher.refused, lang, template_folder, assets),
        layout_seconds=laid_out - started,
        write_seconds=written - laid_out,
    )


def _stylesheet(path: Path, template_folder: Path, fetcher: RestrictedFetcher,
                font_config: FontConfiguration) -> CSS:
    """A stylesheet loaded through the fetcher (CSS(filename=…) would open any file directly)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(template_folder.resolve()):
        raise TemplateError(path, "stylesheet is outside the template folder")
    try:
        return CSS(url=resolved.as_uri(), url_fetcher=fetcher, font_config=font_config)
    except URLFetchingError as exc:
        raise TemplateError(path, f"stylesheet cannot be loaded ({exc})") from exc


def findings_from_log(records: list[LogRecordText], refused: list[Refusal], lang: str,
                      template_folder: Path, assets: dict[str, Asset] | None = None) -> list[Finding]:
    """Findings for what WeasyPrint logged and what the fetcher refused during one render."""
    template = template_folder.name
    findings: list[Finding] = []
    glyphs: Counter[str] = Counter()
    other: Counter[LogRecordText] = Counter()
    for record in records:
        match = _GLYPH_RE.search(record.message)
        if match:
            glyphs[match.group(1) or "?"] += 1
        elif "refused" not in record.message:  # reported below with its reason
            other[LogRecordText(record.level, record.message.splitlines()[0])] += 1
    if glyphs:
        findings.append(Finding(
            Severity.ERROR, "font.missing-glyph",
            N_("{count} characters print as boxes because no font has them: {characters}"), lang,
            TemplateTarget(template), {"count": len(glyphs), "characters": "".join(sorted(glyphs)[:20])}))
    for refusal in dict.fromkeys(refused):
        findings.append(_refusal_finding(refusal, lang, template, template_folder))
    for (level, detail), count in other.items():
        if level >= logging.ERROR:
            findings.append(_resource_finding(detail, count, lang, template_folder, assets or {}))
        else:
            message = N_("The PDF renderer reports: {detail}") if count == 1 else \
                N_("The PDF renderer reports ({count} times): {detail}")
            findings.append(Finding(Severity.WARNING, "render.weasyprint", message, lang, ProjectTarget(),
                                    {"detail": detail, "count": count}))
    return findings


def _resource_finding(detail: str, count: int, lang: str, template_folder: Path, assets: dict[str, Asset]) -> Finding:
    """An ERROR record: a resource WeasyPrint could not use, aimed at the asset or template file named."""
    params: dict[str, object] = {"detail": detail, "count": count}
    asset = _ASSET_URL_RE.search(detail)
    if asset and unquote(asset.group(1)) in assets:
        name = unquote(asset.group(1))
        return Finding(Severity.ERROR, "render.resource", N_("The asset {asset} cannot be printed: {detail}"), lang,
                       AssetTarget(name), {**params, "asset": name})
    file = _template_file(detail, template_folder)
    if file:
        return Finding(Severity.ERROR, "render.resource", N_("The template file {file} cannot be used: {detail}"), lang,
                       TemplateTarget(template_folder.name, file), {**params, "file": file})
    return Finding(Severity.ERROR, "render.resource", N_("The PDF renderer could not use a resource: {detail}"), lang,
                   ProjectTarget(), params)


def _template_file(text: str, template_folder: Path) -> str:
    """The template-relative path of the first file: URL in text that lies inside the template."""
    match = _FILE_URL_RE.search(text)
    if not match:
        return ""
    path = Path(url2pathname(unquote(urlparse(match.group(0)).path))).resolve()
    root = template_folder.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else ""


def _refusal_finding(refusal: Refusal, lang: str, template: str, template_folder: Path) -> Finding:
    url = refusal.url
    target: Target = TemplateTarget(template)
    if refusal.reason == "no-asset":
        name = unquote(url.removeprefix(PDF_ASSET_SCHEME))
        return Finding(Severity.ERROR, "render.fetch-refused",
                       N_("The report shows {asset}, which is not one of the project's assets"), lang,
                       AssetTarget(name), {"asset": name, "url": url})
    if refusal.reason == "not-found":
        file = _template_file(url, template_folder)
        target = TemplateTarget(template, file) if file else target
        return Finding(Severity.ERROR, "render.fetch-refused",
                       N_("The template needs {file}, which is not in its folder"), lang, target,
                       {"file": file or url, "url": url})
    if refusal.reason == "outside":
        return Finding(Severity.ERROR, "render.fetch-refused",
                       N_("The report asked for {url}, which is outside the template folder; it was not loaded"),
                       lang, target, {"url": url})
    return Finding(Severity.ERROR, "render.fetch-refused",
                   N_("The report asked for {url}; only files of the template and the project's assets are loaded"),
                   lang, target, {"url": url})

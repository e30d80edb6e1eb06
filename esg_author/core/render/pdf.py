"""HTML to PDF with WeasyPrint, its log captured as findings instead of lost on stderr.

WeasyPrint reports problems (a missing glyph, an unloadable image, unsupported CSS) as log
warnings and still produces a PDF, so a render without capturing them can look fine while it
prints boxes. Every warning becomes a Finding; repeated glyph warnings are folded into one.
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

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetchingError

from esg_author.core.errors import TemplateError
from esg_author.core.findings import Finding, Severity
from esg_author.core.model import Asset
from esg_author.core.render.fetcher import RestrictedFetcher

_GLYPH_RE = re.compile(r'unsupported by fonts?: "(.+?)"|missing from font', re.IGNORECASE)


@dataclass
class PdfResult:
    data: bytes
    pages: int
    findings: list[Finding] = field(default_factory=list)
    layout_seconds: float = 0.0
    write_seconds: float = 0.0
    anchor_pages: dict[str, int] = field(default_factory=dict)  # element id → page number (from 1)


class _CaptureHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


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
               lang: str, font_config: FontConfiguration | None = None) -> PdfResult:
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
    return PdfResult(
        data=data,
        pages=len(document.pages),
        anchor_pages=anchor_pages,
        findings=findings_from_log(log.messages, fetcher.refused, lang),
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


def findings_from_log(messages: list[str], refused: list[str], lang: str) -> list[Finding]:
    findings: list[Finding] = []
    glyphs: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for message in messages:
        match = _GLYPH_RE.search(message)
        if match:
            glyphs[match.group(1) or "?"] += 1
        else:
            other[message.splitlines()[0]] += 1
    if glyphs:
        sample = "".join(sorted(glyphs)[:20])
        findings.append(Finding(
            Severity.ERROR, "font.missing-glyph",
            f"{len(glyphs)} characters printed as boxes because no font has them: {sample}", lang))
    for url in refused:
        findings.append(Finding(Severity.ERROR, "render.fetch-refused", f"resource refused: {url}", lang))
    for message, count in other.items():
        if "refused" in message:
            continue  # already reported with its reason above
        suffix = f" (×{count})" if count > 1 else ""
        findings.append(Finding(Severity.WARNING, "render.weasyprint", message + suffix, lang))
    return findings

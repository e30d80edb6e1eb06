"""The built-in demo rendered for real: pages, fonts, TOC page numbers, bookmarks, HTML site, and a
section previewed alone against the full edition.

These tests render PDFs (a few seconds each); the build is shared by the module.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from esg_author.core.findings import Severity
from esg_author.core.render.build import build_project
from esg_author.core.render.edition import render_section_pdf

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_build(demo_path: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("demo-out")
    result = build_project(demo_path, out, parallel=True)
    assert not result.failed, [b.error for b in result.failed]
    return result, out


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "en"])
def test_each_pdf_is_a_full_report_without_findings(demo_build, lang):
    result, out = demo_build
    build = next(b for b in result.languages if b.lang == lang)
    assert build.pdf_path == out / f"demo.{lang}.pdf"
    assert build.pages >= 20
    errors = [f.one_line() for f in build.findings if f.severity is Severity.ERROR]
    assert errors == []
    assert not [f for f in build.findings if f.rule == "font.missing-glyph"]


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "en"])
def test_every_font_is_embedded(demo_build, lang):
    reader = PdfReader(demo_build[1] / f"demo.{lang}.pdf")
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object()
            fonts[font["/BaseFont"]] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    expected = {"zh-Hant": "CJK-HK", "zh-Hans": "CJK-SC", "en": "Noto-Sans"}[lang]
    assert any(expected in name for name in fonts)
    assert not [name for name in fonts if "CJK" in name and "Oblique" in name]  # no fake italic Chinese


def _outline_pages(reader: PdfReader) -> dict[str, int]:
    pages: dict[str, int] = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages[item.title.strip()] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    return pages


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_toc_page_numbers_match_the_real_pages(demo_build, demo_project, lang):
    reader = PdfReader(demo_build[1] / f"demo.{lang}.pdf")
    outline = _outline_pages(reader)
    chapters = [s for s, depth in demo_project.walk() if depth == 0]
    assert len(outline) >= len(chapters)  # bookmarks for chapters and sections
    toc_text = reader.pages[1].extract_text() + reader.pages[2].extract_text()
    numbers = demo_project.section_numbers()
    checked = 0
    for section in chapters:
        title = section.text(lang).title
        bookmark = f"{numbers.get(section.id, '')} {title}".strip()
        assert bookmark in outline, f"no bookmark for {bookmark!r}"
        # The TOC line ends with the page number after its dot leader.
        match = re.search(re.escape(title) + r"[ .·…]*?(\d+)\s*$", toc_text, re.MULTILINE)
        assert match, f"{title!r} not found in the table of contents"
        assert int(match.group(1)) == outline[bookmark], title
        page_text = reader.pages[outline[bookmark] - 1].extract_text()
        assert title in page_text.replace("\n", "")
        checked += 1
    assert checked == len(chapters)


def test_cjk_text_is_real_text(demo_build):
    reader = PdfReader(demo_build[1] / "demo.zh-Hant.pdf")
    text = "".join(page.extract_text() for page in reader.pages[3:6])
    assert "報告" in text and "\ufffd" not in text


def test_html_site_per_language_with_switch(demo_build):
    out = demo_build[1]
    for lang in ("zh-Hant", "zh-Hans", "en"):
        index = out / "html" / lang / "index.html"
        html = index.read_text(encoding="utf-8")
        assert f'<html lang="{ {"zh-Hant": "zh-Hant-HK", "zh-Hans": "zh-Hans-CN", "en": "en-GB"}[lang] }">' in html
        assert 'name="viewport"' in html
        others = {"zh-Hant", "zh-Hans", "en"} - {lang}
        for other in others:
            assert f'href="../{other}/index.html"' in html
        assets = out / "html" / lang / "assets"
        assert (assets / "site.css").exists() and (assets / "logo.svg").exists()
        for src in re.findall(r'src="([^"]+)"', html):
            assert (index.parent / src).exists(), src  # self-contained: every image is in the folder
        assert "project-asset:" not in html
    assert (out / "html" / "index.html").exists()


def _flat(text: str) -> str:
    """PDF text with its line breaks (and the hyphens added at them) undone."""
    return re.sub(r"\s+", " ", re.sub(r"‐\n", "", text))


def test_a_section_alone_prints_as_in_the_full_edition(demo_build, demo_project):
    result, out = demo_build
    build = next(b for b in result.languages if b.lang == "en")
    full = PdfReader(out / "demo.en.pdf")
    first_page = build.anchor_pages["sec-climate"]
    render_section_pdf(demo_project, "climate", "en", page_map=build.anchor_pages)  # warm, as in the editor
    started = time.perf_counter()
    preview = render_section_pdf(demo_project, "climate", "en", page_map=build.anchor_pages)
    seconds = time.perf_counter() - started
    print(f"\nclimate alone: {preview.pages} pages in {seconds:.2f} s; full en edition: {build.pages} pages, "
          f"layout {build.seconds['layout']:.2f} s + write {build.seconds['write']:.2f} s")
    assert [f.one_line() for f in preview.findings if f.severity is Severity.ERROR] == []
    assert preview.pages * 5 <= build.pages

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(preview.pdf)).pages]
    full_text = _flat("".join(full.pages[i].extract_text() for i in range(first_page - 1, first_page - 1 + preview.pages + 1)))
    preview_text = _flat("".join(pages))
    heading = "6.1 Responding to Climate Change"
    assert heading in preview_text and heading in full_text
    # A reference to a section the preview does not print: same number, title and page as in print.
    xref = re.compile(r"7\.2 HKEX ESG Reporting Code Content Index \(p\. (\d+)\)")
    assert xref.search(preview_text) and xref.search(full_text)
    assert xref.search(preview_text).group(1) == xref.search(full_text).group(1) == str(build.anchor_pages["sec-hkex-index"])
    # Its first page carries the page number and running heads it has in the full edition.
    assert re.search(rf"{re.escape('Lumora Financial Technology Holdings Limited')}\s+{first_page}\s*$", pages[0])
    assert "6 Towards Low Carbon" in pages[0] and demo_project.meta.title["en"] in pages[0]
    assert "6 Towards Low Carbon" in full.pages[first_page].extract_text()  # the same head on the next printed page

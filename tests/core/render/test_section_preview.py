"""One section rendered alone, as the full edition prints it (small project; the demo is compared
with its full edition in tests/core/test_render_demo.py)."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from pypdf import PdfReader

from esg_author.core.errors import ModelError, TemplateError
from esg_author.core.findings import SectionTarget
from esg_author.core.model import Section, SectionText
from esg_author.core.paths import templates_dir
from esg_author.core.render import template as template_module
from esg_author.core.render.context import build_section_context
from esg_author.core.render.edition import render_section_html, render_section_pdf
from esg_author.core.render.template import load_template


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_context_holds_the_subtree_with_the_reports_numbers(small_project):
    context = build_section_context(small_project, "env", "en")
    sections = context.data["sections"]
    assert [(s["id"], s["number"], s["depth"]) for s in sections] == [("env", "1", 0), ("env-data", "1.1", 1)]
    preview = context.data["preview"]
    assert preview["section_id"] == "env" and preview["chapter_heading"] == "1 Environment"
    assert preview["first_page"] is None
    sub = build_section_context(small_project, "env-data", "en", {"sec-env-data": 7}).data
    assert [s["id"] for s in sub["sections"]] == ["env-data"]
    assert sub["preview"]["number"] == "1.1" and sub["preview"]["chapter_heading"] == "1 Environment"
    assert sub["preview"]["first_page"] == 7 and sub["preview"]["depth"] == 1


def test_references_out_of_the_section_print_number_title_and_known_page(small_project):
    html = render_section_html(small_project, "intro", "en").html
    # intro refers to env, which the preview does not print: no link, no page without a page map.
    assert '<a class="xref">1 Environment</a>' in html
    html = render_section_html(small_project, "intro", "en", page_map={"sec-env": 4, "sec-intro": 2}).html
    assert '<a class="xref" data-page="4">1 Environment</a>' in html
    assert "counter-reset: page 2" in html
    assert '<span class="kpi-number">120</span>' in html  # KPI values as in the full report


def test_a_reference_inside_the_section_is_a_link(small_project):
    env_data = small_project.section("env-data")
    env_data.texts["en"] = SectionText("Data", "Back to [[ref:env]].")
    html = render_section_html(small_project, "env", "en").html
    assert '<a class="xref" href="#sec-env">1 Environment</a>' in html
    assert 'id="sec-env"' in html and 'id="sec-env-data"' in html


def test_tables_footnotes_and_no_cover_toc_or_back_cover(small_project):
    env = small_project.section("env")
    env.texts["en"] = SectionText("Environment", "Emissions fell.[^1]\n\n[[table:env]]\n\n[^1]: Market-based.")
    html = render_section_html(small_project, "env", "en").html
    assert 'id="table-env"' in html and "Market-based." in html and 'class="footnotes' in html
    assert 'class="cover"' not in html and 'class="toc"' not in html and "back-cover" not in html
    assert "Contents" not in html


def test_findings_concern_the_section_only_and_carry_spans(small_project):
    intro = small_project.section("intro")
    intro.texts["en"] = SectionText("About", "See [[ref:nowhere]].")
    env_data = small_project.section("env-data")
    env_data.texts["en"] = SectionText("Data", "Staff: [[kpi:nope]].")
    findings = build_section_context(small_project, "env", "en").findings
    assert [(f.rule, f.target) for f in findings] == [("token.kpi", SectionTarget("env-data", "en", 7, 19))]
    assert "Staff: [[kpi:nope]]."[7:19] == "[[kpi:nope]]"


def test_an_unknown_section_is_a_model_error(small_project):
    with pytest.raises(ModelError, match="nope"):
        render_section_html(small_project, "nope", "en")


def test_pdf_prints_the_real_number_heads_and_pages(small_project):
    small_project.sections.append(Section("env-more", "env", True, {"en": SectionText("More", "More text.")}))
    plain = render_section_pdf(small_project, "env-data", "en")
    assert plain.pages == 1 and plain.pdf.startswith(b"%PDF")
    text = pdf_text(plain.pdf)[0]
    assert "1.1 Data" in text
    assert "1 Environment" in text and "ESG Report 2025" in text and "Example Co" in text  # running heads
    assert "More" not in text  # a sibling is not part of the preview
    assert re.search(r"Example Co\s+1\s*$", text), text  # no page map: counted from 1
    mapped = render_section_pdf(small_project, "env-data", "en", page_map={"sec-env-data": 12})
    assert re.search(r"Example Co\s+12\s*$", pdf_text(mapped.pdf)[0])
    assert [f.one_line() for f in mapped.findings] == []


def test_a_chapter_preview_starts_on_its_first_page(small_project):
    preview = render_section_pdf(small_project, "env", "zh-Hant")
    first = pdf_text(preview.pdf)[0]
    assert "01" in first and "環境" in first and "排放下降" in first  # the opener, not a blank page


def test_a_template_without_preview_template_uses_its_pdf_template(tmp_path, monkeypatch, small_project):
    folder = tmp_path / "plain"
    shutil.copytree(templates_dir() / "default", folder)
    manifest = folder / "manifest.toml"
    manifest.write_text(re.sub(r'(?m)^preview_template = .*\n', "", manifest.read_text(encoding="utf-8")), encoding="utf-8")
    (folder / "section.html.j2").unlink()
    monkeypatch.setattr(template_module, "templates_dir", lambda: tmp_path)
    small_project.meta.template = "plain"
    assert load_template("plain").section_template == "report.html.j2"
    html = render_section_html(small_project, "env-data", "en").html
    assert 'id="sec-env-data"' in html and 'id="sec-intro"' not in html


def test_preview_template_must_stay_in_the_template_folder(tmp_path, monkeypatch):
    folder = tmp_path / "evil"
    shutil.copytree(templates_dir() / "default", folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8").replace('preview_template = "section.html.j2"',
                                                        'preview_template = "../../secret.html"')
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"preview_template '\.\./\.\./secret\.html' is outside the template folder"):
        load_template("evil", tmp_path)

"""WeasyPrint's log as findings: its errors are errors, aimed at the asset or template file named."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from esg_author.cli import main
from esg_author.core.findings import AssetTarget, ProjectTarget, Severity, TemplateTarget
from esg_author.core.model import Asset, SectionText
from esg_author.core.paths import templates_dir
from esg_author.core.render.edition import render_edition_pdf
from esg_author.core.render.fetcher import Refusal
from esg_author.core.render.pdf import LogRecordText, findings_from_log, render_pdf
from esg_author.core.storage import save_project

PNG_THAT_IS_NOT = b"\x89PNG\r\n\x1a\n this is not an image"


def with_image(project, name: str, data: bytes):
    project.assets[name] = Asset(name, "image/png", data)
    env = project.section("env")
    for lang, text in env.texts.items():
        env.texts[lang] = SectionText(text.title, text.body + f"\n\n![Chart](<asset:{name}>)")
    return project


def test_a_corrupt_image_asset_is_an_error_naming_the_asset(small_project):
    edition = render_edition_pdf(with_image(small_project, "broken chart.png", PNG_THAT_IS_NOT), "en")
    resource = [f for f in edition.findings if f.rule == "render.resource"]
    assert len(resource) == 1, [f.one_line() for f in edition.findings]
    finding = resource[0]
    assert finding.severity is Severity.ERROR
    assert finding.target == AssetTarget("broken chart.png")
    assert finding.params["asset"] == "broken chart.png"
    assert "broken chart.png" in finding.text and finding.lang == "en"
    assert not [f for f in edition.findings if f.rule == "render.weasyprint"]  # not also reported as a warning


def test_check_exits_1_on_a_corrupt_image(small_project, tmp_path, capsys):
    small_project.meta.frameworks = []  # no gap errors: the image must be what fails the check
    path = tmp_path / "clean.esgproj"
    save_project(small_project, path)
    assert main(["check", str(path)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    broken = tmp_path / "broken.esgproj"
    save_project(with_image(small_project, "chart.png", PNG_THAT_IS_NOT), broken)
    assert main(["check", str(broken)]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "render.resource" in line]
    assert len(lines) == 3  # one per language
    assert all(line.startswith("error: asset chart.png") for line in lines), lines


def test_a_good_image_gives_no_finding(small_project):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    small_project.assets["ok.svg"] = Asset("ok.svg", "image/svg+xml", svg)
    env = small_project.section("env")
    env.texts["en"] = SectionText("Environment", "![Chart](asset:ok.svg)")
    edition = render_edition_pdf(small_project, "en")
    assert [f.one_line() for f in edition.findings if f.rule.startswith(("render.", "font."))] == []


def test_warnings_stay_warnings_and_errors_become_errors(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    records = [
        LogRecordText(logging.WARNING, "Ignored `colour: red` at 1:1, unknown property."),
        LogRecordText(logging.WARNING, "Ignored `colour: red` at 1:1, unknown property."),
        LogRecordText(logging.ERROR, "Failed to load image at 'project-asset:logo%20big.png': UnidentifiedImageError"),
        LogRecordText(logging.ERROR, f"Failed to load stylesheet at {(folder / 'extra.css').as_uri()} : broken"),
        LogRecordText(logging.ERROR, "Content discarded: target points to undefined anchor ('url', '#x')"),
        LogRecordText(logging.WARNING, '.notdef glyph rendered for Unicode string unsupported by fonts: "\ue000" (U+E000)'),
    ]
    assets = {"logo big.png": Asset("logo big.png", "image/png", b"")}
    findings = findings_from_log(records, [], "zh-Hant", folder, assets)
    by_rule = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    [warning] = by_rule["render.weasyprint"]
    assert warning.severity is Severity.WARNING and warning.params["count"] == 2
    assert "2 times" in warning.text
    resources = by_rule["render.resource"]
    assert [f.severity for f in resources] == [Severity.ERROR] * 3
    assert [f.target for f in resources] == [AssetTarget("logo big.png"), TemplateTarget("tpl", "extra.css"), ProjectTarget()]
    [glyphs] = by_rule["font.missing-glyph"]
    assert glyphs.severity is Severity.ERROR and glyphs.params == {"count": 1, "characters": "\ue000"}
    assert glyphs.target == TemplateTarget("tpl")


def test_refusals_are_aimed_at_what_was_refused(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    refused = [
        Refusal("project-asset:gone.png", "no-asset"),
        Refusal((folder / "missing.css").as_uri(), "not-found"),
        Refusal("https://example.com/t.png", "not-allowed"),
        Refusal("https://example.com/t.png", "not-allowed"),  # asked twice, reported once
    ]
    findings = findings_from_log([LogRecordText(logging.ERROR, "Failed to load image at 'x': ValueError: refused x")],
                                 refused, "en", folder)
    assert [(f.rule, f.target) for f in findings] == [
        ("render.fetch-refused", AssetTarget("gone.png")),
        ("render.fetch-refused", TemplateTarget("tpl", "missing.css")),
        ("render.fetch-refused", TemplateTarget("tpl")),
    ]
    assert all(f.severity is Severity.ERROR for f in findings)


def test_a_real_render_reports_a_network_image_and_a_missing_template_file(tmp_path):
    folder = tmp_path / "mine"
    shutil.copytree(templates_dir() / "default", folder)
    (folder / "extra.css").write_text('@import "not-there.css";\np { colour: red }', encoding="utf-8")
    html = '<p>Text</p><img src="https://example.com/tracker.png">'
    result = render_pdf(html, folder, [folder / "extra.css"], {}, "en")
    rules = sorted((f.rule, f.severity.value, f.target.describe()) for f in result.findings)
    assert rules == [
        ("render.fetch-refused", "error", "template mine"),
        ("render.fetch-refused", "error", "template mine not-there.css"),
        ("render.weasyprint", "warning", ""),
    ]


@pytest.mark.parametrize("fragment, reported", [(False, True), (True, False)])
def test_links_out_of_a_fragment_are_not_errors(tmp_path, fragment, reported):
    folder = Path(tmp_path)
    html = '<style>a::after { content: target-counter(attr(href), page) }</style><p><a href="#elsewhere">x</a></p>'
    result = render_pdf(html, folder, [], {}, "en", fragment=fragment)
    assert any(f.rule == "render.resource" for f in result.findings) is reported

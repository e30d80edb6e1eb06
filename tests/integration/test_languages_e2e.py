"""End to end: the three report languages as a new user meets them, through the command line.

Each test works on its own copy of the saved demo project (zh-Hant source, zh-Hans and en
translations, all up to date) and runs `python -m esg_author …` in a subprocess, as a user would:

- dates, KPI figures, percentages and scores are the same figure in every edition, formatted per language;
- a gettext label changed in a copy of locales/ (ESG_AUTHOR_LOCALES_DIR) shows up in the PDF;
- a source paragraph edited through the API makes its translations stale in `translate status`;
- an XLIFF 1.2 round trip with good and broken units is applied unit by unit;
- Hong Kong text with protected terms converted to zh-Hans keeps its meaning and waits for review;
- Simplified characters in zh-Hant text (and the reverse) are found by `check --no-render`.

See docs/translation.md, docs/translating.md and docs/formatting.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from defusedxml.ElementTree import parse as safe_parse

from esg_author.core.bundled import load_demo_project
from esg_author.core.commands import SetSectionText
from esg_author.core.storage import open_project, save_project

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
NS = "urn:oasis:names:tc:xliff:document:1.2"
X = f"{{{NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGS = ("zh-Hant", "zh-Hans", "en")


# -- helpers ---------------------------------------------------------------------------------------


def run_cli(*args: object, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m esg_author ARGS` in a clean environment (no locales/UI overrides from the caller)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ESG_AUTHOR_")}
    environment.update(env or {})
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run([sys.executable, "-m", "esg_author", *map(str, args)], capture_output=True, text=True,
                          env=environment, cwd=REPO, timeout=timeout, check=False)


def describe(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}"


def status_json(project: Path) -> dict:
    result = run_cli("translate", "status", project, "--json")
    assert result.returncode == 0, describe(result)
    return json.loads(result.stdout)


def states_of(data: dict) -> dict[tuple[str, str], str]:
    return {(u["section"], u["lang"]): u["state"] for u in data["units"]}


def texts_of(path: Path) -> dict[tuple[str, str], tuple[str, str, str | None, str | None, str]]:
    """(section, lang) → (title, body, source_lang, source_fingerprint, state) for every section text."""
    project = open_project(path)
    return {(s.id, lang): (t.title, t.body, t.source_lang, t.source_fingerprint, t.state)
            for s in project.sections for lang, t in s.texts.items()}


def append_paragraph(path: Path, section_id: str, lang: str, paragraph: str) -> None:
    """Edit a section's text through the API, as the desktop app does, and save."""
    project = open_project(path)
    body = project.section(section_id).text(lang).body
    SetSectionText(section_id, lang, body=body.rstrip("\n") + "\n\n" + paragraph + "\n").apply(project)
    save_project(project, path)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def saved_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-template") / "demo.esgproj"
    save_project(load_demo_project(), path)
    return path


@pytest.fixture
def demo(saved_demo: Path, tmp_path: Path) -> Path:
    """A fresh copy of the saved demo project for one test."""
    path = tmp_path / "demo.esgproj"
    shutil.copyfile(saved_demo, path)
    return path


# -- 1. numbers and dates per language (HTML edition: cheap, same formatting code as the PDF) -------


def _html_texts(demo: Path, tmp_path: Path) -> dict[str, str]:
    result = run_cli("build", demo, "--format", "html", "--out", tmp_path / "out")
    assert result.returncode == 0, describe(result)
    return {lang: (tmp_path / "out" / "html" / lang / "index.html").read_text(encoding="utf-8") for lang in LANGS}


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_numbers_dates_and_scores_are_consistent_across_languages(demo: Path, tmp_path: Path) -> None:
    pages = _html_texts(demo, tmp_path)
    text = {lang: _plain(html) for lang, html in pages.items()}
    for lang in ("zh-Hant", "zh-Hans"):
        assert "2025年1月1日至2025年12月31日" in text[lang], f"{lang}: reporting period"
    assert "1 January 2025 to 31 December 2025" in text["en"]
    assert "2,331.10噸二氧化碳當量" in text["zh-Hant"] and "2,331.10吨二氧化碳当量" in text["zh-Hans"]
    assert "2,331.10 tCO₂e" in text["en"]
    for lang in LANGS:
        assert "13.0%" in text[lang] and "11.9%" in text[lang], f"{lang}: turnover rate 13.0% → 11.9%"
        assert not re.search(r"\d\.\d{6,}|\d[eE][+-]\d|NaN", text[lang]), f"{lang}: float artefact"
    assert "4.68（滿分5）" in text["zh-Hant"] and "4.68（满分5）" in text["zh-Hans"] and "4.68 out of 5" in text["en"]
    # every [[kpi:…]] in running text carries the same figure in the three editions
    pattern = re.compile(r'<span class="kpi" data-kpi="([^"]+)"><span class="kpi-number">([^<]*)</span>')
    by_kpi: dict[str, dict[str, set[str]]] = {lang: {} for lang in LANGS}
    for lang in LANGS:
        for kpi_id, value in pattern.findall(pages[lang]):
            by_kpi[lang].setdefault(kpi_id, set()).add(re.match(r"[\d,.\-]*", value).group())
    assert len(by_kpi["zh-Hant"]) > 20, "KPI tokens not found in the HTML"
    for lang in ("zh-Hans", "en"):
        assert by_kpi[lang] == by_kpi["zh-Hant"], f"KPI figures in running text differ between zh-Hant and {lang}"


def test_reporting_period_label_uses_the_chinese_colon_in_chinese_editions(demo: Path, tmp_path: Path) -> None:
    pages = _html_texts(demo, tmp_path)
    for lang, label in (("zh-Hant", "報告"), ("zh-Hans", "报告")):
        line = re.search(r'class="hero-period">([^<]*)<', pages[lang]).group(1)
        assert re.fullmatch(f"{label}[^:：]*：2025年1月1日至2025年12月31日", line), (
            f"PRODUCT DEFECT ({lang}): the cover line reads {line!r}: a half-width colon and space after a Chinese "
            "label. templates/default/site.html.j2 (hero-period) and report.html.j2 (back-period, the PDF back "
            "cover) hard-code `{{ _(\"Reporting period\") }}: `; Chinese editions need the full-width ：, as the demo "
            "text itself writes (報告期間：…). Expected e.g. '報告期：2025年1月1日至2025年12月31日'.")
    assert re.search(r'class="hero-period">Reporting period: 1 January 2025 to 31 December 2025<', pages["en"])


# -- 2. a .po string changed, the build picks it up -------------------------------------------------


def _copy_locales(tmp_path: Path) -> Path:
    locales = tmp_path / "locales"
    shutil.copytree(REPO / "locales", locales)
    return locales


def _set_msgstr(po: Path, msgid: str, old: str, new: str) -> None:
    text = po.read_text(encoding="utf-8")
    entry = f'msgid "{msgid}"\nmsgstr "{old}"\n'
    assert text.count(entry) == 1, f"test setup: {po} has no single entry {entry!r}"
    po.write_text(text.replace(entry, f'msgid "{msgid}"\nmsgstr "{new}"\n'), encoding="utf-8")


def test_changed_po_string_appears_in_the_pdf_without_code_changes(demo: Path, tmp_path: Path) -> None:
    locales = _copy_locales(tmp_path)
    po = locales / "zh_Hant" / "LC_MESSAGES" / "esg_author.po"
    _set_msgstr(po, "Reporting period: {period}", "報告期：{period}", "匯報期間QA：{period}")
    repo_po = (REPO / "locales" / "zh_Hant" / "LC_MESSAGES" / "esg_author.po").read_text(encoding="utf-8")
    assert "匯報期間QA" not in repo_po

    out = tmp_path / "out"
    result = run_cli("build", demo, "--lang", "zh-Hant", "--format", "pdf", "--out", out,
                     env={"ESG_AUTHOR_LOCALES_DIR": str(locales)})
    assert result.returncode == 0, describe(result)
    text = re.sub(r"\s+", "", pdf_text(out / "demo.zh-Hant.pdf"))
    assert "匯報期間QA" in text, "the edited .po msgstr for 'Reporting period' is not in the zh-Hant PDF (back cover)"
    assert "匯報期間QA:2025年1月1日至2025年12月31日" in text or "匯報期間QA：2025年1月1日至2025年12月31日" in text
    assert not list(locales.rglob("*.mo")), "nothing is compiled by hand: no .mo file should appear"


def test_po_with_a_changed_placeholder_gives_a_one_line_error_naming_the_catalog(demo: Path, tmp_path: Path) -> None:
    """A translator's typo in a {placeholder} (docs/translating.md step 2) must not crash the build with
    a traceback: README promises 'an error is a single line that names the file'."""
    locales = _copy_locales(tmp_path)
    po = locales / "zh_Hant" / "LC_MESSAGES" / "esg_author.po"
    _set_msgstr(po, "{start} to {end}", "{start}至{end}", "{begin}至{end}")

    result = run_cli("build", demo, "--lang", "zh-Hant", "--format", "html", "--out", tmp_path / "out",
                     env={"ESG_AUTHOR_LOCALES_DIR": str(locales)})
    assert "Traceback" not in result.stderr, (
        "PRODUCT DEFECT: a zh_Hant .po whose msgstr renames a placeholder ({start} to {end} → {begin}至{end}) "
        "crashes `esg-author build` with a raw KeyError traceback (esg_author/core/i18n/formatting.py "
        "format_period → str.format). Expected: one line naming the .po file and the msgid, exit 1 "
        "(or the English msgid used as a fallback).\n" + describe(result))
    if result.returncode != 0:  # refused: one line that names the catalog
        assert result.returncode == 1, describe(result)
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("esg-author: error:") and "esg_author.po" in last, describe(result)


# -- 3. a source paragraph edited through the API makes its translations stale ---------------------


def test_editing_the_source_marks_its_translations_stale(demo: Path) -> None:
    before = status_json(demo)
    assert before["source_language"] == "zh-Hant"
    assert before["counts"]["stale"] == 0 and before["counts"]["needs_review"] == 0, before["counts"]

    append_paragraph(demo, "about-scope", "zh-Hant", "本段為品質測試新增的段落，用以驗證翻譯狀態。")

    after = status_json(demo)
    states = states_of(after)
    assert states[("about-scope", "zh-Hant")] == "source"
    assert states[("about-scope", "zh-Hans")] == "stale"
    assert states[("about-scope", "en")] == "stale"
    others = {k: v for k, v in states.items() if k[0] != "about-scope"}
    assert set(others.values()) <= {"source", "up_to_date"}, "only the edited section may change state"
    assert after["counts"]["stale"] == 2

    table = run_cli("translate", "status", demo)
    assert table.returncode == 0, describe(table)
    row = next(line for line in table.stdout.splitlines() if line.split()[:1] == ["about-scope"])
    assert row.split() == ["about-scope", "source", "STALE", "STALE"], row
    assert "2 stale" in table.stdout
    assert "about-scope [en]" in table.stderr and "about-scope [zh-Hans]" in table.stderr


def test_whitespace_edit_of_the_source_and_edits_of_translations_do_not_make_anything_stale(demo: Path) -> None:
    project = open_project(demo)
    source = project.section("about-scope").text("zh-Hant").body
    SetSectionText("about-scope", "zh-Hant", body=source.rstrip("\n") + "   \n\n\n").apply(project)
    en = project.section("about-data").text("en").body
    SetSectionText("about-data", "en", body=en + "\n\nAn extra sentence by the English editor.").apply(project)
    save_project(project, demo)

    states = states_of(status_json(demo))
    assert states[("about-scope", "zh-Hans")] == "up_to_date", "trailing spaces/blank lines must not count as a change"
    assert states[("about-scope", "en")] == "up_to_date"
    assert states[("about-data", "en")] == "up_to_date", "editing a translation never makes it stale"


# -- 4. XLIFF round trip ---------------------------------------------------------------------------


def _units(root: ET.Element) -> dict[str, ET.Element]:
    return {u.get("id"): u for u in root.iter(f"{X}trans-unit")}


def _codes(element: ET.Element) -> list[str]:
    return ["".join(child.itertext()) for child in element if child.tag in (f"{X}ph", f"{X}bpt", f"{X}ept")]


def _find_unit(units: dict[str, ET.Element], section: str, code: str) -> ET.Element:
    for unit_id, unit in units.items():
        if unit_id.startswith(f"{section}/") and code in _codes(unit.find(f"{X}source")):
            return unit
    raise AssertionError(f"test setup: no unit of {section} has the inline code {code}")


def _drop_ph(target: ET.Element, code: str, replacement: str) -> None:
    """Delete the <ph> holding `code`, keeping its tail (what a careless translator does)."""
    children = list(target)
    for i, child in enumerate(children):
        if child.tag == f"{X}ph" and child.text == code:
            tail = replacement + (child.tail or "")
            if i == 0:
                target.text = (target.text or "") + tail
            else:
                children[i - 1].tail = (children[i - 1].tail or "") + tail
            target.remove(child)
            return
    raise AssertionError(f"test setup: no <ph>{code}</ph> in the target")


def _check_xliff_12_structure(root: ET.Element) -> None:
    assert root.tag == f"{X}xliff", root.tag
    assert root.get("version") == "1.2"
    files = root.findall(f"{X}file")
    assert len(files) == 1
    file = files[0]
    for attribute in ("original", "datatype", "source-language"):
        assert file.get(attribute), f"<file> needs {attribute} (XLIFF 1.2 schema)"
    assert file.get("source-language") == "zh-Hant" and file.get("target-language") == "en"
    children = [c.tag for c in file]
    assert f"{X}body" in children, "<file> needs a <body>"
    if f"{X}header" in children:
        assert children.index(f"{X}header") < children.index(f"{X}body"), "header must come before body"
    ids: list[str] = []
    for unit in root.iter(f"{X}trans-unit"):
        ids.append(unit.get("id"))
        order = [c.tag for c in unit]
        assert order[0] == f"{X}source", f"{unit.get('id')}: <source> must come first"
        if f"{X}target" in order:
            assert order.index(f"{X}target") == 1, f"{unit.get('id')}: <target> must follow <source>"
        assert all(tag == f"{X}note" for tag in order[2:]), f"{unit.get('id')}: only <note> after <target>"
        source = unit.find(f"{X}source")
        assert source.get(XML_LANG) == "zh-Hant"
        # every esg-author token of the source is an inline code, never bare text
        bare = "".join([source.text or ""] + [c.tail or "" for c in source])
        assert "[[" not in bare, f"{unit.get('id')}: a token is not wrapped in <ph>: {bare[:120]}"
        for element in (source, unit.find(f"{X}target")):
            if element is None:
                continue
            begins = sorted(c.get("id") for c in element if c.tag == f"{X}bpt")
            ends = sorted(c.get("id") for c in element if c.tag == f"{X}ept")
            assert begins == ends, f"{unit.get('id')}: unpaired <bpt>/<ept>"
    assert len(ids) == len(set(ids)), "trans-unit ids must be unique"
    assert all(re.fullmatch(r"[a-z0-9-]+/(title|\d+)/[0-9a-f]{8}", i) for i in ids), "ids are section/position/hash"


def test_xliff_round_trip_applies_good_units_and_reports_the_broken_ones(demo: Path, tmp_path: Path) -> None:
    exported = tmp_path / "en.xlf"
    result = run_cli("translate", "export", demo, "--lang", "en", "--format", "xliff", exported)
    assert result.returncode == 0, describe(result)
    assert "zh-Hant → en" in result.stdout

    tree = safe_parse(exported)  # well-formed, no DTD, no entities
    root = tree.getroot()
    _check_xliff_12_structure(root)
    assert exported.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>')
    units = _units(root)
    assert len(units) > 400
    assert sum(1 for u in units.values() for c in u.iter(f"{X}ph") if (c.text or "").startswith("[[kpi:")) > 20

    # good 1: the title of "about"
    title = next(u for i, u in units.items() if i.startswith("about/title/"))
    title.find(f"{X}target").text = "About This Report (QA)"
    title.find(f"{X}target").set("state", "translated")
    # good 2: a paragraph with ph codes, wording changed, codes kept
    good = _find_unit(units, "environment", "[[ref:climate]]")
    good_target = good.find(f"{X}target")
    good_target.text = "QA-EDIT " + (good_target.text or "")
    good_target.set("state", "translated")
    # good 3: a CAT tool writes an empty <x/> for a code (docs: read back through the source code)
    cat = _find_unit(units, "training", "[[kpi:training.coverage]]")
    cat_target = cat.find(f"{X}target")
    ph = next(c for c in cat_target if c.tag == f"{X}ph" and c.text == "[[kpi:training.coverage]]")
    ph.tag, ph.text = f"{X}x", None
    cat_target.text = "QA-CAT " + (cat_target.text or "")
    # broken 1: a [[kpi:…]] placeholder deleted
    broken = _find_unit(units, "environment", "[[kpi:ghg.total]]")
    _drop_ph(broken.find(f"{X}target"), "[[kpi:ghg.total]]", "2,331 tonnes")
    broken.find(f"{X}target").text = "QA-BROKEN " + (broken.find(f"{X}target").text or "")
    # broken 2: a [[kpi:…]] placeholder's id changed
    broken2 = _find_unit(units, "climate", "[[kpi:ghg.scope1]]")
    for child in broken2.find(f"{X}target"):
        if child.text == "[[kpi:ghg.scope1]]":
            child.text = "[[kpi:ghg.scope9]]"
    broken2.find(f"{X}target").text = "QA-BROKEN2 " + (broken2.find(f"{X}target").text or "")

    edited = tmp_path / "en-edited.xlf"
    ET.register_namespace("", NS)
    tree.write(edited, encoding="UTF-8", xml_declaration=True)

    before_bytes = demo.read_bytes()
    dry = run_cli("translate", "import", demo, edited, "--dry-run")
    assert dry.returncode == 1, describe(dry)
    assert demo.read_bytes() == before_bytes, "--dry-run must save nothing"

    before = texts_of(demo)
    result = run_cli("translate", "import", demo, edited)
    assert result.returncode == 1, "some units were reported, so the exit code is 1\n" + describe(result)
    for unit in (broken, broken2):
        assert unit.get("id") in result.stderr, f"the broken unit {unit.get('id')} is not reported\n" + describe(result)
    assert "[[kpi:ghg.total]]" in result.stderr and "[[kpi:ghg.scope9]]" in result.stderr, describe(result)
    for unit in (title, good, cat):
        assert unit.get("id") not in result.stderr, describe(result)
    assert "2 not applied" in result.stdout, describe(result)

    after = texts_of(demo)
    changed = {key for key in before if before[key][:2] != after[key][:2]}
    assert changed == {("about", "en"), ("environment", "en"), ("training", "en")}, changed
    assert after[("about", "en")][0] == "About This Report (QA)"
    env_body, climate_body = after[("environment", "en")][1], after[("climate", "en")][1]
    training_body = after[("training", "en")][1]
    assert "QA-EDIT " in env_body and "[[ref:climate]]" in env_body
    assert "QA-CAT " in training_body
    assert training_body.count("[[kpi:training.coverage]]") == before[("training", "en")][1].count("[[kpi:training.coverage]]"), \
        "the <x/> written by a CAT tool must come back as the source's code"
    assert "QA-BROKEN" not in env_body and "2,331 tonnes" not in env_body, "the broken unit was applied"
    assert "QA-BROKEN2" not in climate_body and "ghg.scope9" not in climate_body, "the broken unit was applied"
    # nothing else lost: every other paragraph of the touched sections is as before
    for key in changed:
        old_paragraphs, new_paragraphs = before[key][1].split("\n\n"), after[key][1].split("\n\n")
        assert len(old_paragraphs) == len(new_paragraphs), f"{key}: the body's structure changed"
        differing = [i for i, (a, b) in enumerate(zip(old_paragraphs, new_paragraphs, strict=True)) if a != b]
        assert len(differing) <= 1, f"{key}: paragraphs {differing} changed, expected at most one"
    assert all(after[k] == before[k] for k in before if k[1] != "en"), "zh-Hant/zh-Hans texts must not change"

    states = states_of(status_json(demo))
    assert states[("about", "en")] == states[("environment", "en")] == states[("training", "en")] == "up_to_date"
    assert states[("climate", "en")] == "up_to_date"

    # the same file again: the good units are now unchanged, the broken ones still reported
    again = run_cli("translate", "import", demo, edited)
    assert again.returncode == 1 and "0 units applied" in again.stdout, describe(again)


# -- 5. zh-Hant → zh-Hans conversion of Hong Kong text with protected terms ------------------------


HK_PARAGRAPH = ("朗睿科技重視持份者的意見，並已制定投訴處理程序，以幫助客戶解決問題。"
                "界面新聞亦報道了我們隨著業務發展推出的「普惠金融」項目，詳見[[ref:community]]。")
HANS_EXPECTED = ("朗睿科技重视利益相关方的意见，并已制定投诉处理程序，以帮助客户解决问题。"
                 "界面新闻亦报道了我们随着业务发展推出的“普惠金融”项目，详见[[ref:community]]。")


def test_convert_hong_kong_text_keeps_meaning_and_waits_for_review(demo: Path) -> None:
    append_paragraph(demo, "about-feedback", "zh-Hant", HK_PARAGRAPH)
    before = texts_of(demo)

    # The demo's zh-Hans was reviewed: converting its stale text again needs --force, since it
    # replaces the reviewer's wording everywhere, not only in the new paragraph.
    refused = run_cli("translate", "convert", demo, "--from", "zh-Hant", "--to", "zh-Hans", "--section", "about-feedback")
    assert "converted 0 sections" in refused.stdout and "--force" in refused.stderr, describe(refused)
    result = run_cli("translate", "convert", demo, "--from", "zh-Hant", "--to", "zh-Hans", "--section", "about-feedback",
                     "--force")
    assert result.returncode == 0, describe(result)
    assert "converted 1 section" in result.stdout, describe(result)

    after = texts_of(demo)
    body = after[("about-feedback", "zh-Hans")][1]
    last = body.rstrip("\n").split("\n\n")[-1]
    assert "利益相关方" in last and "持份者" not in last, f"glossary form for 持份者 not used: {last}"
    assert "程序" in last and "进程" not in last and "程式" not in last, f"程序 lost its meaning: {last}"
    assert "帮助" in last and "说明" not in last, f"幫助 became 说明: {last}"
    assert "界面新闻" in last and "介面" not in last, f"the media name 界面新聞 was changed: {last}"
    assert "朗睿科技" in last, last
    assert "随着" in last and "随著" not in last, last
    assert "“普惠金融”" in last, "corner brackets become curly quotes in Simplified text"
    assert "[[ref:community]]" in last, "tokens come back unchanged"
    assert last == HANS_EXPECTED, f"converted paragraph differs:\n  got      {last}\n  expected {HANS_EXPECTED}"
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {("about-feedback", "zh-Hans")}, f"only the converted section may change: {changed}"

    states = states_of(status_json(demo))
    assert states[("about-feedback", "zh-Hans")] == "needs_review"
    assert states[("about-feedback", "en")] == "stale"
    assert all(v in ("source", "up_to_date") for k, v in states.items() if k[0] != "about-feedback")
    table = run_cli("translate", "status", demo)
    row = next(line for line in table.stdout.splitlines() if line.split()[:1] == ["about-feedback"])
    assert row.split() == ["about-feedback", "source", "review", "STALE"], row

    # a converted text waiting for review is not converted again without --force
    again = run_cli("translate", "convert", demo, "--from", "zh-Hant", "--to", "zh-Hans", "--section", "about-feedback")
    assert again.returncode == 0 and "converted 0 sections" in again.stdout, describe(again)
    assert "skipped about-feedback" in again.stderr, describe(again)

    review = run_cli("translate", "review", demo, "--section", "about-feedback", "--lang", "zh-Hans")
    assert review.returncode == 0, describe(review)
    assert states_of(status_json(demo))[("about-feedback", "zh-Hans")] == "up_to_date"


# -- 6. the script check ---------------------------------------------------------------------------


def _script_findings(project: Path) -> list[dict]:
    result = run_cli("check", project, "--no-render", "--json")
    assert result.returncode in (0, 1), describe(result)
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"].startswith("script.")]


def test_script_check_finds_simplified_in_hant_and_traditional_in_hans(demo: Path) -> None:
    assert _script_findings(demo) == [], "the demo itself must be clean"

    project = open_project(demo)
    body = project.section("about-data").text("zh-Hant").body
    SetSectionText("about-data", "zh-Hant", body=body + "\n\n这个报告由品質測試加入。").apply(project)
    body = project.section("training").text("zh-Hans").body
    SetSectionText("training", "zh-Hans", body=body + "\n\n這個報告由质量测试加入。").apply(project)
    SetSectionText("sdgs", "zh-Hant", title="推动聯合國可持續發展目標").apply(project)
    project.kpis["emp.total"].name["zh-Hans"] = "員工总数"
    save_project(project, demo)

    findings = _script_findings(demo)
    by_place = {(f["rule"], f["target"]["id"], f["lang"]): f["message"] for f in findings}
    hant = by_place.get(("script.simplified-in-hant", "about-data", "zh-Hant"))
    assert hant is not None, f"Simplified 这个报告 in zh-Hant about-data not found: {findings}"
    assert all(ch in hant for ch in "这个报"), hant
    hans = by_place.get(("script.traditional-in-hans", "training", "zh-Hans"))
    assert hans is not None, f"Traditional 這個報告 in zh-Hans training not found: {findings}"
    assert all(ch in hans for ch in "這個報"), hans
    title = by_place.get(("script.simplified-in-hant", "sdgs", "zh-Hant"))
    assert title is not None and "动" in title, f"Simplified 动 in a zh-Hant section title not found: {findings}"
    kpi = by_place.get(("script.traditional-in-hans", "emp.total", "zh-Hans"))
    assert kpi is not None and "員" in kpi, f"Traditional 員 in a zh-Hans KPI name not found: {findings}"
    assert len(findings) == 4, findings
    assert all(f["severity"] == "warning" for f in findings)

    plain = run_cli("check", demo, "--no-render")
    assert "script.simplified-in-hant" in plain.stdout + plain.stderr and "about-data [zh-Hant]" in plain.stdout + plain.stderr

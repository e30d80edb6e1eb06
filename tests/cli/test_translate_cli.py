"""`esg-author translate …` and the script check as a user meets them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from esg_author.cli import main
from esg_author.core.i18n.exchange import xliff as xliff_format
from esg_author.core.storage import open_project, save_project

NS = "urn:oasis:names:tc:xliff:document:1.2"


def test_status_of_the_demo_is_all_up_to_date(demo_path, capsys):
    assert main(["translate", "status", str(demo_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source_language"] == "zh-Hant"
    sections = len({u["section"] for u in data["units"]})
    assert data["counts"] == {"source": sections, "missing": 0, "stale": 0, "up_to_date": 2 * sections, "needs_review": 0}
    assert main(["translate", "status", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert "about-data" in out and f"{2 * sections} up to date" in out and "STALE" not in out


def test_edit_source_then_status_shows_stale(small_project_path, capsys):
    assert main(["translate", "mark", str(small_project_path), "--section", "intro", "--lang", "en"]) == 0
    project = open_project(small_project_path)
    project.section("intro").texts["zh-Hant"].body = "我們共有[[kpi:emp.total]]名僱員，歡迎查閱。"
    save_project(project, small_project_path)
    capsys.readouterr()
    assert main(["translate", "status", str(small_project_path), "--json"]) == 0
    states = {(u["section"], u["lang"]): u["state"] for u in json.loads(capsys.readouterr().out)["units"]}
    assert states[("intro", "en")] == "stale" and states[("intro", "zh-Hant")] == "source"


def test_convert_review_and_dry_run(small_project_path, capsys):
    before = small_project_path.read_bytes()
    assert main(["translate", "convert", str(small_project_path), "--from", "zh-Hant", "--to", "zh-Hans", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would convert 3 sections" in out and "我们共有[[kpi:emp.total]]名雇员" in out
    assert small_project_path.read_bytes() == before
    assert main(["translate", "convert", str(small_project_path), "--from", "zh-Hant", "--to", "zh-Hans",
                 "--section", "intro"]) == 0
    project = open_project(small_project_path)
    assert project.section("intro").texts["zh-Hans"].state == "needs_review"
    assert main(["translate", "review", str(small_project_path), "--section", "intro", "--lang", "zh-Hans"]) == 0
    capsys.readouterr()
    main(["translate", "status", str(small_project_path), "--json"])
    states = {(u["section"], u["lang"]): u["state"] for u in json.loads(capsys.readouterr().out)["units"]}
    assert states[("intro", "zh-Hans")] == "up_to_date"


def test_export_and_import_xliff_with_one_broken_unit(small_project_path, tmp_path, capsys):
    out = tmp_path / "en.xlf"
    assert main(["translate", "export", str(small_project_path), str(out), "--lang", "en"]) == 0
    ET.register_namespace("", NS)
    tree = ET.parse(out)
    for unit in tree.getroot().iter(f"{{{NS}}}trans-unit"):
        source = "".join(unit.find(f"{{{NS}}}source").itertext())
        for old in unit.findall(f"{{{NS}}}target"):
            unit.remove(old)
        target = ET.Element(f"{{{NS}}}target", {"state": "final"})
        # the translator drops the [[ref:env]] code from the intro paragraph
        xliff_format._fill(target, "We have [[kpi:emp.total]] staff." if "[[ref:env]]" in source else f"EN {source}")
        unit.insert(1, target)
    tree.write(out, encoding="utf-8", xml_declaration=True)
    capsys.readouterr()
    assert main(["translate", "import", str(small_project_path), str(out), "--dry-run"]) == 1
    assert open_project(small_project_path).section("env-data").texts["en"].body == "Data."
    assert main(["translate", "import", str(small_project_path), str(out)]) == 1
    captured = capsys.readouterr()
    assert "intro/0/" in captured.err and "[[ref:env]]" in captured.err and "1 unit not applied" in captured.err
    project = open_project(small_project_path)
    assert project.section("env-data").texts["en"].body == "EN 數據。"
    assert project.section("intro").texts["en"].body == "We employ [[kpi:emp.total]] people. See [[ref:env]]."


def test_import_of_a_broken_file_is_one_line_naming_the_file(small_project_path, tmp_path, capsys):
    bad = tmp_path / "broken.xlf"
    bad.write_text("<xliff version='1.2'>", encoding="utf-8")
    assert main(["translate", "import", str(small_project_path), str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("esg-author: error:") and str(bad) in err and "\n" not in err


def test_glossary_add_list_remove(small_project_path, capsys):
    assert main(["translate", "glossary", "add", str(small_project_path), "--zh-Hant", "持份者",
                 "--zh-Hans", "利益相关方", "--en", "stakeholders"]) == 0
    assert main(["translate", "glossary", "list", str(small_project_path), "--json"]) == 0
    terms = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert terms == [{"forms": {"zh-Hant": "持份者", "zh-Hans": "利益相关方", "en": "stakeholders"}, "protected": True, "note": ""}]
    project = open_project(small_project_path)
    project.section("intro").texts["zh-Hant"].body = "我們重視持份者。"
    save_project(project, small_project_path)
    assert main(["translate", "convert", str(small_project_path), "--from", "zh-Hant", "--to", "zh-Hans",
                 "--section", "intro", "--force"]) == 0
    assert open_project(small_project_path).section("intro").texts["zh-Hans"].body == "我们重视利益相关方。"
    assert main(["translate", "glossary", "remove", str(small_project_path), "持份者"]) == 0
    assert open_project(small_project_path).glossary == []


def test_check_finds_simplified_characters_planted_in_traditional_text(small_project_path, capsys):
    project = open_project(small_project_path)
    project.section("env").texts["zh-Hant"].body = "排放下降，健康与安全。\n\n[[table:env]]"
    save_project(project, small_project_path)
    main(["check", str(small_project_path), "--no-render", "--json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    leaks = [f for f in findings if f["rule"] == "script.simplified-in-hant"]
    assert len(leaks) == 1 and leaks[0]["target"]["id"] == "env" and leaks[0]["lang"] == "zh-Hant"
    assert "与" in leaks[0]["message"]


def test_import_breaks_a_lock_left_behind_only_when_asked(small_project_path, tmp_path, capsys):
    from esg_author.core.storage.lock import lock_path_for

    out = tmp_path / "en.po"
    assert main(["translate", "export", str(small_project_path), str(out), "--lang", "en"]) == 0
    lock = lock_path_for(small_project_path)
    lock.write_text('{"user": "amy", "host": "other-pc", "pid": 4242}', encoding="utf-8")
    capsys.readouterr()
    assert main(["translate", "import", str(small_project_path), str(out)]) == 1
    assert "open elsewhere (amy" in capsys.readouterr().err and lock.exists()
    assert main(["translate", "import", str(small_project_path), str(out), "--break-lock"]) == 0
    assert not lock.exists()
    lock.write_text('{"user": "amy", "host": "other-pc", "pid": 4242}', encoding="utf-8")
    assert main(["translate", "glossary", "add", str(small_project_path), "--en", "stakeholders", "--break-lock"]) == 0
    assert not lock.exists() and open_project(small_project_path).glossary[0].forms == {"en": "stakeholders"}


def test_export_of_text_with_word_line_breaks(small_project_path, tmp_path, capsys):
    project = open_project(small_project_path)
    project.section("env-data").texts["zh-Hant"].body = "第一行\x0b第二行\x0c。"  # pasted from Word
    save_project(project, small_project_path)
    for fmt in ("xliff", "xlsx", "po"):
        out = tmp_path / f"en.{fmt}"
        assert main(["translate", "export", str(small_project_path), str(out), "--lang", "en", "--format", fmt]) == 0
        assert main(["translate", "import", str(small_project_path), str(out), "--dry-run"]) == 0, capsys.readouterr().err
    ET.parse(tmp_path / "en.xliff")  # well-formed XML for CAT tools, not only for our reader

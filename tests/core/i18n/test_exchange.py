"""Translator exchange: XLIFF 1.2, PO and XLSX out and back in, unit by unit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from esg_author.core.commands import SetSectionText, UndoStack
from esg_author.core.errors import ExchangeError
from esg_author.core.i18n.exchange import (
    apply_import,
    build_export,
    read_exchange_file,
    write_exchange_file,
)
from esg_author.core.i18n.exchange import xliff as xliff_format
from esg_author.core.i18n.translation_units import record_current_sources, unit_status
from esg_author.core.model import SectionText

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
EN = {
    "intro/title": "About",
    "intro/0": "We employ [[kpi:emp.total]] people. See [[ref:env]].",
    "env/title": "Environment",
    "env/0": "Emissions went down.",
    "env-data/title": "Data",
    "env-data/0": "Data notes.",
}


@pytest.fixture
def project(small_project):
    record_current_sources(small_project)
    for section in small_project.sections:  # the translator starts from an empty English text
        section.texts["en"] = SectionText()
    return small_project


def _translate_xliff(path: Path, targets: dict[str, str], state: str = "translated") -> None:
    """Do what a CAT tool does: write <target> elements with the inline codes as <ph>/<bpt>/<ept>."""
    ET.register_namespace("", NS["x"])
    tree = ET.parse(path)
    for unit in tree.getroot().iter(f"{{{NS['x']}}}trans-unit"):
        key = unit.get("id").rsplit("/", 1)[0]
        if key not in targets:
            continue
        for old in unit.findall("x:target", NS):
            unit.remove(old)
        target = ET.Element(f"{{{NS['x']}}}target", {"state": state})
        xliff_format._fill(target, targets[key])
        unit.insert(1, target)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def test_xliff_round_trip_with_a_broken_token_applies_the_other_units(project, tmp_path):
    path = tmp_path / "en.xlf"
    write_exchange_file(build_export(project, "en"), path)
    broken = dict(EN, **{"intro/0": "We employ [[kpi:emp.totl]] people. See [[ref:env]]."})
    _translate_xliff(path, broken)
    report = apply_import(project, read_exchange_file(path), path)
    assert [p.unit_id.rsplit("/", 1)[0] for p in report.problems] == ["intro/0"]
    assert "[[kpi:emp.total]]" in report.problems[0].reason and "[[kpi:emp.totl]]" in report.problems[0].reason
    UndoStack(project).execute(report.command)
    assert project.section("env").texts["en"].body == "Emissions went down.\n\n[[table:env]]"
    assert project.section("env-data").texts["en"] == SectionText("Data", "Data notes.", "zh-Hant",
                                                                   project.section("env-data").texts["en"].source_fingerprint)
    assert unit_status(project, "env", "en").state == "up_to_date"
    # the broken unit is not applied and its section is not half done: the body stays empty
    intro = project.section("intro").texts["en"]
    assert intro.title == "About" and intro.body == ""
    assert unit_status(project, "intro", "en").state == "stale"


def test_xliff_fixed_unit_then_completes_the_section(project, tmp_path):
    path = tmp_path / "en.xlf"
    write_exchange_file(build_export(project, "en"), path)
    _translate_xliff(path, EN, state="needs-review-translation")
    report = apply_import(project, read_exchange_file(path), path)
    assert report.problems == [] and len(report.applied) == 6
    UndoStack(project).execute(report.command)
    assert project.section("intro").texts["en"].body == EN["intro/0"]
    assert unit_status(project, "intro", "en").state == "needs_review"
    # a second export carries the translation; importing it unchanged changes nothing
    again = tmp_path / "again.xlf"
    write_exchange_file(build_export(project, "en"), again)
    report = apply_import(project, read_exchange_file(again), again)
    assert report.command is None and report.unchanged == 6


def test_xliff_is_well_formed_1_2_with_inline_codes(project, tmp_path):
    project.section("intro").texts["zh-Hant"].body = "**重點**：見[網站](https://example.com)及[[kpi:emp.total]]。"
    path = tmp_path / "en.xlf"
    write_exchange_file(build_export(project, "en"), path)
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{NS['x']}}}xliff" and root.get("version") == "1.2"
    (file,) = root.findall("x:file", NS)
    for attribute in ("original", "datatype", "source-language", "target-language"):
        assert file.get(attribute), attribute  # required by the XLIFF 1.2 schema
    assert [child.tag.split("}")[1] for child in file] == ["header", "body"]
    ids = [u.get("id") for u in root.iter(f"{{{NS['x']}}}trans-unit")]
    assert len(ids) == len(set(ids)) == 6
    allowed = {"source", "target", "note"}
    for unit in root.iter(f"{{{NS['x']}}}trans-unit"):
        tags = [child.tag.split("}")[1] for child in unit]
        assert tags[0] == "source" and set(tags) <= allowed and tags == sorted(tags, key=["source", "target", "note"].index)
    source = next(u for u in root.iter(f"{{{NS['x']}}}trans-unit") if u.get("id").startswith("intro/0/")).find("x:source", NS)
    inline = [(child.tag.split("}")[1], child.get("id"), child.text) for child in source]
    assert inline == [("bpt", "1", "**"), ("ept", "1", "**"), ("bpt", "3", "["), ("ept", "3", "](https://example.com)"),
                      ("ph", "5", "[[kpi:emp.total]]")]
    assert "".join(source.itertext()) == "**重點**：見[網站](https://example.com)及[[kpi:emp.total]]。"


def test_a_source_edited_after_export_is_reported_per_unit(project, tmp_path):
    path = tmp_path / "en.xlf"
    write_exchange_file(build_export(project, "en"), path)
    _translate_xliff(path, EN)
    UndoStack(project).execute(SetSectionText("env-data", "zh-Hant", body="新的數據說明。"))
    report = apply_import(project, read_exchange_file(path), path)
    assert [p.unit_id.rsplit("/", 1)[0] for p in report.problems] == ["env-data/0"]
    assert "changed since" in report.problems[0].reason
    UndoStack(project).execute(report.command)
    # its title was applied, but the section is not translated from the current source
    assert project.section("env-data").texts["en"].title == "Data"
    assert unit_status(project, "env-data", "en").state in ("stale", "missing")


def test_po_round_trip_unknown_ids_fuzzy_and_structure_breaks(project, tmp_path):
    path = tmp_path / "en.po"
    write_exchange_file(build_export(project, "en"), path)
    text = path.read_text(encoding="utf-8")
    assert '#. tokens: [[kpi:emp.total]] [[ref:env]]' in text and 'msgctxt "intro/0/' in text
    replacements = {
        'msgid "關於"\nmsgstr ""': 'msgid "關於"\nmsgstr "About"',
        'msgid "我們共有[[kpi:emp.total]]名僱員。詳見[[ref:env]]。"\nmsgstr ""':
            'msgid "我們共有[[kpi:emp.total]]名僱員。詳見[[ref:env]]。"\nmsgstr "We employ [[kpi:emp.total]]. See [[ref:env]]."',
        'msgid "排放下降。"\nmsgstr ""': 'msgid "排放下降。"\nmsgstr "Emissions fell.\\n\\nA second paragraph."',
        'msgid "數據"\nmsgstr ""': 'msgid "數據"\nmsgstr "Data"',
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace('#: env-data\nmsgctxt "env-data/title/', '#: env-data\n#, fuzzy\nmsgctxt "env-data/title/')
    text += '\nmsgctxt "nosuch/0/12345678"\nmsgid "x"\nmsgstr "y"\n'
    path.write_text(text, encoding="utf-8")
    report = apply_import(project, read_exchange_file(path), path)
    reasons = {p.unit_id.split("/")[0]: p.reason for p in report.problems}
    assert set(reasons) == {"env", "nosuch"}
    assert "structure" in reasons["env"] and "unknown unit id" in reasons["nosuch"]
    UndoStack(project).execute(report.command)
    assert project.section("intro").texts["en"] == SectionText(
        "About", "We employ [[kpi:emp.total]]. See [[ref:env]].", "zh-Hant",
        project.section("intro").texts["en"].source_fingerprint, "")
    assert unit_status(project, "intro", "en").state == "up_to_date"
    assert project.section("env-data").texts["en"].state == "needs_review"


def test_xlsx_round_trip_and_state_column(project, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "en.xlsx"
    write_exchange_file(build_export(project, "en"), path)
    workbook = load_workbook(path)
    sheet = workbook["Translation"]
    assert [c.value for c in sheet[1]] == ["Unit ID", "Source (zh-Hant)", "Target (en)", "State", "Notes"]
    for row in sheet.iter_rows(min_row=2):
        key = row[0].value.rsplit("/", 1)[0]
        row[2].value = EN[key]
        row[3].value = "final"
    assert "[[kpi:emp.total]]" in sheet["E3"].value  # the notes list the codes to keep
    workbook.save(path)
    report = apply_import(project, read_exchange_file(path), path)
    assert report.problems == [] and len(report.applied) == 6
    UndoStack(project).execute(report.command)
    assert all(unit_status(project, s.id, "en").state == "up_to_date" for s in project.sections)


def test_unreadable_files_raise_one_error_naming_the_file(project, tmp_path):
    for name, data in (("bad.xlf", b"<xliff version='1.2'><file>"), ("bad.po", b'msgid "x"\nmsgstr "y\n'),
                       ("bad.xlsx", b"not a zip at all"),
                       ("evil.xlf", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xliff>&a;</xliff>')):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ExchangeError) as info:
            read_exchange_file(path)
        assert str(path) in str(info.value)


def test_xlsx_zip_bomb_is_refused_before_openpyxl_reads_it(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"a" * (20 * 1024 * 1024) + b"</sst>")
    with pytest.raises(ExchangeError, match="zip bomb"):
        read_exchange_file(path)


def test_export_refuses_the_source_language_as_target(project):
    from esg_author.core.errors import ModelError

    with pytest.raises(ModelError, match="are both"):
        build_export(project, "zh-Hant")
    with pytest.raises(ModelError, match="project's source language"):
        build_export(project, "zh-Hant", source_lang="en")


def test_xlsx_text_starting_with_an_equals_sign_stays_text(tmp_path):
    from esg_author.core.i18n.exchange import ExchangeDocument, ExchangeUnit

    path = tmp_path / "f.xlsx"
    document = ExchangeDocument("zh-Hant", "en", [ExchangeUnit("a/0/12345678", "=SUM(A1)", "=1+1", "translated")])
    write_exchange_file(document, path)
    assert read_exchange_file(path).units == [ExchangeUnit("a/0/12345678", "=SUM(A1)", "=1+1", "translated")]


# -- control characters, damaged files, deep nesting -------------------------------------------------

# Word's manual line break (U+000B) and page break (U+000C), a lone CR and a stray U+0001, as pasted.
PASTED_BODY = "第一行\x0b第二行\x0c第三\r行\x01。"


@pytest.mark.parametrize("suffix", [".xlf", ".po", ".xlsx"])
def test_control_characters_are_replaced_noted_and_the_round_trip_works(project, tmp_path, suffix):
    project.section("env-data").texts["zh-Hant"] = SectionText("數\x0b據", PASTED_BODY)
    document = build_export(project, "en", section_ids=["env-data"])
    title, body = document.units
    assert title.source == "數 據" and body.source == "第一行\n第二行\n第三\n行。"  # a title stays one line
    assert all("control characters" in " ".join(unit.notes) for unit in (title, body))
    path = tmp_path / f"en{suffix}"
    write_exchange_file(document, path)  # was: XML that is not well-formed, or IllegalCharacterError
    if suffix == ".xlf":
        ET.parse(path)  # well-formed for every XML parser, not only ours
    read_back = read_exchange_file(path)
    assert [unit.source for unit in read_back.units] == ["數 據", "第一行\n第二行\n第三\n行。"]
    # the translator answers; the unit ids still match the project's source, which keeps its characters
    translated = [type(unit)(unit.id, unit.source, text, "translated")
                  for unit, text in zip(read_back.units, ("Data\x0b", "Line one\x0bline two."), strict=True)]
    read_back.units = translated
    report = apply_import(project, read_back, path)
    assert report.problems == [] and len(report.applied) == 2
    UndoStack(project).execute(report.command)
    text = project.section("env-data").texts["en"]
    assert (text.title, text.body) == ("Data ", "Line one\nline two.")  # control characters never enter the project
    assert project.section("env-data").texts["zh-Hant"].body == PASTED_BODY


def test_a_document_with_a_control_character_is_refused_naming_the_unit(tmp_path):
    from esg_author.core.i18n.exchange import ExchangeDocument, ExchangeUnit

    document = ExchangeDocument("zh-Hant", "en", [ExchangeUnit("a/0/12345678", "x\x07y")])
    for name in ("f.xlf", "f.xlsx"):
        with pytest.raises(ExchangeError, match=r"unit a/0/12345678: the source holds the control character U\+0007"):
            write_exchange_file(document, tmp_path / name)
        assert not (tmp_path / name).exists()


def test_a_damaged_xlsx_is_one_error_naming_the_file(project, tmp_path):
    path = tmp_path / "en.xlsx"
    write_exchange_file(build_export(project, "en"), path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]  # cut off, as by an interrupted copy
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(ExchangeError, match="cannot read the workbook") as info:  # was: a ParseError traceback
        read_exchange_file(path)
    assert info.value.path == path


def test_deeply_nested_inline_elements_are_refused(project, tmp_path):
    path = tmp_path / "en.xlf"
    write_exchange_file(build_export(project, "en"), path)
    text = path.read_text(encoding="utf-8")
    nested = "<mrk mtype='x-a'>" * 2000 + "deep" + "</mrk>" * 2000
    text = text.replace("<source xml:lang=\"zh-Hant\">數據</source>",
                        f"<source xml:lang=\"zh-Hant\">數據</source><target>{nested}</target>", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExchangeError, match="nested more than 100 levels"):  # was: RecursionError
        read_exchange_file(path)


def test_unit_problems_are_findings_aimed_at_the_unit_of_the_file(project, tmp_path):
    """An import dialog lists unit problems in the UI language, as findings on the file's unit."""
    from esg_author.core.findings import CellTarget
    from esg_author.core.i18n.catalogs import finding_text

    path = tmp_path / "en.xlf"
    write_exchange_file(build_export(project, "en"), path)
    _translate_xliff(path, dict(EN, **{"intro/0": "We employ [[kpi:emp.totl]] people. See [[ref:env]]."}))
    report = apply_import(project, read_exchange_file(path), path)
    (finding,) = report.findings
    unit = report.problems[0].unit_id
    assert (finding.rule, finding.lang, finding.target) == ("exchange.unit", "en", CellTarget("en.xlf", "", unit))
    assert finding.location == f"en.xlf {unit}"
    assert finding.params == {"missing": "`[[kpi:emp.total]]`", "unexpected": "`[[kpi:emp.totl]]`"}
    assert finding.text == report.problems[0].reason
    chinese = finding_text(finding, "zh-Hant")
    assert "`[[kpi:emp.total]]`" in chinese and "`[[kpi:emp.totl]]`" in chinese and "inline" not in chinese

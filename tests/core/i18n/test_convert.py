"""zh-Hant ⇄ zh-Hans conversion: OpenCC at phrase level, protected terms and code, project commands."""

from __future__ import annotations

import pytest

from esg_author.core.commands import UndoStack
from esg_author.core.errors import ModelError
from esg_author.core.i18n.convert import Converter, convert_project, zh_variant
from esg_author.core.i18n.translation_units import record_current_sources, text_fingerprint, unit_status
from esg_author.core.model import GlossaryTerm

HK_TEXT = ("我們透過持份者調研，以培訓等方式幫助僱員成長。界面新聞報道了本集團的投訴處理程序。"
           "詳見[[ref:about-data]]及[[kpi:emp.total@2024]]，或瀏覽[說明頁面](https://example.com/幫助/資訊)、"
           "電郵 esg@example.com、`資訊` 與 www.example.com/esg。")

GLOSSARY = [
    GlossaryTerm({"zh-Hant": "持份者", "zh-Hans": "利益相关方", "en": "stakeholders"}),
    GlossaryTerm({"zh-Hant": "界面新聞", "zh-Hans": "界面新闻"}, note="media name"),
    GlossaryTerm({"zh-Hant": "睿鑒", "zh-Hans": "睿鉴", "en": "RiskLens"}),
    GlossaryTerm({"zh-Hant": "資訊", "zh-Hans": "信息"}, protected=False),  # for translators only
]


def test_hong_kong_text_to_simplified_keeps_meaning_terms_and_code():
    result = Converter("zh-Hant", "zh-Hans", "hk", GLOSSARY).convert(HK_TEXT)
    assert "利益相关方调研" in result  # glossary target form, not a character conversion of 持份者
    assert "帮助员工" not in result and "帮助雇员成长" in result  # 幫助 stays "help" (never 说明)
    assert "界面新闻报道" in result
    assert "投诉处理程序" in result  # the HKEX word 程序 is not turned into 进程 / 程式
    assert "[[ref:about-data]]" in result and "[[kpi:emp.total@2024]]" in result
    assert "](https://example.com/幫助/資訊)" in result and "[说明页面]" in result
    assert "esg@example.com" in result and "`資訊`" in result and "www.example.com/esg" in result


def test_taiwan_phrase_tables_would_change_meaning_but_protected_words_survive():
    to_hans = Converter("zh-Hant", "zh-Hans", "tw", [])
    assert to_hans.config == "tw2sp"
    assert "处理程序" in to_hans.convert("處理程序")  # tw2sp alone gives 处理进程
    to_tw = Converter("zh-Hans", "zh-Hant", "tw", [])
    converted = to_tw.convert("界面新闻发布了帮助中心的操作程序，软件和网络")
    assert "界面新聞" in converted and "發佈" in converted and "操作程序" in converted  # not 介面, 釋出, 程式
    assert "幫助" in converted and "軟體" in converted and "網路" in converted  # TW vocabulary still localised


def test_simplified_to_hong_kong_uses_glossary_forms_and_corner_quotes():
    converter = Converter("zh-Hans", "zh-Hant", "hk", GLOSSARY)
    assert converter.config == "s2hkp"
    assert converter.convert("向利益相关方提供“睿鉴”风控云") == "向持份者提供「睿鑒」風控雲"
    keep = Converter("zh-Hans", "zh-Hant", "hk", [], convert_quotes=False)
    assert keep.convert("“睿鉴”") == "“睿鑑”"  # without the glossary OpenCC writes 鑑


def test_corner_brackets_become_curly_quotes_in_simplified_and_apostrophes_stay():
    assert Converter("zh-Hant", "zh-Hans").convert("「本集團」與『參照』") == "“本集团”与‘参照’"
    assert Converter("zh-Hans", "zh-Hant").convert("“本集团”的Lumora’s") == "「本集團」的Lumora’s"


def test_per_language_images_are_retargeted_when_the_target_copy_exists():
    converter = Converter("zh-Hant", "zh-Hans", assets={"chart.zh-Hans.svg"})
    assert converter.convert("![圖表](asset:chart.zh-Hant.svg)") == "![图表](asset:chart.zh-Hans.svg)"
    assert converter.convert("![圖](asset:logo.zh-Hant.svg)") == "![图](asset:logo.zh-Hant.svg)"


def test_convert_project_marks_for_review_records_the_source_and_keeps_reviewed_texts(small_project):
    small_project.glossary = list(GLOSSARY)
    record_current_sources(small_project)
    result = convert_project(small_project, "zh-Hant", "zh-Hans")
    assert result.command is None and {s.action for s in result.sections} == {"skipped"}  # all up to date
    kept = result.sections[0]
    assert (kept.skip, kept.reason) == ("up-to-date", "the zh-Hans text is up to date")
    assert kept.message == "the {language} text is up to date" and kept.params == {"language": "zh-Hans"}
    assert not any("--force" in s.reason for s in result.sections)  # the caller knows how to force
    result = convert_project(small_project, "zh-Hant", "zh-Hans", ["intro"], force=True)
    assert [s.section_id for s in result.converted] == ["intro"]
    stack = UndoStack(small_project)
    stack.execute(result.command)
    text = small_project.section("intro").texts["zh-Hans"]
    assert text.body == "我们共有[[kpi:emp.total]]名雇员。详见[[ref:env]]。"
    assert text.state == "needs_review" and text.source_lang == "zh-Hant"
    assert text.source_fingerprint == text_fingerprint(small_project.section("intro").texts["zh-Hant"])
    assert unit_status(small_project, "intro", "zh-Hans").state == "needs_review"
    stack.undo()
    assert small_project.section("intro").texts["zh-Hans"].body == "我们共有[[kpi:emp.total]]名员工。详见[[ref:env]]。"


def test_invalid_directions_and_variants_are_refused(small_project):
    with pytest.raises(ModelError):
        convert_project(small_project, "zh-Hant", "en")
    small_project.meta.options["zh_variant"] = "mo"
    with pytest.raises(ModelError, match="zh_variant"):
        zh_variant(small_project)


def test_demo_conversion_matches_the_reviewed_simplified_text_closely(demo_project):
    """The demo's zh-Hans is a reviewed conversion: with the demo glossary, the converter should
    reproduce most of it; what is left are editorial choices of the reviewer (docs/translation.md)."""
    from difflib import SequenceMatcher

    converter = Converter("zh-Hant", "zh-Hans", "hk", demo_project.glossary, assets=demo_project.assets)
    differing = total = identical_titles = 0
    for section in demo_project.sections:
        hant, hans = section.text("zh-Hant"), section.text("zh-Hans")
        identical_titles += converter.convert(hant.title) == hans.title
        got = converter.convert(hant.body)
        total += len(hans.body)
        for op, a1, a2, b1, b2 in SequenceMatcher(None, got, hans.body, autojunk=False).get_opcodes():
            if op != "equal":
                differing += max(a2 - a1, b2 - b1)
    assert identical_titles == len(demo_project.sections)
    assert differing / total < 0.01

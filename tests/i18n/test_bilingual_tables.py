"""Project option bilingual_tables: KPI tables print labels and headers in two languages."""

from __future__ import annotations

from esg_author.core.render.context import build_context
from esg_author.core.render.kpi_tables import build_kpi_table
from esg_author.core.render.template import load_template, render_template


def test_off_by_default_adds_nothing(small_project):
    table = build_kpi_table(small_project, small_project.tables["env"], "zh-Hant")
    assert "alt_lang" not in table and "title_alt" not in table
    assert all("label_alt" not in row for row in table["rows"])


def test_chinese_editions_add_english(small_project):
    small_project.meta.options["bilingual_tables"] = True
    table = build_kpi_table(small_project, small_project.tables["env"], "zh-Hant")
    assert table["alt_lang"] == "en-GB"
    assert (table["title"], table["title_alt"]) == ("環境", "Environment")
    labels = [(row["label"], row["label_alt"]) for row in table["rows"]]
    assert labels == [("排放物", "Emissions"), ("溫室氣體排放", "GHG emissions"), ("按範圍", "By scope"),
                      ("範圍二", "Scope 2"), ("僱傭", "Employment"), ("僱員總數", "Total employees")]
    assert table["headers_alt"] == {"indicator": "Indicator", "unit": "Unit", "change": "Change", "notes": "Notes"}
    hans = build_kpi_table(small_project, small_project.tables["env"], "zh-Hans")
    assert hans["rows"][-1]["label_alt"] == "Total employees"


def test_english_edition_adds_traditional_chinese(small_project):
    small_project.meta.options["bilingual_tables"] = True
    table = build_kpi_table(small_project, small_project.tables["env"], "en")
    assert table["alt_lang"] == "zh-Hant-HK"
    assert table["rows"][-1]["label"] == "Total employees" and table["rows"][-1]["label_alt"] == "僱員總數"
    assert table["headers_alt"]["indicator"] == "指標"


def test_english_edition_of_a_simplified_only_project_uses_simplified(small_project):
    small_project.meta.options["bilingual_tables"] = True
    small_project.meta.languages = ["zh-Hans", "en"]
    table = build_kpi_table(small_project, small_project.tables["env"], "en")
    assert table["rows"][-1]["label_alt"] == "员工总数" and table["alt_lang"] == "zh-Hans-CN"


def test_a_missing_or_identical_name_prints_once(small_project):
    small_project.meta.options["bilingual_tables"] = True
    small_project.kpis["emp.total"].name.pop("en")
    small_project.kpis["ghg.scope2"].name["en"] = small_project.kpis["ghg.scope2"].name["zh-Hant"]
    table = build_kpi_table(small_project, small_project.tables["env"], "zh-Hant")
    by_id = {row["id"]: row for row in table["rows"] if row["kind"] == "kpi"}
    assert by_id["emp.total"]["label_alt"] == "" and by_id["ghg.scope2"]["label_alt"] == ""


def test_template_prints_both_languages_with_lang_attributes(small_project):
    small_project.meta.options["bilingual_tables"] = True
    template = load_template("default")
    html = render_template(template, template.pdf_template, "zh-Hant", build_context(small_project, "zh-Hant", "pdf").data)
    assert '指標<span class="label-alt" lang="en-GB">Indicator</span>' in html
    assert '僱員總數<span class="label-alt" lang="en-GB">Total employees</span>' in html
    assert '<p class="kpi-table-title">環境<span class="label-alt" lang="en-GB">Environment</span></p>' in html
    english = render_template(template, template.pdf_template, "en", build_context(small_project, "en", "pdf").data)
    assert 'Total employees<span class="label-alt" lang="zh-Hant-HK">僱員總數</span>' in english


def test_template_without_the_option_has_no_second_language(small_project):
    template = load_template("default")
    html = render_template(template, template.pdf_template, "zh-Hant", build_context(small_project, "zh-Hant", "pdf").data)
    assert "label-alt" not in html and 'class="kpi-table-wrap"' in html

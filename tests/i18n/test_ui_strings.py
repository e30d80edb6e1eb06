"""UI language: chosen from --ui-lang, $ESG_AUTHOR_UI_LANG or the system locale; independent of
the report language; strings come from the same catalogs as template labels. No Qt here."""

from __future__ import annotations

import pytest

from esg_author.core.i18n import ui
from esg_author.core.i18n.ui import UI_LANG_ENV, _, choose_ui_language, language_for_locale, set_ui_language


@pytest.fixture(autouse=True)
def english_ui(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(UI_LANG_ENV, raising=False)
    yield
    set_ui_language("en")


@pytest.mark.parametrize(("name", "lang"), [
    ("zh_HK.UTF-8", "zh-Hant"), ("zh-Hant-HK", "zh-Hant"), ("zh_TW", "zh-Hant"), ("zh-Hant", "zh-Hant"),
    ("zh_MO", "zh-Hant"), ("zh_CN.UTF-8", "zh-Hans"), ("zh-Hans-HK", "zh-Hans"), ("zh_SG", "zh-Hans"),
    ("zh", "zh-Hans"), ("en_US.UTF-8", "en"), ("en-GB", "en"), ("de_DE", None), ("C", None), ("", None),
])
def test_locale_names_map_to_ui_languages(name, lang):
    assert language_for_locale(name) == lang


def test_precedence_option_then_env_then_system(monkeypatch):
    assert choose_ui_language(None, ["de-DE", "zh-Hant-HK"]) == "zh-Hant"  # first one we have a UI for
    assert choose_ui_language(None, ["fr-FR"]) == "en"
    monkeypatch.setenv(UI_LANG_ENV, "zh-Hans")
    assert choose_ui_language(None, ["zh-Hant-HK"]) == "zh-Hans"
    assert choose_ui_language("en", ["zh-Hant-HK"]) == "en"
    monkeypatch.setenv(UI_LANG_ENV, "zh_HK")
    assert choose_ui_language(None, []) == "zh-Hant"


def test_a_bad_env_value_is_ignored_but_a_bad_option_is_an_error(monkeypatch, caplog):
    monkeypatch.setenv(UI_LANG_ENV, "klingon")
    assert choose_ui_language(None, ["zh_CN"]) == "zh-Hans"
    assert "klingon" in caplog.text
    with pytest.raises(ValueError, match="unknown UI language"):
        choose_ui_language("fr")


def test_system_locale_from_posix_variables(monkeypatch):
    monkeypatch.setenv("LC_ALL", "zh_HK.UTF-8")
    assert ui.system_locale_names()[0] == "zh_HK.UTF-8"
    assert choose_ui_language() == "zh-Hant"


def test_strings_follow_the_ui_language_only():
    assert _("&File") == "&File"
    set_ui_language("zh-Hant")
    assert _("&File") == "檔案(&F)" and ui.ui_language() == "zh-Hant"
    set_ui_language("zh-Hans")
    assert _("&File") == "文件(&F)"
    assert _("Sections: {sections} · KPIs: {kpis} · KPI tables: {tables}").format(sections=3, kpis=2, tables=1) == \
        "章节：3 · 关键绩效指标：2 · 指标表：1"
    with pytest.raises(ValueError):
        set_ui_language("fr")


def test_report_labels_do_not_follow_the_ui_language(small_project):
    from esg_author.core.render.kpi_tables import build_kpi_table

    set_ui_language("zh-Hant")
    table = build_kpi_table(small_project, small_project.tables["env"], "en")
    assert table["rows"][0]["label"] == "Emissions"

"""Settings ▸ Interface language switches the UI language at run time; the report language stays."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton

from esg_author.core.i18n import ui
from esg_author.core.i18n.ui import set_ui_language, ui_language
from esg_author.gui.app import parse_app_arguments
from esg_author.gui.settings_store import SettingsStore


@pytest.fixture(autouse=True)
def english_ui():
    set_ui_language("en")
    yield
    set_ui_language("en")


def test_switching_to_traditional_chinese_retranslates_the_window(make_window, small_project_path):
    window = make_window()
    actions = window.window_actions
    assert actions.file_menu.title() == "&File"
    assert window.status.section_label.text() == "No project open"
    assert window.open_project(small_project_path)
    report_language = window.current_language()
    window.editor_tabs.close_current()  # no section in front: the status bar shows the summary

    actions.ui_language_actions["zh-Hant"].trigger()  # what the menu does

    assert ui_language() == "zh-Hant" and SettingsStore().ui_language() == "zh-Hant"  # remembered
    assert actions.file_menu.title() == "檔案(&F)"
    assert actions.open.text() == "開啟…(&O)" and actions.open.iconText() == "開啟"
    assert actions.settings_menu.title() == "設定(&S)"
    assert window.language_label.text() == "報告語言："
    assert window.status.section_label.text() == "章節：3 · 關鍵績效指標：3 · 指標表：1"
    assert actions.ui_language_actions["zh-Hant"].isChecked()
    assert window.current_language() == report_language  # the report language is independent
    # Qt's own dialog buttons follow too (Qt ships zh_TW, the nearest to Hong Kong).
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"

    window.change_ui_language("zh-Hans")
    assert actions.file_menu.title() == "文件(&F)"
    window.change_ui_language("en")
    assert actions.file_menu.title() == "&File"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_every_string_of_the_window_is_set_again_by_retranslate_ui(make_window, small_project_path, monkeypatch):
    """Replace the translation function of every GUI module by one that marks its output: after
    retranslate_ui every menu, action, button and label shows the mark, so no string is set once
    and forgotten when the language changes."""
    window = make_window(small_project_path)

    def marked(message: str) -> str:
        return "«" + message + "»"

    for name, module in list(sys.modules.items()):
        if name.startswith("esg_author.gui.") and getattr(module, "_", None) is ui._:
            monkeypatch.setattr(module, "_", marked)
    window.retranslate_ui()

    untranslated = []
    for action in window.findChildren(QAction):
        text = action.text()
        if not text or action.isSeparator() or action.data() or text in ("English", "繁體中文", "简体中文"):
            continue  # recent files and language names are never translated
        if action.menu() is None and not text.startswith("«") and "«" not in text:
            untranslated.append(text)
    for menu_action in window.menuBar().actions():
        if not menu_action.text().startswith("«"):
            untranslated.append(menu_action.text())
    for widget in [*window.start_page.findChildren(QPushButton), *window.find_bar.findChildren(QPushButton)]:
        if not widget.text().startswith("«"):
            untranslated.append(widget.text())
    labels = [window.language_label, window.editor_hint, window.start_page.tagline, window.start_page.recent_label,
              window.find_bar.find_label, window.find_bar.replace_label]
    untranslated += [label.text() for label in labels if isinstance(label, QLabel) and not label.text().startswith("«")]
    assert window.navigator_dock.windowTitle() == "«Sections»"
    assert window.navigator_model.headerData(0, Qt.Orientation.Horizontal) == "«Section»"
    assert window.window_actions.undo.text() == "«&Undo»"
    assert untranslated == []


def test_chinese_ui_screenshot_renders_cjk(make_window, demo_path, tmp_path):
    window = make_window()
    window.change_ui_language("zh-Hant")
    assert window.open_project(demo_path)
    image = window.grab()  # looked at by eye when this test was written: menus, toolbar, tree, status in CJK
    assert not image.isNull() and image.save(str(tmp_path / "ui-zh.png"))


def test_ui_lang_option_is_parsed_beside_qt_and_project_arguments():
    options = parse_app_arguments(["--ui-lang", "zh-Hans", "-style", "fusion", "demo.esgproj"])
    assert options.ui_lang == "zh-Hans" and options.projects == [Path("demo.esgproj")]
    with pytest.raises(SystemExit):
        parse_app_arguments(["--ui-lang", "fr"])

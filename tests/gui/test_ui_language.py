"""Settings ▸ Interface language switches the UI language at run time; the report language stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from esg_author.core.i18n.ui import set_ui_language, ui_language
from esg_author.gui.app import parse_app_arguments
from esg_author.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def english_ui():
    set_ui_language("en")
    yield
    set_ui_language("en")


def test_switching_to_traditional_chinese_retranslates_the_window(qtbot, small_project_path):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.file_menu.title() == "&File"
    assert window.summary_label.text() == "No project open"
    assert window.open_project(small_project_path)
    report_language = window.current_language()

    window.ui_language_actions["zh-Hant"].trigger()  # what the menu does

    assert ui_language() == "zh-Hant"
    assert window.file_menu.title() == "檔案(&F)"
    assert window.open_action.text() == "開啟…(&O)" and window.open_action.iconText() == "開啟"
    assert window.settings_menu.title() == "設定(&S)"
    assert window.language_label.text() == "報告語言："
    assert window.summary_label.text() == "章節：3 · 關鍵績效指標：3 · 指標表：1"
    assert window.ui_language_actions["zh-Hant"].isChecked()
    assert window.current_language() == report_language  # the report language is independent
    # Qt's own dialog buttons follow too (Qt ships zh_TW, the nearest to Hong Kong).
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"

    window.change_ui_language("zh-Hans")
    assert window.file_menu.title() == "文件(&F)"
    window.change_ui_language("en")
    assert window.file_menu.title() == "&File"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    window.close()


def test_chinese_ui_screenshot_renders_cjk(qtbot, demo_path):
    window = MainWindow()
    qtbot.addWidget(window)
    window.change_ui_language("zh-Hant")
    window.show()
    assert window.open_project(demo_path)
    qtbot.waitExposed(window)
    image = window.grab()  # looked at by eye when this test was written: menus, toolbar, tree, status in CJK
    assert not image.isNull() and image.save("/tmp/ui-zh.png")
    window.close()


def test_ui_lang_option_is_parsed_beside_qt_and_project_arguments():
    options = parse_app_arguments(["--ui-lang", "zh-Hans", "-style", "fusion", "demo.esgproj"])
    assert options.ui_lang == "zh-Hans" and options.projects == [Path("demo.esgproj")]
    with pytest.raises(SystemExit):
        parse_app_arguments(["--ui-lang", "fr"])

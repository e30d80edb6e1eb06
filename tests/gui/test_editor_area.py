"""The editor area: find and replace, the editor's context menu on the project's history, chips
that open what they refer to, and the interface language remembered between sessions."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from esg_author.core.i18n.ui import set_ui_language, ui_language
from esg_author.gui.app import parse_app_arguments, start_window
from esg_author.gui.settings_store import SettingsStore


def test_find_and_replace_all_is_one_named_step(make_window, small_project_path):
    window = make_window(small_project_path)
    editor = window.open_section("intro", "en")
    QTest.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.find_bar
    assert bar.isVisible() and not bar.replace_field.isVisible()
    bar.find_field.setText("employ")
    bar.next_button.click()
    assert editor.textCursor().selectedText() == "employ"
    bar.find_field.setText("nowhere")
    bar.next_button.click()
    assert bar.result_label.text() == "No match"
    window.window_actions.replace.trigger()
    assert bar.replace_field.isVisible()
    bar.find_field.setText("We")
    bar.replace_field.setText("They")
    bar.replace_all_button.click()
    assert bar.result_label.text() == "1 replaced"
    assert window.project.section("intro").text("en").body.startswith("They employ")
    assert window.window_actions.undo.text() == "&Undo replace in 關於"
    window.window_actions.undo.trigger()
    assert window.project.section("intro").text("en").body.startswith("We employ")
    QTest.keyClick(bar.find_field, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_the_editors_context_menu_undoes_through_the_project(make_window, small_project_path):
    window = make_window(small_project_path)
    editor = window.open_section("env", "en")
    shown = window.editor_tabs.context_menu(editor, QPoint(10, 10)).actions()  # what a right click shows
    names = [action.objectName() for action in shown]
    assert window.window_actions.undo in shown and window.window_actions.redo in shown
    assert "edit-undo" not in names and "edit-redo" not in names and "edit-copy" in names


def test_a_cross_reference_chip_opens_its_section(make_window, small_project_path):
    window = make_window(small_project_path)
    editor = window.open_section("intro", "en")
    editor.chip_activated.emit("ref", "env", None)  # what a double click on the chip does
    assert window.editor_tabs.current_key() == ("env", "en") and window.navigator.current_section_id() == "env"


def test_the_interface_language_chosen_last_time_is_used_again(qtbot, monkeypatch):
    monkeypatch.delenv("ESG_AUTHOR_UI_LANG", raising=False)
    settings = SettingsStore()
    settings.set_ui_language("zh-Hans")
    try:
        window = start_window(parse_app_arguments([]), settings)
        qtbot.addWidget(window)
        assert ui_language() == "zh-Hans" and window.window_actions.file_menu.title() == "文件(&F)"
        window.close()
        other = start_window(parse_app_arguments(["--ui-lang", "en"]), settings)  # the option wins
        qtbot.addWidget(other)
        assert ui_language() == "en"
        other.close()
    finally:
        set_ui_language("en")

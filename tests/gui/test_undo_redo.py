"""Undo and redo go through the project's one stack, from every editor: the menu says what will
be undone and where, typing merges into one step, and undo brings the cursor back to the change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from esg_author.gui.edit_history import section_label


@pytest.fixture
def window(make_window, demo_path):
    return make_window(demo_path)


def numbered(window, number):
    return next(sid for sid, shown in window.project.section_numbers().items() if shown == number)


def put_cursor(editor, position):
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)


def test_undo_says_what_it_undoes_and_brings_the_cursor_back(window, qtbot):
    board = numbered(window, "2.1")
    label = section_label(window.project, board, "zh-Hant")
    assert label.startswith("2.1 ")
    body = window.project.section(board).text("zh-Hant").body
    editor = window.open_section(board, "zh-Hant")
    start = 12
    put_cursor(editor, start)
    steps = window.document.stack.undo_count
    qtbot.keyClicks(editor, "abc")
    assert window.document.stack.undo_count == steps + 1  # one merged step for the run of typing
    assert window.window_actions.undo.text() == f"&Undo typing in {label}"

    other = numbered(window, "3.1")
    window.navigator.tree.setCurrentIndex(window.navigator_model.index_of(other))  # the user looks elsewhere
    assert window.editor_tabs.current_key() == (other, "zh-Hant")
    window.window_actions.undo.trigger()
    assert window.project.section(board).text("zh-Hant").body == body
    assert window.editor_tabs.current_key() == (board, "zh-Hant")  # its tab in front again
    assert window.navigator.current_section_id() == board
    editor = window.editor_tabs.current_editor()
    assert editor.textCursor().position() == start  # where the typing was
    assert window.window_actions.redo.text() == f"&Redo typing in {label}"

    window.window_actions.redo.trigger()
    assert "abc" in window.project.section(board).text("zh-Hant").body
    assert editor.textCursor().position() == start + 3
    assert window.isWindowModified()


def test_ctrl_z_in_the_editor_goes_to_the_project_stack(window, qtbot):
    section = numbered(window, "1.1")
    editor = window.open_section(section, "en")
    body = window.project.section(section).text("en").body
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " Done.")
    assert not editor.document().isUndoAvailable()  # the widget keeps no history of its own
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.project.section(section).text("en").body == body
    assert not window.history.can_undo and not window.isWindowModified()
    shown = editor.toPlainText()
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing left to undo
    assert editor.toPlainText() == shown and window.window_actions.undo.text() == "&Undo"
    assert not window.window_actions.undo.isEnabled()
    QTest.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.project.section(section).text("en").body.rstrip().endswith("Done.")


def test_formatting_and_paste_are_named_in_the_menu(window, qtbot):
    section = numbered(window, "1.2")
    label = section_label(window.project, section, window.current_language())  # named as in the navigator
    editor = window.open_section(section, "en")
    put_cursor(editor, 0)
    editor.moveCursor(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
    word = editor.textCursor().selectedText()
    window.window_actions.bold.trigger()
    assert f"**{word}**" in window.project.section(section).text("en").body
    assert window.window_actions.undo.text() == f"&Undo formatting in {label}"
    QApplication.clipboard().setText("pasted")
    editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "pasted" in window.project.section(section).text("en").body
    assert window.window_actions.undo.text() == f"&Undo paste in {label}"
    window.window_actions.undo.trigger()
    window.window_actions.undo.trigger()
    assert f"**{word}**" not in window.project.section(section).text("en").body


def test_one_history_across_editors(window, qtbot):
    first, second = numbered(window, "4.1"), numbered(window, "4.2")
    before = {sid: window.project.section(sid).text("zh-Hans").body for sid in (first, second)}
    for section in (first, second):
        editor = window.open_section(section, "zh-Hans")
        put_cursor(editor, 0)
        qtbot.keyClicks(editor, "x")
    window.window_actions.undo.trigger()
    assert window.editor_tabs.current_key() == (second, "zh-Hans")
    window.window_actions.undo.trigger()
    assert window.editor_tabs.current_key() == (first, "zh-Hans")
    assert {sid: window.project.section(sid).text("zh-Hans").body for sid in (first, second)} == before
    assert not window.isWindowModified()

"""The navigator: sections added, renamed, deleted and moved (keyboard and drag and drop) through
commands, the tree following each change set without a reset, and the per-language states."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QLineEdit

from esg_author.core.commands import SetSectionText
from esg_author.core.i18n.translation_units import MarkTranslated
from esg_author.gui.navigator_model import STATE_ROLE


@pytest.fixture
def window(make_window, small_project_path):
    window = make_window(small_project_path)
    model = window.navigator_model
    # Fatal: any inconsistency between the signals and the rows aborts the test at once.
    window.model_tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    window.resets = []
    model.modelReset.connect(lambda: window.resets.append("reset"))
    return window


def reading_order(window):
    return [(section.id, section.parent_id) for section, _depth in window.project.walk()]


def model_order(window):
    model = window.navigator_model
    found = []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            found.append((model.section_id(index), model.section_id(parent)))
            walk(index)

    walk(QModelIndex())
    return found


def select(window, section_id):
    window.navigator.tree.setFocus()
    window.navigator.tree.setCurrentIndex(window.navigator_model.index_of(section_id))


def keys(window, key, modifiers=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(window.navigator.tree, key, modifiers)


MOVE = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_keyboard_moves_run_commands_and_the_tree_follows(window):
    select(window, "env-data")
    keys(window, Qt.Key.Key_Left, MOVE)  # outdent: a chapter after its parent
    assert reading_order(window) == [("intro", None), ("env", None), ("env-data", None)] == model_order(window)
    keys(window, Qt.Key.Key_Up, MOVE)
    keys(window, Qt.Key.Key_Up, MOVE)
    assert [s for s, _p in model_order(window)] == ["env-data", "intro", "env"]
    keys(window, Qt.Key.Key_Down, MOVE)
    keys(window, Qt.Key.Key_Right, MOVE)  # indent: under the section above it
    assert reading_order(window) == [("intro", None), ("env-data", "intro"), ("env", None)] == model_order(window)
    assert window.navigator.current_section_id() == "env-data"  # the moved section stays selected
    assert window.window_actions.undo.text() == "&Undo moving 1 數據"  # named as it was before the move
    for _ in range(5):
        window.window_actions.undo.trigger()
    assert reading_order(window) == [("intro", None), ("env", None), ("env-data", "env")] == model_order(window)
    assert window.resets == []


def test_a_drop_moves_the_section_and_a_drop_into_itself_is_refused(window):
    model = window.navigator_model
    data = model.mimeData([model.index_of("env")])
    # Dropped above "intro": the first chapter.
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())  # the command moves it
    assert [s for s, _p in model_order(window)] == ["env", "env-data", "intro"] == [s for s, _p in reading_order(window)]
    # Onto its own sub-section: refused, nothing happens.
    into_child = model.index_of("env-data")
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, into_child)
    # "intro" dropped onto "env-data": becomes its sub-section.
    intro = model.mimeData([model.index_of("intro")])
    model.dropMimeData(intro, Qt.DropAction.MoveAction, -1, -1, model.index_of("env-data"))
    assert reading_order(window) == [("env", None), ("env-data", "env"), ("intro", "env-data")] == model_order(window)
    # Dropped below its own row among its siblings: the drop row counts the section itself.
    model.dropMimeData(intro, Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    assert [s for s, _p in model_order(window)] == ["env", "env-data", "intro"]
    assert window.resets == []


def test_add_rename_and_delete_sections(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(window.prompts, "confirm_delete_section", lambda label, count: asked.append((label, count)) or True)
    select(window, "intro")
    window.window_actions.add_section.trigger()
    assert [s for s, _p in model_order(window)] == ["intro", "section-1", "env", "env-data"]
    assert window.navigator.current_section_id() == "section-1"
    assert window.navigator.tree.state() == window.navigator.tree.State.EditingState  # named first
    assert window.editor_tabs.current_key() == ("section-1", "zh-Hant")
    editor = window.navigator.tree.findChild(QLineEdit)
    editor.setText("治理")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: window.project.section("section-1").text("zh-Hant").title == "治理")
    assert window.navigator_model.index_of("section-1").data() == "1  治理"
    assert window.navigator_model.index_of("env").data() == "2  環境"  # the numbers after it follow
    assert window.window_actions.undo.text() == "&Undo renaming 1 New section"  # as named before (its msgid is not translated yet)

    select(window, "env")
    keys(window, Qt.Key.Key_Delete)
    assert asked == [("2 環境", 1)]
    assert [s for s, _p in model_order(window)] == ["intro", "section-1"] == [s for s, _p in reading_order(window)]
    window.window_actions.undo.trigger()
    assert model_order(window) == reading_order(window) and len(reading_order(window)) == 4
    assert window.navigator.current_section_id() == "env"  # undo shows what it brought back
    assert window.resets == []


def test_delete_in_the_text_deletes_text_not_the_section(window, qtbot, monkeypatch):
    monkeypatch.setattr(window.prompts, "confirm_delete_section", lambda *args: pytest.fail("asked to delete a section"))
    editor = window.open_section("env", "en")
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    assert window.project.section("env").text("en").body.startswith("missions fell.")


def test_language_columns_show_each_texts_state_and_follow_edits(window):
    model = window.navigator_model
    project = window.project
    window.history.execute(MarkTranslated("env", "en"))
    env_en = model.index_of("env", model.column_of_language("en"))
    assert env_en.data(STATE_ROLE) == "up_to_date"
    assert env_en.data(Qt.ItemDataRole.ToolTipRole) == "English: translated and up to date"
    assert model.index_of("env", model.column_of_language("zh-Hant")).data(STATE_ROLE) == "written"
    changed = []
    model.dataChanged.connect(lambda first, last, roles: changed.append((model.section_id(first), first.column(), last.column())))
    window.history.execute(SetSectionText("env", "zh-Hant", body="排放大幅下降。"))  # the source changed
    assert model.index_of("env", model.column_of_language("en")).data(STATE_ROLE) == "stale"
    assert changed == [("env", 0, model.columnCount() - 1)]  # one row redrawn, nothing reset
    window.history.execute(SetSectionText("env-data", "en", body=""))
    window.history.execute(SetSectionText("env-data", "en", title=""))
    assert model.index_of("env-data", model.column_of_language("en")).data(STATE_ROLE) == "missing"
    assert project.section("env").text("en").body.startswith("Emissions")
    assert window.resets == []


def test_only_the_projects_languages_have_columns(make_window, tmp_path):
    from esg_author.core.storage import save_project
    from tests.conftest import make_small_project

    project = make_small_project()
    project.meta.languages = ["zh-Hant", "en"]
    path = tmp_path / "two.esgproj"
    save_project(project, path)
    window = make_window(path)
    tree, model = window.navigator.tree, window.navigator_model
    assert tree.isColumnHidden(model.column_of_language("zh-Hans"))
    assert not tree.isColumnHidden(model.column_of_language("en"))

"""The main window: open a project, write in a section, save and reopen, the start page, new
projects, recent files and the remembered layout."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from esg_author.core.storage import lock_path_for, open_project, save_project
from esg_author.gui.app import parse_app_arguments, start_window
from esg_author.gui.new_project_dialog import NewProjectDialog
from esg_author.gui.settings_store import SettingsStore


def top_level_labels(window):
    model = window.navigator_model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def type_at_end(qtbot, editor, text):
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, text)


def test_open_project_shows_numbered_sections_and_the_first_text(make_window, small_project_path):
    window = make_window(small_project_path)
    assert window.navigator_model.section_ids() == ["intro", "env", "env-data"]
    assert top_level_labels(window) == ["關於", "1  環境"]
    editor = window.editor_tabs.current_editor()
    assert "我們共有" in editor.toPlainText()  # the first section, in the first report language
    assert lock_path_for(small_project_path).exists()
    assert window.windowTitle() == "small.esgproj[*] — 範例公司 — esg-author" and not window.isWindowModified()
    window.language_box.setCurrentIndex(2)  # English: the navigator and the open section follow
    assert top_level_labels(window)[1] == "1  Environment"
    assert window.editor_tabs.current_key() == ("intro", "en")
    assert "We employ" in window.editor_tabs.current_editor().toPlainText()
    window.close()
    assert not lock_path_for(small_project_path).exists()


def test_bad_file_shows_one_error_and_keeps_state(make_window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    bad = tmp_path / "bad.esgproj"
    bad.write_bytes(b"not a project")
    window = make_window()
    assert not window.open_project(bad)
    assert len(shown) == 1 and "not an esg-author project" in shown[0]
    assert window.project is None and bad.read_bytes() == b"not a project"
    assert window.pages.currentWidget() is window.start_page


def test_typing_marks_the_window_modified_and_saving_writes_the_file(make_window, qtbot, small_project_path):
    window = make_window(small_project_path)
    window.open_section("env", "en")
    editor = window.editor_tabs.current_editor()
    type_at_end(qtbot, editor, " More")
    assert window.project.section("env").text("en").body == "Emissions fell.\n\n[[table:env]] More\n"
    assert window.isWindowModified() and window.status.save_label.text() == "Unsaved changes"
    assert window.status.section_label.text() == "1 Environment"
    # Counted a moment after the keys (the keystroke's repaint first): "Emissionsfell." + the table chip + "More".
    qtbot.waitUntil(lambda: window.status.characters_label.text() == "繁 6 · 简 6 · EN 19")
    window.window_actions.save.trigger()
    assert not window.isWindowModified() and window.status.save_label.text().startswith("Saved at ")
    assert open_project(small_project_path).section("env").text("en").body == "Emissions fell.\n\n[[table:env]] More\n"
    window.close()

    reopened = make_window(small_project_path)
    reopened.open_section("env", "en")
    assert reopened.editor_tabs.current_editor().toPlainText().endswith("More")


def test_a_refused_save_keeps_the_edit_and_says_why(make_window, qtbot, small_project_path, monkeypatch):
    from esg_author.core import document as document_module
    from esg_author.core.errors import ProjectSaveError

    def disk_full(project, path):
        raise ProjectSaveError(path, "No space left on device")

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    window = make_window(small_project_path)
    window.open_section("env", "en")
    type_at_end(qtbot, window.editor_tabs.current_editor(), "!")
    before = small_project_path.read_bytes()
    monkeypatch.setattr(document_module, "save_project", disk_full)
    window.window_actions.save.trigger()
    assert shown == [("Cannot save project", f"{small_project_path}: could not save: No space left on device")]
    assert window.isWindowModified() and window.project.section("env").text("en").body.rstrip().endswith("!")
    assert small_project_path.read_bytes() == before
    monkeypatch.setattr(document_module, "save_project", save_project)
    window.window_actions.save.trigger()
    assert not window.isWindowModified()


def test_reopening_the_open_project_reloads_it(make_window, small_project_path):
    from esg_author.core.model import Section

    window = make_window(small_project_path)
    changed = open_project(small_project_path)
    changed.sections.append(Section("new"))
    save_project(changed, small_project_path)  # e.g. changed by the command line meanwhile
    assert window.open_project(small_project_path)  # not "open elsewhere"
    assert window.navigator_model.section_ids() == ["intro", "env", "env-data", "new"]
    assert lock_path_for(small_project_path).exists() and window.document.holds_lock
    window.close()
    assert not lock_path_for(small_project_path).exists()


def _edit_in_window(window):
    from esg_author.core.commands import SetSectionText

    window.document.stack.execute(SetSectionText("env", "en", body="Edited in the window."))
    assert window.document.is_dirty and window.isWindowModified()


def test_reopening_with_unsaved_changes_asks_and_keeps_them_unless_discarded(make_window, small_project_path, monkeypatch):
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked = []

    def question(parent, title, text, buttons, default):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    window = make_window(small_project_path)
    _edit_in_window(window)
    assert not window.open_project(small_project_path)  # cancelled: the edit stays
    assert "small.esgproj" in asked[0]
    assert window.project.section("env").text("en").body == "Edited in the window."
    assert window.open_project(small_project_path)  # discarded: reloaded from disk, lock kept
    assert window.project.section("env").text("en").body == "Emissions fell.\n\n[[table:env]]"
    assert not window.document.is_dirty and window.document.holds_lock and not window.isWindowModified()
    window.close()
    assert not lock_path_for(small_project_path).exists()


def test_closing_with_unsaved_changes_can_save_them(make_window, small_project_path, monkeypatch):
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    window = make_window(small_project_path)
    _edit_in_window(window)
    window.close()  # cancelled: still open, still locked
    assert window.isVisible() and lock_path_for(small_project_path).exists()
    window.close()  # saved, then closed
    assert not window.isVisible() and not lock_path_for(small_project_path).exists()
    assert open_project(small_project_path).section("env").text("en").body == "Edited in the window."


def test_start_page_shows_recent_projects_and_opens_them(make_window, small_project_path, demo_path):
    window = make_window()
    assert window.pages.currentWidget() is window.start_page
    assert not window.window_actions.save.isEnabled()
    assert window.open_project(small_project_path) and window.open_project(demo_path)
    assert window.settings.recent_projects()[:2] == [demo_path, small_project_path]
    recent_actions = [a for a in window.window_actions.recent_menu.actions() if a.data()]
    assert [a.text() for a in recent_actions] == ["&1  demo.esgproj", "&2  small.esgproj"]
    window.window_actions.close_project.trigger()
    assert window.pages.currentWidget() is window.start_page and window.project is None
    assert window.settings.last_project() is None  # closed on purpose: the next start shows the start page
    listed = window.start_page.recent_list
    assert listed.count() == 2 and listed.item(1).text().startswith("small.esgproj\n")
    window.start_page.recent_requested.emit(small_project_path)  # what activating the item does
    assert window.project_path == small_project_path


def test_new_project_starts_from_the_skeleton_and_is_saved_at_once(make_window, tmp_path, monkeypatch):
    def fill_in(dialog):
        dialog.company_field.setText("Acme Holdings")
        dialog.year_field.setValue(2025)
        dialog.language_boxes["zh-Hans"].setChecked(False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewProjectDialog, "exec", fill_in)
    target = tmp_path / "acme"
    window = make_window()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, title, folder, filters: (str(target), filters))
    window.start_page.new_button.click()
    saved = tmp_path / "acme.esgproj"  # the suffix is added
    assert window.project_path == saved and saved.exists() and not window.isWindowModified()
    project = open_project(saved)
    assert project.meta.company["en"] == "Acme Holdings" and project.meta.year == 2025
    assert project.meta.languages == ["zh-Hant", "en"]
    assert window.navigator_model.rowCount() == len(project.children(None)) > 3
    assert [window.language_box.itemData(i) for i in range(window.language_box.count())] == ["zh-Hant", "en"]
    # Chapters with titles only: nothing written or translated yet (not "out of date").
    model, first = window.navigator_model, project.sections[0].id
    assert model.state(first, "zh-Hant") == "empty" and model.state(first, "en") == "missing"


def test_the_demo_opens_as_a_copy_of_the_users_own(make_window, tmp_path, monkeypatch):
    window = make_window()
    monkeypatch.setattr(window.prompts, "choose_project_to_save", lambda title, suggested: tmp_path / "demo.esgproj")
    window.start_page.demo_button.click()
    assert window.project_path == tmp_path / "demo.esgproj" and len(window.project.sections) > 30
    assert window.document.holds_lock and not window.isWindowModified()


def test_the_last_project_opens_again_and_the_command_line_wins(qtbot, small_project_path, demo_path):
    settings = SettingsStore()
    settings.set_last_project(small_project_path)
    window = start_window(parse_app_arguments([]), settings, ui_lang="en")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.project is not None)
    assert window.project_path == small_project_path
    window.close()
    other = start_window(parse_app_arguments([str(demo_path)]), settings, ui_lang="en")
    qtbot.addWidget(other)
    assert other.project_path == demo_path
    other.close()


def test_window_geometry_and_dock_layout_are_remembered(make_window, qtbot):
    window = make_window()
    window.resize(780, 540)
    window.removeDockWidget(window.navigator_dock)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.navigator_dock)
    window.navigator_dock.show()
    window.close()
    settings = SettingsStore()
    assert isinstance(settings.window_state(), QByteArray)
    again = make_window()
    assert again.dockWidgetArea(again.navigator_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert (again.width(), again.height()) == (780, 540)


def test_about_box_names_the_version(make_window, monkeypatch):
    from esg_author import __version__
    from esg_author.gui.about_dialog import AboutDialog

    shown = []
    monkeypatch.setattr(AboutDialog, "exec", lambda dialog: shown.append(dialog.text.text()))
    window = make_window()
    window.window_actions.about.trigger()
    assert __version__ in shown[0] and "Qt " in shown[0]


def test_window_screenshot(make_window, demo_path):
    window = make_window(demo_path)
    image = window.grab()
    assert not image.isNull() and image.width() > 600
    assert window.navigator_model.rowCount() == len(window.project.children(None))

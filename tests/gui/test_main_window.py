"""The minimal main window: open a project, see its sections, switch language, lock handling."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from esg_author.core.storage import lock_path_for
from esg_author.gui.main_window import MainWindow


def test_open_project_shows_numbered_sections(qtbot, small_project_path):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(small_project_path)
    assert window.outline.section_count() == 3
    top = [window.outline.tree.topLevelItem(i).text(0) for i in range(window.outline.tree.topLevelItemCount())]
    assert top == ["關於", "1  環境"]
    assert "我們共有" in window.text_view.toPlainText()
    assert lock_path_for(small_project_path).exists()
    window.language_box.setCurrentIndex(2)  # English
    assert window.outline.tree.topLevelItem(1).text(0) == "1  Environment"
    window.close()
    assert not lock_path_for(small_project_path).exists()


def test_bad_file_shows_one_error_and_keeps_state(qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    bad = tmp_path / "bad.esgproj"
    bad.write_bytes(b"not a project")
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.open_project(bad)
    assert len(shown) == 1 and "not an esg-author project" in shown[0]
    assert window.project is None and bad.read_bytes() == b"not a project"


def test_project_open_elsewhere_is_refused(qtbot, small_project_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    first, second = MainWindow(), MainWindow()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    assert first.open_project(small_project_path)
    assert not second.open_project(small_project_path)
    assert "open elsewhere" in shown[0]
    first.close()


def test_window_screenshot(qtbot, demo_path, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(demo_path)
    qtbot.waitExposed(window)
    image = window.grab()
    assert not image.isNull() and image.width() > 600
    window.close()


def test_reopening_the_open_project_reloads_it(qtbot, small_project_path, monkeypatch):
    from esg_author.core.model import Section
    from esg_author.core.storage import open_project, save_project

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(small_project_path)
    changed = open_project(small_project_path)
    changed.sections.append(Section("new"))
    save_project(changed, small_project_path)  # e.g. changed by the command line meanwhile
    assert window.open_project(small_project_path)  # not "open elsewhere"
    assert shown == []
    assert window.outline.section_count() == 4
    assert lock_path_for(small_project_path).exists() and window.document.holds_lock
    window.close()
    assert not lock_path_for(small_project_path).exists()


def _edit_in_window(window):
    from esg_author.core.commands import SetSectionText

    window.document.stack.execute(SetSectionText("env", "en", body="Edited in the window."))
    assert window.document.is_dirty


def test_reopening_with_unsaved_changes_asks_and_keeps_them_unless_discarded(qtbot, small_project_path, monkeypatch):
    from esg_author.core.storage import open_project

    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked = []

    def question(parent, title, text, buttons, default):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(small_project_path)
    _edit_in_window(window)
    assert not window.open_project(small_project_path)  # cancelled: the edit stays
    assert "small.esgproj" in asked[0]
    assert window.project.section("env").text("en").body == "Edited in the window."
    assert window.open_project(small_project_path)  # discarded: reloaded from disk, lock kept
    assert window.project.section("env").text("en").body == "Emissions fell.\n\n[[table:env]]"
    assert not window.document.is_dirty and window.document.holds_lock
    assert open_project(small_project_path).section("env").text("en").body.startswith("Emissions fell.")
    window.close()
    assert not lock_path_for(small_project_path).exists()


def test_closing_with_unsaved_changes_can_save_them(qtbot, small_project_path, monkeypatch):
    from esg_author.core.storage import open_project

    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_project(small_project_path)
    _edit_in_window(window)
    window.show()
    window.close()  # cancelled: still open, still locked
    assert window.isVisible() and lock_path_for(small_project_path).exists()
    window.close()  # saved, then closed
    assert not window.isVisible() and not lock_path_for(small_project_path).exists()
    assert open_project(small_project_path).section("env").text("en").body == "Edited in the window."

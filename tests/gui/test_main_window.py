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
    assert lock_path_for(small_project_path).exists() and window._lock is not None and window._lock.held
    window.close()
    assert not lock_path_for(small_project_path).exists()

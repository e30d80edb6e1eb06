"""Qt tests run offscreen: without a display a Qt test would otherwise abort the whole run.

Every test gets its own settings file and recovery folder, so nothing a test does reaches the
user's settings or recovery copies, and no test sees what another left behind.
"""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    home = tmp_path / "user-data"
    monkeypatch.setenv("ESG_AUTHOR_DATA_HOME", str(home))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    return home


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch):
    """A dialog a test did not replace fails the test instead of waiting for a click forever."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    def refuse(*args, **_kwargs):
        shown = [str(arg) for arg in args[1:3]]
        raise AssertionError(f"the test did not expect a dialog: {shown}")

    for name in ("question", "critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: refuse(box, box.windowTitle(), box.text()))
    monkeypatch.setattr(QDialog, "exec", lambda dialog: refuse(dialog, dialog.windowTitle()))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", refuse)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", refuse)



@pytest.fixture
def real_message_boxes(monkeypatch):
    """Undo no_unexpected_dialogs for QMessageBox.exec: the test clicks the box itself."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", _REAL_EXEC)


@pytest.fixture
def make_window(qtbot):
    """make_window(path=None) → a shown MainWindow (with path open). At the end, each window's
    document is closed without questions, so unsaved test edits never ask to be saved."""
    from esg_author.gui.main_window import MainWindow

    windows = []

    def make(path=None):
        window = MainWindow()  # not qtbot.addWidget: pytest-qt would close it before this fixture ends
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # shortcuts of the window act only in the active window
        qtbot.waitUntil(window.isActiveWindow)
        if path is not None:
            assert window.open_project(path)
        windows.append(window)
        return window

    yield make
    for window in windows:
        document = window.controller.document
        if document is not None:
            document.close()
            window.controller.document = None
        window.close()
        window.deleteLater()


def _real_exec():
    from PySide6.QtWidgets import QMessageBox

    return QMessageBox.exec


_REAL_EXEC = _real_exec()

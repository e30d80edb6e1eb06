"""Qt tests run offscreen: without a display a Qt test would otherwise abort the whole run."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest


@pytest.fixture(autouse=True)
def _empty_clipboard_after_test(qapp):
    """Qt crashes at exit when the clipboard still holds mime data made by a Python override
    (PySide6 6.12); the section editor is not in the window yet, so only the tests meet it."""
    yield
    qapp.clipboard().clear()

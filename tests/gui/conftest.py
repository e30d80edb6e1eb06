"""Qt tests run offscreen: without a display a Qt test would otherwise abort the whole run."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

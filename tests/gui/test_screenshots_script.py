"""docs/screenshots.py keeps working: it writes a PNG per screen (a subprocess, as it is run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_script_writes_the_screens(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshots.py"), "--out", str(tmp_path),
                             "--only", "start-page", "recovery-prompt", "--ui-lang", "zh-Hant"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    for name in ("start-page", "recovery-prompt"):
        image = QImage(str(tmp_path / f"{name}.png"))
        assert not image.isNull() and image.width() > 300

"""A guard against PySide6 6.12 dropping references to True on Python 3.11, for signals.

Those bindings return True from Signal.emit without taking a reference to it, so every signal
the window emits lowers True's reference count by one; after a few thousand emits (minutes of
typing: each keystroke emits several) CPython aborts with "Fatal Python error: bool_dealloc".
none_refcount.py guards None against the same bug in other calls; this does the same for the
two booleans. The bug is detected, not assumed: with fixed bindings, or on Python 3.12+ (where
True and False are immortal), nothing is changed.
"""

from __future__ import annotations

import ctypes
import logging
import sys

logger = logging.getLogger(__name__)

_RESERVE = 1 << 48
_guarded = False


def emit_drops_true() -> bool:
    """Whether emitting a signal lowers True's reference count."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        probed = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.probed.emit()
    return sys.getrefcount(True) < before - 8


def guard_bool_refcount() -> None:
    """Apply the guard once per process if this Python and these bindings need it."""
    global _guarded
    if _guarded or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    _guarded = True
    if emit_drops_true():
        # ob_refcnt is the first field of every CPython object, and id() is its address.
        for value in (True, False):
            ctypes.c_ssize_t.from_address(id(value)).value += _RESERVE
        logger.info("PySide6 drops references to True: reserved %d references to True and False", _RESERVE)

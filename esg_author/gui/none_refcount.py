"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

Those bindings return None from every void or null-returning C++ method (setProperty,
insertText, textList() outside a list …) without taking a reference to it, so each call lowers
None's reference count by one; after some ten thousand calls CPython aborts with "Fatal Python
error: none_dealloc". An editor makes that many calls within minutes. Python 3.12 made None
immortal, which is why the bindings no longer count; on 3.11 we give None enough references
that it can never reach zero. The bug is detected, not assumed: with fixed bindings, or on 3.12+,
nothing is changed.
"""

from __future__ import annotations

import ctypes
import logging
import sys

logger = logging.getLogger(__name__)

_RESERVE = 1 << 48
_guarded = False


def bindings_drop_none() -> bool:
    """Whether a void PySide6 call lowers None's reference count."""
    from PySide6.QtGui import QTextCharFormat

    fmt = QTextCharFormat()
    before = sys.getrefcount(None)
    for _ in range(16):
        fmt.setObjectType(0)
    return sys.getrefcount(None) < before - 8


def guard_none_refcount() -> None:
    """Apply the guard once per process if this Python and these bindings need it."""
    global _guarded
    if _guarded or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    _guarded = True
    if bindings_drop_none():
        # ob_refcnt is the first field of every CPython object, and id() is its address.
        ctypes.c_ssize_t.from_address(id(None)).value += _RESERVE
        logger.info("PySide6 drops references to None: reserved %d references", _RESERVE)

"""A guard against a PySide6 6.12 reference-count bug on Python 3.11.

With PySide6 6.12 on Python 3.11, every call of a Qt method that returns nothing (``void``:
``painter.save()``, ``font.setPointSizeF()``, ``cursor.insertText()``…) takes one reference
to ``None`` without giving it back. ``None`` starts with a few thousand references, so after
enough calls — one full-record PDF makes hundreds of thousands — Python aborts with "Fatal
Python error: none_dealloc". Python 3.12 made ``None`` immortal, so it is safe there.

:func:`protect_none` gives ``None`` so many references that it can never reach zero. It is
a no-op on Python 3.12 and later, on debug builds, and wherever the count cannot be checked.
"""

from __future__ import annotations

import ctypes
import sys

#: Enough references that no session could ever use them up (2**60 void calls).
_TOP_UP = 1 << 60


def _refcount_cell() -> ctypes.c_ssize_t | None:
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return None  # immortal None (3.12+) or a debug build with another object layout
    cell = ctypes.c_ssize_t.from_address(id(None))
    # Only touch the field if it really is None's reference count (getrefcount adds one).
    if abs(cell.value - (sys.getrefcount(None) - 1)) > 2:
        return None
    return cell


def protect_none() -> bool:
    """Make ``None``'s reference count unreachably high; True when it was (already) done."""
    cell = _refcount_cell()
    if cell is None:
        return False
    if cell.value < _TOP_UP // 2:
        cell.value += _TOP_UP
    return True

"""The family's care record: schema, migrations, validation and queries. No Qt here."""

import sys as _sys


def _import_sqlite_utils_lean() -> None:
    """Import sqlite-utils without the numpy/pandas it loads when they happen to be installed.

    It loads them only to convert their types on insert, which the record never does, and
    they would add 0.1–0.5 s to every start. Other code can still import them normally.
    """
    if "sqlite_utils" in _sys.modules:
        return
    blocked = [name for name in ("numpy", "pandas") if name not in _sys.modules]
    for name in blocked:
        _sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in blocked:
            if _sys.modules.get(name) is None:
                del _sys.modules[name]


_import_sqlite_utils_lean()

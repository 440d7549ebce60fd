"""Helpers shared by the record-safety tests (holds no tests itself)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nbcompanion.record.store import Store, now_iso


def add_child(store: Store, name: str = "Sam") -> int:
    """One child row, written as the app writes."""
    with store.transaction() as db:
        stamp = now_iso()
        return int(db["child"].insert({"name": name, "created_at": stamp,
                                       "updated_at": stamp}).last_pk)


def child_names(path: Path) -> list[str]:
    """The children's names in a record file, read with a plain connection."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM child ORDER BY id")]
    finally:
        conn.close()


def damage(path: Path) -> None:
    """Overwrite the second page of a (closed) record with garbage."""
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xee" * 4096
    path.write_bytes(bytes(data))


def block_modals(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any dialog that a test forgot to replace fail loudly instead of waiting."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a modal dialog was opened that the test did not replace")

    monkeypatch.setattr(QDialog, "exec", refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse))


class Recorder:
    """Stands in for a dialog classmethod: records the calls and returns canned answers."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args + tuple(kwargs.values()))
        return self.answers.pop(0) if self.answers else None


def patch_classmethod(monkeypatch: pytest.MonkeyPatch, cls: type, name: str,
                      recorder: Callable[..., Any]) -> None:
    """Replace ``cls.name`` (a classmethod) by ``recorder`` called without ``cls``."""
    monkeypatch.setattr(cls, name, classmethod(lambda _cls, *a, **k: recorder(*a, **k)))

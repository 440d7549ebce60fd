"""Shared fixtures. GUI tests run offscreen and never touch the user's real data folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from nbcompanion.record import entries
from nbcompanion.record.store import Store, open_store


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every per-user folder (data, settings) at a temporary place."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                     "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv("NBCOMPANION_DATA", raising=False)


@pytest.fixture
def fresh_store() -> Iterator[Store]:
    """An empty in-memory record at the latest schema."""
    store = Store.memory()
    yield store
    store.close()


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[Store]:
    """An empty record in a temporary file, opened as the app opens it."""
    store = open_store(tmp_path / "record.sqlite3")
    yield store
    store.close()


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    """pytest-qt's QApplication arguments."""
    return ["nbcompanion-tests"]


@pytest.fixture(autouse=True)
def _qt_settings_isolated(request: pytest.FixtureRequest) -> None:
    """Keep QSettings of GUI tests in the temporary HOME and start each test clean."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("nbcompanion-tests")
    QCoreApplication.setApplicationName("nbcompanion-tests")
    QSettings().clear()


@pytest.fixture(autouse=True)
def _no_dialog_left_open(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close any dialog a GUI test left open, so no later test meets a modal window."""
    yield
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QApplication, QDialog

    from nbcompanion.ui.background import wait_for_all

    wait_for_all()  # a background check or backup must not outlive its test's files
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(QDialog.DialogCode.Rejected)


@pytest.fixture
def safe_gui(qapp: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For the record-opening tests: a dialog the test did not replace fails loudly instead
    of waiting, and every record lock is released afterwards."""
    from nbcompanion.ui.safety.lock import release_all
    from test_backup_helpers import block_modals

    block_modals(monkeypatch)
    yield
    release_all()


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> object:
    """Every plain message shown (``Notice.show``), as (parent, kind, title, text)."""
    from nbcompanion.ui.safety.dialogs import Notice
    from test_backup_helpers import Recorder, patch_classmethod

    recorder = Recorder()
    patch_classmethod(monkeypatch, Notice, "show", recorder)
    return recorder


@pytest.fixture
def record(tmp_path: Path) -> Path:
    """The path of a record file with one active child, Mia."""
    from nbcompanion.ui.context import AppContext

    path = tmp_path / "record.sqlite3"
    store = open_store(path)
    child_id = entries.save(store, "child", {"name": "Mia", "birth_date": "2021-04-02"})
    store.set_setting(AppContext.ACTIVE_CHILD_KEY, str(child_id))
    store.close()
    return path


@pytest.fixture
def store(record: Path) -> Iterator[Store]:
    """The record with Mia, opened as the app opens it."""
    opened = open_store(record)
    yield opened
    opened.close()


@pytest.fixture
def context(store: Store, qapp: object) -> object:
    """The window's shared state over :func:`store`."""
    from nbcompanion.ui.context import AppContext

    return AppContext(store)


@pytest.fixture(autouse=True)
def _no_unexpected_unit_questions(request: pytest.FixtureRequest,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A question about a number or a unit that a test did not expect fails it (never hangs)."""
    if "qtbot" not in request.fixturenames:
        return
    from nbcompanion.ui import number_fields

    def unexpected(*args: object) -> None:
        pytest.fail(f"unexpected question while saving values: {args[1:]}")

    monkeypatch.setattr(number_fields.WhichNumber, "ask", classmethod(unexpected))
    monkeypatch.setattr(number_fields.ConfirmUnusual, "ask", classmethod(unexpected))


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A record file holding the fictional sample record, made once per test module."""
    from nbcompanion.record.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "sample.sqlite3"
    store = open_store(path)
    build_demo(store)
    store.close()
    return path

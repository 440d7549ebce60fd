"""The background helper: results, failures, progress and Cancel, on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QPushButton

from nbcompanion.ui.background import Cancelled, Progress, run_in_background


def test_result_arrives_on_the_gui_thread(qtbot):
    seen = {}

    def work(progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def success(value: int) -> None:
        seen["value"] = value
        seen["callback"] = threading.get_ident()

    job = run_in_background(None, work, on_success=success)
    qtbot.waitUntil(lambda: job.done)
    assert seen["value"] == 42
    assert seen["worker"] != threading.get_ident()
    assert seen["callback"] == threading.get_ident()


def test_failure_reaches_on_failure(qtbot):
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise OSError("disk full")

    job = run_in_background(None, work, on_failure=errors.append)
    qtbot.waitUntil(lambda: job.done)
    assert len(errors) == 1
    assert str(errors[0]) == "disk full"
    assert job.error is errors[0]


def test_progress_is_reported_in_order(qtbot):
    steps: list[tuple[int, int, str]] = []

    def work(progress: Progress) -> str:
        for n in range(1, 4):
            progress.report(n, 3, f"Page {n} of about 3")
        return "ok"

    job = run_in_background(None, work)
    job.progressed.connect(lambda d, t, s: steps.append((d, t, s)))
    qtbot.waitUntil(lambda: job.done)
    assert job.result == "ok"
    assert [s[0] for s in steps] == sorted(s[0] for s in steps)


def test_cancel_stops_the_work_and_calls_on_cancel(qtbot):
    started = threading.Event()
    outcome: list[str] = []

    def work(progress: Progress) -> None:
        started.set()
        while True:
            progress.report(0)
            time.sleep(0.005)

    job = run_in_background(None, work, on_success=lambda _: outcome.append("success"),
                            on_cancel=lambda: outcome.append("cancelled"))
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: job.done)
    assert outcome == ["cancelled"]
    assert job.was_cancelled


def test_progress_window_cancel_button_cancels(qtbot):
    started = threading.Event()

    def work(progress: Progress) -> None:
        started.set()
        while True:
            progress.check()
            time.sleep(0.005)

    job = run_in_background(None, work, title="Exporting", label="Working…")
    assert started.wait(5)
    assert job.dialog is not None
    button = job.dialog.findChild(QPushButton)
    assert button is not None
    assert button.text() == "Cancel"
    button.click()
    qtbot.waitUntil(lambda: job.done)
    assert job.was_cancelled


def test_check_raises_only_after_cancel():
    progress = Progress()
    progress.check()
    progress.cancel()
    with pytest.raises(Cancelled):
        progress.check()

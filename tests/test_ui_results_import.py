"""Record › Import results from a file…, the review dialog, drop on Tests, and Ctrl+Z."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from nbcompanion.record.store import Store
from nbcompanion.ui.background import wait_for_all
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record import results_import
from nbcompanion.ui.record.import_review import ReviewDialog
from nbcompanion.ui.record.results_import import ResultsImport, import_results

FILES = Path(__file__).parent / "fixtures" / "fhir"


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Messages shown to the family, instead of message boxes."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(results_import.Tell, "message",
                        classmethod(lambda cls, parent, title, text, warning=False:
                                    shown.append((title, text))))
    return shown


def _start(qtbot, context: AppContext, path: Path) -> ResultsImport:
    flow = import_results(context, None, path)
    assert flow is not None
    qtbot.waitUntil(lambda: flow.dialog is not None or flow.finished, timeout=20_000)
    wait_for_all()
    return flow


def _count(store: Store, table: str) -> int:
    return int(store.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_menu_import_review_add_and_undo_as_one_step(
        qtbot, context: AppContext, store: Store, told: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from nbcompanion.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    actions = window.record_actions  # type: ignore[attr-defined]
    assert actions.import_results.text() == "Import results from a file…"
    assert actions.import_results.isEnabled()
    monkeypatch.setattr(results_import.ChooseResultsFile, "ask",
                        classmethod(lambda cls, parent: FILES / "cbc-report.json"))
    flow = actions.on_import_results()
    qtbot.waitUntil(lambda: flow.dialog is not None, timeout=20_000)
    dialog: ReviewDialog = flow.dialog
    assert dialog.isVisible()
    assert dialog.add_button.text() == "Add 5 results"
    assert _count(store, "test_value") == 0  # nothing written before "Add"
    dialog.set_included(1, False)  # leave one row out
    assert dialog.add_button.text() == "Add 4 results"
    dialog.add_button.click()
    assert not dialog.isVisible()
    assert _count(store, "test") == 1
    assert _count(store, "test_value") == 4
    assert told[-1][0] == "Results added"
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert _count(store, "test") == 0
    assert _count(store, "result_source") == 0
    context.undo_stack.redo()
    assert _count(store, "test_value") == 4


def test_mismatched_patient_needs_a_confirmation_before_adding(
        qtbot, context: AppContext, store: Store, told: list[tuple[str, str]]) -> None:
    flow = _start(qtbot, context, FILES / "mixed-bundle.json")  # Mia born 2019, not 2021
    dialog: ReviewDialog = flow.dialog
    assert dialog.warning.isVisible() or not dialog.isHidden()
    assert "another person" in dialog.warning.text().lower()
    assert "Mia Rose Example" in dialog.file_person.text()
    assert dialog.confirm_person.isVisibleTo(dialog)
    for key in list(dialog.questions):
        dialog.answer(key, -1)  # "Other"
    assert not dialog.add_button.isEnabled()
    dialog.confirm_person.setChecked(True)
    assert dialog.add_button.isEnabled()
    dialog.add_button.click()
    assert _count(store, "test") > 0


def test_unanswered_kinds_keep_add_waiting(qtbot, context: AppContext, store: Store,
                                           told: list[tuple[str, str]]) -> None:
    flow = _start(qtbot, context, FILES / "mixed-bundle.json")
    dialog: ReviewDialog = flow.dialog
    dialog.confirm_person.setChecked(True)
    assert not dialog.add_button.isEnabled()
    assert "Blood culture" in dialog.add_button.toolTip()
    rows = range(len(dialog.plan.rows))
    assert "Choose above…" in [dialog.model.text(i, 3) for i in rows]
    for key in list(dialog.questions):
        dialog.answer(key, -1)
    assert dialog.add_button.isEnabled()
    assert "Choose above…" not in [dialog.model.text(i, 3) for i in rows]
    dialog.reject()
    assert _count(store, "test") == 0


def test_duplicates_are_marked_and_unticked(qtbot, context: AppContext, store: Store,
                                            told: list[tuple[str, str]]) -> None:
    first = _start(qtbot, context, FILES / "observations.ndjson")
    first.dialog.add_button.click()
    assert _count(store, "test_value") == 6
    again = _start(qtbot, context, FILES / "observations.ndjson")
    dialog: ReviewDialog = again.dialog
    assert dialog.add_button.text() == "Add 0 results"
    assert not dialog.add_button.isEnabled()
    model = dialog.model
    assert all(model.data(model.index_of(i), Qt.ItemDataRole.CheckStateRole)
               == Qt.CheckState.Unchecked for i in range(len(dialog.plan.rows)))
    assert "Already in the record" in model.text(0, 5)


@pytest.mark.parametrize(("content", "expected"), [
    ("not json at all", "not a FHIR results file"),
    ('{"resourceType": "Bundle", "type": "collection", "entry": []}', "bundle is empty"),
])
def test_bad_files_get_a_message_and_write_nothing(
        qtbot, context: AppContext, store: Store, told: list[tuple[str, str]],
        tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "results.json"
    path.write_text(content, encoding="utf-8")
    flow = _start(qtbot, context, path)
    assert flow.finished
    assert flow.dialog is None
    assert told[-1][0] == "Nothing was brought in"
    assert expected in told[-1][1]
    assert _count(store, "test") == 0


def test_a_file_with_no_lab_results_says_so(qtbot, context: AppContext, store: Store,
                                            told: list[tuple[str, str]],
                                            tmp_path: Path) -> None:
    path = tmp_path / "conditions.json"
    path.write_text(json.dumps({"resourceType": "Condition", "id": "c1",
                                "code": {"text": "Neuroblastoma"},
                                "subject": {"reference": "Patient/1"}}), encoding="utf-8")
    flow = _start(qtbot, context, path)
    assert flow.dialog is None
    assert told[-1][0] == "No lab results in this file"


def test_cancel_while_reading_writes_nothing(qtbot, context: AppContext, store: Store,
                                             told: list[tuple[str, str]],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(path: Path, facts, progress) -> None:
        progress.cancel()
        progress.report(1, 2, "reading")

    monkeypatch.setattr(results_import, "_read", slow)
    flow = _start(qtbot, context, FILES / "cbc-report.json")
    assert flow.finished
    assert flow.dialog is None
    assert flow.job.was_cancelled
    assert told == []
    assert _count(store, "test") == 0


def test_dropping_a_file_on_the_tests_page_opens_the_review(
        qtbot, context: AppContext, store: Store, told: list[tuple[str, str]]) -> None:
    from nbcompanion.ui.record.tests_page import TestsPage

    page = TestsPage(context)
    qtbot.addWidget(page)
    page.show()
    assert page.acceptDrops()
    started: list[ResultsImport] = []
    original = page.import_file
    page.import_file = lambda path: started.append(original(path))  # type: ignore[method-assign]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(FILES / "cbc-report.json"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    assert started
    qtbot.waitUntil(lambda: started[0].dialog is not None, timeout=20_000)
    started[0].dialog.add_button.click()
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=5_000)
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile("/tmp/photo.png")])
    ignored = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, other,
                         Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(ignored)
    assert len(started) == 1


def test_review_dialog_renders_at_laptop_size(qtbot, context: AppContext, store: Store,
                                              told: list[tuple[str, str]],
                                              tmp_path: Path) -> None:
    flow = _start(qtbot, context, FILES / "mixed-bundle.json")
    dialog: ReviewDialog = flow.dialog
    dialog.resize(1366, 768)
    image = dialog.grab()
    assert image.width() == 1366
    model = dialog.model
    assert model.rowCount() >= 5  # grouped by date and report
    last = model.rowCount() - 1
    assert model.data(model.index(last, 0)) == "12 Mar 2024 — Chemistry (3 results)"


def test_review_model_passes_qt_model_checks(qtbot, qtmodeltester, context: AppContext,
                                             store: Store, told: list[tuple[str, str]]) -> None:
    flow = _start(qtbot, context, FILES / "mixed-bundle.json")
    qtmodeltester.check(flow.dialog.model)


def test_fhir_library_stays_off_the_start_up_path(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from nbcompanion.ui.opening import start_window\n"
        "window = start_window(data=__import__('pathlib').Path(sys.argv[1]))\n"
        "window.show(); app.processEvents()\n"
        "window.show_page('tests'); app.processEvents()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fhir', 'fhir_core', 'pydantic', 'nbcompanion') and "
        "(not m.startswith('nbcompanion') or m.startswith('nbcompanion.fhir'))))\n"
        "import os; sys.stdout.flush(); os._exit(0)\n")
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "PYTHONPATH": str(Path(__file__).parent.parent / "src"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "r.sqlite3")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_refused_write_says_so_and_keeps_the_review_open(
        qtbot, context: AppContext, store: Store, told: list[tuple[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from nbcompanion.fhir import apply
    from nbcompanion.record.errors import StorageError

    flow = _start(qtbot, context, FILES / "cbc-report.json")

    def full_disk(*_args, **_kwargs):
        raise StorageError("The disk is full, so nothing could be saved.")

    monkeypatch.setattr(apply, "apply_import", full_disk)
    flow.dialog.add_button.click()
    assert told[-1] == ("Nothing was added", "The disk is full, so nothing could be saved.")
    assert flow.dialog.isVisible()
    assert context.undo_stack.count() == 0
    assert _count(store, "test") == 0

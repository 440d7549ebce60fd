"""In the pseudo-language every word on screen is wrapped and accented ("[Ŝàṽé]"), so any
plain English left on a page or dialog skipped the translation function.

The record holds only accented, non-English words, so what the family typed never counts
as an untranslated sentence. The PDQ reference text is never translated (and is skipped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QWidget

from nbcompanion import i18n
from nbcompanion.record import entries
from nbcompanion.record.store import Store
from nbcompanion.ui import translate
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.kit.pseudocheck import untranslated_texts


@pytest.fixture
def pseudo_context(fresh_store: Store, qapp: object) -> Iterator[AppContext]:
    """A record with one of each kind of entry, all in non-English words, in pseudo."""
    store = fresh_store
    child = entries.save(store, "child", {"name": "Ŵàĺ", "birth_date": "2021-04-02",
                                          "diagnosis_date": "2024-01-10", "stage": "M",
                                          "risk_group": "high"})
    store.set_setting(AppContext.ACTIVE_CHILD_KEY, str(child))
    today = date.today()
    phase = entries.save(store, "phase", {"child_id": child, "kind": "induction",
                                          "start_date": (today - timedelta(days=40)).isoformat(),
                                          "status": "active"})
    entries.save(store, "treatment_event", {"child_id": child, "phase_id": phase,
                                            "kind": "chemo_cycle", "cycle_number": 2,
                                            "date": (today - timedelta(days=3)).isoformat()})
    visit = entries.save(store, "visit", {"child_id": child, "kind": "clinic",
                                          "starts_at": f"{today + timedelta(days=2)}T09:30"})
    entries.save(store, "question", {"child_id": child, "text": "Ŝçàñ?", "visit_id": visit})
    entries.save(store, "diary_entry", {"child_id": child, "at": f"{today}T08:00",
                                        "symptom": "fever", "temperature_c": 38.4})
    entries.save(store, "medicine", {"child_id": child, "name": "Ŝýŕûþ", "dose_times": "08:00"})
    entries.save(store, "care_team_member", {"child_id": child, "name": "Đŕ Ŵû",
                                             "role": "pediatric_oncologist"})
    type_id = int(store.execute("SELECT min(id) FROM test_type").fetchone()[0])
    entries.save(store, "test", {"child_id": child, "test_type_id": type_id,
                                 "status": "result_received",
                                 "date": (today - timedelta(days=5)).isoformat(),
                                 "values": [{"analyte": "Ŵàĺû", "value": 3.2, "unit": "mg/L",
                                             "ref_low": 1, "ref_high": 5}]})
    context = AppContext(store)
    translate.install(i18n.PSEUDO)
    yield context
    translate.install("en")


def _conflicts_dialog(context: AppContext) -> QWidget:
    """The conflicts list with a changed field and a delete, as two laptops leave them."""
    import json

    from nbcompanion.sync import capture
    from nbcompanion.ui.main_window import MainWindow
    from nbcompanion.ui.sharing import ConflictsDialog

    conn = context.store.conn
    with context.store.transaction():
        capture.install(conn)
        # No sync.folder setting: the list reads the conflicts table alone, and a window
        # that believed itself shared would start a sync round after this test ended.
        for table, field, values in (("medicine", "dose", ["5 ḿĝ", "7,5 ḿĝ"]),
                                     ("question", "_deleted", [True, False])):
            row_id = _ids(context, table)
            writes = [{"laptop": laptop, "value": value}
                      for laptop, value in zip(["Ḿûḿ", "Ðàð"], values, strict=True)]
            conn.execute("INSERT INTO sync_conflict VALUES (?, ?, ?, ?, ?)",
                         [f"{table}:{row_id}|{field}", table, row_id, field,
                          json.dumps(writes)])
    window = MainWindow(context)
    return ConflictsDialog(window, window.sync_runner)  # type: ignore[attr-defined]


def _ids(context: AppContext, table: str) -> int:
    return int(context.store.execute(f"SELECT min(id) FROM [{table}]").fetchone()[0])


def _dialogs() -> dict[str, Callable[[AppContext], QWidget]]:
    from nbcompanion.ui.daily.diary import DiaryDialog
    from nbcompanion.ui.daily.medicines import MedicineDialog, SkipReasonDialog
    from nbcompanion.ui.daily.questions import AnswerDialog, QuestionDialog
    from nbcompanion.ui.daily.team import CareTeamDialog
    from nbcompanion.ui.exports import DataExportDialog, ExportOptionsDialog
    from nbcompanion.ui.help import AboutDialog, ShortcutsDialog
    from nbcompanion.ui.main_window import MainWindow
    from nbcompanion.ui.record.child import ChildDialog
    from nbcompanion.ui.record.test_dialog import TestDialog, TestTypeDialog
    from nbcompanion.ui.record.treatment_dialogs import EventDialog, PhaseDialog
    from nbcompanion.ui.record.visit_dialog import VisitDialog
    from nbcompanion.ui.safety.restore_dialog import RestoreDialog
    from nbcompanion.ui.sharing import PassphraseDialog, ShareDialog

    return {
        "child (new)": lambda c: ChildDialog(c),
        "child (edit)": lambda c: ChildDialog(c, _ids(c, "child")),
        "test (new)": lambda c: TestDialog(c),
        "test (edit)": lambda c: TestDialog(c, _ids(c, "test")),
        "test type": lambda c: TestTypeDialog(c),
        "phase (new)": lambda c: PhaseDialog(c),
        "phase (edit)": lambda c: PhaseDialog(c, _ids(c, "phase")),
        "treatment event (new)": lambda c: EventDialog(c),
        "treatment event (edit)": lambda c: EventDialog(c, _ids(c, "treatment_event")),
        "visit (new)": lambda c: VisitDialog(c),
        "visit (edit)": lambda c: VisitDialog(c, _ids(c, "visit")),
        "question (new)": lambda c: QuestionDialog(c),
        "answer": lambda c: AnswerDialog(c, _ids(c, "question")),
        "diary entry (new)": lambda c: DiaryDialog(c),
        "diary entry (edit)": lambda c: DiaryDialog(c, _ids(c, "diary_entry")),
        "care team member (new)": lambda c: CareTeamDialog(c),
        "medicine (new)": lambda c: MedicineDialog(c),
        "medicine (edit)": lambda c: MedicineDialog(c, _ids(c, "medicine")),
        "skipped dose": lambda c: SkipReasonDialog(None, "Ŝýŕûþ"),
        "export options": lambda c: ExportOptionsDialog(
            None, translate.tr("Export visit summary"), translate.tr("Choose what goes in.")),
        "data export": lambda c: DataExportDialog(
            None, [dict(r) for r in c.store.query("SELECT * FROM child")], c.active_child_id),
        "restore": lambda c: RestoreDialog(c),
        "passphrase": lambda c: PassphraseDialog(None, translate.tr("To share this record.")),
        "share": lambda c: ShareDialog(None),
        "conflicts between laptops": _conflicts_dialog,
        "about": lambda c: AboutDialog(MainWindow(c), None, False),
        "keyboard shortcuts": lambda c: ShortcutsDialog(MainWindow(c)),
    }


DIALOGS = sorted(_dialogs())


@pytest.mark.parametrize("name", DIALOGS)
def test_every_word_of_every_dialog_is_translated(qtbot, pseudo_context: AppContext,
                                                  name: str) -> None:
    dialog = _dialogs()[name](pseudo_context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert untranslated_texts(dialog) == []


def test_every_word_of_every_page_and_menu_is_translated(qtbot,
                                                         pseudo_context: AppContext) -> None:
    from nbcompanion.ui.main_window import MainWindow
    from nbcompanion.ui.registry import ordered_pages

    window = MainWindow(pseudo_context)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    found: dict[str, list[str]] = {}
    for spec in ordered_pages():
        window.show_page(spec.key)
        qtbot.wait(10)
        found[spec.key] = untranslated_texts(window)
    seen: set[str] = set()
    left = {}
    for key, texts in found.items():
        fresh = [text for text in texts if text not in seen]  # each text once, where first met
        seen.update(texts)
        if fresh:
            left[key] = fresh
    assert left == {}


def test_every_word_of_the_results_import_review_is_translated(
        qtbot, pseudo_context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from nbcompanion.ui.background import wait_for_all
    from nbcompanion.ui.record import results_import

    monkeypatch.setattr(results_import.Tell, "message",
                        classmethod(lambda cls, parent, title, text, warning=False: None))
    bundle = Path(__file__).parent / "fixtures" / "fhir" / "mixed-bundle.json"
    flow = results_import.import_results(pseudo_context, None, bundle)
    assert flow is not None
    qtbot.waitUntil(lambda: flow.dialog is not None or flow.finished, timeout=20_000)
    wait_for_all()
    dialog = flow.dialog
    assert dialog is not None
    dialog.show()
    # The lab's own words (test names, report titles from the hospital's file) are data.
    lab_words = {"Hemoglobin", "Platelets", "Chemistry", "Ferritin", "Leukocytes", "Blood",
                 "Serum", "Plasma", "Urine", "Creatinine", "Lactate", "dehydrogenase", "Complete",
                 "count", "blood", "in", "by", "or", "Automated", "Neutrophils", "Volume",
                 "Mia", "Rose", "Example"}
    assert untranslated_texts(dialog, allowed=lab_words) == []

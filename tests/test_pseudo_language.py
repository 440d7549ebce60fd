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
    context = AppContext(store)
    translate.install(i18n.PSEUDO)
    yield context
    translate.install("en")


def _dialogs() -> dict[str, Callable[[AppContext], QWidget]]:
    from nbcompanion.ui.record.treatment_dialogs import EventDialog, PhaseDialog
    from nbcompanion.ui.record.visit_dialog import VisitDialog

    return {
        "visit (new)": lambda c: VisitDialog(c),
        "phase (new)": lambda c: PhaseDialog(c),
        "treatment event (new)": lambda c: EventDialog(c),
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

"""Treatment page with its phase and event dialogs, through the real widgets and store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from nbcompanion.record import entries, queries, vocab
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record.treatment_dialogs import EventDialog, PhaseDialog
from nbcompanion.ui.record.treatment_page import TreatmentPage
from nbcompanion.ui.undo import ConfirmDelete


def make_page(qtbot, context: AppContext) -> TreatmentPage:
    page = TreatmentPage(context)
    qtbot.addWidget(page)
    page.show()
    return page


def choose(combo, key) -> None:
    combo.setCurrentIndex(combo.findData(key))


def tree_texts(page: TreatmentPage) -> list[tuple[str, list[str]]]:
    tree = page.tree
    return [(tree.topLevelItem(i).text(0),
             [tree.topLevelItem(i).child(j).text(0)
              for j in range(tree.topLevelItem(i).childCount())])
            for i in range(tree.topLevelItemCount())]


def test_add_a_phase_and_an_event_in_it_then_reopen(qtbot, record: Path, store: Store,
                                                    context: AppContext) -> None:
    page = make_page(qtbot, context)
    assert page.stack.currentWidget() is page.empty
    page.empty.button.click()
    phase_dialog = page.opener.last_dialog
    assert isinstance(phase_dialog, PhaseDialog)
    choose(phase_dialog.fields["kind"], "induction")
    assert phase_dialog.kind_link.link is not None
    assert phase_dialog.kind_link.link.topic == vocab.find(vocab.PHASE_KINDS, "induction").topic
    phase_dialog.fields["start_date"].set_value("2025-01-06")
    phase_dialog.fields["planned_end"].set_value("2025-06-30")
    assert phase_dialog.save()
    assert tree_texts(page) == [("Induction", [])]

    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    page.add_here_button.click()
    event_dialog = page.opener.last_dialog
    assert isinstance(event_dialog, EventDialog)
    phase_id = queries.list_phases(store, context.active_child_id)[0]["id"]
    assert event_dialog.fields["phase_id"].currentData() == phase_id
    choose(event_dialog.fields["kind"], "chemo_cycle")
    assert event_dialog.fields["cycle_number"].isVisibleTo(event_dialog)
    assert not event_dialog.fields["nct_number"].isVisibleTo(event_dialog)
    event_dialog.fields["date"].set_value("2025-01-07")
    event_dialog.fields["cycle_number"].setValue(1)
    event_dialog.fields["drugs"].setText("cyclophosphamide, topotecan")
    assert event_dialog.save()
    assert tree_texts(page) == [("Induction",
                                 ["Chemotherapy cycle 1 — cyclophosphamide, topotecan"])]

    store.close()
    reopened = open_store(record)
    try:
        again = make_page(qtbot, AppContext(reopened))
        assert tree_texts(again) == tree_texts(page)
    finally:
        reopened.close()


def test_clinical_trial_fields_and_hidden_fields_saved_empty(qtbot, store: Store,
                                                            context: AppContext) -> None:
    page = make_page(qtbot, context)
    dialog = page.add_event()
    choose(dialog.fields["kind"], "clinical_trial")
    assert dialog.fields["nct_number"].isVisibleTo(dialog)
    dialog.fields["trial_name"].setText("A study of a new drug")
    dialog.fields["nct_number"].setText("NCT01234567")
    dialog.fields["date"].set_value("2025-03-01")
    choose(dialog.fields["kind"], "surgery")
    dialog.fields["trial_name"].setText("typed while it was a trial")
    assert dialog.save()
    event = queries.list_events(store, context.active_child_id)[0]
    assert event["kind"] == "surgery"
    assert event["trial_name"] is None
    assert event["nct_number"] is None
    assert tree_texts(page) == [("Not part of a phase", ["Surgery"])]


def test_edit_and_delete_with_undo(qtbot, monkeypatch, store: Store,
                                   context: AppContext) -> None:
    child = context.active_child_id
    phase = entries.save(store, "phase", {"child_id": child, "kind": "induction",
                                          "start_date": "2025-01-06", "status": "active"})
    event = entries.save(store, "treatment_event", {"child_id": child, "phase_id": phase,
                                                    "kind": "surgery", "date": "2025-04-01"})
    page = make_page(qtbot, context)
    assert page.select_entry("phase", phase)
    assert page.detail_link.link is not None
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    dialog = page.opener.last_dialog
    choose(dialog.fields["status"], "completed")
    dialog.fields["actual_end"].set_value("2025-06-30")
    assert dialog.save()
    assert page.tree.topLevelItem(0).text(2) == "Completed"

    monkeypatch.setattr(ConfirmDelete, "ask", classmethod(lambda cls, parent, what: True))
    assert page.select_entry("treatment_event", event)
    qtbot.keyClick(page.tree, Qt.Key.Key_Delete)
    assert tree_texts(page) == [("Induction", [])]
    context.undo_stack.undo()
    assert tree_texts(page) == [("Induction", ["Surgery"])]

    assert page.select_entry("phase", phase)
    page.delete_button.click()
    assert tree_texts(page) == [("Not part of a phase", ["Surgery"])]
    context.undo_stack.undo()
    assert tree_texts(page)[0][1] == ["Surgery"]


def test_wrong_dates_show_a_message_beside_the_field(qtbot, store: Store,
                                                     context: AppContext) -> None:
    page = make_page(qtbot, context)
    dialog = page.add_phase()
    assert not dialog.save()  # no kind chosen
    assert dialog.error_labels["kind"].isVisible()
    choose(dialog.fields["kind"], "consolidation")
    dialog.fields["start_date"].set_value("2025-06-01")
    dialog.fields["actual_end"].set_value("2025-01-01")
    assert not dialog.save()
    assert dialog.error_labels["actual_end"].isVisible()
    assert queries.list_phases(store, context.active_child_id) == []
    for name in dialog.fields:
        dialog.show_errors({name: "check"})
        assert dialog.error_labels[name].isVisible()
    event = page.add_event()
    for name in event.fields:
        event.show_errors({name: "check"})
        assert not event.error_labels[name].isHidden()

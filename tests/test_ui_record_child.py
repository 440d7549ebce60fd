"""Child profile dialog, child switcher and the Record menu, with the real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nbcompanion.record import entries, queries, vocab
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record.child import ChildDialog, ChildSwitcher
from nbcompanion.ui.undo import ConfirmDelete


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "record.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def context(store: Store, qapp) -> AppContext:
    return AppContext(store)


def test_adding_a_child_saves_the_profile_and_makes_it_active(
        qtbot, tmp_path: Path, store: Store, context: AppContext) -> None:
    switcher = ChildSwitcher(context)
    qtbot.addWidget(switcher)
    assert switcher.currentText() == "No child yet"
    dialog = ChildDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Add your child"
    dialog.fields["name"].setText("Mia")
    dialog.fields["birth_date"].set_value("2021-04-02")
    dialog.fields["diagnosis_date"].set_value("2023-10-20")
    assert dialog.age_label.text()  # the record layer's wording of the age
    assert "2" in dialog.age_label.text()
    for name, key in (("stage", "M"), ("risk_group", "high"), ("mycn", "amplified"),
                      ("primary_site", "adrenal")):
        combo = dialog.fields[name]
        combo.setCurrentIndex(combo.findData(key))
    dialog.fields["hospital"].setText("Children’s Hospital")
    with qtbot.waitSignal(context.active_child_changed):
        assert dialog.save()
    child_id = context.active_child_id
    assert child_id is not None
    assert switcher.currentText() == "Mia"

    store.close()
    reopened = open_store(tmp_path / "record.sqlite3")
    try:
        child = entries.get(reopened, "child", child_id)
        assert (child["stage"], child["risk_group"], child["mycn"]) == ("M", "high",
                                                                       "amplified")
        edit = ChildDialog(AppContext(reopened), child_id)
        qtbot.addWidget(edit)
        assert edit.fields["hospital"].text() == "Children’s Hospital"
        edit.fields["name"].setText("Mia Rose")
        assert edit.save()
        assert entries.get(reopened, "child", child_id)["name"] == "Mia Rose"
    finally:
        reopened.close()


def test_stage_risk_group_and_each_biomarker_link_to_the_summary(
        qtbot, context: AppContext) -> None:
    dialog = ChildDialog(context)
    qtbot.addWidget(dialog)
    expected = {"stage": vocab.STAGE_TOPIC, "risk_group": vocab.RISK_TOPIC,
                "histology": vocab.HISTOLOGY_TOPIC, "mycn": vocab.MYCN_TOPIC,
                "alk": vocab.ALK_TOPIC, "dna_index": vocab.DNA_INDEX_TOPIC,
                "germline_result": vocab.GERMLINE_TOPIC}
    assert {name: link.topic for name, link in dialog.links.items()} == expected
    targets: list[tuple[str, object]] = []
    context.navigate_requested.connect(lambda page, target: targets.append((page, target)))
    dialog.links["mycn"].linkActivated.emit("topic")
    assert targets == [("reference", vocab.MYCN_TOPIC)]


def test_switching_between_two_children(qtbot, store: Store, context: AppContext) -> None:
    first = entries.save(store, "child", {"name": "Mia"})
    second = entries.save(store, "child", {"name": "Leo"})
    context.set_active_child(first)
    switcher = ChildSwitcher(context)
    qtbot.addWidget(switcher)
    assert [switcher.itemText(i) for i in range(switcher.count())] == ["Leo", "Mia"]  # by name
    with qtbot.waitSignal(context.active_child_changed) as signal:
        switcher.setCurrentIndex(switcher.findData(second))
    assert signal.args == [second]
    assert context.active_child_id == second
    context.set_active_child(first)
    assert switcher.currentData() == first


def test_deleting_a_child_asks_and_ctrl_z_brings_the_whole_record_back(
        qtbot, monkeypatch, store: Store, context: AppContext) -> None:
    mia = entries.save(store, "child", {"name": "Mia"})
    leo = entries.save(store, "child", {"name": "Leo"})
    context.set_active_child(mia)
    asked: list[str] = []
    monkeypatch.setattr(ConfirmDelete, "ask",
                        classmethod(lambda cls, parent, what: asked.append(what) or True))
    dialog = ChildDialog(context, mia)
    qtbot.addWidget(dialog)
    dialog.delete_button.click()
    assert "Mia" in asked[0]
    assert [c["name"] for c in queries.children(store)] == ["Leo"]
    assert context.active_child_id == leo
    context.undo_stack.undo()
    assert sorted(c["name"] for c in queries.children(store)) == ["Leo", "Mia"]


def test_record_menu_and_toolbar_in_the_main_window(qtbot, store: Store,
                                                    context: AppContext) -> None:
    from nbcompanion.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    actions = window.record_actions
    assert not actions.add_test.isEnabled()  # no child yet
    assert actions.add_test.shortcut().toString() == "Ctrl+T"
    assert actions.add_visit.shortcut().toString() == "Ctrl+Shift+V"
    dialog = actions.on_add_child()
    dialog.fields["name"].setText("Mia")
    assert dialog.save()
    assert actions.add_test.isEnabled()
    assert actions.switcher.currentText() == "Mia"
    test_dialog = actions.on_add_test()
    assert test_dialog is not None
    assert test_dialog.isVisible()
    test_dialog.reject()
    edit = actions.on_edit_child()
    assert edit.fields["name"].text() == "Mia"
    edit.reject()


def test_a_child_without_a_name_is_not_saved_and_the_message_is_beside_the_name(
        qtbot, store: Store, context: AppContext) -> None:
    dialog = ChildDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fields["birth_date"].set_value("2021-04-02")
    dialog.fields["diagnosis_date"].set_value("2020-01-01")
    assert "before" in dialog.age_label.text()
    assert not dialog.save()
    assert dialog.error_labels["name"].isVisible()
    assert dialog.error_labels["name"].text()
    assert queries.children(store) == []
    for name in dialog.fields:  # every field can show its message
        dialog.show_errors({name: "check this"})
        assert dialog.error_labels[name].isVisible()


def test_navigation_targets_open_the_right_page_and_entry(qtbot, store: Store,
                                                          context: AppContext) -> None:
    from nbcompanion.ui.main_window import MainWindow

    child = entries.save(store, "child", {"name": "Mia"})
    context.set_active_child(child)
    ferritin = next(t["id"] for t in queries.test_types(store) if t["name"] == "Ferritin")
    test_id = entries.save(store, "test", {"child_id": child, "test_type_id": ferritin,
                                           "date": "2025-01-10", "status": "done"})
    visit_id = entries.save(store, "visit", {"child_id": child, "kind": "clinic",
                                             "starts_at": "2025-01-11T09:00"})
    phase_id = entries.save(store, "phase", {"child_id": child, "kind": "induction",
                                             "start_date": "2025-01-01", "status": "active"})
    event_id = entries.save(store, "treatment_event", {"child_id": child, "phase_id": phase_id,
                                                       "kind": "surgery", "date": "2025-02-01"})
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    context.navigate("tests", {"test_id": test_id})
    assert window.current_page_key() == "tests"
    page = window.page("tests")
    assert page.opener.last_dialog.entry_id == test_id
    page.opener.last_dialog.reject()
    context.navigate("visits", {"visit_id": visit_id})
    visits = window.page("visits")
    assert visits.opener.last_dialog.entry_id == visit_id
    visits.opener.last_dialog.reject()
    context.navigate("treatment", {"event_id": event_id})
    assert window.page("treatment").tree.current_entry() == ("treatment_event", event_id)
    context.navigate("timeline", None)
    assert window.current_page_key() == "timeline"

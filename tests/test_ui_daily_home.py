"""Home: the first-start welcome, and the daily dashboard of the active child."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from nbcompanion.record import entries, queries
from nbcompanion.ui import context as context_module
from nbcompanion.ui.daily import home as home_module
from nbcompanion.ui.daily.home import DEMO_TEXT, HomePage
from nbcompanion.ui.daily.medicines import SkipReasonDialog

NOW = datetime(2026, 3, 10, 8, 5)


def _labels(widget) -> str:
    QApplication.processEvents()  # widgets added to a shown page appear on the next loop turn
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def _home(qtbot, store, *, demo: bool = False) -> HomePage:
    context = context_module.AppContext(store, demo=demo)
    page = HomePage(context, clock=lambda: NOW)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def _child(store, **extra) -> int:
    return entries.save(store, "child", {"name": "Maya", "birth_date": "2022-06-01",
                                         "diagnosis_date": "2025-03-10", "stage": "M",
                                         "risk_group": "high", "mycn": "amplified", **extra})


def test_first_start_offers_adding_a_child_and_the_sample(qtbot, file_store, monkeypatch) -> None:
    page = _home(qtbot, file_store)
    buttons = {b.text(): b for b in page.findChildren(QPushButton) if b.isVisible()}
    assert set(buttons) >= {"Add your child", "Explore with a sample record"}
    assert "Your own record stays exactly as it is" in page.sample_note.text()

    started = []
    monkeypatch.setattr(home_module, "start_sample_record", lambda: started.append(1) or True)
    qtbot.mouseClick(buttons["Explore with a sample record"], Qt.MouseButton.LeftButton)
    assert started == [1]
    assert "opening in its own window" in page.sample_note.text()
    assert queries.children(file_store) == []  # the family's record is untouched


def test_the_sample_failing_to_start_says_how_to_start_it(qtbot, file_store, monkeypatch) -> None:
    page = _home(qtbot, file_store)
    monkeypatch.setattr(home_module, "start_sample_record", lambda: False)
    page.sample_button.click()
    assert "nbcompanion --demo" in page.sample_note.text()


def test_dashboard_shows_the_child_and_every_card(qtbot, file_store) -> None:
    child_id = _child(file_store)
    context_store = file_store
    page = _home(qtbot, context_store)
    page.context.set_active_child(child_id)
    assert set(page.cards) == {"Today's medicines", "Next visit", "Treatment now",
                               "Diagnosis at a glance", "Latest results", "Diary — last 7 days"}
    text = _labels(page)
    assert "Maya" in text
    assert "Stage M · High risk" in text
    assert "Read about: Stage M" in text
    assert "No treatment phase is under way today" in text
    assert DEMO_TEXT not in text


def test_demo_banner_only_in_the_sample(qtbot, file_store) -> None:
    child_id = _child(file_store)
    file_store.set_setting("active_child_id", str(child_id))
    page = _home(qtbot, file_store, demo=True)
    assert DEMO_TEXT in _labels(page)


def test_dashboard_phase_day_visit_questions_diary_and_results(qtbot, file_store) -> None:
    child_id = _child(file_store)
    file_store.set_setting("active_child_id", str(child_id))
    entries.save(file_store, "phase", {"child_id": child_id, "kind": "maintenance",
                                       "start_date": "2026-02-14", "planned_end": "2026-08-12",
                                       "status": "active"})
    visit_id = entries.save(file_store, "visit", {"child_id": child_id, "kind": "clinic",
                                                  "starts_at": "2026-03-17T10:30",
                                                  "place": "Day hospital"})
    entries.save(file_store, "question", {"child_id": child_id, "text": "When is the next MIBG?"})
    entries.save(file_store, "diary_entry", {"child_id": child_id, "at": "2026-03-09T21:10",
                                             "symptom": "fever", "temperature_c": 38.4,
                                             "severity": "moderate"})
    type_id = file_store.query("SELECT id FROM test_type WHERE name LIKE 'Urine%'")[0]["id"]
    for day, value in (("2026-02-01", 30.0), ("2026-03-01", 12.0)):
        entries.save(file_store, "test", {"child_id": child_id, "test_type_id": type_id,
                                          "date": day, "status": "result_received",
                                          "values": [{"analyte": "VMA", "value": value,
                                                      "unit": "mg/L", "ref_high": 10.0}]})
    page = _home(qtbot, file_store)
    text = _labels(page)
    assert "Maintenance" in text
    assert page.findChild(QLabel, "phaseDay").text().startswith("Day 25 of this phase")
    assert "Read about: Maintenance" in text
    assert "When is the next MIBG?" in text
    assert "Fever (38.4 °C)" in text
    assert "outside the lab's range" in text
    assert "↓" in text  # direction only

    with qtbot.waitSignal(page.context.navigate_requested) as blocker:
        page.findChild(QLabel, "result_VMA").linkActivated.emit("open")
    assert blocker.args == ["trends", {"analyte": "VMA"}]
    with qtbot.waitSignal(page.context.navigate_requested) as blocker:
        page.findChild(QLabel, "nextVisitLink").linkActivated.emit("open")
    assert blocker.args == ["visits", {"visit_id": visit_id}]


@pytest.mark.parametrize("status", ["given", "skipped"])
def test_logging_a_dose_from_home(qtbot, file_store, monkeypatch, status) -> None:
    child_id = _child(file_store)
    file_store.set_setting("active_child_id", str(child_id))
    medicine_id = entries.save(file_store, "medicine", {
        "child_id": child_id, "name": "Isotretinoin", "dose": "40 mg",
        "dose_times": "08:00, 20:00", "start_date": "2026-03-01"})
    monkeypatch.setattr(SkipReasonDialog, "ask", classmethod(lambda cls, parent, name: "asleep"))
    page = _home(qtbot, file_store)
    doses = page.todays_doses
    assert doses is not None
    given, skipped = doses.buttons[(medicine_id, doses.doses[0]["due_at"])]
    qtbot.mouseClick(given if status == "given" else skipped, Qt.MouseButton.LeftButton)
    logged = queries.list_doses(file_store, medicine_id)
    assert [row["status"] for row in logged] == [status]
    assert logged[0]["due_at"].startswith("2026-03-10T08:00")
    if status == "skipped":
        assert logged[0]["reason"] == "asleep"
    # The page was rebuilt from the log: the 08:00 dose now shows what was logged.
    expected = "Given at 08:05" if status == "given" else "Skipped at 08:05 (asleep)"
    assert expected in _labels(page)


def test_add_your_child_opens_the_profile_and_the_new_child_fills_home(qtbot, file_store) -> None:
    from nbcompanion.ui.record.child import ChildDialog

    page = _home(qtbot, file_store)
    page.add_child_button.click()
    dialog = page.findChild(ChildDialog)
    assert dialog is not None
    dialog.fields["name"].setText("Leo")
    assert dialog.save()
    QApplication.processEvents()
    assert page.findChild(QLabel, "childName").text() == "Leo"


def test_with_children_but_none_chosen_home_asks_whose_record(qtbot, file_store) -> None:
    _child(file_store)
    second = entries.save(file_store, "child", {"name": "Noa"})
    page = _home(qtbot, file_store)
    assert "Whose record would you like to see?" in _labels(page)
    chooser = next(b for b in page.findChildren(QPushButton) if b.text() == "Noa")
    chooser.click()
    assert page.context.active_child_id == second
    QApplication.processEvents()
    assert page.findChild(QLabel, "childName").text() == "Noa"


def test_home_arrows_never_compare_units_that_cannot_be_compared(qtbot, file_store) -> None:
    child_id = _child(file_store)
    file_store.set_setting("active_child_id", str(child_id))
    type_id = file_store.query("SELECT id FROM test_type WHERE name LIKE 'Urine%'")[0]["id"]
    for day, value, unit in (("2026-01-01", 8.0, "mg/L"), ("2026-02-01", 9.0, "mg/L"),
                             ("2026-03-01", 30.0, "mg/g{creat}")):
        entries.save(file_store, "test", {"child_id": child_id, "test_type_id": type_id,
                                          "date": day, "status": "result_received",
                                          "values": [{"analyte": "VMA", "value": value,
                                                      "unit": unit}]})
    page = _home(qtbot, file_store)
    text = _labels(page)
    assert "VMA per creatinine" in text
    assert "30 mg/g creatinine" in text
    assert "9 mg/L" in text
    # One arrow: 8 → 9 mg/L. The ratio after them is not "up" from 9 mg/L.
    assert text.count("↑") == 1
    assert "↓" not in text

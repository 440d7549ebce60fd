"""Home updates only the cards whose data changed, instead of rebuilding every time."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QApplication, QLabel

from nbcompanion.record import entries
from nbcompanion.ui import context as context_module
from nbcompanion.ui.daily.home import HomePage

START = datetime(2026, 3, 10, 8, 5)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _dashboard(qtbot, store, clock: Clock) -> HomePage:
    child_id = entries.save(store, "child", {"name": "Maya", "birth_date": "2022-06-01",
                                             "stage": "M"})
    store.set_setting("active_child_id", str(child_id))
    entries.save(store, "phase", {"child_id": child_id, "kind": "maintenance",
                                  "start_date": "2026-02-14", "status": "active"})
    page = HomePage(context_module.AppContext(store), clock=clock)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def _texts(card) -> str:
    QApplication.processEvents()
    return "\n".join(label.text() for label in card.findChildren(QLabel) if label.isVisible())


def test_coming_back_with_nothing_changed_rebuilds_nothing(qtbot, file_store) -> None:
    page = _dashboard(qtbot, file_store, Clock())
    before = dict(page.cards)
    page._refreshed_at = 0  # as if the family came back after a while
    page.about_to_show()
    assert page.cards == before
    assert all(page.cards[name] is card for name, card in before.items())


def test_a_new_diary_entry_rebuilds_only_the_diary_card(qtbot, file_store) -> None:
    page = _dashboard(qtbot, file_store, Clock())
    before = dict(page.cards)
    child_id = page.context.active_child_id
    entries.save(file_store, "diary_entry", {"child_id": child_id, "at": "2026-03-10T07:40",
                                             "symptom": "fever", "temperature_c": 38.2})
    page.context.notify_changed("diary_entry")
    changed = {name for name, card in page.cards.items() if card is not before[name]}
    assert changed == {"Diary — last 7 days"}
    assert "Fever (38.2 °C)" in _texts(page.cards["Diary — last 7 days"])
    assert list(page.cards) == list(before)  # same order, same places


def test_the_clock_moves_only_the_cards_that_follow_it(qtbot, file_store) -> None:
    clock = Clock()
    page = _dashboard(qtbot, file_store, clock)
    before = dict(page.cards)
    clock.now = START + timedelta(minutes=3)
    page.update_cards()
    changed = {name for name, card in page.cards.items() if card is not before[name]}
    assert changed == {"Today's medicines", "Next visit"}  # the minute turned; not the day


def test_a_new_day_or_another_child_rebuilds_the_whole_page(qtbot, file_store) -> None:
    clock = Clock()
    page = _dashboard(qtbot, file_store, clock)
    day_one = dict(page.cards)
    clock.now = START + timedelta(days=1)
    page.update_cards()
    assert all(page.cards[name] is not card for name, card in day_one.items())
    assert "Day 26 of this phase" in _texts(page.cards["Treatment now"])

    other = entries.save(file_store, "child", {"name": "Theo"})
    page.context.notify_changed("child")
    page.context.set_active_child(other)
    assert "Theo" in _texts(page)
    assert "Day 26 of this phase" not in _texts(page)

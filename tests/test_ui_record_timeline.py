"""The painted timeline: geometry, clicking a mark opens its entry, zoom, the list view."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage

from nbcompanion.record import entries, queries
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record.test_dialog import TestDialog
from nbcompanion.ui.record.timeline import TimelinePage
from nbcompanion.ui.record.timeline_canvas import lane_box
from nbcompanion.ui.record.treatment_dialogs import PhaseDialog
from nbcompanion.ui.record.visit_dialog import VisitDialog


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "record.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def context(store: Store, qapp) -> AppContext:
    child_id = entries.save(store, "child", {"name": "Mia", "birth_date": "2021-04-02"})
    context = AppContext(store)
    context.set_active_child(child_id)
    return context


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


@pytest.fixture
def filled(store: Store, context: AppContext) -> dict[str, int]:
    child = context.active_child_id
    ferritin = next(t["id"] for t in queries.test_types(store) if t["name"] == "Ferritin")
    return {
        "phase": entries.save(store, "phase", {"child_id": child, "kind": "induction",
                                               "start_date": days_ago(200),
                                               "planned_end": days_ago(50),
                                               "status": "completed"}),
        "test": entries.save(store, "test", {"child_id": child, "test_type_id": ferritin,
                                             "date": days_ago(120), "status": "done"}),
        "visit": entries.save(store, "visit", {"child_id": child, "kind": "clinic",
                                               "starts_at": days_ago(30) + "T10:00"}),
    }


def make_page(qtbot, context: AppContext) -> TimelinePage:
    page = TimelinePage(context)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    qtbot.waitExposed(page)
    return page


def click_mark(qtbot, page: TimelinePage, table: str, entry_id: int) -> None:
    mark = page.canvas.mark_of(table, entry_id)
    assert mark is not None
    page.scroll_area.ensureVisible(int(mark.rect.center().x()), int(mark.rect.center().y()))
    qtbot.mouseClick(page.canvas, Qt.MouseButton.LeftButton,
                     pos=mark.rect.center().toPoint())


def test_marks_sit_where_the_mapping_says(qtbot, context: AppContext,
                                          filled: dict[str, int]) -> None:
    page = make_page(qtbot, context)
    canvas = page.canvas
    mark = canvas.mark_of("test", filled["test"])
    day = date.fromisoformat(days_ago(120))
    assert canvas.x_of(day) <= mark.rect.center().x() <= canvas.x_of(day + timedelta(days=1))
    top, height = lane_box("lab")
    assert top <= mark.rect.center().y() <= top + height
    assert canvas.day_at(mark.rect.center().x()) == day


def test_clicking_a_mark_opens_the_entry_in_its_dialog(qtbot, context: AppContext,
                                                       filled: dict[str, int]) -> None:
    page = make_page(qtbot, context)
    click_mark(qtbot, page, "test", filled["test"])
    dialog = page.opener.last_dialog
    assert isinstance(dialog, TestDialog)
    assert dialog.entry_id == filled["test"]
    dialog.reject()
    click_mark(qtbot, page, "visit", filled["visit"])
    dialog = page.opener.last_dialog
    assert isinstance(dialog, VisitDialog)
    assert dialog.entry_id == filled["visit"]
    dialog.reject()
    band = page.canvas.phase_rect(entries.get(context.store, "phase", filled["phase"]))
    qtbot.mouseClick(page.canvas, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(band.left() + 10), int(band.center().y())))
    dialog = page.opener.last_dialog
    assert isinstance(dialog, PhaseDialog)
    assert dialog.entry_id == filled["phase"]
    dialog.reject()


def test_zoom_keeps_the_day_under_the_pointer(qtbot, context: AppContext,
                                              filled: dict[str, int]) -> None:
    page = make_page(qtbot, context)
    before = page.canvas.px_per_day
    width_before = page.canvas.width()
    page.zoom_in_button.click()
    assert page.canvas.px_per_day == pytest.approx(before * 2)
    assert page.canvas.width() > width_before
    bar = page.scroll_area.horizontalScrollBar()
    anchor = bar.value() + 100.0
    day = page.canvas.day_at(anchor)
    page.zoom_to(page.canvas.px_per_day * 1.25, anchor)
    assert abs(page.canvas.day_at(bar.value() + 100.0) - day) <= timedelta(days=1)
    page.fit_button.click()
    assert page.canvas.width() <= page.scroll_area.viewport().width()


def test_ctrl_wheel_asks_for_zoom(qtbot, context: AppContext, filled: dict[str, int]) -> None:
    from PySide6.QtCore import QPoint as Point
    from PySide6.QtGui import QWheelEvent

    page = make_page(qtbot, context)
    before = page.canvas.px_per_day
    event = QWheelEvent(QPointF(50, 50), QPointF(50, 50), Point(0, 0), Point(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    page.canvas.wheelEvent(event)
    assert page.canvas.px_per_day > before


def test_the_list_alternative_opens_entries_with_the_keyboard(qtbot, qtmodeltester,
                                                              context: AppContext,
                                                              filled: dict[str, int]) -> None:
    page = make_page(qtbot, context)
    page.list_button.click()
    assert page.stack.currentWidget() is page.list_view
    model = page.list_model
    assert [model.row_dict(r)["table"] for r in range(model.rowCount())] == [
        "visit", "test", "phase"]
    qtmodeltester.check(model)
    page.list_view.selectRow(1)
    qtbot.keyClick(page.list_view, Qt.Key.Key_Return)
    assert page.opener.last_dialog.entry_id == filled["test"]
    page.opener.last_dialog.reject()


def test_today_is_marked_and_the_canvas_paints(qtbot, context: AppContext,
                                               filled: dict[str, int]) -> None:
    page = make_page(qtbot, context)
    canvas = page.canvas
    image = QImage(canvas.size(), QImage.Format.Format_ARGB32)
    canvas.render(image)
    x = int(canvas.x_of(date.today()) + canvas.px_per_day / 2)
    colour = image.pixelColor(x, 150)
    assert (colour.red(), colour.green(), colour.blue()) == (0xC5, 0x1B, 0x7D)


def test_a_new_entry_appears_on_the_timeline(qtbot, store: Store, context: AppContext,
                                             filled: dict[str, int]) -> None:
    page = make_page(qtbot, context)
    visit_id = entries.save(store, "visit", {"child_id": context.active_child_id,
                                             "kind": "scan_day",
                                             "starts_at": days_ago(-10) + "T08:00"})
    context.notify_changed("visit")
    mark = page.canvas.mark_of("visit", visit_id)
    assert mark is not None
    assert mark.hollow


def test_empty_record_shows_a_sentence_not_a_blank_canvas(qtbot, store: Store,
                                                          context: AppContext) -> None:
    page = make_page(qtbot, context)
    assert page.stack.currentWidget() is page.empty
    assert "Nothing is recorded for Mia yet" in page.empty.message.text()

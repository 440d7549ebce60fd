"""Timeline page: the painted timeline with zoom and scrolling, and the same entries as a
list for the keyboard and screen readers."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record.common import (
    EmptyState,
    EntryTableView,
    RecordPage,
    child_name,
    day_text,
    heading,
    muted,
)
from nbcompanion.ui.record.timeline_canvas import (
    HEIGHT,
    LANES,
    MARK_COLOURS,
    PAD_X,
    TimelineCanvas,
    lane_labels_width,
)
from nbcompanion.ui.record.treatment_dialogs import event_title
from nbcompanion.ui.tablemodel import Column, LazyTableModel
from nbcompanion.ui.translate import tr

_TABLE_WORDS = {"phase": N_("Phase"), "treatment_event": N_("Treatment"), "test": N_("Test"),
                "visit": N_("Visit")}


class TimelineScrollArea(QScrollArea):
    """The scrolling frame of the timeline; says when its visible width changed.

    A signal rather than an event filter: a filter would be called while the page is being
    destroyed, which crashes PySide at exit.

    Signals:
        resized(): the visible area changed size.
    """

    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Pass the resize on, then tell the page."""
        super().resizeEvent(event)
        self.resized.emit()


class LaneLabels(QWidget):
    """The fixed column naming each lane, beside the scrolling timeline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(lane_labels_width(), HEIGHT)

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Lane titles, each with the colour of its marks."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.Text)
        for key, title, top, height in LANES:
            colour = MARK_COLOURS.get(key)
            if colour:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(colour))
                painter.drawEllipse(6, int(top + height / 2 - 4), 8, 8)
            painter.setPen(text)
            painter.drawText(20, int(top), self.width() - 22, int(height),
                             int(Qt.AlignmentFlag.AlignVCenter), title)
        painter.end()


def _list_columns() -> list[Column]:
    return [
        Column("date", "Date", format=lambda r: day_text(r.get("date"))),
        Column("table", "Kind", format=lambda r: tr(_TABLE_WORDS.get(r.get("table") or "", ""))),
        Column("what", "What"),
    ]


def list_rows(data: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every entry of the timeline as one list, newest first (``id`` is the list position)."""
    rows: list[dict[str, Any]] = []
    for phase in data.get("phases", []):
        rows.append({"table": "phase", "entry_id": phase["id"], "date": phase.get("start_date"),
                     "what": vocab.label(vocab.PHASE_KINDS, phase.get("kind")) + " begins"})
    for event in data.get("events", []):
        rows.append({"table": "treatment_event", "entry_id": event["id"],
                     "date": event.get("date"), "what": event_title(event)})
    for test in data.get("tests", []):
        status = vocab.label(vocab.TEST_STATUSES, test.get("status")).lower()
        rows.append({"table": "test", "entry_id": test["id"], "date": test.get("date"),
                     "what": f"{test.get('type_name') or 'Test'} ({status})"})
    for visit in data.get("visits", []):
        rows.append({"table": "visit", "entry_id": visit["id"],
                     "date": visit.get("starts_at"),
                     "what": vocab.label(vocab.VISIT_KINDS, visit.get("kind"), "Visit")
                     + (f", {visit['place']}" if visit.get("place") else "")})
    rows.sort(key=lambda r: r.get("date") or "", reverse=True)
    for index, row in enumerate(rows):
        row["id"] = index
    return rows


class TimelinePage(RecordPage):
    """Phases as bands, tests and visits as marks, today marked; click a mark to open it."""

    watched = ("phase", "treatment_event", "test", "visit", "test_type")
    CHART_HINT = N_("Click a mark to open it. Hold Ctrl and turn the mouse wheel to zoom, or "
                    "use the buttons.")
    LIST_HINT = N_("Everything by date, newest first. Double-click a row, or press Enter, to "
                   "open it.")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._rows: list[dict[str, Any]] = []
        self._data: dict[str, list[dict[str, Any]]] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(heading(tr("Timeline")))
        self.subtitle = muted(tr(self.CHART_HINT))
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        self.zoom_out_button = QPushButton(tr("Zoom out"))
        self.zoom_in_button = QPushButton(tr("Zoom in"))
        self.fit_button = QPushButton(tr("Show everything"))
        self.today_button = QPushButton(tr("Today"))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(0.5))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(2.0))
        self.fit_button.clicked.connect(self.fit_all)
        self.today_button.clicked.connect(self.scroll_to_today)
        self.chart_button = QPushButton(tr("As a picture"))
        self.list_button = QPushButton(tr("As a list"))
        group = QButtonGroup(self)
        for button in (self.chart_button, self.list_button):
            button.setCheckable(True)
            group.addButton(button)
        self.chart_button.setChecked(True)
        self.chart_button.toggled.connect(self._on_chart_button_toggled)
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button,
                       self.today_button, self.chart_button, self.list_button):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.canvas = TimelineCanvas()
        self.canvas.mark_clicked.connect(self.open_entry)
        self.canvas.zoom_changed.connect(self._on_canvas_zoom_changed)
        self.scroll_area = TimelineScrollArea()
        self.scroll_area.setAccessibleName(tr("Timeline picture (scrolls sideways)"))
        self.scroll_area.setWidget(self.canvas)
        self.scroll_area.setWidgetResizable(False)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar_height = self.scroll_area.horizontalScrollBar().sizeHint().height()
        self.scroll_area.setFixedHeight(HEIGHT + bar_height + 4)
        chart = QWidget()
        chart_layout = QVBoxLayout(chart)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.setSpacing(0)
        row.addWidget(LaneLabels(), 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.scroll_area, 1, Qt.AlignmentFlag.AlignTop)
        chart_layout.addLayout(row)
        chart_layout.addWidget(muted(tr("Filled marks are done; hollow marks are scheduled or "
                                     "still to come. A band runs from a phase’s start to its "
                                     "end (or its planned end, or today).")))
        chart_layout.addStretch(1)

        self.list_model = LazyTableModel(_list_columns(), self._fetch_list,
                                         lambda: len(self._rows), parent=self)
        self.list_view = EntryTableView()
        self.list_view.setObjectName("timeline_list")
        self.list_view.setAccessibleName(tr("Timeline as a list, newest first"))
        self.list_view.setModel(self.list_model)
        self.list_view.setColumnWidth(0, 120)
        self.list_view.setColumnWidth(1, 100)
        self.list_view.entry_activated.connect(self._on_list_view_entry_activated)

        self.empty = EmptyState()
        self.empty.action_clicked.connect(self._on_empty_action_clicked)
        self.stack = QStackedWidget()
        self.stack.addWidget(chart)
        self.stack.addWidget(self.list_view)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        self._auto_fit = True  # until the user zooms, the whole record fits the view
        self.scroll_area.resized.connect(self._on_scroll_resized)
        self.refresh()

    # -- data --------------------------------------------------------------------------------
    def _fetch_list(self, offset: int, limit: int, _sort: str | None,
                    _descending: bool) -> list[dict[str, Any]]:
        return self._rows[offset:offset + limit]

    def refresh(self) -> None:
        """Reload the active child's timeline."""
        from nbcompanion.record import queries

        child_id = self.context.active_child_id
        name = child_name(self.context)
        data: dict[str, list[dict[str, Any]]] = {}
        if child_id is not None and name is not None:
            data = queries.timeline(self.context.store, child_id)
        self.canvas.set_data(data, date.today())
        self._data = data
        self._rows = list_rows(data) if self.list_button.isChecked() else []
        self.list_model.refresh()
        has_entries = any(data.get(key) for key in ("phases", "events", "tests", "visits"))
        buttons = (self.zoom_out_button, self.zoom_in_button, self.fit_button,
                   self.today_button, self.chart_button, self.list_button)
        if name is None:
            self.empty.set_content(tr("There is no child in the record yet. Add your child "
                                   "first; then their timeline is drawn here."),
                                   tr("Add your child…"))
        elif not has_entries:
            self.empty.set_content(tr("Nothing is recorded for {name} yet. Tests, visits and "
                                      "treatment phases appear here as they are added.").format(
                                      name=name), None)
        if name is None or not has_entries:
            for button in buttons:
                button.setEnabled(False)
            self.stack.setCurrentWidget(self.empty)
            return
        for button in buttons:
            button.setEnabled(True)
        self.stack.setCurrentIndex(0 if self.chart_button.isChecked() else 1)
        if self._auto_fit:
            self.fit_all()

    # -- zoom and scrolling ------------------------------------------------------------------
    def zoom_by(self, factor: float) -> None:
        """Zoom around the middle of the view."""
        bar = self.scroll_area.horizontalScrollBar()
        middle = bar.value() + self.scroll_area.viewport().width() / 2
        self.zoom_to(self.canvas.px_per_day * factor, middle)

    def zoom_to(self, px_per_day: float, anchor_x: float) -> None:
        """Set the zoom keeping the day under content x ``anchor_x`` where it is on screen."""
        self._auto_fit = False
        bar = self.scroll_area.horizontalScrollBar()
        on_screen = anchor_x - bar.value()
        day = self.canvas.day_at(anchor_x)
        self.canvas.set_zoom(px_per_day)
        bar.setMaximum(max(0, self.canvas.width() - self.scroll_area.viewport().width()))
        bar.setValue(int(self.canvas.x_of(day) - on_screen))

    @Slot(float, float)
    def _on_canvas_zoom_changed(self, px_per_day: float, anchor_x: float) -> None:
        self.zoom_to(px_per_day, anchor_x)

    @Slot()
    def fit_all(self) -> None:
        """Zoom so that the whole record fits the width of the view."""
        self._auto_fit = True
        days = max((self.canvas.end - self.canvas.start).days + 1, 1)
        width = max(self.scroll_area.viewport().width(), 400) - 2 * PAD_X - 2
        self.canvas.set_zoom(width / days)
        self.scroll_area.horizontalScrollBar().setValue(0)

    @Slot()
    def _on_scroll_resized(self) -> None:
        # Keep the whole record in view as the window is resized, until the user zooms.
        if self._auto_fit and self.canvas.has_entries():
            self.fit_all()

    @Slot()
    def scroll_to_today(self) -> None:
        """Bring today to the middle of the view."""
        bar = self.scroll_area.horizontalScrollBar()
        bar.setMaximum(max(0, self.canvas.width() - self.scroll_area.viewport().width()))
        bar.setValue(int(self.canvas.x_of(date.today()) - self.scroll_area.viewport().width() / 2))

    @Slot(bool)
    def _on_chart_button_toggled(self, checked: bool) -> None:
        if not checked and not self._rows:
            # The list is built when first asked for: ten years make tens of thousands of rows.
            self._rows = list_rows(self._data)
            self.list_model.refresh()
        if self.canvas.has_entries():
            self.stack.setCurrentIndex(0 if checked else 1)
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button,
                       self.today_button):
            button.setVisible(checked)
        self.subtitle.setText(tr(self.CHART_HINT if checked else self.LIST_HINT))

    # -- opening entries ---------------------------------------------------------------------
    @Slot(str, int)
    def open_entry(self, table: str, entry_id: int) -> QWidget:
        """Open the entry behind a mark in its own dialog."""
        from nbcompanion.ui.record.test_dialog import TestDialog
        from nbcompanion.ui.record.treatment_dialogs import EventDialog, PhaseDialog
        from nbcompanion.ui.record.visit_dialog import VisitDialog

        dialog_class = {"test": TestDialog, "visit": VisitDialog, "phase": PhaseDialog,
                        "treatment_event": EventDialog}[table]
        return self.opener.show(dialog_class(self.context, entry_id, parent=self))

    @Slot(int)
    def _on_list_view_entry_activated(self, position: int) -> None:
        row = self._rows[position]
        self.open_entry(row["table"], int(row["entry_id"]))

    @Slot()
    def _on_empty_action_clicked(self) -> None:
        from nbcompanion.ui.record.child import ChildDialog

        self.opener.show(ChildDialog(self.context, parent=self))

    def open_target(self, _target: object) -> None:
        """Navigation: the timeline has no entry of its own to open."""

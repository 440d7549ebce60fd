"""Tests & results: every test of the active child, sorted and filtered by the database,
with the history of the selected kind of test beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.record.units import unit_after
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import OptionalDateEdit
from nbcompanion.ui.record.common import (
    EntryTableView,
    RecordPage,
    child_name,
    day_text,
    muted,
    number_text,
    outside_range,
)
from nbcompanion.ui.record.test_dialog import OUTSIDE_TEXT, TestDialog
from nbcompanion.ui.record.unit_notice import UnitsNotice
from nbcompanion.ui.tablelayout import fit_columns
from nbcompanion.ui.tablemodel import Column, LazyTableModel
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import delete_with_undo
from nbcompanion.wording import count_text, range_text


def _status(row: dict[str, Any]) -> str:
    return vocab.label(vocab.TEST_STATUSES, row.get("status"))


def _first_line(key: str) -> Any:
    def text(row: dict[str, Any]) -> str:
        value = row.get(key) or ""
        return value.splitlines()[0] if value else ""
    return text


def _range_text(value: dict[str, Any]) -> str:
    return range_text(value.get("ref_low"), value.get("ref_high"))


def values_cell(row: dict[str, Any]) -> str:
    """"VMA 12.5 mg/L · HVA 8 mg/L"."""
    parts = []
    for value in row.get("values") or []:
        text = f"{value['analyte']} {number_text(value['value'])}"
        if value.get("unit"):
            text += f" {unit_after(value['value'], value['unit'])}"
        parts.append(text)
    return " · ".join(parts)


def outside_cell(row: dict[str, Any]) -> str:
    """The analytes whose value lies outside the lab's own range — no judgement beyond that."""
    return ", ".join(v["analyte"] for v in row.get("values") or []
                     if outside_range(v["value"], v.get("ref_low"), v.get("ref_high")))


def result_cell(row: dict[str, Any]) -> str:
    """The values, or else the first line of the written result, or the status."""
    return values_cell(row) or _first_line("result_text")(row) or _status(row)


def result_tooltip(row: dict[str, Any]) -> str:
    """The values with their ranges, then the written result."""
    return "\n\n".join(t for t in (values_tooltip(row), row.get("result_text") or "") if t)


def values_tooltip(row: dict[str, Any]) -> str:
    """Each value on its own line, with the lab's range beside it."""
    lines = []
    for value in row.get("values") or []:
        line = (f"{value['analyte']}: {number_text(value['value'])} "
                f"{unit_after(value['value'], value.get('unit'))}")
        if _range_text(value):
            line += f" — lab’s range {_range_text(value)}"
            if outside_range(value["value"], value.get("ref_low"), value.get("ref_high")):
                line += f", {OUTSIDE_TEXT}"
        lines.append(line.strip())
    return "\n".join(lines)


def _sort_key(name: str) -> str | None:
    """The record layer's sort key ``name``, if it offers it."""
    from nbcompanion.record import queries

    return name if name in queries.TEST_SORTS else None


def test_columns() -> list[Column]:
    """The columns of the tests table."""
    return [
        Column("date", "Date", sort=_sort_key("date"), format=lambda r: day_text(r.get("date"))),
        Column("type_name", "Test", sort=_sort_key("type")),
        Column("status", "Status", sort=_sort_key("status"), format=_status),
        Column("values_text", "Values", format=values_cell, tooltip=values_tooltip),
        Column("outside", "Outside the lab’s range", format=outside_cell,
               tooltip=values_tooltip),
        Column("result_text", "Written result", format=_first_line("result_text"),
               tooltip=lambda r: r.get("result_text") or ""),
        Column("place", "Place", sort=_sort_key("place")),
    ]


def history_columns() -> list[Column]:
    """The columns of a test type's history."""
    return [
        Column("date", "Date", format=lambda r: day_text(r.get("date"))),
        Column("result", "Result", format=result_cell, tooltip=result_tooltip),
        Column("outside", "Outside the lab’s range", format=outside_cell),
    ]


class TestsPage(RecordPage):
    """The tests table with its filters, the type's history, and the add/edit/delete actions."""

    __test__ = False
    watched = ("test", "test_value", "test_type", "analyte", "care_team_member")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._history_type: int | None = None
        # A FHIR file from the hospital can be dropped here to import its results.
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        self.add_button = QPushButton(tr("Add a test or result…"))
        self.add_button.setToolTip("Ctrl+T")
        self.add_button.clicked.connect(self.add_test)
        self.add_header(layout, tr("Tests & results"), buttons=(self.add_button,))

        self.filters = QWidget()
        bar = QHBoxLayout(self.filters)
        bar.setContentsMargins(0, 0, 0, 0)
        self.type_filter = QComboBox()
        self.type_filter.setAccessibleName(tr("Show which test"))
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(tr("Show which status"))
        self.status_filter.addItem(tr("Any status"), None)
        for choice in vocab.TEST_STATUSES:
            self.status_filter.addItem(choice.label, choice.key)
        self.from_filter = OptionalDateEdit(empty_text=tr("Any date"))
        self.from_filter.setAccessibleName(tr("From date"))
        self.to_filter = OptionalDateEdit(empty_text=tr("Any date"))
        self.to_filter.setAccessibleName(tr("To date"))
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(tr("Search…"))
        self.text_filter.setToolTip(tr("Finds words in the test’s name, place, clinician, written "
                                    "result and notes"))
        self.text_filter.setAccessibleName(tr("Search the tests"))
        self.text_filter.setClearButtonEnabled(True)
        self.clear_button = QPushButton(tr("Clear filters"))
        for text, widget in ((tr("Test:"), self.type_filter), (tr("Status:"), self.status_filter),
                             (tr("From:"), self.from_filter), (tr("to"), self.to_filter)):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.text_filter, 1)
        bar.addWidget(self.clear_button)
        layout.addWidget(self.filters)
        self.count_label = muted()
        layout.addWidget(self.count_label)
        self.units_notice = UnitsNotice()
        self.units_notice.open_requested.connect(self.open_test)
        layout.addWidget(self.units_notice)

        self.model = LazyTableModel(test_columns(), self._fetch, self._count,
                                    default_sort="date", descending=True, parent=self)
        self.table = EntryTableView()
        self.table.setObjectName("tests_table")
        self.table.setAccessibleName(tr("Tests and results"))
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        # Columns as wide as what they hold; the values take the spare width.
        fit_columns(self.table, stretch=3, caps={1: 260, 4: 170, 5: 220, 6: 170},
                    give_way=(6, 5, 4, 1), stretch_min=340)
        self.table.entry_activated.connect(self.open_test)
        self.table.delete_pressed.connect(self.delete_test)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

        self.history = QWidget()
        side = QVBoxLayout(self.history)
        side.setContentsMargins(0, 6, 0, 0)
        self.history_title = QLabel(tr("History of this test"))
        self.history_title.setStyleSheet("font-weight: 600; font-size: 12pt;")
        self.history_title.setWordWrap(True)
        side.addWidget(self.history_title)
        self.history_hint = muted(tr("Choose a test in the table to see every result of that "
                                  "kind, newest first."))
        side.addWidget(self.history_hint)
        self.history_model = LazyTableModel(history_columns(), self._fetch_history,
                                            self._count_history, parent=self)
        self.history_table = EntryTableView()
        self.history_table.setObjectName("history_table")
        self.history_table.setAccessibleName(tr("History of this test"))
        self.history_table.setModel(self.history_model)
        fit_columns(self.history_table, stretch=1, caps={2: 200}, give_way=(2,))
        self.history_table.entry_activated.connect(self.open_test)
        self.history_table.delete_pressed.connect(self.delete_test)
        side.addWidget(self.history_table, 1)
        self.history_add = QPushButton(tr("Add a result of this test…"))
        self.history_add.clicked.connect(self._on_history_add_clicked)
        self.history_add.setEnabled(False)
        side.addWidget(self.history_add, 0, Qt.AlignmentFlag.AlignLeft)

        # The history sits under the table, so the table keeps the window's full width.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.add_content(layout, splitter)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(250)
        self._text_timer.timeout.connect(self.apply_filters)
        self.text_filter.textChanged.connect(self._text_timer.start)
        for combo in (self.type_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        for edit in (self.from_filter, self.to_filter):
            edit.dateChanged.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self._fill_type_filter()
        self._update_states()
        self._reload_history()
        if self.model.rowCount():
            self.table.selectRow(0)

    # -- filters -----------------------------------------------------------------------------
    def filters_now(self) -> dict[str, Any]:
        """The filters as keyword arguments of ``queries.list_tests``."""
        return {"type_id": self.type_filter.currentData(),
                "status": self.status_filter.currentData(),
                "date_from": self.from_filter.value(), "date_to": self.to_filter.value(),
                "text": self.text_filter.text().strip() or None}

    def has_filters(self) -> bool:
        """True when any filter narrows the list."""
        return any(v is not None for v in self.filters_now().values())

    def _fill_type_filter(self) -> None:
        from nbcompanion.record import queries

        current = self.type_filter.currentData()
        self.type_filter.blockSignals(True)
        self.type_filter.clear()
        self.type_filter.addItem(tr("All tests"), None)
        for test_type in queries.test_types(self.context.store):
            self.type_filter.addItem(tr(test_type["name"]), test_type["id"])
        self.type_filter.setCurrentIndex(max(self.type_filter.findData(current), 0))
        self.type_filter.blockSignals(False)

    @Slot()
    def apply_filters(self) -> None:
        """Ask the database again with the filters shown."""
        self._text_timer.stop()  # called directly: the pending timer would query again
        self.model.refresh()
        self._update_states()

    @Slot()
    def clear_filters(self) -> None:
        """Show every test again."""
        for widget in (self.type_filter, self.status_filter, self.from_filter, self.to_filter,
                       self.text_filter):
            widget.blockSignals(True)
        self.type_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(0)
        self.from_filter.set_value(None)
        self.to_filter.set_value(None)
        self.text_filter.clear()
        for widget in (self.type_filter, self.status_filter, self.from_filter, self.to_filter,
                       self.text_filter):
            widget.blockSignals(False)
        self.apply_filters()

    # -- data --------------------------------------------------------------------------------
    def _fetch(self, offset: int, limit: int, sort: str | None,
               descending: bool) -> list[dict[str, Any]]:
        from nbcompanion.record import queries

        child_id = self.context.active_child_id
        if child_id is None:
            return []
        return queries.list_tests(self.context.store, child_id, sort=sort or "date",
                                  descending=descending, limit=limit, offset=offset,
                                  **self.filters_now())

    def _count(self) -> int:
        from nbcompanion.record import queries

        child_id = self.context.active_child_id
        if child_id is None:
            return 0
        return int(queries.count_tests(self.context.store, child_id, **self.filters_now()))

    def _fetch_history(self, offset: int, limit: int, _sort: str | None,
                       _descending: bool) -> list[dict[str, Any]]:
        # Fetched in batches like the table: one kind of test can have years of results.
        from nbcompanion.record import queries

        child_id = self.context.active_child_id
        if self._history_type is None or child_id is None:
            return []
        return queries.list_tests(self.context.store, child_id, type_id=self._history_type,
                                  sort="date", descending=True, limit=limit, offset=offset)

    def _count_history(self) -> int:
        from nbcompanion.record import queries

        child_id = self.context.active_child_id
        if self._history_type is None or child_id is None:
            return 0
        return queries.count_tests(self.context.store, child_id, type_id=self._history_type)

    def refresh(self) -> None:
        """Reload filters, table and history (the record or the active child changed)."""
        selected = self.table.current_id()
        self._fill_type_filter()
        self.model.refresh()
        self._reload_history()
        self._update_states()
        self.units_notice.refresh(self.context.store, self.context.active_child_id)
        if (selected is None or not self._select_loaded(selected)) and self.model.rowCount():
            self.table.selectRow(0)  # so the history below is never an empty box

    def _select_loaded(self, entry_id: int) -> bool:
        # Only rows already loaded: re-selecting must never pull in ten years of rows.
        for row in range(self.model.rowCount()):
            if self.model.row_dict(row).get("id") == entry_id:
                self.table.selectRow(row)
                return True
        return False

    def _update_states(self) -> None:
        name = child_name(self.context)
        total = self.model.total
        self.add_button.setEnabled(name is not None)
        self.filters.setVisible(name is not None and (total > 0 or self.has_filters()))
        if name is None:
            self.subtitle.setText("")
            self.count_label.setText("")
            self.empty.set_content(tr("There is no child in the record yet. Add your child first; "
                                   "then their tests and results are kept here."),
                                   tr("Add your child…"))
            self.stack.setCurrentWidget(self.empty)
            return
        self.subtitle.setText(tr("{name}’s tests, scans and lab results").format(name=name))
        if total == 0 and not self.has_filters():
            self.count_label.setText("")
            self.empty.set_content(tr("No tests recorded for {name} yet. When a test is done "
                                      "or booked, add it here — with the numbers from the "
                                      "lab report if there are any.").format(
                                      name=name), tr("Add a test or result…"))
            self.stack.setCurrentWidget(self.empty)
            return
        if total == 0:
            self.count_label.setText("")
            self.empty.set_content(tr("No tests match these filters."), tr("Clear filters"))
            self.stack.setCurrentWidget(self.empty)
            return
        if self.has_filters():
            counted = count_text(total, N_("{count} test matches these filters"),
                                 N_("{count} tests match these filters"))
        else:
            counted = count_text(total, N_("{count} test"), N_("{count} tests"))
        self.count_label.setText(counted)
        self.stack.setCurrentIndex(0)

    # -- history of a test type --------------------------------------------------------------
    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, *_args: Any) -> None:
        entry_id = self.table.current_id()
        if entry_id is None:
            return
        row = next((self.model.row_dict(r) for r in range(self.model.rowCount())
                    if self.model.row_dict(r).get("id") == entry_id), None)
        type_id = None if row is None else row.get("type_id", row.get("test_type_id"))
        if row is not None and type_id != self._history_type:
            self.show_history(type_id, row.get("type_name") or "")

    def show_history(self, type_id: int | None, type_name: str = "") -> None:
        """List every result of ``type_id`` for the active child, newest first."""
        self._history_type = type_id
        self._history_name = type_name
        self._reload_history()

    def _reload_history(self) -> None:
        self.history_model.refresh()
        if self._history_type is None or self.context.active_child_id is None:
            self.history_title.setText(tr("History of this test"))
            self.history_hint.show()
            self.history_table.hide()
            self.history_add.setEnabled(False)
        else:
            count = self.history_model.total
            self.history_title.setText(tr("History of {history_name}: {count} ").format(
                                          history_name=self._history_name, count=count)
                                       + (tr("entry") if count == 1 else tr("entries")))
            self.history_hint.hide()
            self.history_table.show()
            self.history_add.setEnabled(True)

    @Slot()
    def _on_history_add_clicked(self) -> None:
        if self._history_type is not None:
            self.add_test(defaults={"test_type_id": self._history_type})

    # -- actions -----------------------------------------------------------------------------
    @Slot()
    def _on_empty_action_clicked(self) -> None:
        if child_name(self.context) is None:
            from nbcompanion.ui.record.child import ChildDialog

            self.opener.show(ChildDialog(self.context, parent=self))
        elif self.has_filters():
            self.clear_filters()
        else:
            self.add_test()

    @Slot()
    def add_test(self, defaults: dict[str, Any] | None = None) -> TestDialog | None:
        """Open the dialog for a new test."""
        if self.context.active_child_id is None:
            return None
        dialog = TestDialog(self.context, parent=self, defaults=defaults or None)
        self.opener.show(dialog)
        return dialog

    @Slot(int)
    def open_test(self, test_id: int) -> TestDialog:
        """Open a test in its dialog."""
        dialog = TestDialog(self.context, test_id, parent=self)
        self.opener.show(dialog)
        return dialog

    @Slot(int)
    def delete_test(self, test_id: int) -> bool:
        """Ask, then delete a test (Ctrl+Z brings it back)."""
        from nbcompanion.record import entries

        entry = entries.get(self.context.store, "test", test_id)
        name = next((self.model.row_dict(r).get("type_name") for r in
                     range(self.model.rowCount()) if self.model.row_dict(r).get("id") == test_id),
                    None) or "test"
        return delete_with_undo(self.context, self, "test", test_id,
                                f"the {name} of {day_text(entry.get('date'))}")

    # -- dropping a results file (Record › Import results from a file…) -----------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept one .json/.ndjson/.zip file when there is a child to add results to."""
        from nbcompanion.ui.record.results_import import dropped_file

        if self.context.active_child_id is not None and dropped_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import the dropped file's results (after review)."""
        from nbcompanion.ui.record.results_import import dropped_file

        path = dropped_file(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.import_file(path)

    def import_file(self, path: Path) -> Any:
        """Start importing ``path``'s results into the active child's record."""
        from nbcompanion.ui.record.results_import import import_results

        return import_results(self.context, self, path)

    def open_target(self, target: object) -> None:
        """Navigation: ``{"test_id": id}`` selects that test and opens it."""
        if not isinstance(target, dict) or target.get("test_id") is None:
            return
        test_id = int(target["test_id"])
        # Select it when it is among the rows loaded (never load years of rows to find it).
        if not self._select_loaded(test_id) and self.has_filters():
            self.clear_filters()
            self._select_loaded(test_id)
        self.open_test(test_id)

"""The review's rows as a two-level Qt model: a group per date and report, a row per result.

A model, not a tree of widgets: a hospital download can hold 50,000 results, and the view
asks only for the rows it shows.

Signals:
    inclusion_changed(): a row was ticked or unticked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from nbcompanion.fhir.loinc import unit_shown
from nbcompanion.fhir.review import OTHER, OTHER_TYPE_NAME, ReviewPlan, ReviewRow
from nbcompanion.i18n import N_
from nbcompanion.ui.record.common import day_text, number_text
from nbcompanion.ui.translate import tr

COLUMNS = (N_("Result"), N_("Value"), N_("Lab’s range"), N_("Test"), N_("Source"), N_("Note"))
Index = QModelIndex | QPersistentModelIndex
#: The invisible root (a module constant: defaults must not call QModelIndex()).
ROOT = QModelIndex()


def range_text(row: ReviewRow) -> str:
    """The lab's range as shown: "7–140", "up to 480", and the lab's own words."""
    found = row.found
    low, high = found.ref_low, found.ref_high
    if low is not None and high is not None:
        text = f"{number_text(low)}–{number_text(high)}"
    elif high is not None:
        text = f"up to {number_text(high)}"
    elif low is not None:
        text = f"from {number_text(low)}"
    else:
        text = ""
    if found.ref_text:
        text = f"{text} ({found.ref_text})" if text else found.ref_text
    return text


def value_text(row: ReviewRow) -> str:
    """"245 ng/mL", or the written result."""
    found = row.found
    if found.value is None:
        return found.text or ""
    return f"{number_text(found.value)} {unit_shown(found.unit)}".strip()


def note_text(row: ReviewRow) -> str:
    """Why a row cannot be added, is already there, or needs a look."""
    return " ".join(t for t in (row.problem, row.duplicate, *row.notes) if t)


class ReviewModel(QAbstractItemModel):
    """Groups (date and report) holding the plan's rows; column 0 carries the tick."""

    inclusion_changed = Signal()

    def __init__(self, plan: ReviewPlan, type_names: dict[int, str],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.type_names = type_names
        #: (day, report key) → the plan's rows, in order; titles are made when shown.
        self.groups: list[tuple[str, list[int]]] = []
        self._group_rows: list[ReviewRow] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._grey = QBrush(QColor("#777777"))
        for first, members in plan.groups:
            self.groups.append((plan.rows[first].found.day or "", members))
            self._group_rows.append(plan.rows[first])
        #: Rows ticked now (kept up to date on each tick, so a click stays instant).
        self.included = sum(1 for row in plan.rows if row.include and row.addable)

    def group_title(self, number: int) -> str:
        """"12 Mar 2024 — Chemistry (3 results)"."""
        found = self._group_rows[number].found
        title = f"{found.effective} (no day)" if found.partial_date \
            else day_text(found.day) or "No date"
        count = len(self.groups[number][1])
        return (f"{title} — {found.report_name or 'Single results'} "
                f"({count} result{'s' if count != 1 else ''})")

    # -- structure ---------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        """Groups carry id 0; a result carries its group's number + 1."""
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        """A result's group; nothing for a group."""
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = ROOT) -> int:
        """Groups at the top, results inside them."""
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.groups[parent.row()][1])
        return 0

    def columnCount(self, _parent: Index = ROOT) -> int:
        """Result, value, range, test, source, note."""
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return None

    def row_of(self, index: Index) -> int | None:
        """The plan's row number behind ``index`` (None for a group)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.groups[index.internalId() - 1][1][index.row()]

    def index_of(self, plan_row: int, column: int = 0) -> QModelIndex:
        """The index of the plan's row ``plan_row``."""
        for number, (_title, members) in enumerate(self.groups):
            if plan_row in members:
                return self.createIndex(members.index(plan_row), column, number + 1)
        return QModelIndex()

    # -- content -----------------------------------------------------------------------------
    def type_text(self, row: ReviewRow) -> str:
        """The test a row goes to, as things stand."""
        type_id = self.plan.type_for(row)
        if type_id == OTHER:
            return OTHER_TYPE_NAME
        if type_id is None:
            return "Choose above…"
        return self.type_names.get(type_id, "")

    def text(self, plan_row: int, column: int) -> str:
        """What column ``column`` shows for the plan's row ``plan_row``."""
        row = self.plan.rows[plan_row]
        return (row.analyte, value_text(row), range_text(row), self.type_text(row),
                row.found.source, note_text(row))[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, tick, tooltips; results that cannot be added in grey."""
        if not index.isValid():
            return None
        plan_row = self.row_of(index)
        if plan_row is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) \
                    and index.column() == 0:
                return self.group_title(index.row())
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        row = self.plan.rows[plan_row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.text(plan_row, index.column())
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
                found = row.found
                return f"{found.name} — LOINC {found.loinc}" if found.loinc else found.name
            return text
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if row.include else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and not row.addable:
            return self._grey
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Results can be ticked when they can be added."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        plan_row = self.row_of(index)
        if plan_row is None:
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self.plan.rows[plan_row].addable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Tick or untick a result."""
        plan_row = self.row_of(index)
        if plan_row is None or role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        row = self.plan.rows[plan_row]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        before = row.include and row.addable
        row.include = row.addable and checked
        self.included += int(row.include) - int(before)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.inclusion_changed.emit()
        return True

    def refresh_types(self) -> None:
        """The test column after a question was answered."""
        for number, (_title, members) in enumerate(self.groups):
            if members:
                self.dataChanged.emit(self.createIndex(0, 3, number + 1),
                                      self.createIndex(len(members) - 1, 3, number + 1))

"""Trends: each numeric test's values over time, with a table beside the chart.

The chart is drawn by :func:`nbcompanion.reports.chart.paint_trend_chart` — the same drawing
as in the PDF. It shows what was recorded: the lab's range shaded, phases as background
bands. Clicking a point opens that test. The table holds the same values for keyboard and
screen-reader users.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.record.catalog import BUILTIN_TEST_TYPES
from nbcompanion.record.measures import UnitSeries, shown_number
from nbcompanion.record.units import display
from nbcompanion.reports.chart import (
    OUTSIDE_RANGE_TEXT,
    ChartPoint,
    ChartStyle,
    PhaseBand,
    bands_from_rows,
    paint_legend,
    paint_trend_chart,
    points_from_rows,
)
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.common import (
    EmptyState,
    day_text,
    heading,
    muted,
    no_child_text,
    number_text,
    range_text,
)
from nbcompanion.ui.daily.trend_units import (
    CONVERTED_MARK,
    ChartPanel,
    note_text,
    outside,
    typed_text,
    unit_choices,
)
from nbcompanion.ui.kit import Page
from nbcompanion.ui.reflinks import ReferenceLink
from nbcompanion.ui.tablelayout import SAMPLE_ROWS
from nbcompanion.ui.translate import tr

AnyIndex = QModelIndex | QPersistentModelIndex
CREATININE = "Creatinine (urine)"
#: Ratios to urine creatinine offered when creatinine is recorded (labs often report them).
RATIO_OF = ("VMA", "HVA")
RATIO_SUFFIX = " / creatinine"
SCREEN_STYLE = ChartStyle(font_pt=9.0, title_pt=11.0, point_pt=3.2, line_pt=1.3)
PHASE_LABELS = {choice.key: choice.label for choice in vocab.PHASE_KINDS}
TEST_ID_ROLE = Qt.ItemDataRole.UserRole + 10
#: The summary's topic for each built-in analyte (its test's own section).
ANALYTE_TOPICS = {analyte.name: (test_type.name, test_type.topic)
                  for test_type in BUILTIN_TEST_TYPES if test_type.topic
                  for analyte in test_type.analytes}
#: The catalog's order (VMA and HVA first), then the family's own analytes by name.
CATALOG_ORDER = [analyte.name for test_type in BUILTIN_TEST_TYPES
                 for analyte in test_type.analytes]


_SERIES_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                           Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
                           TEST_ID_ROLE})

NO_NUMBERS_TEXT = N_("No numbers recorded yet. When you add a test with values — VMA and HVA, "
                      "LDH, ferritin, blood counts — its chart appears here.")


class SeriesModel(QAbstractTableModel):
    """One analyte's values (oldest first): date, value, unit, the lab's range, a note."""

    HEADERS = (N_("Date"), N_("Value"), N_("Unit"), N_("Lab's range"), "")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self._cells: dict[int, tuple[str, str, str, str, str]] = {}

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show another series."""
        self.beginResetModel()
        self.rows = list(rows)
        # Formatted once, when first asked for: views ask for each cell many times while
        # sizing and painting, but years of values are mostly never scrolled to.
        self._cells = {}
        self.endResetModel()

    def cells(self, row: int) -> tuple[str, str, str, str, str]:
        """The texts of row ``row``."""
        found = self._cells.get(row)
        if found is None:
            r = self.rows[row]
            found = self._cells[row] = (
                day_text(r.get("date")),
                number_text(shown_number(r, "value"))
                + (CONVERTED_MARK if r.get("converted") else ""),
                display(r.get("unit")) or r.get("unit") or "",
                range_text(shown_number(r, "ref_low"), shown_number(r, "ref_high")) or "not given",
                note_text(r))
        return found

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of values."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Date, value, unit, range, note."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; the test id under TEST_ID_ROLE."""
        if role not in _SERIES_ROLES or not index.isValid() or index.row() >= len(self.rows):
            return None  # views ask for a dozen roles per cell while sizing columns
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and row.get("converted"):
            return typed_text(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self.cells(index.row())[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == TEST_ID_ROLE:
            return row.get("test_id")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return tr(self.HEADERS[section] or "Note")
        return None


class TrendChart(QWidget):
    """Paints one series with the shared painter; clicking a point reports its test.

    Signals:
        point_clicked(int): the test id of the point clicked.
    """

    point_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.points: list[ChartPoint] = []
        self.phases: list[PhaseBand] = []
        self.title = ""
        self.unit = ""
        self.highlight: int | None = None
        self.ranged = False
        self.hits: list[tuple[QRectF, int]] = []
        self._today = today
        self.setMouseTracking(True)
        self.setMinimumSize(280, 240)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the table beside it is the keyboard way

    def sizeHint(self) -> QSize:
        """A comfortable chart size."""
        return QSize(640, 380)

    def set_series(self, title: str, unit: str, rows: list[dict[str, Any]],
                   phases: list[PhaseBand]) -> None:
        """Show ``rows`` (dicts with date, value, ref_low, ref_high, test_id)."""
        self.title, self.unit, self.rows, self.phases = title, unit, rows, phases
        self.points = points_from_rows(rows)  # parsed once, not on every repaint
        # The key names the lab's range only when a lab gave one.
        self.ranged = any(r.get("ref_low") is not None or r.get("ref_high") is not None
                          for r in rows)
        self.highlight = None
        self.setAccessibleName(tr("Chart of {title}").format(title=title))
        self.setAccessibleDescription(describe_series(title, unit, rows, phases))
        self.update()

    def set_highlight(self, test_id: int | None) -> None:
        """Ring the point of ``test_id`` (the row selected in the table)."""
        self.highlight = test_id
        self.update()

    def paint_into(self, painter: QPainter) -> list[tuple[QRectF, int]]:
        """Paint the chart and its key on ``painter`` at this widget's size; the hit areas."""
        legend_height = 26.0
        rect = QRectF(0, 0, self.width(), self.height() - legend_height)
        hits = paint_trend_chart(painter, rect, self.points, title=self.title, unit=self.unit,
                                 phases=self.phases, today=self._today(),
                                 highlight=self.highlight, style=SCREEN_STYLE)
        painter.fillRect(QRectF(0, rect.bottom(), self.width(), legend_height),
                         Qt.GlobalColor.white)
        if self.rows:
            paint_legend(painter, QPointF(12, self.height() - 9), style=SCREEN_STYLE,
                         with_range=self.ranged)
        return hits

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Draw with the shared painter and keep the hit areas for clicks."""
        painter = QPainter(self)
        try:
            self.hits = self.paint_into(painter)
        finally:
            painter.end()

    def test_at(self, position: QPointF) -> int | None:
        """The test id of the point under ``position``, if any."""
        for area, test_id in reversed(self.hits):
            if area.contains(position):
                return test_id
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """A pointing hand over points, so a parent knows they can be clicked."""
        test_id = self.test_at(event.position())
        over = test_id is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        row = next((r for r in self.rows if r.get("test_id") == test_id), None) if over else None
        typed = typed_text(row) + ". " if row and row.get("converted") else ""
        self.setToolTip(typed + tr("Click to open this test") if over else "")
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Report the point clicked."""
        test_id = self.test_at(event.position())
        if test_id is not None and event.button() == Qt.MouseButton.LeftButton:
            self.point_clicked.emit(test_id)
            return
        super().mousePressEvent(event)


def describe_series(title: str, unit: str, rows: list[dict[str, Any]],
                    phases: list[PhaseBand]) -> str:
    """The chart's accessible description: what it shows, in words, without judging."""
    if not rows:
        return f"No values of {title} are recorded yet."
    values = [r["value"] for r in rows if r.get("value") is not None]
    suffix = f" {unit}" if unit else ""
    text = (f"{title}: {len(rows)} value{'s' if len(rows) != 1 else ''} from "
            f"{day_text(rows[0].get('date'))} to {day_text(rows[-1].get('date'))}, between "
            f"{number_text(min(values))} and {number_text(max(values))}{suffix}. "
            f"The latest is {number_text(rows[-1].get('value'))}{suffix} on "
            f"{day_text(rows[-1].get('date'))}. ")
    count_outside = sum(1 for r in rows if outside(r))
    if any(r.get("ref_low") is not None or r.get("ref_high") is not None for r in rows):
        text += (f"The lab's reference range is shaded; {count_outside} of the values "
                 f"{'is' if count_outside == 1 else 'are'} {OUTSIDE_RANGE_TEXT}. ")
    if phases:
        text += "Treatment phases shown: " + ", ".join(p.label for p in phases) + ". "
    return text + "The table beside the chart lists every value."


class TrendsPage(Page):
    """Choose a test on the left; see its chart and table of values.

    Charts cost a little, so a hidden Trends page only notes a change and catches up when
    it is next shown (the kit's :class:`~nbcompanion.ui.kit.Page` rhythm).
    """

    watched = ("test", "test_value", "phase", "test_type", "analyte")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(tr("Trends")))
        layout.addWidget(muted(tr("Each value you recorded, over time. The shaded band is the "
                               "reference range the lab printed; the background bands are "
                               "treatment phases. Click a point to open that test.")))
        # A drop-down rather than a list, so the chart and its table get the width.
        self.analyte_combo = QComboBox()
        self.analyte_combo.setAccessibleName(tr("Test to show"))
        self.analyte_combo.setMinimumContentsLength(22)
        self.analyte_combo.setMaxVisibleItems(20)
        self.analyte_combo.currentIndexChanged.connect(self._on_analyte_combo_changed)
        chooser = QHBoxLayout()
        chooser_label = QLabel(tr("&Test:"))
        chooser_label.setBuddy(self.analyte_combo)
        chooser.addWidget(chooser_label)
        chooser.addWidget(self.analyte_combo)
        self.topic_link = ReferenceLink(context, "", tr("Read about this test"))
        chooser.addWidget(self.topic_link)
        chooser.addStretch(1)
        # One chart per unit family: values that cannot be compared never share an axis.
        self.charts_box = QWidget()
        self.charts_layout = QVBoxLayout(self.charts_box)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        self.panels: list[ChartPanel] = []
        self._add_panel()
        self.chart = self.panels[0].chart
        self.model = SeriesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Values shown in the chart"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Column widths from a screenful of rows, not from years of them (Qt's default:
        # 1,000), as every table of the app does (tablelayout.SAMPLE_ROWS).
        self.table.horizontalHeader().setResizeContentsPrecision(SAMPLE_ROWS)
        self.table.activated.connect(self._on_table_activated)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.table_hint = muted(tr("Enter or double-click opens the test."))

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.table_hint)
        splitter = QSplitter()
        # The charts are printed paper (the same drawing goes into the PDF): on a dark window
        # it stays light on purpose, inside a frame, rather than a glaring edge-less block.
        chart_frame = QFrame()
        chart_frame.setObjectName("chartFrame")
        chart_frame.setStyleSheet("QFrame#chartFrame { border: 1px solid palette(mid); }")
        frame_layout = QVBoxLayout(chart_frame)
        frame_layout.setContentsMargins(1, 1, 1, 1)
        frame_layout.addWidget(self.charts_box)
        splitter.addWidget(chart_frame)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([560, 420])
        right.setMinimumWidth(360)  # narrower windows elide; the tooltip keeps the text
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(chooser)
        body_layout.addWidget(splitter, 1)
        self.empty = EmptyState(tr(NO_NUMBERS_TEXT), tr("Go to Tests"))
        self.empty.button.clicked.connect(lambda: context.navigate("tests", None))
        self.stack = QStackedWidget()
        self.stack.addWidget(body)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

        self.refresh()

    # -- data -------------------------------------------------------------------------------
    def analytes(self) -> list[tuple[str, str]]:
        """(name shown, unit) of every numeric analyte, with creatinine ratios when possible."""
        child_id = self.context.active_child_id
        if child_id is None:
            return []
        from nbcompanion.record import queries

        found: list[tuple[str, str]] = []
        for item in queries.numeric_analytes(self.context.store, child_id):
            if isinstance(item, dict):
                found.append((str(item.get("analyte") or item.get("name")),
                              str(item.get("unit") or "")))
            else:
                found.append((str(item), ""))
        found.sort(key=lambda item: (CATALOG_ORDER.index(item[0]) if item[0] in CATALOG_ORDER
                                     else len(CATALOG_ORDER), item[0].casefold()))
        names = {name for name, _unit in found}
        with_ratios: list[tuple[str, str]] = []
        for name, unit in found:
            with_ratios.append((name, unit))
            if name in RATIO_OF and CREATININE in names:
                with_ratios.append((name + RATIO_SUFFIX, ""))
        found = with_ratios
        return found

    def unit_groups(self, name: str) -> list[UnitSeries]:
        """The values of ``name`` (a ratio when it ends with " / creatinine"), one series per
        unit family, each in the child's display unit, oldest first."""
        child_id = self.context.active_child_id
        if child_id is None:
            return []
        from nbcompanion.record import measures, queries

        store = self.context.store
        if name.endswith(RATIO_SUFFIX):
            base = name.removesuffix(RATIO_SUFFIX)
            rows = queries.ratio_series(store, child_id, base, denominator=CREATININE)
            return measures.split_series(store, child_id, base, [dict(r) for r in rows])
        return measures.unit_series(store, child_id, name)

    def series(self, name: str) -> list[dict[str, Any]]:
        """Every value of ``name`` as shown: family by family, each oldest first."""
        return [row for group in self.unit_groups(name) for row in group.rows]

    def _add_panel(self) -> ChartPanel:
        panel = ChartPanel(TrendChart(), self.charts_box)
        panel.chart.point_clicked.connect(self._on_chart_point_clicked)
        panel.unit_chosen.connect(self._on_panel_unit_chosen)
        if self.panels:
            panel.chart._today = self.panels[0].chart._today
        self.charts_layout.addWidget(panel, 1)
        self.panels.append(panel)
        return panel

    def phase_bands(self) -> list[PhaseBand]:
        """The child's treatment phases as chart bands."""
        child_id = self.context.active_child_id
        if child_id is None:
            return []
        from nbcompanion.record import queries

        return bands_from_rows(queries.list_phases(self.context.store, child_id),
                               labels=PHASE_LABELS)

    def refresh(self) -> None:
        """Reload the list of tests and the chosen chart."""
        keep = self.current_analyte()
        combo = self.analyte_combo
        combo.blockSignals(True)
        combo.clear()
        for name, unit in self.analytes():
            combo.addItem(name, (name, unit))
            if name == keep:
                combo.setCurrentIndex(combo.count() - 1)
        if combo.currentIndex() < 0 and combo.count():
            combo.setCurrentIndex(0)
        combo.blockSignals(False)
        if combo.count():
            self.stack.setCurrentIndex(0)
        else:
            has_child = self.context.active_child_id is not None
            self.empty.button.setVisible(has_child)
            self.empty.message.setText(tr(NO_NUMBERS_TEXT) if has_child else no_child_text())
            self.stack.setCurrentWidget(self.empty)
        self._show_current()

    def current_analyte(self) -> str | None:
        """The analyte whose chart is shown."""
        data = self.analyte_combo.currentData()
        return data[0] if data else None

    def _show_current(self) -> None:
        data = self.analyte_combo.currentData()
        if not data:
            self.model.set_rows([])
            self._show_groups("", [])
            return
        name, _unit = data
        self._show_topic(name.removesuffix(RATIO_SUFFIX))
        groups = self.unit_groups(name)
        self.model.set_rows([row for group in groups for row in group.rows])
        converted = any(row.get("converted") for group in groups for row in group.rows)
        self.table_hint.setText(tr("Enter or double-click opens the test.") + (
            tr(" {strip} Converted into the unit shown; point at the value to see it as "
               "typed.").format(strip=CONVERTED_MARK.strip()) if converted else ""))
        self.table.resizeColumnsToContents()  # once per series, not on every repaint
        self._show_groups(name, groups)

    def _show_groups(self, name: str, groups: list[UnitSeries]) -> None:
        phases = self.phase_bands() if groups else []
        while len(self.panels) < max(1, len(groups)):
            self._add_panel()
        base = name.removesuffix(RATIO_SUFFIX)
        for index, panel in enumerate(self.panels):
            group = groups[index] if index < len(groups) else None
            panel.setVisible(index == 0 or group is not None)
            if group is None:
                panel.set_group(name if index == 0 else "", None, [], [])
                continue
            title = name if len(groups) == 1 else (
                f"{name} per creatinine" if group.is_ratio and not name.endswith(RATIO_SUFFIX)
                else name)
            panel.set_group(title, group, unit_choices(base, group), phases)
            if len(groups) > 1 and index > 0:
                # Why a second chart: these values cannot be put on the first one's axis.
                panel.caption.setText(
                    tr("Values per creatinine, in a chart of their own: they cannot be compared "
                    "with plain concentrations.") if group.is_ratio else
                    tr("Values in {value}, in a chart of their own: they cannot be converted "
                       "to the unit above.").format(
                       value=display(group.unit) or 'no unit'))

    def _show_topic(self, analyte: str) -> None:
        found = ANALYTE_TOPICS.get(analyte)
        if found is None:
            self.topic_link.hide()
            return
        test_name, topic = found
        self.topic_link.topic = topic or ""
        self.topic_link.setText(f'<a href="topic">Read about: {html.escape(test_name)}</a>')
        self.topic_link.setToolTip(tr("Opens “{topic}” in the reference summary").format(
                                      topic=topic))
        self.topic_link.show()

    # -- slots ------------------------------------------------------------------------------
    @Slot()
    def _on_analyte_combo_changed(self, *_args: Any) -> None:
        self._show_current()

    @Slot(str, str)
    def _on_panel_unit_chosen(self, family: str, unit: str) -> None:
        child_id = self.context.active_child_id
        data = self.analyte_combo.currentData()
        if child_id is None or not data:
            return
        from nbcompanion.record import measures

        measures.set_display_unit(self.context.store, child_id,
                                  str(data[0]).removesuffix(RATIO_SUFFIX), family, unit)
        self._show_current()

    @Slot(int)
    def _on_chart_point_clicked(self, test_id: int) -> None:
        self.context.navigate("tests", {"test_id": test_id})

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        test_id = self.model.data(index, TEST_ID_ROLE)
        if test_id is not None:
            self.context.navigate("tests", {"test_id": test_id})

    @Slot()
    def _on_table_current_changed(self, *_args: Any) -> None:
        test_id = self.model.data(self.table.currentIndex(), TEST_ID_ROLE)
        for panel in self.panels:  # the value is on one family's chart
            panel.chart.set_highlight(test_id)

    # -- navigation -------------------------------------------------------------------------
    def open_target(self, target: object) -> None:
        """Show the chart of ``{"analyte": name}``."""
        name = target.get("analyte") if isinstance(target, dict) else target
        index = self.analyte_combo.findText(str(name))
        if index >= 0:
            self.analyte_combo.setCurrentIndex(index)



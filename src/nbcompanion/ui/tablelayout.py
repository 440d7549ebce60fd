"""Tables that fit a 1366×768 laptop: rows as tall as the text, columns as wide as what they
hold, one column taking the spare width, and no horizontal scrollbar for the default columns.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView

#: Rows read to size a column: a screenful (14 rows at 1366×768), enough to see what a
#: column holds; each sort or filter measures them again, and 60 made that half of the
#: 50 ms a click may take on ten years of records. Longer text further down is elided,
#: whole in its tooltip.
SAMPLE_ROWS = 24
#: The stretching column keeps at least this much room before others give way.
STRETCH_MINIMUM = 240
#: No column narrower than this; a column giving way stops at GIVE_WAY_FLOOR.
MINIMUM = 40
GIVE_WAY_FLOOR = 90


def compact_rows(view: QTableView) -> None:
    """Rows as tall as one line of text plus a little air (more rows on a small screen)."""
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 9)
    view.verticalHeader().setMinimumSectionSize(view.fontMetrics().height() + 4)


class ColumnFitter(QObject):
    """Sizes a view's columns to their content, with ``stretch`` taking the spare width.

    Other columns are capped (``caps`` per column, else ``cap`` pixels; long text shows in
    full in the tooltip). When the view is too narrow, the ``give_way`` columns narrow
    first, in that order, then all of them alike, so the view never scrolls sideways and
    the stretching column keeps ``stretch_min`` pixels. Refits when the model is reset and
    when the view is resized.
    """

    def __init__(self, view: QTableView | QTreeView, stretch: int, *, cap: int = 300,
                 caps: dict[int, int] | None = None, give_way: tuple[int, ...] = (),
                 stretch_min: int = STRETCH_MINIMUM) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.cap = cap
        self.caps = caps or {}
        self.give_way = give_way
        self.stretch_min = stretch_min
        self._wanted: dict[int, int] = {}
        self._floors: dict[int, int] = {}
        header = self.header()
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setResizeContentsPrecision(SAMPLE_ROWS)
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.fit)
        model = view.model()
        if model is not None:
            model.modelReset.connect(self._timer.start)
            model.layoutChanged.connect(self._timer.start)
        view.viewport().installEventFilter(self)
        self.fit()

    def header(self) -> QHeaderView:
        """The view's horizontal header."""
        view = self.view
        return view.header() if isinstance(view, QTreeView) else view.horizontalHeader()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._share_width()
        return False

    def fit(self) -> None:
        """Measure each column's content again (after the rows changed)."""
        model = self.view.model()
        if model is None:
            return
        header = self.header()
        self._wanted = {}
        for column in range(model.columnCount()):
            if column == self.stretch or header.isSectionHidden(column):
                continue
            content = self.view.sizeHintForColumn(column)
            wanted = max(content, header.sectionSizeHint(column) if content else 0, MINIMUM)
            self._wanted[column] = min(wanted + 8, self.caps.get(column, self.cap))
            # Giving way stops where the column's title would be cut.
            self._floors[column] = min(self._wanted[column],
                                       max(GIVE_WAY_FLOOR, header.sectionSizeHint(column)))
        self._share_width()

    def widths(self, room: int) -> dict[int, int]:
        """The width of each non-stretching column when the view is ``room`` pixels wide."""
        widths = dict(self._wanted)
        excess = sum(widths.values()) + self.stretch_min - room
        for column in self.give_way:
            if excess <= 0:
                break
            if column in widths:
                floor = self._floors.get(column, GIVE_WAY_FLOOR)
                take = min(max(widths[column] - floor, 0), excess)
                widths[column] -= take
                excess -= take
        if excess > 0:
            total = sum(widths.values())
            scale = max(total - excess, 0) / total if total else 1.0
            widths = {c: max(int(w * scale), MINIMUM) for c, w in widths.items()}
        return widths

    def _share_width(self) -> None:
        header = self.header()
        model = self.view.model()
        room = self.view.viewport().width()
        if model is None or room <= 0:
            return
        for column, width in self.widths(room).items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        if 0 <= self.stretch < model.columnCount():
            header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)


def fit_columns(view: QTableView | QTreeView, stretch: int, *, cap: int = 300,
                caps: dict[int, int] | None = None, give_way: tuple[int, ...] = (),
                stretch_min: int = STRETCH_MINIMUM) -> ColumnFitter:
    """Fit ``view``'s columns now and whenever its rows or size change (see ColumnFitter)."""
    if isinstance(view, QAbstractItemView):
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return ColumnFitter(view, stretch, cap=cap, caps=caps, give_way=give_way,
                        stretch_min=stretch_min)

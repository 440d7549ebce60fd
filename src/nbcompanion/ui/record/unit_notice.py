"""The "Check these units" notice: values whose unit the app could not read, each a link.

An older record's free-text unit that could not be mapped to a UCUM code is kept exactly as
typed; such values are never converted or compared. This notice lists them so the family
can open each test and pick the unit the report prints.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget

from nbcompanion.record.store import Store
from nbcompanion.ui.daily.common import day_text, number_text
from nbcompanion.ui.theme import colours
from nbcompanion.ui.translate import tr

#: How many entries the notice names before "and N more".
SHOWN = 8


def notice_style() -> str:
    """The notice's colours for the palette in use (readable in light and dark)."""
    found = colours()
    return (f"background: {found.notice}; color: {found.notice_text}; "
            f"border: 1px solid {found.notice_border}; border-radius: 4px; padding: 6px;")


class UnitsNotice(QLabel):
    """Lists values with a unit to check; clicking one opens its test.

    Signals:
        open_requested(int): the test id to open.
    """

    open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("units_notice")
        self.setWordWrap(True)
        self.setStyleSheet(notice_style())
        self.setAccessibleName(tr("Check these units"))
        self.linkActivated.connect(self._on_link_activated)
        self.rows: list[dict] = []
        self.hide()

    def refresh(self, store: Store, child_id: int | None) -> None:
        """Show the values of ``child_id`` to check (hidden when there are none)."""
        from nbcompanion.record import measures

        self.rows = measures.units_to_check(store, child_id) if child_id is not None else []
        if not self.rows:
            self.hide()
            return
        self.setStyleSheet(notice_style())  # the palette may have changed since
        link = colours().link
        links = []
        for row in self.rows[:SHOWN]:
            text = (f'{row["analyte"]} {number_text(row["value"])} “{row["unit"]}” '
                    f'on {day_text(row["date"])}')
            links.append(f'<a href="test:{row["test_id"]}" style="color: {link};">'
                         f'{html.escape(text)}</a>')
        more = len(self.rows) - SHOWN
        count = len(self.rows)
        self.setText(
            f"<b>Check these units.</b> {count} value{'s have' if count != 1 else ' has'} a "
            "unit the app could not read, so {it} {is_} kept exactly as typed and not compared "
            "with other values. Open each one and choose the unit printed on the report: "
            .format(it="they" if count != 1 else "it", is_="are" if count != 1 else "is")
            + ", ".join(links) + (tr(" and {more} more.").format(more=more) if more > 0 else "."))
        self.show()

    @Slot(str)
    def _on_link_activated(self, href: str) -> None:
        if href.startswith("test:"):
            self.open_requested.emit(int(href.removeprefix("test:")))

"""The page kit: every page and dialog of the app is built from these few pieces.

- :mod:`.page` — :class:`Page`, the base of every page (refresh when shown, header, empty
  state in place of the content), and :class:`DialogOpener`.
- :mod:`.empty` — :class:`EmptyState`, a kind sentence and the button that fills the space.
- :mod:`.headers` — headings, quieter lines, framed cards.
- :mod:`.tables` — the entry table (Enter opens, Delete asks), small in-memory tables.
- :mod:`.links` — in-app links and "What is this?" links into the reference.

Dates, numbers and ranges are worded by :mod:`nbcompanion.wording`; sentences go through
:func:`nbcompanion.ui.translate.tr` (or ``self.tr``). See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from nbcompanion.ui.kit.empty import EmptyState
from nbcompanion.ui.kit.headers import Card, clear_layout, heading, muted
from nbcompanion.ui.kit.links import TopicLink, link_label
from nbcompanion.ui.kit.page import DialogOpener, Page
from nbcompanion.ui.kit.tables import EntryTableView, RowsModel, table_view

__all__ = ["Card", "DialogOpener", "EmptyState", "EntryTableView", "Page", "RowsModel",
           "TopicLink", "clear_layout", "heading", "link_label", "muted", "table_view"]

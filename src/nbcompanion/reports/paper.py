"""The paper sizes a report can be made on (kept apart so menus load without the PDF engine)."""

from __future__ import annotations

#: Stored key → the name a family sees.
PAPER_LABELS = {"letter": "US Letter", "a4": "A4"}

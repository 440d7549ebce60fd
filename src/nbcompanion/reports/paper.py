"""The paper sizes a report can be made on (kept apart so menus load without the PDF engine)."""

from __future__ import annotations

from nbcompanion.i18n import N_

#: Stored key → the name a family sees.
PAPER_LABELS = {"letter": N_("US Letter"), "a4": "A4"}

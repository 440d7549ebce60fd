"""What the daily pages share beyond the page kit: trend words and the no-child sentence.

Cards, headings, empty states and tables come from :mod:`nbcompanion.ui.kit`, and dates,
numbers and ranges from :mod:`nbcompanion.wording`; the names stay importable from here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from nbcompanion import wording
from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.ui.kit import (  # noqa: F401 — re-exported for the daily pages
    Card,
    EmptyState,
    RowsModel,
    clear_layout,
    heading,
    link_label,
    muted,
    table_view,
)
from nbcompanion.ui.kit.style import (  # noqa: F401
    CARD_TITLE_STYLE,
    MUTED_STYLE,
    NOTE_COLOUR,
    NOTE_STYLE,
)
from nbcompanion.ui.translate import tr

AnyIndex = QModelIndex | QPersistentModelIndex

#: Direction only — never "better" or "worse".
TREND_ARROWS = wording.TREND_ARROWS
TREND_WORDS = {"up": N_("higher than the value before"), "down": N_("lower than the value before"),
               "same": N_("the same as the value before")}

parse_when = wording.to_datetime
day_text = wording.day_text
when_text = wording.when_text
time_text = wording.time_text
number_text = wording.number_text
range_text = wording.range_text


def no_child_text() -> str:
    """What a record page says before any child has been added."""
    return tr("Add your child on the Home page first; then this page fills with your entries.")


# -- texts shared by Home and the daily pages (here so Home needs neither page's module) ----
#: The diary's symptom key for "something else", described in the entry's own words.
OTHER = "other"


def symptom_text(row: dict[str, Any]) -> str:
    """What was seen, as the diary shows it (the family's own words for "other")."""
    if row.get("symptom") == OTHER and row.get("other_text"):
        return str(row["other_text"])
    text = vocab.label(vocab.SYMPTOMS, row.get("symptom"))
    from nbcompanion.record.units import temperature_text

    temperature = temperature_text(row)  # as typed, in °C or °F
    if temperature:
        text = tr("{symptom} ({temperature})").format(symptom=text, temperature=temperature)
    return text


def visit_text(visit: dict[str, Any] | None) -> str:
    """"Thu, 3 Dec 2026, 10:30 — Clinic visit" ("" when there is no visit)."""
    if not visit:
        return ""
    kind = vocab.label(vocab.VISIT_KINDS, visit.get("kind"))
    return tr("{when} — {kind}").format(when=when_text(visit.get("starts_at")), kind=kind)

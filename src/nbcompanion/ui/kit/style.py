"""The few looks the kit shares (palette roles, so dark mode follows the system)."""

from __future__ import annotations

MUTED_STYLE = "color: palette(placeholder-text);"
HEADING_STYLE = "font-size: 15pt; font-weight: 600;"
CARD_TITLE_STYLE = "font-size: 12pt; font-weight: 600;"
EMPTY_STYLE = "font-size: 12pt;"
#: For neutral notices, never for judging a value.
NOTE_COLOUR = "#8a5a00"
NOTE_STYLE = f"color: {NOTE_COLOUR};"

"""Colours that follow the light or dark palette and stay readable on both.

Every text colour the app sets itself comes from :func:`colours`, chosen for the palette in
use and checked against WCAG AA (a contrast of at least 4.5:1 with its background).
:func:`install` also mends the palette roles the app's style sheets lean on (placeholder
text for quieter lines, links) when a platform's own choice falls short of that.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette

#: WCAG AA for ordinary text; a little above it so rounding never lands on the line.
AA = 4.5
_TARGET = 4.6


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.x) of an sRGB colour."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(first: QColor | str, second: QColor | str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    a, b = luminance(QColor(first)), luminance(QColor(second))
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette draws light text on a dark window."""
    palette = palette or QGuiApplication.palette()
    return (palette.color(QPalette.ColorRole.Window).lightness()
            < palette.color(QPalette.ColorRole.WindowText).lightness())


def _mix(first: QColor, second: QColor, amount: float) -> QColor:
    """``amount`` of ``second`` blended into ``first``."""
    return QColor.fromRgbF(*(a + (b - a) * amount for a, b in (
        (first.redF(), second.redF()), (first.greenF(), second.greenF()),
        (first.blueF(), second.blueF()))))


def readable(colour: QColor | str, backgrounds: list[QColor], text: QColor) -> QColor:
    """``colour`` itself when it reads on every background, else moved towards ``text``."""
    wanted = QColor(colour)
    for step in range(21):
        candidate = _mix(wanted, text, step / 20)
        if all(contrast(candidate, b) >= _TARGET for b in backgrounds):
            return candidate
    return QColor(text)


def _backgrounds(palette: QPalette) -> list[QColor]:
    roles = (QPalette.ColorRole.Window, QPalette.ColorRole.Base,
             QPalette.ColorRole.AlternateBase)
    return [palette.color(role) for role in roles]


@dataclass(frozen=True)
class Colours:
    """The text colours the app chooses itself, for one palette (``#rrggbb`` strings)."""

    dark: bool
    text: str
    muted: str
    error: str
    note: str
    link: str
    #: The reading pane's paper, its text, headings and the search highlight.
    paper: str
    paper_text: str
    heading: str
    found_background: str
    found_text: str
    #: Quiet panels (the source line, a word's explanation) and their borders.
    panel: str
    panel_border: str
    #: A notice that asks for attention (a due dose, an old review date).
    notice: str
    notice_text: str
    notice_border: str
    #: A neutral piece of news (what changed in a newer version of a summary).
    info: str
    info_text: str

    def pairs(self) -> dict[str, tuple[str, str]]:
        """Every (text, background) pair these colours are used in, by name."""
        return {
            "text on paper": (self.paper_text, self.paper),
            "heading on paper": (self.heading, self.paper),
            "link on paper": (self.link, self.paper),
            "found word": (self.found_text, self.found_background),
            "text on panel": (self.text, self.panel),
            "muted on panel": (self.muted, self.panel),
            "link on panel": (self.link, self.panel),
            "notice": (self.notice_text, self.notice),
            "link on notice": (self.link, self.notice),
            "news": (self.info_text, self.info),
            "link on news": (self.link, self.info),
        }


def colours(palette: QPalette | None = None) -> Colours:
    """The app's own text colours for ``palette`` (the application's by default)."""
    if palette is None:
        # Before the application exists (a module imported early) Qt's palette is a stub.
        palette = QGuiApplication.palette() if QGuiApplication.instance() else light_palette()
    dark = is_dark(palette)
    text = palette.color(QPalette.ColorRole.WindowText)
    backgrounds = _backgrounds(palette)
    muted = readable(_mix(text, palette.color(QPalette.ColorRole.Window), 0.45), backgrounds,
                     text)
    error = readable("#ff8a80" if dark else "#b00020", backgrounds, text)
    note = readable("#f0c060" if dark else "#8a5a00", backgrounds, text)
    if dark:
        paper, paper_text, heading = "#1e2124", "#e6e8eb", "#f2f4f7"
        panel, panel_border = "#2a2f35", "#454c55"
        notice, notice_text, notice_border = "#4a3b12", "#fff1c7", "#7a6424"
        info, info_text = "#1f3350", "#dce8fa"
        link_wanted = "#8ab4f8"
    else:
        paper, paper_text, heading = "#ffffff", "#1b1f24", "#1d2b3a"
        panel, panel_border = "#f4f6f8", "#dde2e7"
        notice, notice_text, notice_border = "#fff4d6", "#3b3000", "#e0c780"
        info, info_text = "#e3f0fb", "#12345a"
        link_wanted = "#1a56a8"
    link = readable(link_wanted, [*backgrounds, QColor(paper), QColor(panel), QColor(notice),
                                  QColor(info)], text)
    return Colours(
        dark=dark, text=text.name(), muted=muted.name(), error=error.name(), note=note.name(),
        link=link.name(), paper=paper, paper_text=paper_text, heading=heading,
        found_background="#ffe680", found_text="#1b1f24", panel=panel,
        panel_border=panel_border, notice=notice, notice_text=notice_text,
        notice_border=notice_border, info=info, info_text=info_text)


def error_style() -> str:
    """The style sheet of a message beside a field, for the palette in use."""
    return f"color: {colours().error};"


def note_style() -> str:
    """The style sheet of a neutral notice (never a judgement of a value)."""
    return f"color: {colours().note};"


def mend_palette(palette: QPalette) -> QPalette:
    """``palette`` with placeholder text and links readable on every background."""
    mended = QPalette(palette)
    chosen = colours(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        mended.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(chosen.muted))
        mended.setColor(group, QPalette.ColorRole.Link, QColor(chosen.link))
        mended.setColor(group, QPalette.ColorRole.LinkVisited, QColor(chosen.link))
    return mended


class _Follower(QObject):
    """Mends the palette again when the system switches between light and dark."""

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self.app = app
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_scheme_changed)

    def _on_scheme_changed(self, *_args: object) -> None:
        # The platform sets its new palette first; mend it once that has happened.
        QTimer.singleShot(0, lambda: install(self.app, follow=False))


def install(app: QGuiApplication, *, follow: bool = True) -> None:
    """Make the application's palette meet AA where the platform's does not."""
    app.setPalette(mend_palette(app.palette()))
    if follow and app.findChild(_Follower) is None:
        _Follower(app)


def light_palette() -> QPalette:
    """The light palette Qt's Fusion style uses, for code running before the application."""
    palette = QPalette()
    for role, value in {
            QPalette.ColorRole.Window: "#efefef", QPalette.ColorRole.WindowText: "#000000",
            QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f7f7f7",
            QPalette.ColorRole.Text: "#000000", QPalette.ColorRole.Button: "#efefef",
            QPalette.ColorRole.ButtonText: "#000000", QPalette.ColorRole.Link: "#0000ff",
            QPalette.ColorRole.PlaceholderText: "#808080"}.items():
        palette.setColor(role, QColor(value))
    return palette


def dark_palette() -> QPalette:
    """A dark palette like Fusion's own, for tests and screenshots on platforms without one."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#353535", QPalette.ColorRole.WindowText: "#f0f0f0",
        QPalette.ColorRole.Base: "#2a2a2a", QPalette.ColorRole.AlternateBase: "#323232",
        QPalette.ColorRole.ToolTipBase: "#3c3c3c", QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.Text: "#f0f0f0", QPalette.ColorRole.Button: "#3c3c3c",
        QPalette.ColorRole.ButtonText: "#f0f0f0", QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#2a82da", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#8c8c8c", QPalette.ColorRole.Light: "#505050",
        QPalette.ColorRole.Midlight: "#444444", QPalette.ColorRole.Mid: "#2f2f2f",
        QPalette.ColorRole.Dark: "#232323", QPalette.ColorRole.Shadow: "#141414",
        QPalette.ColorRole.Link: "#2a82da", QPalette.ColorRole.LinkVisited: "#8a6fd1",
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8a8a"))
    return palette

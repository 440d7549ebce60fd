"""Every text colour reads on its background (WCAG AA, 4.5:1) in the light and dark palettes,
computed from the colours themselves and from every label the pages show."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from nbcompanion.content import render
from nbcompanion.record.store import open_store
from nbcompanion.ui import theme
from nbcompanion.ui.context import AppContext

PALETTES = {"light": theme.light_palette, "dark": theme.dark_palette}


def test_contrast_is_computed_as_wcag_says() -> None:
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast("#b00020", "#353535") < 3  # the old error red on the dark window


@pytest.mark.parametrize("name", PALETTES)
def test_the_apps_own_colours_read_on_both_palettes(name: str) -> None:
    palette = theme.mend_palette(PALETTES[name]())
    chosen = theme.colours(palette)
    assert chosen.dark == (name == "dark")
    backgrounds = [palette.color(r) for r in (QPalette.ColorRole.Window,
                                              QPalette.ColorRole.Base,
                                              QPalette.ColorRole.AlternateBase)]
    for role in ("text", "muted", "error", "note", "link"):
        for background in backgrounds:
            ratio = theme.contrast(getattr(chosen, role), background)
            assert ratio >= theme.AA, f"{name}: {role} on {background.name()} is {ratio:.2f}"
    for role in (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Link):
        for background in backgrounds:
            assert theme.contrast(palette.color(role), background) >= theme.AA
    for pair, (text, background) in chosen.pairs().items():
        ratio = theme.contrast(text, background)
        assert ratio >= theme.AA, f"{name}: {pair} is {ratio:.2f}"


def test_the_reading_panes_page_colours_read_on_its_paper() -> None:
    from nbcompanion.ui.reference.reader import DARK_PAPER_COLOURS

    light = theme.colours(theme.light_palette())
    dark = theme.colours(theme.dark_palette())
    for colour in (*render.LINK_COLOURS.values(), render.MUTED):
        assert theme.contrast(colour, light.paper) >= theme.AA
        assert theme.contrast(colour, "#eef2f6") >= theme.AA  # inside a picture's box
        swapped = DARK_PAPER_COLOURS[colour]
        assert theme.contrast(swapped, dark.paper) >= theme.AA, colour
        assert theme.contrast(swapped, DARK_PAPER_COLOURS["#eef2f6"]) >= theme.AA
    # A search result's found words, and what changed in a newer version of a summary.
    assert theme.contrast(light.paper_text, "#fff1a8") >= theme.AA
    assert theme.contrast(dark.paper_text, DARK_PAPER_COLOURS["#fff1a8"]) >= theme.AA
    from nbcompanion.content.render_changes import ADDED_STYLE, REMOVED_STYLE

    for style in (ADDED_STYLE, REMOVED_STYLE):
        background, text = re.findall(r"#[0-9a-fA-F]{6}", style)[:2]
        assert theme.contrast(text, background) >= theme.AA, style


# -- every label on every page (over conftest's demo_path) -----------------------------------
@pytest.fixture(params=list(PALETTES))
def palette_name(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    before = qapp.palette()
    qapp.setPalette(PALETTES[request.param]())
    theme.install(qapp, follow=False)
    yield request.param
    qapp.setPalette(before)


_INLINE = re.compile(r"color:\s*(#[0-9a-fA-F]{6})")


def _pixels(image: QImage) -> Counter[int]:
    counts: Counter[int] = Counter()
    for y in range(image.height()):
        for x in range(image.width()):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    return counts


def _label_problems(label: QLabel, shot: QImage, window: QWidget) -> list[str]:
    """Measure the label as drawn: its background is its commonest pixel, its ink the pixel
    that stands out most; colours of inline spans and links are checked on that background."""
    top_left = label.mapTo(window, QPoint(0, 0))
    rect = QRect(top_left, label.size()).intersected(shot.rect())
    visible = label.visibleRegion().boundingRect()
    if rect.isEmpty() or visible.isEmpty():
        return []
    pixels = _pixels(shot.copy(rect))
    background = QColor(pixels.most_common(1)[0][0])
    ink = max((QColor(p) for p in pixels), key=lambda c: theme.contrast(c, background))
    colours = [("text", ink)] + [("span", QColor(c)) for c in _INLINE.findall(label.text())]
    if "<a " in label.text():
        colours.append(("link", label.palette().color(QPalette.ColorRole.Link)))
    found = []
    for kind, colour in colours:
        ratio = theme.contrast(colour, background)
        if ratio < theme.AA:
            found.append(f"{label.text()[:50]!r} {kind} {colour.name()} on "
                         f"{background.name()} = {ratio:.2f}")
    return found


def test_every_label_on_every_page_reads(qtbot, demo_path: Path, palette_name: str) -> None:
    from nbcompanion.ui.main_window import MainWindow

    store = open_store(demo_path)
    window = MainWindow(AppContext(store))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    problems: list[str] = []
    checked = 0
    for spec in window._specs:
        page = window.show_page(spec.key)
        for _ in range(3):
            QApplication.processEvents()
        shot = window.grab().toImage()
        for label in page.findChildren(QLabel):
            if label.isVisible() and label.text().strip() and label.isEnabled():
                checked += 1
                problems += [f"{spec.key}: {p}" for p in _label_problems(label, shot, window)]
    window.close()
    store.close()
    assert checked > 100
    assert problems == []


def test_dialog_messages_and_hints_read(qtbot, demo_path: Path, palette_name: str) -> None:
    from nbcompanion.ui.daily.medicines import MedicineDialog
    from nbcompanion.ui.record.child import ChildDialog
    from nbcompanion.ui.record.test_dialog import TestDialog

    store = open_store(demo_path)
    context = AppContext(store)
    problems: list[str] = []
    shown_errors = 0
    for cls in (ChildDialog, MedicineDialog, TestDialog):
        dialog = cls(context)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.save() is False  # nothing typed: the messages show beside the fields
        QApplication.processEvents()
        shot = dialog.grab().toImage()
        for label in dialog.findChildren(QLabel):
            if label.isVisible() and label.text().strip():
                shown_errors += label.objectName().startswith("error_")
                problems += [f"{cls.__name__}: {p}"
                             for p in _label_problems(label, shot, dialog)]
        dialog.done(0)
    from nbcompanion.ui.sharing import ShareDialog

    share = ShareDialog(None)
    qtbot.addWidget(share)
    share.show()
    qtbot.waitExposed(share)
    share._check()  # nothing chosen: the message shows
    QApplication.processEvents()
    assert share.error.isVisible()
    assert share.error.text()
    problems += [f"ShareDialog: {p}" for p in _label_problems(share.error, share.grab().toImage(),
                                                              share)]
    store.close()
    assert shown_errors >= 3
    assert problems == []


def test_the_charts_words_read_on_its_paper() -> None:
    """The chart stays light in both palettes (it is the printed one): its text on its fills."""
    from nbcompanion.reports.chart import ChartStyle

    style = ChartStyle()
    fills = [style.background or "#ffffff", style.range_fill, *style.phase_fills]
    for text in (style.ink, style.muted, style.today):
        for fill in fills:
            assert theme.contrast(text, fill) >= theme.AA, (text, fill)

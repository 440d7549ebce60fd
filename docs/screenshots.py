"""Render the README's screenshots at 1366×768 (a common laptop) from the sample record.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src python docs/screenshots.py

Writes docs/home.png, docs/reference.png, docs/trends.png (light) and docs/home-dark.png.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

HERE = Path(__file__).resolve().parent
SHOTS = {"light": ("home", "reference", "trends"), "dark": ("home",)}


def render(app: QApplication, palette_name: str) -> None:
    """Open the sample record in a fresh window and save each page of SHOTS."""
    from nbcompanion.ui import theme
    from nbcompanion.ui.opening import start_window

    app.setPalette(theme.dark_palette() if palette_name == "dark" else theme.light_palette())
    theme.install(app, follow=False)
    window = start_window(demo=True)
    if window is None:
        sys.exit("the sample record could not be opened")
    window.resize(1366, 768)
    window.show()
    for key in SHOTS[palette_name]:
        window.show_page(key)
        for _ in range(6):
            app.processEvents()
        suffix = "" if palette_name == "light" else f"-{palette_name}"
        window.grab().save(str(HERE / f"{key}{suffix}.png"))
    window.close()
    window.context.store.close()


def main() -> None:
    """Both palettes, one after the other."""
    app = QApplication.instance() or QApplication(["nbcompanion-screenshots"])
    app.setStyle("Fusion")
    for palette_name in SHOTS:
        render(app, palette_name)


if __name__ == "__main__":
    main()

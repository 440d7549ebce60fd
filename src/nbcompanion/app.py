"""Entry point: ``nbcompanion`` and ``python -m nbcompanion``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from nbcompanion import APP_NAME, ORG_NAME, SETTINGS_NAME, __version__

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


#: The AppStream id, also the name of the .desktop file the .deb installs (packaging/linux/).
DESKTOP_ID = "org.nbcompanion.NeuroblastomaCompanion"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: the record, the sample, sharing, ``--inspect-results FILE``
    and ``--self-test``."""
    parser = argparse.ArgumentParser(prog="nbcompanion", description=APP_NAME)
    parser.add_argument("--data", type=Path, metavar="PATH",
                        help="open the care record at PATH (default: $NBCOMPANION_DATA, "
                             "or the per-user data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="explore a fictional sample record in a temporary file")
    sharing = parser.add_argument_group("sharing a record between laptops")
    sharing.add_argument("--sync-setup", type=Path, metavar="FOLDER",
                         help="share the --data record through FOLDER (passphrase from "
                              "$NBCOMPANION_SYNC_PASSPHRASE or a prompt)")
    sharing.add_argument("--join", action="store_true",
                         help="with --sync-setup: build a new --data record from FOLDER")
    sharing.add_argument("--laptop-name", metavar="NAME",
                         help="with --sync-setup: this laptop's name, shown to the others")
    sharing.add_argument("--sync", action="store_true",
                         help="run one sync round for the --data record and print a summary")
    parser.add_argument("--inspect-results", type=Path, metavar="FILE",
                        help="print, as JSON, the lab results a FHIR file holds (no window, "
                             "no record touched)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation with the sample record in a temporary "
                             "folder (pages, search, PDF exports), then exit 0 if all is well")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app; returns the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.sync or args.sync_setup is not None:
        # Headless: no window, no Qt.
        from nbcompanion.sync.cli import run

        if args.data is None:
            print("--sync and --sync-setup need --data FILE", file=sys.stderr)
            return 2
        return run(args.data, setup=args.sync_setup, join=args.join, name=args.laptop_name)
    if args.inspect_results is not None:
        from nbcompanion.fhir.inspect import inspect

        return inspect(args.inspect_results)
    if args.self_test:
        from nbcompanion.ui.selftest import run_self_test

        return run_self_test(sys.stdout)

    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(SETTINGS_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    from nbcompanion.ui.theme import install as install_theme

    install_theme(app)  # readable placeholder text and links on light and dark palettes
    # Wayland desktops match the window to the installed menu entry (and its icon) by this.
    app.setDesktopFileName(DESKTOP_ID)
    from nbcompanion.ui.translate import install as install_language

    install_language()  # the system's language (or NBCOMPANION_LANGUAGE), before any widget
    from PySide6.QtGui import QIcon

    from nbcompanion.resources import resource_path

    app.setWindowIcon(QIcon(str(resource_path("icons/nbcompanion.svg"))))

    from nbcompanion.ui.opening import start_window

    window = start_window(data=args.data, demo=args.demo, finish_after_paint=True)
    if window is None:
        return 1
    window.show()
    if os.environ.get(QUIT_WHEN_SHOWN):
        _quit_after_first_paint(window)
    code = app.exec()
    window.context.stop_background_work()
    # Close the record (checkpointing its journal) and the window's objects while Qt is
    # still whole, rather than leaving both to the interpreter's arbitrary teardown order.
    window.context.store.close()
    window.deleteLater()
    app.processEvents()
    return code


#: Set (to anything) to quit as soon as the window has painted: for start-up measurements
#: (bench/bench_packaged.py) and install checks (packaging/ci_check.sh), never for families.
QUIT_WHEN_SHOWN = "NBCOMPANION_QUIT_WHEN_SHOWN"


def _quit_after_first_paint(window: QWidget) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, QApplication.quit)
            return False

    from PySide6.QtWidgets import QApplication

    window.installEventFilter(_FirstPaint(window))


if __name__ == "__main__":
    sys.exit(main())

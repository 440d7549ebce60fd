"""Entry point: ``nbcompanion`` and ``python -m nbcompanion``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from nbcompanion import APP_NAME, ORG_NAME, __version__


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: ``--data PATH`` and ``--demo``."""
    parser = argparse.ArgumentParser(prog="nbcompanion", description=APP_NAME)
    parser.add_argument("--data", type=Path, metavar="PATH",
                        help="open the care record at PATH (default: $NBCOMPANION_DATA, "
                             "or the per-user data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="explore a fictional sample record in a temporary file")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app; returns the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    from PySide6.QtGui import QIcon

    from nbcompanion.resources import resource_path

    app.setWindowIcon(QIcon(str(resource_path("icons/nbcompanion.svg"))))

    from nbcompanion.ui.opening import start_window

    window = start_window(data=args.data, demo=args.demo)
    if window is None:
        return 1
    window.show()
    code = app.exec()
    # Close the record (checkpointing its journal) and the window's objects while Qt is
    # still whole, rather than leaving both to the interpreter's arbitrary teardown order.
    window.context.store.close()
    window.deleteLater()
    app.processEvents()
    return code


if __name__ == "__main__":
    sys.exit(main())

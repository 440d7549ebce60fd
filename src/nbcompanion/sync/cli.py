"""``nbcompanion --data FILE --sync-setup FOLDER [--join]`` and ``--sync``: sharing, headless.

For tests, scripts and support: the passphrase comes from ``NBCOMPANION_SYNC_PASSPHRASE``
or a prompt; the result is one line of JSON on standard output.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from pathlib import Path

from nbcompanion.sync.crypto import SealError
from nbcompanion.sync.engine import (
    PASSPHRASE_ENV,
    SyncError,
    join_sharing,
    start_sharing,
    sync_round,
)


def _passphrase() -> str:
    text = os.environ.get(PASSPHRASE_ENV)
    if text:
        return text
    if not sys.stdin or not sys.stdin.isatty():
        raise SyncError(f"Set {PASSPHRASE_ENV} or run this in a terminal to type the "
                        "family passphrase.")
    return getpass.getpass("Family passphrase: ")


def run(record: Path, *, setup: Path | None, join: bool, name: str | None) -> int:
    """Set up, join, or run one round; prints a JSON summary. Exit 0, or 2 with a message."""
    try:
        if setup is not None:
            laptop = name or socket.gethostname()
            action = join_sharing if join else start_sharing
            summary = action(record, setup, _passphrase(), laptop)
        else:
            summary = sync_round(record)
    except (SyncError, SealError, OSError, ValueError) as error:
        print(json.dumps({"error": str(error)}), file=sys.stderr)
        return 2
    print(summary.as_json())
    return 0

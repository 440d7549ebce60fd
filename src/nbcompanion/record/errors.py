"""Named errors of the record layer.

Following qutebrowser's ``misc/sql.py``: trouble that comes from the environment (a full
disk, a read-only folder, a damaged or foreign file) becomes a :class:`RecordError` whose
text is fit to show a worried parent. Anything else is a bug and is left to surface as one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nbcompanion.i18n import N_, _


class RecordError(Exception):
    """Base class: ``str(error)`` is a plain sentence fit to show the user."""


class NotARecordError(RecordError):
    """The file is not a care record of this app (not SQLite, or another app's database)."""


class DamagedRecordError(RecordError):
    """The file is a care record but SQLite reports damage."""


class NewerVersionError(RecordError):
    """The file was written by a newer version of the app; it is never written to."""


class StorageError(RecordError):
    """The disk or folder refused a write: full, read-only, busy or failing."""


class MissingRecordError(RecordError):
    """The record file is missing or empty, but backups of it lie beside it.

    The app never silently starts an empty record in its place: the family chooses between
    the newest good backup and a new, empty record.
    """

    def __init__(self, message: str, *, empty: bool) -> None:
        super().__init__(message)
        #: True for a 0-byte file, False for a file that is not there at all.
        self.empty = empty


class ReadOnlyRecordError(StorageError):
    """The record is open read-only (a read-only file or folder, or damage was found)."""


class RecordInUseError(RecordError):
    """The record is already open in another window of the app (one writer per file)."""


class NotFoundError(RecordError):
    """An entry that was asked for does not exist (perhaps deleted meanwhile)."""


class ValidationError(RecordError):
    """Input that cannot be saved. ``errors`` maps a field name to a message for beside it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()) or "Please check the entry.")


# Fragments of SQLite's messages → the sentence a parent should read.
_ENVIRONMENT_MESSAGES = (
    ("database or disk is full",
     N_("The disk is full, so nothing could be saved. Free some space and try again.")),
    ("readonly database",
     N_("The record's folder cannot be written to, so nothing could be saved.")),
    ("read-only", N_("The record's folder cannot be written to, so nothing could be saved.")),
    ("disk i/o error",
     N_("The computer could not write to the disk, so nothing could be saved.")),
    ("unable to open database file", N_("The record's file or folder could not be opened.")),
    ("database is locked",
     N_("The record is busy in another program. Please try again in a moment.")),
)


def translate_sqlite_error(
    error: sqlite3.Error, path: Path | str | None = None
) -> RecordError | None:
    """Return the user-facing error for an environment problem, or ``None`` for a bug."""
    text = str(error).lower()
    where = f" ({path})" if path else ""
    if "file is not a database" in text:
        return NotARecordError(_("This file is not a care record of this app{where}.").format(
                                 where=where))
    if "malformed" in text or "corrupt" in text:
        return DamagedRecordError(_("The care record file is damaged{where}.").format(
                                    where=where))
    for fragment, message in _ENVIRONMENT_MESSAGES:
        if fragment in text:
            return StorageError(_(message))
    return None

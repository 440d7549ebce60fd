"""The small questions and messages about the record file, each behind a classmethod that
tests replace (``RecordProblem.ask``, ``ConfirmRestore.ask``, ``Notice.show``,
``ChooseFile.*``)."""

from __future__ import annotations

import enum
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from nbcompanion.record.backup import Backup, Summary
from nbcompanion.record.errors import (
    DamagedRecordError,
    MissingRecordError,
    NewerVersionError,
    NotARecordError,
    RecordError,
    RecordInUseError,
)
from nbcompanion.ui.translate import tr

RECORD_FILTER = "Care records (*.sqlite3 *.db);;All files (*)"


def when(moment: datetime) -> str:
    """A date and time as a parent reads it: "Tuesday 24 November 2026, 09:12"."""
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M}"


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 child", "2 children", "0 tests"."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def holdings(summary: Summary) -> str:
    """What a record holds: "1 child, 12 tests and 5 visits"."""
    return (f"{plural(summary.children, 'child', 'children')}, {plural(summary.tests, 'test')} "
            f"and {plural(summary.visits, 'visit')}")


class Choice(enum.Enum):
    """What the family chose to do about a record that could not be opened."""

    USE_BACKUP = "use_backup"
    OPEN_OTHER = "open_other"
    START_NEW = "start_new"
    TRY_AGAIN = "try_again"
    GIVE_UP = "give_up"


class RecordProblem:
    """The message shown when a record cannot be opened, and the ways forward it offers."""

    @staticmethod
    def choices(error: RecordError, backup: Backup | None) -> list[Choice]:
        """The ways forward that make sense for ``error`` (first is the default)."""
        if isinstance(error, MissingRecordError):
            first = [Choice.USE_BACKUP] if backup else []
            return [*first, Choice.START_NEW, Choice.OPEN_OTHER, Choice.GIVE_UP]
        if isinstance(error, DamagedRecordError):
            first = [Choice.USE_BACKUP] if backup else []
            return [*first, Choice.OPEN_OTHER, Choice.START_NEW, Choice.GIVE_UP]
        if isinstance(error, NotARecordError):
            first = [Choice.USE_BACKUP] if backup else []
            return [*first, Choice.OPEN_OTHER, Choice.START_NEW, Choice.GIVE_UP]
        if isinstance(error, NewerVersionError):
            return [Choice.OPEN_OTHER, Choice.GIVE_UP]
        return [Choice.TRY_AGAIN, Choice.OPEN_OTHER, Choice.GIVE_UP]

    @staticmethod
    def texts(path: Path, error: RecordError, backup: Backup | None,
              summary: Summary | None) -> tuple[str, str, str]:
        """(window title, main sentence, details) for ``error``."""
        saved = ""
        if backup is not None:
            held = f" It holds {holdings(summary)}." if summary else ""
            saved = (f"\n\nThe newest good backup was made on {when(backup.created)}.{held} "
                     "You can put it in place: the file that cannot be read is kept beside "
                     "it, renamed, and is not changed.")
        if isinstance(error, MissingRecordError):
            what = "is empty" if error.empty else "is missing"
            saved = saved.replace("You can put it in place: the file that cannot be read is "
                                  "kept beside it, renamed, and is not changed.",
                                  "You can put it in place of the " + (
                                      "empty file, which is kept beside it, renamed."
                                      if error.empty else "missing file."))
            return ("Your care record needs attention",
                    f"The care record file {what}, but there are backups of it. The app has "
                    "not started a new, empty record in its place.",
                    f"File: {path}{saved or chr(10) * 2 + 'None of the backups can be used.'}"
                    "\n\nIf you start a new, empty record instead, the backups are kept.")
        if isinstance(error, DamagedRecordError):
            return ("Your care record needs attention",
                    "The care record file is damaged, so the app has not opened it. "
                    "Nothing has been written to it.",
                    f"File: {path}{saved or chr(10) * 2 + 'There is no good backup of it.'}")
        if isinstance(error, NotARecordError):
            return ("This is not a care record",
                    "This file is not a care record of this app, so it was not opened. "
                    "Nothing in it has been changed.",
                    f"File: {path}{saved}")
        if isinstance(error, NewerVersionError):
            return ("A newer version of the app is needed",
                    "This care record was saved by a newer version of the app. Please "
                    "install the newer version to open it. The file has not been changed.",
                    f"File: {path}")
        if isinstance(error, RecordInUseError):
            return ("The care record is already open", str(error), "")
        return ("The care record could not be opened", str(error),
                "Your saved entries are not affected.")

    @staticmethod
    def button_text(choice: Choice, backup: Backup | None, *, at_start: bool) -> str:
        """The label of the button for ``choice``."""
        if choice is Choice.USE_BACKUP and backup is not None:
            return f"Use the backup of {backup.created.day} {backup.created:%B}"
        return {
            Choice.OPEN_OTHER: "Open another file…",
            Choice.START_NEW: "Start a new, empty record",
            Choice.TRY_AGAIN: "Try again",
            Choice.GIVE_UP: "Quit" if at_start else "Cancel",
        }.get(choice, "")

    @classmethod
    def build(cls, parent: QWidget | None, path: Path, error: RecordError,
              backup: Backup | None = None, summary: Summary | None = None, *,
              at_start: bool = True) -> tuple[QMessageBox, dict[object, Choice]]:
        """The message box (not shown) and which button means which choice."""
        title, text, details = cls.texts(path, error, backup, summary)
        box = QMessageBox(parent)
        box.setWindowTitle(title)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(text)
        box.setInformativeText(details)
        buttons: dict[object, Choice] = {}
        for index, choice in enumerate(cls.choices(error, backup)):
            role = (QMessageBox.ButtonRole.RejectRole if choice is Choice.GIVE_UP
                    else QMessageBox.ButtonRole.AcceptRole)
            button = box.addButton(cls.button_text(choice, backup, at_start=at_start), role)
            buttons[button] = choice
            if index == 0:
                box.setDefaultButton(button)
        return box, buttons

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path, error: RecordError,
            backup: Backup | None = None, summary: Summary | None = None, *,
            at_start: bool = True) -> Choice:
        """Show the problem and return what the family chose."""
        box, buttons = cls.build(parent, path, error, backup, summary, at_start=at_start)
        box.exec()
        return buttons.get(box.clickedButton(), Choice.GIVE_UP)


class ConfirmRestore:
    """"Put this backup in place?" — asked before any restore."""

    @staticmethod
    def text(backup_when: datetime | None, summary: Summary) -> str:
        """The question, naming the backup and what it holds."""
        which = f"the backup made on {when(backup_when)}" if backup_when else "this file"
        return (f"Put {which} in place of the record you have now?\n\n"
                f"It holds {holdings(summary)}. Entries saved after it was made will not be "
                "shown, but the record you have now is backed up first, so nothing is lost "
                "and you can change your mind.")

    @classmethod
    def ask(cls, parent: QWidget | None, backup_when: datetime | None, summary: Summary) -> bool:
        """True when the family confirmed the restore."""
        box = QMessageBox(QMessageBox.Icon.Question, "Restore a backup",
                          cls.text(backup_when, summary), parent=parent)
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is restore


class Notice:
    """A plain message: ``kind`` is "info", "warning" or "error"."""

    @classmethod
    def show(cls, parent: QWidget | None, kind: str, title: str, text: str) -> None:
        """Show the message and wait until it is read."""
        icon = {"info": QMessageBox.Icon.Information, "warning": QMessageBox.Icon.Warning,
                "error": QMessageBox.Icon.Critical}[kind]
        QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent).exec()


class ChooseFile:
    """The file pickers of the File menu."""

    @classmethod
    def open_record(cls, parent: QWidget | None, folder: Path | None = None) -> Path | None:
        """A record (or exported backup) to open."""
        name, _ = QFileDialog.getOpenFileName(parent, tr("Open a care record"),
                                              str(folder or Path.home()), RECORD_FILTER)
        return Path(name) if name else None

    @classmethod
    def new_record(cls, parent: QWidget | None, folder: Path | None = None) -> Path | None:
        """Where to keep a new, empty record."""
        start = (folder or Path.home()) / "new-care-record.sqlite3"
        name, _ = QFileDialog.getSaveFileName(parent, tr("Start a new care record"), str(start),
                                              RECORD_FILTER)
        return Path(name) if name else None

    @classmethod
    def export_to(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        """Where to save an exported backup."""
        name, _ = QFileDialog.getSaveFileName(parent, tr("Export a backup of the care record"),
                                              str(suggested), RECORD_FILTER)
        return Path(name) if name else None

    @classmethod
    def backup_file(cls, parent: QWidget | None, folder: Path | None = None) -> Path | None:
        """An exported backup (e.g. from another computer) to restore."""
        name, _ = QFileDialog.getOpenFileName(parent, tr("Restore from a file"),
                                              str(folder or Path.home()), RECORD_FILTER)
        return Path(name) if name else None

"""Deleting asks first and can be undone with Ctrl+Z while the app is open; Cancel asks
before what was typed is thrown away."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox, QWidget

from nbcompanion.record import entries
from nbcompanion.record.errors import RecordError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.translate import tr


class ConfirmDelete:
    """The question asked before anything is deleted (tests monkeypatch :meth:`ask`)."""

    @classmethod
    def ask(cls, parent: QWidget | None, what: str) -> bool:
        """True when the user confirms deleting ``what`` (e.g. "this visit on 3 May 2026")."""
        answer = QMessageBox.question(
            parent, tr("Delete?"),
            tr("Delete {what}?\n\nYou can undo this with Ctrl+Z while the app is "
               "open.").format(what=what),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes


class DiscardQuestion:
    """Asks before Cancel throws away what was typed (tests monkeypatch :meth:`ask`)."""

    @staticmethod
    def ask(parent: QWidget) -> bool:
        """True when the user chooses to discard."""
        box = QMessageBox(QMessageBox.Icon.Question, "Discard what you typed?",
                          "Discard what you typed?", parent=parent)
        box.setInformativeText(tr("What you typed or chose in this window will be lost."))
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard


class DeleteCommand(QUndoCommand):
    """Delete one entry; undo puts it back with the same id and links."""

    def __init__(self, context: AppContext, table: str, entry_id: int, what: str,
                 snapshot: entries.Snapshot) -> None:
        super().__init__(f"Delete {what}")
        self.context = context
        self.table = table
        self.entry_id = entry_id
        self.snapshot = snapshot
        self._first_redo = True

    def redo(self) -> None:
        """Delete again (the first time, the delete has already happened)."""
        if not self._first_redo:
            self.snapshot = entries.delete(self.context.store, self.table, self.entry_id)
        self._first_redo = False
        self._changed()

    def undo(self) -> None:
        """Put the entry back."""
        entries.restore(self.context.store, self.snapshot)
        self._changed()

    def _changed(self) -> None:
        self.context.notify_changed(self.table)
        if self.table == "child":
            self.context.active_child_changed.emit(self.context.active_child_id)


def delete_with_undo(context: AppContext, parent: QWidget | None, table: str, entry_id: int,
                     what: str) -> bool:
    """Ask, then delete ``entry_id`` of ``table`` as an undoable step; True when deleted."""
    if not ConfirmDelete.ask(parent, what):
        return False
    # Delete first, outside Qt: an exception inside QUndoCommand.redo() would be swallowed
    # by Qt and leave a command on the stack for a delete that never happened.
    try:
        snapshot = entries.delete(context.store, table, entry_id)
    except RecordError as error:
        QMessageBox.warning(parent, tr("Nothing was deleted"), str(error))
        return False
    context.undo_stack.push(DeleteCommand(context, table, entry_id, what, snapshot))
    return True

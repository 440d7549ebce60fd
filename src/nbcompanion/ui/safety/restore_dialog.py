"""File › Restore from a backup…: the list of backups, and putting one back in place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import backup
from nbcompanion.record.errors import RecordError
from nbcompanion.record.store import open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.keyboard import order_plain_dialog
from nbcompanion.ui.safety.checks import DAMAGED, use_backup_in_place
from nbcompanion.ui.safety.dialogs import ChooseFile, ConfirmRestore, Notice, when
from nbcompanion.ui.translate import tr

INTRO = N_(
    "The app keeps copies of your care record by itself: once a day when you start it, and "
    "before every update. You can put one of them back in place of the record you have now. "
    "The record you have now is backed up first, so nothing is lost."
)


def restore_into(context: AppContext, source: Path) -> None:
    """Put the backup (or exported file) ``source`` in place of the open record.

    The open record is backed up first. Raises :class:`RecordError` with a plain message; the
    window then still shows the record as it was.
    """
    store = context.store
    path = store.path
    if path is None:
        raise backup.BackupError(tr("This record is not kept in a file, so it has no backups."))
    summary = backup.check_file(Path(source))
    if not summary.ok:
        raise backup.BackupError(tr("{problem} It was not restored.\n\nFile: {source}").format(
                                    problem=summary.problem, source=source))
    if store.read_only == DAMAGED:  # set aside, unchanged, rather than backed up
        use_backup_in_place(context, Path(source))
        return
    safety = backup.create_backup(store, backup.BEFORE_RESTORE)
    store.close()
    try:
        backup.restore_file(Path(source), path)
        restored = open_store(path, before_upgrade=backup.before_upgrade_backup)
    except RecordError:
        try:
            previous = open_store(path, before_upgrade=backup.before_upgrade_backup)
        except RecordError:  # the restored file is there but unusable: put ours back
            backup.restore_file(safety.path, path)
            previous = open_store(path, before_upgrade=backup.before_upgrade_backup)
        context.replace_store(previous, demo=context.demo)
        raise
    context.replace_store(restored, demo=context.demo)


class RestoreDialog(QDialog):
    """The backups of the open record with their date and what they hold."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(tr("Restore from a backup"))
        self.resize(720, 420)
        intro = QLabel(tr(INTRO))
        intro.setWordWrap(True)
        intro.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.empty = QLabel(tr("There are no backups of this record yet. The app makes one "
                            "each day you start it."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setAccessibleName(tr("Backups of the care record"))
        self.table.setHeaderLabels([tr("Made on"), tr("Kind"), tr("Children"), tr("Tests"),
                                    tr("Visits"), tr("Check")])
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.restore_button = QPushButton(tr("Restore this backup…"))
        self.from_file_button = QPushButton(tr("Restore from a file…"))
        self.from_file_button.setToolTip(tr("Restore an exported backup, for example one brought "
                                         "from another computer"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.from_file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.from_file_button.clicked.connect(self._on_from_file_button_clicked)
        self.table.currentItemChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(self._on_restore_button_clicked)
        self.reload()
        order_plain_dialog(self, buttons)

    def reload(self) -> None:
        """List the backups again (newest first) and check each one."""
        self.table.clear()
        path = self.context.store.path
        for found in backup.list_backups(path) if path else []:
            summary = backup.check_file(found.path, full=False)
            counts = ([str(summary.children), str(summary.tests), str(summary.visits)]
                      if summary.ok else ["–", "–", "–"])
            item = QTreeWidgetItem([when(found.created), found.label, *counts,
                                    "Good" if summary.ok else "Cannot be used"])
            item.setData(0, Qt.ItemDataRole.UserRole, (found, summary))
            if not summary.ok:
                item.setToolTip(5, summary.problem)
            for column in (2, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.table.addTopLevelItem(item)
        has_any = self.table.topLevelItemCount() > 0
        self.empty.setVisible(not has_any)
        self.table.setVisible(has_any)
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)
        self._update_buttons()

    def selected(self) -> tuple[backup.Backup, backup.Summary] | None:
        """The chosen backup and what it holds."""
        item = self.table.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(chosen is not None and chosen[1].ok)

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen[1].ok:
            return
        found, summary = chosen
        if ConfirmRestore.ask(self, found.created, summary):
            self._restore(found.path, f"The record as it was on {when(found.created)} is back.")

    @Slot()
    def _on_from_file_button_clicked(self) -> None:
        source = ChooseFile.backup_file(self)
        if source is None:
            return
        summary = backup.check_file(source)
        if not summary.ok:
            Notice.show(self, "error", "This file cannot be restored",
                        f"{summary.problem} Your record has not been changed.\n\nFile: {source}")
            return
        if ConfirmRestore.ask(self, None, summary):
            self._restore(source, f"The record from {source.name} is in place.")

    def _restore(self, source: Path, done: str) -> None:
        try:
            restore_into(self.context, source)
        except RecordError as error:
            Notice.show(self, "error", "The backup could not be restored",
                        f"{error}\n\nYour record has not been changed.")
            self.reload()
            return
        Notice.show(self, "info", "Backup restored",
                    f"{done} The record you had just before is kept as a backup too.")
        self.accept()

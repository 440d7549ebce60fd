"""File › Share this record with another laptop…, the sync status, and the conflicts list.

Sync rounds run in a separate, short-lived process (``nbcompanion --data FILE --sync``):
the shared document needs 100–250 MB and holds Python's lock while it loads, so neither
belongs in the window's process. A round runs shortly after the window opens, every few
minutes, from File › Sync now, and once more as the app quits.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.record.ids import SHARED_SETTING
from nbcompanion.ui.theme import colours, error_style
from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from nbcompanion.ui.main_window import MainWindow

#: How often a round runs while the app is open.
ROUND_EVERY_MS = 5 * 60 * 1000
#: The first round waits until the window has settled.
FIRST_ROUND_AFTER_MS = 5_000

#: How each kind of entry is named in the conflicts list: table → (label, column to show).
ENTRY_NAMES: dict[str, tuple[str, str]] = {
    "child": ("Child", "name"), "test": ("Test", "date"), "test_value": ("Result", "analyte"),
    "phase": ("Treatment phase", "kind"), "treatment_event": ("Treatment", "kind"),
    "visit": ("Visit", "starts_at"), "question": ("Question", "text"),
    "care_team_member": ("Care team", "name"), "diary_entry": ("Diary", "at"),
    "medicine": ("Medicine", "name"), "dose_log": ("Dose", "at"),
    "test_type": ("Kind of test", "name"), "analyte": ("Kind of result", "name"),
}


def _sync_command(record: Path, *extra: str) -> tuple[str, list[str]]:
    if getattr(sys, "frozen", False):  # the packaged app: its own executable
        return sys.executable, ["--data", str(record), *extra]
    return sys.executable, ["-m", "nbcompanion", "--data", str(record), *extra]


def _is_shared(window: MainWindow) -> bool:
    return window.context.store.get_setting(SHARED_SETTING) is not None


class PassphraseDialog(QDialog):
    """Asks for the family passphrase (kept in memory only, for this session)."""

    def __init__(self, parent: QWidget | None, why: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Family passphrase"))
        layout = QVBoxLayout(self)
        text = QLabel(why)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Family passphrase"))
        form = QFormLayout()
        form.addRow(tr("&Passphrase:"), self.passphrase)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, why: str) -> str | None:
        """The passphrase typed, or None when cancelled."""
        dialog = cls(parent, why)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.passphrase.text():
            return None
        return dialog.passphrase.text()


@dataclass(frozen=True)
class ShareChoice:
    """What the family chose in :class:`ShareDialog`."""

    folder: Path
    name: str
    passphrase: str
    joining: bool


class ShareDialog(QDialog):
    """Choose the shared folder, this laptop's name and the family passphrase.

    A folder that already holds a shared record is joined: a new record file is made on
    this laptop from it. Otherwise the open record starts being shared through it.
    """

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Share this record with another laptop"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr("Choose a folder that your laptops already share — a Syncthing folder, a "
            "cloud-drive folder, or a USB stick you carry across. Each laptop keeps its own "
            "copy of the record and they meet in that folder. Everything the app puts there "
            "is locked with the family passphrase; the passphrase itself never goes there."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.folder = QLineEdit()
        self.folder.setAccessibleName(tr("Shared folder"))
        choose = QPushButton(tr("C&hoose…"))
        choose.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        folder_label = QLabel(tr("Shared &folder:"))
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, row)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        form.addRow("", self.state)
        self.name = QLineEdit(socket.gethostname())
        self.name.setAccessibleName(tr("This laptop's name"))
        self.name.setPlaceholderText(tr("For example: Mum's laptop"))
        form.addRow(tr("This laptop's &name:"), self.name)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Family passphrase"))
        form.addRow(tr("Family &passphrase:"), self.passphrase)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(tr("Passphrase again"))
        self.repeat_label = QLabel(tr("&Again:"))
        self.repeat_label.setBuddy(self.repeat)
        form.addRow(self.repeat_label, self.repeat)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())  # readable on light and dark palettes
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.folder.textChanged.connect(self._update_state)
        self._update_state()

    @property
    def joining(self) -> bool:
        """Whether the chosen folder already holds a shared record."""
        text = self.folder.text().strip()
        return bool(text) and (Path(text) / "family.json").exists()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Choose the shared folder"),
                                                  self.folder.text() or str(Path.home()))
        if chosen:
            self.folder.setText(chosen)

    @Slot()
    def _update_state(self) -> None:
        joining = self.joining
        self.repeat.setVisible(not joining)
        self.repeat_label.setVisible(not joining)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if joining:
            self.state.setText(tr("This folder already holds a shared record. This laptop will "
                               "join it: a new record file is made here from it and opened."))
            ok.setText(tr("&Join"))
        else:
            self.state.setText(tr("The record open now will be shared through this folder.")
                               if self.folder.text().strip() else "")
            ok.setText(tr("&Start sharing"))

    def _check(self) -> None:
        problems = []
        if not self.folder.text().strip():
            problems.append("Please choose the shared folder.")
        if len(self.passphrase.text()) < 8:
            problems.append("Please use a passphrase of at least 8 characters.")
        elif not self.joining and self.passphrase.text() != self.repeat.text():
            problems.append("The two passphrases differ; please type it again.")
        if not self.name.text().strip():
            problems.append("Please name this laptop, so the others know who changed what.")
        self.error.setText("\n".join(problems))
        if not problems:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> ShareChoice | None:
        """The family's choice, or None when cancelled."""
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return ShareChoice(Path(dialog.folder.text().strip()), dialog.name.text().strip(),
                           dialog.passphrase.text(), dialog.joining)


class ConflictsDialog(QDialog):
    """Every entry changed on two laptops at once, with each laptop's value to choose."""

    def __init__(self, window: MainWindow, runner: SyncRunner) -> None:
        super().__init__(window)
        self.window_ = window
        self.runner = runner
        self.setWindowTitle(tr("Changed on two laptops at once"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("These entries were changed on two laptops before they had seen each "
                       "other's change. Both are kept until you choose; nothing is lost."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list_widget = QWidget()
        self.list_layout = QVBoxLayout(self.list_widget)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_widget)
        layout.addWidget(scroll, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the list from the record."""
        from nbcompanion.sync.engine import open_conflicts

        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        conflicts = open_conflicts(self.window_.context.store.conn)
        if not conflicts:
            self.list_layout.addWidget(QLabel(tr("Nothing to choose: the laptops agree.")))
        for conflict in conflicts:
            self.list_layout.addWidget(self._conflict_box(conflict))
        self.list_layout.addStretch(1)

    def _describe(self, table: str, row_id: int) -> str:
        label, column = ENTRY_NAMES.get(table, (table.replace("_", " ").capitalize(), "id"))
        try:
            row = self.window_.context.store.execute(
                f"SELECT [{column}] FROM [{table}] WHERE id = ?", [row_id]).fetchone()
        except sqlite3.Error:
            row = None
        label = tr(label)
        return f"{label}: {row[0]}" if row and row[0] else label

    def _conflict_box(self, conflict: Any) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        title = QLabel(f"<b>{self._describe(conflict.table, conflict.row_id)}</b>"
                       + ("" if conflict.about_a_delete
                          else " — " + tr(conflict.field.replace("_", " ").capitalize())))
        column.addWidget(title)
        if conflict.about_a_delete:
            who = [(tr("{laptop} deleted it") if w["value"] else tr("{laptop} changed it"))
                   .format(laptop=w["laptop"]) for w in conflict.writes]
            column.addWidget(QLabel(" · ".join(who)))
            row = QHBoxLayout()
            for text, value in ((tr("&Keep it"), False), (tr("&Delete it"), True)):
                button = QPushButton(text)
                button.clicked.connect(lambda _=False, c=conflict, v=value: self._settle(c, v))
                row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
            return box
        for write in conflict.writes:
            row = QHBoxLayout()
            shown = tr("(empty)") if write["value"] in (None, "") else str(write["value"])
            label = QLabel(tr("{laptop}: {shown}").format(laptop=write['laptop'], shown=shown))
            label.setWordWrap(True)
            row.addWidget(label, 1)
            button = QPushButton(tr("Keep this"))
            button.setAccessibleName(tr("Keep {shown} from {laptop}").format(
                                        shown=shown, laptop=write['laptop']))
            button.clicked.connect(
                lambda _=False, c=conflict, v=write["value"]: self._settle(c, v))
            row.addWidget(button)
            column.addLayout(row)
        return box

    def _settle(self, conflict: Any, value: Any) -> None:
        from nbcompanion.sync.engine import settle

        path = self.window_.context.store.path
        if path is None:
            return
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            settle(conn, conflict, value)
        finally:
            conn.close()
        self.window_.context.notify_changed("")
        self.runner.update_conflicts()
        self.refresh()
        self.runner.sync_now()


class SyncRunner(QObject):
    """Runs sync rounds in a child process and shows how sharing is going.

    The family key comes from the system keyring; where there is none, the passphrase is
    asked once and the key kept in this process's memory, handed to each round through
    its environment.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.key_hex: str | None = None
        self.process: QProcess | None = None
        self.last_summary: dict[str, Any] | None = None
        self.status = QLabel("")
        self.status.setAccessibleName(tr("Sharing status"))
        window.statusBar().addPermanentWidget(self.status)
        self.notice: QWidget | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(ROUND_EVERY_MS)
        self.timer.timeout.connect(self.sync_now)
        window.context.store_replaced.connect(self._on_store_replaced)
        self._on_store_replaced()

    @Slot()
    def _on_store_replaced(self) -> None:
        shared = _is_shared(self.window_)
        self.status.setVisible(shared)
        if shared:
            self.status.setText(tr("Shared with other laptops"))
            self.timer.start()
            QTimer.singleShot(FIRST_ROUND_AFTER_MS, self.sync_now)
        else:
            self.timer.stop()
        self.update_conflicts()

    def _environment(self) -> QProcessEnvironment:
        environment = QProcessEnvironment.systemEnvironment()
        if self.key_hex:
            environment.insert("NBCOMPANION_SYNC_KEY", self.key_hex)
        return environment

    @Slot()
    def sync_now(self) -> None:
        """Start a round now, unless one is running."""
        if not _is_shared(self.window_) or self.window_.context.store.path is None:
            return
        if self.window_.context.store.read_only:  # damaged or read-only: never written
            return
        if self.process is not None:
            return
        program, arguments = _sync_command(self.window_.context.store.path, "--sync")
        process = QProcess(self)
        process.setProcessEnvironment(self._environment())
        process.finished.connect(self._on_round_finished)
        self.process = process
        self.status.setText(tr("Sharing: bringing the laptops in step…"))
        process.start(program, arguments)

    @Slot(int, QProcess.ExitStatus)
    def _on_round_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        output = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        errors = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        process.deleteLater()
        if code != 0:
            message = _error_text(errors)
            wants_key = "passphrase" in message.lower() and self.key_hex is None
            if wants_key and self._ask_key():
                self.sync_now()
                return
            self.status.setText(tr("Sharing paused: {message}").format(message=message))
            return
        try:
            summary = json.loads(output.strip().splitlines()[-1])
        except (ValueError, IndexError):
            self.status.setText(tr("Sharing paused: the last round said nothing we could read."))
            return
        self.last_summary = summary
        self.status.setText(status_text(summary, datetime.now()))
        if summary.get("applied"):
            self.window_.context.notify_changed("")
        self.update_conflicts()

    def _ask_key(self) -> bool:
        from nbcompanion.sync.crypto import SealError
        from nbcompanion.sync.engine import SyncError, key_for

        passphrase = PassphraseDialog.ask(
            self.window_, "This computer has no keyring to keep the family passphrase, so "
                          "please type it once for this session.")
        if passphrase is None or self.window_.context.store.path is None:
            return False
        try:
            self.key_hex = key_for(self.window_.context.store.path, passphrase).hex()
        except (SyncError, SealError, ValueError) as error:  # ValueError: a newer app's folder
            QMessageBox.warning(self.window_, tr("Sharing"), str(error))
            return False
        return True

    def update_conflicts(self) -> None:
        """Show or hide the bar that points at the conflicts list."""
        count = 0
        if _is_shared(self.window_):
            from nbcompanion.sync.engine import open_conflicts

            count = len(open_conflicts(self.window_.context.store.conn))
        if count and self.notice is None:
            self.notice = _conflict_notice(self.window_, self, count)
            self.window_.add_notice(self.notice)
        elif self.notice is not None and not count:
            self.notice.deleteLater()
            self.notice = None
        elif self.notice is not None:
            label = self.notice.findChild(QLabel)
            if label is not None:
                label.setText(_conflict_words(count))

    def show_conflicts(self) -> None:
        """Open the conflicts list."""
        ConflictsDialog(self.window_, self).exec()

    def on_quit(self) -> None:
        """A last round as the app quits, in a process that outlives the window."""
        if not _is_shared(self.window_) or self.window_.context.store.path is None:
            return
        if self.window_.context.store.read_only:  # damaged or read-only: never written
            return
        program, arguments = _sync_command(self.window_.context.store.path, "--sync")
        if self.process is not None:
            self.process.waitForFinished(10_000)
        detached = QProcess()
        detached.setProgram(program)
        detached.setArguments(arguments)
        detached.setProcessEnvironment(self._environment())
        detached.startDetached()


def _error_text(stderr: str) -> str:
    for line in reversed(stderr.strip().splitlines()):
        try:
            return str(json.loads(line)["error"])
        except (ValueError, KeyError, TypeError):
            continue
    return "the last round could not finish; it will try again."


def status_text(summary: dict[str, Any], now: datetime) -> str:
    """The status bar's words for a finished round."""
    laptops = len(summary.get("laptops", {}))
    parts = [f"Shared · last synced {now:%H:%M}", f"{laptops} laptops"]
    for name, count in sorted(summary.get("changes_from", {}).items()):
        parts.append(f"{count} change{'s' if count != 1 else ''} from {name}")
    if summary.get("waiting"):
        parts.append("waiting for files still being copied")
    return " · ".join(parts)


def _conflict_words(count: int) -> str:
    entries = "entry was" if count == 1 else "entries were"
    return f"{count} {entries} changed on two laptops at once. Both versions are kept."


def _conflict_notice(window: MainWindow, runner: SyncRunner, count: int) -> QWidget:
    bar = QWidget()
    bar.setObjectName("conflictNotice")
    chosen = colours()  # the notice colours of the palette in use (AA on light and dark)
    bar.setStyleSheet(f"#conflictNotice {{ background: {chosen.notice}; "
                      f"border-bottom: 1px solid {chosen.notice_border}; }}"
                      f" #conflictNotice QLabel {{ color: {chosen.notice_text}; }}")
    row = QHBoxLayout(bar)
    label = QLabel(_conflict_words(count))
    label.setWordWrap(True)
    row.addWidget(label, 1)
    button = QPushButton(tr("&Choose which to keep…"))
    button.clicked.connect(runner.show_conflicts)
    row.addWidget(button)
    return bar


def _share(window: MainWindow, runner: SyncRunner) -> None:
    if _is_shared(window):
        QMessageBox.information(window, tr("Already shared"),
                                tr("This record is already shared. File › Sync now brings the "
                                "laptops in step; File › Stop sharing… ends it."))
        return
    choice = ShareDialog.ask(window)
    if choice is None:
        return
    current = window.context.store.path
    extra = ["--sync-setup", str(choice.folder), "--laptop-name", choice.name]
    if choice.joining:
        base = (current.parent if current else Path.home())
        record = base / "shared-care-record.sqlite3"
        number = 2
        while record.exists():
            record = base / f"shared-care-record-{number}.sqlite3"
            number += 1
        extra.append("--join")
    elif current is None or window.context.demo:
        QMessageBox.information(window, tr("Sharing"), tr("The sample record cannot be shared. "
                                "Open your own record first."))
        return
    else:
        record = current
    program, arguments = _sync_command(record, *extra)
    environment = QProcessEnvironment.systemEnvironment()
    # The passphrase goes to the child process only, never to a file.
    environment.insert("NBCOMPANION_SYNC_PASSPHRASE", choice.passphrase)
    from nbcompanion.ui.background import Progress, run_in_background

    def work(progress: Progress) -> tuple[int, str]:
        local = QProcess()
        local.setProcessEnvironment(environment)
        local.start(program, arguments)
        while not local.waitForFinished(200):
            if progress.cancelled:
                local.kill()
                local.waitForFinished(5_000)
                progress.check()
        errors = bytes(local.readAllStandardError().data()).decode("utf-8", "replace")
        return local.exitCode(), errors

    def done(result: tuple[int, str]) -> None:
        code, errors = result
        if code != 0:
            QMessageBox.warning(window, tr("Sharing did not start"), _error_text(errors))
            return
        if choice.joining:
            from nbcompanion.ui.safety.menu import switch_record

            switch_record(window, record)
        else:
            window.context.store_replaced.emit()
        QMessageBox.information(
            window, tr("Shared"),
            tr("This record is now shared through the folder. Do the same on the other laptop "
            "with the same passphrase, choosing the same folder, to join it."))

    def failed(error: BaseException) -> None:
        QMessageBox.warning(window, tr("Sharing did not start"), str(error))

    run_in_background(window, work, on_success=done, on_failure=failed,
                      title=tr("Sharing this record"), label=tr("Preparing the shared copy…"))


def _stop(window: MainWindow, runner: SyncRunner) -> None:
    if not _is_shared(window) or window.context.store.path is None:
        return
    answer = QMessageBox.question(
        window, tr("Stop sharing?"),
        tr("This laptop stops keeping its record in step with the others. The record stays "
        "here as it is, and the shared folder is not touched."))
    if answer != QMessageBox.StandardButton.Yes:
        return
    from nbcompanion.sync.engine import stop_sharing

    if runner.process is not None:
        runner.process.waitForFinished(30_000)
    stop_sharing(window.context.store.path)
    window.context.store_replaced.emit()


def install(window: MainWindow) -> None:
    """Add the sharing actions to the File menu and the status to the status bar."""
    runner = SyncRunner(window)
    window.sync_runner = runner  # type: ignore[attr-defined]
    share = QAction(tr("S&hare this record with another laptop…"), window)
    share.setStatusTip(tr("Keep this record in step with another laptop through a shared folder"))
    share.triggered.connect(lambda: _share(window, runner))
    sync_now = QAction(tr("S&ync now"), window)
    sync_now.triggered.connect(runner.sync_now)
    conflicts = QAction(tr("Changes made on two laptops at once…"), window)
    conflicts.triggered.connect(runner.show_conflicts)
    stop = QAction(tr("Stop sharing…"), window)
    stop.triggered.connect(lambda: _stop(window, runner))
    for action in (share, sync_now, conflicts, stop):
        window.add_file_action(action)

    def update_actions() -> None:
        shared = _is_shared(window)
        sync_now.setEnabled(shared)
        conflicts.setEnabled(shared)
        stop.setEnabled(shared)

    window.menus["file"].aboutToShow.connect(update_actions)
    window.context.store_replaced.connect(update_actions)
    update_actions()
    app = _application()
    if app is not None:
        app.aboutToQuit.connect(runner.on_quit)


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


__all__ = ["ConflictsDialog", "PassphraseDialog", "ShareDialog", "SyncRunner", "install",
           "status_text"]

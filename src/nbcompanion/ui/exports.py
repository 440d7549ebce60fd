"""File menu exports: the visit summary and full record as PDF, and the record as CSV/JSON.

Each export asks where to save (a small options dialog first for PDFs: Letter or A4,
defaulting from the computer's country and remembered), writes safely (a failed export
never leaves a half file), then offers to open the result — only when the user clicks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QLocale, QSettings, QStandardPaths, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.record import entries
from nbcompanion.record.errors import RecordError
from nbcompanion.reports.paper import PAPER_LABELS
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.keyboard import order_plain_dialog
from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from nbcompanion.ui.background import BackgroundJob, Progress

PAPER_KEY = "exports/paper"
FOLDER_KEY = "exports/folder"

#: Countries where US Letter is the usual paper (everywhere else uses A4).
_LETTER_TERRITORIES = frozenset({
    QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico,
    QLocale.Country.Philippines, QLocale.Country.Chile, QLocale.Country.Colombia,
    QLocale.Country.CostaRica, QLocale.Country.DominicanRepublic,
    QLocale.Country.ElSalvador, QLocale.Country.Guatemala, QLocale.Country.Nicaragua,
    QLocale.Country.Panama, QLocale.Country.PuertoRico, QLocale.Country.Venezuela,
    QLocale.Country.Belize,
})

T = TypeVar("T")


# -- paper -------------------------------------------------------------------------------------
def default_paper(locale: QLocale | None = None) -> str:
    """"letter" where Letter is the usual paper (US, Canada, Mexico, Philippines…), else "a4"."""
    locale = locale or QLocale.system()
    return "letter" if locale.territory() in _LETTER_TERRITORIES else "a4"


def saved_paper() -> str:
    """The paper size chosen last time, or the country's usual one."""
    value = QSettings().value(PAPER_KEY)
    return str(value) if value in PAPER_LABELS else default_paper()


def _choose_or_cancel(dialog: QDialog, layout: QVBoxLayout, choose: str) -> QDialogButtonBox:
    """The dialog's two buttons: ``choose`` (the next step, a file or folder) and Cancel."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(choose)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return buttons


class ExportOptionsDialog(QDialog):
    """The few choices an export asks for: today, only the paper size."""

    def __init__(self, parent: QWidget | None, title: str, explanation: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(explanation)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.paper = QComboBox()
        self.paper.setAccessibleName(tr("Paper size"))
        for key, label in PAPER_LABELS.items():
            self.paper.addItem(tr(label), key)
        self.paper.setCurrentIndex(max(0, self.paper.findData(saved_paper())))
        form.addRow(tr("&Paper size:"), self.paper)
        layout.addLayout(form)
        buttons = _choose_or_cancel(self, layout, tr("Choose where to save…"))
        order_plain_dialog(self, buttons)

    def chosen_paper(self) -> str:
        """The selected paper key ("letter" or "a4")."""
        return str(self.paper.currentData())

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, explanation: str) -> str | None:
        """The chosen paper (remembered for next time), or None when cancelled."""
        dialog = cls(parent, title, explanation)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        paper = dialog.chosen_paper()
        QSettings().setValue(PAPER_KEY, paper)
        return paper


# -- asking where, and saying what happened ------------------------------------------------------
def start_folder() -> Path:
    """The folder the last export went to, else Documents."""
    saved = QSettings().value(FOLDER_KEY)
    if saved and Path(str(saved)).is_dir():
        return Path(str(saved))
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def choose_pdf_path(parent: QWidget | None, title: str, suggested: str) -> Path | None:
    """Ask where to save a PDF; None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder() / suggested),
                                          tr("PDF documents (*.pdf)"))
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    QSettings().setValue(FOLDER_KEY, str(path.parent))
    return path


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    """Ask for the folder a data export goes into; None when cancelled."""
    name = QFileDialog.getExistingDirectory(parent, title, str(start_folder()))
    if not name:
        return None
    QSettings().setValue(FOLDER_KEY, name)
    return Path(name)


class ExportDone:
    """The message after an export, offering to open the file (tests monkeypatch :meth:`ask`)."""

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path, what: str) -> bool:
        """True when the user clicks "Open"."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(tr("Export finished"))
        box.setText(tr("The {what} was saved as:\n{path}").format(what=what, path=path))
        open_button = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Close", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        box.exec()
        return box.clickedButton() is open_button


def open_local(path: Path) -> bool:
    """Open a local file or folder in the system's viewer (only ever after a click)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_problem(parent: QWidget | None, title: str, text: str) -> None:
    """A plain warning (tests monkeypatch ``QMessageBox.warning``)."""
    QMessageBox.warning(parent, title, text)


@contextlib.contextmanager
def busy() -> Iterator[None]:
    """A wait cursor while a long export runs on the GUI thread."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()  # let the cursor show before the work starts
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def run_reporting(parent: QWidget | None, title: str, work: Callable[[], T]) -> T | None:
    """``work()`` on the GUI thread under a wait cursor; a RecordError is shown, None back."""
    try:
        with busy():
            return work()
    except RecordError as error:
        show_problem(parent, title, str(error))
        return None


def _child(context: AppContext, parent: QWidget | None, title: str) -> dict[str, Any] | None:
    child_id = context.active_child_id
    if child_id is None:
        show_problem(parent, title, "There is no child's record yet. Add your child's profile "
                                    "first; then the record can be exported.")
        return None
    try:
        return entries.get(context.store, "child", child_id)
    except RecordError as error:
        show_problem(parent, title, str(error))
        return None


# -- the three exports -------------------------------------------------------------------------
def export_visit_summary_interactively(context: AppContext, parent: QWidget | None,
                                       visit_id: int) -> Path | None:
    """Ask for paper and place, write the visit summary of ``visit_id``, offer to open it."""
    from nbcompanion.reports.gather import export_visit_summary
    from nbcompanion.reports.visit_summary import suggested_file_name

    title = "Export visit summary"
    try:
        visit = entries.get(context.store, "visit", visit_id)
        child = entries.get(context.store, "child", visit["child_id"])
    except RecordError as error:
        show_problem(parent, title, str(error))
        return None
    paper = ExportOptionsDialog.ask(
        parent, title, "A one- or two-page summary to bring to the visit: what happened since "
                       "the previous visit, the latest results and your questions.")
    if paper is None:
        return None
    visit_day = date.fromisoformat(str(visit["starts_at"])[:10])
    path = choose_pdf_path(parent, title, suggested_file_name(str(child["name"]), visit_day))
    if path is None:
        return None
    result = run_reporting(parent, title, lambda: export_visit_summary(
        context.store, visit_id, path, paper=paper, now=datetime.now()))
    if result is None:
        return None
    if ExportDone.ask(parent, result.path, "visit summary"):
        open_local(result.path)
    return result.path


def visit_for_summary(context: AppContext, child_id: int, now: datetime) -> int | None:
    """The next upcoming visit, or else the latest one; None when there is no visit."""
    from nbcompanion.record import queries

    visit = queries.next_visit(context.store, child_id, now)
    if visit is None:
        visit = queries.previous_visit(context.store, child_id, now.isoformat(timespec="minutes"))
    return None if visit is None else int(visit["id"])


def export_next_visit_summary(context: AppContext, parent: QWidget | None) -> Path | None:
    """File menu: the summary for the next visit (or the latest, when none is planned)."""
    title = "Export visit summary"
    child = _child(context, parent, title)
    if child is None:
        return None
    visit_id = visit_for_summary(context, int(child["id"]), datetime.now())
    if visit_id is None:
        show_problem(parent, title, "There is no visit in the record yet. Add the next visit "
                                    "(on the Visits page) and export its summary from there.")
        return None
    return export_visit_summary_interactively(context, parent, visit_id)


def _remove_made(path: Path | None) -> None:
    """Remove a file or folder an export made after all, Cancel having come too late."""
    if path is None:
        return
    import shutil

    with contextlib.suppress(OSError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def in_background(parent: QWidget | None, title: str, work: Callable[[Progress], T],
                   done: Callable[[T], None],
                   late_cancel: Callable[[T], object] | None = None) -> BackgroundJob[T]:
    """Run an export off the GUI thread with a progress window and Cancel.

    Cancel leaves nothing behind: exports write under a temporary name until they are
    complete, and when Cancel is pressed just as the work finished, ``late_cancel`` gets its
    result to undo (remove the file) or to report. A failure is told in a plain sentence.
    """
    from nbcompanion.ui.background import run_in_background

    finished: list[T] = []

    def run(progress: Progress) -> T:
        result = work(progress)
        finished.append(result)  # read on the GUI thread after this thread has ended
        return result

    def cancelled() -> None:
        if finished and late_cancel is not None:
            late_cancel(finished[0])

    def failed(error: BaseException) -> None:
        if isinstance(error, RecordError):
            show_problem(parent, title, str(error))
        else:
            show_problem(parent, title, "The export stopped because of an unexpected problem "
                                        f"({type(error).__name__}: {error}). Nothing was saved.")

    return run_in_background(parent, run, on_success=done, on_failure=failed,
                             on_cancel=cancelled, title=title, label=tr("Gathering the record…"))


def export_full_record_interactively(context: AppContext, parent: QWidget | None
                                     ) -> BackgroundJob[Any] | None:
    """File menu: the whole record as one PDF, for a second opinion or a new hospital.

    The pages are laid out and written off the GUI thread (a ten-year record takes a few
    seconds), with "Page N of about M" and Cancel; returns the running job.
    """
    from nbcompanion.reports.full_record import suggested_file_name

    title = "Export full record"
    child = _child(context, parent, title)
    if child is None:
        return None
    paper = ExportOptionsDialog.ask(
        parent, title, "Everything in the record — profile, treatment, every test with its "
                       "results, visits, questions, diary and medicines — in date order with "
                       "a table of contents, for a second opinion or a new care team.")
    if paper is None:
        return None
    path = choose_pdf_path(parent, title, suggested_file_name(str(child["name"]), date.today()))
    if path is None:
        return None
    child_id, store, now = int(child["id"]), context.store, datetime.now()

    from nbcompanion.reports.full_record import write_full_record
    from nbcompanion.reports.gather import export_full_record, full_record_data, own_connection

    def work(progress: Progress) -> Any:
        with own_connection(store) as reader:
            return export_full_record(reader, child_id, path, paper=paper, now=now,
                                      progress=progress.report)

    if store.path is None:  # a record kept only in memory cannot be opened twice: read it here
        data = full_record_data(store, child_id, now=now)

        def work(progress: Progress) -> Any:
            return write_full_record(data, path, paper=paper, progress=progress.report)

    def done(result: Any) -> None:
        if ExportDone.ask(parent, result.path, f"full record ({result.pages} pages)"):
            open_local(result.path)

    return in_background(parent, title, work, done,
                          late_cancel=lambda result: _remove_made(result.path))


class DataExportDialog(QDialog):
    """Which child's record the data export holds: one child, or all of them."""

    def __init__(self, parent: QWidget | None, children: list[dict[str, Any]],
                 active: int | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Export record data"))
        layout = QVBoxLayout(self)
        text = QLabel(tr("The record as spreadsheet files (CSV, with every result on a line of "
                      "its own in results.csv) and one JSON file that the app can take back "
                      "later, with a README that explains every column."))
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.who = QComboBox()
        self.who.setAccessibleName(tr("Whose record"))
        for child in children:
            self.who.addItem(str(child["name"]), int(child["id"]))
        if len(children) > 1:
            self.who.addItem(tr("All children"), None)
        self.who.setCurrentIndex(max(0, self.who.findData(active)))
        form.addRow(tr("&Whose record:"), self.who)
        layout.addLayout(form)
        _choose_or_cancel(self, layout, tr("Choose a folder…"))

    def chosen(self) -> list[int] | None:
        """The chosen child's id in a list, or None for every child."""
        data = self.who.currentData()
        return None if data is None else [int(data)]

    @classmethod
    def ask(cls, parent: QWidget | None, children: list[dict[str, Any]],
            active: int | None) -> tuple[list[int] | None] | None:
        """(child ids or None for all,) — or None when cancelled."""
        dialog = cls(parent, children, active)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return (dialog.chosen(),)


def export_data_interactively(context: AppContext, parent: QWidget | None
                              ) -> BackgroundJob[Any] | None:
    """File menu: CSV files, results.csv, one JSON file and a README, in a new folder —
    for one child or all of them, written off the GUI thread."""
    from nbcompanion.record import queries
    from nbcompanion.reports.data_export import export_record_data
    from nbcompanion.reports.gather import own_connection

    title = "Export record data"
    children = [dict(child) for child in queries.children(context.store)]
    if not children:
        show_problem(parent, title, "There is no child's record yet. Add your child's profile "
                                    "first; then the record can be exported.")
        return None
    answer = DataExportDialog.ask(parent, children, context.active_child_id)
    if answer is None:
        return None
    child_ids = answer[0]
    folder = choose_folder(parent, "Choose a folder for the exported record data")
    if folder is None:
        return None
    store, now = context.store, datetime.now()

    def work(progress: Progress) -> Path:
        with own_connection(store) as reader:
            return export_record_data(reader, folder, made_at=now, child_ids=child_ids,
                                      progress=progress.report)

    if store.path is None:  # a record kept only in memory cannot be opened twice
        made = run_reporting(parent, title, lambda: export_record_data(store, folder, made_at=now,
                                                              child_ids=child_ids))
        if made is not None:
            _data_done(parent, made)
        return None
    return in_background(parent, title, work, lambda made: _data_done(parent, made),
                          late_cancel=_remove_made)


def _data_done(parent: QWidget | None, made: Path) -> None:
    if ExportDone.ask(parent, made, "record data (CSV and JSON files, with a README)"):
        open_local(made)


# -- menu ----------------------------------------------------------------------------------------
class _ExportActions:
    """Slots for the File menu's export actions (kept alive by the window)."""

    def __init__(self, window: QMainWindow, context: AppContext) -> None:
        self.window = window
        self.context = context

    @Slot()
    def visit_summary(self) -> None:
        export_next_visit_summary(self.context, self.window)

    @Slot()
    def full_record(self) -> None:
        export_full_record_interactively(self.context, self.window)

    @Slot()
    def data(self) -> None:
        export_data_interactively(self.context, self.window)

    @Slot()
    def import_data(self) -> None:
        from nbcompanion.ui.record_import import import_data_interactively

        import_data_interactively(self.window)


def install(window: Any) -> None:
    """Add the export actions (and importing an export) to the File menu."""
    slots = _ExportActions(window, window.context)
    window._export_actions = slots  # the window owns the slots' lifetime
    specs = (
        ("export_visit_summary", tr("Export &visit summary (PDF)…"),
         tr("A summary of the next visit to bring to the clinic"), slots.visit_summary),
        ("export_full_record", tr("Export &full record (PDF)…"),
         tr("Everything recorded, for a second opinion or a new hospital"), slots.full_record),
        ("export_record_data", tr("Export record &data (CSV and JSON)…"),
         tr("The record's data as spreadsheet and JSON files"), slots.data),
        ("import_record_data", tr("&Import record data…"),
         tr("Take back a JSON file exported by this app"), slots.import_data),
    )
    existing = window.menus["file"].actions()  # ... then Quit, last
    if len(existing) >= 2 and not existing[-2].isSeparator():
        window.add_file_action(_separator(window))  # set the exports apart from what is above
    for name, text, tip, slot in specs:
        action = QAction(text, window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        window.add_file_action(action)
    window.add_file_action(_separator(window))


def _separator(window: QMainWindow) -> QAction:
    action = QAction(window)
    action.setSeparator(True)
    return action

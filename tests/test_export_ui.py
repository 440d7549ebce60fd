"""The File menu's exports, with the file dialogs and messages monkeypatched."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale, QSettings, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from nbcompanion.record import entries
from nbcompanion.record.store import Store
from nbcompanion.reports.pdf import format_date
from nbcompanion.ui import exports, record_import
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.exports import ExportDone, ExportOptionsDialog

SOON = (date.today() + timedelta(days=30)).isoformat()


class Window(QMainWindow):
    """The parts of the main window an installer uses."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.menus = {"file": QMenu("&File", self)}
        self.quit_action = QAction("Quit", self)
        self.menus["file"].addAction(self.quit_action)

    def add_file_action(self, action: QAction) -> None:
        self.menus["file"].insertAction(self.quit_action, action)

    def action(self, name: str) -> QAction:
        return next(a for a in self.menus["file"].actions() if a.objectName() == name)


class Calls:
    """Records what the dialogs were asked."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.opened: list[QUrl] = []
        self.done: list[Path] = []
        self.save_as: Path | None = None
        self.folder: Path | None = None
        self.paper: str | None = "a4"
        self.open_after = False
        self.whose: tuple[list[int] | None] | None = (None,)  # every child
        self.import_file: Path | None = None
        self.import_choice: str | None = "add"
        self.informed: list[str] = []


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch, qapp: Any) -> Calls:
    recorded = Calls()

    def save_name(parent: Any, title: str, start: str, filters: str) -> tuple[str, str]:
        assert start.endswith(".pdf")
        return (str(recorded.save_as) if recorded.save_as else "", filters)

    def folder(parent: Any, title: str, start: str) -> str:
        return str(recorded.folder) if recorded.folder else ""

    def warning(parent: Any, title: str, text: str, *args: Any) -> Any:
        recorded.warnings.append(text)
        return QMessageBox.StandardButton.Ok

    def done(cls: Any, parent: Any, path: Path, what: str) -> bool:
        recorded.done.append(path)
        return recorded.open_after

    def options(cls: Any, parent: Any, title: str, explanation: str) -> str | None:
        if recorded.paper is not None:
            QSettings().setValue(exports.PAPER_KEY, recorded.paper)
        return recorded.paper

    def whose(cls: Any, parent: Any, children: Any, active: Any) -> Any:
        return recorded.whose

    def open_name(parent: Any, title: str, start: str, filters: str) -> tuple[str, str]:
        return (str(recorded.import_file) if recorded.import_file else "", filters)

    def information(parent: Any, title: str, text: str, *args: Any) -> Any:
        recorded.informed.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(exports.DataExportDialog, "ask", classmethod(whose))
    monkeypatch.setattr(record_import.ImportChoice, "ask",
                        classmethod(lambda cls, parent, text: recorded.import_choice))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_name)
    monkeypatch.setattr(QMessageBox, "information", information)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(ExportDone, "ask", classmethod(done))
    monkeypatch.setattr(ExportOptionsDialog, "ask", classmethod(options))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: recorded.opened.append(url)
                        or True)
    return recorded


@pytest.fixture
def window(qtbot: Any, file_store: Store) -> Window:
    context = AppContext(file_store)
    main = Window(context)
    qtbot.addWidget(main)
    exports.install(main)
    return main


def add_child(store: Store, context: AppContext) -> int:
    child = entries.save(store, "child", {"name": "Maya Example", "birth_date": "2022-03-14",
                                          "stage": "M", "risk_group": "high"})
    context.set_active_child(child)
    return child


def test_the_file_menu_offers_three_exports_and_an_import(window: Window) -> None:
    texts = [a.text() for a in window.menus["file"].actions() if not a.isSeparator()]
    assert texts[:4] == ["Export &visit summary (PDF)…", "Export &full record (PDF)…",
                         "Export record &data (CSV and JSON)…", "&Import record data…"]
    assert texts[-1] == "Quit"


@pytest.mark.parametrize(("territory", "paper"), [
    (QLocale.Country.UnitedStates, "letter"), (QLocale.Country.Canada, "letter"),
    (QLocale.Country.Mexico, "letter"), (QLocale.Country.Philippines, "letter"),
    (QLocale.Country.Germany, "a4"), (QLocale.Country.UnitedKingdom, "a4"),
    (QLocale.Country.India, "a4")])
def test_default_paper_follows_the_country(territory: QLocale.Country, paper: str) -> None:
    assert exports.default_paper(QLocale(QLocale.Language.English, territory)) == paper


def test_options_dialog_remembers_the_paper(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "default_paper", lambda locale=None: "letter")
    dialog = ExportOptionsDialog(None, "Export", "Why")
    qtbot.addWidget(dialog)
    assert dialog.chosen_paper() == "letter"
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    monkeypatch.setattr(ExportOptionsDialog, "exec", lambda self: 1)
    monkeypatch.setattr(ExportOptionsDialog, "chosen_paper", lambda self: "a4")
    assert ExportOptionsDialog.ask(None, "Export", "Why") == "a4"
    assert exports.saved_paper() == "a4"
    again = ExportOptionsDialog(None, "Export", "Why")
    qtbot.addWidget(again)
    assert again.paper.currentData() == "a4"


def test_data_export_from_the_menu(window: Window, calls: Calls, tmp_path: Path,
                                   qtbot: Any) -> None:
    add_child(window.context.store, window.context)
    calls.folder = tmp_path / "exports"
    calls.folder.mkdir()
    calls.open_after = True
    window.action("export_record_data").trigger()
    qtbot.waitUntil(lambda: bool(calls.done or calls.warnings), timeout=30_000)
    made = list(calls.folder.iterdir())
    assert len(made) == 1
    assert (made[0] / "child.csv").is_file()
    assert (made[0] / "results.csv").is_file()
    assert (made[0] / "README.txt").is_file()
    assert calls.done == made
    assert calls.opened == [QUrl.fromLocalFile(str(made[0]))]
    assert calls.warnings == []


def test_data_export_of_the_chosen_child(window: Window, calls: Calls, tmp_path: Path,
                                         qtbot: Any) -> None:
    first = add_child(window.context.store, window.context)
    entries.save(window.context.store, "child", {"name": "Other Child"})
    calls.folder = tmp_path
    calls.whose = ([first],)
    window.action("export_record_data").trigger()
    qtbot.waitUntil(lambda: bool(calls.done or calls.warnings), timeout=30_000)
    assert calls.warnings == []
    assert "Maya" in calls.done[0].name
    rows = (calls.done[0] / "child.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2
    assert "Maya Example" in rows[1]


def test_data_export_cancelled_writes_nothing(window: Window, calls: Calls,
                                              tmp_path: Path, qtbot: Any) -> None:
    add_child(window.context.store, window.context)
    calls.folder = None
    window.action("export_record_data").trigger()
    calls.whose = None
    calls.folder = tmp_path
    window.action("export_record_data").trigger()
    assert calls.done == []
    assert calls.warnings == []
    calls.whose = (None,)
    job = exports.export_data_interactively(window.context, window)
    assert job is not None
    job.cancel()
    qtbot.waitUntil(lambda: job.done, timeout=30_000)
    assert job.was_cancelled
    assert [p for p in tmp_path.iterdir() if "Care record" in p.name
            or p.name.startswith(".care")] == []


def test_data_export_into_an_unwritable_place_says_so(window: Window, calls: Calls,
                                                      tmp_path: Path, qtbot: Any) -> None:
    add_child(window.context.store, window.context)
    place = tmp_path / "place"
    place.mkdir()
    blocker = place / "plain-file"
    blocker.write_text("x")
    calls.folder = blocker
    window.action("export_record_data").trigger()
    qtbot.waitUntil(lambda: bool(calls.done or calls.warnings), timeout=30_000)
    assert len(calls.warnings) == 1
    assert "could not be saved" in calls.warnings[0]
    assert calls.done == []
    assert [p.name for p in place.iterdir()] == ["plain-file"]


def test_import_record_data_adds_the_children_back(window: Window, calls: Calls,
                                                   tmp_path: Path, qtbot: Any) -> None:
    from nbcompanion.reports.data_export import JSON_NAME, export_record_data

    child = add_child(window.context.store, window.context)
    add_visits(window.context.store, child)
    made = export_record_data(window.context.store, tmp_path)
    calls.import_file = made / JSON_NAME
    window.action("import_record_data").trigger()
    qtbot.waitUntil(lambda: bool(calls.informed or calls.warnings), timeout=30_000)
    assert calls.warnings == []
    assert calls.informed[0].startswith("Added 1 child")
    names = [c["name"] for c in window.context.store.query("SELECT name FROM child")]
    assert names == ["Maya Example", "Maya Example"]
    assert window.context.active_child_id != child


def test_import_of_a_file_that_is_not_an_export_says_so(window: Window, calls: Calls,
                                                        tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text("[1, 2]", encoding="utf-8")
    calls.import_file = other
    window.action("import_record_data").trigger()
    assert len(calls.warnings) == 1
    assert "not a record export" in calls.warnings[0]


def test_pdf_exports_without_a_child_say_what_to_do(window: Window, calls: Calls) -> None:
    window.action("export_full_record").trigger()
    window.action("export_visit_summary").trigger()
    assert len(calls.warnings) == 2
    assert all("Add your child's profile first" in w for w in calls.warnings)


def add_visits(store: Store, child: int) -> tuple[int, int]:
    """A past visit and one next month (so it is "upcoming" whenever the tests run)."""
    past = entries.save(store, "visit", {"child_id": child, "starts_at": "2026-01-10T09:00",
                                         "kind": "clinic"})
    upcoming = entries.save(store, "visit", {"child_id": child, "starts_at": f"{SOON}T10:00",
                                             "kind": "clinic", "clinician": "Dr. A. Rivera"})
    entries.save(store, "question", {"child_id": child, "visit_id": upcoming,
                                     "text": "When is the next scan?"})
    return past, upcoming


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_visit_summary_from_the_menu_is_for_the_next_visit(window: Window, calls: Calls,
                                                          tmp_path: Path) -> None:
    child = add_child(window.context.store, window.context)
    add_visits(window.context.store, child)
    calls.save_as = tmp_path / "summary"  # no extension typed: ".pdf" is added
    calls.open_after = True
    window.action("export_visit_summary").trigger()
    made = tmp_path / "summary.pdf"
    assert calls.warnings == []
    assert calls.done == [made]
    text = pdf_text(made)
    assert format_date(SOON) in text
    assert "When is the next scan?" in text
    assert "Page 1 of" in text
    assert calls.opened == [QUrl.fromLocalFile(str(made))]
    assert round(float(PdfReader(made).pages[0].mediabox.width)) == 595  # A4 as chosen


def test_visit_summary_falls_back_to_the_latest_visit(window: Window, calls: Calls,
                                                     tmp_path: Path) -> None:
    store = window.context.store
    child = add_child(store, window.context)
    entries.save(store, "visit", {"child_id": child, "starts_at": "2026-01-10T09:00",
                                  "kind": "scan_day"})
    calls.save_as = tmp_path / "latest.pdf"
    window.action("export_visit_summary").trigger()
    assert calls.warnings == []
    assert "10 Jan 2026" in pdf_text(tmp_path / "latest.pdf")
    assert calls.opened == []  # "Close" was clicked: nothing opens


def test_visit_summary_without_any_visit_says_so(window: Window, calls: Calls) -> None:
    add_child(window.context.store, window.context)
    window.action("export_visit_summary").trigger()
    assert len(calls.warnings) == 1
    assert "There is no visit in the record yet" in calls.warnings[0]
    assert calls.done == []


def test_visit_summary_for_any_visit_and_cancelling(window: Window, calls: Calls,
                                                    tmp_path: Path) -> None:
    child = add_child(window.context.store, window.context)
    past, _ = add_visits(window.context.store, child)
    calls.paper = None  # options dialog cancelled
    assert exports.export_visit_summary_interactively(window.context, window, past) is None
    calls.paper = "letter"
    calls.save_as = None  # file dialog cancelled
    assert exports.export_visit_summary_interactively(window.context, window, past) is None
    assert list(tmp_path.glob("*.pdf")) == []
    calls.save_as = tmp_path / "past.pdf"
    made = exports.export_visit_summary_interactively(window.context, window, past)
    assert made == tmp_path / "past.pdf"
    assert "10 Jan 2026" in pdf_text(made)
    assert round(float(PdfReader(made).pages[0].mediabox.width)) == 612  # Letter


def test_full_record_from_the_menu(window: Window, calls: Calls, tmp_path: Path,
                                   qtbot: Any) -> None:
    child = add_child(window.context.store, window.context)
    add_visits(window.context.store, child)
    calls.save_as = tmp_path / "record.pdf"
    window.action("export_full_record").trigger()
    qtbot.waitUntil(lambda: bool(calls.done), timeout=30_000)
    assert calls.warnings == []
    assert calls.done == [tmp_path / "record.pdf"]
    text = pdf_text(tmp_path / "record.pdf")
    assert "Care record — Maya Example" in text
    assert "Contents" in text
    assert "When is the next scan?" in text


def test_pdf_export_into_an_unwritable_folder_says_so(window: Window, calls: Calls,
                                                     tmp_path: Path) -> None:
    child = add_child(window.context.store, window.context)
    add_visits(window.context.store, child)
    place = tmp_path / "place"
    place.mkdir()
    (place / "plain-file").write_text("x")
    calls.save_as = place / "plain-file" / "summary.pdf"
    window.action("export_visit_summary").trigger()
    assert len(calls.warnings) == 1
    assert "could not be saved" in calls.warnings[0]
    assert [p.name for p in place.iterdir()] == ["plain-file"]
    assert calls.done == []


def test_full_record_runs_off_the_gui_thread_with_progress(window: Window, calls: Calls,
                                                          tmp_path: Path, qtbot: Any) -> None:
    import threading

    from nbcompanion.reports import full_record

    child = add_child(window.context.store, window.context)
    add_visits(window.context.store, child)
    calls.save_as = tmp_path / "record.pdf"
    threads: list[int] = []
    real = full_record.write_full_record

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    full_record.write_full_record = spy  # type: ignore[assignment]
    try:
        job = exports.export_full_record_interactively(window.context, window)
        assert job is not None
        steps: list[str] = []
        job.progressed.connect(lambda done, total, text: steps.append(text))
        qtbot.waitUntil(lambda: job.done, timeout=30_000)
    finally:
        full_record.write_full_record = real  # type: ignore[assignment]
    assert threads
    assert threads[0] != threading.get_ident()
    assert any(text.startswith("Page ") for text in steps)
    assert any("of about" in text for text in steps)
    assert calls.done == [tmp_path / "record.pdf"]


def test_cancelling_the_full_record_leaves_no_file(window: Window, calls: Calls,
                                                   tmp_path: Path, qtbot: Any) -> None:
    child = add_child(window.context.store, window.context)
    add_visits(window.context.store, child)
    out = tmp_path / "out"
    out.mkdir()
    calls.save_as = out / "record.pdf"
    job = exports.export_full_record_interactively(window.context, window)
    assert job is not None
    job.progressed.connect(lambda done, total, text: job.cancel()
                           if text.startswith("Page") else None)
    qtbot.waitUntil(lambda: job.done, timeout=30_000)
    assert job.was_cancelled
    assert list(out.iterdir()) == []  # neither the PDF nor a temporary file
    assert calls.done == []
    assert calls.warnings == []


def test_import_into_a_new_record(window: Window, calls: Calls, tmp_path: Path, qtbot: Any,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from nbcompanion.record.store import open_store
    from nbcompanion.reports.data_export import JSON_NAME, export_record_data
    from nbcompanion.ui.safety import menu

    child = add_child(window.context.store, window.context)
    add_visits(window.context.store, child)
    made = export_record_data(window.context.store, tmp_path)
    old_store = window.context.store
    fresh = open_store(tmp_path / "new.sqlite3")

    def new_record(win: Any) -> bool:  # what File › New record… does, without its dialogs
        win.context.replace_store(fresh)
        return True

    monkeypatch.setattr(menu, "new_record", new_record)
    calls.import_file = made / JSON_NAME
    calls.import_choice = record_import.ImportChoice.NEW
    window.action("import_record_data").trigger()
    qtbot.waitUntil(lambda: bool(calls.informed or calls.warnings), timeout=30_000)
    assert calls.warnings == []
    assert [c["name"] for c in fresh.query("SELECT name FROM child")] == ["Maya Example"]
    again = open_store(old_store.path)  # the record that was open is untouched
    assert len(again.query("SELECT id FROM child")) == 1
    again.close()
    assert window.context.active_child_id == fresh.query("SELECT id FROM child")[0]["id"]
    fresh.close()

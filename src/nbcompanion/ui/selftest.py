"""``nbcompanion --self-test``: is this installation whole?

What a family's helper or a packager runs after installing: it opens the fictional sample
record in a temporary folder, shows every page offscreen, searches the reference summary,
exports a visit summary and the full record as PDF and reads them back, then removes the
folder. It prints one line per check and returns 0 when all passed, 1 otherwise.

The family's own record and settings are never touched: every per-user folder the app or Qt
could write to points into the temporary folder while the check runs, and the real data
folder is compared before and after.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TextIO

#: Per-user folders redirected into the temporary folder while the self-test runs.
_ISOLATED_VARIABLES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                       "NBCOMPANION_DATA", "QT_QPA_PLATFORM")
#: The size the pages are drawn at (a common laptop screen).
SCREEN = (1366, 768)


@dataclass
class Outcome:
    """One check: its name, whether it passed, and what was seen."""

    name: str
    passed: bool
    detail: str = ""


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    if not folder.exists():
        return {}
    found = {}
    for path in folder.rglob("*"):
        try:
            info = path.stat()
        except OSError:
            continue
        found[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return found


@contextmanager
def isolated_environment(folder: Path) -> Iterator[None]:
    """Point the per-user folders, the record and Qt's screen at ``folder`` for a while."""
    saved = {name: os.environ.get(name) for name in _ISOLATED_VARIABLES}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(folder / name.lower())
    os.environ["NBCOMPANION_DATA"] = str(folder / "not-the-family-record.sqlite3")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class SelfTest:
    """Runs the checks in order; a failing check is recorded and the next one still runs."""

    def __init__(self, folder: Path, out: TextIO | None) -> None:
        self.folder = folder
        self.out = out
        self.outcomes: list[Outcome] = []
        self.errors: list[str] = []  # exceptions raised inside Qt slots while a check ran

    def say(self, text: str) -> None:
        """Print ``text`` if there is somewhere to print it (a windowed build may have none)."""
        if self.out is not None:
            print(text, file=self.out, flush=True)

    def check(self, name: str, action: Callable[[], str | None]) -> bool:
        """Run ``action``; it returns a short detail or raises. Records and prints the outcome."""
        self.errors.clear()
        started = time.perf_counter()
        try:
            detail = action() or ""
            if self.errors:
                raise RuntimeError(self.errors[0])
            outcome = Outcome(name, True, detail)
        except Exception as error:  # every failure is reported, none stops the run
            last = traceback.extract_tb(error.__traceback__)[-1:]
            where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
            outcome = Outcome(name, False, f"{type(error).__name__}: {error}{where}")
        self.outcomes.append(outcome)
        seconds = time.perf_counter() - started
        mark = "ok  " if outcome.passed else "FAIL"
        detail = f": {outcome.detail}" if outcome.detail else ""
        self.say(f"{mark} {name} ({seconds:.1f} s){detail}")
        return outcome.passed

    def _record_slot_error(self, kind: type[BaseException], error: BaseException,
                           tb: Any) -> None:
        self.errors.append("".join(traceback.format_exception_only(kind, error)).strip())

    def run(self) -> int:
        """All the checks; 0 if every one passed, else 1."""
        hook = sys.excepthook
        sys.excepthook = self._record_slot_error
        try:
            self._run_checks()
        finally:
            sys.excepthook = hook
        failed = [o for o in self.outcomes if not o.passed]
        if failed:
            self.say(f"Self-test FAILED: {len(failed)} of {len(self.outcomes)} checks failed: "
                     + "; ".join(o.name for o in failed))
            return 1
        self.say(f"Self-test passed: {len(self.outcomes)} checks.")
        return 0

    def _run_checks(self) -> None:
        from PySide6.QtWidgets import QApplication

        from nbcompanion.resources import resource_path

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.check("resources", lambda: _check_resources(resource_path))
        self.check("libraries", _check_libraries)
        self.check("app icon", lambda: _check_icon(resource_path("icons/nbcompanion.svg")))
        state: dict[str, Any] = {}
        if not self.check("sample record", lambda: _open_sample(self.folder, state)):
            return
        if self.check("main window", lambda: _build_window(state)):
            from nbcompanion.ui.registry import ordered_pages

            for spec in ordered_pages():
                self.check(f"page {spec.title}",
                           partial(_render_page, app, state, spec.key, self.folder))
        self.check("reference search", lambda: _search(state))
        self.check("visit summary PDF", lambda: _export_visit_summary(state, self.folder))
        self.check("full record PDF", lambda: _export_full_record(state, self.folder))
        self.check("lab results file (FHIR)", lambda: _fhir_round_trip(state, self.folder))
        self.check("unit conversion", _convert_units)
        self.check("close", lambda: _close(app, state))


# -- the checks ------------------------------------------------------------------------------
def _check_resources(resource_path: Callable[[str], Path]) -> str:
    from nbcompanion.resources import PDQ_SUMMARY

    summary = resource_path(PDQ_SUMMARY)
    size = summary.stat().st_size
    if size < 10_000:
        raise RuntimeError(f"{summary} is only {size} bytes")
    return str(summary.parent)


def _check_libraries() -> str:
    """Import every library the app depends on: most load only when a feature first needs
    them (sync, spelling suggestions), so a bundle missing one would not show it at start."""
    import importlib
    import re
    from importlib import metadata

    try:
        requirements = metadata.requires("nbcompanion") or []
    except metadata.PackageNotFoundError:
        return "skipped: the app's package data is not installed (a source checkout)"
    loaded: list[str] = []
    for line in requirements:
        name, _, marker = line.partition(";")
        if "extra" in marker:
            continue  # test and packaging tools
        match = re.match(r"[A-Za-z0-9._-]+", name.strip())
        if match is None:
            continue
        try:
            found = metadata.distribution(match.group())
        except metadata.PackageNotFoundError:
            if marker.strip():
                continue  # not for this system (e.g. a Windows-only library)
            raise
        for module in _top_level_modules(found):
            if module not in loaded:
                importlib.import_module(module)
                loaded.append(module)
    return ", ".join(loaded)


def _top_level_modules(distribution: Any) -> list[str]:
    """The public packages and modules a distribution installs, from its file list."""
    names = set()
    for file in distribution.files or []:
        parts = file.parts
        if len(parts) == 2 and parts[1] == "__init__.py":
            names.add(parts[0])
        elif len(parts) == 1 and file.suffix in (".py", ".so", ".pyd"):
            names.add(parts[0].split(".")[0])
    return sorted(name for name in names if not name.startswith("_"))


def _check_icon(path: Path) -> str:
    from PySide6.QtGui import QIcon

    pixmap = QIcon(str(path)).pixmap(64, 64)
    if pixmap.isNull():
        raise RuntimeError(f"the icon {path.name} could not be drawn (SVG support missing?)")
    return f"{pixmap.width()}×{pixmap.height()}"


def _open_sample(folder: Path, state: dict[str, Any]) -> str:
    from nbcompanion.record.demo import build_demo
    from nbcompanion.record.store import open_store

    store = open_store(folder / "sample-record.sqlite3")
    state["store"] = store
    state["child_id"] = build_demo(store)
    counts = store.query("SELECT (SELECT count(*) FROM test) AS tests, "
                         "(SELECT count(*) FROM visit) AS visits")[0]
    return f"{counts['tests']} tests, {counts['visits']} visits"


def _build_window(state: dict[str, Any]) -> str:
    from nbcompanion.ui.context import AppContext
    from nbcompanion.ui.main_window import MainWindow

    context = AppContext(state["store"], demo=True)
    window = MainWindow(context)
    window.resize(*SCREEN)
    window.show()
    state["window"] = window
    return window.windowTitle()


def _render_page(app: Any, state: dict[str, Any], key: str, folder: Path) -> str:
    window = state["window"]
    page = window.show_page(key)
    for _ in range(3):  # let queued work (models filling, layouts) settle
        app.processEvents()
    if window.stack.currentWidget() is not page:
        raise RuntimeError("the page did not come to the front")
    image = window.grab().toImage()
    if image.isNull() or image.width() < 200:
        raise RuntimeError("the window could not be drawn")
    small = image.scaled(64, 36)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    if len(colours) < 4:
        raise RuntimeError("the page is blank")
    image.save(str(folder / f"page-{key}.png"))
    return f"{len(colours)} colours"


def _search(state: dict[str, Any]) -> str:
    library = state["window"].context.library
    hits = library.search("dinutuximab")
    if not hits:
        raise RuntimeError("searching the summary for “dinutuximab” found nothing")
    # A misspelt word goes through the spelling matcher (rapidfuzz), loaded only then.
    found = library.find("neuroblstoma")
    if "neuroblastoma" not in found.suggestion or not found.hits:
        raise RuntimeError(f"“neuroblstoma” suggested “{found.suggestion}”, not neuroblastoma")
    return f"{len(hits)} sections; “neuroblstoma” → “{found.suggestion}”"


def _check_pdf(path: Path, pages: int, phrases: tuple[str, ...]) -> str:
    from nbcompanion.reports.pdfcheck import read_pdf

    found = read_pdf(path)
    problems = list(found.problems)
    if found.pages != pages:
        problems.append(f"{found.pages} pages in the file, {pages} written")
    problems += [f"“{p}” is missing from its text" for p in phrases if not found.contains(p)]
    if problems:
        raise RuntimeError("; ".join(problems))
    return f"{found.pages} pages, {path.stat().st_size // 1024} KB"


def _export_visit_summary(state: dict[str, Any], folder: Path) -> str:
    from nbcompanion.record.demo import CHILD_NAME
    from nbcompanion.reports.gather import export_visit_summary

    store = state["store"]
    visit = store.query("SELECT id FROM visit WHERE child_id = ? ORDER BY starts_at DESC "
                        "LIMIT 1", [state["child_id"]])[0]["id"]
    result = export_visit_summary(store, visit, folder / "visit-summary.pdf")
    return _check_pdf(result.path, result.pages, (CHILD_NAME, "Visit summary"))


def _export_full_record(state: dict[str, Any], folder: Path) -> str:
    from nbcompanion.record.demo import CHILD_NAME
    from nbcompanion.reports.gather import export_full_record

    result = export_full_record(state["store"], state["child_id"], folder / "full-record.pdf")
    return _check_pdf(result.path, result.pages, (CHILD_NAME, "Care record"))


def _fhir_round_trip(state: dict[str, Any], folder: Path) -> str:
    """Export the sample's results as a FHIR file and read it back: the R4 models that
    validate an imported file load only then, so this is where a bundle missing them shows."""
    import json

    from nbcompanion.fhir.export import results_bundle
    from nbcompanion.fhir.extract import read_findings

    path = folder / "results.fhir.json"
    path.write_text(json.dumps(results_bundle(state["store"])), encoding="utf-8")
    findings = read_findings(path)
    if not findings.results or findings.skipped:
        raise RuntimeError(f"read back {len(findings.results)} results, skipped "
                           f"{len(findings.skipped)}: {findings.skipped[:1]}")
    return f"{len(findings.results)} results read back ({findings.version})"


def _convert_units() -> str:
    """A conversion through the unit library itself (loaded when a unit is typed by hand)."""
    from nbcompanion.record import units

    units.registry()
    grams = units.convert(250.0, "mg/dL", "g/L")
    if abs(grams - 2.5) > 1e-9:
        raise RuntimeError(f"250 mg/dL came out as {grams} g/L")
    return "250 mg/dL = 2.5 g/L"


def _close(app: Any, state: dict[str, Any]) -> str:
    window = state.get("window")
    if window is not None:
        window.close()
        window.deleteLater()
    state["store"].close()
    app.processEvents()
    return ""


# -- entry point -----------------------------------------------------------------------------
def run_self_test(out: TextIO | None = sys.stdout) -> int:
    """Run the self-test in a temporary folder; the process exit code (0 passed, 1 failed)."""
    import platformdirs

    from nbcompanion import APP_NAME, __version__

    real_data = Path(platformdirs.user_data_dir("nbcompanion", appauthor=False))
    before = _snapshot(real_data)
    folder = Path(tempfile.mkdtemp(prefix="nbcompanion-self-test-"))
    test = SelfTest(folder, out)
    test.say(f"{APP_NAME} {__version__} self-test, Python {sys.version.split()[0]}, "
             f"{'packaged' if getattr(sys, 'frozen', False) else 'installed'} "
             f"at {Path(sys.executable).parent}")
    try:
        with isolated_environment(folder):
            code = _run_in_qt(test)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if _snapshot(real_data) != before:
        test.say(f"FAIL the family's data folder {real_data} changed during the self-test")
        code = 1
    if folder.exists():
        test.say(f"FAIL the temporary folder {folder} could not be removed")
        code = 1
    return code


def _quiet_offscreen_notes(kind: Any, context: Any, message: str) -> None:
    """Pass Qt's messages on to stderr, less the offscreen screen's note about window sizes."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _run_in_qt(test: SelfTest) -> int:
    from PySide6.QtCore import (
        QCoreApplication,
        QEvent,
        QSettings,
        QStandardPaths,
        qInstallMessageHandler,
    )
    from PySide6.QtWidgets import QApplication

    from nbcompanion import APP_NAME

    app = QApplication.instance() or QApplication(["nbcompanion-self-test"])
    saved_names = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    # Settings go to an INI file in the temporary folder on every system (on Windows the
    # default would be the registry, which setPath cannot redirect).
    QStandardPaths.setTestModeEnabled(True)
    saved_format = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(test.folder / "settings"))
    QCoreApplication.setOrganizationName("nbcompanion-self-test")
    QCoreApplication.setApplicationName(APP_NAME)
    previous_handler = qInstallMessageHandler(_quiet_offscreen_notes)
    try:
        return test.run()
    finally:
        qInstallMessageHandler(previous_handler)
        QSettings.setDefaultFormat(saved_format)
        QStandardPaths.setTestModeEnabled(False)
        QCoreApplication.setOrganizationName(saved_names[0])
        QCoreApplication.setApplicationName(saved_names[1])
        # Delete the closed window now, while the temporary folder's record is still known.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

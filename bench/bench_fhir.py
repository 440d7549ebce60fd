"""FHIR import benchmark: a 50,000-result Bundle parsed and ready for review.

Writes a Bundle of 10,000 blood-count DiagnosticReports, each referencing five Observations
by ``urn:uuid:`` (50,000 Observations, all valid FHIR R4), then in a child process reads it
(validating every resource) and matches it against a record for review, exactly as the
import does before its review dialog opens. Aims: under 10 s, peak memory under 400 MB.
A third child runs the real import in an offscreen window and measures the longest pause
of its event loop while the file is read on the worker (aim: under 0.5 s).
The baseline from the same run is plain ``json.load`` of the same file in a child process.
Run with ``python bench/bench_fhir.py [observations]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

AIM_SECONDS = 10.0
AIM_MB = 400.0
LAB = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                    "code": "laboratory", "display": "Laboratory"}]}]
PANEL = (("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "WBC", "10*9/L", 4.0,
          11.0),
         ("751-8", "Neutrophils [#/volume] in Blood by Automated count", "ANC", "10*9/L", 1.5,
          8.0),
         ("718-7", "Hemoglobin [Mass/volume] in Blood", "Hemoglobin", "g/dL", 11.5, 15.5),
         ("777-3", "Platelets [#/volume] in Blood by Automated count", "Platelets", "10*9/L",
          150.0, 400.0),
         ("2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma",
          "LDH", "U/L", 120.0, 300.0))


def write_bundle(path: Path, observations: int) -> None:
    """A collection Bundle with a Patient and reports of five results each."""
    patient = f"urn:uuid:{uuid.uuid4()}"
    entries: list[dict[str, object]] = [{"fullUrl": patient, "resource": {
        "resourceType": "Patient", "id": "p1", "birthDate": "2019-06-14",
        "name": [{"family": "Example", "given": ["Mia"]}]}}]
    reports = observations // len(PANEL)
    for index in range(reports):
        moment = f"{2010 + index // 365 % 15}-{index % 12 + 1:02d}-{index % 28 + 1:02d}T08:00:00Z"
        urls = []
        for position, (code, display, text, unit, low, high) in enumerate(PANEL):
            url = f"urn:uuid:{uuid.uuid4()}"
            urls.append({"reference": url})
            entries.append({"fullUrl": url, "resource": {
                "resourceType": "Observation", "id": f"o{index}-{position}", "status": "final",
                "category": LAB, "subject": {"reference": patient},
                "code": {"coding": [{"system": "http://loinc.org", "code": code,
                                     "display": display}], "text": text},
                "effectiveDateTime": moment,
                "valueQuantity": {"value": round(low + (high - low) * ((index * 7 + position)
                                                                        % 100) / 90, 1),
                                  "unit": unit, "system": "http://unitsofmeasure.org",
                                  "code": unit},
                "referenceRange": [{"low": {"value": low, "unit": unit},
                                    "high": {"value": high, "unit": unit}}]}})
        entries.append({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": {
            "resourceType": "DiagnosticReport", "id": f"r{index}", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "58410-2",
                                 "display": "CBC panel - Blood by Automated count"}]},
            "subject": {"reference": patient}, "effectiveDateTime": moment, "result": urls}})
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": entries}), encoding="utf-8")


CHILD_IMPORT = """
import resource, sys, time
start = time.perf_counter()
from nbcompanion.fhir.extract import read_findings
from nbcompanion.fhir.review import build_review
from nbcompanion.record import entries
from nbcompanion.record.store import open_store
store = open_store(sys.argv[2])
child = entries.save(store, "child", {"name": "Mia", "birth_date": "2019-06-14"})
findings = read_findings(sys.argv[1])
plan = build_review(store, child, findings)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(elapsed, peak, len(plan.rows), len(findings.skipped))
"""

CHILD_BASELINE = """
import json, resource, sys, time
start = time.perf_counter()
with open(sys.argv[1], "rb") as handle:
    data = json.load(handle)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(elapsed, peak, len(data["entry"]), 0)
"""


CHILD_WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from nbcompanion.record import entries
from nbcompanion.record.store import open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record import results_import
store = open_store(sys.argv[2])
child = entries.save(store, "child", {"name": "Mia", "birth_date": "2019-06-14"})
store.set_setting(AppContext.ACTIVE_CHILD_KEY, str(child))
context = AppContext(store)
# As in the app, a window is already on screen (fonts and styles loaded) when an import starts.
from PySide6.QtWidgets import QLabel, QProgressDialog
window = QLabel("The app's window")
window.show()
QProgressDialog(window).deleteLater()
for _ in range(5):
    app.processEvents()
gaps, last = [], [time.perf_counter()]
def tick():
    now = time.perf_counter()
    gaps.append((now, now - last[0]))
    last[0] = now
opening = []  # when the review started being built on the GUI thread, and how long it took
original = results_import.ResultsImport._on_read
def timed(self, plan):
    began = time.perf_counter()
    original(self, plan)
    opening.append((began, time.perf_counter() - began))
results_import.ResultsImport._on_read = timed
timer = QTimer()
timer.setInterval(20)
timer.timeout.connect(tick)
timer.start()
start = time.perf_counter()
flow = results_import.import_results(context, window, sys.argv[1])
while flow.dialog is None and not flow.finished:
    app.processEvents()
    time.sleep(0.002)
read_pause = max(gap for end, gap in gaps if end - gap < opening[0][0])
print(time.perf_counter() - start, read_pause, len(flow.dialog.plan.rows), opening[0][1])
import os
sys.stdout.flush()
os._exit(0)
"""
AIM_PAUSE = 0.5


def _child(code: str, *args: str) -> tuple[float, float, int, float]:
    src = str(Path(__file__).resolve().parent.parent / "src")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin",
                                           "QT_QPA_PLATFORM": "offscreen"})
    seconds, megabytes, rows, skipped = done.stdout.split()
    return float(seconds), float(megabytes), int(rows), float(skipped)


def main() -> int:
    """Run the benchmark; exit 1 when an aim is missed."""
    observations = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        bundle = Path(folder) / "bundle.json"
        began = time.perf_counter()
        write_bundle(bundle, observations)
        size = bundle.stat().st_size / (1024 * 1024)
        print(f"bundle: {observations:,} observations, {size:.0f} MB "
              f"(written in {time.perf_counter() - began:.1f} s)")
        base_s, base_mb, _entries, _ = _child(CHILD_BASELINE, str(bundle))
        seconds, megabytes, rows, skipped = _child(CHILD_IMPORT, str(bundle),
                                                   str(Path(folder) / "record.sqlite3"))
        shown, pause, shown_rows, building = _child(CHILD_WINDOW, str(bundle),
                                             str(Path(folder) / "window.sqlite3"))
    print(f"baseline json.load only: {base_s:.2f} s, peak {base_mb:.0f} MB")
    print(f"results ready for review: {rows:,} (skipped {skipped:.0f})")
    ok_time = seconds < AIM_SECONDS and rows == observations
    ok_memory = megabytes < AIM_MB
    print(f"parse + review, aim < {AIM_SECONDS:.0f} s / measured {seconds:.2f} s "
          f"({seconds / max(base_s, 1e-9):.1f}× json.load) / {'ok' if ok_time else 'MISS'}")
    print(f"peak memory, aim < {AIM_MB:.0f} MB / measured {megabytes:.0f} MB / "
          f"{'ok' if ok_memory else 'MISS'}")
    ok_pause = pause < AIM_PAUSE and shown_rows == observations
    ok_open = building < AIM_PAUSE
    print(f"window: review open after {shown:.2f} s; longest pause of the window while the "
          f"file was read, aim < {AIM_PAUSE} s / measured {pause:.2f} s / "
          f"{'ok' if ok_pause else 'MISS'}")
    print(f"window: building the review of {shown_rows:,} rows on the GUI thread, aim < "
          f"{AIM_PAUSE} s / measured {building:.2f} s / {'ok' if ok_open else 'MISS'}")
    return 0 if ok_time and ok_memory and ok_pause and ok_open else 1


if __name__ == "__main__":
    sys.exit(main())

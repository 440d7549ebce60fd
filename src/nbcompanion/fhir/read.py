"""Opening a FHIR file: JSON (a resource or a Bundle), NDJSON, or a zip of such files.

Yields each JSON document with the name it came from; nothing here knows FHIR's resources
beyond ``resourceType``. Every problem becomes a :class:`FhirFileError` whose text is a plain
sentence for the family.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

#: ``report(done, total, text)``: progress of the reading; may raise to cancel.
Report = Callable[[int, int, str], None]

#: Largest single JSON document read at once. A 150 MB JSON file becomes well over 1 GB of
#: Python objects; portals offer smaller downloads (by date), and NDJSON is read line by line.
MAX_JSON_BYTES = 150 * 1024 * 1024
#: Largest NDJSON line (one resource).
MAX_LINE_BYTES = 10 * 1024 * 1024
ZIP_FOLDER = "clinical-records"
READABLE_SUFFIXES = (".json", ".ndjson", ".jsonl")


class FhirFileError(Exception):
    """The file cannot be read as FHIR; ``str(error)`` is a sentence fit to show."""


@dataclass
class Document:
    """One JSON document (a resource or a Bundle) and the file or entry it came from."""

    source: str
    data: dict[str, Any]


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _too_big(name: str, size: int) -> FhirFileError:
    return FhirFileError(
        f"{name} is {_mb(size)}, larger than the {_mb(MAX_JSON_BYTES)} the app can read as one "
        "file. Most hospital portals let you download results for a shorter time, or as "
        "NDJSON (one result a line), which the app reads whatever its size.")


def _not_json(name: str, head: bytes) -> FhirFileError:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return FhirFileError(
            f"{name} is an XML file. The app reads FHIR results saved as JSON, the form most "
            "hospital portals offer; look for a JSON or “FHIR” download.")
    return FhirFileError(
        f"{name} is not a FHIR results file: it does not hold JSON data. Hospital portals "
        "save FHIR results as .json or .ndjson files, or as a .zip of them.")


def _decode_object(name: str, raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:
        raise _not_json(name, raw[:200]) from error
    if not isinstance(data, dict):
        raise FhirFileError(f"{name} holds JSON data, but not FHIR resources.")
    return data


def _lines(name: str, lines: Iterator[bytes], report: Report | None,
           total: int) -> Iterator[Document]:
    done = 0
    for number, line in enumerate(lines, start=1):
        done += len(line)
        if len(line) > MAX_LINE_BYTES:
            raise FhirFileError(f"Line {number} of {name} is larger than one resource can be.")
        if line.strip():
            yield Document(f"{name} line {number}", _decode_object(f"Line {number} of {name}",
                                                                   line))
        if report is not None and number % 500 == 0:
            report(done, total, f"Reading {name}…")


def _looks_like_ndjson(raw: bytes) -> bool:
    lines = [line for line in raw.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith(b"{") for line in lines[:5])


def _read_blob(name: str, raw: bytes, report: Report | None) -> Iterator[Document]:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        yield from _lines(name, iter(raw.splitlines()), report, len(raw))
        return
    try:
        yield Document(name, _decode_object(name, raw))
    except FhirFileError:
        if _looks_like_ndjson(raw):
            yield from _lines(name, iter(raw.splitlines()), report, len(raw))
        else:
            raise


def _read_zip(path: Path, report: Report | None) -> Iterator[Document]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FhirFileError(f"{path.name} is a damaged zip file and cannot be opened.") from error
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()
                 and PurePosixPath(i.filename).suffix.lower() in READABLE_SUFFIXES
                 and not PurePosixPath(i.filename).name.startswith(".")]
        clinical = [i for i in infos if ZIP_FOLDER in PurePosixPath(i.filename).parts]
        # An Apple Health export holds much else (workouts, routes): only its clinical
        # records are FHIR. Another zip (a portal's download) is read whole.
        apple = any(PurePosixPath(n).name == "export.xml" or "apple_health_export" in n
                    for n in archive.namelist())
        chosen = clinical if (clinical or apple) else [
            i for i in infos
            if not any(p.startswith("__MACOSX") for p in PurePosixPath(i.filename).parts)]
        if not chosen:
            raise FhirFileError(
                f"{path.name} holds no health records in FHIR form. In an Apple Health "
                f"export they are in a folder called “{ZIP_FOLDER}”, which is there only when "
                "a hospital is connected to the Health app.")
        for number, info in enumerate(chosen, start=1):
            name = PurePosixPath(info.filename).name
            if report is not None:
                report(number - 1, len(chosen), f"Reading {name} ({number} of {len(chosen)})…")
            if info.file_size > MAX_JSON_BYTES:
                raise _too_big(name, info.file_size)
            try:
                raw = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                raise FhirFileError(f"{name} inside {path.name} is damaged and cannot be "
                                    "read.") from error
            yield from _read_blob(name, raw, None)


def read_documents(path: Path | str, report: Report | None = None) -> Iterator[Document]:
    """Each JSON document in ``path``; raises :class:`FhirFileError` with a plain message."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as error:
        raise FhirFileError(f"{path.name} could not be opened: "
                            f"{error.strerror or error}.") from error
    if size == 0:
        raise FhirFileError(f"{path.name} is empty.")
    if head.startswith(b"PK"):
        yield from _read_zip(path, report)
        return
    suffix = path.suffix.lower()
    if suffix in (".ndjson", ".jsonl"):
        with path.open("rb") as handle:
            yield from _lines(path.name, iter(handle), report, size)
        return
    if size > MAX_JSON_BYTES:
        raise _too_big(path.name, size)
    if report is not None:
        report(0, 0, f"Reading {path.name}…")
    yield from _read_blob(path.name, path.read_bytes(), report)

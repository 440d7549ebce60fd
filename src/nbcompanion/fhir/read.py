"""Opening a FHIR file: JSON (a resource or a Bundle), NDJSON, or a zip of such files.

Yields each JSON document with the name it came from; nothing here knows FHIR's resources
beyond ``resourceType``. Every problem becomes a :class:`FhirFileError` whose text is a plain
sentence for the family.
"""

from __future__ import annotations

import json
import re
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


#: Files larger than this are decoded one Bundle entry at a time (see :class:`EntryStream`).
STREAM_FROM_BYTES = 1024 * 1024
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


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
    if text.startswith((b"{", b"[")):
        return FhirFileError(
            f"{name} is damaged or cut short: it is not complete JSON. Nothing from it was "
            "added; please download it again.")
    return FhirFileError(
        f"{name} is not a FHIR results file: it does not hold JSON data. Hospital portals "
        "save FHIR results as .json or .ndjson files, or as a .zip of them.")


class EntryStream:
    """A big Bundle's ``entry`` array, decoded one entry at a time from the file's text.

    ``json.loads`` of a 50 MB Bundle holds Python's interpreter lock for seconds, freezing
    the window while a worker thread reads; decoding entry by entry lets the window breathe
    between entries, and each entry can be let go once read.
    """

    def __init__(self, name: str, text: str, position: int) -> None:
        self.name = name
        self.text = text
        self.position = position
        self.size = len(text)
        self._ahead: list[Any] = []
        self._items = self._decode()

    def _decode(self) -> Iterator[Any]:
        try:
            yield from self._decode_entries()
        except ValueError as error:
            raise FhirFileError(
                f"{self.name} is damaged: it stops being valid JSON near character "
                f"{self.position:,}. Nothing from it was added; download it again.") from error

    def _decode_entries(self) -> Iterator[Any]:
        text, skip, decode = self.text, _WHITESPACE.match, _DECODER.raw_decode
        position = skip(text, self.position).end()  # type: ignore[union-attr]
        if text.startswith("]", position):
            return
        while True:
            value, position = decode(text, position)
            self.position = position
            yield value
            position = skip(text, position).end()  # type: ignore[union-attr]
            mark = text[position:position + 1]
            if mark == "]":
                return
            if mark != ",":
                raise ValueError(f"expected ',' or ']' at character {position}")
            position = skip(text, position + 1).end()  # type: ignore[union-attr]

    def peek(self, count: int) -> list[Any]:
        """The first ``count`` entries, without using them up."""
        while len(self._ahead) < count:
            try:
                self._ahead.append(next(self._items))
            except StopIteration:
                break
        return self._ahead[:count]

    def __iter__(self) -> Iterator[Any]:
        while self._ahead:
            yield self._ahead.pop(0)
        yield from self._items


def _streamed_bundle(name: str, raw: bytes) -> dict[str, Any] | None:
    """A big Bundle's top-level elements, with ``entry`` as an :class:`EntryStream`.

    None when the document is not laid out that way (then it is read whole): the stream is
    only used once ``resourceType`` has been seen to be ``Bundle`` before ``entry``.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    skip, decode = _WHITESPACE.match, _DECODER.raw_decode
    position = skip(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("{", position):
        return None
    head: dict[str, Any] = {}
    position += 1
    try:
        while True:
            position = skip(text, position).end()  # type: ignore[union-attr]
            key, position = decode(text, position)
            position = skip(text, position).end()  # type: ignore[union-attr]
            if not text.startswith(":", position) or not isinstance(key, str):
                return None
            position = skip(text, position + 1).end()  # type: ignore[union-attr]
            if key == "entry" and text.startswith("[", position) \
                    and head.get("resourceType") == "Bundle":
                head["entry"] = EntryStream(name, text, position + 1)
                return head
            head[key], position = decode(text, position)
            position = skip(text, position).end()  # type: ignore[union-attr]
            if not text.startswith(",", position):
                return None
            position += 1
    except ValueError:
        return None


def _decode_object(name: str, raw: bytes) -> dict[str, Any]:
    if len(raw) >= STREAM_FROM_BYTES:
        streamed = _streamed_bundle(name, raw)
        if streamed is not None:
            return streamed
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

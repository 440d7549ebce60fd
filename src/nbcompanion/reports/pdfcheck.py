"""A small reader for the PDFs this app writes, to check an export is whole (no Qt).

It understands what QPdfWriter produces — Flate-compressed page streams, fonts named
``/F<object number>`` with a ToUnicode map, one ``<glyph> Tj`` per character — and nothing
more: enough for ``nbcompanion --self-test`` to say "this file has pages and the child's name
in it" without shipping a PDF library.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

_OBJECT = re.compile(rb"(?<![0-9])(\d+) 0 obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*)endstream", re.S)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_CONTENTS = re.compile(rb"/Contents\s+(\d+) 0 R")
_FONT_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+) 0 R")
_TEXT_OP = re.compile(rb"/F(\d+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]+)>\s*Tj")
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


@dataclass
class PdfCheck:
    """What :func:`read_pdf` found: pages, their text, and anything wrong."""

    path: Path
    pages: int = 0
    text: str = ""
    problems: list[str] = field(default_factory=list)

    def contains(self, phrase: str) -> bool:
        """True if ``phrase`` appears in the text, whitespace normalised."""
        return " ".join(phrase.split()) in self.text


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    if match is None:
        return b""
    data = match.group(1)
    if b"/FlateDecode" in body[:match.start()]:
        return zlib.decompressobj().decompress(data)
    return data


def _cmap(data: bytes) -> dict[int, str]:
    """Glyph id → text, from a ToUnicode CMap's bfchar and bfrange sections."""
    mapping: dict[int, str] = {}

    def text(hex_digits: bytes) -> str:
        return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", "replace")

    for section in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        codes = _HEX.findall(section)
        for source, target in zip(codes[::2], codes[1::2], strict=False):
            mapping[int(source, 16)] = text(target)
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[^>]*>)",
                                section):
            low, high, target = int(line.group(1), 16), int(line.group(2), 16), line.group(3)
            if target.startswith(b"["):
                for offset, code in enumerate(_HEX.findall(target)):
                    mapping[low + offset] = text(code)
            else:
                first = int(target.strip(b"<>"), 16)
                for offset in range(high - low + 1):
                    mapping[low + offset] = chr(first + offset)
    return mapping


def read_pdf(path: Path | str) -> PdfCheck:
    """Read ``path`` and check its frame: header, end marker, pages, text."""
    path = Path(path)
    result = PdfCheck(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        result.problems.append(f"{path.name} could not be read: {error}")
        return result
    if not data.startswith(b"%PDF-"):
        result.problems.append(f"{path.name} does not start with %PDF-")
    if not data.rstrip().endswith(b"%%EOF"):
        result.problems.append(f"{path.name} does not end with %%EOF (cut short?)")
    objects = {int(number): body for number, body in _OBJECT.findall(data)}
    pages = [body for body in objects.values() if _PAGE.search(body)]
    result.pages = len(pages)
    if not pages:
        result.problems.append(f"{path.name} has no pages")
    maps: dict[int, dict[int, str]] = {}
    words: list[str] = []
    try:
        for page in pages:
            contents = _CONTENTS.search(page)
            if contents is None:
                continue
            font: dict[int, str] = {}
            for match in _TEXT_OP.finditer(_stream(objects.get(int(contents.group(1)), b""))):
                if match.group(1) is not None:
                    number = int(match.group(1))
                    if number not in maps:
                        unicode_ref = _FONT_TO_UNICODE.search(objects.get(number, b""))
                        maps[number] = (_cmap(_stream(objects[int(unicode_ref.group(1))]))
                                        if unicode_ref else {})
                    font = maps[number]
                else:
                    glyphs = match.group(2)
                    for start in range(0, len(glyphs), 4):
                        words.append(font.get(int(glyphs[start:start + 4], 16), ""))
            words.append("\n")
    except (zlib.error, ValueError, KeyError) as error:
        result.problems.append(f"{path.name}: its text could not be read ({error})")
    result.text = " ".join("".join(words).split())
    return result

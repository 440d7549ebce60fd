"""One PDQ summary file: its front matter, its title and its sections (the heading tree).

Splitting into sections is a cheap line scan (no Markdown parser), so that opening the app
stays fast; everything that needs the full Markdown parser is built later, on first use.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from nbcompanion.i18n import _

#: The largest file accepted as a summary (the shipped one is under 0.1 MB).
MAX_SUMMARY_BYTES = 5 * 1024 * 1024

#: How long each review frequency named in the front matter lasts.
REVIEW_PERIODS: dict[str, timedelta] = {
    "weekly": timedelta(days=7),
    "monthly": timedelta(days=31),
    "quarterly": timedelta(days=92),
    "semiannually": timedelta(days=183),
    "biannually": timedelta(days=183),
    "yearly": timedelta(days=366),
    "annually": timedelta(days=366),
}

#: Headings absorbed into the section above them rather than becoming sections of their own.
ABSORBED_TITLES = frozenset({"key points"})

#: The longest line accepted (the shipped summary's longest is under 2,000 characters). Longer
#: lines are refused: the Markdown parser's link scan slows sharply on crafted long lines.
MAX_LINE_CHARS = 20_000
#: The front matter is a few lines of details; anything bigger is not a PDQ summary.
MAX_FRONT_MATTER_CHARS = 64 * 1024
#: YAML aliases (``*name``) allowed in the front matter: each can multiply what a value
#: holds, so a few dozen nested ones make gigabytes (a "billion laughs" file).
MAX_YAML_ALIASES = 10
#: How deeply lists and mappings may nest in the front matter.
MAX_YAML_DEPTH = 20

# Only the heading's opening is matched by a regex; its text and closing #s are cut with
# string methods. (A single regex with a lazy group and optional trailing groups was
# quadratic on a line of thousands of spaces.)
_HEADING_START = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Link text and target may not hold brackets/parentheses of their own, so every attempt
# stops at the next one: linear on lines of thousands of "[" or "](".
_INLINE_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MARKUP = re.compile(r"[*_`]")


class SummaryFormatError(ValueError):
    """The file is not a PDQ summary in the expected format; the message is fit to show."""


@dataclass
class Section:
    """A heading of the summary and the text under it (up to the next heading of any level)."""

    id: str
    book: str
    title: str
    level: int
    parent: str | None
    markdown: str
    first_line: int
    last_line: int
    children: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The part of the id after the book key (used as an HTML anchor name)."""
        return self.id.partition("/")[2]


def match_heading(line: str) -> tuple[int, str] | None:
    """(level, text) when ``line`` is an ATX heading ("## Stage 4  ##"), else None.

    Linear in the line's length whatever it holds.
    """
    match = _HEADING_START.match(line)
    if match is None:
        return None
    rest = line[match.end():].strip(" \t")
    if rest.strip("#") == "":
        return len(match.group(1)), ""
    # A closing run of #s counts only after a space or tab ("## C#" keeps its #).
    body = rest.rstrip("#")
    if len(body) < len(rest) and body[-1:] in (" ", "\t"):
        rest = body.rstrip(" \t")
    return len(match.group(1)), rest.strip()


def slugify(text: str, limit: int = 60) -> str:
    """A lowercase, dash-separated form of ``text`` for ids and file names."""
    slug = re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "section"


def plain_title(markdown: str) -> str:
    """A heading's text without link, emphasis or code markup."""
    text = _INLINE_LINK.sub(r"\1", markdown)
    return " ".join(_MARKUP.sub("", text).split())


def read_summary_text(path: Path) -> str:
    """Read a summary file, refusing files that are empty, too big, binary or not UTF-8."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SummaryFormatError(_("The file could not be opened ({strerror}).").format(
                                   strerror=error.strerror)) from error
    if size == 0:
        raise SummaryFormatError(_("This file is empty, so there is nothing to add."))
    if size > MAX_SUMMARY_BYTES:
        megabytes = size / (1024 * 1024)
        raise SummaryFormatError(
            _("This file is too large to be a PDQ summary ({megabytes:.0f} MB). Summaries "
              "are text files well under 5 MB.").format(megabytes=megabytes))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SummaryFormatError(_("The file could not be read ({strerror}).").format(
                                   strerror=error.strerror)) from error
    encoding = text_encoding(data)
    if encoding is None:
        raise SummaryFormatError(_("This is not a text file, so it cannot be a PDQ summary."))
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise SummaryFormatError(
            _("This file is not plain text in the usual (UTF-8) encoding, so it cannot be read "
            "as a PDQ summary.")) from error
    longest = max(map(len, text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise SummaryFormatError(
            _("This file does not look like a PDQ summary: one of its lines is far too long "
              "({longest:,} characters; summaries keep lines under {max_line_chars:,}).").format(
              longest=longest, max_line_chars=MAX_LINE_CHARS))
    return text


def text_encoding(data: bytes) -> str | None:
    """The encoding of a text file: UTF-8 (with or without BOM) or UTF-16/32; None if binary.

    Word processors and Windows tools save "Unicode text" as UTF-16, with a byte order mark
    or (rarely) without one; such files are full of zero bytes yet are plain text.
    """
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return name
    if b"\x00" not in data:
        return "utf-8"
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    # ASCII text in UTF-16 without a BOM: every other byte is zero, on one side only.
    if len(sample) >= 4 and odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if len(sample) >= 4 and even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML front matter from the Markdown body; raise if there is none."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise SummaryFormatError(
            _("This file does not look like a PDQ summary: it does not start with the block of "
            "details (title, source, review date) that PDQ summaries have."))
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise SummaryFormatError(
            _("This file does not look like a PDQ summary: its block of details at the top "
            "is never closed.")) from None
    meta = _load_front_matter("\n".join(lines[1:end]))
    title = meta.get("title") if isinstance(meta, dict) else None
    if not isinstance(title, str | int | float) or not str(title).strip():
        raise SummaryFormatError(
            _("This file does not look like a PDQ summary: the details at the top have no title."))
    return meta, "\n".join(lines[end + 1:])


def _load_front_matter(text: str) -> Any:
    """Parse the front matter as plain YAML data, bounded in time and memory.

    Only plain values (no tags that build objects); at most :data:`MAX_YAML_ALIASES` aliases
    and :data:`MAX_YAML_DEPTH` levels of nesting; a size limit. Anything else is refused
    with a plain message rather than parsed.
    """
    unreadable = SummaryFormatError(
        _("This file does not look like a PDQ summary: the block of details at the top "
        "could not be read."))
    if len(text) > MAX_FRONT_MATTER_CHARS:
        raise SummaryFormatError(
            _("This file does not look like a PDQ summary: its block of details at the top is "
            "far too long."))
    import yaml  # imported here: only needed when a summary is read

    class BoundedLoader(yaml.SafeLoader):  # the pure-Python loader, so it can be bounded
        aliases = 0
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_YAML_ALIASES:
                    raise yaml.YAMLError(_("too many aliases"))
            self.depth += 1
            try:
                if self.depth > MAX_YAML_DEPTH:
                    raise yaml.YAMLError(_("nested too deeply"))
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    try:
        return yaml.load(text, Loader=BoundedLoader)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        raise unreadable from None


def scan_headings(body: str) -> list[tuple[int, int, str]]:
    """(line index, level, text) for each ATX heading of ``body``, skipping fenced code."""
    headings: list[tuple[int, int, str]] = []
    fence: str | None = None
    for index, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        heading = match_heading(line)
        if heading is not None:
            headings.append((index, heading[0], heading[1]))
    return headings


class Book:
    """One summary: front matter, title, and sections in reading order."""

    def __init__(self, key: str, path: Path, meta: dict[str, Any], body: str, *,
                 shipped: bool = False) -> None:
        self.key = key
        self.path = path
        self.meta = meta
        self.body = body
        self.shipped = shipped

    @classmethod
    def from_file(cls, path: Path, key: str | None = None, *, shipped: bool = False) -> Book:
        """Read and check a summary file; raises :class:`SummaryFormatError`."""
        meta, body = split_front_matter(read_summary_text(path))
        book = cls(key or slugify(path.stem), path, meta, body, shipped=shipped)
        if not any(2 <= level <= 4 for _line, level, _text in scan_headings(body)):
            raise SummaryFormatError(
                _("This file does not look like a PDQ summary: it has no headings (lines "
                "starting with ##) to divide it into topics."))
        return book

    # -- details from the front matter ---------------------------------------------------------
    @cached_property
    def title(self) -> str:
        """The summary's own title (its last top-level heading), else the front matter's."""
        title = ""
        for _line, level, text in scan_headings(self.body):
            if level >= 2:
                break
            title = plain_title(text)
        return title or str(self.meta.get("title", "")).strip()

    @property
    def url(self) -> str:
        """The summary's address on the web (may be empty for an imported file)."""
        return str(self.meta.get("url") or "").strip()

    @property
    def source(self) -> str:
        """Who publishes the summary, e.g. "NCI"."""
        return str(self.meta.get("source") or "").strip()

    @property
    def last_reviewed(self) -> date | None:
        """The front matter's ``lastReviewed`` date, if it is a readable date."""
        value = self.meta.get("lastReviewed")
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            return None

    @property
    def review_period(self) -> timedelta | None:
        """How often the publisher reviews the summary, from ``reviewFrequency``."""
        return REVIEW_PERIODS.get(str(self.meta.get("reviewFrequency") or "").strip().lower())

    def review_overdue(self, today: date | None = None) -> bool:
        """True when the last review is older than the review period says it should be."""
        reviewed, period = self.last_reviewed, self.review_period
        if reviewed is None or period is None:
            return False
        return (today or date.today()) - reviewed > period

    # -- sections --------------------------------------------------------------------------------
    @cached_property
    def sections(self) -> list[Section]:
        """The sections in reading order (## chapters, ### sections, #### subsections)."""
        lines = self.body.split("\n")
        starts = [(i, level, plain_title(text)) for i, level, text in scan_headings(self.body)
                  if 2 <= level <= 4 and plain_title(text).casefold() not in ABSORBED_TITLES]
        sections: list[Section] = []
        used: set[str] = set()
        first_heading = starts[0][0] if starts else len(lines)
        intro = [line for line in lines[:first_heading] if match_heading(line) is None]
        if any(line.strip() for line in intro):
            starts.insert(0, (-1, 2, "Introduction"))
        stack: list[Section] = []
        for n, (line, level, title) in enumerate(starts):
            end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
            slug = base = slugify(title)
            counter = 2
            while slug in used:
                slug, counter = f"{base}-{counter}", counter + 1
            used.add(slug)
            while stack and stack[-1].level >= level:
                stack.pop()
            own = intro if line < 0 else lines[line + 1:end]
            section = Section(id=f"{self.key}/{slug}", book=self.key, title=title, level=level,
                              parent=stack[-1].id if stack else None,
                              markdown="\n".join(own), first_line=line + 1, last_line=end)
            if stack:
                stack[-1].children.append(section.id)
            stack.append(section)
            sections.append(section)
        return sections

    @cached_property
    def by_id(self) -> dict[str, Section]:
        """Sections by id."""
        return {section.id: section for section in self.sections}

    def top_sections(self) -> list[Section]:
        """The chapters (sections without a parent)."""
        return [s for s in self.sections if s.parent is None]

    def page_of(self, section_id: str) -> Section:
        """The section whose page shows ``section_id`` (subsections show inside their parent)."""
        section = self.by_id[section_id]
        if section.level >= 4 and section.parent is not None:
            return self.by_id[section.parent]
        return section

    def path_to(self, section_id: str) -> list[Section]:
        """The chain of sections from the chapter down to ``section_id``."""
        chain: list[Section] = []
        current: str | None = section_id
        while current is not None:
            chain.append(self.by_id[current])
            current = self.by_id[current].parent
        return chain[::-1]

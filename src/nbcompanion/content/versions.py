"""Versions of a summary: which copy is newer, and what changed between two of them.

A "What changed" report is worked out once, when a newer version replaces an older one, and
kept as a small JSON file beside the family's copies, so that it survives a restart and can
be read until the family dismisses it (and afterwards from the summary's source page).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbcompanion.content.summary import Book

_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z0-9(\"“])")
_TOKEN = re.compile(r"\s+|\w+(?:[-'’]\w+)*|[^\w\s]")
#: Sentences this similar are shown as one changed sentence, below as removed plus added.
_PAIR_SIMILARITY = 0.45


def review_verdict(candidate: Book, existing: Book) -> str:
    """"newer", "older", "same" or "unknown": ``candidate``'s review date against ``existing``'s."""
    new, old = candidate.last_reviewed, existing.last_reviewed
    if new is None or old is None:
        return "unknown"
    if new > old:
        return "newer"
    return "older" if new < old else "same"


@dataclass
class SentenceChange:
    """One changed sentence: ``kind`` is "added", "removed" or "changed".

    ``words`` is the word-level diff of a changed sentence: (op, text) pairs where op is
    " " (kept), "+" (new) or "-" (gone).
    """

    kind: str
    old: str = ""
    new: str = ""
    words: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SectionChange:
    """A section of the newer version whose text differs from the older one."""

    title: str
    path: str
    section_id: str
    sentences: list[SentenceChange] = field(default_factory=list)


@dataclass
class ChangeReport:
    """What changed when a newer version of a summary replaced an older one."""

    book_key: str
    title: str
    old_reviewed: str
    new_reviewed: str
    replaced_on: str
    added: list[tuple[str, str]] = field(default_factory=list)  # (title, section id)
    removed: list[str] = field(default_factory=list)  # titles of the older version
    changed: list[SectionChange] = field(default_factory=list)
    dismissed: bool = False

    def is_empty(self) -> bool:
        """True when the two versions have the same sections and the same text."""
        return not (self.added or self.removed or self.changed)

    # -- storage ---------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the report as ``<folder>/<book key>.json`` (atomically)."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{self.book_key}.json"
        partial = folder / f".{self.book_key}.json.part"
        partial.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1),
                           encoding="utf-8")
        os.replace(partial, target)

    @classmethod
    def load(cls, folder: Path, book_key: str) -> ChangeReport | None:
        """The saved report of a book, or None (also for an unreadable file)."""
        try:
            data: dict[str, Any] = json.loads((folder / f"{book_key}.json").read_text(
                encoding="utf-8"))
            changed = [SectionChange(c["title"], c["path"], c["section_id"],
                                     [SentenceChange(s["kind"], s["old"], s["new"],
                                                     [(op, text) for op, text in s["words"]])
                                      for s in c["sentences"]])
                       for c in data["changed"]]
            return cls(data["book_key"], data["title"], data["old_reviewed"],
                       data["new_reviewed"], data["replaced_on"],
                       [(t, i) for t, i in data["added"]], list(data["removed"]), changed,
                       bool(data.get("dismissed")))
        except (OSError, ValueError, KeyError, TypeError):
            return None


def sentences(text: str) -> list[str]:
    """The sentences of a section's plain text (paragraphs and list items kept apart)."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff of two sentences: (op, text) pairs, op " ", "+" or "-"."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append((" ", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(before[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(after[j1:j2])))
    return out


def sentence_changes(old_text: str, new_text: str) -> list[SentenceChange]:
    """The sentences added, removed and changed between two texts of a section."""
    before, after = sentences(old_text), sentences(new_text)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changes: list[SentenceChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = list(before[i1:i2]), list(after[j1:j2])
        # Pair each new sentence with the most similar old one, if they are close enough.
        for sentence in came:
            scored = [(difflib.SequenceMatcher(None, o, sentence).ratio(), o) for o in gone]
            best = max(scored, default=(0.0, ""))
            if best[0] >= _PAIR_SIMILARITY:
                gone.remove(best[1])
                changes.append(SentenceChange("changed", best[1], sentence,
                                              word_diff(best[1], sentence)))
            else:
                changes.append(SentenceChange("added", new=sentence))
        changes.extend(SentenceChange("removed", old=o) for o in gone)
    return changes


def _place(book: Book, section_id: str) -> str:
    """A section's place for matching two versions: its headings from the chapter down."""
    from nbcompanion.content.glossary import normalise

    return " › ".join(normalise(s.title) for s in book.path_to(section_id))


def compare_books(old: Book, new: Book, old_plain: dict[str, str],
                  new_plain: dict[str, str], today: date | None = None) -> ChangeReport:
    """The report of what changed from ``old`` to ``new`` (``*_plain``: section id → text).

    Sections are matched by their headings (chapter › section), then by heading alone when
    a section moved to another chapter.
    """
    from nbcompanion.content.glossary import normalise

    old_places = {_place(old, s.id): s for s in old.sections}
    old_titles: dict[str, list[str]] = {}
    for s in old.sections:
        old_titles.setdefault(normalise(s.title), []).append(s.id)
    matched: set[str] = set()
    report = ChangeReport(
        new.key, new.title, _iso(old.last_reviewed), _iso(new.last_reviewed),
        (today or date.today()).isoformat())
    for section in new.sections:
        place = _place(new, section.id)
        previous = old_places.get(place)
        if previous is None or previous.id in matched:
            candidates = [i for i in old_titles.get(normalise(section.title), [])
                          if i not in matched]
            previous = old.by_id[candidates[0]] if len(candidates) == 1 else None
        if previous is None:
            report.added.append((section.title, section.id))
            continue
        matched.add(previous.id)
        found = sentence_changes(old_plain.get(previous.id, ""), new_plain.get(section.id, ""))
        if found:
            path = " › ".join(s.title for s in new.path_to(section.id)[:-1])
            report.changed.append(SectionChange(section.title, path, section.id, found))
    report.removed = [s.title for s in old.sections if s.id not in matched]
    return report


def long_date(value: date) -> str:
    """A date written out, e.g. "30 December 2025"."""
    return f"{value.day} {value:%B %Y}"


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""

"""Full-text search over every section, with SQLite FTS5 through sqlite-utils (in memory).

Whatever the user types is turned into a safe FTS5 query: each word becomes a quoted prefix
(``"dinutux"*``), text in double quotes becomes a phrase, and everything else (brackets, ``AND``,
``*``, emoji) is treated as plain words or dropped — so a search never raises.
"""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]*)"')
_MAX_TERMS = 12
#: Words left out when nothing matches all the words typed ("what is stage m" → "stage m").
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "i", "in", "is", "it", "my", "of", "on", "or", "our", "the", "to", "what", "when", "where",
    "which", "who", "why", "will", "with",
})
_OPEN, _CLOSE = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    """One search result: the section, its place in the book and a highlighted snippet."""

    section_id: str
    book: str
    title: str
    path: str
    snippet_html: str
    all_words: bool = True


@dataclass(frozen=True)
class Query:
    """A parsed search: phrases (lists of words) and single words to match as prefixes."""

    phrases: tuple[tuple[str, ...], ...]
    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        """Split typed text into quoted phrases and loose words."""
        text = text or ""
        phrases = [tuple(_WORD.findall(p)) for p in _PHRASE.findall(text)]
        rest = _PHRASE.sub(" ", text)
        words = tuple(_WORD.findall(rest))
        phrases = [p for p in phrases if p]
        single = tuple(p[0] for p in phrases if len(p) == 1)
        multi = tuple(p for p in phrases if len(p) > 1)
        return cls(multi[:_MAX_TERMS], (single + words)[:_MAX_TERMS])

    def is_empty(self) -> bool:
        """True when there is nothing to search for."""
        return not self.phrases and not self.words

    def terms(self, *, skip_stopwords: bool = False) -> list[str]:
        """FTS5 terms: ``"word"*`` for words (whole words when very short), ``"a b"`` phrases."""
        words = [w for w in self.words if not (skip_stopwords and w.casefold() in STOPWORDS)]
        return ([f'"{" ".join(p)}"' for p in self.phrases]
                + [f'"{w}"*' if len(w) > 2 else f'"{w}"' for w in words])

    def highlight_terms(self) -> list[str]:
        """The words and phrases to highlight in the opened section."""
        return [" ".join(p) for p in self.phrases] + list(self.words)


class SearchIndex:
    """An in-memory FTS5 index of sections (id, book, title, path, body)."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        import sqlite_utils  # imported on first search only, to keep start-up fast

        self.db = sqlite_utils.Database(memory=True, execute_plugins=False)
        table = self.db.table("sections")
        table.insert_all(rows, pk="id", columns={"id": str, "book": str, "title": str,
                                                 "path": str, "body": str})
        table.enable_fts(["title", "body"], tokenize="unicode61 remove_diacritics 2",
                         create_triggers=True)

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Index more sections (an imported book)."""
        self.db.table("sections").insert_all(rows, pk="id", replace=True)

    def search(self, text: str, limit: int = 30) -> list[Hit]:
        """Ranked hits for ``text``; all words must match, else sections with any of them."""
        query = Query.parse(text)
        if query.is_empty():
            return []
        terms = query.terms()
        hits = self._run(" AND ".join(terms), limit, all_words=True)
        if hits or len(terms) < 2:
            return hits
        useful = query.terms(skip_stopwords=True) or terms
        if len(useful) < len(terms):
            hits = self._run(" AND ".join(useful), limit, all_words=False)
        return hits or self._run(" OR ".join(useful), limit, all_words=False)

    def _run(self, match: str, limit: int, *, all_words: bool) -> list[Hit]:
        sql = (
            "SELECT s.id, s.book, s.title, s.path, "
            "snippet(sections_fts, 1, ?, ?, '…', 18) AS snip "
            "FROM sections_fts JOIN sections s ON s.rowid = sections_fts.rowid "
            "WHERE sections_fts MATCH ? ORDER BY bm25(sections_fts, 8.0, 1.0) LIMIT ?"
        )
        try:
            rows = list(self.db.query(sql, [_OPEN, _CLOSE, match, limit]))
        except sqlite3.Error:  # never expected: the query is built from quoted words only
            return []
        return [Hit(r["id"], r["book"], r["title"], r["path"], _marked_to_html(r["snip"]),
                    all_words) for r in rows]


def _marked_to_html(text: str) -> str:
    """Escape a snippet and turn the FTS markers into bold highlights."""
    escaped = html.escape(text or "")
    return escaped.replace(_OPEN, '<b style="background-color:#fff1a8">').replace(_CLOSE, "</b>")

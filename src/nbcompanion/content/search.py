"""Full-text search over every section, with SQLite FTS5 through sqlite-utils (in memory).

Whatever the user types is turned into a safe FTS5 query: each word becomes a quoted prefix
(``"dinutux"*``), text in double quotes becomes a phrase, and everything else (brackets, ``AND``,
``*``, emoji) is treated as plain words or dropped — so a search never raises.
"""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbcompanion.content.suggest import Group, Speller

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
        # A word typed twice adds nothing but time: FTS5's snippet() slows with each copy.
        first: dict[str, str] = {}
        for word in single + words:
            first.setdefault(word.casefold(), word)
        unique = tuple(first.values())
        return cls(tuple(dict.fromkeys(multi))[:_MAX_TERMS], unique[:_MAX_TERMS])

    def is_empty(self) -> bool:
        """True when there is nothing to search for."""
        return not self.phrases and not self.words

    def terms(self, *, skip_stopwords: bool = False) -> list[str]:
        """FTS5 terms: ``"word"*`` for words (whole words when very short), ``"a b"`` phrases."""
        words = [w for w in self.words if not (skip_stopwords and w.casefold() in STOPWORDS)]
        return ([f'"{" ".join(p)}"' for p in self.phrases]
                + [f'"{w}"*' if len(w) > 2 else f'"{w}"' for w in words])

    def content_words(self) -> tuple[str, ...]:
        """The typed words without stop words ("what is stage L2" → "stage", "L2").

        Only when every word is a stop word are they all kept.
        """
        kept = tuple(w for w in self.words if w.casefold() not in STOPWORDS)
        return kept or (self.words if not self.phrases else ())

    def highlight_terms(self) -> list[str]:
        """The words and phrases to highlight in the opened section (never stop words)."""
        return [" ".join(p) for p in self.phrases] + list(self.content_words())


@dataclass(frozen=True)
class SearchResult:
    """What a search found, and how it was forgiving.

    ``suggestion`` is the corrected query when a word was misspelt ("Did you mean …?"); the
    hits are then those of the suggestion. ``also`` lists the other words searched for
    the typed ones (lay words and synonyms); ``highlight`` is the query to highlight in a
    section opened from the results.
    """

    text: str
    hits: list[Hit]
    suggestion: str = ""
    also: tuple[str, ...] = ()
    highlight: str = ""


class SearchIndex:
    """An in-memory FTS5 index of sections (id, book, title, path, body)."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        import sqlite_utils  # imported on first search only, to keep start-up fast

        # Built on a worker thread after start-up, then searched from the GUI thread.
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        self.db = sqlite_utils.Database(connection, execute_plugins=False)
        table = self.db.table("sections")
        table.insert_all(rows, pk="id", columns={"id": str, "book": str, "title": str,
                                                 "path": str, "body": str})
        table.enable_fts(["title", "body"], tokenize="unicode61 remove_diacritics 2",
                         create_triggers=True)
        self._speller: Speller | None = None  # made on the first misspelt search

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        """Index more sections (an imported book)."""
        self.db.table("sections").insert_all(rows, pk="id", replace=True)
        self._speller = None  # new words to suggest

    def search(self, text: str, limit: int = 30) -> list[Hit]:
        """Ranked hits for ``text`` as typed (lay words too, no spelling suggestions)."""
        return self.find(text, limit, correct=False).hits

    def find(self, text: str, limit: int = 30, *, correct: bool = True) -> SearchResult:
        """Ranked hits for ``text``, forgiving lay words and (``correct``) misspellings.

        Whole-phrase matches come first, then sections with every word as typed, then with
        words starting so, then sections with some of the words. Stop words are never
        searched for (unless nothing else was typed).
        """
        from nbcompanion.content.suggest import fold, group_words, lay_words

        query = Query.parse(text)
        if query.is_empty():
            return SearchResult(text, [])
        words = query.content_words()
        lay = {w for key in lay_words() for w in key}
        corrected = [w if fold(w) in lay or not correct else self.speller.suggest(w) or w
                     for w in words]
        suggestion = ""
        if corrected != list(words):
            suggestion = " ".join(
                [f'"{" ".join(p)}"' for p in query.phrases] + corrected)
        for attempt in ([corrected, list(words)] if suggestion else [list(words)]):
            groups = group_words(attempt)
            hits = self._tiers(query.phrases, groups, limit)
            if hits or attempt is not corrected:
                break
            suggestion = ""  # the correction finds nothing either: show the words as typed
        also = tuple(dict.fromkeys(a for g in groups for a in g.also))
        highlight = " ".join([f'"{" ".join(p)}"' for p in query.phrases] + list(attempt)
                             + [f'"{a}"' if " " in a else a for a in also])
        return SearchResult(text, hits, suggestion, also, highlight)

    @property
    def speller(self) -> Speller:
        """Spelling suggestions from this index's own words (made on first use)."""
        from nbcompanion.content.suggest import Speller

        if self._speller is None:
            self._speller = Speller(self._knows, self._vocabulary)
        return self._speller

    def _vocab_table(self) -> str:
        self.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.sections_vocab "
                        "USING fts5vocab(main, sections_fts, row)")
        return "temp.sections_vocab"

    def _knows(self, word: str) -> bool:
        table = self._vocab_table()
        row = self.db.execute(f"SELECT 1 FROM {table} WHERE term >= ? AND term < ? LIMIT 1",
                              [word, word + "\U0010ffff"]).fetchone()
        return row is not None

    def _vocabulary(self) -> dict[str, int]:
        table = self._vocab_table()
        return {term: count for term, count in
                self.db.execute(f"SELECT term, cnt FROM {table}").fetchall()}

    def _tiers(self, phrases: tuple[tuple[str, ...], ...], groups: list[Group],
               limit: int) -> list[Hit]:
        """Run the ranking tiers, best first, and merge their hits without repeats."""
        must = [f'"{" ".join(p)}"' for p in phrases]
        tiers: list[tuple[list[str], bool]] = []
        words = [w for g in groups for w in g.words]
        if len(words) > 1:  # the whole phrase, as typed
            tiers.append(([*must, _quote(words)], True))
        if len(groups) == 1 and groups[0].also and len(groups[0].words) > 1:
            tiers.append(([*must, " OR ".join(_quote(a.split()) for a in groups[0].also)],
                          True))
        tiers.append(([*must, *(_group(g, prefix=False) for g in groups)], True))
        tiers.append(([*must, *(_group(g, prefix=True) for g in groups)], True))
        hits: list[Hit] = []
        seen: set[str] = set()
        for parts, all_words in tiers:
            for hit in self._run(" AND ".join(p for p in parts if p), limit,
                                 all_words=all_words):
                if hit.section_id not in seen:
                    seen.add(hit.section_id)
                    hits.append(hit)
        if not hits and len(groups) + len(must) > 1:
            anyof = [*must, *(_group(g, prefix=True) for g in groups)]
            hits = self._run(" OR ".join(anyof), limit, all_words=False)
        return hits[:limit]

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


def _quote(words: Sequence[str]) -> str:
    """An FTS5 phrase of plain words (double quotes inside are dropped)."""
    return '"' + " ".join(w.replace('"', "") for w in words) + '"'


def _group(group: Group, *, prefix: bool) -> str:
    """One group as FTS5: its words (whole or as word starts) or any of its other words."""
    star = "*" if prefix else ""
    own = " AND ".join(f"{_quote([w])}{star if len(w) > 2 else ''}" for w in group.words)
    if not group.also:
        return own
    others = [_quote(a.split()) + (star if " " not in a else "") for a in group.also]
    return "(" + " OR ".join([f"({own})", *others]) + ")"


def _marked_to_html(text: str) -> str:
    """Escape a snippet and turn the FTS markers into bold highlights."""
    escaped = html.escape(text or "")
    return escaped.replace(_OPEN, '<b style="background-color:#fff1a8">').replace(_CLOSE, "</b>")

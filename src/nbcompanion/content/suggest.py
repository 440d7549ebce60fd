"""Search that forgives: lay words and synonyms, and spelling suggestions from the index.

The synonyms are a small data file beside this module (``lay-words.json``). Suggestions come
from the search index's own vocabulary, so they are always words the summaries use; the fuzzy
matcher (rapidfuzz) is imported on the first misspelt word only, never at start-up.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LAY_WORDS = Path(__file__).with_name("lay-words.json")
#: How alike (0–100) a typed word and a word of the summaries must be to suggest it.
_MIN_SCORE = 78
#: Words shorter than this are never "corrected": too many short words look alike.
_MIN_LENGTH = 4
_MAX_KEY_WORDS = 3


def fold(word: str) -> str:
    """A word as the index stores it: lowercase, without accents."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def lay_words() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Typed words (as a tuple of folded words) → the summaries' words to search too."""
    try:
        data = json.loads(LAY_WORDS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, values in data.items():
        if key.startswith("_") or not isinstance(values, list):
            continue
        from nbcompanion.content.search import STOPWORDS

        words = tuple(fold(w) for w in key.replace("-", " ").split() if w not in STOPWORDS)
        if words:
            out[words] = tuple(str(v) for v in values if fold(str(v)) != " ".join(words))
    return out


@dataclass(frozen=True)
class Group:
    """Words the user typed that belong together, and other words searched in their place."""

    words: tuple[str, ...]
    also: tuple[str, ...] = ()


def group_words(words: Sequence[str]) -> list[Group]:
    """Split typed words into groups, the longest synonym keys first ("survival rate")."""
    table = lay_words()
    groups: list[Group] = []
    index = 0
    while index < len(words):
        for size in range(min(_MAX_KEY_WORDS, len(words) - index), 0, -1):
            chunk = tuple(words[index:index + size])
            also = table.get(tuple(fold(w) for w in chunk))
            if also is not None and (also or size > 1):
                groups.append(Group(chunk, also))
                index += size
                break
        else:
            groups.append(Group((words[index],)))
            index += 1
    return groups


class Speller:
    """Suggests a word of the index for a typed word the index does not know.

    ``is_known(word)`` says whether the index has the word or a word starting with it;
    ``vocabulary()`` gives every word of the index with how often it occurs.
    """

    def __init__(self, is_known: Callable[[str], bool],
                 vocabulary: Callable[[], dict[str, int]]) -> None:
        self._is_known = is_known
        self._vocabulary = vocabulary
        self._words: list[str] | None = None
        self._counts: dict[str, int] = {}

    def warm(self) -> None:
        """Load the fuzzy matcher and the index's words now (so the first typo is quick)."""
        import rapidfuzz.process  # noqa: F401  (imported for its cost, here rather than later)

        if self._words is None:
            self._counts = self._vocabulary()
            self._words = [w for w in self._counts if len(w) >= _MIN_LENGTH - 1 and w.isalpha()]
        lay_words()

    def is_known(self, word: str) -> bool:
        """True when some summary has the word (or a word starting with it)."""
        return self._is_known(fold(word))

    def suggest(self, word: str) -> str | None:
        """The index's word closest to a misspelt ``word``, or None."""
        folded = fold(word)
        if len(folded) < _MIN_LENGTH or not folded.isalpha() or self._is_known(folded):
            return None
        from rapidfuzz import fuzz, process

        self.warm()
        assert self._words is not None
        found = process.extract(folded, self._words, scorer=fuzz.ratio, limit=5,
                                score_cutoff=_MIN_SCORE)
        if not found:
            return None
        # The closest first; among equally close words, the one the summaries use most.
        best = max(found, key=lambda f: (round(f[1]), self._counts.get(f[0], 0)))
        return best[0]

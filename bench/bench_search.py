"""Search latency benchmark: a few hundred queries over the shipped summary.

Prints the one-off cost of building the index (first search), then median and p95 of the
queries (aim: median under 5 ms). Run with ``python bench/bench_search.py``.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from nbcompanion.content.library import Library

ODD = ['"', "((", "AND", "OR NOT", "*", "\U0001F600", "", "VMA/HVA", "stage AND (m OR ms)",
       '"unclosed phrase', "NEAR(a b)", "col:umn", "-", "^"]


def queries(library: Library, count: int = 400) -> list[str]:
    """Realistic queries: words and word starts from the summary, phrases, questions, odd input."""
    rng = random.Random(20261125)
    words = sorted({w for s in library.sections() for w in s.title.split() if len(w) > 3})
    phrases = ['"stem cell"', '"bone marrow"', '"high risk"', '"clinical trial"']
    questions = ["what is stage m", "how is mibg scan done", "side effects of dinutuximab",
                 "late effects hearing", "urine catecholamine", "dinutux", "isotret"]
    out: list[str] = []
    while len(out) < count:
        kind = rng.random()
        if kind < 0.4:
            out.append(rng.choice(words).strip(".,()"))
        elif kind < 0.6:
            word = rng.choice(words).strip(".,()")
            out.append(word[: max(3, len(word) // 2)])
        elif kind < 0.75:
            out.append(" ".join(rng.sample(words, 2)))
        elif kind < 0.85:
            out.append(rng.choice(phrases))
        elif kind < 0.95:
            out.append(rng.choice(questions))
        else:
            out.append(rng.choice(ODD))
    return out


def main() -> None:
    """Measure and print."""
    start = time.perf_counter()
    library = Library.load_default(user_dir=Path("/nonexistent-nbcompanion-bench"))
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    library.search("neuroblastoma")
    first = time.perf_counter() - start
    timings: list[float] = []
    hits = 0
    for text in queries(library):
        start = time.perf_counter()
        results = library.search(text)
        timings.append(time.perf_counter() - start)
        hits += bool(results)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"library loaded in {loaded * 1000:.1f} ms; first search (builds the index) "
          f"{first * 1000:.1f} ms")
    median = statistics.median(timings) * 1000
    print(f"{len(timings)} queries ({hits} with results): median "
          f"{median:.2f} ms, p95 {p95 * 1000:.2f} ms, max {timings[-1] * 1000:.2f} ms")
    print(f"search, median of the queries  aim < 5 ms / measured {median:.2f} ms / "
          f"{'ok' if median < 5 else 'MISS'}")
    print("(the index is built on a worker thread just after start-up: bench_views.py times "
          "the first search in the window)")


if __name__ == "__main__":
    main()

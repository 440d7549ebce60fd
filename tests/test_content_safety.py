"""Crafted reference files cannot freeze the app: a size limit, bounded YAML front matter
(aliases, nesting, length), linear heading and link scans, and the import off the GUI thread
with Cancel."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from nbcompanion.content.library import Library
from nbcompanion.content.summary import (
    MAX_SUMMARY_BYTES,
    Book,
    SummaryFormatError,
    plain_title,
    scan_headings,
    split_front_matter,
)

FRONT = "---\ntitle: Crafted\nsource: NCI\n---\n"
#: Generous on a slow, shared machine; the old quadratic scan took over 60 s on 100 KB.
BUDGET = 1.5

FRAGMENTS = ["#", " ", "\t", "[", "](", "]", "(", ")", "`", "~", "*", "_", "a", "##", "![",
             "\\", "<", "-", "=", "\r"]
adversarial_lines = st.builds(
    lambda parts, repeat, prefix, suffix: prefix + "".join(parts) * repeat + suffix,
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4),
    st.integers(min_value=1_000, max_value=40_000),
    st.sampled_from(["", "#", "## ", "# a", "### x", "   #", "```", "[", "## ["]),
    st.sampled_from(["", "#b", "b", " #", "x#", "]", ")"]),
)


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def test_a_heading_line_of_100_kb_of_spaces_is_quick(tmp_path: Path) -> None:
    # "# a      …      #b": 20,000 spaces took the old heading regex 10 s, 100 KB minutes
    body = "## Topic\n\ntext\n\n# a" + " " * 100_000 + "#b\n## " + " " * 100_000 + "\n"
    book = Book("b", Path("b.md"), {"title": "B"}, body)
    assert _timed(lambda: (book.sections, book.title)) < BUDGET
    path = tmp_path / "spaces.md"
    path.write_text(FRONT + body, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(SummaryFormatError, match="one of its lines is far too long"):
        Book.from_file(path)  # and such a file is refused at once
    assert time.perf_counter() - started < BUDGET


def test_a_crafted_long_line_of_link_openers_is_refused_before_the_markdown_parser(
        tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    path.write_text(FRONT + "## Topic\n\n" + "[a](" * 10_000 + "\n", encoding="utf-8")
    with pytest.raises(SummaryFormatError, match="far too long"):
        Book.from_file(path)


@settings(max_examples=40, deadline=None)
@given(line=adversarial_lines)
def test_long_adversarial_lines_are_scanned_in_linear_time(line: str) -> None:
    body = "## Topic\n" + line + "\n" + line
    assert _timed(lambda: [plain_title(t) for _i, _l, t in scan_headings(body)]) < BUDGET
    assert _timed(lambda: plain_title(line)) < BUDGET
    book = Book("b", Path("b.md"), {"title": "B"}, body)
    assert _timed(lambda: (book.sections, book.title)) < BUDGET


BOMB = """---
title: &t [lol]
a: &a [*t, *t, *t, *t, *t, *t, *t, *t, *t]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]
---
## Topic
"""


@pytest.mark.parametrize(("front", "why"), [
    (BOMB, "aliases"),
    ("---\ntitle: x\nnested: " + "[" * 5000 + "]" * 5000 + "\n---\n## T\n", "depth"),
    ("---\ntitle: x\nnested: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n---\n## T\n", "depth"),
    ("---\ntitle: x\nlong: " + "y" * 70_000 + "\n---\n## T\n", "length"),
    ("---\ntitle: !!python/object:os.system x\n---\n## T\n", "tag"),
])
def test_crafted_front_matter_is_refused_quickly_with_a_plain_message(front: str,
                                                                      why: str) -> None:
    started = time.perf_counter()
    with pytest.raises(SummaryFormatError) as raised:
        split_front_matter(front)
    assert time.perf_counter() - started < BUDGET, why
    assert str(raised.value).startswith("This file does not look like a PDQ summary")


def test_a_few_aliases_are_still_fine() -> None:
    meta, _body = split_front_matter("---\ntitle: &t Stage\nalso: *t\n---\n## T\n")
    assert meta["also"] == "Stage"


def test_a_bomb_kept_by_an_older_version_does_not_slow_the_start(tmp_path: Path) -> None:
    (tmp_path / "bomb.md").write_text(BOMB, encoding="utf-8")
    started = time.perf_counter()
    library = Library.load_default(tmp_path)
    assert time.perf_counter() - started < 5
    assert len(library.books) == 1  # the shipped summary; the crafted copy is skipped


def test_too_large_a_file_gets_a_plain_message(tmp_path: Path) -> None:
    from nbcompanion.ui.reference.importing import quick_refusal

    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(MAX_SUMMARY_BYTES + 1)
    with pytest.raises(SummaryFormatError, match="too large to be a PDQ summary"):
        Library([]).import_summary(big)
    assert quick_refusal(big).startswith("This file is too large to be a PDQ summary")


def test_the_import_runs_off_the_gui_thread_and_can_be_cancelled(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from nbcompanion.record.store import Store
    from nbcompanion.ui.context import AppContext
    from nbcompanion.ui.reference import helpers, importing
    from nbcompanion.ui.reference.page import ReferencePage

    told: list[tuple[str, str]] = []
    monkeypatch.setattr(helpers, "tell_user", lambda _p, title, text: told.append((title, text)))
    context = AppContext(Store.memory())
    context._library = Library.load_default(tmp_path / "mine")
    page = ReferencePage(context)
    qtbot.addWidget(page)
    summary = Path(__file__).parent / "fixtures" / "reference" / "wilms-mini.md"
    real = importing.check_summary
    threads: list[threading.Thread] = []

    def slow_check(path: Path, progress: object) -> Book:
        threads.append(threading.current_thread())
        time.sleep(0.5)
        return real(path, progress)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "check_summary", slow_check)
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer(page)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    QTimer.singleShot(200, lambda: page.import_job.cancel())  # type: ignore[union-attr]
    assert not page.add_summary(summary)  # the family pressed Cancel
    assert page.import_job is not None
    assert page.import_job.was_cancelled
    assert threads[0] is not threading.main_thread()
    assert len(ticks) >= 5  # the window kept handling events while the file was checked
    assert len(context.library.books) == 1
    assert told == []
    assert page.add_summary(summary)  # and without Cancel it is added
    timer.stop()
    assert len(context.library.books) == 2
    assert told[-1][0] == "Summary added"


def test_a_word_typed_many_times_is_searched_once() -> None:
    from nbcompanion.content.search import Query

    # each copy of a word made FTS5's snippet() seconds slower on a crafted section
    assert Query.parse("a A a b a").words == ("a", "b")
    assert Query.parse('"stage 4" "Stage 4" x').phrases == (("stage", "4"), ("Stage", "4"))

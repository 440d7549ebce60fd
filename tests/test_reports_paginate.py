"""Cutting the long page into pages: properties that hold for any content."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nbcompanion.reports.paginate import Atom, paginate

HEIGHT = 100.0


@st.composite
def documents(draw: st.DrawFn) -> list[Atom]:
    atoms: list[Atom] = []
    y = 0.0
    header: tuple[float, float] | None = None
    for _ in range(draw(st.integers(1, 60))):
        y += draw(st.sampled_from([0.0, 0.0, 2.0, 5.0]))  # margins between blocks
        size = draw(st.one_of(st.floats(1, 30), st.floats(30, 160)))
        kind = draw(st.sampled_from(["line", "heading", "row", "new_table", "break"]))
        if kind == "new_table":
            header = (y, y + 6.0)
            y += 6.0
        if kind not in ("row", "new_table"):
            header = None
        atoms.append(Atom(y, y + size, header=header if kind in ("row", "new_table") else None,
                          keep_with_next=kind == "heading", break_before=kind == "break",
                          anchors=(f"a{len(atoms)}",)))
        y += size
    return atoms


def placed(atom: Atom, pages: list) -> list[int]:
    return [n for n, page in enumerate(pages) for top, bottom in page.segments
            if top - 1e-6 <= atom.top and atom.bottom <= bottom + 1e-6]


@settings(max_examples=300, deadline=None)
@given(documents())
def test_pages_hold_whole_stretches_and_never_overflow(atoms: list[Atom]) -> None:
    original = [Atom(a.top, a.bottom, a.header, a.keep_with_next, a.break_before, a.anchors)
                for a in atoms]
    pages, anchors = paginate(atoms, HEIGHT)
    assert 1 <= len(pages) <= 2 * len(original) + 2
    for page in pages:
        assert sum(bottom - top for top, bottom in page.segments) <= HEIGHT + 1e-6
    body_tops = [page.segments[-1][0] for page in pages]
    assert body_tops == sorted(body_tops)  # pages follow the document's order
    for atom in original:
        if atom.bottom - atom.top <= HEIGHT - 6.0:  # fits a page even under a header
            assert len(placed(atom, pages)) == 1, (atom, [p.segments for p in pages])
    for atom in original:  # every stretch is shown somewhere, if need be in pieces
        covered = sum(max(0.0, min(bottom, atom.bottom) - max(top, atom.top))
                      for page in pages for top, bottom in page.segments[-1:])
        assert covered >= atom.bottom - atom.top - 1e-6
    for index, atom in enumerate(original):  # contents entries point at the right page
        inside = atom.top + 1e-3  # just inside the stretch (pages may meet at its top)
        assert anchors[f"a{index}"] - 1 == min(
            n for n, page in enumerate(pages)
            if page.segments[-1][0] <= inside < page.segments[-1][1])

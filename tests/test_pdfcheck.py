"""The small PDF reader behind --self-test: it must see pages and text, and a broken file."""

from __future__ import annotations

from pathlib import Path

from nbcompanion.record.demo import CHILD_NAME, build_demo
from nbcompanion.record.store import Store
from nbcompanion.reports.pdfcheck import read_pdf


def _visit_summary(store: Store, folder: Path, qapp: object) -> Path:
    from nbcompanion.reports.gather import export_visit_summary

    child = build_demo(store)
    visit = store.query("SELECT id FROM visit WHERE child_id = ? ORDER BY starts_at DESC LIMIT 1",
                        [child])[0]["id"]
    return export_visit_summary(store, visit, folder / "summary.pdf").path


def test_reads_pages_and_text_of_an_export(file_store: Store, tmp_path: Path, qapp: object) -> None:
    found = read_pdf(_visit_summary(file_store, tmp_path, qapp))
    assert found.problems == []
    assert found.pages >= 1
    assert found.contains(CHILD_NAME)
    assert found.contains("Visit summary")
    assert not found.contains("Words that are not in it")


def test_a_file_cut_short_is_reported(file_store: Store, tmp_path: Path, qapp: object) -> None:
    path = _visit_summary(file_store, tmp_path, qapp)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    problems = read_pdf(path).problems
    assert any("%%EOF" in problem for problem in problems)


def test_not_a_pdf_and_a_missing_file_are_reported(tmp_path: Path) -> None:
    text = tmp_path / "note.pdf"
    text.write_text("hello", encoding="utf-8")
    found = read_pdf(text)
    assert found.pages == 0
    assert any("%PDF" in p for p in found.problems)
    assert any("no pages" in p for p in found.problems)
    assert any("could not be read" in p for p in read_pdf(tmp_path / "absent.pdf").problems)

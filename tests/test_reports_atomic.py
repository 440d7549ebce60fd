"""Writing exports atomically: a failure never leaves a half file, and says why plainly."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from nbcompanion.reports import atomic
from nbcompanion.reports.atomic import ExportError


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"old")
    atomic.write_bytes(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


def test_parent_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="does not exist") as caught:
        atomic.write_bytes(blocker / "summary.pdf", b"data")
    assert "summary.pdf" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_full_disk_during_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"

    def writer(handle: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(ExportError, match="disk is full"):
        atomic.write_with(target, writer)
    assert list(tmp_path.iterdir()) == []


def test_failed_rename_keeps_the_old_file(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(ExportError, match="may be open in another program"):
        atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


def test_a_bug_in_the_writer_also_removes_the_temporary_file(tmp_path: Path) -> None:
    def writer(handle: object) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic.write_with(tmp_path / "x.csv", writer, text=True)
    assert list(tmp_path.iterdir()) == []


def test_nothing_written_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="nothing was"), atomic.atomic_path(tmp_path / "x.pdf"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_refused_new_file_says_the_folder_is_not_writable(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(ExportError, match="not allowed to write in that folder"):
        atomic.write_bytes(tmp_path / "new.pdf", b"new")
    assert list(tmp_path.iterdir()) == []


def test_written_files_are_private(tmp_path: Path) -> None:
    target = atomic.write_bytes(tmp_path / "summary.pdf", b"%PDF")
    assert target.stat().st_mode & 0o077 == 0

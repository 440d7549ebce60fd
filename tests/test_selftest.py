"""``nbcompanion --self-test``: passes on a whole install, says what failed otherwise, and
never touches the family's record or settings."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nbcompanion import app
from nbcompanion.ui import selftest


def test_the_command_line_has_the_option() -> None:
    assert app.parse_args(["--self-test"]).self_test is True
    assert app.parse_args([]).self_test is False


def test_self_test_passes_and_leaves_nothing_behind(tmp_path: Path) -> None:
    # In its own process, as a packager runs it: a QApplication of its own, offscreen.
    home, temp = tmp_path / "home", tmp_path / "tmp"
    temp.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("XDG_", "QT_", "NBCOMPANION_"))}
    env.update(HOME=str(home), TMPDIR=str(temp))
    result = subprocess.run([sys.executable, "-m", "nbcompanion", "--self-test"],
                            capture_output=True, text=True, env=env, timeout=180, check=False)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("Self-test passed")
    for name in ("page Home", "page Reference", "page Trends", "reference search",
                 "visit summary PDF", "full record PDF"):
        assert any(line.startswith(f"ok   {name} ") for line in lines), name
    assert not any(line.startswith("FAIL") for line in lines)
    # Nothing in the family's folders (data, settings) and the temporary folder is gone.
    assert not (home / ".local" / "share" / "nbcompanion").exists()
    assert not (home / ".config" / "nbcompanion").exists()
    assert list(temp.iterdir()) == []


def test_a_broken_export_fails_the_self_test_with_the_reason(
        qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbcompanion.reports import gather

    original = gather.export_visit_summary

    def cut_short(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)
        data = result.path.read_bytes()
        result.path.write_bytes(data[: len(data) - 200])
        return result

    monkeypatch.setattr(gather, "export_visit_summary", cut_short)
    out = io.StringIO()
    before = dict(os.environ)
    assert selftest.run_self_test(out) == 1
    text = out.getvalue()
    assert "FAIL visit summary PDF" in text
    assert "%%EOF" in text
    assert "ok   full record PDF" in text  # the other checks still ran
    assert text.splitlines()[-1].startswith("Self-test FAILED: 1 of")
    assert dict(os.environ) == before  # the process's environment is put back


def test_the_family_data_folder_is_watched(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    assert selftest._snapshot(folder) == {}
    folder.mkdir()
    (folder / "care-record.sqlite3").write_bytes(b"x")
    before = selftest._snapshot(folder)
    (folder / "care-record.sqlite3").write_bytes(b"xy")
    assert selftest._snapshot(folder) != before

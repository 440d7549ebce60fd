"""Migrations from every earlier version, and files the app must never write to."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from nbcompanion.record import schema
from nbcompanion.record.demo import build_demo
from nbcompanion.record.errors import NewerVersionError, NotARecordError
from nbcompanion.record.store import Store, open_store

STAMP = "2025-01-01T00:00:00"


def make_file_at(path: Path, version: int) -> None:
    """A record file as version ``version`` of the app left it, with a child and a test."""
    store = Store(sqlite3.connect(path), path)
    store._configure()
    for step in range(1, version + 1):
        with store.transaction() as db:
            schema.MIGRATIONS[step - 1](db)
            db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {step}")
    with store.transaction() as db:
        child = db["child"].insert({"name": "Robin", "birth_date": "2021-05-01",
                                    "created_at": STAMP, "updated_at": STAMP}).last_pk
        test = db["test"].insert({"child_id": child, "test_type_id": 1, "date": "2025-01-02",
                                  "status": "done", "created_at": STAMP,
                                  "updated_at": STAMP}).last_pk
        db["test_value"].insert({"test_id": test, "analyte": "VMA", "value": 9.5})
    store.close()


@pytest.mark.parametrize("version", range(1, schema.LATEST_VERSION))
def test_every_earlier_version_upgrades_with_its_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.sqlite3"
    make_file_at(path, version)
    seen: list[int] = []
    store = open_store(path, before_upgrade=lambda _path, old: seen.append(old))
    assert seen == [version]
    assert store.version == schema.LATEST_VERSION
    assert store.query("SELECT name FROM child") == [{"name": "Robin"}]
    assert store.query("SELECT value FROM test_value") == [{"value": 9.5}]
    assert store.execute("PRAGMA foreign_key_check").fetchall() == []
    build_demo(store)  # every table of the latest schema is usable
    store.close()


def test_an_empty_file_becomes_a_record_without_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    path.touch()
    seen: list[int] = []
    store = open_store(path, before_upgrade=lambda _path, old: seen.append(old))
    assert (store.version, seen) == (schema.LATEST_VERSION, [])
    assert int(store.execute("PRAGMA application_id").fetchone()[0]) == schema.APPLICATION_ID
    store.close()


def test_a_newer_file_is_refused_and_left_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    make_file_at(path, schema.LATEST_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerVersionError, match="newer version"):
        open_store(path)
    assert path.read_bytes() == before


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotARecordError):
        open_store(path)
    assert path.read_bytes() == before


def test_the_ten_year_generator_makes_a_valid_record(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        from generate_record import generate
    finally:
        sys.path.pop(0)
    counts = generate(tmp_path / "big.sqlite3", years=1)
    assert counts["test_value"] > 1000
    store = open_store(tmp_path / "big.sqlite3")
    assert store.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()

"""Two and three laptops sharing one record through a folder (separate record files)."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from nbcompanion.record import entries
from nbcompanion.record.store import open_store
from nbcompanion.sync import crypto, engine
from nbcompanion.sync import folder as shared
from nbcompanion.sync.crypto import SealError

PASSPHRASE = "our family passphrase"


@pytest.fixture(autouse=True)
def _quick_and_keyless(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cheap key derivation for tests, and no system keyring: the key is passed along.
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**8)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.delenv(engine.PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(engine.KEY_ENV, raising=False)


class Laptop:
    """One laptop: its own record file, and the family passphrase."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name

    def save(self, table: str, values: dict[str, Any], entry_id: int | None = None) -> int:
        store = open_store(self.path)
        try:
            return entries.save(store, table, values, entry_id)
        finally:
            store.close()

    def delete(self, table: str, entry_id: int) -> None:
        store = open_store(self.path)
        try:
            entries.delete(store, table, entry_id)
        finally:
            store.close()

    def sync(self) -> engine.RoundSummary:
        return engine.sync_round(self.path, engine.key_for(self.path, PASSPHRASE))

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        conn = sqlite3.connect(self.path)
        try:
            tables = engine.capture.shared_tables(conn)
            return {t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)
                    for t in tables}
        finally:
            conn.close()

    def conflicts(self) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.path)
        try:
            return conn.execute("SELECT key, field, writes FROM sync_conflict ORDER BY key"
                                ).fetchall()
        finally:
            conn.close()

    def value(self, table: str, entry_id: int, column: str) -> Any:
        conn = sqlite3.connect(self.path)
        try:
            row = conn.execute(f"SELECT [{column}] FROM [{table}] WHERE id = ?",
                               [entry_id]).fetchone()
            return None if row is None else row[0]
        finally:
            conn.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Shared"


def _first(tmp_path: Path, folder: Path, name: str = "Mum's laptop") -> Laptop:
    laptop = Laptop(tmp_path / "mum.sqlite3", name)
    laptop.save("child", {"name": "Alex", "birth_date": "2021-03-04"})
    engine.start_sharing(laptop.path, folder, PASSPHRASE, name)
    return laptop


def _join(tmp_path: Path, folder: Path, file: str, name: str) -> Laptop:
    laptop = Laptop(tmp_path / file, name)
    engine.join_sharing(laptop.path, folder, PASSPHRASE, name)
    return laptop


def _exchange(*laptops: Laptop, rounds: int = 2) -> None:
    for _ in range(rounds):
        for laptop in laptops:
            laptop.sync()


def _child_id(laptop: Laptop) -> int:
    conn = sqlite3.connect(laptop.path)
    try:
        return int(conn.execute("SELECT id FROM child WHERE name = 'Alex'").fetchone()[0])
    finally:
        conn.close()


def test_a_joined_laptop_holds_the_same_record(tmp_path: Path, folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    assert dad.dump() == mum.dump()
    assert all(p.suffix == ".nbs" or p.name == "family.json"
               for p in folder.rglob("*") if p.is_file())
    assert b"Alex" not in b"".join(p.read_bytes() for p in folder.rglob("*.nbs"))


def test_inserts_on_both_laptops_meet(tmp_path: Path, folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    mum.save("visit", {"child_id": child, "starts_at": "2026-11-02T09:00", "kind": "clinic"})
    dad.save("question", {"child_id": child, "text": "When is the next scan?"})
    _exchange(mum, dad)
    assert mum.dump() == dad.dump()
    assert len(mum.dump()["visit"]) == 1
    assert len(mum.dump()["question"]) == 1
    new_ids = [row[0] for row in mum.dump()["visit"] + mum.dump()["question"]]
    assert all(i > 2**40 for i in new_ids), "shared records give new entries random ids"


def test_edits_of_different_fields_merge(tmp_path: Path, folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    mum.save("child", {"hospital": "Children's Hospital"}, child)
    dad.save("child", {"stage": "L2"}, child)
    _exchange(mum, dad)
    assert mum.value("child", child, "hospital") == "Children's Hospital"
    assert mum.value("child", child, "stage") == "L2"
    assert mum.dump() == dad.dump()
    assert mum.conflicts() == dad.conflicts() == []


def test_the_same_field_on_both_is_a_conflict_with_both_values(tmp_path: Path,
                                                               folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    medicine = mum.save("medicine", {"child_id": child, "name": "Isotretinoin", "dose": "5 mg"})
    _exchange(mum, dad)
    mum.save("medicine", {"dose": "7.5 mg"}, medicine)
    dad.save("medicine", {"dose": "10 mg"}, medicine)
    _exchange(mum, dad)
    assert mum.dump() == dad.dump()
    conflicts = mum.conflicts()
    assert conflicts == dad.conflicts()
    assert len(conflicts) == 1
    for expected in ("7.5 mg", "10 mg", "Mum's laptop", "Dad's laptop"):
        assert expected in conflicts[0][2]
    # Settling is an ordinary edit, made after seeing both (even of the value shown now).
    conn = sqlite3.connect(dad.path, isolation_level=None)
    engine.settle(conn, engine.open_conflicts(conn)[0], "7.5 mg")
    conn.close()
    _exchange(dad, mum)
    assert mum.conflicts() == dad.conflicts() == []
    assert mum.value("medicine", medicine, "dose") == dad.value("medicine", medicine,
                                                                "dose") == "7.5 mg"


def test_delete_against_a_concurrent_edit_keeps_the_entry(tmp_path: Path,
                                                          folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    question = mum.save("question", {"child_id": child, "text": "Hearing test?"})
    _exchange(mum, dad)
    mum.delete("question", question)
    dad.save("question", {"answer": "In March"}, question)
    _exchange(mum, dad)
    assert mum.value("question", question, "answer") == "In March"
    assert dad.value("question", question, "text") == "Hearing test?"
    assert [c[1] for c in mum.conflicts()] == ["_deleted"]
    assert mum.conflicts() == dad.conflicts()
    assert mum.dump() == dad.dump()
    # "Keep it" settles the conflict everywhere; the entry stays.
    conn = sqlite3.connect(mum.path, isolation_level=None)
    engine.settle(conn, engine.open_conflicts(conn)[0], False)
    conn.close()
    _exchange(mum, dad)
    assert mum.conflicts() == dad.conflicts() == []
    assert dad.value("question", question, "answer") == "In March"


def test_a_delete_that_saw_every_edit_removes_the_entry(tmp_path: Path, folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    question = mum.save("question", {"child_id": child, "text": "Hearing test?"})
    _exchange(mum, dad)
    dad.save("question", {"answer": "In March"}, question)
    _exchange(dad, mum)
    mum.delete("question", question)
    _exchange(mum, dad)
    assert dad.value("question", question, "text") is None
    assert mum.conflicts() == dad.conflicts() == []


def test_a_half_copied_file_waits_for_the_next_round(tmp_path: Path, folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    mum.save("child", {"notes": "Brave"}, child)
    mum.sync()
    newest = max(shared.laptop_files(folder, engine._setting(sqlite3.connect(mum.path),
                                                              engine.LAPTOP) or ""))
    whole = newest.path.read_bytes()
    newest.path.write_bytes(whole[: len(whole) // 2])
    summary = dad.sync()
    assert summary.waiting == [newest.name]
    assert dad.value("child", child, "notes") is None
    newest.path.write_bytes(whole)
    dad.sync()
    assert dad.value("child", child, "notes") == "Brave"


def test_a_renamed_file_is_refused(tmp_path: Path, folder: Path) -> None:
    key = crypto.FamilyKey(bytes(32))
    sealed = crypto.seal(key, "laptops/a/00000001.nbs", b"update")
    assert crypto.unseal(key, "laptops/a/00000001.nbs", sealed) == b"update"
    with pytest.raises(SealError):
        crypto.unseal(key, "laptops/a/00000002.nbs", sealed)
    with pytest.raises(SealError):
        crypto.unseal(crypto.FamilyKey(bytes([1]) * 32), "laptops/a/00000001.nbs", sealed)


def test_the_wrong_passphrase_is_refused(tmp_path: Path, folder: Path) -> None:
    _first(tmp_path, folder)
    with pytest.raises(SealError, match="passphrase"):
        engine.join_sharing(tmp_path / "x.sqlite3", folder, "not the passphrase", "X")
    assert not (tmp_path / "x.sqlite3").exists()


def test_a_restored_backup_catches_up_instead_of_diverging(tmp_path: Path,
                                                           folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    backup = tmp_path / "backup.sqlite3"
    shutil.copy(mum.path, backup)
    mum.save("child", {"notes": "After the backup"}, child)
    mum.save("visit", {"child_id": child, "starts_at": "2026-11-02T09:00", "kind": "clinic"})
    _exchange(mum, dad)
    shutil.copy(backup, mum.path)  # the laptop is restored from the older copy
    summary = mum.sync()
    assert summary.rebuilt
    dad.save("child", {"stage": "M"}, child)
    _exchange(dad, mum, rounds=2)
    assert mum.dump() == dad.dump()
    assert mum.value("child", child, "notes") == "After the backup"


def test_a_record_copied_to_another_laptop_becomes_a_new_laptop(
        tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mum = _first(tmp_path, folder)
    copy = Laptop(tmp_path / "copy.sqlite3", "Grandma's laptop")
    shutil.copy(mum.path, copy.path)
    monkeypatch.setattr(engine, "machine_id", lambda: "another-machine")
    copy.save("child", {"notes": "From the copy"}, _child_id(copy))
    summary = copy.sync()
    assert summary.rebuilt
    monkeypatch.undo()
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**8)
    mum.sync()
    assert len(shared.laptops(folder)) == 2
    assert mum.dump() == copy.dump()


def test_folding_while_a_laptop_is_away(tmp_path: Path, folder: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared, "FOLD_AFTER", 3)
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    for n in range(8):
        mum.save("child", {"notes": f"Day {n}"}, child)
        mum.sync()
    mum_files = shared.laptop_files(folder, next(
        lap for lap in shared.laptops(folder)
        if lap == engine._setting(sqlite3.connect(mum.path), engine.LAPTOP)))
    assert any(f.base for f in mum_files)
    assert len(mum_files) < 8
    dad.sync()
    assert dad.value("child", child, "notes") == "Day 7"
    assert dad.dump() == mum.dump()


def test_three_laptops_and_a_late_joiner(tmp_path: Path, folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    mum.save("diary_entry", {"child_id": child, "at": "2026-11-01T08:00", "symptom": "fever",
                             "temperature_c": 38.4})
    dad.save("care_team_member", {"child_id": child, "name": "Dr. Rivera",
                                  "role": "pediatric_oncologist"})
    _exchange(mum, dad)
    gran = _join(tmp_path, folder, "gran.sqlite3", "Grandma's laptop")
    gran.save("question", {"child_id": child, "text": "Can she swim?"})
    _exchange(mum, dad, gran)
    assert mum.dump() == dad.dump() == gran.dump()
    assert set(engine.sync_round(gran.path, engine.key_for(gran.path, PASSPHRASE))
               .laptops.values()) == {"Mum's laptop", "Dad's laptop", "Grandma's laptop"}


def test_test_values_keep_their_rows_so_both_edits_meet(tmp_path: Path, folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    conn = sqlite3.connect(mum.path)
    type_id = conn.execute("SELECT id FROM test_type WHERE name LIKE 'Ferritin%'").fetchone()[0]
    conn.close()
    test = mum.save("test", {"child_id": child, "test_type_id": type_id, "date": "2026-10-01",
                             "status": "result_received",
                             "values": [{"analyte": "Ferritin", "value": 120.0,
                                         "unit": "ng/mL"}]})
    _exchange(mum, dad)
    mum.save("test", {"notes": "fasting"}, test)
    dad.save("test", {"values": [{"analyte": "Ferritin", "value": 125.0, "unit": "ng/mL"}]},
             test)
    _exchange(mum, dad)
    assert mum.dump() == dad.dump()
    assert len(mum.dump()["test_value"]) == 1
    assert mum.value("test", test, "notes") == "fasting"


def test_the_command_line_sets_up_and_runs_a_round(tmp_path: Path, folder: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from nbcompanion.app import main

    record = tmp_path / "cli.sqlite3"
    Laptop(record, "x").save("child", {"name": "Sam"})
    monkeypatch.setenv(engine.PASSPHRASE_ENV, PASSPHRASE)
    assert main(["--data", str(record), "--sync-setup", str(folder),
                 "--laptop-name", "Kitchen laptop"]) == 0
    joined = tmp_path / "joined.sqlite3"
    assert main(["--data", str(joined), "--sync-setup", str(folder), "--join"]) == 0
    capsys.readouterr()
    assert main(["--data", str(record), "--sync"]) == 0
    import json

    summary = json.loads(capsys.readouterr().out)
    assert {"published", "applied", "conflicts"} <= set(summary)
    monkeypatch.delenv(engine.PASSPHRASE_ENV)
    assert main(["--data", str(record), "--sync"]) == 2


OPERATIONS = ("add_question", "edit_child", "edit_question", "delete_question", "add_visit",
              "edit_visit")


def _random_operation(rng: random.Random, laptop: Laptop, child: int) -> None:
    conn = sqlite3.connect(laptop.path)
    questions = [r[0] for r in conn.execute("SELECT id FROM question")]
    visits = [r[0] for r in conn.execute("SELECT id FROM visit")]
    conn.close()
    operation = rng.choice(OPERATIONS)
    if operation == "add_question" or (operation.endswith("question") and not questions):
        laptop.save("question", {"child_id": child, "text": f"Q{rng.randrange(1000)}"})
    elif operation == "edit_child":
        field = rng.choice(["notes", "hospital", "stage"])
        value = (rng.choice(["L1", "L2", "M", "MS"]) if field == "stage"
                 else f"{laptop.name} {rng.randrange(100)}")
        laptop.save("child", {field: value}, child)
    elif operation == "edit_question":
        laptop.save("question", {rng.choice(["text", "answer"]): f"v{rng.randrange(100)}"},
                    rng.choice(questions))
    elif operation == "delete_question":
        laptop.delete("question", rng.choice(questions))
    elif operation == "add_visit" or not visits:
        laptop.save("visit", {"child_id": child, "kind": "clinic",
                              "starts_at": f"2026-11-{rng.randrange(1, 28):02d}T09:00"})
    else:
        laptop.save("visit", {"notes": f"n{rng.randrange(100)}"}, rng.choice(visits))


@pytest.mark.parametrize("seed", range(int(os.environ.get("NBCOMPANION_SYNC_SEEDS", "8"))))
def test_random_concurrent_work_converges(tmp_path: Path, folder: Path, seed: int) -> None:
    rng = random.Random(seed)
    mum = _first(tmp_path, folder)
    child = _child_id(mum)
    laptops = [mum, _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop"),
               _join(tmp_path, folder, "gran.sqlite3", "Grandma's laptop")]
    for _ in range(12):
        laptop = rng.choice(laptops)
        for _ in range(rng.randrange(1, 4)):
            _random_operation(rng, laptop, child)
        if rng.random() < 0.6:
            rng.choice(laptops).sync()
    _exchange(*laptops, rounds=3)
    dumps = [laptop.dump() for laptop in laptops]
    assert dumps[0] == dumps[1] == dumps[2]
    conflicts = [laptop.conflicts() for laptop in laptops]
    assert conflicts[0] == conflicts[1] == conflicts[2]


def test_a_quiet_round_does_not_load_the_document(tmp_path: Path, folder: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    _exchange(mum, dad)

    def no_document(*args: object, **kwargs: object) -> None:
        raise AssertionError("a round with nothing to do loaded the document")

    monkeypatch.setattr(engine, "SharedDoc", no_document)
    summary = mum.sync()
    assert summary.published == summary.applied == 0
    assert set(summary.laptops.values()) == {"Mum's laptop", "Dad's laptop"}


def test_a_newer_laptops_extra_column_survives_an_older_laptops_edit(
        tmp_path: Path, folder: Path) -> None:
    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    # Mum's app is a newer version with a column Dad's does not know yet.
    conn = sqlite3.connect(mum.path, isolation_level=None)
    conn.execute("ALTER TABLE child ADD COLUMN nickname TEXT")
    conn.execute("UPDATE child SET nickname = 'Lexi' WHERE id = ?", [child])
    conn.close()
    _exchange(mum, dad)
    dad.save("child", {"notes": "From Dad"}, child)
    _exchange(dad, mum)
    assert mum.value("child", child, "nickname") == "Lexi"
    assert mum.value("child", child, "notes") == "From Dad"


def test_a_delete_is_forgotten_once_every_laptop_has_seen_it(tmp_path: Path,
                                                             folder: Path) -> None:
    from nbcompanion.sync.document import SharedDoc

    mum = _first(tmp_path, folder)
    dad = _join(tmp_path, folder, "dad.sqlite3", "Dad's laptop")
    child = _child_id(mum)
    question = mum.save("question", {"child_id": child, "text": "Gone soon?"})
    _exchange(mum, dad)
    mum.delete("question", question)
    _exchange(mum, dad, rounds=1)

    def in_history() -> bool:
        local = mum.path.with_name(mum.path.name + ".sync") / "document.ydoc"
        return SharedDoc("x", local.read_bytes()).row(f"question:{question}") is not None

    assert in_history()  # Dad has not said yet that he saw it
    for _ in range(3):
        dad.save("child", {"notes": f"n{_}"}, child)  # rounds that carry Dad's word
        _exchange(dad, mum, rounds=1)
    assert not in_history()
    assert dad.value("question", question, "text") is None


def test_rows_shared_at_the_start_are_one_item_and_later_edits_win() -> None:
    from nbcompanion.sync.document import FIRST, SharedDoc

    mum = SharedDoc("mum")
    mum.put_rows([("test_value:7", {"id": 7, "analyte": "LDH", "value": 412.5,
                                    "unit": "U/L", "note": None})])
    # One Yjs item for the whole row: this is what keeps a ten-year record's document small.
    assert list(mum.rows.get("test_value:7").keys()) == [FIRST]
    dad = SharedDoc("dad", mum.update_since())
    dad.record_edits({"test_value:7": {"value": 398.0, "unit": None}}, set())
    mum.apply(dad.update_since(mum.state()))
    assert mum.row("test_value:7") == {"id": 7, "analyte": "LDH", "value": 398.0,
                                       "unit": None}
    assert mum.all_rows()["test_value:7"] == mum.row("test_value:7")


def test_a_folder_from_a_newer_app_is_refused_and_left_alone(tmp_path: Path,
                                                             folder: Path) -> None:
    import json

    family = folder / shared.FAMILY_FILE
    folder.mkdir(parents=True, exist_ok=True)
    family.write_text(json.dumps({"format": "nbcompanion-sync-9", "record": "r"}),
                      encoding="utf-8")
    before = family.read_bytes()
    with pytest.raises(ValueError, match="newer version of this app"):
        shared.read_family(folder)
    family.write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a shared-record file"):
        shared.read_family(folder)
    family.write_bytes(before)
    assert family.read_bytes() == before


def test_new_folders_are_format_2_and_format_1_folders_still_open(tmp_path: Path,
                                                                 folder: Path) -> None:
    import json

    from nbcompanion.sync.crypto import new_family

    data, _key = new_family("a family passphrase", "r1")
    assert data["format"] == "nbcompanion-sync-2"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / shared.FAMILY_FILE).write_text(json.dumps({**data, "format": "nbcompanion-sync-1"}),
                                             encoding="utf-8")
    assert shared.read_family(folder)["record"] == "r1"

"""The app takes back its own JSON export: export → import into an empty record → export."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from nbcompanion.record import entries
from nbcompanion.record.demo import build_demo
from nbcompanion.record.importer import (
    ImportProblem,
    check_export,
    import_export,
    read_export,
)
from nbcompanion.record.schema import LATEST_VERSION
from nbcompanion.record.store import Store, open_store
from nbcompanion.reports.data_export import JSON_NAME, RESULTS_NAME, export_record_data

MADE = datetime(2026, 5, 3, 10, 0)
#: Columns that are the record's own bookkeeping, not the family's data.
BOOKKEEPING = {"id", "created_at", "updated_at"}
REFERENCES = {"child_id": "child", "phase_id": "phase", "visit_id": "visit",
              "care_team_member_id": "care_team_member", "medicine_id": "medicine",
              "test_id": "test", "test_value_id": "test_value"}


def canonical(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The export's data with ids replaced by what they point at (row order, or a name)."""
    tables = document["tables"]
    order = {name: {row["id"]: index for index, row in enumerate(rows)}
             for name, rows in tables.items()}
    type_names = {row["id"]: row["name"] for row in tables["test_type"]}
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        if name in ("test_type", "analyte"):
            continue  # the shared catalogue, compared by name through the tests
        cleaned = []
        for row in rows:
            item = {}
            for key, value in row.items():
                if key in BOOKKEEPING:
                    continue
                if key in REFERENCES and value is not None:
                    value = order[REFERENCES[key]][value]
                elif key == "test_type_id":
                    value = type_names[value]
                item[key] = value
            cleaned.append(item)
        out[name] = cleaned
    return out


def export_json(store: Store, folder: Path, **kwargs: Any) -> dict[str, Any]:
    folder.mkdir(exist_ok=True)
    made = export_record_data(store, folder, made_at=MADE, **kwargs)
    return json.loads((made / JSON_NAME).read_text(encoding="utf-8"))


@pytest.fixture
def sample(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "sample.sqlite3")
    build_demo(store, date.today())
    yield store
    store.close()


def test_round_trip_gives_the_same_data(sample: Store, tmp_path: Path) -> None:
    first = export_json(sample, tmp_path / "one")
    empty = open_store(tmp_path / "empty.sqlite3")
    try:
        summary = import_export(empty, check_export(first, newest_schema=LATEST_VERSION))
        assert summary.added["child"] == len(first["tables"]["child"])
        assert summary.added["test_value"] == len(first["tables"]["test_value"]) > 0
        assert "Added" in summary.text()
        second = export_json(empty, tmp_path / "two")
    finally:
        empty.close()
    assert canonical(second) == canonical(first)
    for table, rows in canonical(first).items():
        assert rows or table in ("dose_log",) or not first["tables"][table], table


def test_import_adds_new_children_beside_those_already_there(sample: Store,
                                                              tmp_path: Path) -> None:
    child = sample.query("SELECT id, name FROM child ORDER BY id")[0]
    document = export_json(sample, tmp_path / "one", child_ids=[child["id"]])
    assert [c["name"] for c in document["tables"]["child"]] == [child["name"]]
    before = sample.query("SELECT count(*) AS n FROM test")[0]["n"]
    summary = import_export(sample, document)
    assert len(summary.children) == 1
    assert summary.children[0] != child["id"]
    after = sample.query("SELECT count(*) AS n FROM test")[0]["n"]
    assert after == before + len(document["tables"]["test"])


def test_a_bad_row_imports_nothing_and_says_which(sample: Store, tmp_path: Path) -> None:
    document = export_json(sample, tmp_path / "one")
    document["tables"]["diary_entry"][1]["temperature_c"] = 80.0
    empty = Store.memory()
    with pytest.raises(ImportProblem, match=r"diary entry number 2.*temperature"):
        import_export(empty, document)
    assert empty.query("SELECT count(*) AS n FROM child")[0]["n"] == 0
    assert empty.query("SELECT count(*) AS n FROM test")[0]["n"] == 0


def test_files_that_are_not_ours_or_too_new_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ImportProblem, match="not a record export"):
        read_export(other, newest_schema=LATEST_VERSION)
    text = tmp_path / "text.json"
    text.write_text("not json", encoding="utf-8")
    with pytest.raises(ImportProblem, match="not a record export"):
        read_export(text, newest_schema=LATEST_VERSION)
    newer = {"format": "nbcompanion-record-export", "format_version": 1,
             "schema_version": LATEST_VERSION + 1, "tables": {}}
    with pytest.raises(ImportProblem, match="newer version"):
        check_export(newer, newest_schema=LATEST_VERSION)


def test_results_csv_has_one_row_per_value_with_names(sample: Store, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    made = export_record_data(sample, folder, made_at=MADE)
    lines = (made / RESULTS_NAME).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ("child,date,test,analyte,value,unit,lab_range,lab_range_low,"
                        "lab_range_high,display_value,display_unit,converted")
    values = sample.query("SELECT count(*) AS n FROM test_value")[0]["n"]
    assert len(lines) == values + 1
    assert any(",VMA," in line and "Urine catecholamines" in line for line in lines)


def test_data_export_of_one_child_holds_only_that_child(sample: Store,
                                                        tmp_path: Path) -> None:
    second = entries.save(sample, "child", {"name": "Second Child"})
    entries.save(sample, "diary_entry", {"child_id": second, "at": "2026-01-02T10:00",
                                         "symptom": "fever", "temperature_c": 38.5})
    document = export_json(sample, tmp_path / "one", child_ids=[second])
    tables = document["tables"]
    assert [c["name"] for c in tables["child"]] == ["Second Child"]
    assert len(tables["diary_entry"]) == 1
    assert tables["test"] == []
    assert tables["test_type"]  # the shared catalogue comes along

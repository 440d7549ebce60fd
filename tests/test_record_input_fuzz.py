"""The record API refuses what it cannot keep — with a message fit to show — and never
stores it: non-finite numbers, dates that are not exactly ISO, wrong Python types; times
with a time zone are kept as the same moment in local time.

A hypothesis fuzz test throws odd values at every public write function (entries.save,
entries.delete, validation.validate through every table's rule, the dates parsers and
Store.set_setting): each call either succeeds and stores well-typed values, or raises a
RecordError whose text is a plain sentence.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbcompanion.record import dates, entries
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.record.store import Store
from nbcompanion.record.validation import MOMENT_FIELDS, validate

TODAY = date.today()

# Columns whose text a rule reads as a date (or date-time): after a save each must parse.
DATE_COLUMNS = {
    "child": ("birth_date", "diagnosis_date"), "test": ("date",),
    "phase": ("start_date", "planned_end", "actual_end"), "treatment_event": ("date",),
    "visit": ("starts_at",), "diary_entry": ("at",), "medicine": ("start_date", "stop_date"),
    "dose_log": ("at", "due_at"),
}

ODD_TEXT = ["2024-01-01garbage", "20240101", "2024-13-01", "2024-01-01T25:00", " ",
            "2024-01-01T10:00+05:00", "2024-01-01T10:00Z", "2024-01-01 10:00:00.123456",
            "\x00", "née 😀 عربى", "NaN", "inf", "-1e309", "NCT01234567", "08:00, 20:00"]

odd_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**62, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(ODD_TEXT), st.binary(max_size=12), st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC,
                                            timezone(timedelta(hours=-7))])),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.none(),
                                                          max_size=1),
    st.just(object()), st.just(Ellipsis),
)


def _base_store() -> Store:
    store = Store.memory()
    child = entries.save(store, "child", {"name": "Mia", "birth_date": "2020-05-01"})
    entries.save(store, "medicine", {"child_id": child, "name": "Drops",
                                     "start_date": "2024-01-01"})
    entries.save(store, "phase", {"child_id": child, "kind": "induction",
                                  "start_date": "2024-01-01", "status": "completed"})
    return store


STORE = _base_store()

#: Plausible values per column, so that odd values in one field meet right ones elsewhere.
GOOD = {"child_id": 1, "medicine_id": 1, "test_type_id": 1, "phase_id": 1, "name": "Mia",
        "birth_date": "2020-05-01", "date": "2024-02-01", "status": "done", "kind": "induction",
        "start_date": "2024-01-01", "at": "2024-02-01T09:30", "starts_at": "2024-02-01T09:30",
        "symptom": "fever", "text": "Why?", "temperature_c": 38.5}


def _columns(table: str) -> dict[str, type]:
    return {k: v for k, v in STORE.db[table].columns_dict.items() if k != "id"}


def _check_stored(table: str, entry_id: int) -> None:
    row = entries.get(STORE, table, entry_id)
    for column, kind in _columns(table).items():
        value = row[column]
        if value is None:
            continue
        assert isinstance(value, int | float if kind is float else kind), (column, value)
        if isinstance(value, float):
            assert math.isfinite(value), (column, value)
    for column in DATE_COLUMNS.get(table, ()):
        dates.parse_datetime(row[column])  # raises if a bad date got in


def _assert_plain(error: RecordError) -> None:
    text = str(error)
    assert text
    assert text[0].isupper()
    assert "Traceback" not in text
    assert "b'" not in text
    if isinstance(error, ValidationError):
        assert all(message and message[0].isupper() for message in error.errors.values())


@pytest.mark.parametrize("table", entries.ENTRY_TABLES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_save_keeps_good_values_or_refuses_plainly(table: str, data: st.DataObject) -> None:
    columns = _columns(table)
    fields = data.draw(st.lists(st.sampled_from(sorted(columns)), unique=True, max_size=5))
    values: dict[str, Any] = {k: GOOD[k] for k in columns if k in GOOD}
    for field in fields:
        values[field] = data.draw(odd_values, label=field)
    if table == "test" and data.draw(st.booleans()):
        values["values"] = data.draw(st.one_of(odd_values, st.lists(st.fixed_dictionaries(
            {"analyte": odd_values, "value": odd_values, "unit": odd_values}), max_size=2)))
    entry_id = data.draw(st.one_of(st.none(), odd_values), label="entry_id")
    try:
        saved = entries.save(STORE, table, values, entry_id)
    except RecordError as error:
        _assert_plain(error)
        return
    _check_stored(table, saved)


@settings(max_examples=100, deadline=None)
@given(table=st.sampled_from(entries.ENTRY_TABLES), entry_id=odd_values)
def test_delete_of_anything_is_done_or_refused_plainly(table: str, entry_id: Any) -> None:
    fresh = Store.memory()
    try:
        entries.delete(fresh, table, entry_id)
    except RecordError as error:
        _assert_plain(error)
    finally:
        fresh.close()


@settings(max_examples=300, deadline=None)
@given(value=odd_values)
def test_date_parsers_accept_only_iso_and_raise_only_value_or_type_errors(value: Any) -> None:
    for parse in (dates.parse_date, dates.parse_datetime):
        try:
            parsed = parse(value)
        except (TypeError, ValueError):
            continue
        if parsed is not None:
            assert isinstance(parsed, date)
            if isinstance(parsed, datetime):
                assert parsed.tzinfo is None


@settings(max_examples=100, deadline=None)
@given(key=st.text(max_size=10), value=st.one_of(st.none(), st.text(max_size=20)))
def test_settings_take_any_text(key: str, value: str | None) -> None:
    STORE.set_setting(key, value)
    assert STORE.get_setting(key) == value


# -- the failures seen, one by one ----------------------------------------------------------
def _errors(table: str, values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        validate(STORE, table, values, None)
    return raised.value.errors


def test_not_a_number_and_infinity_are_refused_with_a_message() -> None:
    base = {"child_id": 1, "at": "2024-02-01T09:30", "symptom": "fever"}
    assert "ordinary number" in _errors("diary_entry", {**base, "temperature_c": math.nan})[
        "temperature_c"]
    assert "ordinary number" in _errors("diary_entry", {**base, "temperature_c": math.inf})[
        "temperature_c"]
    test = {"child_id": 1, "test_type_id": 1, "date": "2024-02-01", "status": "done",
            "values": [{"analyte": "LDH", "value": math.nan, "unit": "U/L"}]}
    assert "number" in _errors("test", test)["values.0"]  # beside the value's own row
    assert STORE.query("SELECT count(*) AS n FROM test_value") == [{"n": 0}]


@pytest.mark.parametrize("text", ["2024-01-01garbage", "20240101", "2024-1-1", "01/02/2024"])
def test_dates_with_garbage_or_without_dashes_are_refused(text: str) -> None:
    errors = _errors("test", {"child_id": 1, "test_type_id": 1, "date": text, "status": "done"})
    assert errors["date"] == "Please enter a date like 2026-03-14."
    with pytest.raises(ValueError, match="not an ISO"):
        dates.parse_date(text)


def test_a_time_with_a_zone_is_kept_as_the_same_moment_in_local_time() -> None:
    moment = datetime(2024, 2, 1, 9, 30, tzinfo=UTC)
    local = moment.astimezone().replace(tzinfo=None)
    visit = entries.save(STORE, "visit", {"child_id": 1, "kind": "clinic",
                                          "starts_at": "2024-02-01T09:30Z"})
    assert entries.get(STORE, "visit", visit)["starts_at"] == local.isoformat(timespec="minutes")
    diary = entries.save(STORE, "diary_entry", {"child_id": 1, "symptom": "fever", "at": moment})
    assert entries.get(STORE, "diary_entry", diary)["at"] == local.isoformat(timespec="minutes")


@pytest.mark.parametrize(("table", "field", "value"), [
    ("child", "name", b"Mia"), ("child", "notes", ["a"]), ("diary_entry", "temperature_c", "38"),
    ("question", "child_id", "1"), ("treatment_event", "cycle_number", 2.5),
    ("dose_log", "due_at", "tomorrow"),
])
def test_wrong_python_types_are_refused_beside_the_field(table: str, field: str,
                                                         value: Any) -> None:
    values = {k: GOOD[k] for k in _columns(table) if k in GOOD}
    values[field] = value
    errors = _errors(table, values)
    assert field in errors
    assert errors[field][0].isupper()


def test_dates_given_as_date_objects_are_stored_as_iso_text() -> None:
    child = entries.save(STORE, "child", {"name": "Noa", "birth_date": date(2021, 3, 4)})
    assert entries.get(STORE, "child", child)["birth_date"] == "2021-03-04"
    assert {"created_at", "updated_at"} <= MOMENT_FIELDS

"""Values in their unit families: series that never mix units, in the child's display unit.

Each saved value carries its unit family and the factor to the family's canonical unit
(stamped when saved, see ``rules``), so everything here is plain arithmetic: the unit
library is never loaded to read, chart or compare. Values of different families (mg/L and
mg/g creatinine) are never in one series, never compared by an arrow or a "previous value".
A value whose unit could not be read forms a series of its own, by the unit as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nbcompanion.record.catalog import analyte_info
from nbcompanion.record.store import Store
from nbcompanion.record.units import display, is_ratio

Row = dict[str, Any]


def group_key(row: Row) -> str:
    """The series a value belongs to: its family, else its unit as typed."""
    family = row.get("unit_family")
    if family:
        return "family:" + str(family)
    return "unit:" + str(row.get("unit") or "")


@dataclass
class UnitSeries:
    """One analyte's values of one unit family, oldest first, in ``unit``.

    Each row has date, value and ref_low/ref_high in ``unit``, test_id, ``typed_value`` and
    ``typed_unit`` as saved, and ``converted`` (True when the value shown is not as typed).
    """

    analyte: str
    key: str
    unit: str | None
    rows: list[Row] = field(default_factory=list)

    @property
    def is_ratio(self) -> bool:
        """Values per creatinine (their own chart)."""
        return is_ratio(self.unit)

    @property
    def title(self) -> str:
        """The analyte with its unit: "VMA (mg/L)"."""
        shown = display(self.unit)
        return f"{self.analyte} ({shown})" if shown else self.analyte


def _setting_key(child_id: int, analyte: str, key: str) -> str:
    return f"display_unit:{child_id}:{analyte}:{key}"


def set_display_unit(store: Store, child_id: int, analyte: str, family: str,
                     unit: str | None) -> None:
    """Remember ``unit`` as the child's display unit for ``analyte``'s ``family``.

    The factor is worked out now (the library loads if needed) and kept with the choice.
    """
    key = _setting_key(child_id, analyte, "family:" + family)
    if unit is None:
        store.set_setting(key, None)
        return
    from nbcompanion.record import units

    place = units.canonical(unit, analyte)
    if place.family != family or place.factor is None:
        raise units.IncommensurableError(f"{display(unit)} cannot show these values")
    store.set_setting(key, f"{place.factor!r}|{unit}")


def _display_choice(store: Store, child_id: int, analyte: str, key: str,
                    usage: dict[str, tuple[int, int, float | None]]
                    ) -> tuple[str | None, float | None]:
    """The display unit of a family: the child's choice, else the unit most used.

    ``usage`` maps each unit to (how many values, the latest test id, its factor); a tie
    goes to the unit entered last.
    """
    if key.startswith("family:"):
        chosen = store.get_setting(_setting_key(child_id, analyte, key))
        if chosen:
            factor_text, _, unit = chosen.partition("|")
            try:
                return unit, float(factor_text)
            except ValueError:
                pass
    unit = max(usage, key=lambda u: usage[u][:2])
    return unit or None, usage[unit][2]


def _usage(rows: list[Row]) -> dict[str, tuple[int, int, float | None]]:
    found: dict[str, tuple[int, int, float | None]] = {}
    for row in rows:
        unit = str(row.get("unit") or "")
        count, last, factor = found.get(unit, (0, 0, row.get("unit_factor")))
        found[unit] = (count + 1, max(last, int(row.get("test_id") or 0)), factor)
    return found


def _in_unit(row: Row, unit: str | None, factor: float | None) -> Row:
    typed_value, typed_unit = row["value"], row.get("unit")
    same = (typed_unit or None) == unit or factor is None or row.get("unit_factor") is None
    scale = 1.0 if same else float(row["unit_factor"]) / float(factor or 1.0)

    def scaled(number: Any) -> Any:
        return None if number is None else number * scale

    return {**row, "value": scaled(typed_value), "ref_low": scaled(row.get("ref_low")),
            "ref_high": scaled(row.get("ref_high")), "unit": unit if not same else typed_unit,
            "typed_value": typed_value, "typed_unit": typed_unit, "converted": not same}


def split_series(store: Store, child_id: int, analyte: str, rows: list[Row]) -> list[UnitSeries]:
    """``rows`` (oldest first, with unit, unit_family, unit_factor) cut into unit families.

    Concentration-like families first, ratios per creatinine after, each in the child's
    display unit for that family.
    """
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(group_key(row), []).append(row)
    found = []
    for key, members in groups.items():
        unit, factor = _display_choice(store, child_id, analyte, key, _usage(members))
        found.append(UnitSeries(analyte, key, unit, [_in_unit(r, unit, factor)
                                                     for r in members]))
    found.sort(key=lambda s: (s.is_ratio, -len(s.rows)))
    return found


def unit_series(store: Store, child_id: int, analyte: str) -> list[UnitSeries]:
    """One analyte's values for a child, one series per unit family (see :func:`split_series`)."""
    rows = store.query(
        "SELECT t.date, v.value, v.unit, v.unit_family, v.unit_factor, v.ref_low, v.ref_high, "
        "t.id AS test_id FROM test_value v JOIN test t ON t.id = v.test_id "
        "WHERE t.child_id = ? AND v.analyte = ? ORDER BY t.date, t.id", [child_id, analyte])
    return split_series(store, child_id, analyte, rows)


def display_unit(store: Store, child_id: int, analyte: str,
                 row: Row) -> tuple[str | None, float | None]:
    """The child's display unit for the family of ``row`` (and its factor)."""
    key = group_key(row)
    if not key.startswith("family:"):
        return row.get("unit"), row.get("unit_factor")
    # Counted from the (analyte, unit_family, unit, test_id) index alone.
    usage: dict[str, tuple[int, int, float | None]] = {
        str(unit or ""): (int(count), int(last), None) for unit, count, last
             in store.execute(
                 "SELECT unit, count(*), max(test_id) FROM test_value "
                 "WHERE analyte = ? AND unit_family = ? AND test_id IN "
                 "(SELECT id FROM test WHERE child_id = ?) GROUP BY unit",
                 [analyte, row["unit_family"], child_id])}
    if not usage:
        return row.get("unit"), row.get("unit_factor")
    unit, factor = _display_choice(store, child_id, analyte, key, usage)
    if factor is None:
        found = store.execute(
            "SELECT unit_factor FROM test_value WHERE analyte = ? AND unit_family = ? "
            "AND unit = ? LIMIT 1", [analyte, row["unit_family"], unit]).fetchone()
        factor = found[0] if found else None
    return unit, factor


def in_display_unit(store: Store, child_id: int, row: Row) -> Row:
    """``row`` (a value with its previous one) shown in the child's display unit.

    Adds ``typed_value``/``typed_unit`` and ``converted``; the saved value is untouched.
    """
    unit, factor = display_unit(store, child_id, str(row.get("analyte") or ""), row)
    shown = _in_unit(row, unit, factor)
    if shown["converted"] and row.get("previous_value") is not None:
        shown["previous_value"] = row["previous_value"] * (
            float(row["unit_factor"]) / float(factor or 1.0))
    return shown


def converted_number(value: float | None) -> float | None:
    """A converted number to three significant digits: conversion adds no precision."""
    if value is None or value == 0:
        return value
    return float(f"{value:.3g}")


def shown_number(row: Row, key: str) -> float | None:
    """``row[key]`` as shown: rounded when it was converted, else exactly as typed."""
    value = row.get(key)
    return converted_number(value) if row.get("converted") else value


def with_display_units(store: Store, rows: list[Row]) -> list[Row]:
    """Saved ``test_value`` rows plus ``display_value``, ``display_unit`` and ``converted``:
    each value in its child's display unit for its family (for exports)."""
    children = dict(store.execute("SELECT id, child_id FROM test").fetchall())
    chosen: dict[tuple[Any, str, str], tuple[str | None, float | None]] = {}
    found = []
    for row in rows:
        child_id = children.get(row.get("test_id"))
        analyte = str(row.get("analyte") or "")
        key = (child_id, analyte, group_key(row))
        if key not in chosen:
            chosen[key] = (display_unit(store, int(child_id), analyte, row)
                           if child_id is not None else (row.get("unit"), row.get("unit_factor")))
        shown = _in_unit(row, *chosen[key])
        found.append({**row, "display_value": shown["value"], "display_unit": shown["unit"],
                      "converted": 1 if shown["converted"] else 0})
    return found


def same_series(a: Row, b: Row) -> bool:
    """True when two values may be compared (same family, or the same unreadable unit)."""
    return group_key(a) == group_key(b)


def comparable_value(value: Row, other: Row) -> float | None:
    """``other``'s value expressed in ``value``'s unit, or None when they cannot be compared."""
    if not same_series(value, other):
        return None
    if (value.get("unit") or None) == (other.get("unit") or None):
        return float(other["value"])
    here, there = value.get("unit_factor"), other.get("unit_factor")
    if not here or there is None:
        return None
    return float(other["value"]) * float(there) / float(here)


# -- latest values and the one before, per unit family (Home, visit summary) -----------------
_LATEST = (
    "SELECT v.analyte, v.value, v.unit, v.unit_family, v.unit_factor, v.ref_low, v.ref_high, "
    "t.date, t.id AS test_id, t.test_type_id FROM test t CROSS JOIN test_value v "
    "ON v.test_id = t.id AND v.analyte = ? WHERE t.child_id = ? {extra} "
    "ORDER BY t.date DESC, t.id DESC, v.id DESC LIMIT {limit}")


def _same_family_sql(row: Row) -> tuple[str, list[Any]]:
    if row.get("unit_family"):
        return "AND v.unit_family = ?", [row["unit_family"]]
    return "AND v.unit_family IS NULL AND coalesce(v.unit, '') = ?", [row.get("unit") or ""]


def _latest_two(store: Store, child_id: int, analyte: str) -> list[Row]:
    """The latest value of ``analyte`` and the one before it *of the same unit family*."""
    # Walk the child's tests newest first and stop early: CROSS JOIN keeps SQLite from
    # sorting every value of the analyte first.
    found = store.query(_LATEST.format(extra="", limit=1), [analyte, child_id])
    if not found:
        return []
    extra, params = _same_family_sql(found[0])
    before = store.query(
        _LATEST.format(extra=extra + " AND (t.date < ? OR (t.date = ? AND t.id < ?))",
                       limit=1),
        [analyte, child_id, *params, found[0]["date"], found[0]["date"], found[0]["test_id"]])
    return found + before


_BY_VALUE = (
    "SELECT v.analyte, v.value, v.unit, v.unit_family, v.unit_factor, v.ref_low, v.ref_high, "
    "t.date, t.id AS test_id, t.test_type_id FROM test_value v JOIN test t "
    "ON t.id = v.test_id WHERE v.analyte = ? {extra} AND t.child_id = ? "
    "ORDER BY t.date DESC, t.id DESC, v.id DESC LIMIT 2")


def _latest_by_family(store: Store, child_id: int, analyte: str) -> list[list[Row]]:
    """For each unit family of ``analyte``: its latest value and the one before it."""
    first = _latest_two(store, child_id, analyte)
    if not first:
        return []
    groups = [first]
    seen = {group_key(first[0])}
    # The families come from the (analyte, unit_family, unit) index; the latest of each
    # other family is found from its own values (few), not by walking every test.
    for family, unit in store.execute(
            "SELECT DISTINCT unit_family, unit FROM test_value WHERE analyte = ?", [analyte]):
        member = {"unit_family": family, "unit": unit}
        if group_key(member) in seen:
            continue
        seen.add(group_key(member))
        extra, params = _same_family_sql(member)
        found = store.query(_BY_VALUE.format(extra=extra), [analyte, *params, child_id])
        if found:
            groups.append(found)
    return groups


def _with_previous(found: list[Row], type_names: dict[int, str]) -> Row:
    latest = found[0]
    previous = found[1] if len(found) > 1 else None
    latest["type_name"] = type_names.get(latest.pop("test_type_id"))
    # The value before, in the latest value's unit (same family only, so comparable).
    latest["previous_value"] = comparable_value(latest, previous) if previous else None
    latest["previous_typed"] = ((previous["value"], previous.get("unit"))
                                if previous and previous.get("unit") != latest.get("unit")
                                else None)
    latest["previous_date"] = previous["date"] if previous else None
    latest["trend"] = _trend(latest["value"], latest["previous_value"])
    latest["outside_range"] = _outside(latest["value"], latest["ref_low"], latest["ref_high"])
    return latest


def _trend(value: float, previous: float | None) -> str | None:
    if previous is None:
        return None
    if value > previous:
        return "up"
    if value < previous:
        return "down"
    return "same"


def _outside(value: float, low: float | None, high: float | None) -> bool | None:
    if low is None and high is None:
        return None
    return (low is not None and value < low) or (high is not None and value > high)


RATIO_FAMILY = "mmol/mol{creat}"
RATIO_UNIT = "mg/g{creat}"


def ratio_series(store: Store, child_id: int, analyte: str,
                 denominator: str = "Creatinine (urine)") -> list[Row]:
    """``analyte`` divided by ``denominator`` from the same test, oldest first, in mg/g.

    Only values whose units the app understands are divided, each through its factor to
    the canonical unit: µmol/L over mmol/L is mmol/mol creatinine, which the molar masses
    turn into mg/g creatinine, the way most labs print it.
    """
    info, creatinine = analyte_info(analyte), analyte_info(denominator)
    if not (info and info.molar_mass and creatinine and creatinine.molar_mass):
        return []
    # mg/g → mmol/mol multiplies by M(creatinine) / M(analyte).
    to_family = creatinine.molar_mass / info.molar_mass
    rows = store.query(
        "SELECT t.date, t.id AS test_id, v.value * v.unit_factor AS top, "
        "d.value * d.unit_factor AS bottom FROM test_value v JOIN test t ON t.id = v.test_id "
        "JOIN test_value d ON d.test_id = v.test_id AND d.analyte = ? "
        "WHERE t.child_id = ? AND v.analyte = ? AND d.value > 0 AND v.unit_family = ? "
        "AND d.unit_family = ? AND v.unit_factor IS NOT NULL AND d.unit_factor > 0 "
        "ORDER BY t.date, t.id",
        [denominator, child_id, analyte, "umol/L", "mmol/L"])
    # A computed ratio is no more exact than the values it comes from: three figures.
    return [{"date": r["date"], "value": float(f"{r['top'] / r['bottom'] / to_family:.3g}"),
             "unit": RATIO_UNIT,
             "unit_family": RATIO_FAMILY, "unit_factor": to_family, "ref_low": None,
             "ref_high": None, "test_id": r["test_id"]} for r in rows]


def units_to_check(store: Store, child_id: int | None = None) -> list[Row]:
    """Values whose unit the app could not read (kept as typed): for "Check these units"."""
    where = "" if child_id is None else " AND t.child_id = ?"
    return store.query(
        "SELECT v.id, v.analyte, v.value, v.unit, t.id AS test_id, t.date, t.child_id, "
        "tt.name AS type_name FROM test_value v JOIN test t ON t.id = v.test_id "
        "JOIN test_type tt ON tt.id = t.test_type_id "
        f"WHERE v.unit IS NOT NULL AND v.unit_family IS NULL{where} ORDER BY t.date, t.id",
        [] if child_id is None else [child_id])

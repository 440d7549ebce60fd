"""The record's schema as numbered migrations.

Migration *n* takes a file from ``user_version`` n-1 to n. Each runs in one transaction
together with the version bump, so a file is always at exactly one version. Never edit a
released migration: add a new one, and a test that upgrades from the version before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nbcompanion.record.catalog import BUILTIN_TEST_TYPES

if TYPE_CHECKING:
    import sqlite_utils

# 'NBCM' — marks the file as ours, so another app's SQLite file is never mistaken for a record.
APPLICATION_ID = 0x4E42434D

_V1_TABLES = """
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE child (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    birth_date TEXT,
    diagnosis_date TEXT,
    primary_site TEXT,
    stage TEXT,
    risk_group TEXT,
    histology TEXT,
    mycn TEXT,
    alk TEXT,
    dna_index TEXT,
    germline_result TEXT,
    hospital TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE test_type (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    category TEXT NOT NULL,
    topic TEXT,
    builtin INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE analyte (
    id INTEGER PRIMARY KEY,
    test_type_id INTEGER NOT NULL REFERENCES test_type(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (test_type_id, name)
);
CREATE TABLE test (
    id INTEGER PRIMARY KEY,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    test_type_id INTEGER NOT NULL REFERENCES test_type(id),
    date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'done', 'result_received')),
    place TEXT,
    clinician TEXT,
    result_text TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX test_child_date ON test (child_id, date);
CREATE INDEX test_type_date ON test (test_type_id, date);
CREATE TABLE test_value (
    id INTEGER PRIMARY KEY,
    test_id INTEGER NOT NULL REFERENCES test(id) ON DELETE CASCADE,
    analyte TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    ref_low REAL,
    ref_high REAL
);
CREATE INDEX test_value_test ON test_value (test_id);
CREATE INDEX test_value_analyte ON test_value (analyte, test_id);
CREATE TABLE phase (
    id INTEGER PRIMARY KEY,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    start_date TEXT NOT NULL,
    planned_end TEXT,
    actual_end TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'active', 'completed', 'stopped')),
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX phase_child_start ON phase (child_id, start_date);
CREATE TABLE treatment_event (
    id INTEGER PRIMARY KEY,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    phase_id INTEGER REFERENCES phase(id) ON DELETE SET NULL,
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    cycle_number INTEGER,
    drugs TEXT,
    trial_name TEXT,
    nct_number TEXT,
    place TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX treatment_event_child_date ON treatment_event (child_id, date);
CREATE INDEX treatment_event_phase ON treatment_event (phase_id);
CREATE TABLE visit (
    id INTEGER PRIMARY KEY,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    clinician TEXT,
    place TEXT,
    reason TEXT,
    notes TEXT,
    decisions TEXT,
    next_appointment TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX visit_child_starts ON visit (child_id, starts_at);
CREATE TABLE question (
    id INTEGER PRIMARY KEY,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    visit_id INTEGER REFERENCES visit(id) ON DELETE SET NULL,
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    asked INTEGER NOT NULL DEFAULT 0,
    answer TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX question_child ON question (child_id, asked);
CREATE INDEX question_visit ON question (visit_id);
"""

_V2_TABLES = """
CREATE TABLE care_team_member (
    id INTEGER PRIMARY KEY,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role TEXT,
    phone TEXT,
    email TEXT,
    hospital TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX care_team_member_child ON care_team_member (child_id);
ALTER TABLE test ADD COLUMN care_team_member_id INTEGER
    REFERENCES care_team_member(id) ON DELETE SET NULL;
ALTER TABLE visit ADD COLUMN care_team_member_id INTEGER
    REFERENCES care_team_member(id) ON DELETE SET NULL;
CREATE TABLE diary_entry (
    id INTEGER PRIMARY KEY,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    symptom TEXT NOT NULL,
    other_text TEXT,
    temperature_c REAL,
    severity TEXT CHECK (severity IS NULL OR severity IN ('mild', 'moderate', 'severe')),
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX diary_entry_child_at ON diary_entry (child_id, at);
CREATE TABLE medicine (
    id INTEGER PRIMARY KEY,
    child_id INTEGER NOT NULL REFERENCES child(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    dose TEXT,
    frequency TEXT,
    dose_times TEXT,
    start_date TEXT,
    stop_date TEXT,
    purpose TEXT,
    prescribed_by TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX medicine_child ON medicine (child_id);
CREATE TABLE dose_log (
    id INTEGER PRIMARY KEY,
    medicine_id INTEGER NOT NULL REFERENCES medicine(id) ON DELETE CASCADE,
    due_at TEXT,
    at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('given', 'skipped')),
    reason TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX dose_log_medicine_at ON dose_log (medicine_id, at);
CREATE TABLE draft (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


# Where each imported result came from (a FHIR file): one row per value or written result,
# so importing the same file again adds nothing. A value taken out by hand leaves its row
# linked to the test (SET NULL on the value): the resource still counts as already there.
_V4_TABLES = """
CREATE TABLE result_source (
    id INTEGER PRIMARY KEY,
    test_id INTEGER NOT NULL REFERENCES test(id) ON DELETE CASCADE,
    test_value_id INTEGER REFERENCES test_value(id) ON DELETE SET NULL,
    analyte TEXT,
    resource_id TEXT,
    file_name TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX result_source_test ON result_source (test_id);
CREATE INDEX result_source_value ON result_source (test_value_id);
CREATE INDEX result_source_resource ON result_source (resource_id);
"""


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    # executescript() would COMMIT the open transaction first, so run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1(db: sqlite_utils.Database) -> None:
    _run_script(db, _V1_TABLES)
    for position, test_type in enumerate(BUILTIN_TEST_TYPES):
        type_id = db.table("test_type").insert(
            {"name": test_type.name, "category": test_type.category, "topic": test_type.topic,
             "builtin": 1, "position": position}
        ).last_pk
        db.table("analyte").insert_all(
            {"test_type_id": type_id, "name": a.name, "unit": a.unit, "position": i}
            for i, a in enumerate(test_type.analytes)
        )


def _v2(db: sqlite_utils.Database) -> None:
    _run_script(db, _V2_TABLES)


#: The care team's first order: the oncologist first, then as the roles were listed in
#: version 3 (frozen here, so that this migration never changes).
_V3_ROLE_ORDER = ("pediatric_oncologist", "pediatric_surgeon", "radiation_oncologist",
                  "pediatric_nurse_specialist", "social_worker", "child_life", "psychologist",
                  "rehabilitation", "pediatrician", "hospital", "other")


def _v3(db: sqlite_utils.Database) -> None:
    """The care team in the family's own order (a position), oncologist first to start."""
    db.execute("ALTER TABLE care_team_member ADD COLUMN position INTEGER NOT NULL DEFAULT 0")
    rank = {role: index for index, role in enumerate(_V3_ROLE_ORDER)}
    rows = db.execute("SELECT id, child_id, role, name FROM care_team_member").fetchall()
    teams: dict[int, list[tuple[int, str | None, str]]] = {}
    for member_id, child_id, role, name in rows:
        teams.setdefault(child_id, []).append((member_id, role, name or ""))
    for members in teams.values():
        members.sort(key=lambda m: (rank.get(m[1] or "", len(rank)), m[2].casefold(), m[0]))
        for position, (member_id, _, _) in enumerate(members):
            db.execute("UPDATE care_team_member SET position = ? WHERE id = ?",
                       [position, member_id])


def _v4(db: sqlite_utils.Database) -> None:
    _run_script(db, _V4_TABLES)


_V5_COLUMNS = """
ALTER TABLE test_value ADD COLUMN unit_family TEXT;
ALTER TABLE test_value ADD COLUMN unit_factor REAL;
ALTER TABLE diary_entry ADD COLUMN temperature REAL;
ALTER TABLE diary_entry ADD COLUMN temperature_unit TEXT;
CREATE INDEX test_value_analyte_family ON test_value (analyte, unit_family, unit, test_id);
"""


def _v5(db: sqlite_utils.Database) -> None:
    """Units become UCUM codes; each value learns its unit family and factor.

    Free-text units ("10^9/L", "g/dL") are mapped to UCUM; every number is kept as it was.
    A unit that cannot be read stays exactly as typed with no family, and is listed under
    "Check these units" in the window. Temperatures keep their °C value and say so.
    """
    from nbcompanion.record import units

    _run_script(db, _V5_COLUMNS)
    db.execute("UPDATE diary_entry SET temperature = temperature_c, temperature_unit = 'Cel' "
               "WHERE temperature_c IS NOT NULL")
    for analyte_id, unit in db.execute(
            "SELECT id, unit FROM analyte WHERE unit IS NOT NULL").fetchall():
        try:
            code = units.parse_unit(unit)
        except units.UnitError:
            continue
        db.execute("UPDATE analyte SET unit = ? WHERE id = ?", [code, analyte_id])
    for analyte, unit in db.execute(
            "SELECT DISTINCT analyte, unit FROM test_value WHERE unit IS NOT NULL").fetchall():
        try:
            code = units.parse_unit(unit)
            place = units.canonical(code, analyte)
        except (units.UnitError, units.IncommensurableError):
            continue  # kept as typed; "Check these units" lists it
        db.execute("UPDATE test_value SET unit = ?, unit_family = ?, unit_factor = ? "
                   "WHERE analyte = ? AND unit = ?",
                   [code, place.family, place.factor, analyte, unit])


#: MIGRATIONS[n - 1] brings a file from version n - 1 to version n.
MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (_v1, _v2, _v3, _v4, _v5)
LATEST_VERSION = len(MIGRATIONS)

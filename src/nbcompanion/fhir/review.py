"""Matching a file's findings against a child's record, for the family to review.

Nothing is written here. Each result becomes a :class:`ReviewRow`: which test it goes to,
which result name, whether it is already in the record (same FHIR resource, or the same
result, day, value and unit), and any note the family should read before adding it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nbcompanion import wording
from nbcompanion.fhir.extract import Findings, FoundResult, PatientInfo
from nbcompanion.fhir.loinc import same_unit, unit_shown
from nbcompanion.i18n import _
from nbcompanion.record.store import Store

#: Remembered answers: which test a lab's unknown code belongs to (setting key prefix).
CHOICE_PREFIX = "fhir_test_for:"
#: The test kind the family can choose for results that fit no other.
OTHER_TYPE_NAME = "Other lab results"
#: The choice "Other" in :attr:`ReviewPlan.choices` (a test type id otherwise).
OTHER = -1
#: Largest number the record accepts (as for values typed by hand).
MAX_VALUE = 1e9


@dataclass(slots=True)
class ReviewRow:
    """One result as it would be added, with what the family should know about it."""

    found: FoundResult
    analyte: str
    test_type_id: int | None = None
    duplicate: str | None = None
    problem: str | None = None
    notes: tuple[str, ...] = ()
    include: bool = True

    @property
    def addable(self) -> bool:
        """False when the row cannot be added at all (no date, an impossible number)."""
        return self.problem is None


@dataclass
class ReviewPlan:
    """What the review dialog shows: the rows, the questions, the patient check."""

    findings: Findings
    child_id: int
    child_name: str
    child_birth_date: str | None
    rows: list[ReviewRow]
    #: code key → the lab's name, for codes the family is asked about (once per code).
    questions: dict[str, str] = field(default_factory=dict)
    #: code key → test type id (or :data:`OTHER`), remembered or answered.
    choices: dict[str, int] = field(default_factory=dict)
    patient_warning: str | None = None
    patient_mismatch: bool = False
    #: The rows by date and report, in order: (first row, [row numbers]) per group. Worked
    #: out with the rows, off the GUI thread, so the review opens at once.
    groups: list[tuple[int, list[int]]] = field(default_factory=list)

    def type_for(self, row: ReviewRow) -> int | None:
        """The test type id a row goes to, as things stand (None while unanswered)."""
        if row.test_type_id is not None:
            return row.test_type_id
        return self.choices.get(row.found.code_key)

    def chosen_rows(self) -> list[ReviewRow]:
        """Rows ticked and addable."""
        return [r for r in self.rows if r.include and r.addable]


def _words(text: str | None) -> set[str]:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return {w for w in "".join(c if c.isalnum() else " " for c in plain).split() if len(w) > 1}


def _date_words(text: str) -> str:
    return wording.day_text(text)


def patient_check(child_name: str, child_birth: str | None,
                  patients: list[PatientInfo]) -> tuple[str | None, bool]:
    """(warning, mismatch): a loud warning when the file seems to be another person's."""
    if not patients:
        return (_("The file does not say whose results these are. Please check that they are "
                  "{name}’s before adding them.").format(name=child_name), False)
    people = {(p.name, p.birth_date) for p in patients}
    problems = []
    for name, birth in sorted(people, key=lambda p: (p[0] or "", p[1] or "")):
        if birth and child_birth and birth != child_birth:
            problems.append(_("{name} born {born}, not {child_born}").format(
                name=name or _("someone"), born=_date_words(birth),
                child_born=_date_words(child_birth)))
        elif name and not (_words(name) & _words(child_name)):
            problems.append(_("“{name}”, a different name").format(name=name))
    if problems:
        return (_("These results may be another person’s: the file is for {problems}. Another "
                  "person’s results must not go into {name}’s record — add them only if you "
                  "are sure they are {name}’s.").format(problems="; ".join(problems),
                                                        name=child_name), True)
    if len(people) > 1:
        return (_("The file holds results of {count} people. Please check that each result "
                  "you add is {name}’s.").format(count=len(people), name=child_name), True)
    return None, False


def _type_ids(store: Store) -> dict[str, int]:
    return {row[1].lower(): int(row[0]) for row in
            store.execute("SELECT id, name FROM test_type")}


def _catalog_units(store: Store) -> dict[tuple[int, str], str]:
    return {(int(r[0]), str(r[1]).lower()): r[2] for r in
            store.execute("SELECT test_type_id, name, unit FROM analyte WHERE unit IS NOT NULL")}


def _known(store: Store, child_id: int) -> tuple[set[str], set[tuple[Any, ...]], set[str]]:
    resources = {r[0] for r in store.execute(
        "SELECT s.resource_id FROM result_source s JOIN test t ON t.id = s.test_id "
        "WHERE t.child_id = ? AND s.resource_id IS NOT NULL", [child_id])}
    values = {(r[0], str(r[1]).lower(), round(float(r[2]), 6), r[3] or "") for r in
              store.execute("SELECT t.date, v.analyte, v.value, v.unit FROM test_value v "
                            "JOIN test t ON t.id = v.test_id WHERE t.child_id = ?", [child_id])}
    texts: set[str] = set()
    for day, text in store.execute("SELECT date, result_text FROM test WHERE child_id = ? "
                                   "AND result_text IS NOT NULL", [child_id]):
        texts.update(f"{day}|{line.strip().lower()}" for line in str(text).splitlines())
    return resources, values, texts


def written_line(row: ReviewRow) -> str:
    """How a written result appears in the test's written result: "Name: text"."""
    return f"{row.analyte}: {row.found.text}"


def remembered_choices(store: Store) -> dict[str, int]:
    """Answers given in earlier imports (code key → test type id or OTHER)."""
    found = {}
    type_ids = set(_type_ids(store).values())
    for key, value in store.execute("SELECT key, value FROM setting WHERE key LIKE ?",
                                    [CHOICE_PREFIX + "%"]):
        try:
            chosen = int(value)
        except (TypeError, ValueError):
            continue
        if chosen == OTHER or chosen in type_ids:
            found[key[len(CHOICE_PREFIX):]] = chosen
    return found


@dataclass
class RecordFacts:
    """What the review needs from the record, read at once on the thread that owns it.

    Matching a big file against these facts can then run on a worker thread.
    """

    child_id: int
    child_name: str
    child_birth_date: str | None
    type_ids: dict[str, int]
    units: dict[tuple[int, str], str]
    remembered: dict[str, int]
    resources: set[str]
    values: set[tuple[Any, ...]]
    texts: set[str]


def record_facts(store: Store, child_id: int) -> RecordFacts:
    """Read what :func:`match` compares a file with (the child, kinds, what is recorded)."""
    child = store.query("SELECT name, birth_date FROM child WHERE id = ?", [child_id])[0]
    resources, values, texts = _known(store, child_id)
    return RecordFacts(child_id, child["name"], child["birth_date"], _type_ids(store),
                       _catalog_units(store), remembered_choices(store), resources, values,
                       texts)


def build_review(store: Store, child_id: int, findings: Findings,
                 check: Callable[[], None] | None = None) -> ReviewPlan:
    """Match ``findings`` against ``child_id``'s record; nothing is written."""
    return match(findings, record_facts(store, child_id), check)


def match(findings: Findings, facts: RecordFacts,
          check: Callable[[], None] | None = None) -> ReviewPlan:
    """The review of ``findings`` against a record's ``facts`` (no record access here).

    ``check`` is called now and then and may raise to cancel (the import runs off the GUI
    thread with a Cancel button).
    """
    warning, mismatch = patient_check(facts.child_name, facts.child_birth_date,
                                      findings.patients)
    plan = ReviewPlan(findings, facts.child_id, facts.child_name, facts.child_birth_date, [],
                      patient_warning=warning, patient_mismatch=mismatch)
    type_ids, units, remembered = facts.type_ids, facts.units, facts.remembered
    resources, values, texts = facts.resources, facts.values, facts.texts
    seen_in_file: set[tuple[Any, ...]] = set()
    for index, found in enumerate(findings.results):
        if check is not None and index % 2000 == 0:
            check()
        type_id = type_ids.get((found.test_type or found.kind_hint or "").lower())
        row = ReviewRow(found, found.analyte if type_id is not None and found.analyte
                        else found.name, type_id, notes=found.notes)
        _check_row(row, units)
        key: tuple[Any, ...] = (
            (found.day, row.analyte.lower(), round(found.value, 6), found.unit or "")
            if found.value is not None else (found.day, written_line(row).lower()))
        if found.resource_id and found.resource_id in resources:
            row.duplicate = "Already in the record (brought in before)."
        elif found.value is not None and key in values:
            row.duplicate = "Already in the record (same result, day, value and unit)."
        elif found.value is None and f"{found.day}|{written_line(row).lower()}" in texts:
            row.duplicate = "Already in the record (same written result on that day)."
        elif key in seen_in_file:
            row.duplicate = "Appears twice in this file."
        seen_in_file.add(key)
        row.include = row.addable and row.duplicate is None and not found.partial_date
        plan.rows.append(row)
    _join_reports(plan.rows)
    where: dict[tuple[str, str], list[int]] = {}
    for number, row in enumerate(plan.rows):
        key = (row.found.day or "", row.found.report_key or "")
        members = where.get(key)
        if members is None:
            members = where[key] = []
            plan.groups.append((number, members))
        members.append(number)
    for row in plan.rows:
        if row.test_type_id is None:
            code = row.found.code_key
            plan.questions.setdefault(code, row.found.name)
            if code in remembered:
                plan.choices[code] = remembered[code]
    # Questions already answered in an earlier import are not asked again.
    plan.questions = {k: v for k, v in plan.questions.items() if k not in plan.choices}
    return plan


def _join_reports(rows: list[ReviewRow]) -> None:
    """A report is one test: its results go to the kind most of its known results map to."""
    votes: dict[str, dict[int, int]] = {}
    for row in rows:
        if row.found.report_key and row.test_type_id is not None:
            tally = votes.setdefault(row.found.report_key, {})
            tally[row.test_type_id] = tally.get(row.test_type_id, 0) + 1
    for row in rows:
        tally = votes.get(row.found.report_key or "") or {}
        if tally:
            # Ties go to the kind listed first in the catalog (the lower id).
            row.test_type_id = max(sorted(tally), key=tally.__getitem__)


def _check_row(row: ReviewRow, units: dict[tuple[int, str], str]) -> None:
    found = row.found
    if found.day is None:
        row.problem = "The file gives no date, so it cannot be added."
        return
    numbers = [x for x in (found.value, found.ref_low, found.ref_high) if x is not None]
    if any(x < 0 for x in numbers):
        row.problem = "A negative number cannot be added; please check the lab report."
    elif any(x > MAX_VALUE for x in numbers):
        row.problem = "The number is too large to be a lab result; please check the file."
    if found.ref_low is not None and found.ref_high is not None and found.ref_low > found.ref_high:
        row.notes += ("The lab’s range runs backwards; it is left out.",)
        found.ref_low = found.ref_high = None
    if found.value is not None and row.test_type_id is not None:
        usual = units.get((row.test_type_id, row.analyte.lower()))
        if usual and found.unit and not same_unit(usual, found.unit):
            row.notes += (f"The record usually keeps {row.analyte} in {usual}; the lab’s "
                             f"unit {unit_shown(found.unit)} is kept as it is.",)

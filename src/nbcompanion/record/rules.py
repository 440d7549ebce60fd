"""The rules of each kind of entry: what must be there, and what cannot be right.

Each rule gathers every problem at once (a parent fixes them all in one go), keyed by the
field the message belongs beside. Odd but valid text — emoji, right-to-left scripts,
combining marks — is kept exactly as typed; only control characters are refused.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from nbcompanion.i18n import _
from nbcompanion.record import vocab
from nbcompanion.record.checks import MAX_TEXT, raise_if, require, rule
from nbcompanion.record.dates import parse_date, parse_datetime
from nbcompanion.record.errors import NotFoundError
from nbcompanion.record.store import Store

#: Scheduled things may be booked ahead, but not beyond this.
FAR_FUTURE = timedelta(days=2 * 365)
EARLIEST = date(1900, 1, 1)
#: A date of birth further back than this many years is surely a slip of the year
#: (neuroblastoma is a children's cancer; the record may follow a young adult too).
OLDEST_AGE = 40
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NCT = re.compile(r"^NCT\d{8}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


class Checker:
    """Collects messages for one entry, with the child's birth date at hand."""

    def __init__(self, store: Store, values: dict[str, Any], table: str,
                 entry_id: int | None) -> None:
        self.store = store
        self.values = values
        self.errors: dict[str, str] = {}
        self.existing: dict[str, Any] = {}
        if entry_id is not None:
            row = store.query(f"SELECT * FROM [{table}] WHERE id = ?", [entry_id])
            if not row:
                raise NotFoundError(_("This entry no longer exists; it may have been deleted."))
            self.existing = row[0]
        self.today = date.today()
        self._texts()

    def get(self, field: str) -> Any:
        """The value after this edit: the new one if given, else the saved one."""
        return self.values[field] if field in self.values else self.existing.get(field)

    def fail(self, field: str, message: str) -> None:
        """Note one problem (the first per field wins)."""
        self.errors.setdefault(field, message)

    def _texts(self) -> None:
        for field, value in list(self.values.items()):
            if not isinstance(value, str):
                continue
            if len(value) > MAX_TEXT:
                self.fail(field, _("This is very long ({len:,} characters). Please shorten "
                                   "it to {max_text:,} or fewer.").format(
                                   len=len(value), max_text=MAX_TEXT))
            elif _CONTROL.search(value):
                self.fail(field, _("This contains hidden control characters; please retype it."))
            else:
                stripped = value.strip()
                self.values[field] = stripped or None

    def required(self, field: str, message: str) -> None:
        """``field`` must hold something."""
        if field in self.values or not self.existing:
            require(self.errors, {field: self.get(field)}, field, message)

    def choice(self, field: str, choices: tuple[vocab.Choice, ...]) -> None:
        """``field`` is empty or one of ``choices``' keys."""
        value = self.get(field)
        if value is not None and value not in vocab.keys(choices):
            self.fail(field, _("Please choose one of the options in the list."))

    def day(self, field: str) -> date | None:
        """The field as a date, or a message when it is not one."""
        try:
            return parse_date(self.get(field))
        except (TypeError, ValueError):
            self.fail(field, _("Please enter a date like 2026-03-14."))
            return None

    def moment(self, field: str) -> datetime | None:
        """The field as a date and time, or a message when it is not one."""
        try:
            return parse_datetime(self.get(field))
        except (TypeError, ValueError):
            self.fail(field, _("Please enter a date and time like 2026-03-14 09:30."))
            return None

    def birth_date(self) -> date | None:
        """The birth date of the entry's child (None when unknown)."""
        child_id = self.get("child_id")
        if child_id is None:
            return None
        rows = self.store.query("SELECT birth_date FROM child WHERE id = ?", [child_id])
        try:
            return parse_date(rows[0]["birth_date"]) if rows else None
        except ValueError:
            return None

    def plausible(self, field: str, when: date | None, *, future: bool) -> None:
        """A date after the child's birth, and not in the future unless ``future``."""
        if when is None:
            return
        born = self.birth_date()
        if when < EARLIEST:
            self.fail(field, _("Please check the year of this date."))
        elif born is not None and when < born:
            self.fail(field, _("This date is before your child's date of birth."))
        elif not future and when > self.today:
            self.fail(field, _("This date is in the future. Please check it."))
        elif when > self.today + FAR_FUTURE:
            self.fail(field, _("This date is more than two years ahead. Please check it."))

    def child(self) -> None:
        """The entry belongs to a child in the record."""
        child_id = self.get("child_id")
        if child_id is None:
            self.fail("child_id", _("Please add your child first."))
        elif not self.store.query("SELECT 1 FROM child WHERE id = ?", [child_id]):
            self.fail("child_id", _("This child is no longer in the record."))

    def not_before(self, later: str, earlier: str, message: str) -> None:
        """``later`` may not be before ``earlier`` (both dates)."""
        first, second = self.day(earlier), self.day(later)
        if first is not None and second is not None and second < first:
            self.fail(later, message)

    def done(self) -> dict[str, Any]:
        """The cleaned values, or ValidationError with every message."""
        raise_if(self.errors)
        return self.values


@rule("child")
def _child(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "child", entry_id)
    check.required("name", "Please type your child's name.")
    born = check.day("birth_date")
    if born is not None and born > check.today:
        check.fail("birth_date", _("The date of birth is in the future. Please check it."))
    elif born is not None and born < check.today.replace(year=check.today.year - OLDEST_AGE,
                                                          day=min(check.today.day, 28)):
        check.fail("birth_date", _("Please check the year of the date of birth."))
    diagnosed = check.day("diagnosis_date")
    if diagnosed is not None:
        if diagnosed > check.today:
            check.fail("diagnosis_date", _("The diagnosis date is in the future. Please check it."))
        elif born is not None and diagnosed < born:
            check.fail("diagnosis_date", _("The diagnosis date is before the date of birth."))
    for field, choices in (("primary_site", vocab.PRIMARY_SITES), ("stage", vocab.STAGES),
                           ("risk_group", vocab.RISK_GROUPS), ("histology", vocab.HISTOLOGY),
                           ("mycn", vocab.MYCN), ("alk", vocab.ALK),
                           ("dna_index", vocab.DNA_INDEX)):
        check.choice(field, choices)
    if entry_id is not None and born is not None:
        earliest = store.query(
            "SELECT min(d) AS first FROM (SELECT min(date) AS d FROM test WHERE child_id = ?1 "
            "UNION ALL SELECT min(start_date) FROM phase WHERE child_id = ?1 "
            "UNION ALL SELECT min(substr(starts_at, 1, 10)) FROM visit WHERE child_id = ?1)",
            [entry_id])[0]["first"]
        if earliest and earliest < born.isoformat():
            check.fail("birth_date", _("The record has entries from {earliest}, before this "
                                       "date of birth. Please check it.").format(
                                       earliest=earliest))
    return check.done()


def unit_place(store: Store, analyte: str, code: str) -> tuple[str | None, float | None]:
    """The family and factor of ``code`` for ``analyte``, reusing what the record knows.

    The same (analyte, unit) saved before already has them, so the unit library is only
    loaded for a unit the record has not seen yet.
    """
    from nbcompanion.record import units

    row = store.execute(
        "SELECT unit_family, unit_factor FROM test_value WHERE analyte = ? AND unit = ? "
        "AND unit_family IS NOT NULL LIMIT 1", [analyte, code]).fetchone()
    if row is not None:
        return row[0], row[1]
    place = units.canonical(code, analyte)
    return place.family, place.factor


def _test_values(check: Checker, rows: Any) -> list[dict[str, Any]]:
    from nbcompanion.record import units

    cleaned: list[dict[str, Any]] = []
    for position, row in enumerate(row for row in rows or [] if _filled(row)):
        key = f"values.{position}"
        name, unit_text = row.get("analyte"), row.get("unit")
        if not isinstance(name, str | None) or not isinstance(unit_text, str | None):
            check.fail(key, _("A name or unit could not be read as text; please retype it."))
            continue
        name = (name or "").strip()
        value, low, high = row.get("value"), row.get("ref_low"), row.get("ref_high")
        if not name:
            check.fail(key, _("Each value needs the name of what was measured."))
            continue
        if value is None:
            check.fail(key, _("Please type the value of {name}, or clear its row.").format(
                              name=name))
            continue
        numbers = [x for x in (value, low, high) if x is not None]
        if any(not isinstance(x, (int, float)) or isinstance(x, bool) for x in numbers):
            check.fail(key, _("The value of {name} must be a number.").format(name=name))
            continue
        if any(not math.isfinite(x) for x in numbers):
            check.fail(key, _("The value of {name} must be an ordinary number.").format(
                              name=name))
            continue
        if any(x < 0 for x in numbers):
            check.fail(key, _("{name} cannot be negative. Please check the number.").format(
                              name=name))
        elif any(x > 1e9 for x in numbers):
            check.fail(key, _("{name} looks too large. Please check the number.").format(
                              name=name))
        elif low is not None and high is not None and low > high:
            check.fail(key, _("For {name}, the low end of the lab's range is above the high "
                              "end.").format(name=name))
        typed = str(row.get("unit") or "").strip() or None
        unit, family, factor = typed, None, None
        if typed is not None and len(typed) > 40:
            check.fail(key, _("The unit of {name} is too long.").format(name=name))
        elif typed is not None:
            try:
                unit = units.parse_unit(typed)
                family, factor = unit_place(check.store, name[:200], unit)
            except units.UnitError as error:
                if not row.get("keep_unit"):
                    check.fail(key, str(error))
            except units.IncommensurableError:
                family, factor = None, None
        cleaned.append({"analyte": name[:200], "value": float(value), "unit": unit,
                        "ref_low": low, "ref_high": high, "unit_family": family,
                        "unit_factor": factor})
    return cleaned


def _filled(row: Any) -> bool:
    # An untouched row of the grid: no name's value, no range, no unit.
    return not (row.get("value") is None and row.get("ref_low") is None
                and row.get("ref_high") is None and not row.get("unit")
                and str(row.get("analyte") or "").strip())


@rule("test")
def _test(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "test", entry_id)
    check.child()
    check.required("test_type_id", "Please choose which test this is.")
    type_id = check.get("test_type_id")
    if type_id is not None and not store.query("SELECT 1 FROM test_type WHERE id = ?",
                                               [type_id]):
        check.fail("test_type_id", _("This kind of test is no longer in the list."))
    check.required("date", "Please enter the date of the test.")
    check.required("status", "Please choose whether it is scheduled, done or has results.")
    check.choice("status", vocab.TEST_STATUSES)
    when = check.day("date")
    done = check.get("status") in ("done", "result_received")
    if when is not None and done and when > check.today:
        check.fail("date", _("A test marked done cannot be on a future date. Choose "
                           "“Scheduled”, or check the date."))
    check.plausible("date", when, future=True)
    if "values" in values:
        values["values"] = _test_values(check, values["values"])
    return check.done()


@rule("phase")
def _phase(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "phase", entry_id)
    check.child()
    check.required("kind", "Please choose which phase this is.")
    check.choice("kind", vocab.PHASE_KINDS)
    check.required("start_date", "Please enter when the phase started (or will start).")
    check.required("status", "Please choose the phase's status.")
    check.choice("status", vocab.PHASE_STATUSES)
    start = check.day("start_date")
    check.plausible("start_date", start, future=True)
    check.not_before("planned_end", "start_date", "The planned end is before the start.")
    check.not_before("actual_end", "start_date", "The end is before the start.")
    ended = check.day("actual_end")
    if ended is not None and ended > check.today:
        check.fail("actual_end", _("The actual end is in the future; use the planned end."))
    planned = check.day("planned_end")
    check.plausible("planned_end", planned, future=True)
    if check.get("status") == "active" and start is not None and start > check.today:
        check.fail("status", _("A phase that starts in the future is “Planned”, not under way."))
    return check.done()


@rule("treatment_event")
def _event(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "treatment_event", entry_id)
    check.child()
    check.required("kind", "Please choose what kind of treatment this was.")
    check.choice("kind", vocab.EVENT_KINDS)
    check.required("date", "Please enter the date.")
    check.plausible("date", check.day("date"), future=True)
    cycle = check.get("cycle_number")
    if cycle is not None and (not isinstance(cycle, int) or not 1 <= cycle <= 99):
        check.fail("cycle_number", _("The cycle number is a whole number from 1 to 99."))
    nct = check.get("nct_number")
    if nct is not None:
        compact = str(nct).replace(" ", "").upper()
        if not _NCT.match(compact):
            check.fail("nct_number", _("An NCT number looks like NCT01234567 (NCT and 8 digits)."))
        else:
            values["nct_number"] = compact
    phase_id = check.get("phase_id")
    if phase_id is not None and not store.query(
            "SELECT 1 FROM phase WHERE id = ? AND child_id = ?", [phase_id, check.get("child_id")]):
        check.fail("phase_id", _("This phase is no longer in the record."))
    return check.done()


@rule("visit")
def _visit(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "visit", entry_id)
    check.child()
    check.required("starts_at", "Please enter the date and time of the visit.")
    check.required("kind", "Please choose what kind of visit this is.")
    check.choice("kind", vocab.VISIT_KINDS)
    moment = check.moment("starts_at")
    check.plausible("starts_at", moment.date() if moment else None, future=True)
    return check.done()


@rule("question")
def _question(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "question", entry_id)
    check.child()
    check.required("text", "Please type the question.")
    return check.done()


@rule("care_team_member")
def _member(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    if entry_id is None and values.get("position") is None and values.get("child_id"):
        # Someone new joins the end of the family's order of the team.
        last = store.query("SELECT max(position) AS last FROM care_team_member "
                           "WHERE child_id = ?", [values["child_id"]])[0]["last"]
        values["position"] = 0 if last is None else int(last) + 1
    check = Checker(store, values, "care_team_member", entry_id)
    check.child()
    check.required("name", "Please type a name (a person or a place).")
    check.choice("role", vocab.CARE_ROLES)
    email = check.get("email")
    if email is not None and ("@" not in email or " " in email):
        check.fail("email", _("This does not look like an e-mail address."))
    phone = check.get("phone")
    if phone is not None and not re.fullmatch(r"[0-9+()./\- x#*]{3,40}", phone):
        check.fail("phone", _("Please use digits and + ( ) - only, like +1 555 123 4567."))
    return check.done()


#: Body temperatures outside this range (°C) are almost surely typing mistakes.
TEMPERATURE_RANGE = (34.0, 43.5)


def _temperature(check: Checker, values: dict[str, Any]) -> None:
    """The temperature as typed (°C or °F) and its °C value, which is what gets checked."""
    from nbcompanion.record import units

    if values.get("temperature") is None and values.get("temperature_c") is not None:
        # Callers that only know °C (older exports, older code): the °C value as typed.
        values["temperature"] = values["temperature_c"]
        values["temperature_unit"] = units.CELSIUS
    elif "temperature" not in values and "temperature_unit" not in values:
        if "temperature_c" not in values:
            return
        values["temperature"] = values["temperature_unit"] = None
    typed, unit = check.get("temperature"), check.get("temperature_unit")
    if typed is None:
        values.update(temperature=None, temperature_unit=None, temperature_c=None)
        return
    unit = unit or units.CELSIUS
    if unit not in (units.CELSIUS, units.FAHRENHEIT) or isinstance(typed, bool) or (
            not isinstance(typed, (int, float))) or not math.isfinite(typed):
        check.fail("temperature", _("Please type the temperature in °C or °F, like 38.4."))
        return
    celsius = units.convert(float(typed), unit, units.CELSIUS)
    low, high = TEMPERATURE_RANGE
    if not low <= celsius <= high:
        shown = [units.convert(x, units.CELSIUS, unit) for x in (low, high)]
        check.fail("temperature", _("Please check the temperature: it should be between "
                                    "{value:.1f} and {value2:.1f} {display}.").format(
                                    value=shown[0], value2=shown[1], display=units.display(unit)))
        check.fail("temperature_c", check.errors["temperature"])
    values.update(temperature=float(typed), temperature_unit=unit, temperature_c=celsius)


@rule("diary_entry")
def _diary(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "diary_entry", entry_id)
    check.child()
    check.required("at", "Please enter when it happened.")
    check.required("symptom", "Please choose what you saw.")
    check.choice("symptom", vocab.SYMPTOMS)
    if check.get("symptom") == "other":
        check.required("other_text", "Please describe what you saw.")
    moment = check.moment("at")
    if moment is not None and moment > datetime.now() + timedelta(minutes=5):
        check.fail("at", _("This time is in the future. Please check it."))
    check.plausible("at", moment.date() if moment else None, future=False)
    check.choice("severity", vocab.SEVERITIES)
    _temperature(check, values)
    return check.done()


@rule("medicine")
def _medicine(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "medicine", entry_id)
    check.child()
    check.required("name", "Please type the medicine's name.")
    check.plausible("start_date", check.day("start_date"), future=True)
    check.not_before("stop_date", "start_date", "The stop date is before the start date.")
    times = check.get("dose_times")
    if times:
        parts = [p.strip() for p in times.replace(";", ",").split(",") if p.strip()]
        if not all(_TIME.match(p) for p in parts):
            check.fail("dose_times", _("Please write times like 08:00, 20:00."))
        elif len(parts) > 24:
            check.fail("dose_times", _("That is more than 24 times a day. Please check."))
    return check.done()


@rule("dose_log")
def _dose(store: Store, values: dict[str, Any], entry_id: int | None) -> dict[str, Any]:
    check = Checker(store, values, "dose_log", entry_id)
    check.required("status", "Please choose whether the dose was given or skipped.")
    check.choice("status", vocab.DOSE_STATUSES)
    check.required("at", "Please enter when.")
    moment = check.moment("at")
    medicine = store.query("SELECT * FROM medicine WHERE id = ?", [check.get("medicine_id")])
    if not medicine:
        check.fail("medicine_id", _("This medicine is no longer in the record."))
    elif moment is not None:
        if moment > datetime.now() + timedelta(minutes=5):
            check.fail("at", _("This time is in the future. Please check it."))
        start, stop = parse_date(medicine[0]["start_date"]), parse_date(medicine[0]["stop_date"])
        if stop is not None and moment.date() > stop:
            check.fail("at", _("This medicine was stopped on {day}. Doses after that cannot "
                               "be logged; check the date or the medicine's stop date.").format(
                                   day=stop.isoformat()))
        elif start is not None and moment.date() < start:
            check.fail("at", _("This medicine started on {day}; this is before it.").format(
                               day=start.isoformat()))
    return check.done()

"""The fictional sample record behind ``nbcompanion --demo`` and "Explore with a sample record".

A realistic high-risk course — induction, consolidation with a tandem transplant,
maintenance with immunotherapy, then eflornithine — placed relative to ``today`` so every
view is filled: tests with trending VMA/HVA, scans with written impressions, visits with
decisions and answered questions, a diary, medicines with a dose log, and a care team.
Every name says it is fictional. Nothing in it advises; it is a record, not a plan.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from nbcompanion.record import units
from nbcompanion.record.sql import inserted_id
from nbcompanion.record.store import Store, now_iso

CHILD_NAME = "Sample Child (fictional)"
TRANSPLANT_CENTRE = "Fictional Transplant Centre"
FOLLOW_UP_CLINIC = "Fictional Follow-up Clinic"
SIBLING_NAME = "Sample Sibling (fictional)"


class _Writer:
    """Inserts rows directly in one transaction: the sample is trusted and must be fast."""

    def __init__(self, store: Store, today: date) -> None:
        self.db = store.db
        self.today = today
        self.stamp = now_iso()
        self.types = {row["name"]: row["id"]
                      for row in store.query("SELECT id, name FROM test_type")}

    def day(self, offset: int) -> str:
        return (self.today + timedelta(days=offset)).isoformat()

    def weekday(self, offset: int, nudge: int = 0) -> int:
        """``offset`` moved ``nudge`` days and then off the weekend (clinics keep office days)."""
        offset += nudge
        day = (self.today + timedelta(days=offset)).weekday()
        return offset + {5: -1, 6: 1}.get(day, 0)

    def at(self, offset: int, hour: int, minute: int = 0) -> str:
        moment = datetime.combine(self.today + timedelta(days=offset), datetime.min.time())
        return (moment + timedelta(hours=hour, minutes=minute)).strftime("%Y-%m-%dT%H:%M")

    def add(self, table: str, row: dict[str, Any], *, stamped: bool = True) -> int:
        if stamped:
            row = {"created_at": self.stamp, "updated_at": self.stamp, **row}
        return inserted_id(self.db.table(table).insert(row).last_pk)

    def test(self, child_id: int, type_name: str, offset: int, *, status: str = "result_received",
             values: tuple[tuple[str, float, str, float | None, float | None], ...] | list[
                 tuple[str, float, str, float | None, float | None]] = (),
             result: str | None = None, place: str = "Fictional Children's Hospital",
             clinician: str | None = None, notes: str | None = None) -> int:
        test_id = self.add("test", {
            "child_id": child_id, "test_type_id": self.types[type_name], "date": self.day(offset),
            "status": status, "place": place, "clinician": clinician, "result_text": result,
            "notes": notes})
        self.db.table("test_value").insert_all(
            {"test_id": test_id, "analyte": a, "value": v, "unit": u, "ref_low": lo, "ref_high": hi,
             **_stamp(a, u)}
            for a, v, u, lo, hi in values)
        return test_id


def _imported(w: _Writer, offset: int) -> None:
    """The latest blood count came from the hospital's FHIR download (Import results)."""
    test = w.db.execute("SELECT id FROM test WHERE date = ? ORDER BY id DESC LIMIT 1",
                        [w.day(offset)]).fetchone()[0]
    w.db.execute("UPDATE test SET notes = ? WHERE id = ?",
                 ["Brought in from hospital-results.json (report: Complete blood count).", test])
    for number, (value_id, analyte) in enumerate(w.db.execute(
            "SELECT id, analyte FROM test_value WHERE test_id = ? ORDER BY id", [test])):
        w.add("result_source", {"test_id": test, "test_value_id": value_id, "analyte": analyte,
                                "resource_id": f"Observation/fictional-cbc-{number + 1}",
                                "file_name": "hospital-results.json",
                                "imported_at": w.at(offset, 18)}, stamped=False)


def _typed(temperature: float | None) -> dict[str, Any]:
    """A temperature as the family typed it (°C here)."""
    if temperature is None:
        return {}
    return {"temperature": temperature, "temperature_unit": units.CELSIUS}


def _stamp(analyte: str, unit: str | None) -> dict[str, Any]:
    """The unit family and factor a saved value carries (as the rules stamp them)."""
    if not unit:
        return {}
    place = units.canonical(unit, analyte)
    return {"unit_family": place.family, "unit_factor": place.factor}


# Offsets (days from today) of the phases of the fictional course.
_DIAGNOSIS = -640
_INDUCTION = (-625, -470)
_CONSOLIDATION = (-460, -330)
_MAINTENANCE = (-320, -150)
_POST = (-140, None)


def build_demo(store: Store, today: date | None = None) -> int:
    """Fill ``store`` with the fictional sample record; returns the main child's id."""
    today = today or date.today()
    rng = random.Random(20260301)  # the same sample every time
    with store.transaction():
        w = _Writer(store, today)
        child_id = _children(w)
        team = _team(w, child_id)
        phases = _phases(w, child_id)
        _events(w, child_id, phases)
        _tests(w, child_id, rng)
        _visits(w, child_id, team)
        _diary(w, child_id, rng)
        _medicines(w, child_id, rng)
        store.db.table("setting").upsert({"key": "active_child_id", "value": str(child_id)},
                                         pk="key")
    return child_id


def _children(w: _Writer) -> int:
    child_id = w.add("child", {
        "name": CHILD_NAME, "birth_date": w.day(-365 * 4 - 120),
        "diagnosis_date": w.day(_DIAGNOSIS),
        "primary_site": "adrenal", "stage": "M", "risk_group": "high", "histology": "unfavorable",
        "mycn": "amplified", "alk": "none", "dna_index": "diploid",
        "germline_result": "No inherited ALK or PHOX2B change found (fictional).",
        "hospital": "Fictional Children's Hospital",
        "notes": "This is a made-up record to show what the app can hold. None of it is real."})
    sibling_id = w.add("child", {
        "name": SIBLING_NAME, "birth_date": w.day(-365 * 2 - 30),
        "germline_result": "Inherited ALK change found (fictional); checked regularly.",
        "hospital": "Fictional Children's Hospital",
        "notes": "Fictional sibling under surveillance for an inherited ALK change."})
    w.add("test", {"child_id": sibling_id, "test_type_id": w.types["Ultrasound"],
                   "date": w.day(-40), "status": "result_received",
                   "result_text": "Abdominal ultrasound: no mass seen (fictional).",
                   "place": "Fictional Children's Hospital"})
    w.add("visit", {"child_id": sibling_id, "starts_at": w.at(50, 10), "kind": "clinic",
                    "reason": "Surveillance check", "place": "Fictional Children's Hospital"})
    return child_id


def _team(w: _Writer, child_id: int) -> dict[str, int]:
    people = {
        "oncologist": ("Dr. Alex Example", "pediatric_oncologist", "+1 555 0100",
                       "oncology@example.org"),
        "nurse": ("Sam Placeholder, RN", "pediatric_nurse_specialist", "+1 555 0101",
                  "nurse.line@example.org"),
        "surgeon": ("Dr. Jordan Sample", "pediatric_surgeon", "+1 555 0102", None),
        "radiation": ("Dr. Casey Demo", "radiation_oncologist", "+1 555 0103", None),
        "social": ("Riley Fictional", "social_worker", "+1 555 0104", "social@example.org"),
        "child_life": ("Morgan Madeup", "child_life", None, None),
    }
    return {key: w.add("care_team_member", {
        "child_id": child_id, "name": name, "role": role, "phone": phone, "email": email,
        "hospital": "Fictional Children's Hospital"}) for key, (name, role, phone, email)
        in people.items()}


def _phases(w: _Writer, child_id: int) -> dict[str, int]:
    ids = {}
    for kind, (start, end) in (("induction", _INDUCTION), ("consolidation", _CONSOLIDATION),
                               ("maintenance", _MAINTENANCE)):
        ids[kind] = w.add("phase", {"child_id": child_id, "kind": kind, "start_date": w.day(start),
                                    "planned_end": w.day(end), "actual_end": w.day(end),
                                    "status": "completed"})
    ids["post_maintenance"] = w.add("phase", {
        "child_id": child_id, "kind": "post_maintenance", "start_date": w.day(_POST[0]),
        "planned_end": w.day(_POST[0] + 730), "status": "active",
        "notes": "Eflornithine by mouth twice a day, as the team prescribed."})
    return ids


def _events(w: _Writer, child_id: int, phases: dict[str, int]) -> None:
    induction = phases["induction"]
    for cycle in range(1, 6):
        drugs = ("cyclophosphamide, topotecan" if cycle <= 2
                 else "cisplatin, etoposide" if cycle % 2 else "vincristine, doxorubicin, "
                 "cyclophosphamide")
        w.add("treatment_event", {"child_id": child_id, "phase_id": induction,
                                  "date": w.day(_INDUCTION[0] + (cycle - 1) * 21),
                                  "kind": "chemo_cycle", "cycle_number": cycle, "drugs": drugs})
    w.add("treatment_event", {"child_id": child_id, "phase_id": induction,
                              "date": w.day(_INDUCTION[0] + 30), "kind": "stem_cell_collection"})
    w.add("treatment_event", {"child_id": child_id, "phase_id": induction,
                              "date": w.day(_INDUCTION[1] - 20), "kind": "surgery",
                              "notes": "Surgery to remove the tumor in the left adrenal area."})
    consolidation = phases["consolidation"]
    for number, offset in ((1, 0), (2, 60)):
        w.add("treatment_event", {"child_id": child_id, "phase_id": consolidation,
                                  "date": w.day(_CONSOLIDATION[0] + offset), "kind": "hdct_sct",
                                  "cycle_number": number,
                                  "notes": f"Transplant {number} of 2 (tandem)."})
    w.add("treatment_event", {"child_id": child_id, "phase_id": consolidation,
                              "date": w.day(_CONSOLIDATION[1] - 25), "kind": "radiation",
                              "notes": "Radiation to the primary tumor site, 12 sessions."})
    maintenance = phases["maintenance"]
    for cycle in range(1, 6):
        start = _MAINTENANCE[0] + (cycle - 1) * 28
        w.add("treatment_event", {"child_id": child_id, "phase_id": maintenance,
                                  "date": w.day(start), "kind": "dinutuximab",
                                  "cycle_number": cycle})
        if cycle % 2:
            w.add("treatment_event", {"child_id": child_id, "phase_id": maintenance,
                                      "date": w.day(start), "kind": "gm_csf",
                                      "cycle_number": cycle})
        w.add("treatment_event", {"child_id": child_id, "phase_id": maintenance,
                                  "date": w.day(start + 10), "kind": "isotretinoin",
                                  "cycle_number": cycle})
    w.add("treatment_event", {"child_id": child_id, "phase_id": phases["post_maintenance"],
                              "date": w.day(_POST[0]), "kind": "eflornithine",
                              "notes": "Started eflornithine."})


def _tests(w: _Writer, child_id: int, rng: random.Random) -> None:
    # The family changed labs twice, as families do: the first hospital printed urine
    # catecholamines in mg/L, the transplant centre in µmol/L, and the follow-up clinic
    # per gram of creatinine; blood counts moved from 10⁹/L to K/µL and cells/µL.
    for offset in range(_DIAGNOSIS + 2, -10, 35):
        progress = min(1.0, (offset - _DIAGNOSIS) / 200)
        vma = round(95 * (1 - progress) + 6 + rng.uniform(-1.5, 1.5), 1)
        hva = round(120 * (1 - progress) + 9 + rng.uniform(-2, 2), 1)
        creatinine = round(rng.uniform(0.35, 0.6), 2)
        name = "Urine catecholamines (VMA and HVA)"
        # The ranges are as a (fictional) lab might print them for this age.
        if offset < _CONSOLIDATION[0]:
            w.test(child_id, name, offset,
                   values=[("VMA", vma, "mg/L", 0.0, 8.0), ("HVA", hva, "mg/L", 0.0, 12.0),
                           ("Creatinine (urine)", creatinine, "g/L", 0.2, 2.0)])
        elif offset < _MAINTENANCE[1]:
            w.test(child_id, name, offset, place=TRANSPLANT_CENTRE,
                   values=[("VMA", round(vma * 5.046, 1), "umol/L", 0.0, 40.0),
                           ("HVA", round(hva * 5.489, 1), "umol/L", 0.0, 65.0),
                           ("Creatinine (urine)", round(creatinine * 8.84, 2), "mmol/L",
                            1.8, 17.7)])
        else:
            w.test(child_id, name, offset, place=FOLLOW_UP_CLINIC,
                   values=[("VMA", round(vma / creatinine, 1), "mg/g{creat}", 0.0, 18.0),
                           ("HVA", round(hva / creatinine, 1), "mg/g{creat}", 0.0, 25.0)])
    for offset in range(_DIAGNOSIS + 2, -10, 45):
        progress = min(1.0, (offset - _DIAGNOSIS) / 250)
        w.test(child_id, "Blood chemistry (LDH)", offset,
               values=[("LDH", round(1400 * (1 - progress) + 240 + rng.uniform(-20, 20)), "U/L",
                        120.0, 300.0)])
        w.test(child_id, "Ferritin", offset + 1,
               values=[("Ferritin", round(380 * (1 - progress) + 60 + rng.uniform(-10, 10)),
                        "ng/mL" if offset < _MAINTENANCE[1] else "ug/L", 7.0, 140.0)])
    last_count = 0
    for offset in range(_DIAGNOSIS + 5, -3, 14):
        in_treatment = _INDUCTION[0] <= offset <= _MAINTENANCE[1]
        last_count = offset
        wbc = round(rng.uniform(1.2, 4.0) if in_treatment else rng.uniform(5.0, 9.0), 1)
        anc = round(rng.uniform(0.4, 2.0) if in_treatment else rng.uniform(1.8, 5.0), 1)
        hemoglobin = round(rng.uniform(8.0, 10.5) if in_treatment
                           else rng.uniform(11.0, 13.0), 1)
        platelets = round(rng.uniform(40, 160) if in_treatment else rng.uniform(180, 400))
        if offset < _MAINTENANCE[1]:
            w.test(child_id, "Blood counts (CBC)", offset, values=[
                ("White blood cells", wbc, "10*9/L", 4.5, 13.5),
                ("Neutrophils (ANC)", anc, "10*9/L", 1.5, 8.0),
                ("Hemoglobin", hemoglobin, "g/dL", 11.5, 14.5),
                ("Platelets", platelets, "10*9/L", 150.0, 450.0)])
        else:
            w.test(child_id, "Blood counts (CBC)", offset, place=FOLLOW_UP_CLINIC, values=[
                ("White blood cells", wbc, "10*3/uL", 4.5, 13.5),
                ("Neutrophils (ANC)", round(anc * 1000), "/uL", 1500.0, 8000.0),
                ("Hemoglobin", hemoglobin, "g/dL", 11.5, 14.5),
                ("Platelets", platelets, "10*3/uL", 150.0, 450.0)])
    _imported(w, last_count)
    for offset, curie, impression in (
            (_DIAGNOSIS + 3, 14, "MIBG uptake in the left adrenal mass and in several bones."),
            (_INDUCTION[1] - 30, 4, "Less uptake than before; a few spots remain in the bones."),
            (_CONSOLIDATION[1], 1, "One small spot of uptake remains in the left femur."),
            (_MAINTENANCE[1], 0, "No MIBG uptake seen."),
            (-20, 0, "No MIBG uptake seen.")):
        w.test(child_id, "MIBG scan", offset,
               values=[("Curie score", curie, "{score}", None, None)],
               result=impression + " (fictional report)")
    for offset, text in ((_DIAGNOSIS + 1, "Left adrenal mass, 7.5 × 6 × 5 cm, with enlarged "
                          "nearby lymph nodes."),
                         (_INDUCTION[1] - 35, "The left adrenal mass is smaller, 3 × 2.5 cm."),
                         (_CONSOLIDATION[0] - 5, "After surgery: no mass seen at the left "
                          "adrenal area."),
                         (-21, "No mass seen.")):
        w.test(child_id, "CT scan", offset, result=text + " (fictional report)")
    w.test(child_id, "MRI", _DIAGNOSIS + 4, result="Spine: no spread into the spinal canal. "
           "(fictional report)")
    w.test(child_id, "Tumor biopsy", _DIAGNOSIS + 6, status="result_received",
           result="Neuroblastoma, poorly differentiated, unfavorable histology. (fictional)")
    w.test(child_id, "MYCN amplification study", _DIAGNOSIS + 12, result="MYCN amplified.")
    w.test(child_id, "ALK testing", _DIAGNOSIS + 12, result="No ALK change found in the tumor.")
    for offset in (_DIAGNOSIS + 7, _INDUCTION[1] - 25, _MAINTENANCE[1] + 5):
        w.test(child_id, "Bone marrow aspiration and biopsy", offset,
               result=("Neuroblastoma cells seen in the marrow." if offset < _INDUCTION[1] - 40
                       else "No neuroblastoma cells seen.") + " (fictional)")
    for offset in (_MAINTENANCE[0] - 10, -60):
        w.test(child_id, "Hearing test", offset, result="Some hearing loss at high pitches "
               "(fictional audiology report).")
    # What is booked ahead.
    w.test(child_id, "Urine catecholamines (VMA and HVA)", 12, status="scheduled")
    w.test(child_id, "MIBG scan", 70, status="scheduled")
    w.test(child_id, "Blood counts (CBC)", 12, status="scheduled")


_ANSWERED = (
    ("Which signs should make us call the nurse line?",
     "Fever of 38 °C or more, bleeding, or not drinking: call any time."),
    ("Can our child go to preschool between cycles?", "Ask again when the counts recover."),
    ("Who do we call at night?", "The on-call oncology number on the clinic card."),
    ("Will the central line stay in during maintenance?", "Yes, until treatment ends."),
    ("Is a flu shot for the family a good idea?", "Talk about it at the next clinic visit."),
    ("How often will scans be done after treatment?", "The team will explain the schedule."),
)


def _visits(w: _Writer, child_id: int, team: dict[str, int]) -> None:
    oncologist = team["oncologist"]
    past = list(range(_DIAGNOSIS, -5, 21))
    for index, planned in enumerate(past):
        kind = ("infusion" if _INDUCTION[0] <= planned <= _MAINTENANCE[1] and index % 3 == 1
                else "scan_day" if index % 7 == 3 else "clinic")
        offset = w.weekday(planned, index % 3)  # not every visit on the same day of the week
        visit_id = w.add("visit", {
            "child_id": child_id, "starts_at": w.at(offset, 9, 30), "kind": kind,
            "clinician": "Dr. Alex Example", "care_team_member_id": oncologist,
            "place": "Oncology clinic, Fictional Children's Hospital",
            "reason": {"clinic": "Check-up and blood counts", "infusion": "Treatment day",
                       "scan_day": "Scans"}[kind],
            "decisions": "Continue as planned; next check in three weeks." if kind == "clinic"
            else None})
        if index % 5 == 2:
            text, answer = _ANSWERED[(index // 5) % len(_ANSWERED)]
            w.add("question", {"child_id": child_id, "visit_id": visit_id, "asked": 1,
                               "text": text, "answer": answer + " (fictional answer)"})
    w.add("visit", {"child_id": child_id, "starts_at": w.at(-200, 2, 15), "kind": "emergency",
                    "place": "Emergency department", "reason": "Fever during maintenance",
                    "decisions": "Admitted for two nights for antibiotics by vein."})
    w.add("visit", {"child_id": child_id, "starts_at": w.at(-199, 8), "kind": "hospital_stay",
                    "place": "Ward 4", "reason": "Fever", "notes": "Home after two nights."})
    w.add("visit", {"child_id": child_id, "starts_at": w.at(w.weekday(12), 9, 30),
                    "kind": "follow_up",
                    "clinician": "Dr. Alex Example", "care_team_member_id": oncologist,
                    "place": "Oncology clinic, Fictional Children's Hospital",
                    "reason": "Follow-up during eflornithine, urine test results",
                    "next_appointment": "Scans in about ten weeks"})
    w.add("visit", {"child_id": child_id, "starts_at": w.at(w.weekday(70), 8), "kind": "scan_day",
                    "place": "Imaging department", "reason": "MIBG scan"})
    for text in ("How long will eflornithine be taken?",
                 "Is the hearing test due again before school starts?",
                 "Can we plan a family trip in the spring?"):
        w.add("question", {"child_id": child_id, "text": text})


_DIARY = (
    ("tiredness", None, "mild", "Napped after lunch."),
    ("fever", 38.4, "moderate", "Called the nurse line; told to come in."),
    ("nausea", None, "mild", "Better after dinner."),
    ("bone_pain", None, "mild", "Left leg in the evening."),
    ("poor_appetite", None, "mild", "Ate half of dinner."),
    ("diarrhea", None, "moderate", None),
    ("rash", None, "mild", "Dry skin on the arms."),
    ("hearing", None, "mild", "Asked us to repeat things more than usual."),
)


def _diary(w: _Writer, child_id: int, rng: random.Random) -> None:
    for offset in range(_DIAGNOSIS + 20, 0, 9):
        symptom, temperature, severity, notes = _DIARY[rng.randrange(len(_DIARY))]
        w.add("diary_entry", {"child_id": child_id, "at": w.at(offset, rng.randint(7, 21), 15),
                              "symptom": symptom, "temperature_c": temperature,
                              **_typed(temperature),
                              "severity": severity, "notes": notes})
    for offset, hour, symptom, temperature, severity, notes in (
            (-6, 19, "tiredness", None, "mild", "Tired after the playground."),
            (-4, 7, "fever", 37.9, "mild", "Checked again an hour later: 37.4 °C."),
            (-2, 20, "poor_appetite", None, "mild", None),
            (-1, 8, "other", None, "mild", None)):
        w.add("diary_entry", {"child_id": child_id, "at": w.at(offset, hour, 5),
                              "symptom": symptom, "temperature_c": temperature,
                              **_typed(temperature),
                              "severity": severity, "notes": notes,
                              "other_text": "Woke up twice in the night" if symptom == "other"
                              else None})


def _medicines(w: _Writer, child_id: int, rng: random.Random) -> None:
    eflornithine = w.add("medicine", {
        "child_id": child_id, "name": "Eflornithine", "dose": "as prescribed (tablets)",
        "frequency": "Twice a day", "dose_times": "08:00, 20:00", "start_date": w.day(_POST[0]),
        "purpose": "Post-maintenance treatment", "prescribed_by": "Dr. Alex Example"})
    vitamin = w.add("medicine", {
        "child_id": child_id, "name": "Vitamin D drops", "dose": "1 drop",
        "frequency": "Once a day", "dose_times": "09:00", "start_date": w.day(-90),
        "purpose": "Supplement", "prescribed_by": "Dr. Alex Example"})
    w.add("medicine", {
        "child_id": child_id, "name": "Isotretinoin", "dose": "as prescribed (capsules)",
        "frequency": "Twice a day, 14 days of each cycle",
        "start_date": w.day(_MAINTENANCE[0] + 10),
        "stop_date": w.day(_MAINTENANCE[1]), "purpose": "Maintenance",
        "prescribed_by": "Dr. Alex Example"})
    for offset in range(-14, 0):
        for medicine_id, hour in ((eflornithine, 8), (eflornithine, 20), (vitamin, 9)):
            skipped = rng.random() < 0.06
            w.add("dose_log", {
                "medicine_id": medicine_id, "due_at": w.at(offset, hour),
                "at": w.at(offset, hour, rng.randint(0, 40)),
                "status": "skipped" if skipped else "given",
                "reason": "Vomited just before the dose; asked the nurse line." if skipped
                else None, "created_at": w.stamp}, stamped=False)
    if w.at(0, 8, 10) <= datetime.now().strftime("%Y-%m-%dT%H:%M"):  # never a future dose
        w.add("dose_log", {"medicine_id": eflornithine, "due_at": w.at(0, 8),
                           "at": w.at(0, 8, 10), "status": "given", "created_at": w.stamp},
              stamped=False)

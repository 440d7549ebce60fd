"""From FHIR documents to plain findings: the patient(s), each result, each resource left out.

Lab Observations give a number with its unit and the lab's range (``valueQuantity``,
``referenceRange``), or a written result (a string or coded value). DiagnosticReports (and
panel Observations with ``hasMember``) group the Observations they reference — by
``Observation/id``, by a Bundle's ``urn:uuid:`` full URL, or as ``contained`` resources — into
one test. Other FHIR versions are recognised and named, never misread.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbcompanion.fhir.loinc import LOINC, LOINC_SYSTEM, TEST_KIND_SYSTEM, UCUM_SYSTEM
from nbcompanion.fhir.read import (
    Document,
    EntryStream,
    FhirFileError,
    Report,
    read_documents,
)

CATEGORY_NAMES = {
    "vital-signs": "a vital sign", "social-history": "social history", "survey": "a survey",
    "exam": "an exam finding", "activity": "an activity", "therapy": "a therapy note",
    "procedure": "a procedure", "imaging": "an imaging finding",
}
VERSION_NAMES = {"R4": "FHIR R4", "STU3": "FHIR STU3 (version 3)",
                 "DSTU2": "FHIR DSTU2 (version 2)"}


class FhirVersionError(FhirFileError):
    """The file holds FHIR of another version than R4."""

    def __init__(self, name: str, version: str) -> None:
        self.version = version
        super().__init__(
            f"{name} holds {VERSION_NAMES.get(version, version)} data. The app reads FHIR R4, "
            "the version hospitals use today. Ask the hospital's portal (or the app you "
            "downloaded it from) for an R4 or “FHIR 4” download.")


@dataclass(slots=True)
class FoundResult:
    """One result read from the file, before it is matched against a record."""

    resource_id: str | None
    source: str
    name: str
    effective: str | None = None
    day: str | None = None
    partial_date: bool = False
    loinc: str | None = None
    code_key: str = ""
    value: float | None = None
    text: str | None = None
    unit: str | None = None
    ref_low: float | None = None
    ref_high: float | None = None
    ref_text: str | None = None
    report_key: str | None = None
    report_name: str | None = None
    subject: str | None = None
    kind_hint: str | None = None
    #: Tuples, not lists: a tuple of strings is no work for Python's cycle collector, which
    #: matters with 50,000 results (see nbcompanion.ui.record.results_import).
    notes: tuple[str, ...] = ()

    @property
    def analyte(self) -> str | None:
        """The catalog result this LOINC code maps to, or None."""
        entry = LOINC.get(self.loinc or "")
        return entry.analyte if entry else None

    @property
    def test_type(self) -> str | None:
        """The catalog test kind this LOINC code maps to, or None."""
        entry = LOINC.get(self.loinc or "")
        return entry.test_type if entry else None


@dataclass
class PatientInfo:
    """Whose file it is, as the file says."""

    resource_id: str | None
    name: str | None
    birth_date: str | None


@dataclass
class Skipped:
    """A resource left out, and why (in plain words)."""

    resource_id: str | None
    resource_type: str
    source: str
    reason: str


@dataclass
class Findings:
    """Everything read from one file."""

    file_name: str
    version: str = "R4"
    patients: list[PatientInfo] = field(default_factory=list)
    results: list[FoundResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    resources: int = 0


# -- small readers of FHIR datatypes ----------------------------------------------------------
def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _coding_text(concept: Any) -> str | None:
    if not isinstance(concept, dict):
        return None
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and (coding.get("display") or coding.get("code")):
            return str(coding.get("display") or coding.get("code"))
    return None


def _codes(concept: Any) -> list[tuple[str, str]]:
    if not isinstance(concept, dict):
        return []
    return [(str(c.get("system") or ""), str(c.get("code")))
            for c in concept.get("coding") or [] if isinstance(c, dict) and c.get("code")]


def _day(moment: Any) -> tuple[str | None, bool]:
    """(YYYY-MM-DD, partial) from a FHIR date or dateTime; partial when the day is missing."""
    if not isinstance(moment, str) or len(moment) < 4 or not moment[:4].isdigit():
        return None, False
    if len(moment) >= 10:
        return moment[:10], False
    if len(moment) >= 7:
        return moment[:7] + "-01", True
    return moment[:4] + "-01-01", True


def _unit(quantity: dict[str, Any]) -> str | None:
    if quantity.get("system") == UCUM_SYSTEM and quantity.get("code"):
        return str(quantity["code"])
    return str(quantity.get("unit") or quantity.get("code") or "").strip() or None


def _local_key(reference: str) -> str:
    """"https://x/fhir/Observation/1/_history/2" → "Observation/1"."""
    parts = reference.split("/_history/")[0].rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else reference


def _resource_key(resource: dict[str, Any], full_url: str | None) -> str | None:
    kind = resource.get("resourceType")
    if resource.get("id") and isinstance(kind, str):
        return f"{kind}/{resource['id']}"
    return full_url


def _human_name(patient: dict[str, Any]) -> str | None:
    names = [n for n in patient.get("name") or [] if isinstance(n, dict)]
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else None)
    if official is None:
        return None
    if official.get("text"):
        return str(official["text"])
    parts = [*[str(g) for g in official.get("given") or []], str(official.get("family") or "")]
    return " ".join(p for p in parts if p).strip() or None


# -- versions ---------------------------------------------------------------------------------
_DSTU2_ONLY = {"DiagnosticOrder", "Order", "OrderResponse", "DeviceUseRequest",
               "MedicationOrder", "DeviceComponent"}
_STU3_ONLY = {"ProcedureRequest", "ReferralRequest", "ProcessRequest", "ProcessResponse",
              "EligibilityRequest", "EligibilityResponse", "DataElement"}


def _resource_version(resource: dict[str, Any]) -> str | None:
    kind = resource.get("resourceType")
    profiles = " ".join(str(p) for p in (resource.get("meta") or {}).get("profile") or []
                        if isinstance(p, str)).lower() if isinstance(resource.get("meta"),
                                                                       dict) else ""
    if "dstu2" in profiles or kind in _DSTU2_ONLY:
        return "DSTU2"
    if "stu3" in profiles or kind in _STU3_ONLY:
        return "STU3"
    if kind == "Observation":
        if isinstance(resource.get("category"), dict):
            return "DSTU2"
        if {"comment", "context", "related"} & resource.keys():
            return "STU3"
    elif kind == "DiagnosticReport":
        if isinstance(resource.get("performer"), dict) or "request" in resource:
            return "DSTU2"
        performers = resource.get("performer")
        if {"context", "codedDiagnosis", "image"} & resource.keys() or (
                isinstance(performers, list) and any(isinstance(p, dict) and "actor" in p
                                                     for p in performers)):
            return "STU3"
    elif kind == "Patient" and "careProvider" in resource:
        return "DSTU2"
    return None


def document_version(data: dict[str, Any]) -> str:
    """The FHIR version a document is written in: "R4", "STU3" or "DSTU2"."""
    declared = str(data.get("fhirVersion") or "")
    if declared.startswith(("1.0", "0.")):
        return "DSTU2"
    if declared.startswith("3."):
        return "STU3"
    found: str | None = _resource_version(data)
    if found is None and data.get("resourceType") == "Bundle":
        entries = data.get("entry") or []
        first = entries.peek(500) if isinstance(entries, EntryStream) else entries[:500]
        for entry in first if isinstance(first, list) else []:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict):
                found = _resource_version(resource)
                if found is not None:
                    break
    return found or "R4"


# -- reading ----------------------------------------------------------------------------------
class _Reader:
    def __init__(self, findings: Findings, report: Report | None) -> None:
        from nbcompanion.fhir.validate import Validator

        self.findings = findings
        self.report = report
        self.validator = Validator()
        self.by_key: dict[str, FoundResult] = {}
        self.groups: list[tuple[dict[str, Any], str | None, str]] = []
        self.non_lab: dict[str, Skipped] = {}

    def skip(self, resource: dict[str, Any], key: str | None, source: str, reason: str) -> None:
        self.findings.skipped.append(
            Skipped(key, str(resource.get("resourceType") or "unknown"), source, reason))

    def resources(self, document: Document) -> Iterator[tuple[dict[str, Any], str | None]]:
        data = document.data
        if data.get("resourceType") != "Bundle":
            yield data, None
            return
        entries = data.get("entry") or []
        for index, entry in enumerate(self._entries(entries)):
            if self.report is not None and index % 1000 == 0:
                if isinstance(entries, EntryStream):
                    self.report(entries.position // 1024, entries.size // 1024,
                                f"Reading resource {index:,}…")
                else:
                    self.report(index, len(entries), f"Reading resource {index:,} of "
                                                     f"{len(entries):,}…")
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                self.findings.skipped.append(Skipped(None, "unknown", document.source,
                                                     "an entry that holds no resource"))
                continue
            if resource.get("resourceType") == "Bundle":
                yield from self.resources(Document(document.source, resource))
            else:
                yield resource, entry.get("fullUrl") if isinstance(entry.get("fullUrl"),
                                                                   str) else None

    @staticmethod
    def _entries(entries: Any) -> Iterator[Any]:
        if isinstance(entries, EntryStream):
            yield from entries
        elif isinstance(entries, list):
            for index in range(len(entries)):
                entry = entries[index]
                entries[index] = None  # let each entry go once read: big files are big
                yield entry

    def read(self, document: Document) -> None:
        for resource, full_url in self.resources(document):
            self.findings.resources += 1
            kind = resource.get("resourceType")
            key = _resource_key(resource, full_url)
            if kind == "Observation":
                self.observation(resource, key, full_url, document.source)
            elif kind == "DiagnosticReport":
                reason = self.validator.check(resource)
                if reason:
                    self.skip(resource, key, document.source, f"not valid FHIR R4: {reason}")
                else:
                    self.groups.append((resource, key, document.source))
            elif kind == "Patient":
                self.patient(resource, key, document.source)
            elif isinstance(kind, str):
                self.skip(resource, key, document.source, f"not a lab result ({kind})")
            else:
                self.skip(resource, key, document.source, "not a FHIR resource (no resourceType)")

    def patient(self, resource: dict[str, Any], key: str | None, source: str) -> None:
        reason = self.validator.check(resource)
        if reason:
            self.skip(resource, key, source, f"not valid FHIR R4: {reason}")
        birth = resource.get("birthDate")
        self.findings.patients.append(PatientInfo(
            key, _human_name(resource), birth if isinstance(birth, str) else None))

    def observation(self, resource: dict[str, Any], key: str | None, full_url: str | None,
                    source: str, *, inherited_day: str | None = None) -> FoundResult | None:
        reason = self.validator.check(resource)
        if reason:
            self.skip(resource, key, source, f"not valid FHIR R4: {reason}")
            return None
        status = resource.get("status")
        if status in ("entered-in-error", "cancelled"):
            self.skip(resource, key, source, "the lab marked it " + (
                "as entered in error" if status == "entered-in-error" else "cancelled"))
            return None
        codes = _codes(resource.get("code"))
        loinc = next((c for s, c in codes if s == LOINC_SYSTEM), None)
        name = _coding_text(resource.get("code")) or loinc or "Unnamed result"
        categories = {c for concept in resource.get("category") or []
                      for _s, c in _codes(concept)}
        if categories and "laboratory" not in categories and loinc not in LOINC:
            what = next((CATEGORY_NAMES[c] for c in sorted(categories) if c in CATEGORY_NAMES),
                        "not a lab result")
            self.skip(resource, key, source, f"{what} ({name}), not a lab result")
            return None
        found = FoundResult(key, source, name, loinc=loinc,
                            code_key=f"{LOINC_SYSTEM}|{loinc}" if loinc else
                            (f"{codes[0][0]}|{codes[0][1]}" if codes else f"text|{name}"))
        found.kind_hint = next((c for s, c in codes if s == TEST_KIND_SYSTEM), None)
        subject = resource.get("subject")
        if isinstance(subject, dict) and isinstance(subject.get("reference"), str):
            found.subject = subject["reference"]
        self._when(found, resource, inherited_day)
        if not self._value(found, resource):
            if resource.get("hasMember"):
                self.groups.append((resource, key, source))
                return None
            absent = _coding_text(resource.get("dataAbsentReason"))
            self.skip(resource, key, source, "the lab gave no value" +
                      (f" ({absent})" if absent else ""))
            return None
        self._range(found, resource.get("referenceRange"))
        if status == "preliminary":
            found.notes += ("Preliminary result: the lab may still change it.",)
        self.findings.results.append(found)
        for alias in {key, full_url, _local_key(full_url) if full_url else None}:
            if alias:
                self.by_key[alias] = found
        return found

    @staticmethod
    def _when(found: FoundResult, resource: dict[str, Any], inherited: str | None) -> None:
        period = resource.get("effectivePeriod")
        moment = (resource.get("effectiveDateTime") or resource.get("effectiveInstant")
                  or (period.get("start") or period.get("end") if isinstance(period, dict)
                      else None) or resource.get("issued"))
        found.effective = moment if isinstance(moment, str) else None
        found.day, found.partial_date = _day(moment)
        if found.day is None and inherited:
            found.day = inherited
        if found.partial_date:
            found.notes += (f"The file gives only “{moment}”, without a day: check the "
                            "date before adding it.",)
        elif found.day is None:
            found.notes += ("The file gives no date for this result.",)

    @staticmethod
    def _value(found: FoundResult, resource: dict[str, Any]) -> bool:
        quantity = resource.get("valueQuantity")
        if isinstance(quantity, dict) and _number(quantity.get("value")) is not None:
            number = _number(quantity.get("value"))
            unit = _unit(quantity)
            comparator = quantity.get("comparator")
            if comparator:  # "< 0.5" is not the number 0.5: keep it as written
                found.text = f"{comparator} {quantity.get('value')} {unit or ''}".strip()
            else:
                found.value, found.unit = number, unit
                if unit is None:
                    found.notes += ("The file gives no unit for this value.",)
            return True
        for key in ("valueInteger", "valueDecimal"):
            if _number(resource.get(key)) is not None:
                found.value = _number(resource.get(key))
                found.notes += ("The file gives no unit for this value.",)
                return True
        if isinstance(resource.get("valueString"), str) and resource["valueString"].strip():
            found.text = resource["valueString"].strip()
            return True
        if isinstance(resource.get("valueCodeableConcept"), dict):
            found.text = _coding_text(resource["valueCodeableConcept"])
            return found.text is not None
        if isinstance(resource.get("valueBoolean"), bool):
            found.text = "Yes" if resource["valueBoolean"] else "No"
            return True
        for key in ("valueRange", "valueRatio"):
            value = resource.get(key)
            if isinstance(value, dict):
                low = value.get("low") or value.get("numerator") or {}
                high = value.get("high") or value.get("denominator") or {}
                joint = "–" if key == "valueRange" else ":"
                found.text = f"{low.get('value', '')}{joint}{high.get('value', '')} " \
                             f"{_unit(low) or ''}".strip()
                return True
        return False

    @staticmethod
    def _range(found: FoundResult, ranges: Any) -> None:
        if not isinstance(ranges, list) or not ranges:
            return
        first = ranges[0] if isinstance(ranges[0], dict) else {}
        low, high = first.get("low"), first.get("high")
        found.ref_low = _number(low.get("value")) if isinstance(low, dict) else None
        found.ref_high = _number(high.get("value")) if isinstance(high, dict) else None
        found.ref_text = str(first["text"]) if first.get("text") else None
        if len(ranges) > 1:
            found.notes += ("The lab gave more than one range; the first is shown.",)

    def finish_groups(self) -> None:
        """Give each report's (or panel's) results the report's name and date."""
        for resource, key, source in self.groups:
            name = _coding_text(resource.get("code")) or "Report"
            group_key = key or f"{source}#{id(resource)}"
            day, _partial = _day(resource.get("effectiveDateTime") or resource.get("issued")
                                 or (resource.get("effectivePeriod") or {}).get("start"))
            contained = {str(c.get("id")): c for c in resource.get("contained") or []
                         if isinstance(c, dict) and c.get("resourceType") == "Observation"}
            members: list[FoundResult] = []
            for local_id, observation in contained.items():
                found = self.observation(observation, f"{key or source}#{local_id}", None,
                                         source, inherited_day=day)
                if found is not None:
                    members.append(found)
            for reference in [*(resource.get("result") or []),
                              *(resource.get("hasMember") or [])]:
                target = reference.get("reference") if isinstance(reference, dict) else None
                if not isinstance(target, str) or target.startswith("#"):
                    continue
                found = self.by_key.get(target) or self.by_key.get(_local_key(target))
                if found is not None and found not in members:
                    members.append(found)
            for found in members:
                if found.report_key is None:
                    found.report_key, found.report_name = group_key, name
                if found.day is None and day:
                    found.day = day
                    found.notes = tuple(n for n in found.notes if "no date" not in n)


def read_findings(path: Path | str, report: Report | None = None) -> Findings:
    """Read a FHIR file into :class:`Findings`.

    Raises :class:`FhirFileError` (or :class:`FhirVersionError`) with a plain message when
    the file cannot be read as FHIR R4 at all; resources that fail validation are skipped,
    each with its reason.
    """
    # Reading makes hundreds of thousands of small objects and no reference cycles; the
    # cycle collector would walk them all again and again, holding up the window meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_findings(Path(path), report)
    finally:
        if collecting:
            gc.enable()


def _read_findings(path: Path, report: Report | None) -> Findings:
    findings = Findings(path.name)
    reader: _Reader | None = None
    other_versions: dict[str, int] = {}
    documents = 0
    for document in read_documents(path, report):
        documents += 1
        if not isinstance(document.data.get("resourceType"), str):
            findings.skipped.append(Skipped(None, "unknown", document.source,
                                            "JSON data that is not a FHIR resource"))
            continue
        version = document_version(document.data)
        if version != "R4":
            other_versions[version] = other_versions.get(version, 0) + 1
            findings.skipped.append(Skipped(
                _resource_key(document.data, None), str(document.data["resourceType"]),
                document.source, f"written in {VERSION_NAMES[version]}; the app reads FHIR R4"))
            continue
        if reader is None:
            reader = _Reader(findings, report)
        reader.read(document)
    if reader is not None:
        reader.finish_groups()
        findings.results.sort(key=lambda r: (r.day or "", r.report_key or "", r.name))
    if reader is None or findings.resources == 0:
        if other_versions:
            raise FhirVersionError(path.name, max(other_versions, key=other_versions.__getitem__))
        if findings.skipped and all(s.resource_type == "unknown" for s in findings.skipped):
            raise FhirFileError(f"{path.name} holds JSON data, but not FHIR resources.")
        raise FhirFileError(f"{path.name} holds no FHIR resources: the bundle is empty, so "
                            "there are no results to bring in.")
    return findings

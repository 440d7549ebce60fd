"""Reading FHIR files (written here after the spec's own examples) into findings; the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nbcompanion.fhir import read
from nbcompanion.fhir.extract import FhirVersionError, document_version, read_findings
from nbcompanion.fhir.inspect import inspect
from nbcompanion.fhir.loinc import LOINC
from nbcompanion.fhir.read import FhirFileError
from nbcompanion.record.catalog import BUILTIN_TEST_TYPES

FILES = Path(__file__).parent / "fixtures" / "fhir"


def by_name(findings: object) -> dict[str, object]:
    return {r.name: r for r in findings.results}  # type: ignore[attr-defined]


def test_cbc_report_with_contained_observations_is_one_report() -> None:
    findings = read_findings(FILES / "cbc-report.json")
    assert findings.version == "R4"
    assert len(findings.results) == 5
    assert {r.report_name for r in findings.results} == {"Complete Blood Count"}
    assert {r.report_key for r in findings.results} == {"DiagnosticReport/cbc"}
    hemoglobin = by_name(findings)["Haemoglobin"]
    assert (hemoglobin.loinc, hemoglobin.analyte, hemoglobin.value, hemoglobin.unit) == (
        "718-7", "Hemoglobin", 10.4, "g/dL")
    assert (hemoglobin.ref_low, hemoglobin.ref_high) == (11.5, 15.5)
    assert hemoglobin.day == "2024-03-05"  # from the report: contained results have no date
    assert hemoglobin.resource_id == "DiagnosticReport/cbc#r1"
    platelets = by_name(findings)["Platelets"]
    assert (platelets.unit, platelets.analyte, platelets.test_type) == (
        "10*9/L", "Platelets", "Blood counts (CBC)")
    mcv = by_name(findings)["Mean Cell Volume"]
    assert (mcv.ref_low, mcv.ref_high, mcv.ref_text) == (None, None, "80-100 fL")


def test_mixed_bundle_labs_vitals_patient_and_quirks() -> None:
    findings = read_findings(FILES / "mixed-bundle.json")
    assert [(p.name, p.birth_date) for p in findings.patients] == [
        ("Mia Rose Example", "2019-06-14")]
    results = by_name(findings)
    # urn:uuid: references group the chemistry report.
    assert {n for n, r in results.items() if r.report_name == "Chemistry"} == {
        "LDH", "Sodium"} | ({"Ferritin"} if results["Ferritin"].report_name else set())
    assert results["Sodium"].analyte is None  # a code the catalog does not know
    assert results["Sodium"].loinc == "2951-2"
    assert results["Blood culture"].text == "No growth after 5 days"
    assert results["CRP"].value is None
    assert results["CRP"].text == "< 0.5 mg/dL"
    assert results["VMA/Creatinine"].day == "2024-03-11"  # effectivePeriod.start
    assert results["VMA/Creatinine"].ref_text.startswith("under 18")
    assert results["HVA/Creatinine"].day == "2024-03-12"  # only issued
    assert results["HVA/Creatinine"].unit == "mg/g creat"  # no UCUM code: the unit text
    reasons = {s.resource_id: s.reason for s in findings.skipped}
    assert "vital sign" in reasons["Observation/weight"]
    assert "vital sign" in reasons["Observation/temp"]
    assert "not a lab result" in reasons["Condition/nb"]


def test_dates_without_a_day_and_values_without_units_are_reviewable() -> None:
    findings = read_findings(FILES / "mixed-bundle.json")
    old = next(r for r in findings.results if r.resource_id == "Observation/ferr-old")
    assert (old.day, old.partial_date) == ("2023-11-01", True)
    assert "without a day" in old.notes[0]
    bare = next(r for r in findings.results if r.resource_id == "Observation/ldh-nounit")
    assert (bare.value, bare.unit) == (530.0, None)
    assert "no unit" in bare.notes[0]


def test_ndjson_one_resource_a_line() -> None:
    findings = read_findings(FILES / "observations.ndjson")
    assert len(findings.results) == 6
    assert {r.day for r in findings.results} == {"2024-04-01", "2024-04-03", "2024-04-05"}
    assert {r.source for r in findings.results} >= {"observations.ndjson line 1"}


def test_malformed_resources_are_skipped_with_their_reason() -> None:
    findings = read_findings(FILES / "malformed-bundle.json")
    assert [r.resource_id for r in findings.results] == ["Observation/good"]
    reasons = {s.resource_id: s.reason for s in findings.skipped}
    assert reasons["Observation/nocode"] == "not valid FHIR R4: code: Field required"
    assert "valueQuantity.value" in reasons["Observation/badvalue"]
    assert "multiple" in reasons["Observation/twovalues"]
    assert "effectiveDateTime" in reasons["Observation/baddate"]
    assert "colour" in reasons["Observation/unknownfield"]
    assert reasons["Observation/novalue"] == "the lab gave no value (Sample clotted)"
    assert "entered in error" in reasons["Observation/err"]
    assert sum(1 for s in findings.skipped if s.resource_id is None) == 2


def test_validation_shortcut_agrees_with_the_full_model() -> None:
    """The skeleton check gives the verdict the full R4 model gives, resource by resource."""
    from fhir.resources.R4B.observation import Observation

    from nbcompanion.fhir.validate import Validator

    validator = Validator()
    bundle = json.loads((FILES / "malformed-bundle.json").read_text(encoding="utf-8"))
    mixed = json.loads((FILES / "mixed-bundle.json").read_text(encoding="utf-8"))
    resources = [e["resource"] for e in bundle["entry"] + mixed["entry"]
                 if isinstance(e["resource"], dict)
                 and e["resource"].get("resourceType") == "Observation"]
    variants = [*resources, *[{**r, "id": "bad id!"} for r in resources[:3]],
                *[{**r, "issued": "2024-02-30T00:00:00Z"} for r in resources[:3]]]
    for resource in variants * 2:  # twice: the second time from the remembered verdicts
        try:
            Observation.model_validate(resource)
            expected = True
        except Exception:
            expected = False
        assert (validator.check(resource) is None) == expected, resource


@pytest.mark.parametrize(("name", "version"), [("stu3-bundle.json", "STU3"),
                                               ("dstu2-observation.json", "DSTU2")])
def test_other_fhir_versions_get_a_clear_message(name: str, version: str) -> None:
    with pytest.raises(FhirVersionError, match=f"FHIR {version}.*reads FHIR R4") as caught:
        read_findings(FILES / name)
    assert caught.value.version == version


def test_declared_fhir_version_is_believed() -> None:
    assert document_version({"resourceType": "Bundle", "fhirVersion": "3.0.2"}) == "STU3"
    assert document_version({"resourceType": "Observation"}) == "R4"


@pytest.mark.parametrize(("content", "message"), [
    (b"Hello, this is a letter", "not a FHIR results file"),
    (b"<Bundle xmlns=\"http://hl7.org/fhir\"/>", "XML file"),
    (b'{"name": "just json"}', "not FHIR resources"),
    (b"[1, 2, 3]", "not FHIR resources"),
    (b'{"resourceType": "Bundle", "type": "searchset", "total": 0}', "bundle is empty"),
    (b"", "empty"),
    (b"\xff\xfe\x00garbage", "not a FHIR results file"),
])
def test_bad_input_gets_a_plain_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "download.json"
    path.write_bytes(content)
    with pytest.raises(FhirFileError, match=message):
        read_findings(path)


def test_a_file_too_big_to_read_at_once_is_refused_before_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_JSON_BYTES", 1000)
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"resourceType": "Bundle", "entry": []' + b" " * 2000 + b"}")
    with pytest.raises(FhirFileError, match="larger than"):
        read_findings(path)


def _apple_zip(path: Path, with_records: bool = True) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("apple_health_export/export.xml", "<HealthData/>")
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        if with_records:
            archive.write(FILES / "cbc-report.json",
                          "apple_health_export/clinical-records/DiagnosticReport-cbc.json")
            bundle = json.loads((FILES / "mixed-bundle.json").read_text(encoding="utf-8"))
            for number, entry in enumerate(bundle["entry"]):
                kind = entry["resource"]["resourceType"]
                archive.writestr(f"apple_health_export/clinical-records/{kind}-{number}.json",
                                 json.dumps(entry["resource"]))
            archive.write(FILES / "dstu2-observation.json",
                          "apple_health_export/clinical-records/Observation-old.json")
        archive.writestr("apple_health_export/workout-routes/route.json", '{"not": "fhir"}')


def test_apple_health_zip_reads_only_clinical_records(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    _apple_zip(path)
    findings = read_findings(path)
    assert len(findings.results) == 5 + 9
    assert {r.source for r in findings.results} >= {"DiagnosticReport-cbc.json"}
    assert not any("route" in s.source for s in findings.skipped)
    old = [s for s in findings.skipped if s.source == "Observation-old.json"]
    assert old
    assert "DSTU2" in old[0].reason


def test_zip_without_clinical_records(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    _apple_zip(path, with_records=False)
    with pytest.raises(FhirFileError, match="clinical-records"):
        read_findings(path)


def test_damaged_zip(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(b"PK\x03\x04 then nothing useful")
    with pytest.raises(FhirFileError, match="damaged zip"):
        read_findings(path)


def test_every_loinc_entry_names_a_catalog_test() -> None:
    names = {t.name for t in BUILTIN_TEST_TYPES}
    for code, entry in LOINC.items():
        assert entry.code == code
        assert entry.test_type in names
        assert "[" in entry.long_name or "Body" in entry.long_name, code
        number, check = code.split("-")
        assert number.isdigit()
        assert check.isdigit()
        assert len(check) == 1


def test_loinc_codes_carry_valid_check_digits() -> None:
    """LOINC's mod-10 check digit catches a mistyped code."""
    def check_digit(number: str) -> int:
        digits = [int(d) for d in number]
        total = 0
        for position, digit in enumerate(reversed(digits)):
            if position % 2 == 0:
                doubled = digit * 2
                total += doubled // 10 + doubled % 10
            else:
                total += digit
        return (10 - total % 10) % 10

    for code in LOINC:
        number, check = code.split("-")
        assert check_digit(number) == int(check), code


def test_inspect_prints_json_and_touches_nothing() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert inspect(FILES / "cbc-report.json", out, err) == 0
    report = json.loads(out.getvalue())
    assert report["fhir_version"] == "R4"
    first = report["results"][0]
    assert set(first) >= {"date", "loinc", "analyte", "value", "unit", "range", "resource_id"}
    assert err.getvalue() == ""


def test_inspect_exit_code_2_with_a_message() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert inspect(FILES / "stu3-bundle.json", out, err) == 2
    assert "STU3" in err.getvalue()
    assert out.getvalue() == ""


def test_command_line_inspect_opens_no_window(tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(Path(__file__).parent.parent / "src"), "HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    code = ("import sys, nbcompanion.app as app\n"
            "rc = app.main(['--inspect-results', sys.argv[1]])\n"
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was loaded'\n"
            "sys.exit(rc)\n")
    done = subprocess.run([sys.executable, "-c", code, str(FILES / "mixed-bundle.json")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    sodium = next(r for r in report["results"] if r["loinc"] == "2951-2")
    assert sodium["analyte"] is None
    assert sodium["value"] == 138.0
    assert sodium["unit"] == "mmol/L"
    assert report["patients"] == [{"name": "Mia Rose Example", "birth_date": "2019-06-14",
                                   "resource_id": "Patient/mia"}]
    bad = subprocess.run([sys.executable, "-c", code, str(tmp_path / "missing.json")],
                         capture_output=True, text=True, env=env, timeout=120, check=False)
    assert bad.returncode == 2
    assert "could not be opened" in bad.stderr
    assert not list(tmp_path.rglob("*.sqlite3"))  # no record made or touched


def test_big_bundles_are_read_entry_by_entry_with_the_same_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read_findings(FILES / "mixed-bundle.json")
    monkeypatch.setattr(read, "STREAM_FROM_BYTES", 10)
    streamed = read_findings(FILES / "mixed-bundle.json")
    assert [(r.resource_id, r.value, r.report_name) for r in streamed.results] == [
        (r.resource_id, r.value, r.report_name) for r in whole.results]
    assert [s.reason for s in streamed.skipped] == [s.reason for s in whole.skipped]
    assert read_findings(FILES / "cbc-report.json").results
    with pytest.raises(FhirVersionError):
        read_findings(FILES / "stu3-bundle.json")
    damaged = tmp_path / "damaged.json"
    text = (FILES / "mixed-bundle.json").read_text(encoding="utf-8")
    damaged.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(FhirFileError, match="damaged"):
        read_findings(damaged)


@pytest.mark.parametrize("kind", ["collection", "searchset", "document", "transaction"])
def test_every_bundle_type_gives_the_same_results(tmp_path: Path, kind: str) -> None:
    bundle = json.loads((FILES / "mixed-bundle.json").read_text(encoding="utf-8"))
    bundle["type"] = kind
    if kind == "document":  # a document starts with its Composition
        bundle["entry"].insert(0, {"fullUrl": "urn:uuid:0c3a1d7e-0000-4000-8000-000000000001",
                                   "resource": {"resourceType": "Composition", "id": "doc",
                                                "status": "final", "type": {"text": "Labs"},
                                                "date": "2024-03-13", "title": "Results",
                                                "author": [{"display": "Lab"}]}})
    if kind == "transaction":
        for entry in bundle["entry"]:
            entry["request"] = {"method": "POST", "url": entry["resource"]["resourceType"]}
    if kind == "searchset":
        bundle["entry"].append({"resource": {"resourceType": "OperationOutcome", "issue": [
            {"severity": "information", "code": "informational"}]},
            "search": {"mode": "outcome"}})
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    findings = read_findings(path)
    expected = read_findings(FILES / "mixed-bundle.json")
    assert [(r.resource_id, r.value, r.text, r.report_name) for r in findings.results] == [
        (r.resource_id, r.value, r.text, r.report_name) for r in expected.results]
    extra = {"document": "Composition", "searchset": "OperationOutcome"}.get(kind)
    if extra:
        assert any(s.resource_type == extra for s in findings.skipped)

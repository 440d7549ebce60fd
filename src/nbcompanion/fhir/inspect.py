"""``nbcompanion --inspect-results FILE``: what a FHIR file holds, as JSON, touching no record."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from nbcompanion.fhir.extract import Findings, read_findings
from nbcompanion.fhir.read import FhirFileError


def findings_json(findings: Findings) -> dict[str, Any]:
    """What the review would show, as plain JSON-ready data."""
    return {
        "file": findings.file_name,
        "fhir_version": findings.version,
        "patients": [{"name": p.name, "birth_date": p.birth_date, "resource_id": p.resource_id}
                     for p in findings.patients],
        "results": [{
            "date": r.effective, "day": r.day, "date_without_day": r.partial_date,
            "loinc": r.loinc, "name": r.name, "analyte": r.analyte, "test": r.test_type,
            "value": r.value, "text": r.text, "unit": r.unit,
            "range": {"low": r.ref_low, "high": r.ref_high, "text": r.ref_text},
            "report": r.report_name, "resource_id": r.resource_id, "source": r.source,
            "notes": r.notes,
        } for r in findings.results],
        "skipped": [{"resource_type": s.resource_type, "resource_id": s.resource_id,
                     "source": s.source, "reason": s.reason} for s in findings.skipped],
    }


def inspect(path: Path | str, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the findings of ``path`` as JSON; 0 when read, 2 with a message otherwise."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        findings = read_findings(path)
    except FhirFileError as error:
        print(str(error), file=err)
        return 2
    except MemoryError:
        print(f"{Path(path).name} is too large to read on this computer.", file=err)
        return 2
    json.dump(findings_json(findings), out, ensure_ascii=False, indent=1)
    out.write("\n")
    return 0

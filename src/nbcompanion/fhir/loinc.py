"""LOINC codes the app recognises, as data: code → LOINC long name → the record's test and result.

Each code's long name was checked against LOINC's published table (Long Common Name). The
test names are those of the built-in catalog (:mod:`nbcompanion.record.catalog`); the result
names are the catalog's analytes where the catalog has one, else the lab's usual short name,
kept under the same test. A code that is not here keeps the lab's own display name and the
family chooses which test it belongs to (see :mod:`nbcompanion.fhir.review`).
"""

from __future__ import annotations

from typing import NamedTuple

LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
#: The app's own code system for its kinds of test (an identifier, never fetched): written
#: on export beside LOINC so that a Bundle brought back keeps each value under its test.
TEST_KIND_SYSTEM = "urn:nbcompanion:test-kind"

CBC = "Blood counts (CBC)"
CATECHOLAMINES = "Urine catecholamines (VMA and HVA)"
LDH = "Blood chemistry (LDH)"
FERRITIN = "Ferritin"


class LoincEntry(NamedTuple):
    """One LOINC code: its long name, the record's test kind and result name."""

    code: str
    long_name: str
    test_type: str
    analyte: str


_ENTRIES = (
    # Blood counts
    LoincEntry("6690-2", "Leukocytes [#/volume] in Blood by Automated count", CBC,
               "White blood cells"),
    LoincEntry("26464-8", "Leukocytes [#/volume] in Blood", CBC, "White blood cells"),
    LoincEntry("751-8", "Neutrophils [#/volume] in Blood by Automated count", CBC,
               "Neutrophils (ANC)"),
    LoincEntry("753-4", "Neutrophils [#/volume] in Blood by Manual count", CBC,
               "Neutrophils (ANC)"),
    LoincEntry("26499-4", "Neutrophils [#/volume] in Blood", CBC, "Neutrophils (ANC)"),
    LoincEntry("718-7", "Hemoglobin [Mass/volume] in Blood", CBC, "Hemoglobin"),
    LoincEntry("777-3", "Platelets [#/volume] in Blood by Automated count", CBC, "Platelets"),
    LoincEntry("26515-7", "Platelets [#/volume] in Blood", CBC, "Platelets"),
    LoincEntry("789-8", "Erythrocytes [#/volume] in Blood by Automated count", CBC,
               "Red blood cells"),
    LoincEntry("4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count", CBC,
               "Hematocrit"),
    LoincEntry("787-2", "MCV [Entitic mean volume] in Red Blood Cells by Automated count", CBC,
               "MCV"),
    LoincEntry("731-0", "Lymphocytes [#/volume] in Blood by Automated count", CBC,
               "Lymphocytes"),
    # Blood chemistry
    LoincEntry("2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma",
               LDH, "LDH"),
    LoincEntry("14804-9", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma "
               "by Lactate to pyruvate reaction", LDH, "LDH"),
    LoincEntry("2276-4", "Ferritin [Mass/volume] in Serum or Plasma", FERRITIN, "Ferritin"),
    # Urine catecholamines
    LoincEntry("3124-5", "Vanillylmandelate/Creatinine [Mass Ratio] in Urine", CATECHOLAMINES,
               "VMA"),
    LoincEntry("14948-4", "Vanillylmandelate/Creatinine [Molar ratio] in Urine",
               CATECHOLAMINES, "VMA"),
    LoincEntry("30571-4", "Vanillylmandelate/Creatinine [Mass Ratio] in 24 hour Urine",
               CATECHOLAMINES, "VMA"),
    LoincEntry("26706-2", "Vanillylmandelate [Mass/volume] in 24 hour Urine", CATECHOLAMINES,
               "VMA"),
    LoincEntry("3122-9", "Vanillylmandelate [Mass/time] in 24 hour Urine", CATECHOLAMINES,
               "VMA"),
    LoincEntry("11146-8", "Homovanillate/Creatinine [Mass Ratio] in Urine", CATECHOLAMINES,
               "HVA"),
    LoincEntry("22708-2", "Homovanillate/Creatinine [Molar ratio] in Urine", CATECHOLAMINES,
               "HVA"),
    LoincEntry("13760-4", "Homovanillate/Creatinine [Mass Ratio] in 24 hour Urine",
               CATECHOLAMINES, "HVA"),
    LoincEntry("53595-5", "Homovanillate [Mass/volume] in 24 hour Urine", CATECHOLAMINES,
               "HVA"),
    LoincEntry("2436-4", "Homovanillate [Mass/time] in 24 hour Urine", CATECHOLAMINES, "HVA"),
    LoincEntry("2161-8", "Creatinine [Mass/volume] in Urine", CATECHOLAMINES,
               "Creatinine (urine)"),
)

#: LOINC code → entry.
LOINC: dict[str, LoincEntry] = {entry.code: entry for entry in _ENTRIES}

#: (test type, analyte) → the LOINC code written on export (the first, most general code).
EXPORT_CODES: dict[tuple[str, str], LoincEntry] = {}
for _entry in _ENTRIES:
    EXPORT_CODES.setdefault((_entry.test_type, _entry.analyte), _entry)

#: Units as families type them → the UCUM code (valid UCUM codes map to themselves).
UCUM_CODES: dict[str, str] = {
    **{code: code for code in (
        "10*9/L", "10*12/L", "10*3/uL", "10*6/uL", "/uL", "g/dL", "g/L", "mg/dL", "mg/L",
        "umol/L", "mmol/L", "U/L", "ng/mL", "ug/L", "pmol/L", "%", "fL", "pg", "mg/g{creat}",
        "mmol/mol{creat}", "umol/mmol{creat}", "mg/(24.h)", "Cel", "[degF]", "kg", "cm")},
    "10^9/L": "10*9/L", "10^12/L": "10*12/L", "10^3/uL": "10*3/uL", "K/uL": "10*3/uL",
    "µmol/L": "umol/L", "μmol/L": "umol/L", "µg/L": "ug/L", "mg/g creatinine": "mg/g{creat}",
    "°C": "Cel", "°F": "[degF]",
}


#: How a few UCUM codes read to a person (the record stores the code itself).
_UCUM_SHOWN = {
    "10*9/L": "10⁹/L", "10*12/L": "10¹²/L", "10*3/uL": "10³/µL", "10*6/uL": "10⁶/µL",
    "/uL": "/µL", "umol/L": "µmol/L", "ug/L": "µg/L", "mg/g{creat}": "mg/g creatinine",
    "mmol/mol{creat}": "mmol/mol creatinine", "umol/mmol{creat}": "µmol/mmol creatinine",
    "mg/(24.h)": "mg/24 h", "Cel": "°C", "[degF]": "°F",
}


def unit_shown(unit: str | None) -> str:
    """A unit as a person reads it: ``10*9/L`` → ``10⁹/L``; other text unchanged."""
    return _UCUM_SHOWN.get(unit or "", unit or "")


def ucum_code(unit: str | None) -> str | None:
    """The UCUM code for a unit as stored, or None when the app cannot vouch for one."""
    if not unit:
        return None
    known = UCUM_CODES.get(unit.strip())
    if known is not None:
        return known
    # Units are stored as UCUM codes since the units migration: the record's unit module
    # vouches for them (and reads the spellings labs print).
    from nbcompanion.record import units

    try:
        return units.parse_unit(unit)
    except units.UnitError:
        return None


def same_unit(first: str | None, second: str | None) -> bool:
    """Whether two unit spellings name the same unit (``10^9/L`` and ``10*9/L``)."""
    if not first or not second:
        return not first and not second
    a, b = first.strip(), second.strip()
    return a == b or (ucum_code(a) or a) == (ucum_code(b) or b)

"""The built-in test catalog: the tests the PDQ summary names, plus blood counts and hearing.

Each type lists its numeric results (*analytes*). Units are UCUM codes (the standard lab
systems and FHIR use); for each analyte the catalog also keeps, as data, what no unit
library knows: the units labs actually print (the usual ones first), the canonical unit its
values are compared in, the molar mass a mass ↔ amount conversion needs, and a plausibility
window per unit family in canonical units (values outside are not refused, only questioned).
Reference ranges are left empty on purpose: they depend on the lab and the child's age, so
the family copies the lab's range from the report beside each value.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Analyte:
    """One numeric result a test reports.

    ``unit`` is the UCUM code offered first; ``usual_units`` every unit labs print for it;
    ``canonical`` the unit values are compared in (and ``ratio_canonical`` for values per
    creatinine); ``molar_mass`` in g/mol; ``plausible`` maps a family's canonical unit to
    the (low, high) window outside which a value is far from anything measured.
    """

    name: str
    unit: str
    usual_units: tuple[str, ...] = ()
    canonical: str | None = None
    ratio_canonical: str | None = None
    molar_mass: float | None = None
    plausible: dict[str, tuple[float, float]] = field(default_factory=dict, compare=False)

    def units(self) -> tuple[str, ...]:
        """The units to offer, the usual first (``unit`` when none are listed)."""
        return self.usual_units or (self.unit,)


#: Molar masses (g/mol) of the substances ratios are "per": the annotation names them.
#: Creatinine C4H7N3O.
DENOMINATOR_MOLAR_MASS: dict[str, float] = {"creat": 113.12}

#: Units whose values are whole numbers of cells: "1,200 cells/µL" can only be 1200.
WHOLE_COUNT_UNITS: frozenset[str] = frozenset({"/uL", "/mm3", "/L"})

#: Free-text spellings families and older records use, mapped to UCUM codes. Only
#: spellings: conversions come from the unit library, never from this table.
UNIT_SPELLINGS: dict[str, str] = {
    "10^9/l": "10*9/L", "x10^9/l": "10*9/L", "×10^9/l": "10*9/L", "10⁹/l": "10*9/L",
    "x 10^9/l": "10*9/L", "g/l": "g/L", "10^12/l": "10*12/L", "10¹²/l": "10*12/L",
    "10^3/ul": "10*3/uL", "10^3/µl": "10*3/uL", "10³/µl": "10*3/uL", "k/ul": "10*3/uL",
    "k/µl": "10*3/uL", "x10^3/ul": "10*3/uL", "thou/ul": "10*3/uL", "10*3/µl": "10*3/uL",
    "cells/ul": "/uL", "cells/µl": "/uL", "/µl": "/uL", "cells/mm3": "/mm3", "/mm³": "/mm3",
    "mg/l": "mg/L", "mg/dl": "mg/dL", "g/dl": "g/dL", "µg/l": "ug/L", "mcg/l": "ug/L",
    "ug/l": "ug/L", "ng/ml": "ng/mL", "µmol/l": "umol/L", "umol/l": "umol/L",
    "mmol/l": "mmol/L", "pmol/l": "pmol/L", "nmol/l": "nmol/L", "u/l": "U/L", "iu/l": "U/L",
    "µkat/l": "ukat/L", "ukat/l": "ukat/L",
    "mg/g creatinine": "mg/g{creat}", "mg/g creat": "mg/g{creat}", "mg/g cr": "mg/g{creat}",
    "mg/gcr": "mg/g{creat}", "mg/g{creatinine}": "mg/g{creat}",
    "mmol/mol creatinine": "mmol/mol{creat}", "mmol/mol creat": "mmol/mol{creat}",
    "mmol/mol cr": "mmol/mol{creat}", "µmol/mmol creatinine": "umol/mmol{creat}",
    "umol/mmol creatinine": "umol/mmol{creat}", "µmol/mmol creat": "umol/mmol{creat}",
    "µg/mg creatinine": "ug/mg{creat}", "ug/mg creatinine": "ug/mg{creat}",
    "points": "{score}", "point": "{score}", "score": "{score}",
    "°c": "Cel", "c": "Cel", "deg c": "Cel", "°f": "[degF]", "f": "[degF]", "deg f": "[degF]",
    "db": "dB", "db hl": "dB", "%": "%",
}

_COUNT_UNITS = ("10*9/L", "10*3/uL", "/uL")
_VMA_UNITS = ("mg/L", "umol/L", "mg/g{creat}", "mmol/mol{creat}", "umol/mmol{creat}")

BUILTIN_ANALYTES: dict[str, Analyte] = {a.name: a for a in (
    # Windows are wide on purpose: they catch a slipped unit or decimal, not an abnormal result.
    Analyte("VMA", "mg/L", _VMA_UNITS, "umol/L", "mmol/mol{creat}", 198.17,
            {"umol/L": (0.0, 20_000.0), "mmol/mol{creat}": (0.0, 10_000.0)}),
    Analyte("HVA", "mg/L", _VMA_UNITS, "umol/L", "mmol/mol{creat}", 182.17,
            {"umol/L": (0.0, 20_000.0), "mmol/mol{creat}": (0.0, 10_000.0)}),
    Analyte("Creatinine (urine)", "g/L", ("g/L", "mg/dL", "mmol/L", "umol/L"), "mmol/L", None,
            113.12, {"mmol/L": (0.05, 60.0)}),
    Analyte("LDH", "U/L", ("U/L", "ukat/L"), "U/L", None, None, {"U/L": (10.0, 50_000.0)}),
    Analyte("Ferritin", "ng/mL", ("ng/mL", "ug/L", "pmol/L"), "ug/L", None, 445_000.0,
            {"ug/L": (0.5, 200_000.0)}),
    Analyte("White blood cells", "10*9/L", _COUNT_UNITS, "10*9/L", None, None,
            {"10*9/L": (0.0, 500.0)}),
    Analyte("Neutrophils (ANC)", "10*9/L", _COUNT_UNITS, "10*9/L", None, None,
            {"10*9/L": (0.0, 100.0)}),
    # Hemoglobin as the monomer (16 114.5 g/mol): 1 g/dL = 0.6206 mmol/L.
    Analyte("Hemoglobin", "g/dL", ("g/dL", "g/L", "mmol/L"), "g/dL", None, 16_114.5,
            {"g/dL": (1.5, 26.0)}),
    Analyte("Platelets", "10*9/L", _COUNT_UNITS, "10*9/L", None, None,
            {"10*9/L": (0.0, 3_000.0)}),
    Analyte("Curie score", "{score}", ("{score}",), "{score}", None, None,
            {"{score}": (0.0, 30.0)}),
    Analyte("SIOPEN score", "{score}", ("{score}",), "{score}", None, None,
            {"{score}": (0.0, 72.0)}),
)}


def analyte_info(name: str | None) -> Analyte | None:
    """The catalog's knowledge of analyte ``name`` (None for the family's own)."""
    return BUILTIN_ANALYTES.get(name or "")


def _a(name: str) -> Analyte:
    return BUILTIN_ANALYTES[name]


@dataclass(frozen=True)
class TestType:
    """A kind of test: its name, category, the summary's term for it, and its analytes."""

    name: str
    category: str
    topic: str | None
    analytes: tuple[Analyte, ...] = field(default=())


BUILTIN_TEST_TYPES: tuple[TestType, ...] = (
    TestType("Urine catecholamines (VMA and HVA)", "lab", "Urine catecholamine studies",
             (_a("VMA"), _a("HVA"), _a("Creatinine (urine)"))),
    TestType("Blood chemistry (LDH)", "lab", "Blood chemistry studies", (_a("LDH"),)),
    TestType("Ferritin", "lab", "Ferritin level", (_a("Ferritin"),)),
    TestType("Blood counts (CBC)", "lab", None,
             (_a("White blood cells"), _a("Neutrophils (ANC)"), _a("Hemoglobin"),
              _a("Platelets"))),
    TestType("MIBG scan", "imaging", "MIBG scan", (_a("Curie score"), _a("SIOPEN score"))),
    TestType("CT scan", "imaging", "CT scan (CAT scan)"),
    TestType("MRI", "imaging", "MRI (magnetic resonance imaging) with gadolinium"),
    TestType("PET scan", "imaging", "PET scan (positron emission tomography scan)"),
    TestType("X-ray", "imaging", "X-ray of the chest or bone"),
    TestType("Ultrasound", "imaging", "Ultrasound exam"),
    TestType("Tumor biopsy", "pathology", "Tumor biopsy"),
    TestType("Bone marrow aspiration and biopsy", "pathology", "Bone marrow aspiration and biopsy"),
    TestType("Lymph node biopsy", "pathology", "Lymph node biopsy"),
    TestType("Immunohistochemistry", "pathology", "Immunohistochemistry"),
    TestType("Molecular testing", "genetic", "Molecular testing"),
    TestType("MYCN amplification study", "genetic", "MYCN amplification study"),
    TestType("ALK testing", "genetic", "ALK"),
    TestType("Cytogenetic analysis", "genetic", "Cytogenetic analysis"),
    TestType("ALK/PHOX2B germline tests", "genetic", "ALK or PHOX2B genetic tests"),
    TestType("Physical exam", "exam", "physical exam"),
    TestType("Neurological exam", "exam", "neurological exam"),
    TestType("Hearing test", "exam", None),
)

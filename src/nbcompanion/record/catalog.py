"""The built-in test catalog: the tests the PDQ summary names, plus blood counts and hearing.

Each type lists its numeric results (*analytes*) with a usual unit. Reference ranges are left
empty on purpose: they depend on the lab and the child's age, so the family copies the lab's
range from the report beside each value.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Analyte:
    """One numeric result a test reports, with the unit most labs use."""

    name: str
    unit: str


@dataclass(frozen=True)
class TestType:
    """A kind of test: its name, category, the summary's term for it, and its analytes."""

    name: str
    category: str
    topic: str | None
    analytes: tuple[Analyte, ...] = field(default=())


BUILTIN_TEST_TYPES: tuple[TestType, ...] = (
    TestType("Urine catecholamines (VMA and HVA)", "lab", "Urine catecholamine studies",
             (Analyte("VMA", "mg/L"), Analyte("HVA", "mg/L"),
              Analyte("Creatinine (urine)", "g/L"))),
    TestType("Blood chemistry (LDH)", "lab", "Blood chemistry studies", (Analyte("LDH", "U/L"),)),
    TestType("Ferritin", "lab", "Ferritin level", (Analyte("Ferritin", "ng/mL"),)),
    TestType("Blood counts (CBC)", "lab", None,
             (Analyte("White blood cells", "10^9/L"), Analyte("Neutrophils (ANC)", "10^9/L"),
              Analyte("Hemoglobin", "g/dL"), Analyte("Platelets", "10^9/L"))),
    TestType("MIBG scan", "imaging", "MIBG scan",
             (Analyte("Curie score", "points"), Analyte("SIOPEN score", "points"))),
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

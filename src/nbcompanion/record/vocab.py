"""The fixed choices of the record, each with its label and the reference topic that explains it.

A *topic* is a heading of the PDQ summary or a term it defines in bold; the content layer's
``Library.locate(topic)`` turns it into a section, so the record can say "What is this?"
without copying any of the summary's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbcompanion.i18n import _


@dataclass(frozen=True)
class Choice:
    """One allowed value: stored ``key``, its English ``source`` label, and the reference
    ``topic`` (a heading of the PDQ summary, never translated).

    The catalog tools read the second argument of every ``Choice(...)`` as a sentence to
    translate (keyword ``Choice:2`` in tools/catalogs.py); :attr:`label` is its translation.
    """

    key: str
    source: str
    topic: str | None = None

    @property
    def label(self) -> str:
        """What the family reads, in the current language."""
        return _(self.source)


def keys(choices: tuple[Choice, ...]) -> tuple[str, ...]:
    """The stored keys of a vocabulary, in order."""
    return tuple(c.key for c in choices)


def label(choices: tuple[Choice, ...], key: str | None, default: str = "") -> str:
    """The label of ``key`` in ``choices`` (or ``default`` when unset or unknown)."""
    for choice in choices:
        if choice.key == key:
            return choice.label
    return default or (key or "")


def find(choices: tuple[Choice, ...], key: str | None) -> Choice | None:
    """The choice stored as ``key``, if any."""
    return next((c for c in choices if c.key == key), None)


UNKNOWN = "unknown"

PRIMARY_SITES = (
    Choice("adrenal", "Adrenal gland"),
    Choice("abdomen", "Abdomen"),
    Choice("chest", "Chest"),
    Choice("neck", "Neck"),
    Choice("pelvis", "Pelvis"),
    Choice("spine", "Spine (paraspinal)"),
    Choice("other", "Other"),
)

_STAGING = "The International Neuroblastoma Risk Group Staging System (INRGSS)"
STAGES = (
    Choice("L1", "Stage L1", "Stage L1"),
    Choice("L2", "Stage L2", "Stage L2"),
    Choice("M", "Stage M", "Stage M"),
    Choice("MS", "Stage MS", "Stage MS"),
)
STAGE_TOPIC = _STAGING

_RISK = "Treatment of neuroblastoma is based on risk groups"
RISK_GROUPS = (
    Choice("low", "Low risk", "Treatment of Low-Risk Neuroblastoma"),
    Choice("intermediate", "Intermediate risk", "Treatment of Intermediate-Risk Neuroblastoma"),
    Choice("high", "High risk", "Treatment of High-Risk Neuroblastoma"),
)
RISK_TOPIC = _RISK

HISTOLOGY = (
    Choice("favorable", "Favorable", _RISK),
    Choice("unfavorable", "Unfavorable", _RISK),
    Choice(UNKNOWN, "Unknown", _RISK),
)
HISTOLOGY_TOPIC = _RISK

MYCN = (
    Choice("amplified", "Amplified", "MYCN amplification study"),
    Choice("not_amplified", "Not amplified", "MYCN amplification study"),
    Choice(UNKNOWN, "Unknown", "MYCN amplification study"),
)
MYCN_TOPIC = "MYCN amplification study"

ALK = (
    Choice("change_found", "Change found", "ALK"),
    Choice("none", "No change found", "ALK"),
    Choice(UNKNOWN, "Unknown", "ALK"),
)
ALK_TOPIC = "ALK"

DNA_INDEX = (
    Choice("diploid", "Diploid", _RISK),
    Choice("hyperdiploid", "Hyperdiploid", _RISK),
    Choice(UNKNOWN, "Unknown", _RISK),
)
DNA_INDEX_TOPIC = _RISK
GERMLINE_TOPIC = "ALK or PHOX2B genetic tests"

TEST_STATUSES = (
    Choice("scheduled", "Scheduled"),
    Choice("done", "Done"),
    Choice("result_received", "Result received"),
)

TEST_CATEGORIES = (
    Choice("lab", "Lab test"),
    Choice("imaging", "Scan or imaging"),
    Choice("pathology", "Biopsy or pathology"),
    Choice("genetic", "Genetic or molecular test"),
    Choice("exam", "Exam"),
    Choice("other", "Other"),
)

_HIGH_RISK = "Treatment of High-Risk Neuroblastoma"
PHASE_KINDS = (
    Choice("induction", "Induction", _HIGH_RISK),
    Choice("consolidation", "Consolidation", _HIGH_RISK),
    Choice("maintenance", "Maintenance", _HIGH_RISK),
    Choice("post_maintenance", "Post-maintenance (eflornithine)", _HIGH_RISK),
    Choice("observation", "Observation", "Observation"),
    Choice("treatment_course", "Treatment course", "Treatment Option Overview"),
    Choice("recurrence", "Treatment for recurrence", "Treatment of Recurrent Neuroblastoma"),
)

PHASE_STATUSES = (
    Choice("planned", "Planned"),
    Choice("active", "Under way"),
    Choice("completed", "Completed"),
    Choice("stopped", "Stopped early"),
)

EVENT_KINDS = (
    Choice("chemo_cycle", "Chemotherapy cycle", "Chemotherapy"),
    Choice("surgery", "Surgery", "Surgery"),
    Choice("stem_cell_collection", "Stem cell collection",
           "High-dose chemotherapy and radiation therapy with stem cell rescue"),
    Choice("hdct_sct", "High-dose chemotherapy with stem cell rescue",
           "High-dose chemotherapy and radiation therapy with stem cell rescue"),
    Choice("radiation", "Radiation therapy", "Radiation therapy"),
    Choice("mibg_therapy", "Iodine 131-MIBG therapy", "Iodine 131-MIBG therapy"),
    Choice("dinutuximab", "Dinutuximab", "Immunotherapy"),
    Choice("gm_csf", "GM-CSF", "Immunotherapy"),
    Choice("isotretinoin", "Isotretinoin", "Other drug therapy"),
    Choice("eflornithine", "Eflornithine", "Targeted therapy"),
    Choice("clinical_trial", "Clinical trial",
           "New types of treatment are being tested in clinical trials"),
    Choice("other", "Other treatment"),
)

VISIT_KINDS = (
    Choice("clinic", "Clinic visit"),
    Choice("scan_day", "Scan day"),
    Choice("infusion", "Infusion"),
    Choice("hospital_stay", "Hospital stay"),
    Choice("emergency", "Emergency"),
    Choice("follow_up", "After-treatment follow-up", "Follow-up care may be needed"),
)

SEVERITIES = (
    Choice("mild", "Mild"),
    Choice("moderate", "Moderate"),
    Choice("severe", "Severe"),
)

# Signs, symptoms and side effects named by the summary, then common ones parents log.
_SIGNS = ("Signs and symptoms of neuroblastoma include bone pain or a lump in the abdomen, neck, "
          "or chest")
_SIDE_EFFECTS = "Treatment for neuroblastoma causes side effects and late effects"
SYMPTOMS = (
    Choice("fever", "Fever", _SIDE_EFFECTS),
    Choice("bone_pain", "Bone pain", _SIGNS),
    Choice("lump", "Lump in the abdomen, neck or chest", _SIGNS),
    Choice("trouble_breathing", "Trouble breathing", _SIGNS),
    Choice("bruising_bleeding", "Bruising or bleeding"),
    Choice("bulging_eyes", "Bulging eyes or dark circles around the eyes"),
    Choice("weakness", "Weakness or trouble moving"),
    Choice("tiredness", "Tiredness"),
    Choice("pain", "Pain"),
    Choice("nausea", "Nausea or vomiting"),
    Choice("diarrhea", "Diarrhea"),
    Choice("constipation", "Constipation"),
    Choice("poor_appetite", "Poor appetite or weight loss"),
    Choice("mouth_sores", "Mouth sores"),
    Choice("rash", "Rash or skin changes"),
    Choice("hearing", "Hearing changes"),
    Choice("other", "Other"),
)

CARE_ROLES = (
    Choice("pediatric_oncologist", "Pediatric oncologist"),
    Choice("pediatric_surgeon", "Pediatric surgeon"),
    Choice("radiation_oncologist", "Pediatric radiation oncologist"),
    Choice("pediatric_nurse_specialist", "Pediatric nurse specialist"),
    Choice("social_worker", "Social worker"),
    Choice("child_life", "Child life professional"),
    Choice("psychologist", "Psychologist"),
    Choice("rehabilitation", "Rehabilitation specialist"),
    Choice("pediatrician", "Pediatrician"),
    Choice("hospital", "Hospital or clinic"),
    Choice("other", "Other"),
)
CARE_TEAM_TOPIC = (
    "Children with neuroblastoma should have their treatment planned by a team of doctors"
)

DOSE_STATUSES = (
    Choice("given", "Given"),
    Choice("skipped", "Skipped"),
)

"""The unit module: UCUM codes, friendly display, conversion, families and plausibility."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbcompanion.record import units
from nbcompanion.record.catalog import BUILTIN_ANALYTES

PAIRS = [(info.name, a, b) for info in BUILTIN_ANALYTES.values()
         for a in info.units() for b in info.units()
         if units.canonical(a, info.name).family == units.canonical(b, info.name).family]


@pytest.mark.parametrize(("analyte", "source", "target"), PAIRS)
@settings(max_examples=25, deadline=None)
@given(value=st.floats(min_value=1e-6, max_value=1e6, allow_nan=False))
def test_every_catalog_unit_converts_there_and_back(analyte: str, source: str, target: str,
                                                    value: float) -> None:
    there = units.convert(value, source, target, analyte)
    back = units.convert(there, target, source, analyte)
    assert math.isclose(back, value, rel_tol=1e-9)


def test_the_figures_labs_use() -> None:
    assert units.convert(1.2, "10*9/L", "/uL") == pytest.approx(1200)
    assert units.convert(1.2, "10*3/uL", "10*9/L") == pytest.approx(1.2)
    assert units.convert(1, "mg/L", "umol/L", "VMA") == pytest.approx(5.046, rel=1e-3)
    assert units.convert(1, "mg/L", "umol/L", "HVA") == pytest.approx(5.489, rel=1e-3)
    assert units.convert(10, "mg/g{creat}", "mmol/mol{creat}", "VMA") == pytest.approx(
        10 * 113.12 / 198.17)
    assert units.convert(1, "g/dL", "mmol/L", "Hemoglobin") == pytest.approx(0.6206, rel=1e-3)
    assert units.convert(1, "ng/mL", "pmol/L", "Ferritin") == pytest.approx(2.247, rel=1e-3)
    assert units.convert(1, "U/L", "ukat/L", "LDH") == pytest.approx(0.01667, rel=1e-3)


@given(st.floats(min_value=-40, max_value=60, allow_nan=False))
def test_fahrenheit_round_trips(celsius: float) -> None:
    fahrenheit = units.convert(celsius, "Cel", "[degF]")
    assert fahrenheit == pytest.approx(celsius * 9 / 5 + 32)
    assert units.convert(fahrenheit, "[degF]", "Cel") == pytest.approx(celsius, abs=1e-9)


def test_ratios_never_convert_to_plain_concentrations_or_without_molar_masses() -> None:
    assert not units.is_commensurable("mg/g{creat}", "mg/L", "VMA")
    assert not units.is_commensurable("mg/g{creat}", "mg/g", "VMA")
    # pint alone would call these both dimensionless and equal: only molar masses link them.
    assert not units.is_commensurable("mg/g{creat}", "mmol/mol{creat}")
    assert units.is_commensurable("mg/g{creat}", "mmol/mol{creat}", "VMA")
    with pytest.raises(units.IncommensurableError):
        units.convert(5, "mg/g{creat}", "mg/L", "VMA")
    vma = units.canonical("mg/g{creat}", "VMA")
    assert vma.family != units.canonical("mg/L", "VMA").family
    assert vma.family == units.canonical("mmol/mol{creat}", "VMA").family


def test_lab_spellings_become_ucum_and_bad_units_get_a_message() -> None:
    assert units.parse_unit("10^9/L") == "10*9/L"
    assert units.parse_unit("cells/µL") == "/uL"
    assert units.parse_unit("K/uL") == "10*3/uL"
    assert units.parse_unit("mg/g creatinine") == "mg/g{creat}"
    assert units.parse_unit("°F") == "[degF]"
    assert units.parse_unit("mmol/L") == "mmol/L"
    with pytest.raises(units.UnitError, match="not a unit"):
        units.parse_unit("1200.5 10^9/L")
    with pytest.raises(units.UnitError, match="not a unit"):
        units.parse_unit("mg per litre")


@pytest.mark.parametrize(("code", "shown"), [
    ("10*9/L", "10⁹/L"), ("/uL", "cells/µL"), ("mg/g{creat}", "mg/g creatinine"),
    ("[degF]", "°F"), ("Cel", "°C"), ("umol/L", "µmol/L"), ("10*3/uL", "10³/µL"),
    ("mmol/mol{creat}", "mmol/mol creatinine"), ("{score}", "points"), ("10^9/L", "10⁹/L"),
])
def test_friendly_display(code: str, shown: str) -> None:
    assert units.display(code) == shown


def test_plausibility_names_the_likely_slip() -> None:
    message = units.plausibility_message("Neutrophils (ANC)", 1200, "10*9/L")
    assert message is not None
    assert "far above" in message
    assert "cells/µL" in message
    assert units.plausibility_message("Neutrophils (ANC)", 1.2, "10*9/L") is None
    assert units.plausibility_message("Neutrophils (ANC)", 1200, "/uL") is None
    assert units.plausibility_message("My own test", 1e8, "mg/L") is None


def test_the_cached_catalog_factors_agree_with_the_library() -> None:
    computed = units.catalog_factors()
    from nbcompanion.record.unit_factors import CATALOG_FACTORS, TEMPERATURE_AFFINE

    for pair, (scale, offset) in units.temperature_affine().items():
        assert TEMPERATURE_AFFINE[pair][0] == pytest.approx(scale)
        assert TEMPERATURE_AFFINE[pair][1] == pytest.approx(offset)

    assert computed.keys() == CATALOG_FACTORS.keys()
    for key, (family, factor) in computed.items():
        assert CATALOG_FACTORS[key][0] == family
        assert CATALOG_FACTORS[key][1] == pytest.approx(factor, rel=1e-12)


def test_reading_and_display_never_load_the_library() -> None:
    import subprocess
    import sys

    code = ("import sys; from nbcompanion.record import units, measures, queries;"
            "units.display('10*9/L'); units.parse_unit('10^9/L');"
            "units.canonical('mg/L', 'VMA');"
            "print('pint' in sys.modules, 'ucumvert' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "False"]


def test_one_point_is_singular_after_a_number() -> None:
    from nbcompanion.record.queries import values_text
    from nbcompanion.record.units import unit_after

    assert unit_after(1, "{score}") == "point"
    assert unit_after(14, "{score}") == "points"
    assert unit_after(1, "mg/L") == "mg/L"
    assert values_text([{"analyte": "Curie score", "value": 1.0, "unit": "{score}"}]) == (
        "Curie score 1 point")

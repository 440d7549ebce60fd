"""Units of lab values: UCUM codes, their friendly form, and safe conversion.

Every numeric value carries the UCUM code of the unit the family typed (``10*9/L``, ``/uL``,
``mg/g{creat}``, ``Cel``…). Parsing and conversion go through ``ucumvert`` (which builds a
``pint`` registry); the knowledge no unit library has — molar masses, the units labs print,
plausibility windows — is data in :mod:`nbcompanion.record.catalog`.

Public API (also used by importers, e.g. FHIR):

- :func:`parse_unit` ``(text) -> code``: a UCUM code from a code or a lab's spelling
  ("10^9/L", "cells/µL", "mg/g creatinine"); :class:`UnitError` with a message otherwise.
- :func:`display` ``(code) -> str``: the friendly form (10⁹/L, cells/µL, mg/g creatinine, °F);
  pure string work, never loads the library.
- :func:`convert` ``(value, from_unit, to_unit, analyte=None) -> float``;
  :class:`IncommensurableError` when the two cannot be compared.
- :func:`is_commensurable` ``(a, b, analyte=None) -> bool``.
- :func:`canonical` ``(code, analyte) -> Canonical``: the unit *family* (values of one family
  share a series) and the factor to the family's canonical unit. The record stores both with
  each value when it is saved, so reading, charting and comparing never load the library.
- :func:`plausibility_message` ``(analyte, value, code) -> str | None``.

Two traps handled here: annotations (``{creat}``) carry no meaning for the library, so
``mg/g{creat}`` would become dimensionless and "convert" 1:1 to ``mmol/mol{creat}`` or to any
ratio — ratio units are split into numerator and denominator and converted through the
molar masses; and temperatures are offset units, converted as quantities, not by a factor.

The library takes about 1.5 s to load, so it is loaded only when a unit is typed or first
converted by hand; the catalog's usual units use factors cached from it
(``unit_factors.py``), so saving them never waits.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from dataclasses import dataclass
from typing import Any

from nbcompanion.i18n import _
from nbcompanion.record.catalog import (
    BUILTIN_ANALYTES,
    DENOMINATOR_MOLAR_MASS,
    UNIT_SPELLINGS,
    WHOLE_COUNT_UNITS,
    analyte_info,
)
from nbcompanion.record.unit_factors import CATALOG_FACTORS, TEMPERATURE_AFFINE
from nbcompanion.wording import number_text

CELSIUS = "Cel"
FAHRENHEIT = "[degF]"
_ANNOTATION = re.compile(r"\{([^{}]*)\}")
_LOCK = threading.Lock()
_registry: Any = None


class UnitError(ValueError):
    """A unit that is not a valid UCUM code; the message is for the user."""


class IncommensurableError(ValueError):
    """Two units that measure different things (mg/L and mg/g creatinine)."""


@dataclass(frozen=True)
class Canonical:
    """Where a unit stands for an analyte: its family and the factor to the family's unit.

    Values with the same ``family`` can be compared: ``value * factor`` is in ``family``'s
    canonical unit. ``factor`` is None for offset units (temperatures).
    """

    family: str
    factor: float | None


# -- the library, loaded on first use ---------------------------------------------------------
def registry() -> Any:
    """The ucumvert/pint registry (built once, on first use, about 1.5 s)."""
    global _registry
    with _LOCK:
        if _registry is None:
            from ucumvert import PintUcumRegistry

            _registry = PintUcumRegistry()
        return _registry


def is_loaded() -> bool:
    """True once the unit library has been loaded in this process."""
    return _registry is not None



# -- codes and their friendly form -----------------------------------------------------------
def annotation(code: str) -> str | None:
    """The annotation of a code, lower case ("creat" for "mg/g{creat}"), or None."""
    found = _ANNOTATION.findall(code or "")
    return found[-1].strip().lower() if found else None


def _strip(code: str) -> str:
    """The code without annotations ("mL/min/{1.73_m2}" → "mL/min", "{score}" → "1")."""
    bare = _ANNOTATION.sub("", code).strip().replace("//", "/").rstrip("/.")
    return bare or "1"


_SPELLINGS = {key.casefold(): code for key, code in UNIT_SPELLINGS.items()}
#: Codes known valid without asking the library (the catalog's and the spellings' codes).
KNOWN_CODES = frozenset(
    [*UNIT_SPELLINGS.values(), *(u for a in BUILTIN_ANALYTES.values() for u in a.units()),
     CELSIUS, FAHRENHEIT])


def spelling_code(text: str | None) -> str | None:
    """The UCUM code of a known lab spelling ("10^9/L" → "10*9/L"), without the library."""
    clean = " ".join((text or "").split())
    if not clean:
        return None
    return _SPELLINGS.get(clean.casefold())


@functools.lru_cache(maxsize=512)
def _quantity(code: str) -> Any:
    registry_ = registry()
    bare = _strip(code)
    quantity = registry_.from_ucum(bare)
    if not hasattr(quantity, "dimensionality"):
        quantity = registry_.Quantity(1, "dimensionless")
    elif not hasattr(quantity, "magnitude"):
        quantity = registry_.Quantity(1, quantity)
    return quantity


def parse_unit(text: str | None) -> str:
    """The UCUM code for ``text`` (a code or a lab's spelling); UnitError when not valid."""
    raw = " ".join((text or "").replace("μ", "µ").split())
    if not raw:
        raise UnitError("Please type a unit, or leave it empty.")
    if raw in KNOWN_CODES:
        return raw
    known = spelling_code(raw)
    if known is not None:
        return known
    code = raw.replace("µ", "u").replace("^", "*").replace("³", "3")
    if code.count("{") != code.count("}"):
        raise UnitError(f"“{raw}” is not a unit this app knows. Please check the braces.")
    try:
        _quantity(code)
    except Exception:  # ucumvert raises several error types for bad input
        raise UnitError(
            f"“{raw}” is not a unit this app knows. Please type it as the lab prints it "
            "(for example mg/L, 10^9/L, cells/µL or mg/g creatinine), or pick one from "
            "the list.") from None
    return code


def needs_library(text: str | None) -> bool:
    """True when checking ``text`` would first load the unit library (about 1.5 s)."""
    raw = " ".join((text or "").split())
    return bool(raw) and not is_loaded() and raw not in KNOWN_CODES and (
        spelling_code(raw) is None)


def is_valid(text: str | None) -> bool:
    """True when :func:`parse_unit` accepts ``text``."""
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_FRIENDLY = {"/uL": "cells/µL", "/mm3": "cells/mm³", "Cel": "°C", "[degF]": "°F",
             "{score}": "points", "1": "", "[IU]/L": "IU/L", "[iU]/L": "IU/L"}
_ANNOTATION_WORDS = {"creat": "creatinine"}


@functools.lru_cache(maxsize=1024)
def display(code: str | None) -> str:
    """A unit as people read it: 10*9/L → 10⁹/L, /uL → cells/µL, mg/g{creat} → mg/g creatinine.

    Text that is not a code (a legacy unit kept as typed) is shown as it is, with ^n
    raised, so the screen and the PDF always agree.
    """
    if not code:
        return ""
    if code in _FRIENDLY:
        return _FRIENDLY[code]
    words = ""
    found = annotation(code)
    if found in _ANNOTATION_WORDS:
        words = " " + _ANNOTATION_WORDS[found]
        code = _ANNOTATION.sub("", code)
    text = re.sub(r"10[*^](-?\d+)", lambda m: "10" + m.group(1).translate(_SUPERSCRIPTS), code)
    text = re.sub(r"\^(-?\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    # The micro prefix: u before a unit symbol (umol, uL, ug, ukat, uU), not inside words.
    text = re.sub(r"(?<![A-Za-z])u(?=(mol|L|g|kat|U|m)\b|mol)", "µ", text)
    text = text.replace("[", "").replace("]", "")
    return (text + words).strip()


def unit_after(value: float | None, code: str | None) -> str:
    """The unit as shown after a number: :func:`display`, but "1 point", not "1 points"."""
    if code == "{score}" and value is not None and float(value) == 1:
        return "point"
    return display(code)


def is_whole_count(code: str | None) -> bool:
    """Units whose values are whole numbers of cells (cells/µL): never a decimal fraction."""
    return (code or "") in WHOLE_COUNT_UNITS


def is_ratio(code: str | None) -> bool:
    """A ratio "per" a substance named by its annotation (mg/g{creat}, mmol/mol{creat})."""
    return bool(code) and annotation(code or "") in DENOMINATOR_MOLAR_MASS and "/" in _strip(
        code or "")


# -- conversion -------------------------------------------------------------------------------
def _offset(code: str) -> bool:
    try:
        return not _quantity(code)._is_multiplicative
    except Exception:
        return False


def _factor(from_code: str, to_code: str, molar_mass: float | None) -> float:
    """Multiply by this to go from ``from_code`` to ``to_code`` (no annotations)."""
    source, target = _quantity(from_code), _quantity(to_code)
    if source.dimensionality == target.dimensionality:
        return float((source / target).to("dimensionless").magnitude)
    if molar_mass:
        mass = _quantity("g/mol") * molar_mass
        for candidate in (source / mass, source * mass):
            if candidate.dimensionality == target.dimensionality:
                return float((candidate / target).to("dimensionless").magnitude)
    raise IncommensurableError(f"{display(from_code)} and {display(to_code)} measure "
                               "different things")


def _split_ratio(code: str) -> tuple[str, str]:
    bare = _strip(code)
    top, _, bottom = bare.rpartition("/")
    return top or "1", bottom


def _ratio_factor(from_code: str, to_code: str, molar_mass: float | None) -> float:
    denominator = annotation(from_code)
    if denominator != annotation(to_code) or not is_ratio(to_code):
        raise IncommensurableError(f"{display(from_code)} and {display(to_code)} measure "
                                   "different things")
    (top_a, bottom_a), (top_b, bottom_b) = _split_ratio(from_code), _split_ratio(to_code)
    top = _factor(top_a, top_b, molar_mass)
    bottom = _factor(bottom_a, bottom_b, DENOMINATOR_MOLAR_MASS[denominator or ""])
    return top / bottom


def factor(from_code: str, to_code: str, analyte: str | None = None) -> float:
    """The factor from one unit to another for ``analyte``; IncommensurableError if none.

    Not for temperatures (offset units): use :func:`convert`.
    """
    if from_code == to_code:
        return 1.0
    info = analyte_info(analyte)
    molar_mass = info.molar_mass if info else None
    if is_ratio(from_code) or is_ratio(to_code):
        if not (is_ratio(from_code) and is_ratio(to_code)):
            raise IncommensurableError(f"{display(from_code)} and {display(to_code)} measure "
                                       "different things")
        return _ratio_factor(from_code, to_code, molar_mass)
    if annotation(from_code) != annotation(to_code):
        raise IncommensurableError(f"{display(from_code)} and {display(to_code)} measure "
                                   "different things")
    if _offset(from_code) or _offset(to_code):
        raise IncommensurableError("temperatures convert with an offset, not a factor")
    return _factor(from_code, to_code, molar_mass)


def convert(value: float, from_unit: str, to_unit: str, analyte: str | None = None) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (IncommensurableError if impossible).

    Units may be codes or lab spellings. Temperatures (°C, °F) convert with their offset.
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if source == target:
        return float(value)
    affine = TEMPERATURE_AFFINE.get((source, target))
    if affine is not None:  # °C ↔ °F without loading the library (cached from it)
        return affine[0] * float(value) + affine[1]
    if _offset(source) or _offset(target):
        if not (_offset(source) and _offset(target)):
            raise IncommensurableError(f"{display(source)} and {display(target)} measure "
                                       "different things")
        quantity = registry().Quantity(value, _quantity(source).units)
        return float(quantity.to(_quantity(target).units).magnitude)
    return float(value) * factor(source, target, analyte)


def is_commensurable(a: str | None, b: str | None, analyte: str | None = None) -> bool:
    """True when values in ``a`` and ``b`` can be compared for ``analyte``."""
    if not a or not b:
        return a == b
    try:
        convert(1.0, a, b, analyte)
    except (IncommensurableError, UnitError):
        return False
    return True


@functools.lru_cache(maxsize=1024)
def canonical(code: str, analyte: str | None = None) -> Canonical:
    """The family of ``code`` for ``analyte`` and the factor to the family's canonical unit.

    Catalog analytes have their canonical units (one for concentrations, one for ratios per
    creatinine); other units form a family by what they measure. UnitError if not valid.
    The catalog's usual units come from a cache the library made (see
    :func:`catalog_factors`), so saving them never waits for the library to load.
    """
    code = parse_unit(code)
    cached = CATALOG_FACTORS.get((analyte or "", code))
    if cached is not None:
        return Canonical(*cached)
    return _canonical(code, analyte)


def catalog_factors() -> dict[tuple[str, str], tuple[str, float | None]]:
    """(analyte, unit) → (family, factor) for every catalog analyte's usual units, computed
    by the library; ``unit_factors.py`` keeps the result (a test checks it still agrees)."""
    return {(info.name, code): (place.family, place.factor)
            for info in BUILTIN_ANALYTES.values() for code in info.units()
            for place in [_canonical(code, info.name)]}


def _canonical(code: str, analyte: str | None) -> Canonical:
    info = analyte_info(analyte)
    if _offset(code):
        return Canonical(code, None)
    targets = [t for t in (info.canonical, info.ratio_canonical) if t] if info else []
    for target in targets:
        try:
            return Canonical(target, factor(code, target, analyte))
        except IncommensurableError:
            continue
    quantity = _quantity(code)
    base = quantity.to_base_units()
    found = annotation(code)
    if is_ratio(code):
        # A ratio per creatinine for an analyte without a molar mass: only the same
        # numerator kind (mass or amount) converts.
        top, _bottom = _split_ratio(code)
        top_dims = str(_quantity(top).dimensionality)
        unit_top = "g" if "mass" in top_dims else "mol" if "substance" in top_dims else "1"
        reference = f"{unit_top}/mol{{{found}}}"
        return Canonical(reference, _ratio_factor(code, reference, None))
    family = str(base.dimensionality) + (f"{{{found}}}" if found else "")
    return Canonical(family, float(base.magnitude) / float(quantity.magnitude))


# -- what is plausible ---------------------------------------------------------------------
def plausibility_message(analyte: str | None, value: float, code: str | None) -> str | None:
    """A question when ``value`` is far outside anything measured for ``analyte``, else None.

    The message names the likely slip: a unit with which the number would be ordinary.
    """
    info = analyte_info(analyte)
    if info is None or not code or not math.isfinite(value) or value < 0:
        return None  # impossible values are refused by the rules, not questioned
    try:
        place = canonical(code, analyte)
    except (UnitError, IncommensurableError):
        return None
    window = info.plausible.get(place.family)
    if window is None or place.factor is None:
        return None
    low, high = window
    amount = value * place.factor
    if low <= amount <= high:
        return None
    unit_text = display(code)
    times = " × " if unit_text[:1].isdigit() else " "
    shown = f"{number_text(value)}{times}{unit_text}".strip()
    text = (_("{shown} for {analyte} is far above anything usually measured.")
            if amount > high else
            _("{shown} for {analyte} is far below anything usually measured.")
            ).format(shown=shown, analyte=analyte)
    for other in info.units():
        if other == code:
            continue
        try:
            other_place = canonical(other, analyte)
        except (UnitError, IncommensurableError):
            continue
        if other_place.family == place.family and other_place.factor is not None and (
                low <= value * other_place.factor <= high):
            return _("{text} Did you mean {unit}?").format(text=text, unit=display(other))
    return _("{text} Please check the number and the unit.").format(text=text)


def catalog_factors_source() -> str:
    """The text of ``unit_factors.py`` as :func:`catalog_factors` computes it today."""
    lines = ['"""Factors to canonical units for the catalog\'s usual units, as the unit library '
             'computes them.', '',
             "Generated by ``nbcompanion.record.units.catalog_factors()`` (run",
             "``python -m nbcompanion.record.units``); ``tests/test_units.py`` checks it still "
             "agrees with the",
             "library. Kept so that saving a value in a usual unit never waits for the library "
             "to load.", '"""', "",
             "CATALOG_FACTORS: dict[tuple[str, str], tuple[str, float | None]] = {"]
    for (name, code), (family, value) in sorted(catalog_factors().items()):
        lines.append(f"    ({name!r}, {code!r}): ({family!r}, {value!r}),")
    lines += ["}", "", "#: (from, to) → (a, b): to = a × from + b, for the two temperature scales.",
              "TEMPERATURE_AFFINE: dict[tuple[str, str], tuple[float, float]] = {"]
    for pair, (scale, offset) in temperature_affine().items():
        lines.append(f"    {pair!r}: ({scale!r}, {offset!r}),")
    return "\n".join([*lines, "}", ""])


def temperature_affine() -> dict[tuple[str, str], tuple[float, float]]:
    """°C ↔ °F as (a, b) with to = a × from + b, computed by the library."""
    found = {}
    for source, target in ((CELSIUS, FAHRENHEIT), (FAHRENHEIT, CELSIUS)):
        quantity = _quantity(source)
        offset = float(registry().Quantity(0.0, quantity.units)
                       .to(_quantity(target).units).magnitude)
        one = float(registry().Quantity(1.0, quantity.units)
                    .to(_quantity(target).units).magnitude)
        found[(source, target)] = (one - offset, offset)
    return found


def temperature_text(row: dict[str, Any]) -> str | None:
    """A diary temperature as typed ("101.5 °F"); older entries in °C."""
    value, unit = row.get("temperature"), row.get("temperature_unit")
    if value is None:
        value, unit = row.get("temperature_c"), CELSIUS
    if value is None:
        return None
    return f"{number_text(float(value))} {display(unit or CELSIUS)}"


if __name__ == "__main__":
    from pathlib import Path

    Path(__file__).with_name("unit_factors.py").write_text(catalog_factors_source(),
                                                           encoding="utf-8")

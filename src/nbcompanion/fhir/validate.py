"""Validating resources against the FHIR R4 models of ``fhir.resources`` (imported on first use).

``fhir.resources`` 8 has no separate R4 package; its R4B models match R4 for the resources the
app reads (Observation, DiagnosticReport, Patient). Each resource is validated on its own, so
one bad resource is skipped with its reason and never spoils the rest of the file.

Speed: building the models for one lab Observation takes about half a millisecond, too slow
for a 50,000-result download. But a lab's results differ from each other only in a few
primitive values — the id, the date, the number, the references — and a FHIR model's
checks of its structure (required elements, one value[x], no unknown elements) do not look
at those values, only at whether they are there. So each resource is split into a
*skeleton* (those primitives replaced by valid stand-ins) and its primitives: the skeleton
is validated by the full model once per distinct skeleton, and each primitive by the
library's own type for that element. The verdict is the one the full model would give.
"""

from __future__ import annotations

from typing import Any

#: Resource types validated; others are not read.
MODEL_MODULES = {
    "Observation": ("fhir.resources.R4B.observation", "Observation"),
    "DiagnosticReport": ("fhir.resources.R4B.diagnosticreport", "DiagnosticReport"),
    "Patient": ("fhir.resources.R4B.patient", "Patient"),
}
#: Top-level primitive elements whose values vary from resource to resource, and a valid
#: stand-in for each (by the element's FHIR type).
_STAND_INS = {
    "id": "x", "effectiveDateTime": "2000-01-01", "effectiveInstant": "2000-01-01T00:00:00Z",
    "issued": "2000-01-01T00:00:00Z", "valueString": "x", "valueDateTime": "2000-01-01",
    "birthDate": "2000-01-01",
}
_CACHE_LIMIT = 50_000


def first_error(error: Exception) -> str:
    """A short reason from a pydantic ValidationError: where and what."""
    details = getattr(error, "errors", None)
    if callable(details):
        try:
            items = details()
        except Exception:  # a malformed error object must not hide the resource's reason
            items = []
        if items:
            item = items[0]
            where = ".".join(str(p) for p in item.get("loc", ()) if p != "__root__")
            message = str(item.get("msg", "")).rstrip(".")
            more = (f" (and {len(items) - 1} more problem{'s' if len(items) > 2 else ''})"
                    if len(items) > 1 else "")
            return f"{where}: {message}{more}" if where else f"{message}{more}"
    return str(error).splitlines()[0]


class Validator:
    """Validates resources with the R4 models; remembers the verdict on each skeleton."""

    def __init__(self) -> None:
        import importlib

        from fhir.resources.R4B.quantity import Quantity
        from fhir.resources.R4B.reference import Reference

        self.models: dict[str, Any] = {}
        for name, (module, attribute) in MODEL_MODULES.items():
            self.models[name] = getattr(importlib.import_module(module), attribute)
        self._quantity = Quantity
        self._reference = Reference
        self._adapters: dict[tuple[str, str], Any] = {}
        self._verdicts: dict[str, str | None] = {}

    def _adapter(self, model: Any, element: str) -> Any:
        key = (model.__name__, element)
        adapter = self._adapters.get(key)
        if adapter is None:
            from pydantic import TypeAdapter

            adapter = self._adapters[key] = TypeAdapter(model.model_fields[element].annotation)
        return adapter

    def _split(self, model: Any, resource: dict[str, Any]
               ) -> tuple[dict[str, Any], list[tuple[str, Any, str, Any]]]:
        """(skeleton, [(where, model, element, value)]) — see the module's docstring."""
        skeleton = dict(resource)
        primitives: list[tuple[str, Any, str, Any]] = []
        for element, stand_in in _STAND_INS.items():
            value = skeleton.get(element)
            if isinstance(value, str) and element in model.model_fields:
                primitives.append((element, model, element, value))
                skeleton[element] = stand_in
        quantity = skeleton.get("valueQuantity")
        if isinstance(quantity, dict):
            number = quantity.get("value")
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                primitives.append(("valueQuantity.value", self._quantity, "value", number))
                skeleton["valueQuantity"] = {**quantity, "value": 1}
        for element in ("result", "hasMember"):
            references = skeleton.get(element)
            if isinstance(references, list):
                replaced = []
                for index, item in enumerate(references):
                    target = item.get("reference") if isinstance(item, dict) else None
                    if isinstance(target, str):
                        primitives.append((f"{element}.{index}.reference", self._reference,
                                           "reference", target))
                        item = {**item, "reference": "x"}
                    replaced.append(item)
                skeleton[element] = replaced
        return skeleton, primitives

    def check(self, resource: dict[str, Any]) -> str | None:
        """None when ``resource`` is valid FHIR R4, else the reason it is not."""
        resource_type = resource.get("resourceType")
        model = self.models.get(str(resource_type))
        if model is None:
            return f"the app does not read {resource_type} resources"
        skeleton, primitives = self._split(model, resource)
        # repr() of data decoded from JSON is exact and cheaper than re-encoding it as JSON.
        key = repr(skeleton)
        if key in self._verdicts:
            verdict = self._verdicts[key]
        else:
            try:
                model.model_validate(skeleton)
                verdict = None
            except Exception as error:  # pydantic's ValidationError, or a model's ValueError
                verdict = first_error(error)
            if len(self._verdicts) >= _CACHE_LIMIT:
                self._verdicts.clear()
            self._verdicts[key] = verdict
        if verdict is not None:
            return verdict
        for where, owner, element, value in primitives:
            try:
                self._adapter(owner, element).validate_python(value)
            except Exception as error:
                return f"{where}: {first_error(error)}"
        return None

"""Validating resources against the FHIR R4 models of ``fhir.resources`` (imported on first use).

``fhir.resources`` 8 has no separate R4 package; its R4B models match R4 for the resources the
app reads (Observation, DiagnosticReport, Patient). Each resource is validated on its own, so
one bad resource is skipped with its reason and never spoils the rest of the file.

Validating a lab Observation builds about ten nested models; a bundle of 50,000 results
repeats the same few codes, categories, subjects and ranges thousands of times. Each distinct
nested value is validated once and its validated model reused: the outcome is the same (the
models are pure functions of their input) at a fifth of the cost.
"""

from __future__ import annotations

import json
import typing
from typing import Any

#: Resource types validated; others are not read.
MODEL_MODULES = {
    "Observation": ("fhir.resources.R4B.observation", "Observation"),
    "DiagnosticReport": ("fhir.resources.R4B.diagnosticreport", "DiagnosticReport"),
    "Patient": ("fhir.resources.R4B.patient", "Patient"),
}
#: Elements whose values repeat across a file's resources (worth remembering once validated).
_REPEATING = frozenset({"code", "category", "subject", "referenceRange", "performer",
                        "encounter", "specimen", "interpretation", "method", "meta",
                        "basedOn", "bodySite"})
_CACHE_LIMIT = 20_000


def _nested_model(annotation: Any) -> type | None:
    """The FHIR model class inside a field's type (through Optional and List), if any."""
    klass = getattr(annotation, "get_model_klass", None)
    if klass is not None:
        model = klass()
        # Polymorphic "Resource" fields (contained) are left to the model itself.
        return None if model.__name__ in ("Resource", "DomainResource") else model
    for argument in typing.get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


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
            more = f" (and {len(items) - 1} more problem{'s' if len(items) > 2 else ''})" \
                if len(items) > 1 else ""
            return f"{where}: {message}{more}" if where else f"{message}{more}"
    return str(error).splitlines()[0]


class Validator:
    """Validates resources with the R4 models; remembers validated nested values."""

    def __init__(self) -> None:
        import importlib

        self.models: dict[str, Any] = {}
        for name, (module, attribute) in MODEL_MODULES.items():
            self.models[name] = getattr(importlib.import_module(module), attribute)
        self._fields: dict[tuple[str, str], type | None] = {}
        self._cache: dict[tuple[str, str], Any] = {}

    def _field_model(self, resource_type: str, key: str) -> type | None:
        found = self._fields.get((resource_type, key), False)
        if found is False:
            field = self.models[resource_type].model_fields.get(key)
            found = None if field is None else _nested_model(field.annotation)
            self._fields[(resource_type, key)] = found
        return found  # type: ignore[return-value]

    def _validated(self, model: Any, value: Any) -> Any:
        if not isinstance(value, dict):
            return value  # the resource's own validation reports the wrong type
        key = (model.__name__, json.dumps(value, sort_keys=True, separators=(",", ":")))
        got = self._cache.get(key)
        if got is None:
            got = model.model_validate(value)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = got
        return got

    def check(self, resource: dict[str, Any]) -> str | None:
        """None when ``resource`` is valid FHIR R4, else the reason it is not."""
        resource_type = resource.get("resourceType")
        model = self.models.get(str(resource_type))
        if model is None:
            return f"the app does not read {resource_type} resources"
        prepared = dict(resource)
        try:
            for key in _REPEATING.intersection(resource):
                nested = self._field_model(resource_type, key)  # type: ignore[arg-type]
                if nested is None:
                    continue
                value = resource[key]
                try:
                    if isinstance(value, list):
                        prepared[key] = [self._validated(nested, item) for item in value]
                    else:
                        prepared[key] = self._validated(nested, value)
                except Exception as error:
                    return f"{key}.{first_error(error)}"
            model.model_validate(prepared)
        except Exception as error:  # pydantic's ValidationError, or a model's own ValueError
            return first_error(error)
        return None

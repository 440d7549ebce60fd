"""Lab results in FHIR files: reading, review, import and export (no Qt).

Hospitals hand patients their results as FHIR R4 JSON (portal downloads, bulk NDJSON,
Apple Health's ``export.zip``). This package reads such files into plain findings
(:mod:`.read`, :mod:`.extract`), matches them against a record for review (:mod:`.review`),
writes the rows the family keeps in one transaction (:mod:`.apply`) and writes the record's
results back out as an R4 Bundle (:mod:`.export`). ``fhir.resources`` is imported only here,
and only when a file is read, so it never slows the app's start-up.
"""

"""Where the shipped resources live, whether installed from a wheel or run from the source tree."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resource_dir() -> Path:
    """Return the folder holding the PDQ summary and icons.

    In a wheel, hatchling's force-include puts ``resources/`` inside the package; in a
    source checkout (or an editable install) it sits at the top of the repository; in a
    frozen bundle (PyInstaller) ``packaging/nbcompanion.spec`` puts it at the same place
    as in the wheel, under the bundle's own folder (``sys._MEIPASS``).
    """
    here = Path(__file__).resolve().parent
    candidates = [here / "resources", here.parent.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        candidates.insert(0, Path(bundle) / "nbcompanion" / "resources")
    for candidate in candidates:
        if (candidate / "neuroblastoma-treatment-pdq.md").is_file():
            return candidate
    raise FileNotFoundError("The app's resources folder is missing; please reinstall the app.")


def resource_path(name: str) -> Path:
    """Return the path of one shipped resource file."""
    return resource_dir() / name


PDQ_SUMMARY = "neuroblastoma-treatment-pdq.md"

"""Where the family's record lives by default, and how to point the app elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "NBCOMPANION_DATA"
FILE_NAME = "care-record.sqlite3"


def default_record_path() -> Path:
    """``$NBCOMPANION_DATA`` if set, else the record in the per-user data folder."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("nbcompanion", appauthor=False)) / FILE_NAME

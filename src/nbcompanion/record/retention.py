"""Which backups to keep: every day for two weeks, every week for two months, every month
for a year — stated once here, and the same in the README ("Your data")."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbcompanion.record.backup import Backup

#: The newest backup of each of this many days that have one...
KEEP_DAILY = 14
#: ...then of each of this many weeks before those...
KEEP_WEEKLY = 8
#: ...then of each of this many months before those.
KEEP_MONTHLY = 12


def backups_to_keep(backups: list[Backup], *, daily: int = KEEP_DAILY,
                    weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY) -> set[Path]:
    """Which backups to keep: the newest of each of the last ``daily`` days that have one,
    then the newest of each of the ``weekly`` weeks before those, then the newest of each of
    the ``monthly`` months before those. The newest backup is always kept."""
    ordered = sorted(backups, key=lambda b: (b.created, b.path.name), reverse=True)
    keep: set[Path] = set()
    remaining = ordered
    for count, bucket in ((daily, lambda b: b.created.date()),
                          (weekly, lambda b: b.created.isocalendar()[:2]),
                          (monthly, lambda b: (b.created.year, b.created.month))):
        seen: list[object] = []
        oldest: datetime | None = None
        for backup in remaining:
            key = bucket(backup)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            keep.add(backup.path)
            oldest = backup.created
        if oldest is not None:
            # The next, coarser set starts with the days before the oldest copy kept here.
            remaining = [b for b in remaining if b.created.date() < oldest.date()]
    if ordered:
        keep.add(ordered[0].path)
    return keep

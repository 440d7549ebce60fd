"""The folder two laptops share (Syncthing, a cloud drive, a USB stick): its layout.

    <folder>/family.json                      the record's id, the salt, a key check
    <folder>/laptops/<laptop>/00000012.nbs    one sealed Yjs update per sync round
    <folder>/laptops/<laptop>/base-00000040.nbs  everything up to round 40, folded

Each laptop writes only in its own subfolder, so a file-sync service never sees two
writers on one file. A file is written under a temporary name and renamed when whole; a
file that is not fully copied yet fails to open and is simply tried again next round.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from nbcompanion.sync.crypto import READABLE_FORMATS, FamilyKey, seal, unseal

FAMILY_FILE = "family.json"
LAPTOPS = "laptops"
_ROUND = re.compile(r"^(\d{8})\.nbs$")
_BASE = re.compile(r"^base-(\d{8})\.nbs$")
#: Fold a laptop's round files into one base file once it has this many.
FOLD_AFTER = 16


@dataclass(frozen=True, order=True)
class SharedFile:
    """One sealed file: its laptop, round number, and whether it is a base file."""

    laptop: str
    number: int
    base: bool
    path: Path

    @property
    def name(self) -> str:
        """The name bound into the seal: ``laptops/<laptop>/<file>``."""
        return f"{LAPTOPS}/{self.laptop}/{self.path.name}"


def read_family(folder: Path) -> dict[str, str] | None:
    """The folder's ``family.json``, or None when the folder holds no shared record.

    ValueError for a file of another program, or of a newer version of this app: its
    files are then never read nor written, so nothing is lost until the app is updated.
    """
    path = folder / FAMILY_FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    found = data.get("format") if isinstance(data, dict) else None
    if isinstance(found, str) and found.startswith("nbcompanion-sync-") \
            and found not in READABLE_FORMATS:
        raise ValueError(f"{path} was shared by a newer version of this app. Please update "
                         "the app on this laptop to keep this record in step.")
    if found not in READABLE_FORMATS:
        raise ValueError(f"{path} is not a shared-record file of this app")
    return {str(k): str(v) for k, v in data.items()}


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary name, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    with contextlib.suppress(OSError):
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def laptop_files(folder: Path, laptop: str) -> list[SharedFile]:
    """One laptop's files, oldest first (a base before the rounds it does not cover)."""
    directory = folder / LAPTOPS / laptop
    found: list[SharedFile] = []
    if not directory.is_dir():
        return found
    for path in directory.iterdir():
        if match := _ROUND.match(path.name):
            found.append(SharedFile(laptop, int(match.group(1)), False, path))
        elif match := _BASE.match(path.name):
            found.append(SharedFile(laptop, int(match.group(1)), True, path))
    return sorted(found, key=lambda f: (f.number, not f.base))


def laptops(folder: Path) -> list[str]:
    """Every laptop that has written to the folder."""
    directory = folder / LAPTOPS
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if p.is_dir() and not p.name.startswith("."))


def to_read(files: list[SharedFile], applied: set[str]) -> list[SharedFile]:
    """The files still to apply, in order: the newest base, then later rounds."""
    bases = [f for f in files if f.base]
    newest = bases[-1] if bases else None
    wanted: list[SharedFile] = []
    # An unread base is always read: the rounds it folded may be gone already, and
    # applying what is already here again changes nothing (Yjs updates are idempotent).
    if newest is not None and newest.name not in applied:
        wanted.append(newest)
    floor = newest.number if newest is not None else 0
    wanted.extend(f for f in files
                  if not f.base and f.number > floor and f.name not in applied)
    return wanted


def read(key: FamilyKey, shared: SharedFile) -> bytes:
    """A file's Yjs update (SealError if incomplete, renamed or not the family's)."""
    return unseal(key, shared.name, shared.path.read_bytes())


def publish(folder: Path, key: FamilyKey, laptop: str, number: int, update: bytes,
            base: bool = False) -> SharedFile:
    """Seal and write one of this laptop's files."""
    name = f"base-{number:08d}.nbs" if base else f"{number:08d}.nbs"
    shared = SharedFile(laptop, number, base, folder / LAPTOPS / laptop / name)
    write_atomically(shared.path, seal(key, shared.name, update))
    return shared


def fold(folder: Path, key: FamilyKey, laptop: str, number: int, everything: bytes) -> bool:
    """Replace this laptop's round files up to ``number`` by one base file, when many.

    Another laptop that was away reads the base instead of the rounds it missed: the
    base holds everything this laptop had, its own edits and what it had received.
    """
    files = laptop_files(folder, laptop)
    rounds = [f for f in files if not f.base and f.number <= number]
    if len(rounds) < FOLD_AFTER:
        return False
    publish(folder, key, laptop, number, everything, base=True)
    for old in files:
        if old.number < number or (not old.base and old.number == number):
            with contextlib.suppress(OSError):
                old.path.unlink()
    return True

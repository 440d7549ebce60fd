"""Writing an export file so that a failure never leaves a half-written file behind.

The file is written to a temporary name in the destination folder, flushed to the disk
(fsync), then renamed over the destination in one step. If anything fails on the way, the
temporary file is removed and a :class:`ExportError` with a plain sentence is raised.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nbcompanion.i18n import _
from nbcompanion.record.errors import StorageError


class ExportError(StorageError):
    """An export could not be written; ``str(error)`` is fit to show the user."""


def export_error(path: Path, error: BaseException) -> ExportError:
    """A plain sentence for an export to ``path`` that the computer refused."""
    code = getattr(error, "errno", None)
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", None):
        reason = "the disk is full. Free some space, or choose another place, and try again"
    elif isinstance(error, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = ("the app is not allowed to write in that folder. Please choose another "
                  "folder, such as your Documents folder")
    elif isinstance(error, (FileNotFoundError, NotADirectoryError)) or code in (
            errno.ENOENT, errno.ENOTDIR):
        reason = "that folder does not exist (any more). Please choose another folder"
    else:
        detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
        reason = f"the computer reported a problem: {detail}"
    return ExportError(_("The file {name} could not be saved in {parent}, because {reason}. "
                         "Nothing was written.").format(
                         name=path.name, parent=path.parent, reason=reason))


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(destination: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``destination``; on success it replaces ``destination``.

    The body writes the temporary file by any means (e.g. a ``QPdfWriter`` given its name).
    Any exception in the body or in the final rename removes the temporary file; OSErrors
    become :class:`ExportError`.
    """
    destination = Path(destination)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{destination.stem}-", suffix=".partial",
                                    dir=destination.parent)
        os.close(fd)
    except OSError as error:
        raise export_error(destination, error) from error
    temp = Path(name)
    try:
        yield temp
        if not temp.exists() or temp.stat().st_size == 0:
            raise ExportError(_("The file {name} could not be made: nothing was written. "
                                "Please try again.").format(
                                name=destination.name))
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)  # a private health record stays readable by the user only
        try:
            os.replace(temp, destination)
        except PermissionError as error:
            if destination.exists():  # e.g. open in a PDF viewer that locks it (Windows)
                raise ExportError(
                    _("The file {name} in {parent} could not be replaced; it may be open in "
                      "another program. Close it there, or choose another name, and try "
                      "again.").format(
                      name=destination.name, parent=destination.parent)) from error
            raise
    except OSError as error:
        _remove(temp)
        raise export_error(destination, error) from error
    except BaseException:
        _remove(temp)
        raise
    fsync_folder(destination.parent)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def write_bytes(destination: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``destination`` atomically; returns the destination path."""
    return write_with(destination, lambda handle: handle.write(data))


def write_with(destination: Path | str, writer: Callable[[Any], object],
               *, text: bool = False) -> Path:
    """Open a temporary file (binary, or UTF-8 text with ``text=True``), let ``writer`` fill
    it, and move it into place atomically."""
    destination = Path(destination)
    with atomic_path(destination) as temp:
        try:
            if text:
                with open(temp, "w", encoding="utf-8", newline="") as handle:
                    writer(handle)
            else:
                with open(temp, "wb") as handle:
                    writer(handle)
        except OSError as error:
            raise export_error(destination, error) from error
    return destination

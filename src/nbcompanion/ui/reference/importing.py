"""Reference › Add reference summary…: the file is read and checked off the GUI thread, with
progress and Cancel, before it joins the library (``books.add_summary``).

The checks (size limit, bounded front matter, linear heading scan) keep a crafted file from
freezing the app; only a file that passed them is copied into the library, on the GUI thread
(the search index belongs to it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nbcompanion.ui.background import Progress, run_in_background
from nbcompanion.ui.reference import helpers
from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from nbcompanion.content.summary import Book
    from nbcompanion.ui.reference.page import ReferencePage

CANNOT_ADD = "This file cannot be added"


def quick_refusal(path: Path) -> str:
    """A message for files refused by their size alone (checked at once), or ""."""
    from nbcompanion.content.summary import MAX_SUMMARY_BYTES

    try:
        size = path.stat().st_size
    except OSError as error:
        return f"The file could not be opened ({error.strerror})."
    if not path.is_file():
        return "This is not a file that can be added."
    if size == 0:
        return "This file is empty, so there is nothing to add."
    if size > MAX_SUMMARY_BYTES:
        return (f"This file is too large to be a PDQ summary ({size / 1048576:.0f} MB). "
                f"Summaries are text files well under {MAX_SUMMARY_BYTES // 1048576} MB.")
    return ""


def check_summary(path: Path, progress: Progress) -> Book:
    """Worker-thread half: read and check the file as a summary (nothing is saved)."""
    from nbcompanion.content.analysis import analyse
    from nbcompanion.content.summary import Book

    progress.report(0, 3, "Reading the file…")
    book = Book.from_file(path, "candidate")
    progress.report(1, 3, "Checking its topics…")
    _ = book.sections, book.title
    progress.report(2, 3, "Checking its links and explanations…")
    analyse(book)  # what the library does on first use, proven to finish here, not there
    return book


def check_off_the_gui_thread(page: ReferencePage, path: Path) -> bool:
    """Read and check ``path`` on a worker thread, with progress and Cancel; True when it
    passed. The family is told why a file was refused.

    The caller waits in a local event loop, so the window keeps repainting and Cancel
    works while a large or crafted file is checked; the next steps (the question whether
    to replace an older version, the copy into the library) stay on the GUI thread.
    """
    from PySide6.QtCore import QEventLoop

    from nbcompanion.content.summary import SummaryFormatError

    refusal = quick_refusal(Path(path))
    if refusal:
        helpers.tell_user(page, CANNOT_ADD, refusal)
        return False
    job = run_in_background(page, lambda progress: check_summary(Path(path), progress),
                            title=tr("Adding a reference summary"),
                            label=tr("Reading and checking the file…"))
    page.import_job = job
    if not job.done:
        loop = QEventLoop()
        job.finished.connect(loop.quit)
        if not job.done:
            loop.exec()
    if job.was_cancelled:
        return False
    if isinstance(job.error, SummaryFormatError):
        helpers.tell_user(page, CANNOT_ADD, str(job.error))
        return False
    if job.error is not None:
        if not isinstance(job.error, MemoryError | RecursionError | OSError | ValueError):
            raise job.error
        helpers.tell_user(page, CANNOT_ADD, "This file could not be read as a PDQ summary. "
                                            "Nothing was added.")
        return False
    return True

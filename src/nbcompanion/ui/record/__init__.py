"""The care record's own views: the child profile, tests and results, treatment, visits and
the timeline, with the Record menu and the child switcher.

Everything here reads through ``nbcompanion.record`` (entries, queries, dates) and writes
only through :func:`nbcompanion.record.entries.save` inside the shared entry dialogs.
"""

from nbcompanion.reports.qtfix import protect_none

# Every void Qt call on Python 3.11 with PySide6 6.12 drains a reference to None; the
# record views make thousands (a timeline repaint alone draws every visible mark).
protect_none()

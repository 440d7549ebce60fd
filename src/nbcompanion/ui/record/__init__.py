"""The care record's own views: the child profile, tests and results, treatment, visits and
the timeline, with the Record menu and the child switcher.

Everything here reads through ``nbcompanion.record`` (entries, queries, dates) and writes
only through :func:`nbcompanion.record.entries.save` inside the shared entry dialogs.
"""

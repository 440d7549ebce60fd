"""Keeping the family's record safe in the window: one writer per file, restore, export."""

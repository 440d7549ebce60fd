"""Saving what can still be read from a damaged record into a new, sound record file.

Rows are read table by table in rowid order (the table itself, never its indexes, which are
where damage often sits), copied into a fresh record of the latest version, and rows whose
parent could not be read are left out, so the result passes every check and can be opened
or restored like any backup. The damaged file is only read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbcompanion.i18n import _
from nbcompanion.record.errors import RecordError
from nbcompanion.record.store import open_store, read_only_uri

#: Called with (tables done, tables in all, table name); may raise to stop (Cancel).
Progress = Callable[[int, int, str], None]

#: How far to jump past an unreadable stretch of a table before giving up on it.
_MAX_SKIP = 1 << 40


@dataclass
class SalvageReport:
    """What was saved: rows per table, and tables where something could not be read."""

    rows: dict[str, int] = field(default_factory=dict)
    damaged_tables: list[str] = field(default_factory=list)
    left_out: int = 0

    def count(self, table: str) -> int:
        """Rows saved from ``table``."""
        return self.rows.get(table, 0)


def _read_rows(source: sqlite3.Connection, table: str,
               columns: list[str]) -> tuple[list[tuple[object, ...]], bool]:
    """Every readable row of ``table`` (rowid first); True when some could not be read."""
    names = ", ".join(f"[{c}]" for c in columns)
    rows: list[tuple[object, ...]] = []
    last, skip, damaged = -(1 << 63), 1, False
    while True:
        try:
            cursor = source.execute(
                f"SELECT rowid, {names} FROM [{table}] WHERE rowid > ? ORDER BY rowid", [last])
            for row in cursor:
                rows.append(row)
                last, skip = int(row[0]), 1
            return rows, damaged
        except sqlite3.DatabaseError:
            damaged = True
            if skip > _MAX_SKIP:
                return rows, damaged
            last, skip = last + skip, skip * 16


def salvage(damaged: Path, destination: Path, progress: Progress | None = None,
            *, live: bool = True) -> SalvageReport:
    """Copy what can be read from the record ``damaged`` into a new record ``destination``.

    ``destination`` is written to a hidden temporary file first and appears only once it is
    complete and checked. Raises :class:`RecordError` when nothing could be saved.
    """
    damaged, destination = Path(damaged), Path(destination)
    if destination.resolve() == damaged.resolve():
        raise RecordError(_("Please choose another file name: that is the damaged record itself."))
    temp = destination.with_name(f".{destination.name}.partial")
    for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
        with contextlib.suppress(OSError):
            leftover.unlink()
    uri = damaged.resolve().as_uri() + "?mode=ro" if live else read_only_uri(damaged)
    report = SalvageReport()
    try:
        source = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise RecordError(_("The damaged record could not be read at all ({error}).").format(
                            error=error)) from error
    try:
        target = open_store(temp, start_new=True)
        try:
            _copy_tables(source, target.conn, report, progress)
        finally:
            target.close()
    except BaseException:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    finally:
        source.close()
    from nbcompanion.record.backup import check_file, fsync_path

    if not check_file(temp).ok:
        temp.unlink()
        raise RecordError(_("What could be read did not make a sound record, so nothing was "
                          "saved. The damaged file has not been changed."))
    fsync_path(temp)
    os.replace(temp, destination)
    fsync_path(destination.parent)
    return report


def _copy_tables(source: sqlite3.Connection, target: sqlite3.Connection,
                 report: SalvageReport, progress: Progress | None) -> None:
    tables = [row[0] for row in target.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    try:
        known = {row[0] for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise RecordError(_("The damaged record's list of tables cannot be read, so nothing "
                          "could be saved.")) from error
    # Rows arrive in any order and some parents may be lost: check links once, at the end.
    target.execute("PRAGMA foreign_keys = OFF")
    target.execute("BEGIN IMMEDIATE")
    try:
        for done, table in enumerate(tables):
            if progress is not None:
                progress(done, len(tables), table)
            if table not in known:
                continue
            ours = [r[1] for r in target.execute(f"PRAGMA table_info([{table}])")]
            try:
                theirs = {r[1] for r in source.execute(f"PRAGMA table_info([{table}])")}
            except sqlite3.DatabaseError:
                report.damaged_tables.append(table)
                continue
            columns = [c for c in ours if c in theirs]
            rows, hurt = _read_rows(source, table, columns)
            if hurt:
                report.damaged_tables.append(table)
            marks = ", ".join("?" * len(columns))
            names = ", ".join(f"[{c}]" for c in columns)
            saved = 0
            for row in rows:
                try:
                    target.execute(f"INSERT OR REPLACE INTO [{table}] ({names}) VALUES ({marks})",
                                   row[1:])
                    saved += 1
                except sqlite3.IntegrityError:
                    report.left_out += 1
            report.rows[table] = saved
        report.left_out += _drop_orphans(target, report)
        target.execute("COMMIT")
    except BaseException:
        target.execute("ROLLBACK")
        raise
    finally:
        target.execute("PRAGMA foreign_keys = ON")


def _drop_orphans(conn: sqlite3.Connection, report: SalvageReport) -> int:
    """Delete rows whose parent was lost, until every link holds; return how many."""
    dropped = 0
    while orphans := conn.execute("PRAGMA foreign_key_check").fetchall():
        for table, rowid in {(row[0], row[1]) for row in orphans}:
            conn.execute(f"DELETE FROM [{table}] WHERE rowid = ?", [rowid])
            report.rows[table] = report.rows.get(table, 1) - 1
            dropped += 1
    return dropped

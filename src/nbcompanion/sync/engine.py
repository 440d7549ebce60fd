"""Sharing a record between laptops: start, join, one round, stop.

A round, run in its own short-lived process (``nbcompanion --data FILE --sync``):

1. load this laptop's copy of the shared document (kept beside the record);
2. add the edits made here since the last round, each with what this laptop had seen,
   and publish them as one sealed file in this laptop's subfolder;
3. read the other laptops' new files (a file not fully copied yet is tried next time);
4. write the rows that changed back into the record in one transaction, leaving alone
   anything edited here while the round ran, and list the conflicts;
5. fold this laptop's old files into one, and keep the document for next time.

The record file stays the app's store; opening it is as fast as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import socket
import sqlite3
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nbcompanion.record.ids import SHARED_SETTING, is_shared
from nbcompanion.sync import capture
from nbcompanion.sync import folder as shared
from nbcompanion.sync.crypto import (
    FamilyKey,
    SealError,
    check_key,
    dumps,
    new_family,
    open_family,
)
from nbcompanion.sync.document import DELETED, SharedDoc, row_key, split_key

#: Settings kept in the record itself (they travel with it, so a copy is recognised).
FOLDER = SHARED_SETTING
LAPTOP = "sync.laptop"
LAPTOP_NAME = "sync.name"
MACHINE = "sync.machine"
PUBLISHED = "sync.published"
RECORD_ID = "sync.record"
LAPTOPS = "sync.laptops"
KEYRING_SERVICE = "nbcompanion-sync"
PASSPHRASE_ENV = "NBCOMPANION_SYNC_PASSPHRASE"
KEY_ENV = "NBCOMPANION_SYNC_KEY"


class SyncError(Exception):
    """Sharing could not go on; the message is fit to show."""


@dataclass
class RoundSummary:
    """What one round did (printed as JSON by ``--sync``)."""

    published: int = 0
    applied: int = 0
    conflicts: int = 0
    laptops: dict[str, str] = field(default_factory=dict)
    changes_from: dict[str, int] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)
    purged: int = 0
    rebuilt: bool = False

    def as_json(self) -> str:
        """The summary as one line of JSON."""
        return json.dumps(asdict(self), sort_keys=True)


# -- identities -----------------------------------------------------------------------------
def machine_id() -> str:
    """A fingerprint of this computer, so a record copied to another one is recognised."""
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        with contextlib.suppress(OSError):
            text = Path(candidate).read_text(encoding="ascii").strip()
            if text:
                return hashlib.sha256(text.encode()).hexdigest()[:16]
    raw = f"{uuid.getnode()}-{socket.gethostname()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


# -- small helpers over the record --------------------------------------------------------------
def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists() or path.stat().st_size == 0:
        raise SyncError(f"There is no record at {path}.")
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _setting(conn: sqlite3.Connection, key: str) -> str | None:
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else row[0]


def _set(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM setting WHERE key = ?", [key])
    else:
        conn.execute("INSERT INTO setting (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


class _Local:
    """This laptop's own copy of the document and what it has read, beside the record."""

    def __init__(self, record: Path) -> None:
        self.folder = record.with_name(record.name + ".sync")
        self.doc_path = self.folder / "document.ydoc"
        self.state_path = self.folder / "state.json"

    def load(self, laptop: str) -> tuple[bytes | None, set[str]]:
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
            if state.get("laptop") != laptop:
                return None, set()
            return self.doc_path.read_bytes(), set(state.get("applied", []))
        except (OSError, ValueError):
            return None, set()

    def save(self, laptop: str, document: bytes, applied: set[str]) -> None:
        self.folder.mkdir(mode=0o700, exist_ok=True)
        shared.write_atomically(self.doc_path, document)
        shared.write_atomically(self.state_path, json.dumps(
            {"laptop": laptop, "applied": sorted(applied)}).encode("utf-8"))

    def remove(self) -> None:
        for path in (self.doc_path, self.state_path):
            with contextlib.suppress(OSError):
                path.unlink()
        with contextlib.suppress(OSError):
            self.folder.rmdir()


# -- the family key ------------------------------------------------------------------------------
def remember_key(record_id: str, key: FamilyKey) -> bool:
    """Keep the key in the system keyring; False where there is none (then ask each time)."""
    try:
        import keyring
        from keyring.errors import KeyringError

        backend = type(keyring.get_keyring()).__module__
        if backend.endswith((".fail", ".null")):
            return False  # no keyring service here (a headless machine, some desktops)
        keyring.set_password(KEYRING_SERVICE, record_id, key.hex())
    except (ImportError, KeyringError, RuntimeError, OSError):
        return False
    return True


def recalled_key(record_id: str) -> FamilyKey | None:
    """The key from the environment (a child process) or the system keyring, if there."""
    text = os.environ.get(KEY_ENV)
    if not text:
        try:
            import keyring
            from keyring.errors import KeyringError

            text = keyring.get_password(KEYRING_SERVICE, record_id)
        except (ImportError, KeyringError, RuntimeError, OSError):
            text = None
    if not text:
        return None
    try:
        return FamilyKey.from_hex(text)
    except ValueError:
        return None


def _forget_key(record_id: str) -> None:
    with contextlib.suppress(Exception):
        import keyring

        keyring.delete_password(KEYRING_SERVICE, record_id)


def key_for(record: Path, passphrase: str | None = None) -> FamilyKey:
    """The key for a shared record: from ``passphrase``, the environment or the keyring."""
    conn = _connect(record)
    try:
        folder_text, record_id = _setting(conn, FOLDER), _setting(conn, RECORD_ID)
    finally:
        conn.close()
    if folder_text is None or record_id is None:
        raise SyncError("This record is not shared with another laptop.")
    family = shared.read_family(Path(folder_text))
    if family is None:
        raise SyncError(f"The shared folder {folder_text} cannot be found. Is the drive "
                        "or the synced folder there?")
    passphrase = passphrase or os.environ.get(PASSPHRASE_ENV)
    if passphrase:
        return open_family(family, passphrase)
    key = recalled_key(record_id)
    if key is None:
        raise SyncError("The family passphrase is needed to share this record.")
    check_key(family, key)
    return key


# -- start, join, stop ------------------------------------------------------------------------
def start_sharing(record: Path, folder: Path, passphrase: str, name: str) -> RoundSummary:
    """Share this record through ``folder`` (which must not hold a shared record yet)."""
    if len(passphrase) < 8:
        raise SyncError("Please choose a passphrase of at least 8 characters.")
    if shared.read_family(folder) is not None:
        raise SyncError("This folder already holds a shared record. To use it on this "
                        "laptop, join it instead.")
    conn = _connect(record)
    try:
        if is_shared(conn):
            raise SyncError("This record is already shared.")
        record_id = secrets.token_hex(8)
        family, key = new_family(passphrase, record_id)
        laptop = secrets.token_hex(8)
        document = SharedDoc(laptop)
        document.put_rows(capture.all_rows(conn))
        document.name_device(name.strip() or socket.gethostname())
        document.acknowledge()
        folder.mkdir(parents=True, exist_ok=True)
        shared.write_atomically(folder / shared.FAMILY_FILE, dumps(family))
        first = shared.publish(folder, key, laptop, 1, document.update_since(), base=True)
        conn.execute("BEGIN IMMEDIATE")
        capture.install(conn)
        for setting, value in ((FOLDER, str(folder)), (LAPTOP, laptop),
                               (LAPTOP_NAME, name.strip()), (MACHINE, machine_id()),
                               (PUBLISHED, "1"), (RECORD_ID, record_id)):
            _set(conn, setting, value)
        conn.execute("COMMIT")
    finally:
        conn.close()
    _Local(record).save(laptop, document.update_since(), {first.name})
    remember_key(record_id, key)
    return RoundSummary(published=sum(1 for _ in document.keys()),  # noqa: SIM118
                        laptops=document.device_names())


def join_sharing(record: Path, folder: Path, passphrase: str, name: str) -> RoundSummary:
    """Build a new record at ``record`` from the shared ``folder`` and keep it in step."""
    family = shared.read_family(folder)
    if family is None:
        raise SyncError("This folder holds no shared record yet. Start sharing on the "
                        "laptop that has the record first.")
    key = open_family(family, passphrase)
    if record.exists() and record.stat().st_size > 0:
        raise SyncError(f"{record} already exists. Choose a new file for the shared record.")
    from nbcompanion.record.store import open_store

    open_store(record).close()
    conn = _connect(record)
    try:
        conn.execute("BEGIN IMMEDIATE")
        capture.install(conn)
        for setting, value in ((FOLDER, str(folder)), (LAPTOP, secrets.token_hex(8)),
                               (LAPTOP_NAME, name.strip()), (MACHINE, machine_id()),
                               (PUBLISHED, "0"), (RECORD_ID, family["record"])):
            _set(conn, setting, value)
        conn.execute("COMMIT")
    finally:
        conn.close()
    remember_key(family["record"], key)
    return sync_round(record, key)


def stop_sharing(record: Path) -> None:
    """Stop sharing this record (it stays as it is; the shared folder is not touched)."""
    conn = _connect(record)
    try:
        record_id = _setting(conn, RECORD_ID)
        conn.execute("BEGIN IMMEDIATE")
        capture.uninstall(conn)
        for setting in (FOLDER, LAPTOP, LAPTOP_NAME, MACHINE, PUBLISHED, RECORD_ID, LAPTOPS):
            _set(conn, setting, None)
        conn.execute("COMMIT")
    finally:
        conn.close()
    _Local(record).remove()
    if record_id:
        _forget_key(record_id)


# -- conflicts ------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenConflict:
    """A conflict as the window lists it: the entry, the field, each laptop's value."""

    key: str
    table: str
    row_id: int
    field: str
    writes: list[dict[str, Any]]

    @property
    def about_a_delete(self) -> bool:
        """Deleted on one laptop while edited on another."""
        return self.field == DELETED


def open_conflicts(conn: sqlite3.Connection) -> list[OpenConflict]:
    """The conflicts the last round found (the same list on every laptop)."""
    try:
        rows = conn.execute("SELECT key, tbl, row_id, field, writes FROM sync_conflict "
                            "ORDER BY key").fetchall()
    except sqlite3.OperationalError:
        return []
    return [OpenConflict(k, t, int(i), f, json.loads(w)) for k, t, i, f, w in rows]


def settle(conn: sqlite3.Connection, conflict: OpenConflict, value: Any) -> None:
    """Settle a conflict by choosing ``value`` (for a delete: True deletes, False keeps).

    An ordinary edit, made after seeing every value: it goes to the other laptops at the
    next round, and the conflict closes everywhere.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conflict.about_a_delete:
            if value:
                conn.execute(f"DELETE FROM [{conflict.table}] WHERE id = ?", [conflict.row_id])
            else:
                capture.note_decision(conn, conflict.table, conflict.row_id, DELETED)
        else:
            conn.execute(f"UPDATE [{conflict.table}] SET [{conflict.field}] = ? WHERE id = ?",
                         [value, conflict.row_id])
            capture.note_decision(conn, conflict.table, conflict.row_id, conflict.field)
        conn.execute("DELETE FROM sync_conflict WHERE key = ?", [conflict.key])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# -- one round ------------------------------------------------------------------------------
def sync_round(record: Path, key: FamilyKey | None = None) -> RoundSummary:
    """Publish this laptop's edits, apply the others', and list conflicts."""
    if key is None:
        key = key_for(record)
    conn = _connect(record)
    try:
        return _Round(record, conn, key).run()
    finally:
        conn.close()


class _Round:
    def __init__(self, record: Path, conn: sqlite3.Connection, key: FamilyKey) -> None:
        self.record = record
        self.conn = conn
        self.key = key
        self.summary = RoundSummary()
        folder_text = _setting(conn, FOLDER)
        if folder_text is None:
            raise SyncError("This record is not shared with another laptop.")
        self.folder = Path(folder_text)
        family = shared.read_family(self.folder)
        if family is None:
            raise SyncError(f"The shared folder {self.folder} cannot be found. Is the "
                            "drive or the synced folder there?")
        if family["record"] != _setting(conn, RECORD_ID):
            raise SyncError("That folder holds another shared record.")
        check_key(family, key)
        self.local = _Local(record)

    def run(self) -> RoundSummary:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        capture.install(conn)
        rebuild = False
        laptop = _setting(conn, LAPTOP) or ""
        if _setting(conn, MACHINE) != machine_id():
            # The record file was copied here from another laptop: this is a new laptop,
            # and the copy's own unshared notes belong to the laptop it came from.
            laptop = secrets.token_hex(8)
            _set(conn, LAPTOP, laptop)
            _set(conn, MACHINE, machine_id())
            _set(conn, PUBLISHED, "0")
            conn.execute("DELETE FROM sync_change")
            rebuild = True
        conn.execute("COMMIT")
        published = int(_setting(conn, PUBLISHED) or 0)
        cached, applied = self.local.load(laptop)
        own = shared.laptop_files(self.folder, laptop)
        newest_own = max((f.number for f in own), default=0)
        if cached is None or newest_own > published:
            # No copy of the document here, or the folder holds newer files of this laptop
            # than the record knows (the record was restored from a backup): the folder is
            # the truth. Edits noted in the restored file were already shared, or lost
            # with the restore; they are not shared again over newer ones.
            rebuild = True
            cached, applied = None, set()
            conn.execute("DELETE FROM sync_change")
        self.summary.rebuilt = rebuild
        if not rebuild and self._nothing_to_do(applied):
            # The usual round every few minutes: nothing typed here, nothing new there.
            # Answered without loading the document at all.
            self.summary.conflicts = len(conn.execute("SELECT 1 FROM sync_conflict")
                                         .fetchall())
            self.summary.laptops = json.loads(_setting(conn, LAPTOPS) or "{}")
            return self.summary
        document = SharedDoc(laptop, cached)

        # Pull this laptop's own files first, so numbering continues after them.
        self._pull(document, applied, laptops=[laptop], count=False)
        number = max(published, newest_own)

        last_change = 0
        if not rebuild:
            last_change, edits, created = capture.pending(conn)
            before = document.state()
            changes = {key: (values if values is not None else {DELETED: True})
                       for key, values in edits.items()}
            document.record_edits(changes, created)
            name = _setting(conn, LAPTOP_NAME)
            if name:
                document.name_device(name)
            self.summary.purged = document.purge()
            document.acknowledge()
            if document.state() != before:
                update = document.update_since(before)
                number += 1
                published_file = shared.publish(self.folder, self.key, laptop, number, update)
                applied.add(published_file.name)
            self.summary.published = len(changes)

        # A rebuild rewrites every row anyway; otherwise note which rows the others changed.
        # (Watching costs: it turns every change into a Python event.)
        watching = None if rebuild else (document.watch_rows(), document.watch_writes())
        others = [lap for lap in shared.laptops(self.folder) if lap != laptop]
        self._pull(document, applied, laptops=others, count=not rebuild)
        if rebuild:
            # Only what is new here (this laptop's name and what it has seen): the others
            # hold the rest already, and re-reading a whole copy would cost them memory.
            before = document.state()
            document.name_device(_setting(conn, LAPTOP_NAME) or socket.gethostname())
            document.acknowledge()
            if document.state() != before:
                number += 1
                first = shared.publish(self.folder, self.key, laptop, number,
                                       document.update_since(before))
                applied.add(first.name)
        if watching is None:
            keys = set(document.keys()) | capture.all_keys(conn)
        else:
            (rows_changed, rows_watch), (writes_changed, writes_watch) = watching
            document.rows.unobserve(rows_watch)
            document.writes.unobserve(writes_watch)
            keys = rows_changed | writes_changed
        renames: dict[str, dict[str, Any]] = {}
        self.summary.applied = self._write_back(document, keys, last_change, number, renames,
                                                rebuild=watching is None)
        if renames:
            # Two laptops named a new kind alike: both record the same rename, so the
            # names stay apart everywhere and no laptop sees a conflict over it.
            before = document.state()
            document.record_edits(renames, set())
            number += 1
            applied.add(shared.publish(self.folder, self.key, laptop, number,
                                       document.update_since(before)).name)
            conn.execute("BEGIN IMMEDIATE")
            _set(conn, PUBLISHED, str(number))
            conn.execute("COMMIT")
        everything = document.update_since()
        if shared.fold(self.folder, self.key, laptop, number, everything):
            applied = {f.name for f in shared.laptop_files(self.folder, laptop)} | {
                name for name in applied if not name.startswith(f"{shared.LAPTOPS}/{laptop}/")}
        self.local.save(laptop, everything, applied)
        self.summary.laptops = document.device_names()
        return self.summary

    def _nothing_to_do(self, applied: set[str]) -> bool:
        if self.conn.execute("SELECT 1 FROM sync_change LIMIT 1").fetchone() is not None:
            return False
        return not any(shared.to_read(shared.laptop_files(self.folder, lap), applied)
                       for lap in shared.laptops(self.folder))

    def _pull(self, document: SharedDoc, applied: set[str], laptops: list[str],
              count: bool) -> None:
        names = document.device_names()
        for laptop in laptops:
            for shared_file in shared.to_read(shared.laptop_files(self.folder, laptop), applied):
                try:
                    update = shared.read(self.key, shared_file)
                except (SealError, OSError):
                    self.summary.waiting.append(shared_file.name)
                    continue
                changed, subscription = document.watch_rows()
                document.apply(update)
                document.rows.unobserve(subscription)
                applied.add(shared_file.name)
                if count and changed:
                    label = document.device_names().get(laptop) or names.get(laptop) or laptop
                    self.summary.changes_from[label] = (
                        self.summary.changes_from.get(label, 0) + len(changed))

    def _write_back(self, document: SharedDoc, keys: set[str], last_change: int,
                    number: int, renames: dict[str, dict[str, Any]], *, rebuild: bool) -> int:
        conn = self.conn
        tables = capture.shared_tables(conn)
        order = {t: i for i, t in enumerate(capture.parents_first(conn, list(tables)))}
        history = document.writes_by_row(keys)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT INTO sync_applying (flag) VALUES (1)")
            conn.execute("PRAGMA defer_foreign_keys = ON")
            later = capture.later_edits(conn, last_change)
            written = 0
            alive_keys = sorted(
                (k for k in keys if split_key(k)[0] in tables),
                key=lambda k: (order[split_key(k)[0]], k))
            # One document transaction for all the reading: pycrdt otherwise opens one
            # per access, which made joining a ten-year record several times slower.
            # Row by row (one call into Yrs each): reading every row at once as one JSON
            # text doubled the join's peak memory on a ten-year record.
            everything = None
            with document.doc.transaction():
                for key in alive_keys:
                    if key in later and later[key] is None:
                        continue  # deleted here while the round ran: next round shares it
                    table, row_id = split_key(key)
                    skip = later.get(key) or set()
                    values = (everything.get(key) if everything is not None
                              else document.row(key))
                    if document.is_alive(key, history.get(key, {}), values):
                        # A column the document does not hold was empty when shared, or is
                        # one this laptop's newer app added: keep what is here, unless the
                        # folder is being taken as the truth (a rebuild).
                        held = values or {}
                        columns = [c for c in tables[table]
                                   if c not in skip and (rebuild or c in held)]
                        row = {c: held.get(c) for c in columns}
                        if _upsert(conn, table, row_id, row, renames, key):
                            written += 1
                    elif conn.execute(f"DELETE FROM [{table}] WHERE id = ?",
                                      [row_id]).rowcount:
                        written += 1
            written += _drop_orphans(conn)
            conn.execute("DELETE FROM sync_conflict")
            conflicts = document.conflicts()
            names = document.device_names()
            conn.executemany(
                "INSERT INTO sync_conflict (key, tbl, row_id, field, writes) VALUES (?,?,?,?,?)",
                [(c.key, c.table, c.row_id, c.field, json.dumps(
                    [{"laptop": names.get(w.device, w.device), "value": w.value}
                     for w in c.writes])) for c in conflicts])
            self.summary.conflicts = len(conflicts)
            capture.clear_pending(conn, last_change)
            _set(conn, PUBLISHED, str(number))
            _set(conn, LAPTOPS, json.dumps(names, sort_keys=True))
            conn.execute("DELETE FROM sync_applying")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return written


def _upsert(conn: sqlite3.Connection, table: str, row_id: int, values: dict[str, Any],
            renames: dict[str, dict[str, Any]], key: str) -> bool:
    values = {c: v for c, v in values.items() if c != "id"}
    names = ["id", *values]
    marks = ", ".join("?" * len(names))
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in values) or "id = excluded.id"
    sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in names)}) VALUES ({marks}) "
           f"ON CONFLICT(id) DO UPDATE SET {updates}")
    for attempt in range(2, 50):
        try:
            cursor = conn.execute(sql, [row_id, *values.values()])
        except sqlite3.IntegrityError as error:
            if "UNIQUE" not in str(error) or "name" not in values or values["name"] is None:
                raise
            values = {**values, "name": f"{_base_name(values['name'])} ({attempt})"}
            renames[key] = {"name": values["name"]}
            continue
        return bool(cursor.rowcount)
    return False


def _base_name(name: str) -> str:
    head, _, tail = name.rpartition(" (")
    return head if head and tail.rstrip(")").isdigit() else name


def _drop_orphans(conn: sqlite3.Connection) -> int:
    """Take out rows whose parent another laptop deleted (they stay in the document)."""
    dropped = 0
    for _ in range(10):
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        if not orphans:
            break
        for table, rowid, _parent, _fk in orphans:
            dropped += conn.execute(f"DELETE FROM [{table}] WHERE rowid = ?", [rowid]).rowcount
    return dropped


__all__ = ["RoundSummary", "SyncError", "is_shared", "join_sharing", "row_key",
           "start_sharing", "stop_sharing", "sync_round"]

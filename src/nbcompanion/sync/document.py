"""The shared record as a Yjs document (pycrdt): rows, who wrote what, and conflicts.

Layout of the document (every value is JSON text, so integers, decimals and empty values
come back exactly as they went in):

- ``rows``: ``"table:id"`` → a map of column → value; ``_deleted`` marks a deleted entry
  (a tombstone, kept until every laptop has seen it: :meth:`SharedDoc.purge`). A row that
  was in the record when sharing started holds its columns as one JSON object under
  ``_first``, and later edits as columns beside it (a column wins over ``_first``): one Yjs
  item per row instead of one per column keeps a ten-year record's document, and the
  memory of every laptop that loads it, several times smaller.
- ``writes``: laptop → ``"table:id|column"`` → ``{"v": value, "s": round, "seen": {...}}``,
  the laptop's latest edit of that field and how far it had seen every laptop's edits.
  Only the laptop itself writes in its slot, so slots never clash.
- ``tombstones``: the keys of deleted rows, so forgetting them never scans every row.
- ``clock``: laptop → its latest round with edits. ``acks``: laptop → what it has seen.
- ``devices``: laptop → its name ("Mum's laptop").

Yjs picks one winner when two laptops set the same field without having seen each other;
the ``writes`` slots keep both values, so :meth:`SharedDoc.conflicts` lists every such pair
on every laptop alike, and nothing is dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

DELETED = "_deleted"
#: The columns a row had when sharing started, as one JSON object (see the layout above).
FIRST = "_first"
#: Columns that only say when a row changed: the latest wins, and they are never a conflict.
BOOKKEEPING = frozenset({"created_at", "updated_at"})


_encode_text = json.encoder.encode_basestring


def _dumps(value: Any) -> str:
    """JSON text of a value; the plain kinds of a record's columns take a fast path."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is str:
        return str(_encode_text(value))
    if kind is int:
        return str(value)
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        return repr(value)  # what json writes for a finite float, and it reads back exact
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def row_key(table: str, row_id: int) -> str:
    """The document key of one row."""
    return f"{table}:{row_id}"


def split_key(key: str) -> tuple[str, int]:
    """(table, id) of a row key."""
    table, _, row_id = key.rpartition(":")
    return table, int(row_id)


@dataclass(frozen=True)
class Write:
    """One laptop's latest edit of one field."""

    device: str
    value: Any
    round: int
    seen: dict[str, int]

    def saw(self, other: Write) -> bool:
        """Whether this write was made after ``other`` had arrived (or is ``other``)."""
        if self.device == other.device:
            return self.round >= other.round
        return self.seen.get(other.device, 0) >= other.round


@dataclass(frozen=True)
class Conflict:
    """Two or more edits that did not see each other, all kept.

    ``field`` is a column, or ``_deleted`` for "deleted on one laptop, edited on another".
    """

    table: str
    row_id: int
    field: str
    writes: tuple[Write, ...] = ()

    @property
    def key(self) -> str:
        """A stable identity, the same on every laptop."""
        return f"{self.table}:{self.row_id}|{self.field}"


class SharedDoc:
    """A pycrdt document holding one shared record, seen from one laptop."""

    def __init__(self, device: str, update: bytes | None = None) -> None:
        import secrets

        from pycrdt import Doc, Map

        # A fresh Yjs client id on every run: a laptop restored from a backup must never
        # reuse one, or its new edits would collide with its own earlier ones.
        self.doc: Any = Doc(client_id=secrets.randbits(52))
        if update:
            self.doc.apply_update(update)
        self.device = device
        self.rows = self.doc.get("rows", type=Map)
        self.writes = self.doc.get("writes", type=Map)
        self.clock = self.doc.get("clock", type=Map)
        self.acks = self.doc.get("acks", type=Map)
        self.devices = self.doc.get("devices", type=Map)
        self.tombstones = self.doc.get("tombstones", type=Map)
        self._map_type = Map

    # -- bytes in and out -------------------------------------------------------------------
    def state(self) -> bytes:
        """The state vector, to ask for what changed since."""
        return bytes(self.doc.get_state())

    def update_since(self, state: bytes | None = None) -> bytes:
        """Everything added since ``state`` (everything when None), as a Yjs update."""
        return bytes(self.doc.get_update(state) if state else self.doc.get_update())

    def apply(self, update: bytes) -> None:
        """Merge a Yjs update from another laptop (or from this one's own older files)."""
        self.doc.apply_update(update)

    def watch_rows(self) -> tuple[set[str], Any]:
        """Collect the keys of rows that change from now on; returns (keys, subscription)."""
        changed: set[str] = set()

        def note(events: Any, *_: Any) -> None:
            for event in events:
                path = list(event.path)
                if path:
                    changed.add(str(path[0]))
                else:
                    changed.update(str(k) for k in event.keys)

        return changed, self.rows.observe_deep(note)

    def watch_writes(self) -> tuple[set[str], Any]:
        """Collect the row keys whose recorded edits change from now on."""
        changed: set[str] = set()

        def note(events: Any, *_: Any) -> None:
            for event in events:
                if list(event.path):  # inside one laptop's slot: the keys are fields
                    keys = [str(k) for k in event.keys]
                else:  # a laptop's whole slot arrived
                    keys = [str(k) for device in event.keys
                            for k in (self.writes.get(str(device)) or {})]
                changed.update(k.partition("|")[0] for k in keys)

        return changed, self.writes.observe_deep(note)

    # -- laptops ------------------------------------------------------------------------------
    def name_device(self, name: str) -> None:
        """Record this laptop's name (shown beside its edits and conflicts)."""
        if self.device_names().get(self.device) != name:
            self.devices[self.device] = _dumps({"name": name})

    def device_names(self) -> dict[str, str]:
        """Laptop id → name, for every laptop that has joined."""
        return {str(k): json.loads(v).get("name", "") for k, v in self.devices.items()}

    def clocks(self) -> dict[str, int]:
        """Laptop id → its latest round with edits."""
        return {str(k): int(json.loads(v)) for k, v in self.clock.items()}

    def acknowledge(self) -> None:
        """Say, in this laptop's slot, how far it has seen everyone's edits."""
        clocks = self.clocks()
        if self._ack_of(self.device) != clocks:
            self.acks[self.device] = _dumps(clocks)

    def _ack_of(self, device: str) -> dict[str, int]:
        text = self.acks.get(device)
        return {str(k): int(v) for k, v in json.loads(text).items()} if text else {}

    # -- rows ---------------------------------------------------------------------------------
    def row(self, key: str) -> dict[str, Any] | None:
        """A row's columns (``_deleted`` included), or None when the document has no such row.

        Columns that were empty when the row was shared are not stored: they read as None.
        """
        with self.doc.transaction() as transaction:
            fields = self.rows.get(key)
            if fields is None:
                return None
            # One call into Yrs for the whole row: far quicker than reading each column.
            stored = json.loads(fields.integrated.to_json(transaction._txn))
        return _row_values(key, stored)

    def all_rows(self) -> dict[str, dict[str, Any]]:
        """Every row at once (for rebuilding a record from the folder)."""
        with self.doc.transaction() as transaction:
            stored = json.loads(self.rows.integrated.to_json(transaction._txn))
        return {key: _row_values(key, fields) for key, fields in stored.items()}

    def keys(self) -> Iterator[str]:
        """Every row key."""
        return (str(k) for k in self.rows)

    def put_rows(self, rows: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Add whole rows, as when sharing starts (no edit history: nobody else had them).

        The id lives in the key, empty columns are left out, and the rest go as one JSON
        object: fewer items make the document smaller and faster to load in every later
        round.
        """
        with self.doc.transaction():
            for key, values in rows:
                first = {c: v for c, v in values.items() if v is not None and c != "id"}
                self.rows[key] = self._map_type({FIRST: _dumps(first)})

    def record_edits(self, edits: dict[str, dict[str, Any]], created: set[str]) -> int:
        """Write this laptop's edits: row key → {column: new value}; returns the round.

        Rows in ``created`` are new here (nobody else can have edited them yet), so
        their columns need no history. Every other column gets a record in this laptop's
        slot with what it had seen, so concurrent edits can be found later.
        """
        if not edits:
            return self.clocks().get(self.device, 0)
        seen = self.clocks()
        round_no = seen.get(self.device, 0) + 1
        with self.doc.transaction():
            slot = self.writes.get(self.device)
            if slot is None:
                slot = self.writes[self.device] = self._map_type()
            for key, columns in edits.items():
                fields = self.rows.get(key)
                if fields is None:
                    fields = self.rows[key] = self._map_type()
                for column, value in columns.items():
                    if column == "id" or (key in created and value is None):
                        continue
                    fields[column] = _dumps(value)
                    if column == DELETED:
                        if value:
                            self.tombstones[key] = _dumps(round_no)
                        elif key in self.tombstones:
                            del self.tombstones[key]
                    if key not in created and column not in BOOKKEEPING:
                        slot[f"{key}|{column}"] = _dumps(
                            {"v": value, "s": round_no, "seen": seen})
            self.clock[self.device] = _dumps(round_no)
        return round_no

    # -- reading the history ------------------------------------------------------------------
    def writes_by_row(self, keys: set[str] | None = None) -> dict[str, dict[str, list[Write]]]:
        """Row key → column → every laptop's latest write of it (``keys``: only those rows)."""
        found: dict[str, dict[str, list[Write]]] = {}
        for device, slot in self.writes.items():
            for slot_key, text in slot.items():
                key, _, column = str(slot_key).partition("|")
                if keys is not None and key not in keys:
                    continue
                data = json.loads(text)
                found.setdefault(key, {}).setdefault(column, []).append(
                    Write(str(device), data["v"], int(data["s"]),
                          {str(k): int(v) for k, v in data["seen"].items()}))
        return found

    def row_conflicts(self, key: str, columns: dict[str, list[Write]]) -> list[Conflict]:
        """The conflicts of one row, given its writes (see :meth:`writes_by_row`)."""
        table, row_id = split_key(key)
        conflicts: list[Conflict] = []
        for column, writes in sorted(columns.items()):
            if column == DELETED:
                continue
            latest = _frontier(writes)
            if len({_dumps(w.value) for w in latest}) > 1:
                conflicts.append(Conflict(table, row_id, column, tuple(latest)))
        deletes = [w for w in _frontier(columns.get(DELETED, [])) if w.value is True]
        if deletes and self._is_tombstoned(key):
            later = [w for column, writes in columns.items() if column != DELETED
                     for w in _frontier(writes) if not all(d.saw(w) for d in deletes)]
            if later:
                # One line per laptop: who deleted it, and who edited it meanwhile.
                editors: dict[str, Write] = {}
                for write in later:
                    if write.round >= editors.get(write.device, write).round:
                        editors[write.device] = Write(write.device, False, write.round, {})
                conflicts.append(Conflict(table, row_id, DELETED, tuple(
                    sorted(deletes + list(editors.values()), key=_order))))
        return conflicts

    def _is_tombstoned(self, key: str) -> bool:
        fields = self.rows.get(key)
        return bool(fields is not None and json.loads(fields.get(DELETED, "false")))

    def conflicts(self) -> list[Conflict]:
        """Every open conflict, in the same order on every laptop."""
        found: list[Conflict] = []
        for key, columns in sorted(self.writes_by_row().items()):
            found.extend(self.row_conflicts(key, columns))
        return found

    def is_alive(self, key: str, columns: dict[str, list[Write]] | None = None,
                 fields: dict[str, Any] | None = None) -> bool:
        """Whether a row should be in the record: not deleted, or kept by a conflict.

        A delete only wins over edits its laptop had seen; an edit made without seeing
        the delete keeps the entry (and :meth:`conflicts` lists it). ``fields`` saves
        reading the row again when the caller has it.
        """
        if fields is None:
            fields = self.row(key)
        if fields is None:
            return False
        if not fields.get(DELETED):
            return True
        if columns is None:
            columns = self.writes_by_row({key}).get(key, {})
        return any(c.field == DELETED for c in self.row_conflicts(key, columns))

    # -- forgetting -----------------------------------------------------------------------------
    def purge(self) -> int:
        """Drop deleted rows that every laptop has seen deleted; returns how many."""
        devices = set(self.device_names())
        acks = {d: self._ack_of(d) for d in devices}
        history = self.writes_by_row()
        purged = 0
        with self.doc.transaction():
            for key in [str(k) for k in self.tombstones]:
                if not self._is_tombstoned(key):
                    del self.tombstones[key]  # kept after all ("Keep it")
                    continue
                columns = history.get(key, {})
                if self.is_alive(key, columns):
                    continue
                deletes = [w for w in columns.get(DELETED, []) if w.value is True]
                if not all(acks[d].get(w.device, 0) >= w.round for d in devices
                           for w in deletes):
                    continue
                del self.rows[key]
                del self.tombstones[key]
                slot = self.writes.get(self.device)
                if slot is not None:
                    for column in columns:
                        slot_key = f"{key}|{column}"
                        if slot_key in slot:
                            del slot[slot_key]
                purged += 1
        return purged


def _row_values(key: str, stored: dict[str, str]) -> dict[str, Any]:
    """A row's columns from its stored JSON texts: ``_first``, then the later edits."""
    first = stored.get(FIRST)
    values: dict[str, Any] = json.loads(first) if first else {}
    values.update((str(c), json.loads(v)) for c, v in stored.items() if c != FIRST)
    values["id"] = split_key(key)[1]
    return values


def _order(write: Write) -> tuple[str, int, str]:
    return (write.device, write.round, _dumps(write.value))


def _frontier(writes: list[Write]) -> list[Write]:
    """The writes no other write has seen: the field's current, competing values.

    One write means a settled field; two or more were made without seeing each other.
    A later write that saw them all (an ordinary edit) settles the field again.
    """
    latest = [w for w in writes if not any(o is not w and o.saw(w) for o in writes)]
    return sorted(latest, key=_order)

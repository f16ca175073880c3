"""Sharing between councils, the database side: record states, loading and writing them in bulk.

The spreadsheet side (``tracker.exchange``) reads and writes workbooks and decides what each row
means; everything it reads from or writes to the database goes through here, in bulk: whole
tables are loaded into dictionaries keyed by UUID with one query each, and an import is written
with ``executemany`` inside one transaction (peewee's per-row machinery costs ~10x at 100k rows).

A record's *content* is the tuple of its exchanged fields in the layout's order, in a stored
form: text as text, dates as ISO text, links and councils as UUID hex, ints as ints, deletion and
erasure as timestamps.  :func:`content_hash` hashes that tuple (deletion and erasure as flags
only), which is how "changed since it was last exchanged" is told: see docs/exchange-format.md.
Applying an import, listing imports and undoing one is ``tracker.services.imports``; deciding the
conflicts an import holds, ``tracker.services.conflicts``.

Longer than most modules (about 530 lines) because the loader and the :class:`Writer` are compiled
from one description of the stored columns (``content_kinds``, ``_db_columns``) and must agree on it
exactly; split across modules, each half would need the other's private layout.
"""

import contextlib
import datetime as dt
import hashlib
import uuid as uuidlib
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

from peewee import SqliteDatabase

from tracker import vocab
from tracker.dates import format_uk_date
from tracker.db import database
from tracker.errors import StaleEditError
from tracker.exchange_format import BY_TABLE, SHEETS
from tracker.models import (ActionItem, Attendance, AuditEntry, Commitment, CommitmentCouncil, Event, Stakeholder,
                            StakeholderCouncil, SyncState, Update, utcnow)
from tracker.services.actor import current_actor

MODELS = {m._meta.table_name: m for m in (Stakeholder, Event, Attendance, Commitment, ActionItem, Update)}
COUNCIL_LINKS = {"stakeholder": (StakeholderCouncil, "stakeholder_id"), "commitment": (CommitmentCouncil, "commitment_id")}
UPDATE_TARGET_COLUMNS = {"stakeholder": "stakeholder_id", "commitment": "commitment_id", "action_item": "action_id"}
SEEN_LIMIT = 32  # earlier states remembered per record
BULK_ROWS = 5_000  # an import adding this many rows to a smaller table loads it in bulk (see Writer.insert)
EDITED_SOURCE = "{}, edited in a spreadsheet after export"  # an import's change made by editing the file


# ---- the layout, as the database sees it -----------------------------------------------------------
@lru_cache(maxsize=None)
def content_kinds(table):
    return tuple((c.field, c.kind, c.target) for c in BY_TABLE[table].content)


def content_hash(table, values):
    """A short hash of a record's content; deletion and erasure count as flags, not timestamps.

    Stored bases are these hashes, so the text hashed must never change (a test keeps the formula).
    """
    first = _FIRST_FLAG[table]  # the flags are the layout's last content columns
    key = repr((table, tuple(values[:first]), [v is not None for v in values[first:]]))
    if "\\r\\n" in key:  # LibreOffice saves a cell's CR LF as LF: not a change anyone made
        key = key.replace("\\r\\n", "\\n")
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


_FLAG_POSITIONS = {t: frozenset(i for i, (_, kind, _) in enumerate(content_kinds(t)) if kind in ("deleted", "erased"))
                   for t in BY_TABLE}
_FIRST_FLAG = {t: min(flags) for t, flags in _FLAG_POSITIONS.items()}
assert all(flags == set(range(_FIRST_FLAG[t], len(content_kinds(t)))) for t, flags in _FLAG_POSITIONS.items())


def _quote(name):
    return f'"{name}"'  # SQLite and PostgreSQL both quote identifiers so


def _sql(db):
    return db.param, _quote


def _iso(value):
    if value is None or isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else str(value)


def _hex(value):
    if value is None:
        return None
    if isinstance(value, uuidlib.UUID):
        return value.hex
    return value.replace("-", "").lower() if len(value) != 32 else value


def dashed(hex_):
    """A UUID hex as people and the audit trail write it (8-4-4-4-12)."""
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


def as_audit_text(kind, value, councils=None):
    """A stored value as the audit trail writes it (links as UUIDs with dashes, like services do)."""
    if value is None or value == "":
        return None if value is None else ""
    if kind in ("link", "council"):
        return dashed(value)
    if kind == "councils":
        return "; ".join(sorted(councils.names.get(h, h) for h in value.split(";"))) if councils else value
    return str(value)


# ---- loading -----------------------------------------------------------------------------------------
@dataclass
class Councils:
    by_id: dict = field(default_factory=dict)  # id -> hex
    ids: dict = field(default_factory=dict)  # hex -> id
    names: dict = field(default_factory=dict)  # hex -> name
    lookup: dict = field(default_factory=dict)  # casefolded name or code -> hex

    def find(self, text):
        return self.lookup.get(str(text).strip().casefold())


@dataclass
class Rec:
    """One stored record: what the merge needs and what an export writes."""
    id: int
    version: int
    values: tuple
    created_at: object = None
    updated_at: object = None
    origin: object = None  # council hex
    reference: str = ""


class Create(NamedTuple):
    """A record an import adds: its ID (hex), content, version and bookkeeping from the file."""
    hex: str
    values: tuple
    version: int
    created_at: object
    origin: object  # council hex
    reference: str = ""


@dataclass
class TableState:
    table: str
    records: dict  # hex -> Rec
    ids: dict  # hex -> id


@dataclass
class State:
    councils: Councils
    tables: dict  # table -> TableState
    sync: dict  # hex -> (base, seen)
    references: set
    database_id: str = ""

    def table_of(self, hex_):
        """Which table holds the record with this UUID, or None."""
        for name, ts in self.tables.items():
            if hex_ in ts.ids:
                return name
        return None


def load_councils():
    c = Councils()
    for cid, cuuid, name, code in database.execute_sql("SELECT id, uuid, name, code FROM council").fetchall():
        h = _hex(cuuid)
        c.by_id[cid], c.ids[h], c.names[h] = h, cid, name
        c.lookup[name.casefold()] = h
        c.lookup.setdefault(code.casefold(), h)
    return c


def load_state(tables=None):
    """Every record of ``tables`` (all six by default) with its content, in one query per table;
    the other tables' UUID -> id maps only (links cross tables)."""
    db = database.obj
    _, quote = _sql(db)
    councils = load_councils()
    wanted = [s.table for s in SHEETS] if tables is None else list(tables)
    raw, ids_by_table = {}, {}
    for sheet in SHEETS:  # every table's ids, since links cross tables
        t = sheet.table
        model = MODELS[t]
        cols = ["id", "uuid", "version", "created_at", "updated_at", "origin_council_id"]
        if t == "action_item":
            cols.append("reference")
        kinds = content_kinds(t)
        for name, kind, _ in kinds:
            if kind == "councils":
                continue
            if name == "target":
                cols += list(UPDATE_TARGET_COLUMNS.values())
            else:
                cols.append(model._meta.fields[name].column_name)
        if t not in wanted:
            rows = db.execute_sql(f"SELECT id, uuid FROM {quote(model._meta.table_name)}").fetchall()
            ids_by_table[t] = {_hex(u): i for i, u in rows}
            continue
        sql = f"SELECT {', '.join(quote(c) for c in cols)} FROM {quote(model._meta.table_name)}"
        rows = db.execute_sql(sql).fetchall()
        raw[t] = rows
        ids_by_table[t] = {_hex(r[1]): r[0] for r in rows}
    id_to_hex = {t: {i: h for h, i in ids.items()} for t, ids in ids_by_table.items()}
    council_sets = {}
    for t, (link, owner) in COUNCIL_LINKS.items():
        if t not in raw:
            continue
        sets = {}
        for oid, cid in db.execute_sql(f"SELECT {quote(owner)}, council_id FROM {quote(link._meta.table_name)}"):
            sets.setdefault(oid, []).append(councils.by_id[cid])
        council_sets[t] = {oid: ";".join(sorted(hs)) for oid, hs in sets.items()}
    tables_state, references = {}, set()
    for t, rows in raw.items():
        kinds = content_kinds(t)
        readers = _readers(t, kinds, councils, id_to_hex, council_sets.get(t, {}))
        recs = {}
        for r in rows:
            if t == "action_item":
                references.add(r[6])
            recs[_hex(r[1])] = Rec(r[0], r[2], readers(r), r[3], r[4],
                                   councils.by_id.get(r[5]), r[6] if t == "action_item" else "")
        tables_state[t] = TableState(t, recs, ids_by_table[t])
    for t, ids in ids_by_table.items():
        if t not in tables_state:
            tables_state[t] = TableState(t, {}, ids)
    sync = {_hex(u): (b, s) for u, b, s in db.execute_sql("SELECT record_uuid, base, seen FROM exchange_sync_state")}
    meta = db.execute_sql("SELECT value FROM meta WHERE " + quote("key") + " = " + db.param, ("database_id",)).fetchone()
    return State(councils, tables_state, sync, references, meta[0] if meta else "")


def _readers(table, kinds, councils, id_to_hex, council_set):
    """One function turning a fetched row into the content tuple, compiled from the layout so that
    100k rows cost one call each rather than one per column."""
    pos = 7 if table == "action_item" else 6
    names = {"_iso": _iso, "cb": councils.by_id, "cs": council_set}
    parts = []
    for name, kind, target in kinds:
        if kind == "councils":
            parts.append('cs.get(r[0], "")')
            continue
        if name == "target":
            expr = "None"
            for k, t in reversed(list(enumerate(UPDATE_TARGET_COLUMNS))):
                names[f"m_{t}"] = id_to_hex[t]
                expr = f"(m_{t}.get(r[{pos + k}]) if r[{pos + k}] is not None else {expr})"
            parts.append(expr)
            pos += 3
            continue
        p = pos
        pos += 1
        if kind == "link":
            names[f"m_{target}"] = id_to_hex[target]
            parts.append(f"(m_{target}.get(r[{p}]) if r[{p}] is not None else None)")
        elif kind == "council":
            parts.append(f"(cb.get(r[{p}]) if r[{p}] is not None else None)")
        elif kind in ("text", "vocab"):
            parts.append(f"(r[{p}] or '')")
        elif kind in ("date", "deleted", "erased"):
            parts.append(f"(r[{p}] if r[{p}] is None or r[{p}].__class__ is str else _iso(r[{p}]))")
        else:
            parts.append(f"r[{p}]")
    return eval(f"lambda r: ({', '.join(parts)},)", names)  # noqa: S307 - built from our own layout


# ---- writing -----------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _db_columns(table):
    """(content index, db column, converter kind) for the stored columns of a table."""
    model = MODELS[table]
    out = []
    for i, (name, kind, target) in enumerate(content_kinds(table)):
        if kind == "councils":
            continue
        if name == "target":
            out.append((i, None, "target"))
            continue
        f = model._meta.fields[name]
        out.append((i, f.column_name, kind if not (kind == "vocab" and f.null) else "nullable"))
    return out


class Writer:
    """Bulk writes inside the caller's transaction, keeping UUID -> id maps for links."""

    def __init__(self, state, source):
        self.db = database.obj
        self.param, self.quote = _sql(self.db)
        self.state = state
        self.source = source
        actor = current_actor()
        self.user, self.council = actor.user, actor.council
        self.now = utcnow()
        self.audit = []

    def _stored_columns(self, table, values_list):
        """Content tuples -> the stored columns (links as ids), in :meth:`_column_names` order,
        converted a column at a time (at 100k rows a comprehension per column costs a fraction of
        a call per row)."""
        kinds = content_kinds(table)
        columns = list(zip(*values_list)) or [()] * len(kinds)
        out = []
        for i, _, kind in _db_columns(table):
            column = columns[i]
            if kind == "link":
                ids = self.state.tables[kinds[i][2]].ids
                out.append([ids[v] if v is not None else None for v in column])
            elif kind == "council":
                council_ids = self.state.councils.ids
                out.append([council_ids[v] if v else None for v in column])
            elif kind == "nullable":
                out.append([v or None for v in column])
            elif kind == "target":
                for name in UPDATE_TARGET_COLUMNS:
                    ids = self.state.tables[name].ids
                    out.append([ids.get(v) if v is not None else None for v in column])
            else:
                out.append(column)
        return out

    def _column_names(self, table):
        names = []
        for _, column, kind in _db_columns(table):
            names += list(UPDATE_TARGET_COLUMNS.values()) if kind == "target" else [column]
        return names

    def _executemany(self, sql, rows):
        if rows:
            cursor = self.db.cursor()
            cursor.executemany(sql, rows)
            return cursor.rowcount
        return 0

    def insert(self, table, creates):
        """creates: list of :class:`Create`."""
        if not creates:
            return
        model = MODELS[table]
        q = self.quote
        ts = self.state.tables[table]
        next_id = (self.db.execute_sql(f"SELECT MAX(id) FROM {q(model._meta.table_name)}").fetchone()[0] or 0) + 1
        ids = range(next_id, next_id + len(creates))
        ts.ids.update(zip([c.hex for c in creates], ids))
        self_link = next((i for i, (n, kind, target) in enumerate(content_kinds(table))
                          if kind == "link" and target == table), None)
        names = ["id", "uuid", "created_at", "updated_at", "origin_council_id", "version"]
        if table == "action_item":
            names.append("reference")
        names += self._column_names(table)
        values_list = [c.values for c in creates]
        later = []
        if self_link is not None:  # a link within the table (an organisation): set once every row is in
            later = [(ts.ids[v[self_link]], rid) for rid, v in zip(ids, values_list) if v[self_link] is not None]
            values_list = [v[:self_link] + (None,) + v[self_link + 1:] for v in values_list]
        # The time as the driver would write it, converted once rather than once per row.
        now = str(self.now)
        origin_ids = self.state.councils.ids
        head = [ids, [c.hex for c in creates], [c.created_at or now for c in creates], repeat(now),
                [origin_ids.get(c.origin) for c in creates], [c.version for c in creates]]
        if table == "action_item":
            head.append([c.reference for c in creates])
        rows = list(zip(*head, *self._stored_columns(table, values_list)))
        with self._indexes_rebuilt_after(model._meta.table_name, len(rows)):
            self._executemany(self._insert_sql(model._meta.table_name, names), rows)
        if later:
            col = MODELS[table]._meta.fields[content_kinds(table)[self_link][0]].column_name
            self._executemany(f"UPDATE {q(table)} SET {q(col)} = {self.param} WHERE id = {self.param}", later)
        if not isinstance(self.db, SqliteDatabase):
            self.db.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT MAX(id) FROM {q(table)}))")
        self._write_councils(table, [(rid, c.values) for rid, c in zip(ids, creates)], replace=False)

    @contextlib.contextmanager
    def _indexes_rebuilt_after(self, table, adding):
        """For many rows into a small SQLite table: drop its indexes, insert, build them again.

        Keeping ten indexes up to date row by row costs about three times the insert itself; one
        sort per index afterwards costs a fraction (SQLite's own advice for bulk loads).  It is all
        inside the import's transaction, so a failure puts the indexes back with everything else,
        and a unique index built again still refuses a duplicate (the import then fails whole).
        """
        if adding < BULK_ROWS or not isinstance(self.db, SqliteDatabase):
            yield
            return
        existing = self.db.execute_sql(f"SELECT COUNT(*) FROM {self.quote(table)}").fetchone()[0]
        if existing > adding:
            yield
            return
        indexes = self.db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                      "AND sql IS NOT NULL", (table,)).fetchall()  # (not a constraint's own)
        for name, _ in indexes:
            self.db.execute_sql(f"DROP INDEX {self.quote(name)}")
        yield
        for _, sql in indexes:
            self.db.execute_sql(sql)

    def _insert_sql(self, table, names):
        q = self.quote
        return (f"INSERT INTO {q(table)} ({', '.join(q(n) for n in names)}) "
                f"VALUES ({', '.join([self.param] * len(names))})")

    def _write_councils(self, table, id_values, replace):
        if table not in COUNCIL_LINKS:
            return
        link, owner = COUNCIL_LINKS[table]
        idx = next(i for i, (n, kind, _) in enumerate(content_kinds(table)) if kind == "councils")
        q = self.quote
        if replace:
            self._executemany(f"DELETE FROM {q(link._meta.table_name)} WHERE {q(owner)} = {self.param}",
                              [(rid,) for rid, _ in id_values])
        rows = [(rid, self.state.councils.ids[h]) for rid, values in id_values if values[idx]
                for h in values[idx].split(";")]
        self._executemany(self._insert_sql(link._meta.table_name, [owner, "council_id"]), rows)

    def update(self, table, updates):
        """updates: list of (Rec as loaded, new values, new version).  Fails if any record moved on."""
        if not updates:
            return
        q = self.quote
        names = self._column_names(table)
        sets = ", ".join(f"{q(n)} = {self.param}" for n in names + ["version", "updated_at"])
        sql = f"UPDATE {q(table)} SET {sets} WHERE id = {self.param} AND version = {self.param}"
        stored = self._stored_columns(table, [values for _, values, _ in updates])
        rows = list(zip(*stored, [version for _, _, version in updates], repeat(self.now),
                        [rec.id for rec, _, _ in updates], [rec.version for rec, _, _ in updates]))
        changed = self._executemany(sql, rows)
        if changed != len(rows):
            raise StaleEditError("Some records were changed by someone else while the import ran; nothing was "
                                 "imported. Try again.")
        idx = [i for i, (n, kind, _) in enumerate(content_kinds(table)) if kind == "councils"]
        if idx:
            moved = [(rec.id, values) for rec, values, _ in updates if values[idx[0]] != rec.values[idx[0]]]
            self._write_councils(table, moved, replace=True)

    # ---- audit ----
    def audit_update(self, table, hex_, old, new, operation="update", source=None):
        for (name, kind, _), a, b in zip(content_kinds(table), old, new):
            if a == b:
                continue
            if kind == "deleted":
                op, fname = ("delete" if b else "restore"), "deleted_at"
            elif kind == "erased":
                op, fname = "erase", "erased_at"
            else:
                op, fname = operation, name
            self.audit.append((self.now, self.user, self.council, op, table, hex_, fname,
                               as_audit_text(kind, a, self.state.councils),
                               as_audit_text(kind, b, self.state.councils), source or self.source))

    def audit_note(self, table, hex_, operation, note):
        self.audit.append((self.now, self.user, self.council, operation, table, hex_, "", None, note, self.source))

    def flush_audit(self):
        names = ["at", "user", "council", "operation", "table", "record_uuid", "field", "old_value", "new_value",
                 "source"]
        self._executemany(self._insert_sql(AuditEntry._meta.table_name, names), self.audit)
        self.audit = []

    def set_sync(self, changes):
        """changes: {hex: (base, seen)}; replaces each record's sync state."""
        if not changes:
            return
        q = self.quote
        table = SyncState._meta.table_name
        known = self.state.sync  # only records with a sync state have a row to replace
        self._executemany(f"DELETE FROM {q(table)} WHERE record_uuid = {self.param}",
                          [(h,) for h in changes if h in known])
        self._executemany(self._insert_sql(table, ["record_uuid", "base", "seen"]),
                          [(h, b, s) for h, (b, s) in changes.items() if b is not None])


def push_seen(old_state, new_base, also=()):
    """The sync state after ``new_base`` becomes the base: the old base and ``also`` join ``seen``."""
    base, seen = old_state if old_state else (None, "")
    hashes = [h for h in (base, *also) if h and h != new_base]
    previous = [h for h in seen.split() if h != new_base and h not in hashes]
    return new_base, " ".join((hashes + previous)[:SEEN_LIMIT])


def transaction():
    db = database.obj
    return db.atomic("IMMEDIATE") if isinstance(db, SqliteDatabase) else db.atomic()


# ---- after export ------------------------------------------------------------------------------------
def mark_exported(state, tables, hashes=None):
    """Exported records' content becomes their base: the next import compares against it.
    ``hashes``: {hex: content hash} already computed (the Row checks of full rows)."""
    changes = {}
    hashes = hashes or {}
    for t in tables:
        for h, rec in state.tables[t].records.items():
            digest = hashes.get(h) or content_hash(t, rec.values)
            old = state.sync.get(h)
            if old is None or old[0] != digest:
                changes[h] = push_seen(old, digest)
    if changes:
        with transaction():
            Writer(state, "").set_sync(changes)
    return len(changes)


# ---- what the app's screens use ---------------------------------------------------------------------------
def display(state, column, value):
    """A stored value as people read it (names for links and councils, labels for codes, UK dates)."""
    if value is None or value == "":
        return ""
    kind = column.kind
    if kind == "vocab":
        return vocab.label(column.vocab, value)
    if kind == "date":
        return format_uk_date(dt.date.fromisoformat(value))
    if kind == "council":
        return state.councils.names.get(value, value)
    if kind == "councils":
        return "; ".join(sorted(state.councils.names.get(h, h) for h in value.split(";")))
    if kind == "link":
        return record_name(value) or value
    if kind in ("deleted", "erased"):
        return "yes"
    return str(value)


def record_name(hex_):
    for model in MODELS.values():
        rec = model.get_or_none(model.uuid == hex_)
        if rec is not None:
            return str(rec)
    return None

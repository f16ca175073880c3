"""Sharing between councils, the database side: what a record's state is, and loading every one.

The spreadsheet side (``tracker.exchange``) reads and writes workbooks and decides what each row
means; everything it reads from the database comes from here, in bulk: whole tables are loaded
into dictionaries keyed by UUID with one query each (peewee's per-row machinery costs ~10x at 100k
rows); :func:`load_records` reads just some records of one table the same way (an undo snapshot).

A record's *content* is the tuple of its exchanged fields in the layout's order, in a stored
form: text as text, dates as ISO text (a month, quarter or year as ``tracker.dates.stored_date`` writes
it: "2019-03", "2019-Q2", "2019", "FY2019-20", read from the date column and its precision), links and councils as UUID hex, ints as ints, deletion and
erasure as timestamps; code reads it by field name (``Sheet.at``).  :func:`content_hash` hashes
that tuple (deletion and erasure as flags only), which is how "changed since it was last
exchanged" is told: see docs/exchange-format.md.  :func:`display` shows a stored value as people
read it, through the field's own ``show`` (``tracker.records``), naming linked records from the
loaded state (no query per link).

Beside it: writing in bulk is ``services.bulk_writer``; the states last exchanged (bases, seen
lists, marking an export) ``services.sync``; applying an import, listing and undoing imports
``services.imports``; deciding the conflicts an import holds ``services.conflicts``.
"""

import datetime as dt
import hashlib
import uuid as uuidlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from tracker.bulk import record_maker
from tracker.dates import as_period, stored_date
from tracker.db import database
from tracker.exchange_format import BY_TABLE, SHEETS
from tracker.models import (ActionItem, Attendance, Commitment, CommitmentCouncil, Event, Stakeholder,
                            StakeholderCouncil, SyncState, Update, period_fields)

MODELS = {m._meta.table_name: m for m in (Stakeholder, Event, Attendance, Commitment, ActionItem, Update)}
COUNCIL_LINKS = {"stakeholder": (StakeholderCouncil, "stakeholder_id"), "commitment": (CommitmentCouncil, "commitment_id")}
UPDATE_TARGET_COLUMNS = {"stakeholder": "stakeholder_id", "commitment": "commitment_id", "action_item": "action_id"}


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


def quote(name):
    """An SQL identifier quoted (SQLite and PostgreSQL both quote identifiers so)."""
    return f'"{name}"'


def iso_text(value):
    """A date or timestamp as the stored form writes it (ISO text); text and None as they are."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else str(value)


def stored_period(day, precision):
    """A date column and the precision beside it (``models.PeriodDateField``) as the stored form."""
    if day is None:
        return None
    if day.__class__ is str:
        day = dt.date.fromisoformat(day)
    return stored_date(as_period(day, precision))


def uuid_hex(value):
    """A UUID (object, dashed or hex text) as 32 hex digits; None as None."""
    if value is None:
        return None
    if isinstance(value, uuidlib.UUID):
        return value.hex
    return value.replace("-", "").lower() if len(value) != 32 else value


def dashed(hex_):
    """A UUID hex as people and the audit trail write it (8-4-4-4-12)."""
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


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

    @cached_property
    def hexes(self):
        """id -> hex, for the records loaded (made once, when first asked)."""
        return {i: h for h, i in self.ids.items()}


@dataclass
class State:
    councils: Councils
    tables: dict  # table -> TableState
    sync: dict  # hex -> (base, seen)
    references: set
    database_id: str = ""

    def name_of(self, hex_):
        """How people name the loaded record with this UUID (as the record itself says it), or None."""
        for table, ts in self.tables.items():
            rec = ts.records.get(hex_)
            if rec is not None:
                sheet = BY_TABLE[table]
                name = rec.values[sheet.at[sheet.display]]
                return f"{rec.reference} {name}" if rec.reference else name
        return None

    def table_of(self, hex_):
        """Which table holds the record with this UUID, or None."""
        for name, ts in self.tables.items():
            if hex_ in ts.ids:
                return name
        return None


def load_councils():
    c = Councils()
    for cid, cuuid, name, code in database.execute_sql("SELECT id, uuid, name, code FROM council").fetchall():
        h = uuid_hex(cuuid)
        c.by_id[cid], c.ids[h], c.names[h] = h, cid, name
        c.lookup[name.casefold()] = h
        c.lookup.setdefault(code.casefold(), h)
    return c


def load_state(tables=None, only=None):
    """Every record of ``tables`` (all six by default) with its content, in one query per table;
    the other tables' UUID -> id maps only (links cross tables).  ``only``: {table: [(column, values)]}
    loads the content of just the records whose ``column`` is among ``values`` for any of the pairs
    (a merge's few records among 100k); the table's UUID -> id map is still whole."""
    db = database.obj
    councils = load_councils()
    only = only or {}
    wanted = [s.table for s in SHEETS] if tables is None else list(tables)
    raw, ids_by_table = {}, {}
    for sheet in SHEETS:  # every table's ids, since links cross tables
        t = sheet.table
        model = MODELS[t]
        cols = _columns(t)
        if t not in wanted:
            rows = db.execute_sql(f"SELECT id, uuid FROM {quote(model._meta.table_name)}").fetchall()
            ids_by_table[t] = {uuid_hex(u): i for i, u in rows}
            continue
        sql = f"SELECT {', '.join(quote(c) for c in cols)} FROM {quote(model._meta.table_name)}"
        if t in only:
            rows = []
            for column, values in only[t]:
                values = list(values)
                for start in range(0, len(values), 500):
                    chunk = values[start:start + 500]
                    rows += db.execute_sql(f"{sql} WHERE {quote(column)} IN ({', '.join([db.param] * len(chunk))})",
                                           chunk).fetchall()
            rows = list({r[0]: r for r in rows}.values())
            ids = db.execute_sql(f"SELECT id, uuid FROM {quote(model._meta.table_name)}").fetchall()
            ids_by_table[t] = {uuid_hex(u): i for i, u in ids}
        else:
            rows = db.execute_sql(sql).fetchall()
            ids_by_table[t] = {uuid_hex(r[1]): r[0] for r in rows}
        raw[t] = rows
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
            recs[uuid_hex(r[1])] = Rec(r[0], r[2], readers(r), r[3], r[4],
                                   councils.by_id.get(r[5]), r[6] if t == "action_item" else "")
        tables_state[t] = TableState(t, recs, ids_by_table[t])
    for t, ids in ids_by_table.items():
        if t not in tables_state:
            tables_state[t] = TableState(t, {}, ids)
    sync = {uuid_hex(u): (b, s) for u, b, s in db.execute_sql("SELECT record_uuid, base, seen FROM exchange_sync_state")}
    meta = db.execute_sql("SELECT value FROM meta WHERE " + quote("key") + " = " + db.param, ("database_id",)).fetchone()
    return State(councils, tables_state, sync, references, meta[0] if meta else "")


def _columns(table):
    """The columns ``load_state`` reads of ``table``: bookkeeping, then the content's in the layout's order."""
    model = MODELS[table]
    cols = ["id", "uuid", "version", "created_at", "updated_at", "origin_council_id"]
    if table == "action_item":
        cols.append("reference")
    for name, kind, _ in content_kinds(table):
        if kind == "councils":
            continue
        if name == "target":
            cols += list(UPDATE_TARGET_COLUMNS.values())
        else:
            cols.append(model._meta.fields[name].column_name)
            if name in period_fields(model):  # its precision, read beside it (see _readers)
                cols.append(period_fields(model)[name].precision)
    return cols


def load_records(table, uuids=(), models=None, ids=None, sync=True):
    """({hex: Rec}, {hex: sync state}) of just the records ``uuids`` of ``table``, their content as
    :func:`load_state` reads it (the same readers), without loading every table: a query per 500
    records, and the UUIDs of only the records they link to (an import's undo snapshot of 3k records
    in a 100k-action database).  ``models``: a dict to fill with {id: the record as a model instance}
    (``bulk.record_maker``) from the same rows, for a caller that changes the records it snapshots
    (a table import's ``update_many``), so they are read once.  ``ids``: the records by their ids instead
    (a caller holding them: the primary key is found faster than the UUID's index).  ``sync=False``: no sync
    states ({}): a caller reading them later (a table import's preview, whose apply reads them: :func:`load_sync`)."""
    db, model = database.obj, MODELS[table]
    if ids is not None:
        column, keys = "id", list(dict.fromkeys(ids))
    else:  # stored as hex in SQLite, as a uuid in PostgreSQL: the driver's own form of each
        column, keys = "uuid", [model.uuid.db_value(h) for h in dict.fromkeys(uuid_hex(u) for u in uuids)]
    cols = _columns(table)
    if models is not None:  # the model's other columns after the snapshot's (whose readers count from the start)
        cols = cols + [f.column_name for f in model._meta.sorted_fields if f.column_name not in cols]
    select = f"SELECT {', '.join(quote(c) for c in cols)} FROM {quote(model._meta.table_name)} WHERE {quote(column)} IN "
    rows = []
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows += db.execute_sql(f"{select}({', '.join([db.param] * len(chunk))})", chunk).fetchall()
    linked = {}  # table -> the ids the rows link to, by the positions the readers read
    pos, periods = (7 if table == "action_item" else 6), period_fields(model)
    for name, kind, target in content_kinds(table):
        if kind == "councils":
            continue
        if name == "target":  # an update's record: three columns, one per table
            for k, t in enumerate(UPDATE_TARGET_COLUMNS):
                linked.setdefault(t, set()).update(r[pos + k] for r in rows)
            pos += len(UPDATE_TARGET_COLUMNS)
            continue
        if kind == "link":
            linked.setdefault(target, set()).update(r[pos] for r in rows)
        pos += 2 if name in periods else 1  # (a period's precision is read beside it: _columns)
    id_to_hex = {t: {} for t in MODELS}
    for t, ids in linked.items():
        ids = sorted(i for i in ids if i is not None)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found = db.execute_sql(f"SELECT id, uuid FROM {quote(MODELS[t]._meta.table_name)} WHERE id IN "
                                   f"({', '.join([db.param] * len(chunk))})", chunk).fetchall()
            id_to_hex[t].update((i, uuid_hex(u)) for i, u in found)
    councils, council_set = load_councils(), {}
    if table in COUNCIL_LINKS and rows:
        link, owner = COUNCIL_LINKS[table]
        sets, ids = {}, [r[0] for r in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for oid, cid in db.execute_sql(f"SELECT {quote(owner)}, council_id FROM {quote(link._meta.table_name)} "
                                           f"WHERE {quote(owner)} IN ({', '.join([db.param] * len(chunk))})", chunk):
                sets.setdefault(oid, []).append(councils.by_id[cid])
        council_set = {oid: ";".join(sorted(hs)) for oid, hs in sets.items()}
    readers = _readers(table, content_kinds(table), councils, id_to_hex, council_set)
    records = {uuid_hex(r[1]): Rec(r[0], r[2], readers(r), r[3], r[4], councils.by_id.get(r[5]),
                                   r[6] if table == "action_item" else "") for r in rows}
    if models is not None:
        make = record_maker(model, cols)
        models.update((r[0], make(r)) for r in rows)
    return records, (load_sync(records) if sync else {})


def load_sync(hexes):
    """{hex: (base, seen)} of the records ``hexes`` that have a sync state (a query per 500: a table holds 100k)."""
    db, sync, wanted = database.obj, {}, [SyncState.record_uuid.db_value(h) for h in hexes]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for u, b, s in db.execute_sql("SELECT record_uuid, base, seen FROM exchange_sync_state WHERE record_uuid IN "
                                      f"({', '.join([db.param] * len(chunk))})", chunk).fetchall():
            sync[uuid_hex(u)] = (b, s)
    return sync


def _readers(table, kinds, councils, id_to_hex, council_set):
    """One function turning a fetched row into the content tuple, compiled from the layout so that
    100k rows cost one call each rather than one per column."""
    pos = 7 if table == "action_item" else 6
    names = {"iso_text": iso_text, "cb": councils.by_id, "cs": council_set, "sp": stored_period}
    periods = period_fields(MODELS[table])
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
        elif name in periods:
            parts.append(f"sp(r[{p}], r[{p + 1}])")
            pos += 1
        elif kind in ("date", "deleted", "erased"):
            parts.append(f"(r[{p}] if r[{p}] is None or r[{p}].__class__ is str else iso_text(r[{p}]))")
        else:
            parts.append(f"r[{p}]")
    return eval(f"lambda r: ({', '.join(parts)},)", names)  # noqa: S307 - built from our own layout


# ---- what people read ----------------------------------------------------------------------------------
def display(state, column, value):
    """A stored value as people read it: the field's own ``show`` (labels for codes, UK dates, councils
    by name), linked records by name from ``state`` (its loaded tables; the ID when not loaded)."""
    if value is None or value == "":
        return ""
    kind = column.kind
    if kind in ("deleted", "erased"):
        return "yes"
    if kind == "link":
        return state.name_of(value) or value
    if kind == "council":
        return state.councils.names.get(value, value)
    spec = column.spec
    if kind == "councils":
        return spec.show(sorted(state.councils.names.get(h, h) for h in value.split(";")))
    return spec.show(value) if spec is not None else str(value)

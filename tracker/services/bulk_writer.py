"""Writing an import's records in bulk, inside the caller's transaction: the :class:`Writer`.

What it writes comes from ``tracker.exchange`` (a plan of new and changed records, in the stored
form of ``services.exchange``) or from the services beside it (an undo, a decided conflict, the
sync states after an export).  Rows go in with ``executemany`` (peewee's per-row machinery costs
~10x at 100k rows); the layout of the stored columns is compiled once per table from the exchange
layout.  What the rules say is not decided here: a plan arrives checked by the registry's rules
(``tracker.exchange.checks``), and the audit entries are worded by ``services.audit`` as every
service's are.

The public methods are the whole API (insert, update, remove, insert_rows, audit_update,
audit_note, flush_audit, set_sync); nothing outside calls the helpers starting with ``_``.
"""

import contextlib
import uuid as uuidlib
from functools import lru_cache
from itertools import repeat

from peewee import SqliteDatabase

from tracker.dates import date_from_stored, precision_of
from tracker.db import database
from tracker.errors import StaleEditError
from tracker.exchange_format import BY_TABLE
from tracker.models import SyncState, period_fields, utcnow
from tracker.services.actor import current_actor
from tracker.services.audit import change_entry, note_entry, write_entries
from tracker.services.exchange import COUNCIL_LINKS, MODELS, UPDATE_TARGET_COLUMNS, content_kinds, quote

BULK_ROWS = 5_000  # an import adding this many rows to a smaller table loads it in bulk (see Writer.insert)


def transaction():
    """The transaction an import, an undo or a decision writes in (SQLite: taking the write lock at once)."""
    db = database.obj
    return db.atomic("IMMEDIATE") if isinstance(db, SqliteDatabase) else db.atomic()


def _as_given(kind, value, councils):
    """A stored value as a service holds it, for ``services.audit.as_text``: links as UUIDs, councils as
    their names (dates, text and numbers are already what the trail writes)."""
    if value is None or value == "":
        return value
    if kind in ("link", "council"):
        return uuidlib.UUID(hex=value)
    if kind == "councils":
        return sorted(councils.names.get(h, h) for h in value.split(";"))
    return value


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
        if name in period_fields(model):
            out.append((i, (f.column_name, f.precision), "period"))
            continue
        out.append((i, f.column_name, kind if not (kind == "vocab" and f.null) else "nullable"))
    return out


def _period_columns(column):
    """Stored dates that may be periods ("2019-03-31", "2019-Q2") -> the date column and its precision."""
    days, precisions = [], []
    for v in column:
        if v is None or len(v) == 10:  # no date, or a day (ISO): as it is
            days.append(v)
            precisions.append(None)
        else:
            period = date_from_stored(v)
            days.append(period.isoformat())
            precisions.append(precision_of(period))
    return days, precisions


class Writer:
    """Bulk writes inside the caller's transaction, keeping UUID -> id maps for links."""

    def __init__(self, state, source):
        self.db = database.obj
        self.param = self.db.param
        self.state = state
        self.source = source
        self.actor = current_actor()
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
            elif kind == "period":
                out += _period_columns(column)
            else:
                out.append(column)
        return out

    def _column_names(self, table):
        names = []
        for _, column, kind in _db_columns(table):
            names += list(UPDATE_TARGET_COLUMNS.values()) if kind == "target" else list(column) if kind == "period" \
                else [column]
        return names

    def insert_rows(self, model, names, rows):
        """Rows (tuples in ``names`` order) into ``model``'s table, with one executemany."""
        self._execute_many(self._insert_sql(model._meta.table_name, names), rows)

    def remove(self, table, recs):
        """Delete the records ``recs`` (as loaded) and their councils; members of a removed organisation
        first lose the link (an undo removes organisations and members added together)."""
        ids = [(r.id,) for r in recs]
        if not ids:
            return
        if table in COUNCIL_LINKS:
            link, owner = COUNCIL_LINKS[table]
            self._execute_many(f"DELETE FROM {quote(link._meta.table_name)} WHERE {quote(owner)} = {self.param}", ids)
        if table == "stakeholder":
            self._execute_many(f"UPDATE stakeholder SET organisation_id = NULL WHERE id = {self.param}", ids)
        self._execute_many(f"DELETE FROM {quote(table)} WHERE id = {self.param}", ids)

    def _execute_many(self, sql, rows):
        """``sql`` once per row of ``rows`` (one ``executemany``); how many rows it changed."""
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
        ts = self.state.tables[table]
        next_id = (self.db.execute_sql(f"SELECT MAX(id) FROM {quote(model._meta.table_name)}").fetchone()[0] or 0) + 1
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
            self._execute_many(self._insert_sql(model._meta.table_name, names), rows)
        if later:
            col = MODELS[table]._meta.fields[content_kinds(table)[self_link][0]].column_name
            self._execute_many(f"UPDATE {quote(table)} SET {quote(col)} = {self.param} WHERE id = {self.param}", later)
        if not isinstance(self.db, SqliteDatabase):
            self.db.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT MAX(id) FROM {quote(table)}))")
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
        existing = self.db.execute_sql(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0]
        if existing > adding:
            yield
            return
        indexes = self.db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                      "AND sql IS NOT NULL", (table,)).fetchall()  # (not a constraint's own)
        for name, _ in indexes:
            self.db.execute_sql(f"DROP INDEX {quote(name)}")
        yield
        for _, sql in indexes:
            self.db.execute_sql(sql)

    def _insert_sql(self, table, names):
        """An INSERT of one row of ``names`` into ``table``, with a parameter per column."""
        return (f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
                f"VALUES ({', '.join([self.param] * len(names))})")

    def _write_councils(self, table, id_values, replace):
        if table not in COUNCIL_LINKS:
            return
        link, owner = COUNCIL_LINKS[table]
        idx = BY_TABLE[table].at["councils"]
        if replace:
            self._execute_many(f"DELETE FROM {quote(link._meta.table_name)} WHERE {quote(owner)} = {self.param}",
                              [(rid,) for rid, _ in id_values])
        rows = [(rid, self.state.councils.ids[h]) for rid, values in id_values if values[idx]
                for h in values[idx].split(";")]
        self._execute_many(self._insert_sql(link._meta.table_name, [owner, "council_id"]), rows)

    def update(self, table, updates):
        """updates: list of (Rec as loaded, new values, new version).  Fails if any record moved on."""
        if not updates:
            return
        names = self._column_names(table)
        sets = ", ".join(f"{quote(n)} = {self.param}" for n in names + ["version", "updated_at"])
        sql = f"UPDATE {quote(table)} SET {sets} WHERE id = {self.param} AND version = {self.param}"
        stored = self._stored_columns(table, [values for _, values, _ in updates])
        rows = list(zip(*stored, [version for _, _, version in updates], repeat(self.now),
                        [rec.id for rec, _, _ in updates], [rec.version for rec, _, _ in updates]))
        changed = self._execute_many(sql, rows)
        if changed != len(rows):
            raise StaleEditError("Some records were changed by someone else while the import ran; nothing was "
                                 "imported. Try again.")
        idx = BY_TABLE[table].at.get("councils")
        if idx is not None:
            moved = [(rec.id, values) for rec, values, _ in updates if values[idx] != rec.values[idx]]
            self._write_councils(table, moved, replace=True)

    # ---- audit: worded by services.audit, as every service's changes are ----
    def audit_update(self, table, hex_, old, new, operation="update", source=None):
        """An entry per field that differs between the content tuples ``old`` and ``new``."""
        councils = self.state.councils
        for (name, kind, _), a, b in zip(content_kinds(table), old, new):
            if a == b:
                continue
            if kind == "deleted":
                op, fname = ("delete" if b else "restore"), "deleted_at"
            elif kind == "erased":
                op, fname = "erase", "erased_at"
            else:
                op, fname = operation, name
            self.audit.append(change_entry(self.now, self.actor, op, table, hex_, fname, _as_given(kind, a, councils),
                                           _as_given(kind, b, councils), source or self.source))

    def audit_note(self, table, hex_, operation, note):
        self.audit.append(note_entry(self.now, self.actor, operation, table, hex_, note, self.source))

    def flush_audit(self):
        write_entries(self.audit)
        self.audit = []

    def set_sync(self, changes):
        """changes: {hex: (base, seen)}; replaces each record's sync state."""
        if not changes:
            return
        table = SyncState._meta.table_name
        known = self.state.sync  # only records with a sync state have a row to replace
        self._execute_many(f"DELETE FROM {quote(table)} WHERE record_uuid = {self.param}",
                          [(h,) for h in changes if h in known])
        self._execute_many(self._insert_sql(table, ["record_uuid", "base", "seen"]),
                          [(h, b, s) for h, (b, s) in changes.items() if b is not None])



"""The imports a database takes: applying one, listing them, undoing one.

``tracker.exchange.importer`` plans an import (what each row means); :func:`apply_import` writes the
plan in one transaction, all or nothing, and records it (``exchange_import``: who, when, which file
and its SHA-256, from which council, what it added; ``exchange_import_change``: per record it changed,
the state before and the version after; the conflicts it holds).  :func:`undo_import` puts those back,
and is refused, naming the records, when any of them was changed since.  The bulk loading and writing
both use is ``tracker.services.exchange`` (loading) and ``services.bulk_writer`` (writing).
"""

import contextlib
import json

from peewee import SqliteDatabase

from tracker.changes import EVERYTHING, announce
from tracker.db import checkpoint_after, database
from tracker.errors import NotFoundError, TrackerError
from tracker.exchange_format import BY_TABLE, SHEETS
from tracker.models import HeldConflict, HeldRow, ImportChange, ImportRun, MergeRun, utcnow
from tracker.services.actor import current_actor
from tracker.services import bulk_writer, merge_exchange, undo_snapshots
from tracker.services.bulk_writer import Writer, transaction
from tracker.services.exchange import content_kinds, dashed, load_state, uuid_hex
from tracker.services.tableimports import PREVIEW_LINK

EDITED_SOURCE = "{}, edited in a spreadsheet after export"  # an import's change made by editing the file


class UndoBlocked(TrackerError):
    """Records an import touched were changed since, so undoing it would lose those changes."""


def imports(limit=50):
    """Recent imports, newest first."""
    return list(ImportRun.select().order_by(ImportRun.id.desc()).limit(limit))


def summary(run):
    """An import in a list's words: where it came from and what it did.  A partner's table holds doubtful
    rows for review (``tracker held``); only a council's workbook holds conflicts."""
    if run.details:
        return (f"{run.file_name}  from a partner's table: {run.added} added, {run.updated} updated, "
                f"{run.conflicts} held for review")
    return (f"{run.file_name}  from {run.from_council or '?'}: {run.added} added, {run.updated} updated, "
            f"{run.conflicts} conflicts")


def get_import(import_id):
    run = ImportRun.get_or_none(ImportRun.id == import_id)
    if run is None:
        raise NotFoundError(f"There is no import with ID {import_id}. See the list with: tracker imports")
    return run


def undo_import(import_id):
    """Reverse an import: remove what it added, put back what it changed.  Refused, naming the
    records, when any of them was changed since (undoing would lose that change)."""
    run = get_import(import_id)
    if run.undone_at is not None:
        raise TrackerError(f"Import {import_id} ({run.file_name}) was already undone on "
                           f"{run.undone_at:%d/%m/%Y %H:%M}.")
    changes = []  # (table, kind, hex, version after, before, sync before)
    for ch in ImportChange.select().where(ImportChange.run == run).order_by(ImportChange.id):
        if ch.kind == "add":
            for item in ch.added.split():
                h, _, v = item.partition(":")
                changes.append((ch.table, "add", h, int(v), None, None))
        else:
            changes.append((ch.table, ch.kind, uuid_hex(ch.record_uuid), ch.version_after, ch.before, ch.sync_before))
    state = load_state()
    blockers = []
    for t, kind, h, version_after, _, _ in changes:
        rec = state.tables[t].records.get(h)
        if rec is None or rec.version != version_after:
            blockers.append(f"{BY_TABLE[t].name} {_describe(t, rec) if rec else dashed(h)}")
    added = {(t, h) for t, kind, h, *_ in changes if kind == "add"}
    # (a record the import changed gets its state before back: its link to what the import added goes too)
    put_back = {(t, h) for t, kind, h, *_ in changes if kind != "add"}
    for t, ts in state.tables.items():  # records created since that link to records the import added
        for h, rec in ts.records.items():
            if (t, h) in added or (t, h) in put_back:
                continue
            for (name, kind, target), v in zip(content_kinds(t), rec.values):
                if kind == "link" and v is not None and (target or state.table_of(v), v) in added:
                    blockers.append(f"{BY_TABLE[t].name} {_describe(t, rec)} links to a record the import added")
    if blockers:
        shown = "; ".join(blockers[:10]) + (f"; and {len(blockers) - 10} more" if len(blockers) > 10 else "")
        raise UndoBlocked(f"Import {import_id} cannot be undone: these records were changed since it ran, and "
                          f"undoing it would lose those changes: {shown}.")
    writer = Writer(state, f"undo of import {import_id} ({run.file_name})")
    order = [s.table for s in SHEETS]
    with transaction():
        sync = {}
        for t in reversed(order):
            table_changes = [ch for ch in changes if ch[0] == t]
            removed = [state.tables[t].records[ch[2]] for ch in table_changes if ch[1] == "add"]
            ups = []
            for _, kind, h, _, before, sync_before in table_changes:
                rec = state.tables[t].records[h]
                if kind == "add":
                    writer.audit_note(t, h, "delete", "removed: undo of the import that added it")
                else:
                    # the version goes back too: a later import of the same file then applies again
                    old_version, before = undo_snapshots.restore(t, before, rec.values)  # (either form)
                    ups.append((rec, before, old_version))
                    writer.audit_update(t, h, rec.values, before)
                sync[h] = tuple(json.loads(sync_before)) if sync_before else (None, "")
            writer.update(t, ups)  # first: a record linked to one the import added (a table import) lets go
            writer.remove(t, removed)
        writer.flush_audit()
        writer.set_sync(sync)
        HeldConflict.delete().where(HeldConflict.run == run, HeldConflict.resolved_at.is_null()).execute()
        HeldRow.delete().where(HeldRow.run == run, HeldRow.resolved_at.is_null()
                               | HeldRow.values.contains(PREVIEW_LINK)).execute()  # its links too
        ImportRun.update(undone_at=utcnow()).where(ImportRun.id == run.id).execute()
        MergeRun.delete().where(MergeRun.import_id == run.id).execute()  # the merges it brought go with it
    announce(EVERYTHING)  # once, after the commit: every view reads again
    return run


def _describe(table, rec):
    sheet = BY_TABLE[table]
    name = rec.values[sheet.at[sheet.display]]
    ref = f"{rec.reference} " if rec.reference else ""
    return f"{ref}'{name}'" if name else f"{ref}(version {rec.version})"


def apply_import(state, plan, run, source):
    """Write an import plan (see ``tracker.exchange.importer``) in one transaction; returns the import ID.

    Everything or nothing: any failure rolls the whole import back.
    """
    actor = current_actor()
    writer = Writer(state, source)
    adding = sum(map(len, plan.creates.values()))
    bulk = adding >= bulk_writer.BULK_ROWS and adding >= sum(len(ts.ids) for ts in state.tables.values())
    with checkpoint_after(), _links_checked_at_the_end(bulk) as check_links, transaction():
        run_row = ImportRun.create(user=actor.user, council=actor.council, **run)
        changes, added = [], []
        for sheet in SHEETS:
            t = sheet.table
            creates = plan.creates.get(t, [])
            writer.insert(t, creates)
            # No audit entry per added record: the import's own row (who, when, which file, its hash) and
            # this list of what it added are the trail, and services.history() reads a creation from them.
            if creates:
                added.append((run_row.id, t, "add", " ".join(f"{c.hex}:{c.version}" for c in creates)))
        for sheet in SHEETS:
            t = sheet.table
            ups = plan.updates.get(t, [])
            # one record can be updated twice (an erasure, then the rest): write in order
            while ups:
                batch, seen_ids, rest = [], set(), []
                for u in ups:
                    (rest if u[0].id in seen_ids else batch).append(u)
                    seen_ids.add(u[0].id)
                writer.update(t, batch)
                for rec, new, version in batch:
                    h = state.tables[t].hexes[rec.id]
                    if new == rec.values:
                        writer.audit_note(t, h, "update", f"kept this database's values over {source}")
                    else:
                        writer.audit_update(t, h, rec.values, new, source=EDITED_SOURCE.format(source)
                                            if h in plan.edited else None)
                    old_sync = state.sync.get(h)
                    changes.append((run_row.id, t, "update", h, undo_snapshots.whole(rec.version, rec.values),
                                    version, json.dumps(list(old_sync)) if old_sync else None))
                ups = rest
        writer.flush_audit()
        writer.set_sync(plan.sync)
        writer.insert_rows(ImportChange, ["import_id", "table", "kind", "record_uuid", "before", "version_after",
                                          "sync_before"], _last_change_per_record(changes))
        writer.insert_rows(ImportChange, ["import_id", "table", "kind", "added"], added)
        held = []
        pending = {(uuid_hex(u), h) for u, h in HeldConflict.select(HeldConflict.record_uuid, HeldConflict.theirs_hash)
                   .where(HeldConflict.resolved_at.is_null()).tuples()}
        for c in plan.held:
            if (c["hex"], c["theirs_hash"]) in pending:
                continue
            held.append((run_row.id, writer.now, c["table"], c["hex"], source, c["mine_version"], c["theirs_version"],
                         c["theirs_hash"], json.dumps(list(c["theirs"]), ensure_ascii=False),
                         json.dumps(c["fields"]), "", c["exported"] or ""))
        writer.insert_rows(HeldConflict, ["import_id", "at", "table", "record_uuid", "source", "mine_version",
                                          "theirs_version", "theirs_hash", "theirs", "fields", "resolution",
                                          "exported_hash"], held)
        merge_exchange.receive(plan.merges, source, run_row.id)  # last: it reads the records as now written
        merge_exchange.receive_not_duplicates(plan.not_duplicates, source)
        check_links()
    announce(EVERYTHING)  # once, after the commit: every view reads again
    return run_row.id


def _last_change_per_record(changes):
    """An undo needs, per record, the state before the import's first change and the version after its last."""
    out = {}
    for change in changes:
        key = (change[1], change[3])
        if key in out:
            first = out[key]
            out[key] = first[:5] + (change[5],) + first[6:]
        else:
            out[key] = change
    return list(out.values())


@contextlib.contextmanager
def _links_checked_at_the_end(bulk):
    """For a bulk import into SQLite: no link check per inserted row, one check of every table at
    the end of the transaction instead (call the yielded function last inside it).

    SQLite looks up each new row's linked records as it is inserted, which doubles the cost of
    inserting 100k linked rows; ``PRAGMA foreign_key_check`` does the same lookups in bulk at a
    third of the cost, and any broken link still fails the import whole.  Only worth it when the
    import is at least as big as the database (the check reads every table); foreign keys are on
    again afterwards, whatever happened.
    """
    db = database.obj
    if not bulk or not isinstance(db, SqliteDatabase):
        yield lambda: None
        return
    db.execute_sql("PRAGMA foreign_keys = OFF")  # outside the transaction: SQLite ignores it inside one
    try:
        yield _check_foreign_keys
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


def _check_foreign_keys():
    broken = database.obj.execute_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise TrackerError(f"The import would leave {len(broken)} broken link(s) (first: {table} row {rowid} to a "
                           f"missing {parent}); nothing was imported.")

"""Merging stakeholders, the engine: what a merge changes, worked out on records' content tuples.

A merge keeps one stakeholder and retires the others: every link of a retired record moves to the
kept one (people's attendance, the commitments they made, the actions they own, an organisation's
members, the updates on them), and each retired record is soft-deleted.  Both the merge a person asks
for (``services.merges``) and a merge arriving from another council's workbook
(``services.merge_exchange``) plan their changes here, on the content tuples of
``services.exchange`` (the exchange's stored form: links as UUID hex), and write them with the
import's :class:`~tracker.services.bulk_writer.Writer`: one ``executemany`` per table, each record's
version checked and bumped, the audit trail worded field by field as every change's is.  What a
merge changed is kept as the import's undo keeps it (per record: the version and content before, the
version after), so Undo merge is the import's undo of those records.

Attendance is the one link with a rule across records (one attendance per stakeholder and event,
deleted ones included), so it is not re-pointed: a retired record's live attendance is deleted
(and stays with it, for undo) and the kept record attends that event instead: its own attendance
there if it has one (brought back if deleted), else a new one whose ID is derived from the event
and the kept record.  Every council merging into the same record therefore makes the *same*
attendance, which the exchange matches by ID, instead of two that would clash.
"""

import json
import uuid as uuidlib

from tracker.changes import Change
from tracker.exchange_format import BY_TABLE
from tracker.models import utcnow
from tracker.services.exchange import Create, dashed

# (table, field) of every link to a stakeholder, in the order their rows move.
LINKS = (("attendance", "stakeholder"), ("commitment", "made_by"), ("action_item", "owner"),
         ("stakeholder", "organisation"), ("record_update", "target"))
TABLES = ("stakeholder", "attendance", "commitment", "action_item", "record_update")
STAKEHOLDER = BY_TABLE["stakeholder"]
DELETED = {t: BY_TABLE[t].at["deleted_at"] for t in TABLES}
ATTENDANCE_NAMESPACE = uuidlib.UUID("3b8f0c52-8a51-4c1e-9d3e-51c0a7e2b6d4")  # never change: IDs derive from it


def attendance_id(event_hex, stakeholder_hex):
    """The ID of the attendance a merge gives a kept record at an event: the same at every council."""
    return uuidlib.uuid5(ATTENDANCE_NAMESPACE, f"{event_hex}:{stakeholder_hex}").hex


class Work:
    """The new content of the records a merge changes, {(table, hex): values}, read over the loaded state."""

    def __init__(self, state):
        self.state = state
        self.new = {}
        self.created = set()  # (table, hex) of records the merge adds (new values in ``new``)
        self.now = str(utcnow())

    def values(self, table, hex_):
        got = self.new.get((table, hex_))
        return got if got is not None else self.state.tables[table].records[hex_].values

    def create(self, table, hex_, values):
        self.created.add((table, hex_))
        self.new[(table, hex_)] = tuple(values)

    def set(self, table, hex_, values):
        values = tuple(values)
        if (table, hex_) in self.created:
            self.new[(table, hex_)] = values
        elif values == self.state.tables[table].records[hex_].values:
            self.new.pop((table, hex_), None)
        else:
            self.new[(table, hex_)] = values

    def put(self, table, hex_, field, value):
        values = list(self.values(table, hex_))
        values[BY_TABLE[table].at[field]] = value
        self.set(table, hex_, values)

    def is_live(self, table, hex_):
        return self.values(table, hex_)[DELETED[table]] is None

    def delete(self, table, hex_):
        if self.is_live(table, hex_):
            self.put(table, hex_, "deleted_at", self.now)

    def undelete(self, table, hex_):
        self.put(table, hex_, "deleted_at", None)


def linked_to(ids):
    """``load_state``'s ``only`` for a merge of the stakeholders ``ids`` (database ids): those records,
    the members of those among them that are organisations, and every record linking to them."""
    ids = list(ids)
    return {"stakeholder": [("id", ids), ("organisation_id", ids)], "attendance": [("stakeholder_id", ids)],
            "commitment": [("made_by_id", ids)], "action_item": [("owner_id", ids)],
            "record_update": [("stakeholder_id", ids)]}


def undo_list_records(changes):
    """``load_state``'s ``only`` for the records of an undo list."""
    only = {}
    for table, hex_, *_ in changes:
        only.setdefault(table, [("uuid", [])])[0][1].append(hex_)
    return only


def move_links(work, kept, retired):
    """Every link of the ``retired`` records (hex, in the merge's order) moves to ``kept``; no double
    attendance (the first of them to attend an event keeps the attendance, after the kept record)."""
    redirect(work, {h: kept for h in retired}, {h: n for n, h in enumerate(retired)})


def redirect(work, into, order):
    """Every link to a record of ``into`` ({retired hex: kept hex}) moves to the record it goes into;
    rows move in ``order`` ({retired hex: its place}), then by ID, so every council moves them alike."""
    state = work.state
    for table, field in LINKS:
        i = BY_TABLE[table].at[field]
        rows = sorted((h for h in state.tables[table].records if work.values(table, h)[i] in into),
                      key=lambda h: (order[work.values(table, h)[i]], h))
        if table == "attendance":
            _move_attendance(work, into, rows)
            continue
        for h in rows:
            target = into[work.values(table, h)[i]]
            # (a kept organisation that belonged to one it absorbs now belongs to none)
            work.put(table, h, field, None if h == target else target)


def _move_attendance(work, into, rows):
    sheet = BY_TABLE["attendance"]
    event_at, who_at = sheet.at["event"], sheet.at["stakeholder"]
    kept = set(into.values())
    kept_at = {}
    for h in sorted(work.state.tables["attendance"].records):
        v = work.values("attendance", h)
        if v[who_at] in kept:
            kept_at[(v[who_at], v[event_at])] = h
    known = work.state.tables["attendance"].ids
    for h in rows:
        if not work.is_live("attendance", h):
            continue  # a deleted attendance stays with the retired record
        v = work.values("attendance", h)
        key = (into[v[who_at]], v[event_at])
        other = kept_at.get(key)
        if other is None:
            other = attendance_id(key[1], key[0])
            if other in known:  # (it exists, but no longer as the kept record's: leave it be)
                continue
            new = list(v)
            new[who_at] = key[0]
            work.create("attendance", other, new)
            kept_at[key] = other
        elif not work.is_live("attendance", other):
            work.undelete("attendance", other)
        work.delete("attendance", h)


def join_councils(work, kept, retired):
    """The kept record belongs to every council any of them belonged to."""
    i = STAKEHOLDER.at["councils"]
    hexes = set()
    for h in (kept, *retired):
        value = work.values("stakeholder", h)[i]
        hexes.update(value.split(";") if value else ())
    work.put("stakeholder", kept, "councils", ";".join(sorted(hexes)))


def retire(work, retired):
    for h in retired:
        work.delete("stakeholder", h)


def write(work, writer, notes):
    """Write the planned changes with ``writer`` (inside the caller's transaction), audited field by
    field, with ``notes`` ({stakeholder hex: what the merge did to it}); returns (the undo list: [table, hex, version before, values before, version after], the
    Change to announce)."""
    state = work.state
    changes, change = [], Change()
    origin = state.councils.find(writer.actor.council) if writer.actor.council else None
    for table in TABLES:
        creates = [Create(h, new, 1, None, origin) for (t, h), new in sorted(work.new.items())
                   if t == table and (t, h) in work.created]
        writer.insert(table, creates)
        for c in creates:
            writer.audit_note(table, c.hex, "create", "added by the merge: the kept record's attendance")
            changes.append([table, c.hex, None, None, 1])
            change |= Change.of_created(table, state.tables[table].ids[c.hex])
        ups = []
        for (t, h), new in sorted(work.new.items()):
            if t != table or (t, h) in work.created:
                continue
            rec = state.tables[t].records[h]
            ups.append((rec, new, rec.version + 1))
            writer.audit_update(t, h, rec.values, new, operation="merge")
            changes.append([t, h, rec.version, list(rec.values), rec.version + 1])
            gone = new[DELETED[t]] is not None and rec.values[DELETED[t]] is None
            change |= (Change.of_deleted if gone else Change.of_updated)(t, rec.id)
        writer.update(table, ups)
    for h, note in notes.items():
        writer.audit_note("stakeholder", h, "merge", note)
    writer.flush_audit()
    return changes, change


def blocked(state, changes):
    """The records of an undo list changed since (their version moved on), named for people."""
    out = []
    for t, h, _, _, version_after in changes:
        rec = state.tables[t].records.get(h)
        if rec is None or rec.version != version_after:
            sheet = BY_TABLE[t]
            name = rec.values[sheet.at[sheet.display]] if rec else dashed(h)
            out.append(f"{sheet.name.removesuffix('s')} '{name}'"
                       if name else f"{sheet.name} {dashed(h)}")
    return out


def put_back(state, writer, changes, note):
    """Undo: each record of the undo list gets its content and version before back (inside the
    caller's transaction); returns the Change to announce."""
    change = Change()
    for table in TABLES:
        ups, removed = [], []
        for t, h, version_before, before, _ in changes:
            if t != table:
                continue
            rec = state.tables[t].records[h]
            if before is None:  # added by the merge: removed
                removed.append(rec)
                writer.audit_note(t, h, "delete", f"removed: {note}")
                change |= Change.of_deleted(t, rec.id)
                continue
            before = tuple(before)
            ups.append((rec, before, version_before))
            writer.audit_update(t, h, rec.values, before, operation="merge")
            writer.audit_note(t, h, "merge", note)
            change |= Change.of_updated(t, rec.id)
        writer.update(table, ups)
        writer.remove(table, removed)
    writer.flush_audit()
    return change


def dumps(changes):
    return json.dumps(changes, ensure_ascii=False)

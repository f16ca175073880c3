"""The audit trail: every create, change, delete and restore, field by field.

Services call these functions inside the same transaction as the change they describe, so the
trail and the data cannot disagree.  Values are stored as text (:func:`as_text`): linked records by
UUID, dates in ISO form (a month, quarter or year as ``tracker.dates.stored_date`` writes it), councils by name, so that an import can be undone from the trail.  A bulk
path (an import, its undo, deciding a conflict: ``services.bulk_writer``) words its entries with the
same :func:`change_entry` and writes them with :func:`write_entries`, in one ``executemany``.
"""

import datetime as dt
import json
import uuid

from peewee import Model

from tracker.bulk import insert_columns
from tracker.dates import stored_date
from tracker.models import AuditEntry, ImportChange, ImportRun, utcnow
from tracker.services.actor import current_actor


def as_text(value):
    if value is None:
        return None
    if value.__class__ is str:
        return value
    if isinstance(value, Model):
        return str(value.uuid)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return stored_date(value)  # a period as "2019-03", "2019-Q2", "2019": what it was, not only its last day
    if isinstance(value, (list, tuple)):
        return "; ".join(str(as_text(v)) for v in value)
    return str(value)


def write(record, operation, changes=None, source="", snapshot=None, councils=None):
    """Record ``operation`` on ``record``; ``changes`` maps field to (old, new).

    A creation is one entry whose new value is a JSON ``snapshot`` of the fields set (see
    :func:`creation_text`), so that creating many records does not multiply the trail by the
    number of fields.
    """
    actor = current_actor()
    base = {
        "user": actor.user,
        "council": actor.council,
        "operation": operation,
        "table": record._meta.table_name,
        "record_uuid": record.uuid,
        "source": source,
    }
    if snapshot is not None:
        AuditEntry.create(**base, new_value=creation_text(snapshot, councils))
        return
    if not changes:
        AuditEntry.create(**base)
        return
    at = utcnow()
    write_entries([change_entry(at, actor, operation, base["table"], record.uuid, field, old, new, source)
                   for field, (old, new) in changes.items()])


ENTRY_COLUMNS = ("at", "user", "council", "operation", "table", "record_uuid", "field", "old_value", "new_value",
                 "source")


def change_entry(at, actor, operation, table, record_uuid, field, old, new, source=""):
    """One field's change as the trail holds it (a row in :data:`ENTRY_COLUMNS` order): old and new as text."""
    return (at, actor.user, actor.council, operation, table, record_uuid, field, as_text(old), as_text(new), source)


def note_entry(at, actor, operation, table, record_uuid, note, source=""):
    """An entry saying what happened to a record as a whole ("kept this database's values ...")."""
    return (at, actor.user, actor.council, operation, table, record_uuid, "", None, note, source)


def write_entries(rows):
    """Entries made by :func:`change_entry` or :func:`note_entry`, in one executemany."""
    rows = list(rows)
    insert_columns(AuditEntry, len(rows), dict(zip(ENTRY_COLUMNS, zip(*rows))))  # (no dict per entry)


def write_changes(changed, operation, source=""):
    """:func:`write` for many records' changes (``changed``: [(record, {field: (old, new)})]), one executemany."""
    actor = current_actor()
    entries = [(rec._meta.table_name, rec.uuid, field, old, new)
               for rec, changes in changed for field, (old, new) in changes.items()]
    tables, uuids, fields, olds, news = zip(*entries) if entries else ((),) * 5
    insert_columns(AuditEntry, len(entries), {"table": tables, "record_uuid": uuids, "field": fields,
                                              "old_value": [as_text(v) for v in olds],
                                              "new_value": [as_text(v) for v in news]},
                   constants={"at": utcnow(), "user": actor.user, "council": actor.council,
                              "operation": operation, "source": source})


_encode_text = json.encoder.encode_basestring  # a text as JSON writes it with ensure_ascii=False


def creation_text(values, councils=None):
    """The JSON a creation's entry holds: the fields given a value (not the UUID) and the councils by name
    (sorted by field name, as ``json.dumps(..., ensure_ascii=False, sort_keys=True)`` writes them)."""
    return creation_texts([values], [councils])[0]


def creation_texts(states, link_sets=None):
    """:func:`creation_text` of each of ``states`` (the councils of each in ``link_sets``), worked out a field at
    a time: the JSON is joined from each value's encoded text (a JSON object of texts is ``{"key": "text", ...}``),
    a linked record's UUID found once per record.  A batch of 6k new people cost about twice as much as one
    ``json`` encoder call per record and a dict of its texts."""
    link_sets = link_sets or [None] * len(states)
    keys = set()
    for values in states:
        keys.update(values)
    keys.discard("uuid")
    if any(link_sets):
        keys.add("councils")
    columns, linked = [], {}
    for key in sorted(keys):
        prefix = _encode_text(key) + ": "
        column = []
        add = column.append
        for values in states:
            value = values.get(key)
            if value.__class__ is str:  # (most values: tested first)
                add(prefix + _encode_text(value) if value else None)
            elif value is None:
                add(None)
            elif isinstance(value, Model):
                ref = (value.__class__, value.__data__.get("id"))
                text = linked.get(ref)
                if text is None:
                    text = linked[ref] = _encode_text(as_text(value))
                add(prefix + text)
            else:
                add(prefix + _encode_text(as_text(value)))
        if key == "councils":
            column = [prefix + _encode_text(as_text(sorted(c.name for c in councils))) if councils else part
                      for part, councils in zip(column, link_sets)]
        columns.append(column)
    if not columns:
        return ["{}"] * len(states)
    return ["{" + ", ".join([part for part in parts if part is not None]) + "}" for parts in zip(*columns)]


def write_creations(model, uuids, texts, source=""):
    """The creation entries (``texts`` from :func:`creation_text`) of a batch of new records, in one executemany."""
    actor = current_actor()
    insert_columns(AuditEntry, len(uuids), {"record_uuid": uuids, "new_value": texts},
                   constants={"at": utcnow(), "user": actor.user, "council": actor.council, "operation": "create",
                              "table": model._meta.table_name, "field": "", "old_value": None, "source": source})


def history(record_uuid):
    """Audit entries for one record, oldest first.

    A record an import added has no entry of its own (an import of 100k records writes one import
    row and the list of what it added, not 100k snapshots): its creation is shown as an unsaved
    entry made from that import's row (who, when, the file and the council it came from; a partner's table
    import (``tracker.tableimport``) as ``table import of FILE``, the source of the changes it made).
    A table import by the app until 2 December 2026 wrote each new record's creation entry too: for those
    records that entry is shown, not a second creation from the run.
    """
    entries = list(AuditEntry.select().where(AuditEntry.record_uuid == record_uuid))
    entries += _imported_creations(record_uuid, {e.source for e in entries if e.operation == "create"})
    return sorted(entries, key=lambda e: (e.at, e.id is not None, e.id or 0))


TABLE_IMPORT_SOURCE = "table import of {}"  # how a table import names its file in the entries it writes


def _imported_creations(record_uuid, written):
    """The creations read from the imports that added the record, but a table import's that wrote the record's own
    creation entry (``written``: the sources of its stored creation entries)."""
    hex_ = uuid.UUID(str(record_uuid)).hex
    added = (ImportChange.select(ImportChange, ImportRun).join(ImportRun)
             .where(ImportChange.kind == "add", ImportChange.added.contains(f"{hex_}:")))
    made = []
    for change in added:  # (an ID is 32 hex digits and a colon: it matches only at an item's start)
        run = change.run
        source = (TABLE_IMPORT_SOURCE.format(run.file_name) if run.details  # (a table import's run: its details)
                  else import_source(run.file_name, run.from_council))
        if source not in written:
            made.append(AuditEntry(at=run.at, user=run.user, council=run.council, operation="create",
                                   table=change.table, record_uuid=record_uuid, new_value=None, source=source))
    return made


def import_source(file_name, from_council):
    """How the trail names an import's file: ``name.xlsx (Council)``."""
    return f"{file_name} ({from_council})" if from_council else file_name

"""Conflicts an import held for a person: listing them, showing both sides, deciding them.

An import holds a conflict when a record changed both here and in the file since the two were last
exchanged (``tracker.exchange.merge`` decides; ``services.imports.apply_import`` stores it).  A
conflict from a row edited in a spreadsheet after export also keeps the state the exporting council
had (``exported_hash``, the row's Row check).  Deciding it puts that state among the states this
database has seen, so the exporting council's unchanged record never raises it again; and taking
the file's side keeps the edit a change made here on top of that state (it stays the base), so a
later different change from the exporting council is a conflict again rather than an overwrite.
See docs/exchange-format.md.
"""

import json

from tracker.changes import Change, announce
from tracker.errors import NotFoundError, TrackerError
from tracker.exchange_format import BY_TABLE
from tracker.models import HeldConflict, utcnow
from tracker.services.exchange import MODELS, Writer, _hex, content_hash, display, load_state, push_seen, transaction


def pending_conflicts():
    """Conflicts held for review, oldest first."""
    return list(HeldConflict.select().where(HeldConflict.resolved_at.is_null()).order_by(HeldConflict.id))


def edited_in_a_spreadsheet(conflict):
    """Whether the file's side is a row someone edited in a spreadsheet after it was exported."""
    return bool(conflict.exported_hash)


def conflict_sides(conflict):
    """[(field, header, mine, theirs)] for the fields that differ, as people read them."""
    state = load_state([conflict.table])
    rec = state.tables[conflict.table].records.get(_hex(conflict.record_uuid))
    if rec is None:
        raise NotFoundError("The record of this conflict no longer exists.")
    theirs = json.loads(conflict.theirs)
    sheet = BY_TABLE[conflict.table]
    out = []
    for i, col in enumerate(sheet.content):
        if col.field in json.loads(conflict.fields):
            out.append((col.field, col.header, display(state, col, rec.values[i]), display(state, col, theirs[i])))
    return out


def resolve_conflict(conflict, choice, edited=None):
    """Decide a held conflict: ``mine`` keeps this database's values, ``theirs`` takes the file's,
    ``edited`` takes ``edited`` ({field: stored value}) over mine.  The record's version moves
    past both sides' so that the decision wins when it travels back."""
    if choice not in ("mine", "theirs", "edited"):
        raise ValueError(choice)
    conflict = HeldConflict.get_by_id(conflict.id)
    if conflict.resolved_at is not None:
        raise TrackerError("This conflict has already been resolved.")
    table, hex_ = conflict.table, _hex(conflict.record_uuid)
    state = load_state()
    rec = state.tables[table].records.get(hex_)
    if rec is None:
        raise NotFoundError("The record of this conflict no longer exists.")
    theirs = tuple(json.loads(conflict.theirs))
    if choice == "mine":
        new_values = rec.values
    elif choice == "theirs":
        new_values = theirs
    else:
        fields = [c.field for c in BY_TABLE[table].content]
        new_values = tuple(edited.get(f, v) if edited else v for f, v in zip(fields, rec.values))
    writer = Writer(state, conflict.source)
    version = max(rec.version, conflict.theirs_version) + 1
    mine_hash, new_hash = content_hash(table, rec.values), content_hash(table, new_values)
    # Taking an edited row's side is a change made here on top of what the exporting council had.
    base = conflict.exported_hash if conflict.exported_hash and choice != "mine" else new_hash
    with transaction():
        writer.update(table, [(rec, new_values, version)])
        if new_values == rec.values:
            writer.audit_note(table, hex_, "update", f"kept this database's values over {conflict.source}")
        else:
            writer.audit_update(table, hex_, rec.values, new_values)
        writer.flush_audit()
        writer.set_sync({hex_: push_seen(state.sync.get(hex_), base,
                                         also=(conflict.theirs_hash, mine_hash, conflict.exported_hash))})
        HeldConflict.update(resolved_at=utcnow(), resolution=choice).where(HeldConflict.id == conflict.id).execute()
    announce(Change.of_updated(table, rec.id))
    return MODELS[table].get(MODELS[table].id == rec.id)

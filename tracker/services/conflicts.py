"""Conflicts an import held for a person: listing them, showing both sides, deciding them.

An import holds a conflict when a record changed both here and in the file since the two were last
exchanged (``tracker.exchange.merge`` decides; ``services.imports.apply_import`` stores it).  A
conflict from a row edited in a spreadsheet after export also keeps the state the exporting council
had (``exported_hash``, the row's Row check).  Deciding it puts that state among the states this
database has seen, so the exporting council's unchanged record never raises it again; and taking
the file's side keeps the edit a change made here on top of that state (it stays the base), so a
later different change from the exporting council is a conflict again rather than an overwrite.
See docs/exchange-format.md.

A result a person types is text, read here as an import reads a cell (``tracker.records.cells``, the
field's own rules): the app passes what was typed and shows the ValidationError if it cannot be read.
"""

import json
from typing import NamedTuple

from tracker import records
from tracker.changes import Change, announce
from tracker.errors import NotFoundError, TrackerError, ValidationError
from tracker.exchange_format import BY_TABLE
from tracker.models import HeldConflict, MergeRun, utcnow
from tracker.records.cells import CellError, converter
from tracker.records.fields import REQUIRED
from tracker.services.bulk_writer import Writer, transaction
from tracker.services.exchange import MODELS, content_hash, display, load_state, uuid_hex
from tracker.services.sync import push_seen

CHOICES = ("mine", "theirs", "edited")
LINK_TYPED = "choose mine or theirs for a link (a linked record cannot be typed)"
NOT_IN_CONFLICT = "is not one of the fields in conflict"


def pending_conflicts():
    """Conflicts held for review, oldest first."""
    return list(HeldConflict.select().where(HeldConflict.resolved_at.is_null()).order_by(HeldConflict.id))


def edited_in_a_spreadsheet(conflict):
    """Whether the file's side is a row someone edited in a spreadsheet after it was exported."""
    return bool(conflict.exported_hash)


def _both_sides(conflict):
    """(state, this database's record, the file's content) of a conflict.  The state holds the
    conflict's table and the tables its links point to (to name them): a fixed number of queries."""
    sheet = BY_TABLE[conflict.table]
    linked = {c.target for c in sheet.content if c.kind == "link"}
    if None in linked:  # an update's record: any of the kinds an update belongs to
        linked = (linked - {None}) | {"stakeholder", "commitment", "action_item"}
    state = load_state([conflict.table, *sorted(linked)])
    rec = state.tables[conflict.table].records.get(uuid_hex(conflict.record_uuid))
    if rec is None:
        raise NotFoundError("The record of this conflict no longer exists.")
    return state, rec, tuple(json.loads(conflict.theirs))


class ConflictRecord(NamedTuple):
    """Which record a conflict is about, in people's words."""

    kind: str  # the registry's word: "action", "stakeholder"
    name: str  # its name or title here ("Ben Patel at Summit" for an attendance)
    reference: str  # an action's reference (HAV-A0042), else the start of its ID


def conflict_record(conflict):
    """The :class:`ConflictRecord` of a conflict (one query, two for an attendance)."""
    model = MODELS[conflict.table]
    record = model.get_or_none(model.uuid == conflict.record_uuid)
    if record is None:
        raise NotFoundError("The record of this conflict no longer exists.")
    kind = records.BY_TABLE[conflict.table].name
    if conflict.table == "attendance":
        name = f"{record.stakeholder.name} at {record.event.title}"
    else:
        name = str(getattr(record, BY_TABLE[conflict.table].display) or "")
    reference = getattr(record, "reference", "") or f"ID {str(record.uuid)[:8]}"
    return ConflictRecord(kind, name, reference)


def conflict_sides(conflict):
    """[(field, header, mine, theirs)] for the fields that differ, as people read them."""
    state, rec, theirs = _both_sides(conflict)
    sheet = BY_TABLE[conflict.table]
    fields = json.loads(conflict.fields)
    return [(col.field, col.header, display(state, col, rec.values[i]), display(state, col, theirs[i]))
            for i, col in enumerate(sheet.content) if col.field in fields]


def read_result(conflict, edited):
    """The result a person typed for a conflict ({field: text}) in stored form, read as an import reads a
    cell (the field's own rules, UK dates): text shown as mine or theirs keeps that side's value.
    ValidationError naming each field and why when any text cannot be read; nothing is changed."""
    state, rec, theirs = _both_sides(conflict)
    return _read(conflict, state, rec, theirs, edited)


def _read(conflict, state, rec, theirs, edited):
    sheet = BY_TABLE[conflict.table]
    out, errors = {}, {}
    for field, text in (edited or {}).items():
        if field not in sheet.at:
            errors[field] = NOT_IN_CONFLICT
            continue
        i, column = sheet.at[field], sheet.column(field)
        if text == display(state, column, rec.values[i]):
            out[field] = rec.values[i]
        elif text == display(state, column, theirs[i]):
            out[field] = theirs[i]
        elif column.kind == "link" or column.spec is None:
            errors[field] = LINK_TYPED
        else:
            try:
                value = converter(column.spec, state.councils)(text)
            except CellError as exc:
                errors[field] = str(exc)
                continue
            if column.required and (value is None or value == ""):
                errors[field] = REQUIRED
            out[field] = value
    if errors:
        raise ValidationError(errors, what=records.BY_TABLE[conflict.table].name)
    return out


def retired_by_a_merge(table, hex_):
    """Whether the record is a stakeholder retired by a merge that stands (``services.merges``)."""
    return table == "stakeholder" and MergeRun.select().where(MergeRun.retired.contains(hex_),
                                                              MergeRun.undone_at.is_null()).exists()


def resolve_conflict(conflict, choice, edited=None):
    """Decide a held conflict: ``mine`` keeps this database's values, ``theirs`` takes the file's,
    ``edited`` takes ``edited`` ({field: the text a person typed}, read by :func:`read_result`) over
    mine; text that cannot be read raises ValidationError and changes nothing.  The record's version
    moves past both sides' so that the decision wins when it travels back."""
    if choice not in CHOICES:
        raise ValueError(choice)
    conflict = HeldConflict.get_by_id(conflict.id)
    if conflict.resolved_at is not None:
        raise TrackerError("This conflict has already been resolved.")
    table, hex_ = conflict.table, uuid_hex(conflict.record_uuid)
    state, rec, theirs = _both_sides(conflict)
    if choice == "mine":
        new_values = rec.values
    elif choice == "theirs":
        new_values = theirs
    else:
        chosen = _read(conflict, state, rec, theirs, edited)
        new_values = tuple(chosen.get(c.field, v) for c, v in zip(BY_TABLE[table].content, rec.values))
    deleted_at = BY_TABLE[table].at["deleted_at"]
    if new_values[deleted_at] is None and rec.values[deleted_at] is not None and retired_by_a_merge(table, hex_):
        # a record merged into another stays retired whichever side is taken (else it splits from its links)
        new_values = (*new_values[:deleted_at], rec.values[deleted_at], *new_values[deleted_at + 1:])
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

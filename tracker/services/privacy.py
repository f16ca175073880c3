"""Personal data: erasing a person on request (UK GDPR right to erasure) and the retention review.

:func:`erase` keeps a tombstone (the record's ID, kind and sector, named ``Erased person``, with
``erased_at`` set) so that links from commitments, actions and attendance still resolve and the
exchange workbook can carry the erasure to the other councils.  Everything else that describes
the person goes, in one transaction: their contact details, role, notes, scores and tags, the
text of updates written about them, their notes on attendance records, and the old and new
values the audit trail kept for all of those records.  SQLite's ``secure_delete`` overwrites the
freed space and the WAL is checkpointed, so the values do not linger in the file either.
An erasure that arrives from another council in an exchange workbook is completed the same way
by :func:`complete_erasures`, which the importer calls after every import that changed something.
Both keep keyed hashes of the person (``tracker.services.erasures``) so that an import of a
partner's table never brings them back, and drop the rows of such tables held for review that
name them (or offer them as a candidate).
Backups taken before the erasure still hold them until rotated out; a restore erases again
everyone erased in the database it replaces (see ``tracker.restore``).

:func:`retention_review` lists people nobody has touched for a number of months (a setting
kept in the database, so every user of that database shares it).
"""

import contextlib
import datetime as dt
import json

from peewee import SqliteDatabase, fn

from tracker.db import database, wait_for_checkpoint
from tracker.errors import TrackerError
from tracker.models import Attendance, AuditEntry, Event, HeldRow, ImportChange, Meta, Stakeholder, Update, utcnow
from tracker.changes import Change, announce
from tracker.services import audit, erasures, undo_snapshots
from tracker.services.base import writing
from tracker.services.matching import organisation_key, person_key

ERASED_NAME = "Erased person"
ERASED_UPDATE_TEXT = "(erased on request)"
# Field -> value once erased.  Kind and sector stay: they say what the tombstone was, not who.
ERASED_VALUES = {
    "name": ERASED_NAME, "role": "", "email": "", "phone": "", "address": "", "website": "",
    "tags": "", "notes": "", "influence": None, "interest": None, "organisation": None,
}
RETENTION_KEY = "retention_months"
DEFAULT_RETENTION_MONTHS = 24


def erase(person, source=""):
    """Erase ``person`` (a Stakeholder of kind person) everywhere; returns the tombstone."""
    person = Stakeholder.get_by_id(person.id)
    if person.kind != "person":
        raise TrackerError(f"Stakeholder {person.uuid} is an organisation, not a person; only people can be "
                           f"erased. Delete it instead if it should go.")
    if person.erased_at is not None:
        return person
    with _overwriting_freed_space():
        with writing():
            _erase_in_transaction(person, source)
            announce(_erased([person.id]))
    return Stakeholder.get_by_id(person.id)


@contextlib.contextmanager
def _overwriting_freed_space():
    """SQLite zeroes what it frees, and the WAL is written back and emptied afterwards, so the erased
    values do not linger in the file."""
    db = database.obj
    sqlite = isinstance(db, SqliteDatabase)
    if sqlite:
        db.execute_sql("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        if sqlite:
            db.execute_sql("PRAGMA secure_delete = OFF")
    if sqlite:
        wait_for_checkpoint()  # an import's, still running, would make this one give up (the checkpoint lock)
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _erase_in_transaction(person, source):
    now = utcnow()
    _remember(person, person.name, person.email, person.organisation.name if person.organisation_id else "")
    values = {getattr(Stakeholder, name): value for name, value in ERASED_VALUES.items()}
    values.update({Stakeholder.erased_at: now, Stakeholder.updated_at: now,
                   Stakeholder.version: person.version + 1})
    Stakeholder.update(values).where(Stakeholder.id == person.id).execute()
    _scrub_traces(person, now)
    audit.write(Stakeholder.get_by_id(person.id), "erase", source=source)


def _scrub_traces(person, now):
    """Everything outside the record itself that describes the person: updates, attendance notes,
    audit values, and the before-values an import kept for undo."""
    scrubbed = [person.uuid]
    notes = list(Update.select().where(Update.stakeholder == person.id))
    for note in notes:
        Update.update({Update.text: ERASED_UPDATE_TEXT, Update.version: note.version + 1, Update.updated_at: now,
                       Update.deleted_at: note.deleted_at or now}).where(Update.id == note.id).execute()
        scrubbed.append(note.uuid)
    AuditEntry.update({AuditEntry.old_value: None, AuditEntry.new_value: None}).where(
        AuditEntry.record_uuid.in_(scrubbed)).execute()
    for visit in Attendance.select().where(Attendance.stakeholder == person.id):
        _scrub_attendance(visit, now)
    _scrub_import_history(person)


def _scrub_import_history(person):
    """An import that changed the person, their updates or attendance kept the values for undo; keep
    the erased ones instead, so that undoing that import can never bring the details back."""
    erased = Stakeholder.get_by_id(person.id)
    _rewrite_before("stakeholder", [person.uuid], {**ERASED_VALUES, "erased_at": str(erased.erased_at)})
    _rewrite_before("record_update", [u.uuid for u in Update.select(Update.uuid).where(Update.stakeholder == person.id)],
                    {"text": ERASED_UPDATE_TEXT})
    _rewrite_before("attendance", [a.uuid for a in Attendance.select(Attendance.uuid)
                                   .where(Attendance.stakeholder == person.id)], {"notes": ""})


def _import_befores(identities):
    """The states imports kept to undo their changes to these records (``undo_snapshots``: either form)."""
    if not identities:
        return []
    return list(ImportChange.select().where(ImportChange.record_uuid.in_(identities),
                                            ImportChange.before.is_null(False)))


def _rewrite_before(table, identities, replacements):
    for change in _import_befores(identities):
        change.before = undo_snapshots.rewrite(table, change.before, replacements)
        change.save()


def _has_traces(person):
    if any(getattr(person, name) != value for name, value in ERASED_VALUES.items()):
        return True
    if AuditEntry.select().where(AuditEntry.record_uuid == person.uuid,
                                 AuditEntry.old_value.is_null(False) | AuditEntry.new_value.is_null(False)).exists():
        return True
    if Update.select().where(Update.stakeholder == person.id, Update.text != ERASED_UPDATE_TEXT).exists():
        return True
    if Attendance.select().where(Attendance.stakeholder == person.id, Attendance.notes != "").exists():
        return True
    for change in _import_befores([person.uuid]):
        _, values = undo_snapshots.read("stakeholder", change.before)
        if any(name in values and values[name] != value for name, value in ERASED_VALUES.items()):
            return True
    return False


def complete_erasures(source=""):
    """Finish erasures that arrived by exchange: a tombstone imported from another council carries
    ``erased_at``, but this database may still hold the person's details (their updates, the audit
    trail, the values kept for undo).  Returns how many people were scrubbed."""
    pending = [p for p in Stakeholder.select().where(Stakeholder.erased_at.is_null(False)) if _has_traces(p)]
    if not pending:
        return 0
    with _overwriting_freed_space(), writing():
        announce(_erased([p.id for p in pending]))
        for person in pending:
            now = utcnow()
            _remember(person, *_identity_before_erasure(person))
            if any(getattr(person, name) != value for name, value in ERASED_VALUES.items()):
                values = {getattr(Stakeholder, name): value for name, value in ERASED_VALUES.items()}
                values.update({Stakeholder.updated_at: now, Stakeholder.version: person.version + 1})
                Stakeholder.update(values).where(Stakeholder.id == person.id).execute()
            _scrub_traces(person, now)
            audit.write(Stakeholder.get_by_id(person.id), "erase", source=source)
    return len(pending)


def _remember(person, name, email, organisation):
    """Keep the keyed hashes an import recognises the person by (``tracker.services.erasures``), and
    drop what rows of partners' tables waiting for review hold of them."""
    name = name if name and name != ERASED_NAME else ""
    if name or email:
        erasures.remember(email, person_key(name) if name else "", organisation_key(organisation))
    _scrub_held_rows(person.id, name, email, organisation)
    # a row linked to them by hand is remembered by a keyed hash of another spelling of their name: it goes
    HeldRow.delete().where(HeldRow.record_uuid == person.uuid, HeldRow.resolution == "linked").execute()


def _scrub_held_rows(person_id, name, email, organisation):
    """A held row naming the person (the same email, or name and organisation) goes; one offering them
    as a candidate no longer does (an erased person cannot be linked to)."""
    wanted = (person_key(name), organisation_key(organisation)) if name else None
    for row in HeldRow.select().where(HeldRow.resolved_at.is_null()):
        values = json.loads(row.values or "{}")
        same_email = bool(email and row.email and row.email.strip().casefold() == email.strip().casefold())
        if same_email or (wanted and (person_key(row.name), organisation_key(values.get("organisation") or "")) == wanted):
            row.delete_instance()
            continue
        candidates = json.loads(row.candidates or "[]")
        kept = [c for c in candidates if c.get("id") != person_id]
        if len(kept) != len(candidates):
            HeldRow.update(candidates=json.dumps(kept, ensure_ascii=False)).where(HeldRow.id == row.id).execute()


def _identity_before_erasure(person):
    """(name, email, organisation's name) a tombstone that arrived by exchange had here: the record
    itself if not yet wiped, else the state the exchange import kept for undo (it is scrubbed next)."""
    if person.name != ERASED_NAME or person.email:
        org = Stakeholder.get_or_none(Stakeholder.id == person.organisation_id) if person.organisation_id else None
        return person.name, person.email, org.name if org else ""
    for change in sorted(_import_befores([person.uuid]), key=lambda c: -c.id):
        _, values = undo_snapshots.read("stakeholder", change.before)
        if values.get("name") not in (None, "", ERASED_NAME) or values.get("email"):
            org = values.get("organisation")
            org = Stakeholder.get_or_none(Stakeholder.uuid == org) if org else None
            return values.get("name") or "", values.get("email") or "", org.name if org else ""
    return "", "", ""


def _erased(ids):
    """What an erasure changes: the people, and the updates and attendance about them."""
    return Change.of_updated(Stakeholder._meta.table_name, *ids) | Change.of_whole(Update._meta.table_name,
                                                                                  Attendance._meta.table_name)


def _scrub_attendance(visit, now):
    """An attendance record stays (the event happened); the notes about the person go."""
    if visit.notes:
        Attendance.update({Attendance.notes: "", Attendance.version: visit.version + 1,
                           Attendance.updated_at: now}).where(Attendance.id == visit.id).execute()
    entries = AuditEntry.select().where(AuditEntry.record_uuid == visit.uuid)
    for entry in entries:
        if entry.field == "notes":
            entry.old_value = entry.new_value = None
            entry.save()
        elif entry.operation == "create" and entry.new_value:
            snapshot = json.loads(entry.new_value)
            if snapshot.pop("notes", None) is not None:
                entry.new_value = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
                entry.save()


def retention_months():
    row = Meta.get_or_none(Meta.key == RETENTION_KEY)
    return int(row.value) if row is not None else DEFAULT_RETENTION_MONTHS


def set_retention_months(months):
    if not isinstance(months, int) or not 1 <= months <= 1200:
        raise TrackerError("The retention period must be a whole number of months from 1 to 1200.")
    Meta.insert(key=RETENTION_KEY, value=str(months)).on_conflict(
        conflict_target=[Meta.key], update={Meta.value: str(months)}).execute()


def _months_before(today, months):
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return dt.date(year, month + 1, day)


def retention_review(months=None, today=None):
    """People (not erased, not deleted) with no change, update or attendance for ``months`` months.

    Returns (cutoff date, [(stakeholder, date of last activity)]), oldest activity first.
    """
    months = retention_months() if months is None else months
    if not isinstance(months, int) or months < 1:
        raise TrackerError("The retention period must be a whole number of months, at least 1.")
    cutoff = _months_before(today or dt.date.today(), months)
    cutoff_at = dt.datetime.combine(cutoff, dt.time())
    S = Stakeholder
    recent_updates = Update.select(Update.stakeholder).where(
        Update.stakeholder.is_null(False), (Update.date >= cutoff) | (Update.updated_at >= cutoff_at))
    recent_visits = (Attendance.select(Attendance.stakeholder).join(Event)
                     .where((Event.date >= cutoff) | (Attendance.updated_at >= cutoff_at)))
    people = (S.select().where(S.kind == "person", S.erased_at.is_null(), S.deleted_at.is_null(),
                               S.updated_at < cutoff_at, S.id.not_in(recent_updates), S.id.not_in(recent_visits))
              .order_by(S.updated_at, S.id))
    people = list(people)
    last_note = dict(Update.select(Update.stakeholder, fn.MAX(Update.date))
                     .where(Update.stakeholder.in_([p.id for p in people])).group_by(Update.stakeholder).tuples())
    result = []
    for p in people:
        last = p.updated_at.date()
        note = last_note.get(p.id)
        if note is not None:
            note = note if isinstance(note, dt.date) else dt.date.fromisoformat(str(note))
            last = max(last, note)
        result.append((p, last))
    result.sort(key=lambda pair: pair[1])
    return cutoff, result

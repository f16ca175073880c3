"""Writing a :class:`plan.Plan`: all of it in one transaction, through the record services, recorded
as an import that ``tracker undo-import`` reverses.

Organisations the file names and the database lacks are created first (``create_many``), then the
new people, actions or commitments (``create_many``: validation, action references; no creation entry per
record: as for the exchange import, the run and its list of what it added are the trail, and
``audit.history`` shows each added record's creation from them, naming the file),
then each matched record's changes (``update_many``: ``update``'s rules, optimistic locking and
an audit entry per field, the file named as the source, written in bulk), then attendance.  The matched
people are written against the records the preview read (``tableimports.read_as_previewed``): their versions
are checked in the transaction and one changed or deleted since the preview refuses the whole import
(``snapshot_as_previewed``; the UPDATE's version check is the backstop); what the preview read is the undo's
snapshot.  Other matched records are read in the transaction (``tableimports.snapshot``), their versions
compared with the preview's where it read them.  The run, what it added and the rows
held for review are recorded in the same transaction (``services.tableimports.record_run``).  Any
failure rolls everything back, and so does Cancel: ``progress(percent, text)`` (the exchange's
protocol, see ``plan``) is asked only before the transaction commits, never after, so a cancelled
import changed nothing and one that was not cancelled is never reported as cancelled.  The services announce what changed once, after the commit.
"""

from tracker import services
from tracker.bulk import gc_paused
from tracker.db import checkpoint_after
from tracker.errors import StaleEditError, ValidationError
from tracker.services import audit, tableimports
from tracker.services.base import writing
from tracker.tableimport.people import Entry, Organisation
from tracker.tableimport.plan import CHECKED_PEOPLE, ImportRefused, refusal, step

SERVICES = {"person": services.stakeholders, "organisation": services.stakeholders, "action": services.actions,
            "commitment": services.commitments}
TABLES = {"person": "stakeholder", "organisation": "stakeholder", "action": "action_item",
          "commitment": "commitment"}


def apply_plan(plan, progress=None):
    """Write ``plan``; returns the import's ID (None when it changes nothing).  ImportRefused (nothing written) when it has bad rows
    and the person did not choose to leave them out; Cancelled (nothing written) when ``progress`` says stop.
    The cycle collector waits until it is done, as for the plan (``tracker.bulk.gc_paused``)."""
    with gc_paused():
        return _apply_plan(plan, progress)


def _apply_plan(plan, progress):
    step(progress, 0, "Saving")
    why = refusal(plan)
    if why:
        raise ImportRefused(why)
    name = plan.source.path.name
    source = audit.TABLE_IMPORT_SOURCE.format(name)  # (the source of the update entries; the run names it alike)
    live = plan.live()
    added = {"stakeholder": [], "action_item": [], "commitment": [], "attendance": []}
    updated = []
    held = tableimports.not_yet_held([_held_row(plan, e) for e in live if e.action == "held"])
    links = _linked_in_preview(plan, live)
    new_organisations = plan.new_organisations(live)
    counts = plan.counts(live, new_organisations)
    if not (counts["added"] or counts["updated"] or held or links):
        return None  # nothing would change: no import is recorded either (importing twice changes nothing)
    try:
        with checkpoint_after(), writing():  # (the WAL's checkpoint then runs on a thread of its own)
            _create_organisations(plan, new_organisations, source, added)
            step(progress, 10, "Adding new records")
            adding = {"person": [], "action": [], "commitment": []}  # (organisations are made above)
            for e in live:  # (one pass over the entries, not one per kind)
                if e.action == "add" and e.kind in adding:
                    adding[e.kind].append(e)
            for kind, adds in adding.items():
                if adds:
                    _read_organisations(plan, [plan.organisations[e.organisation] for e in adds if e.organisation])
                    rows = [_person_values(plan, e) for e in adds]
                    # new people were checked by the plan (plan._check_new_people), field by field, for the preview
                    uuids = SERVICES[kind].create_many(rows, source=source, creation_entries=False,
                                                       checked=CHECKED_PEOPLE if kind == "person" else ())
                    for entry, uuid in zip(adds, uuids):
                        entry.record_uuid = uuid
                    added[TABLES[kind]] += [(u, 1) for u in uuids]
            step(progress, 40, "Updating matched records")
            changing = [e for e in live if e.action == "match" and e.changes]
            wrote = {}  # (table, id) -> version of the records written here (a record matched as two kinds)
            for kind in ("person", "organisation", "action", "commitment"):
                mine = [e for e in changing if e.kind == kind]
                if not mine:
                    continue
                service = SERVICES[kind]
                records = {e.record_id: _held(plan, service, kind, e.record_id) for e in mine}
                table = TABLES[kind]
                previewed = (plan.previewed(records) if kind == "person" and wrote.keys().isdisjoint(
                    (table, i) for i in records) else None)
                if previewed is not None:  # as the preview read them: written only if still so (the version)
                    before, changed = tableimports.snapshot_as_previewed(table, previewed)
                    current = {i: _copy(r) for i, r in records.items()}  # (update_many changes them: the plan's stay)
                else:  # the records as they are now, read once for the undo snapshot and the update
                    current = {}
                    before = tableimports.snapshot(table, models=current, ids=list(records))
                    gone = {i for i in records if i not in current or current[i].deleted_at is not None}
                    changed = [(i, i in gone) for i, r in records.items()
                               if i in gone or current[i].version != wrote.get((table, i), r.version)]
                if changed:
                    record_id, deleted = changed[0]
                    raise ImportRefused(_changed_after_preview(plan, mine, records, record_id, deleted,
                                                               len(changed) - 1))
                step(progress, 50, "Updating matched records")
                _read_organisations(plan, [new for e in mine for _, new in e.changes.values() if isinstance(new, Organisation)])
                changes = [(records[e.record_id], {k: _record_of(plan, new) if new.__class__ in PLANNED else new
                                                   for k, (_, new) in e.changes.items()}) for e in mine]
                try:
                    written = service.update_many(changes, source=source, current=current)
                except StaleEditError as exc:  # changed between the check and the write (another connection)
                    if exc.current is None or exc.current.id not in records:
                        raise
                    raise ImportRefused(_changed_after_preview(plan, mine, records, exc.current.id, False)) from None
                for e, record in zip(mine, written):  # (in order: update_many answers each of ``changes``)
                    hex_, wrote[table, record.id] = record.uuid.hex, record.version
                    updated.append((table, hex_, before[hex_], record.version, e.changes.keys()))
            step(progress, 80, "Recording attendance")
            _attend(plan, source, added)
            step(progress, 90, "Recording the import")
            import_id = tableimports.record_run(name, plan.source.sha256, plan.options.on_match, counts,
                                                plan.details(), added, updated, held)
            tableimports.remember_links(import_id, plan.options.kind, links)  # the file imported again matches them, not holds
            step(progress, 99, "Saving")  # the last chance to cancel: after this the transaction commits
    except ValidationError as exc:
        raise ImportRefused(f"{name} was not imported: {exc} Nothing was changed.") from None
    return import_id


def _held(plan, service, kind, record_id):
    """The matched record as the plan read it (people prefetched, actions and commitments as matched), else from its
    service; the apply compares its version with the record's in the transaction."""
    record = plan._held.get(record_id) if service is services.stakeholders else plan.held_tasks.get((kind, record_id))
    return record if record is not None else service.get(record_id)


def _copy(record):
    """A record the preview read, as a record of its own (``bulk.record_maker``'s form) for ``update_many``, which
    sets the values it writes on it: the plan keeps what it previewed, should the transaction roll back."""
    copy = record.__class__.__new__(record.__class__)
    copy.__data__, copy._dirty, copy.__rel__ = dict(record.__data__), set(), {}
    return copy


def _changed_after_preview(plan, mine, records, record_id, deleted, more=0):
    """The refusal of an import one of whose matched ``records`` (as the preview read them) was changed or deleted
    since: what the preview showed (a field empty, to be filled) may no longer be so."""
    entry = next(e for e in mine if e.record_id == record_id)
    others = f" (and {more} more matched record{'s' if more > 1 else ''})" if more else ""
    record = records[record_id]
    named = getattr(record, "name", None) or getattr(record, "title", "")  # (a person or organisation; an action or commitment)
    return (f"{named} (ID {record_id}), matched by row {entry.row} of sheet '{entry.sheet}' of "
            f"{plan.source.path.name}, was {'deleted' if deleted else 'changed'} by someone else after the "
            f"preview{others}; nothing was imported. Preview the file again.")


def _create_organisations(plan, new, source, added):
    if not new:
        return
    rows = [{"name": o.name, **{k: v for k, v in o.values.items() if v not in (None, "", [])}} for o in new]
    rows = [_service_values(plan, {**r, "kind": "organisation", "sector": r.get("sector") or "other"}) for r in rows]
    uuids = services.stakeholders.create_many(rows, source=source, creation_entries=False)
    made = tableimports.stakeholders_by_uuid(uuids)
    for org, uuid in zip(new, uuids):
        org.created_id = made[uuid.hex].id
        plan.records_of[org.key] = made[uuid.hex]
    added["stakeholder"] += [(u, 1) for u in uuids]


def _read_organisations(plan, organisations):
    """The records of the held or just created ``organisations`` that :func:`_record_of` will want, read at once
    (``get_many``) rather than a ``get`` each (0.8 ms apiece); one missing or deleted is left to ``_record_of``'s
    ``get``, which refuses it as before."""
    wanted = {}  # id -> the keys of the organisations held as it
    for o in organisations:
        if o.key not in plan.records_of and (o.record_id or o.created_id) is not None:
            wanted.setdefault(o.record_id or o.created_id, set()).add(o.key)
    for record_id, record in services.stakeholders.get_many(wanted).items():
        for key in wanted[record_id]:
            plan.records_of[key] = record


def _record_of(plan, value):
    """A planned organisation as the record it now is (read once per organisation)."""
    if isinstance(value, Organisation):
        if value.key not in plan.records_of:
            plan.records_of[value.key] = services.stakeholders.get(value.record_id or value.created_id)
        return plan.records_of[value.key]
    if isinstance(value, Entry):  # a person the import makes, a commitment's maker (tasks._person_maker)
        return services.stakeholders.get(value.record_uuid)
    return value


PLANNED = {Organisation, Entry}  # the values _record_of turns into records (an Entry: a person the import makes)


def _service_values(plan, values):
    if PLANNED.isdisjoint(map(type, values.values())):  # (a new person's values: nothing to turn into a record)
        out = dict(values)
    else:
        out = {k: _record_of(plan, v) if v.__class__ in PLANNED else v for k, v in values.items()}  # (no subclasses)
    out.pop("organisation", None) if out.get("kind") == "organisation" else None
    return out


def _person_values(plan, entry):
    """:func:`_service_values` of an entry to add: its values and its organisation (as the record it now is)."""
    out = _service_values(plan, entry.values)
    if entry.organisation:
        out["organisation"] = _record_of(plan, plan.organisations[entry.organisation])
        out.pop("organisation", None) if out.get("kind") == "organisation" else None
    return out


def _attend(plan, source, added):
    for visit in plan.attendance:
        if visit.action != "add" or (visit.entry.sheet, visit.entry.row) in plan.bad_rows:
            continue
        entry = visit.entry
        person = (services.stakeholders.get(entry.record_uuid) if getattr(entry, "record_uuid", None)
                  else services.stakeholders.get(entry.record_id))
        row = services.attendance.create(event=plan.event, stakeholder=person,
                                         role=getattr(entry, "role_at_event", ""), source=source)
        added["attendance"].append((row.uuid, row.version))


def _held_row(plan, entry):
    if entry.kind == "commitment":  # held for its maker's name, close to a held organisation's
        values = tableimports.held_commitment_values(entry.values)
        return {"kind": plan.options.kind, "sheet": entry.sheet[:100], "row": entry.row, "name": entry.name[:300],
                "email": "", "values": tableimports.as_json(values),
                "candidates": tableimports.as_json(entry.candidates)}
    values = {k: v for k, v in entry.values.items() if k not in ("councils",)}
    if entry.values.get("councils"):
        values["councils"] = [c.name for c in entry.values["councils"]]
    if entry.organisation:
        values["organisation"] = plan.organisations[entry.organisation].name
    if plan.event is not None and entry.attending:
        values["_event"] = plan.event.id  # deciding the row records the attendance too
        values["_role_at_event"] = getattr(entry, "role_at_event", "")
    return {"kind": plan.options.kind, "sheet": entry.sheet[:100], "row": entry.row, "name": entry.name[:300],
            "email": (entry.email or "")[:254], "values": tableimports.as_json_or_text(values),
            "candidates": tableimports.as_json(entry.candidates)}


def _linked_in_preview(plan, live):
    """[(sheet, row, name, organisation, record uuid)] of the people decided "link" in the preview, to be
    remembered as a link decided later is (``tableimports.RememberedLinks``)."""
    decisions = plan.options.decisions
    if not decisions:  # (no row decided in the preview: none to look up)
        return []
    return [(e.sheet, e.row, e.values.get("name", ""),
             plan.organisations[e.organisation].name if e.organisation else "", plan.held_record(e.record_id).uuid)
            for e in live if e.kind == "person" and e.action == "match" and decisions.get((e.sheet, e.row)) == "link"]

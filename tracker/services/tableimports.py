"""What a partner's table import keeps in the database: the run (for the imports log and undo), the
rows whose match was doubtful (held for review), and the saved column mappings (presets).

The records themselves are written by the record services (validation, audit, action references,
announcements); this module records the run in the exchange import's terms (``exchange_import``
and ``exchange_import_change``: what was added, and of each changed record the fields written with their
values before, ``undo_snapshots``), so that ``tracker undo-import`` and Edit → Undo import reverse a table
import exactly as they reverse a workbook (``tracker.services.imports.undo_import``).  Deciding a held row is
:func:`resolve_held`.
"""

import datetime as dt
import json
from uuid import UUID

from peewee import fn

from tracker.bulk import bulk_insert, insert_columns
from tracker.db import database
from tracker.dates import date_from_stored, stored_date
from tracker.errors import NotFoundError, TrackerError
from tracker.exchange_format import BY_TABLE
from tracker.models import (ActionItem, Commitment, Council, Event, HeldRow, ImportChange, ImportPreset, ImportRun,
                            Stakeholder, SyncState, utcnow)
from tracker.services import councils as council_service
from tracker.services import erasures, undo_snapshots
from tracker.services import exchange as store
from tracker.services.actor import current_actor
from tracker.services.base import writing
from tracker.services.commitments import commitments
from tracker.services.events import attendance
from tracker.services.matching import StakeholderMatcher, organisation_key, person_key
from tracker.services.stakeholders import stakeholders


# ---- the run --------------------------------------------------------------------------------------------
def snapshot(table, uuids=(), models=None, ids=None):
    """{hex: (version, content, sync state)} of records about to change: what undo puts back.  ``models``:
    a dict to fill with {id: record} (model instances) read with them, for ``update_many(current=)``; ``ids``:
    the records by id instead of ``uuids``."""
    if not (uuids or ids):
        return {}
    records, sync = store.load_records(table, uuids, models, ids)  # just these records, not the whole table
    return {h: (record.version, record.values, sync.get(h)) for h, record in records.items()}


def read_as_previewed(ids):
    """{id: (record, hex, Rec, [Council])} of the live stakeholders ``ids`` (a read per 500): the record as a model
    instance (what the preview compares, and ``update_many(current=)`` writes from), its content and version as
    ``exchange.load_records`` reads them (the undo snapshot, :func:`snapshot_as_previewed`) and its councils by
    name (what ``councils_of`` gives, from the content's), in one read.  A table import's apply writes
    the matched records as its preview read them: one changed since is refused."""
    ids = list(ids)
    if not ids:
        return {}
    models = {}
    records, _ = store.load_records("stakeholder", models=models, ids=ids, sync=False)
    at = BY_TABLE["stakeholder"].at
    deleted, linked = at["deleted_at"], at["councils"]  # (councils: their UUIDs, ";"-joined)
    sets, by_hex, found = {"": ()}, None, {}  # each set of councils worked out once (a few sets among 3k people)
    for h, rec in records.items():
        values = rec.values
        if values[deleted] is not None:
            continue
        councils = sets.get(values[linked])
        if councils is None:
            by_hex = by_hex or {c.uuid.hex: c for c in Council.select()}  # a handful
            councils = sets[values[linked]] = tuple(sorted((by_hex[c] for c in values[linked].split(";")),
                                                           key=lambda c: c.name))
        found[rec.id] = (models[rec.id], h, rec, list(councils))
    return found


def snapshot_as_previewed(table, read):
    """(:func:`snapshot`'s answer, [(id, deleted)] of those changed since) for records read before (``read``: [(hex,
    Rec)], :func:`read_as_previewed`): their sync states read now (an export changes them without a new version),
    with their versions, in a query per 500; a record now at another version, deleted (``deleted``: True) or gone
    is among those changed, in the order of ``read``."""
    meta, now = store.MODELS[table]._meta, {}
    ids = [rec.id for _, rec in read]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sql = (f'SELECT r."id", r."version", r."{meta.fields["deleted_at"].column_name}", s."base", s."seen" '
               f'FROM "{meta.table_name}" r LEFT JOIN "{SyncState._meta.table_name}" s ON s."record_uuid" = r."uuid" '
               f'WHERE r."id" IN ({_marks(chunk)})')
        now.update((row[0], row[1:]) for row in database.execute_sql(sql, chunk).fetchall())
    before, changed = {}, []
    for h, rec in read:
        found = now.get(rec.id)
        if found is None or found[1] is not None or found[0] != rec.version:
            changed.append((rec.id, found is None or found[1] is not None))
        before[h] = (rec.version, rec.values, found[2:] if found is not None and found[2] is not None else None)
    return before, changed


def record_run(file_name, sha256, on_match, counts, details, added, updated, held_rows):
    """Write the import's run inside the caller's transaction; returns its ID.

    ``added``: {table: [(uuid, version)]}; ``updated``: [(table, uuid (or its hex), before snapshot, version after,
    the fields written)], undo keeping only those fields' values before (``undo_snapshots.changed_many``); a record
    written twice has one row, the state before the first write and the version after the last;
    ``held_rows``: dicts of :class:`HeldRow` fields."""
    actor = current_actor()
    run = ImportRun.create(user=actor.user, council=actor.council, file_name=file_name[:500], file_sha256=sha256,
                           on_conflict=on_match, added=counts["added"], updated=counts["updated"],
                           unchanged=counts["unchanged"], conflicts=counts["held"], details=details)
    # a column at a time (bulk.insert_columns): the adds first (a row per table), then one row per updated record
    adds = [(table, " ".join([f"{u.hex if u.__class__ is UUID else store.uuid_hex(u)}:{v}" for u, v in items]))
            for table, items in added.items() if items]  # (a new record's UUID: the object create_many made)
    changes = _once_per_record(updated)
    n, none = len(adds) + len(changes), [None] * len(adds)
    insert_columns(ImportChange, n, {
        "table": [t for t, _ in adds] + [t for t, _, _, _, _ in changes],
        "kind": ["add"] * len(adds) + ["update"] * len(changes),
        "record_uuid": none + [store.uuid_hex(h) for _, h, _, _, _ in changes],
        "added": [a for _, a in adds] + [None] * len(changes),
        "before": none + undo_snapshots.changed_many([(t, version, values, names)
                                                      for t, _, (version, values, _), _, names in changes]),
        "version_after": none + [after for _, _, _, after, _ in changes],
        "sync_before": none + [json.dumps(list(sync)) if sync else None for _, _, (_, _, sync), _, _ in changes]},
        constants={"run": run.id})  # one executemany: a 10k-row import records thousands of updates
    bulk_insert(HeldRow, held_rows, constants={"run": run.id})  # one executemany, not peewee's SQL per row
    return run.id


def _once_per_record(updated):
    """``updated`` with a record written twice (matched as two kinds) once: the first write's snapshot (it holds
    every field as it was before either), the fields of both writes, and the version after the last."""
    if len({u[1] for u in updated}) == len(updated):  # (a UUID names one record of one table; the apply's hex)
        return updated
    out = {}
    for t, h, before, after, names in updated:
        first = out.setdefault(store.uuid_hex(h), [t, h, before, after, {}])
        first[3] = after
        first[4].update(dict.fromkeys(names))
    return [tuple(v) for v in out.values()]


# json.dumps(..., ensure_ascii=False) made once: json.dumps makes an encoder per call given any option (thousands of
# held rows an import); the same text
as_json = json.JSONEncoder(ensure_ascii=False).encode
as_json_or_text = json.JSONEncoder(ensure_ascii=False, default=str).encode  # (a value JSON has not: its str())


def stakeholders_by_uuid(uuids):
    """{uuid hex: Stakeholder} for ``uuids`` (a query per 500)."""
    hexes = [store.uuid_hex(u) for u in uuids]
    found = {}
    for start in range(0, len(hexes), 500):
        for rec in Stakeholder.select().where(Stakeholder.uuid.in_(hexes[start:start + 500])):
            found[rec.uuid.hex] = rec
    return found


def _marks(values):
    return ", ".join([database.param] * len(values))


LINK_KEY = "linked_as"  # a person's row linked by hand keeps this hash in its values (RememberedLinks)
IN_PREVIEW = {"decided": "in the preview"}  # ... and this when its import decided it: undoing that import forgets it
PREVIEW_LINK = json.dumps(IN_PREVIEW)[1:-1]  # how that reads in the stored JSON (services.imports.undo_import)


# ---- held rows ------------------------------------------------------------------------------------------
def not_yet_held(rows):
    """Those of ``rows`` (dicts of HeldRow fields) not already waiting for review: a file imported twice
    holds each doubtful row once."""
    pending = {(h.kind, h.name.casefold(), h.email.casefold()) for h in HeldRow.select().where(
        HeldRow.resolved_at.is_null())}
    return [h for h in rows if (h["kind"], h["name"].casefold(), h["email"].casefold()) not in pending]


def held_rows(include_resolved=False):
    q = HeldRow.select().order_by(HeldRow.id)
    if not include_resolved:
        q = q.where(HeldRow.resolved_at.is_null())
    return list(q)


def get_held(row_id):
    row = HeldRow.get_or_none(HeldRow.id == row_id)
    if row is None:
        raise NotFoundError(f"There is no held row with ID {row_id}. See them with: tracker held")
    return row


def resolve_held(row_id, link=None, create=False, skip=False, source=""):
    """Decide a held row: link it to the stakeholder ``link`` (filling that record's empty fields, or
    updating them when its import said ``update``), create it as a new person, or skip it.  A person's
    row linked to an organisation (held because their organisation's name was close to a held one's)
    is the person, new, in that organisation."""
    if sum((link is not None, bool(create), bool(skip))) != 1:
        raise TrackerError("Say one of: --link ID, --create or --skip.")
    row = get_held(row_id)
    if row.resolved_at is not None:
        raise TrackerError(f"Held row {row_id} was already decided ({row.resolution}).")
    values = json.loads(row.values)
    source = source or f"held row {row.id} of import {_run_id(row) or '?'} ({row.sheet} row {row.row})"
    if row.kind == "commitments":
        with writing():
            resolution, record = _resolve_commitment(values, link, create, source)
            HeldRow.update(resolved_at=utcnow(), resolution=resolution, name="", values="{}", candidates="[]",
                           record_uuid=record.uuid if record is not None else None).where(HeldRow.id == row.id).execute()
        return resolution, record
    event_id, role_at_event = values.pop("_event", None), values.pop("_role_at_event", "")
    councils = values.pop("councils", None)
    organisation = values.pop("organisation", None)
    with writing():
        record = stakeholders.get(int(link) if str(link).isdigit() else link) if link is not None else None
        if record is not None and record.kind == "organisation" and values.get("kind", "person") == "person":
            # the doubt was the person's organisation (its name close to this one's): the person is new, in it
            values["organisation"], organisation, record, create = record, None, None, True
        if record is not None:
            mode = row.run.on_conflict if _run_id(row) else "fill"  # the import's --on-match
            changes = {k: v for k, v in values.items() if k not in ("name", "kind") and v not in (None, "")
                       and (mode == "update" or getattr(record, k, None) in (None, "", "other"))}
            if organisation and record.organisation_id is None:
                changes["organisation"] = _organisation(organisation, values.get("sector"), source)
            if changes and mode != "skip":  # (judged as the import judges its matches: what the change touches)
                record = stakeholders.update_many([(record, changes)], source=source, current={record.id: record})[0]
            resolution = "linked"
        elif create:
            if organisation:
                values["organisation"] = _organisation(organisation, values.get("sector"), source)
            if councils:
                values["councils"] = [council_service.find(c) for c in councils]
            record = stakeholders.create(source=source, **values)
            resolution = "created"
        else:
            resolution = "skipped"
        event = Event.get_or_none(Event.id == event_id) if event_id else None
        if record is not None and event is not None and not event.is_deleted:
            attendance.attend(event, record, role=role_at_event or "", source=source)
        # Decided, the row keeps only what was decided: the person's data is in their record, or was left out;
        # a link, by the keyed hash of the name and organisation as written, so the file imported again matches.
        remembered = (json.dumps({LINK_KEY: link_key(row.name, organisation)})
                      if resolution == "linked" and record.kind == "person" else "{}")
        HeldRow.update(resolved_at=utcnow(), resolution=resolution, name="", email="", values=remembered,
                       candidates="[]", record_uuid=record.uuid if record is not None else None).where(
            HeldRow.id == row.id).execute()
    return resolution, record


def link_key(name, organisation):
    """The keyed hash (``erasures.linked_digest``) a person's row linked by hand is remembered by: their
    name and organisation as the matcher compares them."""
    return erasures.linked_digest(person_key(name), organisation_key(organisation or ""), create=True)


class RememberedLinks:
    """The person rows linked by hand to a held record (``resolve_held``, or decided in the preview),
    loaded once for an import (one query): a row of the same name and organisation whose match is
    doubtful again is that record, when it is still among the candidates (as a commitment linked to
    a close organisation is matched again by its title, ``tableimport.tasks``)."""

    def __init__(self):
        self.uuids = {}
        for values, uuid in HeldRow.select(HeldRow.values, HeldRow.record_uuid).where(
                HeldRow.resolution == "linked", HeldRow.record_uuid.is_null(False)).tuples():
            key = json.loads(values or "{}").get(LINK_KEY)
            if key:
                self.uuids[key] = str(UUID(str(uuid)))  # as the matcher's Held.uuid reads it

    def among(self, name, organisation, candidates):
        """The candidate (matcher's ``Held``, from ``[(Held, score)]``) the row was linked to before, or None."""
        if not self.uuids:
            return None
        uuid = self.uuids.get(erasures.linked_digest(person_key(name), organisation_key(organisation or "")))
        return next((held for held, _ in candidates if held.uuid == uuid), None) if uuid else None


def remember_links(run_id, kind, links):
    """Remember rows decided "link" in the preview (``links``: [(sheet, row, name, organisation, record
    uuid)]) as rows of import ``run_id`` (as ``kind``) decided so, as :func:`resolve_held` remembers one
    decided later."""
    now = utcnow()
    bulk_insert(HeldRow, [{"run": run_id, "kind": kind, "sheet": sheet[:100], "row": row, "name": "",
                           "email": "", "values": json.dumps({LINK_KEY: link_key(name, organisation), **IN_PREVIEW}),
                           "candidates": "[]", "resolved_at": now, "resolution": "linked", "record_uuid": uuid}
                          for sheet, row, name, organisation, uuid in links])


def held_commitment_values(values):
    """A commitment row's planned values as a held row keeps them (JSON): its maker by name, councils by
    name, the event by ID, dates (and periods) as the exchange stores them."""
    out = {}
    for name, value in values.items():
        if name == "made_by":
            out["organisation"] = value.name  # as the held review shows a row's organisation
        elif name == "councils":
            out[name] = [c.name for c in value]
        elif name == "made_at":
            out[name] = value.id
        elif isinstance(value, dt.date):
            out[name] = stored_date(value)
        else:
            out[name] = value
    return out


def _resolve_commitment(values, link, create, source):
    """A commitment held because its maker's name was close to a held organisation's: made by the one
    linked, or by the organisation as written (created, unless one of that very name is held by now)."""
    maker_name = values.pop("organisation", "")
    if link is not None:
        maker, resolution = stakeholders.get(int(link) if str(link).isdigit() else link), "linked"
    elif create:
        maker, resolution = _organisation(maker_name, None, source), "created"
    else:
        return "skipped", None
    for name in ("date_made", "target_date"):
        if values.get(name):
            values[name] = date_from_stored(values[name])
    if values.get("councils"):
        values["councils"] = [council_service.find(c) for c in values["councils"]]
    if values.get("made_at"):
        values["made_at"] = Event.get_or_none(Event.id == values["made_at"])
    return resolution, commitments.create(source=source, made_by=maker, **values)


def _run_id(row):
    return row.__data__.get("run")


def _organisation(name, sector, source):
    held = StakeholderMatcher().organisation(name)
    if held is not None:
        return stakeholders.get(held.id)
    return stakeholders.create(source=source, name=name, kind="organisation", sector=sector or "other")


# ---- presets --------------------------------------------------------------------------------------------
def save_preset(name, kind, headers, mapping, values=None, dates=None):
    """Keep ``mapping`` ({header: target or None}) as the preset ``name`` (replacing one so called), with
    the words mapped (``values``) and the date order chosen for some of its columns (``dates``: {header:
    "day-first" | "month-first"}, kept for the headers of this mapping)."""
    name = str(name).strip()
    if not name:
        raise TrackerError("A preset needs a name.")
    with writing():
        ImportPreset.delete().where(ImportPreset.name == name).execute()
        return ImportPreset.create(name=name[:100], kind=kind, headers=json.dumps([_key(h) for h in headers]),
                                   mapping=json.dumps(mapping, ensure_ascii=False),
                                   values=json.dumps(values or {}, ensure_ascii=False),
                                   dates=json.dumps(_dates_of(headers, dates), ensure_ascii=False))


def presets(kind=None):
    q = ImportPreset.select().order_by(ImportPreset.name)
    return list(q.where(ImportPreset.kind == kind) if kind else q)


def preset_for(kind, name=None, headers=()):
    """The preset called ``name``, or the one made for exactly these headers; None."""
    q = ImportPreset.select().where(ImportPreset.kind == kind)
    if name:
        return q.where(ImportPreset.name == name).first()
    wanted = sorted(_key(h) for h in headers if not str(h).startswith("Column "))
    for preset in q.order_by(ImportPreset.saved_at.desc()):
        if sorted(k for k in json.loads(preset.headers) if not k.startswith("column ")) == wanted:
            return preset
    return None


def _dates_of(headers, dates):
    keys = {_key(h) for h in headers}
    return {_key(h): order for h, order in (dates or {}).items() if _key(h) in keys}


def _key(header):
    return " ".join(str(header).casefold().split())


# ---- actions and commitments a table may name ------------------------------------------------------------
def held_by_title(kind):
    """Live actions by ("ref", reference) and ("title", title); commitments by ("title", title, maker's
    normalised name): what a row of a partner's table is matched against (one query)."""
    found = {}
    if kind == "actions":
        for action in ActionItem.select().where(ActionItem.deleted_at.is_null()).order_by(ActionItem.id):
            found.setdefault(("ref", action.reference.casefold()), action)
            found.setdefault(("title", action.title.strip().casefold()), action)
    else:
        for c in (Commitment.select(Commitment, Stakeholder).join(Stakeholder)
                  .where(Commitment.deleted_at.is_null()).order_by(Commitment.id)):
            found.setdefault(("title", c.title.strip().casefold(), organisation_key(c.made_by.name)), c)
    return found


def is_our_reference(text):
    return ActionItem.select().where(fn.LOWER(ActionItem.reference) == str(text).strip().lower()).exists()


def commitment_named(text):
    found = list(Commitment.select().where(Commitment.deleted_at.is_null(),
                                           fn.LOWER(Commitment.title) == str(text).strip().lower()).limit(2))
    return found[0] if len(found) == 1 else None


# ---- events ---------------------------------------------------------------------------------------------
def find_event(text):
    """The live event ``text`` names: its ID, its exact title (ignoring case), or "Title dd/mm/yyyy"."""
    text = str(text).strip()
    live = Event.select().where(Event.deleted_at.is_null())
    if text.isdigit():
        return live.where(Event.id == int(text)).first()
    exact = list(live.where(fn.LOWER(Event.title) == text.lower()))
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise TrackerError(f"{len(exact)} events are called {text!r}; add the date: \"{text} dd/mm/yyyy\".")
    title, _, day = text.rpartition(" ")
    try:
        when = dt.datetime.strptime(day, "%d/%m/%Y").date()
    except ValueError:
        return None
    return live.where(Event.date == when, fn.LOWER(Event.title) == title.strip().lower()).first()

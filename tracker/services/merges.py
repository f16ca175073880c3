"""Merging duplicate stakeholders: the preview, the merge, Undo merge, and what a retired record was merged into.

:func:`preview_merge` shows the records side by side, field by field (the registry's fields, as
people read them), which differ, and each record's links counted; :func:`merge` keeps one record
with the values chosen per field (or both, for notes and tags), moves every link of the others to
it, retires them ("merged into" the kept record: a soft delete shown in Deleted items) and joins
their councils, in one transaction, audited field by field and announced.  The records are read inside
that transaction, on PostgreSQL after locking their rows, so a link another user is writing meanwhile
is moved too, not left on a retired record.  :func:`undo_merge` puts every record it changed back,
until something else changes one of them, and never once the merge has been exported (it has
travelled) or when it came from another council.  A retired record is not
restored on its own (``StakeholderService.restore`` refuses, pointing here).  The engine is
``services.merging``; how merges travel, ``services.merge_exchange``.
"""

import json
import uuid as uuidlib
from contextlib import contextmanager
from dataclasses import dataclass, field

from peewee import SqliteDatabase

from tracker import records
from tracker.changes import announce
from tracker.db import database
from tracker.errors import NotFoundError, StaleEditError, TrackerError
from tracker.models import ActionItem, Attendance, Commitment, MergeRun, Stakeholder, Update, utcnow
from tracker.services import merging
from tracker.services.actor import current_actor
from tracker.services.bulk_writer import Writer, transaction
from tracker.services.exchange import display, load_state, uuid_hex
from tracker.services.stakeholders import stakeholders

COMBINABLE = ("notes", "tags")  # "keep both" joins them
BOTH = "both"
LINK_LABELS = ("Attendance", "Commitments", "Actions owned", "Members", "Updates")
NOTES_SEPARATOR = "\n\n"


@dataclass
class FieldChoice:
    name: str  # the registry's field name
    label: str  # its title, as forms show it
    shown: dict  # record id -> the value as people read it
    differs: bool
    combinable: bool  # notes, tags: "keep both"
    default: int  # the record id whose value is taken unless told (councils: always joined)
    both: bool = False  # "keep both" chosen (notes and tags; councils always)


@dataclass
class MergePreview:
    keep_id: int
    other_ids: list
    fields: list
    links: dict  # record id -> {"Attendance": n, "Commitments": n, "Actions owned": n, "Members": n, "Updates": n}
    result: dict = field(default_factory=dict)  # field name -> the kept record's value after the merge, as read


def preview_merge(keep_id, other_ids, take=None):
    """What merging ``other_ids`` into ``keep_id`` would do; TrackerError (one sentence) when it is refused."""
    kept, others = _records(keep_id, other_ids)
    chosen = _choices(kept, others, take)
    ids = [kept.id, *(r.id for r in others)]
    organisations = {r.organisation_id for r in (kept, *others)} - {None}
    state = load_state(["stakeholder"], only={"stakeholder": [("id", ids + sorted(organisations))]})
    by_id = {r.id: r for r in (kept, *others)}
    fields = []
    work = merging.Work(state)
    values = _kept_values(work, kept, others, chosen)
    result = {}
    for spec in _fields():
        column = merging.STAKEHOLDER.column(spec.name)
        i = merging.STAKEHOLDER.at[spec.name]
        shown = {rid: display(state, column, work.values("stakeholder", uuid_hex(r.uuid))[i]) for rid, r in by_id.items()}
        pick = chosen.get(spec.name, kept.id)
        fields.append(FieldChoice(spec.name, spec.title, shown, len(set(shown.values())) > 1,
                                  spec.name in COMBINABLE or spec.name == "councils",
                                  kept.id if pick == BOTH else pick,
                                  both=pick == BOTH or spec.name == "councils"))
        result[spec.name] = display(state, column, values[i])
    return MergePreview(kept.id, [r.id for r in others], fields, {r.id: link_counts(r) for r in (kept, *others)},
                        result)


def link_counts(record):
    """{label: how many live records link to it} for a stakeholder, in the preview's words."""
    S = Stakeholder
    queries = (
        Attendance.select().where(Attendance.stakeholder == record.id, Attendance.deleted_at.is_null()),
        Commitment.select().where(Commitment.made_by == record.id, Commitment.deleted_at.is_null()),
        ActionItem.select().where(ActionItem.owner == record.id, ActionItem.deleted_at.is_null()),
        S.select().where(S.organisation == record.id, S.deleted_at.is_null()),
        Update.select().where(Update.stakeholder == record.id, Update.deleted_at.is_null()),
    )
    return {label: q.count() for label, q in zip(LINK_LABELS, queries)}


def merge(keep_id, other_ids, take=None):
    """Merge ``other_ids`` into ``keep_id`` (``take``: {field name: record id, or "both" for notes and
    tags}; unnamed fields keep the kept record's value); one transaction; returns the merge's id."""
    kept, others = _records(keep_id, other_ids)
    chosen = _choices(kept, others, take)
    actor = current_actor()
    with _stale_worded("The merge was not made"), transaction():
        # read and planned inside the transaction, the records locked first: a link another user makes to a
        # retired record meanwhile (on a shared server) waits for the merge, then finds it retired, instead of
        # being left on it unseen
        _lock([kept.id, *(r.id for r in others)])
        state = load_state(merging.TABLES, only=merging.linked_to([kept.id, *(r.id for r in others)]))
        work = merging.Work(state)
        values = _kept_values(work, kept, others, chosen)
        _refuse_too_long(values)
        kept_hex = uuid_hex(kept.uuid)
        retired = [uuid_hex(r.uuid) for r in others]
        work.set("stakeholder", kept_hex, values)
        merging.join_councils(work, kept_hex, retired)
        merging.move_links(work, kept_hex, retired)
        merging.retire(work, retired)
        run = MergeRun.create(user=actor.user, council=actor.council, kept_uuid=kept.uuid, retired=" ".join(retired))
        writer = Writer(state, f"merge {run.id}")
        names = ", ".join(f"'{r.name}'" for r in others)
        notes = {kept_hex: f"merge {run.id}: kept, with {names} merged into it",
                 **{h: f"merge {run.id}: merged into '{kept.name}' ({kept.uuid})" for h in retired}}
        changes, change = merging.write(work, writer, notes)
        MergeRun.update(changes=merging.dumps(changes)).where(MergeRun.id == run.id).execute()
    announce(change)
    return run.id


def undo_merge(merge_id):
    """Put back everything merge ``merge_id`` changed.  TrackerError saying why when refused: already
    undone, exported (it has travelled to other councils), made at another council, or a record it
    changed was changed since."""
    run = get_merge(merge_id)
    if run.undone_at is not None:
        raise TrackerError(f"Merge {run.id} was already undone on {run.undone_at:%d/%m/%Y %H:%M}.")
    if run.source:
        raise TrackerError(f"Merge {run.id} came from {run.source}; a merge made at another council is not undone "
                           f"here.")
    if run.exported_at is not None:
        raise TrackerError(f"Merge {run.id} cannot be undone: it was exported for sharing on "
                           f"{run.exported_at:%d/%m/%Y %H:%M}, so other councils may have it.")
    changes = json.loads(run.changes)
    state = load_state(merging.TABLES, only=merging.undo_list_records(changes))
    blockers = merging.blocked(state, changes)
    if blockers:
        shown = "; ".join(blockers[:5]) + (f"; and {len(blockers) - 5} more" if len(blockers) > 5 else "")
        raise TrackerError(f"Merge {run.id} cannot be undone: these records were changed since, and undoing it "
                           f"would lose those changes: {shown}.")
    with _stale_worded(f"Merge {run.id} was not undone"), transaction():
        writer = Writer(state, f"undo of merge {run.id}")
        change = merging.put_back(state, writer, changes, f"undo of merge {run.id}")
        MergeRun.update(undone_at=utcnow()).where(MergeRun.id == run.id).execute()
    announce(change)


def _refuse_too_long(values):
    for name in COMBINABLE:
        reason = records.STAKEHOLDER[name].problem(values[merging.STAKEHOLDER.at[name]])
        if reason:
            raise TrackerError(f"The merge was not made: the {records.STAKEHOLDER[name].title.lower()} kept from "
                               f"both would be too long ({reason}); choose one record's instead.")


def _lock(ids):
    """On PostgreSQL, the merged stakeholders' rows locked until the transaction ends (a row linking to one of
    them cannot be written meanwhile: its foreign key check waits).  SQLite's transaction holds the write lock."""
    if not isinstance(database.obj, SqliteDatabase):
        list(Stakeholder.select(Stakeholder.id).where(Stakeholder.id.in_(ids)).order_by(Stakeholder.id).for_update())


@contextmanager
def _stale_worded(outcome):
    """The bulk writer's refusal of a record someone else changed meanwhile, in a merge's words, not an import's."""
    try:
        yield
    except StaleEditError:
        raise StaleEditError(f"{outcome}: someone else changed one of its records while it ran; nothing was "
                             f"changed. Try again.") from None


def get_merge(merge_id):
    run = MergeRun.get_or_none(MergeRun.id == merge_id)
    if run is None:
        raise NotFoundError(f"There is no merge with ID {merge_id}.")
    return run


def merge_runs(limit=50):
    """Recent merges, newest first."""
    return list(MergeRun.select().order_by(MergeRun.id.desc()).limit(limit))


def kept_name(run):
    """The name of the record a merge kept (its ID when it is not held here)."""
    kept = Stakeholder.get_or_none(Stakeholder.uuid == run.kept_uuid)
    return kept.name if kept else str(run.kept_uuid)


def last_undoable_merge():
    """The newest merge made here, not undone and not exported (Edit > Undo merge), or None.  Undoing it
    may still be refused when one of its records was changed since: :func:`undo_merge` says so."""
    run = (MergeRun.select().where(MergeRun.source == "", MergeRun.undone_at.is_null(), MergeRun.exported_at.is_null())
           .order_by(MergeRun.id.desc()).first())
    return run.id if run else None


def merged_into(stakeholder_id):
    """(merge id, kept id, kept name) when the stakeholder was retired by a merge that stands, else None."""
    rec = Stakeholder.get_or_none(Stakeholder.id == stakeholder_id)
    return None if rec is None else merged_into_many([rec]).get(rec.id)


def merged_into_many(stakeholders):
    """{id: (merge id, kept id, kept name)} for those of ``stakeholders`` retired by a merge that stands
    (the newest, when one was retired twice): two queries for a whole page of Deleted items."""
    wanted = {uuid_hex(s.uuid): s.id for s in stakeholders if s.deleted_at is not None}
    if not wanted:
        return {}
    runs = {}  # stakeholder id -> (merge id, kept uuid)
    for run_id, retired, kept_uuid in (MergeRun.select(MergeRun.id, MergeRun.retired, MergeRun.kept_uuid)
                                       .where(MergeRun.undone_at.is_null()).order_by(MergeRun.id.desc()).tuples()):
        for hex_ in retired.split():
            if hex_ in wanted:
                runs.setdefault(wanted[hex_], (run_id, kept_uuid))
    if not runs:
        return {}
    kept = {u: (i, n) for i, u, n in Stakeholder.select(Stakeholder.id, Stakeholder.uuid, Stakeholder.name)
            .where(Stakeholder.uuid.in_({k for _, k in runs.values()})).tuples()}
    return {sid: (run_id, *kept[k]) for sid, (run_id, k) in runs.items() if k in kept}


def _retiring(hex_):
    """The newest standing merge that retired the record ``hex_``."""
    return (MergeRun.select().where(MergeRun.retired.contains(hex_), MergeRun.undone_at.is_null())
            .order_by(MergeRun.id.desc()).first())


# ---- choosing ------------------------------------------------------------------------------------------
def _fields():
    return [f for f in records.STAKEHOLDER.editable if f.name != "kind"]


def _records(keep_id, other_ids):
    other_ids = list(other_ids)
    if not other_ids:
        raise TrackerError("Choose at least one other record to merge into the one kept.")
    if keep_id in other_ids:
        raise TrackerError("A record cannot be merged with itself.")
    if len(set(other_ids)) != len(other_ids):
        raise TrackerError("The same record is named twice among those to merge.")
    kept = _live(keep_id)
    others = [_live(i) for i in other_ids]
    for r in others:
        if r.kind != kept.kind:
            person, org = (kept, r) if kept.kind == "person" else (r, kept)
            raise TrackerError(f"'{person.name}' is a person and '{org.name}' an organisation; a person is never "
                               f"merged with an organisation.")
    return kept, others


def _live(stakeholder_id):
    rec = stakeholders.get(stakeholder_id, include_deleted=True)
    if rec.erased_at is not None:
        raise TrackerError(f"'{rec.name}' had its personal data erased on request; erased records are never merged.")
    if rec.deleted_at is not None:
        into = _retiring(uuid_hex(rec.uuid))
        why = " (it was merged into another record)" if into else ""
        raise TrackerError(f"'{rec.name}' is deleted{why}; only live records are merged.")
    return rec


def _choices(kept, others, take):
    """{field name: record id or BOTH} checked: fields that exist, records among those merged."""
    ids = {kept.id, *(r.id for r in others)}
    names = {f.name for f in _fields()}
    chosen = {}
    for name, pick in (take or {}).items():
        if name not in names:
            raise TrackerError(f"'{name}' is not a field of a stakeholder that a merge chooses; the fields are "
                               f"{', '.join(sorted(names - {'councils'}))}.")
        if pick == BOTH:
            if name not in COMBINABLE and name != "councils":
                raise TrackerError(f"Only notes and tags can keep both records' values; choose one record's "
                                   f"{records.STAKEHOLDER[name].title.lower()}.")
        elif pick not in ids:
            raise TrackerError(f"Record {pick} is not one of those being merged, so its "
                               f"{records.STAKEHOLDER[name].title.lower()} cannot be taken.")
        chosen[name] = pick
    return chosen


def _kept_values(work, kept, others, chosen):
    """The kept record's content after the merge (councils: all of them, joined by the engine)."""
    hexes = {r.id: uuid_hex(r.uuid) for r in (kept, *others)}
    order = [kept.id] + [r.id for r in others]
    sheet = merging.STAKEHOLDER
    values = list(work.values("stakeholder", hexes[kept.id]))
    for spec in _fields():
        pick = chosen.get(spec.name, kept.id)
        i = sheet.at[spec.name]
        if spec.name == "councils":
            joined = set()
            for rid in order:
                v = work.values("stakeholder", hexes[rid])[i]
                joined.update(v.split(";") if v else ())
            values[i] = ";".join(sorted(joined))
        elif pick == BOTH:
            parts = [work.values("stakeholder", hexes[rid])[i] for rid in order]
            values[i] = _joined(spec.name, parts)
        else:
            values[i] = work.values("stakeholder", hexes[pick])[i]
    return tuple(values)


def _joined(name, parts):
    if name == "tags":
        seen, out = set(), []
        for part in parts:
            for tag in (t.strip() for t in (part or "").split(",")):
                if tag and tag.casefold() not in seen:
                    seen.add(tag.casefold())
                    out.append(tag)
        return ", ".join(out)
    out = []
    for part in parts:
        part = (part or "").strip()
        if part and part not in out:
            out.append(part)
    return NOTES_SEPARATOR.join(out)


def parse_id(text):
    """A stakeholder's id from what a person typed: its exchange ID (UUID) or the number the app shows."""
    text = str(text).strip()
    if text.isdigit():
        return stakeholders.get(int(text), include_deleted=True).id
    try:
        key = str(uuidlib.UUID(text))
    except ValueError:
        raise NotFoundError(f"'{text}' is not a stakeholder's ID (the workbook's ID column) or number.") from None
    return stakeholders.get(key, include_deleted=True).id

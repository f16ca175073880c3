"""How merges travel between councils, the database side: what an export lists, what an import does.

An exchange workbook (format 3) lists every merge that stands here, made here or received (its
``Merges`` sheet, written by ``tracker.exchange.writer``), and the "not a duplicate" pairs
(``Not duplicates``; kept by ``services.duplicates``).  The rows of the records themselves carry
the merge's content (the kept record's values, the retired records deleted, the links moved), merged
row by row as any change is (``tracker.exchange.merge``: a record changed here since is a conflict
held for review).  On import, :func:`receive` then records the merges new here and makes every group
of merged records hold here as the merges say: links made here to a retired record move to the kept
one, retired records are retired (soft-deleted, "merged into" the kept one), the kept record is live
and belongs to all their councils.

Two councils may merge the same records choosing different records to keep.  The rule, the same
everywhere whatever the order files arrive in: records joined by merges form a group; the group keeps
the smallest ID (UUID, as text) among its *roots* (records some merge kept and none retired), or, when
every kept record was also retired by another merge (X kept over Y at one council, Y over X at
another), the smallest ID among the kept records.  Every other record of the group is retired into it.
"""

import json
from dataclasses import dataclass

from tracker.models import ImportChange, MergeRun, Stakeholder, utcnow
from tracker.services import merging, undo_snapshots
from tracker.services.bulk_writer import Writer
from tracker.services.exchange import dashed, load_state, uuid_hex


@dataclass(frozen=True)
class TravellingMerge:
    """A merge as the workbook carries it (IDs as 32 hex digits)."""
    hex: str  # the merge's own ID
    kept: str
    retired: tuple
    at: object = None  # datetime (UTC)
    council: str = ""
    user: str = ""


def standing_merges():
    """Every merge that stands here (not undone), oldest first, as it travels."""
    M = MergeRun
    return [TravellingMerge(uuid_hex(u), uuid_hex(k), tuple(r.split()), at, council, user)
            for u, k, r, at, council, user in
            M.select(M.uuid, M.kept_uuid, M.retired, M.at, M.council, M.user).where(M.undone_at.is_null())
            .order_by(M.at, M.id).tuples()]


def mark_exported(merges):
    """The merges just written to a workbook can no longer be undone (they may have travelled)."""
    hexes = [m.hex for m in merges]
    for start in range(0, len(hexes), 500):
        (MergeRun.update(exported_at=utcnow())
         .where(MergeRun.uuid.in_(hexes[start:start + 500]), MergeRun.exported_at.is_null()).execute())


def new_merges(merges):
    """Those of ``merges`` (from a workbook) not known here."""
    known = {uuid_hex(u) for (u,) in MergeRun.select(MergeRun.uuid).tuples()}
    return [m for m in merges if m.hex not in known]


def receive(merges, source, import_id):
    """Inside import ``import_id``'s transaction, after its rows are written: record the merges new here
    and make every merge group hold here (see the module's rule), the changes kept with the import's
    (undoing the import puts them back).  Returns how many merges were new."""
    new = new_merges(merges)
    for m in new:
        MergeRun.create(uuid=m.hex, at=m.at or utcnow(), user=m.user or "", council=m.council or "", kept_uuid=m.kept,
                        retired=" ".join(m.retired), source=source, import_id=import_id)
    if merges:
        _keep_with_import(import_id, *enforce(source))
    return len(new)


def _keep_with_import(import_id, changes, sync):
    """What :func:`enforce` changed joins the import's undo list (``exchange_import_change``): a record
    the import changed too keeps its state before the import and takes the version after both."""
    for table, hex_, version_before, before, version_after in changes:
        if before is None:  # an attendance the merge added: the import's undo removes it
            ImportChange.create(run=import_id, table=table, kind="add", added=f"{hex_}:{version_after}")
            continue
        row = ImportChange.get_or_none(ImportChange.run == import_id, ImportChange.kind == "update",
                                       ImportChange.record_uuid == hex_)
        if row is not None:
            ImportChange.update(version_after=version_after).where(ImportChange.id == row.id).execute()
            continue
        old_sync = sync.get(hex_)
        ImportChange.create(run=import_id, table=table, kind="update", record_uuid=hex_,
                            before=undo_snapshots.whole(version_before, before),
                            version_after=version_after, sync_before=json.dumps(list(old_sync)) if old_sync else None)


def final_kept(merges):
    """{record hex: the record its group keeps} for every record of a group (the module's rule)."""
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in merges:
        for h in m.retired:
            parent[root(h)] = root(m.kept)
    groups = {}
    for m in merges:
        g = groups.setdefault(root(m.kept), [set(), set()])
        g[0].add(m.kept)
        g[1].update(m.retired)
    out = {}
    for members in _members(parent, root).values():
        kept, retired = groups[root(next(iter(members)))]
        roots = kept - retired
        final = min(roots or kept)
        out.update((h, final) for h in members)
    return out


def _members(parent, root):
    members = {}
    for x in list(parent):
        members.setdefault(root(x), set()).add(x)
    return members


def enforce(source):
    """Make every merge group hold here (retire, move links, join councils), audited, inside the
    caller's transaction; returns (the undo list of what it changed, the sync states it read)."""
    runs = [TravellingMerge(uuid_hex(u), uuid_hex(k), tuple(r.split())) for u, k, r in
            MergeRun.select(MergeRun.uuid, MergeRun.kept_uuid, MergeRun.retired)
            .where(MergeRun.undone_at.is_null()).order_by(MergeRun.at, MergeRun.id).tuples()]
    finals = final_kept(runs)
    ids = []
    hexes = sorted(finals)
    for start in range(0, len(hexes), 500):
        ids += [i for (i,) in Stakeholder.select(Stakeholder.id).where(Stakeholder.uuid.in_(hexes[start:start + 500]))
                .tuples()]
    state = load_state(merging.TABLES, only=merging.linked_to(ids))
    held = state.tables["stakeholder"].records
    retired_by_some = {h for m in runs for h in m.retired}
    into, order = {}, {}
    for m in runs:  # in the merges' order, so that the same rows move the same way everywhere
        for h in (m.kept, *m.retired):
            final = finals[h]
            if h != final and h in held and final in held and h not in into:
                into[h] = final
                order[h] = len(order)
    if not into:
        return [], state.sync
    work = merging.Work(state)
    for final in sorted(set(into.values())):
        if final in retired_by_some:  # kept by the rule, but retired here by the other council's choice
            work.undelete("stakeholder", final)
        merging.join_councils(work, final, sorted(h for h, f in into.items() if f == final))
    merging.redirect(work, into, order)
    merging.retire(work, into)
    if not work.new:
        return [], state.sync
    notes = {h: f"merged into {dashed(f)} by a merge from {source}" for h, f in into.items()
             if ("stakeholder", h) in work.new}
    changes, _ = merging.write(work, Writer(state, source), notes)  # (the import announces once it commits)
    return changes, state.sync


# ---- "not a duplicate" pairs: kept by services.duplicates (the duplicates review), travelling here ----
def _duplicates():
    try:
        from tracker.services import duplicates
    except ImportError:  # (built beside this module; until it is there, no pairs travel)
        return None
    return duplicates


def not_duplicate_pairs():
    """[(first hex, second hex, when, council, user)] of every pair said not to be duplicates."""
    module = _duplicates()
    if module is None:
        return []
    return [(uuid_hex(p.first), uuid_hex(p.second), p.at, p.council, p.user) for p in module.not_duplicate_pairs()]


def new_not_duplicates(pairs):
    """Those of ``pairs`` not known here (none while the pairs are not kept: no services.duplicates)."""
    if _duplicates() is None:
        return []
    known = {tuple(sorted(p[:2])) for p in not_duplicate_pairs()}
    return [p for p in pairs if tuple(sorted(p[:2])) not in known]


def receive_not_duplicates(pairs, source):
    """Remember the pairs a workbook carries ([(hex, hex, when, council, user)]); how many were new."""
    module = _duplicates()
    if module is None or not pairs:
        return 0
    return module.add_not_duplicate_pairs([module.NotDuplicatePair(dashed(a), dashed(b), at, user, council)
                                           for a, b, at, council, user in pairs], source=source)

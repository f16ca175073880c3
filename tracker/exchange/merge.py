"""Merging one row that has an ID into this database's record of it: the three-way merge.

The file's content (*theirs*) is compared with this database's (*mine*) and with the record's
*base*, the content last exchanged here, and the earlier states it has *seen*
(``tracker.services.exchange`` keeps them):

- same content as here, or content this database already had before (the file is older): unchanged;
- changed in the file, not here since the base (and the file's version is not behind ours): update;
- changed on both sides: a conflict, held for a person (``ask``) or resolved as asked.

``tracker.exchange.importer`` reads the file, plans every row and applies the plan.
"""

from dataclasses import dataclass, field

from tracker.exchange.format import SHEETS
from tracker.services import exchange as store


@dataclass
class Detail:
    sheet: str
    row: int
    id: str
    kind: str  # added, updated, deleted, restored, erased, conflict, rejected
    message: str
    changes: list = field(default_factory=list)  # [(column, before, after)] for updates and conflicts

    def as_dict(self):
        d = {"sheet": self.sheet, "row": self.row, "id": self.id, "kind": self.kind, "message": self.message}
        if self.changes:
            d["changes"] = [{"column": c, "before": b, "after": a} for c, b, a in self.changes]
        return d


def merge_row(sheet, state, row, rec, theirs, on_conflict, plan, report, updates, erased_at, personal):
    """Plan ``row`` (content ``theirs``, after personal data protection) against ``rec``."""
    t = sheet.table
    mine_hash = store.content_hash(t, rec.values)
    theirs_hash = mine_hash if theirs == rec.values else store.content_hash(t, theirs)
    old_sync = state.sync.get(row.hex)
    base, seen = old_sync if old_sync else (None, "")
    if theirs_hash == mine_hash:
        report.unchanged += 1
        if base != mine_hash:
            plan.sync[row.hex] = store.push_seen(old_sync, mine_hash)
        return
    if theirs_hash == base or theirs_hash in seen.split():
        report.unchanged += 1  # the file holds a state this database has already moved on from
        return
    file_version = row.version or 0
    changed_here = mine_hash != base
    if not changed_here and file_version >= rec.version:
        _update(sheet, state, row, rec, theirs, max(rec.version + 1, file_version), plan, report, updates,
                also=(mine_hash,))
        return
    if erased_at is not None and theirs[erased_at] and not rec.values[erased_at]:
        # An erasure is a legal request: it always applies; the other fields are decided as usual.
        erased = list(rec.values)
        for i in (*personal, erased_at):
            erased[i] = theirs[i]
        erased = tuple(erased)
        _update(sheet, state, row, rec, erased, rec.version + 1, plan, report, updates, also=(mine_hash,))
        rec = store.Rec(rec.id, rec.version + 1, erased, reference=rec.reference)
        if erased == theirs:
            return
    diffs = _diffs(sheet, state, rec.values, theirs)
    fields = [sheet.content[i].field for i in range(len(theirs)) if rec.values[i] != theirs[i]]
    report.conflicts += 1
    why = ("changed here and in the file since they were last exchanged" if changed_here else
           f"the file holds version {file_version}, older than this database's version {rec.version}")
    if on_conflict == "ask":
        plan.held.append({"table": t, "hex": row.hex, "mine_version": rec.version, "theirs_version": file_version,
                          "theirs_hash": theirs_hash, "theirs": theirs, "fields": fields})
        report.details.append(Detail(sheet.name, row.number, dashed(row.hex), "conflict",
                                     f"{name(sheet, rec.values)}: {why}; held for review", diffs))
        return
    version = max(rec.version, file_version) + 1
    if on_conflict == "take-theirs":
        new, note = theirs, "took the file's values"
    else:
        new, note = rec.values, "kept this database's values"
    updates.append((rec, new, version))
    plan.sync[row.hex] = store.push_seen(old_sync, store.content_hash(t, new), also=(mine_hash, theirs_hash))
    report.details.append(Detail(sheet.name, row.number, dashed(row.hex), "conflict",
                                 f"{name(sheet, rec.values)}: {why}; {note}", diffs))


def _update(sheet, state, row, rec, new, version, plan, report, updates, also=()):
    t = sheet.table
    updates.append((rec, new, version))
    plan.sync[row.hex] = store.push_seen(state.sync.get(row.hex), store.content_hash(t, new), also=also)
    kinds = {c.kind: i for i, c in enumerate(sheet.content)}
    kind = "updated"
    if "deleted" in kinds and bool(new[kinds["deleted"]]) != bool(rec.values[kinds["deleted"]]):
        kind = "deleted" if new[kinds["deleted"]] else "restored"
    if "erased" in kinds and new[kinds["erased"]] and not rec.values[kinds["erased"]]:
        kind = "erased"
    report.updated += 1
    report.details.append(Detail(sheet.name, row.number, dashed(row.hex), kind,
                                 f"{name(sheet, rec.values)}: {kind}", _diffs(sheet, state, rec.values, new)))


def _diffs(sheet, state, old, new):
    return [(c.header, store.display(state, c, a), store.display(state, c, b))
            for c, a, b in zip(sheet.content, old, new) if a != b]


_DISPLAY_AT = {s.name: i for s in SHEETS for i, c in enumerate(s.content) if c.field == s.display}


def dashed(hex_):
    return store.dashed(hex_) if hex_ else ""


def name(sheet, values):
    """How a record is named in a report line (its title or name, cut at 60 characters)."""
    i = _DISPLAY_AT.get(sheet.name)
    text = str(values[i]) if i is not None and values[i] else ""
    return (text[:60] + "…") if len(text) > 60 else (text or "(no name)")

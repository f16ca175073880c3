"""Merging one row that has an ID into this database's record of it: the three-way merge.

The file's content (*theirs*) is compared with this database's (*mine*) and with the record's
*base*, the content last exchanged here, and the earlier states it has *seen*
(``tracker.services.exchange`` keeps them):

- same content as here, or content this database already had before (the file is older): unchanged;
- changed in the file, not here since the base (and the file's version is not behind ours): update;
- changed on both sides: a conflict, held for a person (``ask``) or resolved as asked.

A row edited in a spreadsheet after export (its Row check is not the hash of what it holds, see
``tracker.exchange.rowcheck``) is not the exporting council's state: it is a change made here
through a spreadsheet on top of the state the check names.  :func:`edited_row` decides what it
means; docs/exchange-format.md has the same rules as a table.  ``tracker.exchange.importer``
reads the file, plans every row and applies the plan.
"""

from dataclasses import dataclass, field

from tracker.exchange_format import SHEETS
from tracker.exchange.rowcheck import is_edited
from tracker.services import exchange as store

# What a row edited after export means here (see edited_row).
UNCHANGED = "unchanged"  # nothing to do
REBASED = "rebased"  # the edit is here already; the exported state becomes the base
APPLY = "apply"  # apply the edit as a change made here; the exported state becomes the base
APPLY_KEEPING_BASE = "apply, keeping the base"  # apply it, base as it was (personal data protected)
CONFLICT = "conflict"
EDITED = "edited in a spreadsheet after export"


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


def edited_row(mine, base, seen, exported, theirs, protected, file_version, version):
    """What a row edited after export means here, from content hashes: ``exported`` (its Row check:
    the state the exporting council had), ``theirs`` (what the row holds, as this database will keep
    it), ``mine``, ``base`` and ``seen`` (this database's).  ``protected``: this database put its own
    personal data into the row, so ``exported`` is not in its terms and moves no base."""
    if theirs == mine:  # the edit is here already
        return UNCHANGED if protected or exported == base or exported in seen else REBASED
    if theirs == base or theirs in seen:  # an edited state this database has had and moved on from
        return UNCHANGED
    not_behind = file_version >= version
    if protected:
        return APPLY_KEEPING_BASE if mine == base and not_behind else CONFLICT
    if exported == mine:  # edited on top of exactly what is here
        return APPLY
    if exported == base or exported in seen:  # changed here since that state, or an older export edited
        return CONFLICT
    return APPLY if mine == base and not_behind else CONFLICT  # a state not seen here, under the edit


def merge_row(sheet, state, row, rec, theirs, on_conflict, plan, report, updates, erased_at, personal):
    """Plan ``row`` (content ``theirs``, after personal data protection) against ``rec``."""
    t = sheet.table
    content_hash = store.content_hash
    mine_hash = content_hash(t, rec.values)
    theirs_hash = mine_hash if theirs == rec.values else content_hash(t, theirs)
    old_sync = state.sync.get(row.hex)
    base, seen = old_sync if old_sync else (None, "")
    exported, protected = row.check, False
    if exported == theirs_hash and not personal:
        exported = None  # the row is the exporting council's state (the usual row: no more to check)
    elif exported is not None:
        protected = bool(personal) and theirs != tuple(row.values)
        if not is_edited(exported, t, row.values, None if protected else theirs_hash):
            exported = None
    if exported is None and theirs_hash == mine_hash:
        report.unchanged += 1
        if base != mine_hash:
            plan.sync[row.hex] = store.push_seen(old_sync, mine_hash)
        return
    seen = seen.split()
    file_version = row.version or 0
    if exported is None:
        if theirs_hash == base or theirs_hash in seen:
            report.unchanged += 1  # the file holds a state this database has already moved on from
            return
        if mine_hash == base and file_version >= rec.version:
            _update(sheet, state, row, rec, theirs, max(rec.version + 1, file_version), plan, report, updates,
                    also=(mine_hash,))
            return
        why = ("changed here and in the file since they were last exchanged" if mine_hash != base else
               f"the file holds version {file_version}, older than this database's version {rec.version}")
    else:
        outcome = edited_row(mine_hash, base, seen, exported, theirs_hash, protected, file_version, rec.version)
        if outcome in (UNCHANGED, REBASED):
            report.unchanged += 1
            if outcome == REBASED:
                plan.sync[row.hex] = store.push_seen(old_sync, exported)
            return
        if outcome != CONFLICT:
            plan.edited.add(row.hex)
            _update(sheet, state, row, rec, theirs, max(rec.version, file_version) + 1, plan, report, updates,
                    base=exported if outcome == APPLY else "", note=f" ({EDITED})")
            return
        why = f"{EDITED}, and this database's record is not the state that was exported"
    _conflict(sheet, state, row, rec, theirs, on_conflict, plan, report, updates, erased_at, personal,
              (mine_hash, theirs_hash, exported, old_sync), why)


def _conflict(sheet, state, row, rec, theirs, on_conflict, plan, report, updates, erased_at, personal, hashes, why):
    t = sheet.table
    mine_hash, theirs_hash, exported, old_sync = hashes
    file_version = row.version or 0
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
    if on_conflict == "ask":
        plan.held.append({"table": t, "hex": row.hex, "mine_version": rec.version, "theirs_version": file_version,
                          "theirs_hash": theirs_hash, "theirs": theirs, "fields": fields, "exported": exported})
        report.details.append(Detail(sheet.name, row.number, dashed(row.hex), "conflict",
                                     f"{name(sheet, rec.values)}: {why}; held for review", diffs))
        return
    version = max(rec.version, file_version) + 1
    if on_conflict == "take-theirs":
        new, note = theirs, "took the file's values"
        if exported:
            plan.edited.add(row.hex)
    else:
        new, note = rec.values, "kept this database's values"
    updates.append((rec, new, version))
    # Taking an edited row is a change made here on top of the exported state, which stays the base.
    base = exported if exported and new is theirs else store.content_hash(t, new)
    plan.sync[row.hex] = store.push_seen(old_sync, base, also=(mine_hash, theirs_hash, exported))
    report.details.append(Detail(sheet.name, row.number, dashed(row.hex), "conflict",
                                 f"{name(sheet, rec.values)}: {why}; {note}", diffs))


def _update(sheet, state, row, rec, new, version, plan, report, updates, also=(), base=None, note=""):
    """Plan ``rec`` to become ``new``; its base becomes ``base`` (default: the new content's hash;
    "" leaves it as it was)."""
    t = sheet.table
    updates.append((rec, new, version))
    if base != "":
        plan.sync[row.hex] = store.push_seen(state.sync.get(row.hex), base or store.content_hash(t, new), also=also)
    kinds = {c.kind: i for i, c in enumerate(sheet.content)}
    kind = "updated"
    if "deleted" in kinds and bool(new[kinds["deleted"]]) != bool(rec.values[kinds["deleted"]]):
        kind = "deleted" if new[kinds["deleted"]] else "restored"
    if "erased" in kinds and new[kinds["erased"]] and not rec.values[kinds["erased"]]:
        kind = "erased"
    report.updated += 1
    report.details.append(Detail(sheet.name, row.number, dashed(row.hex), kind,
                                 f"{name(sheet, rec.values)}: {kind}{note}", _diffs(sheet, state, rec.values, new)))


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

"""Merging one row that has an ID into this database's record of it: the three-way merge.

The file's content (*theirs*) is compared with this database's (*mine*), with the record's *base*
(the content last exchanged here) and the earlier states it has *seen* (``tracker.services.sync``
keeps them), and with the row's *parents*: the states the exporting council's content replaces, from
its ``Based on`` column (``tracker.exchange.ancestry``).  Parents tell a state made *from* mine
(mine is among them) from one made *beside* it (they share an earlier state with mine, and mine is not
among them).  Without them "mine is my base" had to stand for "the file was made from mine"; but an
export moves the exporter's base to its own change, so two councils that each exported a change
before importing the other's each took the other's silently.  Mine = base is now only the last resort,
for rows whose parents say nothing (format 1, hand rows, people without personal data, erased people).

A row whose Row check matches what it holds (*plain*: the exporting council's state):

| The row | Result |
|---|---|
| theirs = mine | unchanged (mine becomes the base if it was not) |
| theirs = the base or seen, mine not a parent | unchanged: an older file |
| theirs = the base or seen, mine a parent (each side replaced the other's state: a restore, an edit undone, two decisions) | the higher Version wins (update, or unchanged); equal: conflict |
| mine is a parent | update |
| a parent is the base or seen (mine is not) | conflict |
| the parents say nothing known here | mine = base and the file's Version not behind: update; otherwise conflict |

A row edited in a spreadsheet after export (its Row check, *exported*, is not the hash of what it
holds; see ``tracker.exchange.rowcheck``) is a change made here through a spreadsheet on top of
*exported*, and *exported* becomes its base when it is applied (the parents are *exported*'s):

| The edited row | Result |
|---|---|
| theirs = mine | unchanged; exported becomes the base if it is neither the base nor seen (not when protected) |
| theirs = the base or seen | unchanged |
| protected (this database put its own personal data in) | a parent is the base or seen and mine is not a parent: conflict; else mine = base and Version not behind: apply, base as it was; else conflict |
| exported = mine | apply |
| exported = the base or seen (changed here since; or an older export, edited) | conflict |
| mine is a parent | apply |
| a parent is the base or seen | conflict |
| the parents say nothing known here | mine = base and Version not behind: apply; otherwise conflict |

Every update and applied edit adds mine and the parents to the seen list, so that the record's history
here includes the states its new content replaced.  A conflict is held for a person (``ask``) or
decided as asked; docs/exchange-format.md has the same tables for people.  ``tracker.exchange.importer``
reads the file, plans every row and applies the plan.
"""

from tracker.exchange.ancestry import CONCURRENT, DESCENDS, UNKNOWN, ancestors, relation
from tracker.exchange.report import Detail, dashed, name
from tracker.exchange.rowcheck import is_edited
from tracker.services import exchange as store
from tracker.services.sync import push_seen

# What a row edited after export means here (see edited_row).
UNCHANGED = "unchanged"  # nothing to do
REBASED = "rebased"  # the edit is here already; the exported state becomes the base
APPLY = "apply"  # apply the edit as a change made here; the exported state becomes the base
APPLY_KEEPING_BASE = "apply, keeping the base"  # apply it, base as it was (personal data protected)
CONFLICT = "conflict"
EDITED = "edited in a spreadsheet after export"


def edited_row(mine, base, seen, exported, theirs, protected, file_version, version, parents=()):
    """What a row edited after export means here, from content hashes: ``exported`` (its Row check:
    the state the exporting council had), ``theirs`` (what the row holds, as this database will keep
    it), ``parents`` (its Based on: the states ``exported`` replaces), ``mine``, ``base`` and ``seen``
    (this database's).  ``protected``: this database put its own personal data into the row, so
    ``exported`` is not in its terms and moves no base."""
    if theirs == mine:  # the edit is here already
        return UNCHANGED if protected or exported == base or exported in seen else REBASED
    if theirs == base or theirs in seen:  # an edited state this database has had and moved on from
        return UNCHANGED
    related = relation(parents, mine, base, seen)
    not_behind = file_version >= version
    if protected:
        if related == CONCURRENT:
            return CONFLICT
        return APPLY_KEEPING_BASE if mine == base and not_behind else CONFLICT
    if exported == mine:  # edited on top of exactly what is here
        return APPLY
    if exported == base or exported in seen:  # changed here since that state, or an older export edited
        return CONFLICT
    if related != UNKNOWN:  # edited on a state made from mine, or on one made beside it
        return APPLY if related == DESCENDS else CONFLICT
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
            plan.sync[row.hex] = push_seen(old_sync, mine_hash, also=ancestors(row.based_on))
        return
    parents = ancestors(row.based_on)
    seen = seen.split()
    file_version = row.version or 0
    if exported is None:
        outcome, why = exporters_row(mine_hash, base, seen, theirs_hash, parents, file_version, rec.version)
        if outcome == UNCHANGED:
            report.unchanged += 1
            return
        if outcome == APPLY:
            _update(sheet, state, row, rec, theirs, max(rec.version + 1, file_version), plan, report, updates,
                    also=(mine_hash, *parents))
            return
    else:
        outcome = edited_row(mine_hash, base, seen, exported, theirs_hash, protected, file_version, rec.version,
                             parents)
        if outcome in (UNCHANGED, REBASED):
            report.unchanged += 1
            if outcome == REBASED:
                plan.sync[row.hex] = push_seen(old_sync, exported, also=parents)
            return
        if outcome != CONFLICT:
            plan.edited.add(row.hex)
            _update(sheet, state, row, rec, theirs, max(rec.version, file_version) + 1, plan, report, updates,
                    base=exported if outcome == APPLY else "", also=(mine_hash, *parents), note=f" ({EDITED})")
            return
        why = f"{EDITED}, and this database's record is not the state that was exported"
    _conflict(sheet, state, row, rec, theirs, on_conflict, plan, report, updates, erased_at, personal,
              (mine_hash, theirs_hash, exported, old_sync, parents), why)


def exporters_row(mine, base, seen, theirs, parents, file_version, version):
    """What a row holding the exporting council's state means here: (UNCHANGED, APPLY or CONFLICT,
    why a conflict), from content hashes as :func:`edited_row` (``theirs`` is not ``mine``)."""
    if theirs == base or theirs in seen:
        if mine not in parents:
            return UNCHANGED, ""  # the file holds a state this database has already moved on from
        # Each side moved on from the other's state: a state came back (a restore, an edit undone by
        # hand) or two councils decided one conflict differently.  The later change is the one with
        # the higher version (changes and decisions move it past both sides'); equal, a person decides.
        if file_version != version:
            return (APPLY if file_version > version else UNCHANGED), ""
        return CONFLICT, "this database and the file each went back to values the other had replaced"
    related = relation(parents, mine, base, seen)
    if related == DESCENDS or (related == UNKNOWN and mine == base and file_version >= version):
        return APPLY, ""
    if related == CONCURRENT or mine != base:
        return CONFLICT, "changed here and in the file since they were last exchanged"
    return CONFLICT, f"the file holds version {file_version}, older than this database's version {version}"


def _conflict(sheet, state, row, rec, theirs, on_conflict, plan, report, updates, erased_at, personal, hashes, why):
    t = sheet.table
    mine_hash, theirs_hash, exported, old_sync, parents = hashes
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
                                     f"{name(sheet, rec.values)}: {why}; held for review", diffs,
                                     name(sheet, rec.values, None)))
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
    plan.sync[row.hex] = push_seen(old_sync, base, also=(mine_hash, theirs_hash, exported, *parents))
    report.details.append(Detail(sheet.name, row.number, dashed(row.hex), "conflict",
                                 f"{name(sheet, rec.values)}: {why}; {note}", diffs, name(sheet, rec.values, None)))


def _update(sheet, state, row, rec, new, version, plan, report, updates, also=(), base=None, note=""):
    """Plan ``rec`` to become ``new``; its base becomes ``base`` (default: the new content's hash;
    "" leaves it as it was)."""
    t = sheet.table
    updates.append((rec, new, version))
    if base != "":
        plan.sync[row.hex] = push_seen(state.sync.get(row.hex), base or store.content_hash(t, new), also=also)
    deleted, erased = sheet.at["deleted_at"], sheet.at.get("erased_at")
    kind = "updated"
    if bool(new[deleted]) != bool(rec.values[deleted]):
        kind = "deleted" if new[deleted] else "restored"
    if erased is not None and new[erased] and not rec.values[erased]:
        kind = "erased"
    report.updated += 1
    report.details.append(Detail(sheet.name, row.number, dashed(row.hex), kind,
                                 f"{name(sheet, rec.values)}: {kind}{note}", _diffs(sheet, state, rec.values, new),
                                 name(sheet, rec.values, None)))


def _diffs(sheet, state, old, new):
    return [(c.header, store.display(state, c, a), store.display(state, c, b))
            for c, a, b in zip(sheet.content, old, new) if a != b]

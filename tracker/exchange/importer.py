"""Importing an exchange workbook: match every row by ID, decide what it means, apply all or nothing.

For each row: an unknown ID is a new record (keeping the file's ID; its Row check, the state the
exporting council had, becomes its base, and the states its Based on names its seen list); a row
without an ID, added by hand, is new too, with an ID derived from its content so that importing the
same file again finds it instead of adding it twice.  A known ID is merged with this database's
record by ``tracker.exchange.merge`` (the three-way merge against the record's base and the states
the row says it replaces; a row edited in a spreadsheet after export is a change made here).

Any problem in any row refuses the whole file and changes nothing; every problem is reported
with sheet, row, column and reason.  The plan is applied in one transaction by
``tracker.services.imports.apply_import``.
"""

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path

from tracker.backups import backup_before
from tracker.exchange.ancestry import adopted
from tracker.exchange_format import PERSONAL_FIELDS, SHEETS
from tracker.exchange.merge import Detail, merge_row
from tracker.exchange.merge import dashed as _dashed
from tracker.exchange.merge import name as _name
from tracker.exchange.reader import Problem, read_workbook
from tracker.exchange.rowcheck import is_edited
from tracker.services import exchange as store
from tracker.services import imports, privacy
from tracker.services.actions import REFERENCE_RE
from tracker.services.audit import import_source
from tracker.services.base import home_council

ON_CONFLICT = ("ask", "keep-mine", "take-theirs")
HAND_ROW_NAMESPACE = uuidlib.UUID("d7c6a3f4-51b8-4c55-b1f0-6a1f2a9e4c21")


class Cancelled(Exception):
    """The person cancelled; nothing was changed."""


class AddedDetail:
    """A :class:`Detail` for an added row, worded only when read (an import may add 100k rows)."""

    __slots__ = ("_sheet", "row", "_hex", "_values")
    kind = "added"
    changes = ()
    as_dict = Detail.as_dict

    def __init__(self, sheet, row, hex_, values):
        self._sheet, self.row, self._hex, self._values = sheet, row, hex_, values

    @property
    def sheet(self):
        return self._sheet.name

    @property
    def id(self):
        return _dashed(self._hex)

    @property
    def message(self):
        what = "attendance" if self._sheet.table == "attendance" else self._sheet.name.lower()[:-1]
        return f"new {what}: {_name(self._sheet, self._values)}"


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    rejected: int = 0
    details: list = field(default_factory=list)
    import_id: int = None
    applied: bool = False
    refused: str = ""  # why the whole file was refused, when it was

    def as_json(self):
        return {"file": self.file_name, "dry_run": self.dry_run, "applied": self.applied, "refused": self.refused,
                "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "rejected": self.rejected, "import_id": self.import_id,
                "details": [d.as_dict() for d in self.details]}

    def summary(self):
        if self.refused:
            return self.refused
        text = (f"{self.file_name}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.conflicts} conflicts")
        if self.dry_run:
            return text + " (dry run: nothing was changed)."
        held = " Conflicts are held for review in the app." if self.conflicts else ""
        return text + f". Import {self.import_id}; undo with: tracker undo-import {self.import_id}.{held}" \
            if self.import_id else text + ". Nothing was changed."


@dataclass
class Plan:
    creates: dict = field(default_factory=dict)  # table -> [services.exchange.Create]
    updates: dict = field(default_factory=dict)  # table -> [(rec, new values, new version)]
    sync: dict = field(default_factory=dict)  # hex -> (base, seen)
    held: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    edited: set = field(default_factory=set)  # hexes of records changed by rows edited in a spreadsheet


def import_workbook(path, dry_run=False, on_conflict="ask", progress=None):
    """Import ``path``; returns an :class:`ImportReport`.  A file that cannot be read at all raises
    an ExchangeError; row problems refuse the file and are listed in the report (nothing changed)."""
    if on_conflict not in ON_CONFLICT:
        raise ValueError(on_conflict)
    path = Path(path)
    _step(progress, 0, "Reading the workbook")
    state = store.load_state()
    book = read_workbook(path, state.councils)
    _step(progress, 40, "Comparing with this database")
    report = ImportReport(path.name, dry_run=dry_run)
    plan = _plan(book, state, on_conflict, report)
    if plan.problems:
        rows = {(p.sheet, p.row) for p in plan.problems}
        report.rejected = len(rows)
        report.details = [Detail(p.sheet, p.row, p.id, "rejected", p.message(path.name)) for p in plan.problems]
        report.added = report.updated = report.unchanged = report.conflicts = 0
        report.refused = (f"{path.name} was not imported: {len(plan.problems)} problem(s) in {len(rows)} row(s); "
                          f"nothing was changed. Correct them and import again. First: "
                          f"{plan.problems[0].message(path.name)}")
        return report
    if dry_run:
        return report
    _step(progress, 60, "Saving")
    from_council = str(book.about.get("exporting council", "") or "").strip()
    source = import_source(path.name, from_council)
    exported_at = book.about.get("exported at")
    run = {
        "file_name": path.name, "file_sha256": book.sha256, "from_council": from_council,
        "exported_at": exported_at if isinstance(exported_at, dt.datetime) else None,
        "on_conflict": on_conflict, "added": report.added, "updated": report.updated,
        "unchanged": report.unchanged, "conflicts": report.conflicts,
    }
    if report.added or report.updated or plan.held or plan.sync or any(plan.updates.values()):
        backup_before("import")  # raises (and nothing is imported) when no backup can be written
        report.import_id = imports.apply_import(state, plan, run, source)
        if report.import_id is not None:
            privacy.complete_erasures(source=source)  # tombstones from the file erase here too
    report.applied = True
    _step(progress, 100, "Done")
    return report


def _step(progress, percent, text):
    if progress is not None and progress(percent, text) is False:
        raise Cancelled()


def _plan(book, state, on_conflict, report):
    plan = Plan(problems=list(book.problems))
    rows_by_table = {}
    seen_ids = {}  # hex -> the row that has it
    for sheet in SHEETS:
        rows = book.rows[sheet.name]
        kept = rows_by_table.setdefault(sheet.table, [])
        here = state.tables[sheet.table].ids
        elsewhere = [ts.ids for t, ts in state.tables.items() if t != sheet.table and ts.ids]
        occurrences = {}
        for row in rows:
            if row.hex is None:  # added by hand: an ID from its content, the same every time it is imported
                key = repr((sheet.table, list(row.values)))
                occurrences[key] = occurrences.get(key, 0) + 1
                row.hex = uuidlib.uuid5(HAND_ROW_NAMESPACE, f"{key}#{occurrences[key]}").hex
                row.check = row.based_on = None  # copied with the row, they name another record's states
            other = seen_ids.get(row.hex)
            if other is not None:
                plan.problems.append(Problem(sheet.name, row.number, "ID", f"this ID is also used on sheet "
                                             f"{other.sheet.name}, row {other.number}; each record appears once",
                                             row.hex))
                continue
            seen_ids[row.hex] = row
            if elsewhere and row.hex not in here and any(row.hex in ids for ids in elsewhere):
                plan.problems.append(Problem(sheet.name, row.number, "ID", "this ID belongs to a record of "
                                             "another kind in this database", _dashed(row.hex)))
                continue
            kept.append(row)
    file_ids = {t: {r.hex: r for r in rows} for t, rows in rows_by_table.items()}
    _check_links(state, rows_by_table, file_ids, plan)
    if plan.problems:
        return plan
    references = set(state.references)
    new_refs = _reference_maker(references)
    home = _origin(state)  # of records the file does not say the origin of
    content_hash = store.content_hash
    for sheet in SHEETS:
        t = sheet.table
        ts = state.tables[t]
        content = sheet.content
        personal = [i for i, c in enumerate(content) if c.field in PERSONAL_FIELDS] if t == "stakeholder" else []
        erased_at = next((i for i, c in enumerate(content) if c.kind == "erased"), None)
        kind_at = next((i for i, c in enumerate(content) if c.field == "kind"), None)
        creates, updates = [], []
        rows = rows_by_table.get(t, ())
        if not personal and not any(row.hex in ts.records for row in rows) and \
                _add_all(t, sheet, rows, references, home, plan, report, creates):
            rows = ()  # every row is a new record (the usual first import): done a column at a time
        for row in rows:
            rec = ts.records.get(row.hex)
            theirs = row.values
            if personal:
                theirs = _protect_personal(book, rec, theirs, personal, erased_at, kind_at)
            theirs = tuple(theirs)
            if rec is None:
                ref = ""
                if t == "action_item":
                    ref = row.reference
                    if not ref or ref in references:
                        ref = new_refs()
                    references.add(ref)
                creates.append(store.Create(row.hex, theirs, row.version or 1, row.created_at,
                                            row.origin or home, ref))
                digest = content_hash(t, theirs)  # its base: the state exported, when it was edited since
                base = row.check if is_edited(row.check, t, row.values, digest) else digest
                plan.sync[row.hex] = (base, adopted(row.based_on, base))
                report.added += 1
                report.details.append(AddedDetail(sheet, row.number, row.hex, theirs))
                continue
            merge_row(sheet, state, row, rec, theirs, on_conflict, plan, report, updates, erased_at, personal)
        plan.creates[t] = creates
        plan.updates[t] = updates
    return plan


def _add_all(table, sheet, rows, references, home, plan, report, creates):
    """Plan every row as a new record, as the row-by-row loop would, without a loop body per row.
    False (nothing planned) when some action's reference is missing or taken: the loop then gives
    those the next free references, in row order."""
    if table == "action_item":
        refs = [row.reference for row in rows]
        if "" in refs or len(set(refs)) != len(refs) or not references.isdisjoint(refs):
            return False
        references.update(refs)
    else:
        refs = repeat("")
    hexes = [row.hex for row in rows]
    values = [tuple(row.values) for row in rows]
    creates += map(store.Create, hexes, values, [row.version or 1 for row in rows],
                   [row.created_at for row in rows], [row.origin or home for row in rows], refs)
    hashes = map(partial(store.content_hash, table), values)  # a row edited since: the state exported
    bases = [row.check if is_edited(row.check, table, v, h) else h for row, v, h in zip(rows, values, hashes)]
    seen = map(adopted, [row.based_on for row in rows], bases) if any(row.based_on for row in rows) else repeat("")
    plan.sync.update(zip(hexes, zip(bases, seen)))
    report.added += len(rows)
    report.details += map(AddedDetail, repeat(sheet), [row.number for row in rows], hexes, values)
    return True


def _protect_personal(book, rec, theirs, personal, erased_at, kind_at):
    """Personal fields the file left out, or that were erased here, keep this database's values."""
    theirs = list(theirs)
    if rec is not None and rec.values[erased_at]:
        for i in (*personal, erased_at):
            theirs[i] = rec.values[i]
    elif book.personal_data_left_out and theirs[kind_at] == "person":
        for i in personal:
            theirs[i] = rec.values[i] if rec is not None else ""
    return theirs


def _check_links(state, rows_by_table, file_ids, plan):
    def known(table, hex_):
        return hex_ in state.tables[table].ids or hex_ in file_ids.get(table, {})

    kinds_of = {h: r.values[1] for h, r in file_ids.get("stakeholder", {}).items()}
    db_kinds = {h: rec.values[1] for h, rec in state.tables["stakeholder"].records.items()}
    attendance_pairs = {}
    for rec_hex, rec in state.tables["attendance"].records.items():
        attendance_pairs[(rec.values[0], rec.values[1])] = rec_hex
    for sheet in SHEETS:
        t = sheet.table
        content = sheet.content
        # (column, its position, the IDs it may link to: this database's and the file's)
        links = [(i, c, state.tables[c.target].ids if c.target else None, file_ids.get(c.target, {}))
                 for i, c in enumerate(content) if c.kind == "link"]
        for row in rows_by_table.get(t, ()):
            for i, col, db_ids, file_has in links:
                v = row.values[i]
                if v is None:
                    continue
                if db_ids is not None:
                    if v not in db_ids and v not in file_has:
                        plan.problems.append(Problem(sheet.name, row.number, col.header, _unknown_link(v),
                                                     _dashed(row.hex)))
                    continue
                # an update's record: any of three kinds
                holders = [x for x in ("stakeholder", "commitment", "action_item") if known(x, v)]
                if row.target_type and row.target_type not in holders:
                    holders = []
                if not holders:
                    plan.problems.append(Problem(sheet.name, row.number, col.header, _unknown_link(v), _dashed(row.hex)))
            if t == "stakeholder" and row.values[2] is not None:
                org_kind = kinds_of.get(row.values[2], db_kinds.get(row.values[2]))
                if row.values[2] == row.hex:
                    plan.problems.append(Problem(sheet.name, row.number, "Organisation ID",
                                                 "a stakeholder cannot belong to itself", _dashed(row.hex)))
                elif org_kind not in (None, "organisation"):
                    plan.problems.append(Problem(sheet.name, row.number, "Organisation ID",
                                                 "links to a person, not an organisation", _dashed(row.hex)))
            if t == "commitment":
                made, target = row.values[4], row.values[5]
                if made and target and target < made:
                    plan.problems.append(Problem(sheet.name, row.number, "Target date",
                                                 "is before the date the commitment was made", _dashed(row.hex)))
            if t == "attendance":
                pair = (row.values[0], row.values[1])
                holder = attendance_pairs.get(pair)
                if holder is not None and holder != row.hex:
                    plan.problems.append(Problem(sheet.name, row.number, "Stakeholder ID",
                                                 "this stakeholder is already recorded as attending this event "
                                                 "(under another ID)", _dashed(row.hex)))
                attendance_pairs[pair] = row.hex


def _unknown_link(hex_):
    return (f"links to ID {_dashed(hex_)}, which is neither in this workbook nor in this database; include "
            f"that record in the export or remove the link")


def _origin(state):
    council = home_council()
    return council.uuid.hex if council else None


def _reference_maker(references):
    council = home_council()
    prefix = f"{council.code if council else 'X'}-A"
    numbers = [int(m.group("number")) for r in references if r.startswith(prefix)
               for m in [REFERENCE_RE.match(r)] if m]
    counter = [max(numbers, default=0)]

    def next_reference():
        while True:
            counter[0] += 1
            ref = f"{prefix}{counter[0]:04d}"
            if ref not in references:
                return ref
    return next_reference


"""Importing an exchange workbook: match every row by ID, decide what it means, apply all or nothing.

For each row: an unknown ID is a new record (keeping the file's ID; its Row check, the state the
exporting council had, becomes its base, and the states its Based on names its seen list); a row
without an ID, added by hand, is new too, with an ID derived from its content so that importing the
same file again finds it instead of adding it twice.  A known ID is merged with this database's
record by ``tracker.exchange.merge`` (the three-way merge against the record's base and the states
the row says it replaces; a row edited in a spreadsheet after export is a change made here).

Each cell is read by its field's rules (``reader``); IDs, links and the registry's rules across
fields are checked by ``checks``; the report and the plan are ``report``'s types; action references
the file lacks come from the one series (``tracker.records.references``).  Any problem in any row
refuses the whole file and changes nothing; every problem is reported with sheet, row, column and
reason.  The plan is applied in one transaction by
``tracker.services.imports.apply_import``.
"""

import datetime as dt
from functools import partial
from itertools import repeat
from pathlib import Path

from tracker.backups import backup_before
from tracker.exchange.ancestry import adopted
from tracker.exchange.checks import check_links, identify
from tracker.exchange.merge import merge_row
from tracker.exchange.reader import read_workbook
from tracker.exchange.report import AddedDetail, Detail, ImportReport, Plan
from tracker.exchange.rowcheck import is_edited
from tracker.exchange_format import PERSONAL_FIELDS, SHEETS
from tracker.errors import Cancelled
from tracker.records.references import Series, prefix_for
from tracker.services import exchange as store
from tracker.services import imports, merge_exchange, privacy
from tracker.services.audit import import_source
from tracker.services.base import home_council

ON_CONFLICT = ("ask", "keep-mine", "take-theirs")


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
        report.merges = len(merge_exchange.new_merges(book.merges))
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
    plan.merges, plan.not_duplicates = book.merges, book.not_duplicates
    report.merges = len(merge_exchange.new_merges(book.merges))
    if report.added or report.updated or plan.held or plan.sync or any(plan.updates.values()) or report.merges \
            or merge_exchange.new_not_duplicates(book.not_duplicates):
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
    rows_by_table = identify(book, state, plan.problems)
    check_links(state, rows_by_table, plan.problems)
    if plan.problems:
        return plan
    references = set(state.references)  # the file's own references join them as rows are planned
    council = home_council()
    new_refs = Series(prefix_for(council.code if council else None), references).next
    home = council.uuid.hex if council else None  # of records the file does not say the origin of
    content_hash = store.content_hash
    for sheet in SHEETS:
        t = sheet.table
        ts = state.tables[t]
        personal = [sheet.at[f] for f in PERSONAL_FIELDS] if t == "stakeholder" else []
        erased_at = sheet.at.get("erased_at")
        kind_at = sheet.at.get("kind")
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

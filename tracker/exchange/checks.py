"""The checks an import makes across rows, sheets and this database, before it plans anything.

Each cell was read by its field's own rules (``tracker.exchange.reader``, through
``tracker.records.cells``).  What is left needs more than one cell: every row has one ID, used once
in the file and not by a record of another kind here (:func:`identify`); every link names a record
in the file or in this database; and the rules across fields of the registry (``tracker.records``:
a target date not before the date made, a person's organisation an organisation and not itself,
attendance once per event and stakeholder) hold for every row (:func:`check_links`).  The rules are
the registry's own objects, handed each row's fields by name, linked records as small
:class:`Linked` records, uniqueness answered from an index of this database and the file; nothing
here words a rule again.  Every problem names its sheet, row and column.
"""

import uuid as uuidlib
from typing import NamedTuple

from tracker import records
from tracker.records.rules import UniqueTogether
from tracker.exchange.reader import Problem
from tracker.exchange.report import dashed
from tracker.exchange_format import SHEETS

HAND_ROW_NAMESPACE = uuidlib.UUID("d7c6a3f4-51b8-4c55-b1f0-6a1f2a9e4c21")
UPDATE_HOLDERS = ("stakeholder", "commitment", "action_item")  # the kinds an update can belong to


class Linked(NamedTuple):
    """A record as the registry's rules look at it (its ID as hex; kind, name or title where it has one)."""
    id: str
    kind: str = None
    name: str = ""
    title: str = ""


def identify(book, state, problems):
    """{table: [rows]} of the rows that can be planned, each with an ID: a row added by hand gets one from
    its content (the same each time the file is imported); a row whose ID is used twice in the file, or by
    a record of another kind here, is a problem instead."""
    rows_by_table = {}
    seen_ids = {}  # hex -> the row that has it
    for sheet in SHEETS:
        kept = rows_by_table.setdefault(sheet.table, [])
        here = state.tables[sheet.table].ids
        elsewhere = [ts.ids for t, ts in state.tables.items() if t != sheet.table and ts.ids]
        occurrences = {}
        for row in book.rows[sheet.name]:
            if row.hex is None:  # added by hand: an ID from its content, the same every time it is imported
                key = repr((sheet.table, list(row.values)))
                occurrences[key] = occurrences.get(key, 0) + 1
                row.hex = uuidlib.uuid5(HAND_ROW_NAMESPACE, f"{key}#{occurrences[key]}").hex
                row.check = row.based_on = None  # copied with the row, they name another record's states
            other = seen_ids.get(row.hex)
            if other is not None:
                problems.append(Problem(sheet.name, row.number, "ID", f"this ID is also used on sheet "
                                        f"{other.sheet.name}, row {other.number}; each record appears once", row.hex))
                continue
            seen_ids[row.hex] = row
            if elsewhere and row.hex not in here and any(row.hex in ids for ids in elsewhere):
                problems.append(Problem(sheet.name, row.number, "ID", "this ID belongs to a record of another kind in "
                                        "this database", dashed(row.hex)))
                continue
            kept.append(row)
    return rows_by_table


def check_links(state, rows_by_table, problems):
    """Every link of every row names a known record, and every rule of the row's kind holds."""
    file_ids = {t: {r.hex: r for r in rows} for t, rows in rows_by_table.items()}
    linked = _Records(state, file_ids)
    for sheet in SHEETS:
        rows = rows_by_table.get(sheet.table, ())
        if not rows:
            continue
        # (column, its position, the IDs it may link to: this database's and the file's)
        links = [(sheet.at[c.field], c, state.tables[c.target].ids if c.target else None, file_ids.get(c.target, {}))
                 for c in sheet.content if c.kind == "link"]
        rules = [_RuleCheck(sheet, rule, state, linked) for rule in records.BY_TABLE[sheet.table].rules
                 if set(rule.reads) <= set(sheet.at)]  # (an update's one Record ID is not three fields)
        for row in rows:
            for i, col, db_ids, file_has in links:
                v = row.values[i]
                if v is None:
                    continue
                if db_ids is not None:
                    known = v in db_ids or v in file_has
                else:  # an update's record: any of three kinds, the one its Record type says if given
                    holders = [t for t in UPDATE_HOLDERS if linked.known(t, v)]
                    known = bool(holders) and (not row.target_type or row.target_type in holders)
                if not known:
                    problems.append(Problem(sheet.name, row.number, col.header, _unknown_link(v), dashed(row.hex)))
            for rule in rules:
                rule.check(row, problems)


class _Records:
    """Linked records by ID, from the file's rows or this database's, as :class:`Linked`."""

    def __init__(self, state, file_ids):
        self.state, self.file_ids = state, file_ids

    def known(self, table, hex_):
        return hex_ in self.state.tables[table].ids or hex_ in self.file_ids.get(table, {})

    def get(self, table, hex_):
        row = self.file_ids.get(table, {}).get(hex_)
        values = row.values if row is not None else None
        if values is None:
            rec = self.state.tables[table].records.get(hex_)
            values = rec.values if rec is not None else None
        if values is None:
            return None  # unknown (a problem of its own) or not loaded
        at = _SHEETS[table].at
        return Linked(hex_, *(values[at[f]] if f in at else d for f, d in (("kind", None), ("name", ""),
                                                                              ("title", ""))))


_SHEETS = {s.table: s for s in SHEETS}


class _RuleCheck:
    """One registry rule over a sheet's rows: each row's fields by name, links as :class:`Linked`."""

    def __init__(self, sheet, rule, state, linked):
        self.sheet, self.rule, self.linked = sheet, rule, linked
        self.header = sheet.column(rule.field).header
        self.reads = [(f, sheet.at[f], sheet.column(f).target if sheet.column(f).kind == "link" else None)
                      for f in rule.reads]
        self.holders = None
        if isinstance(rule, UniqueTogether):  # who holds each combination: here, then the file
            at = [sheet.at[f] for f in rule.fields]
            self.holders = {tuple(rec.values[i] for i in at): h for h, rec in state.tables[sheet.table].records.items()}

    def check(self, row, problems):
        values = {f: (self.linked.get(target, row.values[i]) if target and row.values[i] is not None
                      else row.values[i]) for f, i, target in self.reads}
        reason = self.rule.reason(values, Linked(row.hex), self._taken if self.holders is not None else None)
        if reason is not None:
            if self.holders is not None:
                reason += " (under another ID)"
            problems.append(Problem(self.sheet.name, row.number, self.header, reason, dashed(row.hex)))

    def _taken(self, fields, values, existing):
        key = tuple(values[f].id for f in fields)
        holder = self.holders.get(key)
        self.holders[key] = existing.id
        return holder is not None and holder != existing.id


def _unknown_link(hex_):
    return (f"links to ID {dashed(hex_)}, which is neither in this workbook nor in this database; include "
            f"that record in the export or remove the link")

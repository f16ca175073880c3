"""Reading the decisions about duplicates a workbook carries (format 3): its Merges and Not duplicates sheets.

Both sheets are optional (files of formats 1 and 2 have neither; a file without them says nothing
about duplicates).  Each row's IDs are read as the ID column's are (``tracker.records.cells``); a row
that cannot be read is a problem naming the sheet, row, column and reason, and refuses the file as
any other.  The names beside the IDs are for people and are not read.  What an import does with the
merges is ``tracker.services.merge_exchange``'s.
"""

import datetime as dt

from tracker.exchange_format import MERGE_COLUMNS, MERGES, NOT_DUPLICATE_COLUMNS, NOT_DUPLICATES
from tracker.records.cells import CellError, read_uuid, text_of
from tracker.services.merge_exchange import TravellingMerge

REQUIRED = {MERGES: ("Merge ID", "Kept ID", "Retired IDs"), NOT_DUPLICATES: ("First ID", "Second ID")}
COLUMNS = {MERGES: MERGE_COLUMNS, NOT_DUPLICATES: NOT_DUPLICATE_COLUMNS}


def read_decisions(cells_of, problem):
    """(merges, not-duplicate pairs) from the sheets: ``cells_of(name)`` gives a sheet's rows of cells
    (None when the workbook has no such sheet); ``problem(sheet, row, column, reason)`` records a problem."""
    merges, pairs = [], []
    for name in (MERGES, NOT_DUPLICATES):
        cells = cells_of(name)
        if not cells:
            continue
        header = {" ".join(text_of(h).split()).casefold(): i for i, h in enumerate(cells[0]) if text_of(h).strip()}
        at = {c: header.get(c.casefold()) for c in COLUMNS[name]}
        missing = [c for c in REQUIRED[name] if at[c] is None]
        if missing:
            problem(name, 1, missing[0], "this column is missing; see docs/exchange-format.md")
            continue
        for n, raw in enumerate(cells[1:], start=2):
            raw = list(raw) + [""] * (len(cells[0]) - len(raw))
            if all(v in ("", None) for v in raw):
                continue

            def cell(column, raw=raw):
                return raw[at[column]] if at[column] is not None else ""
            try:
                if name == MERGES:
                    merges.append(_merge(cell, name, n, problem))
                else:
                    pairs.append(_pair(cell, name, n, problem))
            except _Refused:
                continue
    return [m for m in merges if m is not None], [p for p in pairs if p is not None]


class _Refused(Exception):
    pass


def _ids(cell, column, sheet, n, problem, several=False):
    text = text_of(cell(column)).strip()
    parts = [p for p in text.replace(",", ";").replace("\n", ";").split(";") if p.strip()] if several else [text]
    try:
        hexes = [read_uuid(p.strip()) for p in parts]
    except CellError as exc:
        problem(sheet, n, column, str(exc))
        raise _Refused() from None
    if not hexes or None in hexes:
        problem(sheet, n, column, "is empty; a value is required")
        raise _Refused()
    return hexes


def _when(value):
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(text_of(value).strip()) if text_of(value).strip() else None
    except ValueError:
        return None  # bookkeeping only: a mangled time is not worth refusing the file


def _merge(cell, sheet, n, problem):
    merge_id = _ids(cell, "Merge ID", sheet, n, problem)[0]
    kept = _ids(cell, "Kept ID", sheet, n, problem)[0]
    retired = _ids(cell, "Retired IDs", sheet, n, problem, several=True)
    if kept in retired:
        problem(sheet, n, "Retired IDs", "names the kept record too; a record is never merged with itself")
        raise _Refused()
    return TravellingMerge(merge_id, kept, tuple(dict.fromkeys(retired)), _when(cell("Merged at")),
                           text_of(cell("Council")).strip(), text_of(cell("Merged by")).strip())


def _pair(cell, sheet, n, problem):
    first = _ids(cell, "First ID", sheet, n, problem)[0]
    second = _ids(cell, "Second ID", sheet, n, problem)[0]
    if first == second:
        problem(sheet, n, "Second ID", "is the first record again; a pair is two different records")
        raise _Refused()
    return (first, second, _when(cell("Decided at")), text_of(cell("Council")).strip(),
            text_of(cell("Decided by")).strip())

"""What the wizard asks about a mapped column before planning again: its values as written, and for a
choice column (status, RAG, priority, kind, sector, theme) the words of the file that are not
understood, with our values to map each to (what ``--map-value "Header:written=stored"`` says); a
status's, RAG's or priority's no-value words ("TBC", "ASAP", "N/A") are understood: no value.

The reading itself is ``values.choice_of`` (ours by code or label, then a partner's usual words);
nothing here decides a value.  No Qt: the wizard (``ui.tableimport_mapping``) shows these.
"""

from tracker.records import CHOICE, FieldError
from tracker.tableimport import mapping as maps
from tracker.tableimport.header import is_empty
from tracker.tableimport.table import AS_TEXT
from tracker.tableimport.values import NO_VALUE_CHOICES, choice_of, is_no_value, text_of


def column_values(sheet, table, header, limit=None):
    """The values written under ``header`` in ``table`` (a :class:`table.SheetTable` of ``sheet``), rows
    that are not records (sections, footers) left out; the first ``limit`` of them when it is given."""
    if table.header_row is None or header not in table.headers:
        return []
    i = table.headers.index(header)
    passed = {row for row, _ in table.skipped}
    out = []
    for n, row in enumerate(sheet.rows[table.header_row - sheet.first_row + 1:]):
        if table.header_row + 1 + n not in passed and i < len(row) and not is_empty(row[i]):
            out.append(row[i])
            if len(out) == limit:
                break
    return out


def choice_field(kind, target):
    """The registry's field when ``target`` is read as one of a list of values (else None)."""
    record = maps.KIND_OF[kind]
    if not target or target in AS_TEXT or target not in record:
        return None
    found = record[target]
    return found if found.type == CHOICE else None


def offered(kind, target):
    """[(code, label)] a choice column's words may be mapped to."""
    found = choice_field(kind, target)
    return list(found.vocabulary.items()) if found is not None else []


def words_not_understood(kind, target, values, limit=50):
    """The distinct words of ``values`` (as first written) that are none of ``target``'s values and none
    of the partner's words we know, in the order they first appear (at most ``limit``)."""
    found = choice_field(kind, target)
    if found is None:
        return []
    seen, out = set(), []
    for value in values:
        text = text_of(value)
        key = text.casefold()
        if not text or key in seen:
            continue
        seen.add(key)
        try:
            choice_of(found, text)
        except FieldError:
            if found.name in NO_VALUE_CHOICES and is_no_value(text):  # "ASAP" in a status: no value, understood
                continue
            out.append(text)
            if len(out) == limit:
                break
    return out

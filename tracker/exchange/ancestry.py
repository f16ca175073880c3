"""The ``Based on`` column: the states a row's content was derived from, so that an import can tell a
change made *after* its own state from one made *beside* it.

Each database keeps per record the hash of the state last exchanged (the *base*) and the hashes of
earlier exchanged states (*seen*): every state that came through this database by an export, an
import or a decided conflict and that its record has since moved on from or kept.  The exporter
writes those hashes (the base first, then the seen list, newest first; never the hash of the content
the row holds) in each row's ``Based on``: every hash there names a state the row's content replaces.
An import that finds its own record's state among them knows the row was made from it (an update);
one that finds only older states it also has knows both sides changed since a state they shared (a
conflict).  :func:`relation` says which; ``tracker.exchange.merge`` decides.

Why the whole history rather than one parent hash: one hash (the exporter's base before the export)
names the exported state itself when the record is exported again unchanged, and names nothing the
importer has when the importer missed a file in between; either way the import would be left with
"mine is my base", which is what the importer's own export of its change makes true, so a change
made beside its own would be taken silently.  The list is the one the database keeps anyway (at most
``SEEN_LIMIT`` + 1 hashes, usually one or two); an import adds the list to its own seen list for the
record, so a council that receives a record later still knows the states it was derived from.

Left empty, on purpose: for a person in a file without personal data, and for an erased person.
The earlier states' hashes cover contact details (erased, or left out of this file), and with the
other values in the row a recipient could test guesses of them against the hashes.  Such rows are
merged by the rule that applies when the column says nothing (see docs/exchange-format.md).
A row without the column (format 1, the column deleted, the cell emptied, a row added by hand) says
nothing either; text typed into the cell that is not a hash is ignored.
"""

import re

from tracker.services.sync import SEEN_LIMIT

_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{24}(?![0-9a-f])")
_LIST = r"(?:[0-9a-f]{24}(?: [0-9a-f]{24})*)?"
_COLUMN = re.compile(rf"{_LIST}(?:\n{_LIST})*")

DESCENDS = "descends"  # the file's state was made from this database's (mine is among its ancestors)
CONCURRENT = "concurrent"  # made beside it: they share an earlier state, mine is not an ancestor
UNKNOWN = "unknown"  # the row says nothing this database can place


def based_on(sync_state, digest):
    """The ``Based on`` text of a record whose sync state is ``(base, seen)`` (or None) and whose
    content hashes to ``digest``; None when it names no earlier state."""
    if sync_state is None:
        return None
    base, seen = sync_state  # (the seen list never holds the base: push_seen keeps them apart)
    if base == digest:  # unchanged since it was last exchanged (the usual row): the rest is its history
        return seen or None
    if digest not in seen:  # (whole hashes only: they are all 24 characters, spaces between)
        return f"{base} {seen}" if base and seen else (base or seen or None)
    return " ".join(h for h in (base, *seen.split()) if h and h != digest) or None  # set back to an older state


def read_based_on(value):
    """A cell as read: the hashes it holds, space-separated (None when it holds none)."""
    if type(value) is not str or not value:
        return None
    if _COLUMN.fullmatch(value) and "\n" not in value:
        return value
    return " ".join(_HASH.findall(value)) or None


def read_based_on_column(values):
    """A whole column: checked in one pass when every cell is as written (hashes, or empty)."""
    if values and set(map(type, values)) <= {str}:
        joined = "\n".join(values)
        if joined.count("\n") == len(values) - 1 and _COLUMN.fullmatch(joined):
            return [v or None for v in values]
    return list(map(read_based_on, values))


def ancestors(text):
    """The hashes of a ``Based on`` text, as a tuple (empty for None)."""
    return tuple(text.split()) if text else ()


def adopted(text, base):
    """The seen list a record added from a row starts with: the row's ancestors, less its base."""
    if not text:
        return ""
    hashes = [h for h in text.split() if h != base]
    return " ".join(hashes[:SEEN_LIMIT])


def relation(parents, mine, base, seen):
    """How a file's state whose ancestors are ``parents`` (a tuple of hashes) stands to this
    database's record: its content hash ``mine``, its ``base`` and ``seen`` (a list)."""
    if not parents:
        return UNKNOWN
    if mine in parents:
        return DESCENDS
    if base in parents or not set(seen).isdisjoint(parents):
        return CONCURRENT
    return UNKNOWN

"""The ``Row check`` column: the state a council exported, told apart from an edit made afterwards.

The exporter writes in each row the content hash (:func:`tracker.services.exchange.content_hash`,
the hash each database's sync state keeps) of the values the row holds, as an import reads them
back: the record's content, with people's contact details empty when the file leaves personal data
out.  An import hashes what it reads the same way.  Equal: the row is what the exporting council
had, whatever program re-saved it (whole-number floats, date-times and 1904 dates read back to the
same stored values).  Different: someone edited the row after export, and the check still names
the state the exporting council had, which is what the merge needs (see :mod:`tracker.exchange.merge`).

LibreOffice re-saves a cell that has an LF with each CR LF, LF CR and lone CR as one LF (a cell
without LF keeps its CRs; Gnumeric keeps everything).  ``content_hash`` counts CR LF as LF; the
check counts each of the three as one LF, so that a re-save is never an edit.  For a row without a
CR (almost every row), or whose CRs are all in CR LF, the check *is* its content hash; any other row
with a CR has a check that differs from it, which at worst makes a later change a conflict.

A row without a check (a file from before format 2, a deleted column, an emptied cell, a row typed
in by hand) is read as rows always were.  Anything else typed into the cell makes the row count as
edited from a state no database has, so nothing is taken silently on its strength.
"""

import hashlib
import re

from tracker.exchange_format import PERSONAL_FIELDS
from tracker.services.exchange import content_hash

CHECK = re.compile(r"[0-9a-f]{24}")
_BREAK = re.compile(r"\r\n|\n\r|\r")  # each, one line break as LibreOffice re-saves it
_CHECKS = re.compile(r"(?:[0-9a-f]{24}\n)*[0-9a-f]{24}")


def personal_positions(sheet):
    """The content positions a file without personal data leaves empty for people."""
    if sheet.table != "stakeholder":
        return ()
    return tuple(i for i, c in enumerate(sheet.content) if c.field in PERSONAL_FIELDS)


def written_check(table, values, blank=()):
    """The check of a row holding ``values`` with the positions ``blank`` left empty."""
    if blank:
        values = list(values)
        for i in blank:
            values[i] = ""
    if has_cr(values):
        values = [_BREAK.sub("\n", v) if v.__class__ is str else v for v in values]
    return content_hash(table, values)


def has_cr(values):
    return any("\r" in v for v in values if v.__class__ is str)


def is_edited(check, table, values, values_hash):
    """Whether a row holding ``values`` as read (whose content hash is ``values_hash``) was edited
    after it was exported with ``check``; never for a row without a check."""
    return check is not None and check != values_hash and check != written_check(table, values)


def read_check(value):
    """A Row check cell as read: None when empty, the check, or for anything else typed there a
    stand-in check that no content hashes to (so the row reads as edited from an unknown state)."""
    if value is None or value == "":
        return None
    if type(value) is str and CHECK.fullmatch(value):
        return value
    typed = f"typed into the Row check: {value!r}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(typed, digest_size=12).hexdigest()


def read_checks(values):
    """A whole Row check column: checked in one pass when it is all checks as written."""
    if values and set(map(type, values)) <= {str}:
        joined = "\n".join(values)
        if len(joined) == 25 * len(values) - 1 and _CHECKS.fullmatch(joined):  # (no cell holding two)
            return list(values)
    return list(map(read_check, values))

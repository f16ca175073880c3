"""A field's value read from a spreadsheet cell, or from text typed where a cell is asked for.

The exchange keeps values in a *stored form* (text as text, dates as ISO text, a month, quarter or
year in a field that takes periods as ``tracker.dates.stored_date`` writes it, links and councils
as UUID hex, codes for vocabularies, whole numbers as ints, timestamps as text).  :func:`converter`
gives the function turning what a cell holds (text, or the number, date or date-time a spreadsheet
program made of it) into that form, checked by the field's own rules (:meth:`Field.problem`, the
date range and day-first reading of ``tracker.dates``, the field's vocabulary and limits).  Two
callers use it: the exchange reader (``tracker.exchange.reader``) for every cell of a workbook, and
deciding a conflict (``tracker.services.conflicts``) for a value a person typed as the result, so
the two read the same text the same way.

A wrong value raises :class:`CellError`, whose text names the value and the reason ("'Finished' is
not one of: Open, ..."); whether an empty cell is allowed (the field is required) is the caller's.
Plain Python: the cells come from whichever library read the file.
"""

import datetime as dt
import re
import uuid as uuidlib

from tracker import vocab
from tracker.dates import check_range, parse_uk_date, stored_date
from tracker.records.fields import CHOICE, COUNCILS, DATE, EMAIL, LINK, SCORE, TEXT_TYPES, URL

CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class CellError(ValueError):
    """A cell (or typed text) that cannot be read as its field's value; the text says why."""


def text_of(v):
    """A cell as text, as people saw it (whole numbers without ".0", dates in ISO form)."""
    if type(v) is str:
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.isoformat(" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def read_date(v):
    """A date cell or UK text date (``tracker.dates.parse_uk_date``) as ISO text; None when empty."""
    if v == "" or v is None:
        return None
    try:
        if type(v) is dt.date:
            return check_range(v).isoformat()
        if isinstance(v, dt.datetime):
            if v.hour == 23 and v.minute == 59 and v.second == 59:  # a re-save rounding down a midnight
                v = v + dt.timedelta(seconds=1)
            return check_range(v.date()).isoformat()
        if isinstance(v, str):
            return parse_uk_date(v).isoformat()
    except ValueError as exc:  # tracker.dates.DateError: names the value and why
        raise CellError(str(exc)) from None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        raise CellError(f"{text_of(v)} is a number, not a date; format the cell as a date or type it as 16/01/2019")
    raise CellError(f"{text_of(v)!r} is not a date")


def read_date_or_period(v):
    """:func:`read_date` for a field that takes periods: "Mar 2019", "Q2 2019", "2019" as its stored form."""
    if isinstance(v, str) and v.strip():
        try:
            return stored_date(parse_uk_date(v, periods=True))
        except ValueError as exc:
            raise CellError(str(exc)) from None
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and 1990 <= v <= 2100:
        return stored_date(parse_uk_date(str(int(v)), periods=True))  # a year typed in a cell is a number
    return read_date(v)


def read_timestamp(v):
    """A date and time (deletion, erasure, creation) as text; a date alone is its midnight."""
    if v == "" or v is None:
        return None
    if isinstance(v, dt.datetime):
        return str(v)
    if isinstance(v, dt.date):
        return str(dt.datetime.combine(v, dt.time()))
    if isinstance(v, str):
        try:
            return str(dt.datetime.fromisoformat(v.strip()))
        except ValueError:
            try:
                return str(dt.datetime.combine(parse_uk_date(v), dt.time()))
            except ValueError:
                raise CellError(f"{v!r} is not a date and time") from None
    raise CellError(f"{text_of(v)!r} is not a date and time")


def read_int(v, lo=None, hi=None):
    """A whole number (spreadsheet programs save 3 as 3.0); None when empty."""
    if v == "" or v is None:
        return None
    if isinstance(v, bool):
        raise CellError(f"{text_of(v)} is not a whole number")
    if isinstance(v, float):
        if not v.is_integer():
            raise CellError(f"{v!r} is not a whole number")
        v = int(v)
    elif isinstance(v, str):
        try:
            v = int(v.strip())
        except ValueError:
            raise CellError(f"{v!r} is not a whole number") from None
    elif not isinstance(v, int):
        raise CellError(f"{text_of(v)!r} is not a whole number")
    if lo is not None and not lo <= v <= hi:
        raise CellError(f"{v} is outside {lo} to {hi}")
    return v


def read_uuid(v):
    """An ID as UUID hex; None when empty."""
    if v == "" or v is None:
        return None
    if type(v) is str and len(v) == 36 and CANONICAL_UUID.fullmatch(v):  # as we write them
        return v.replace("-", "")
    try:
        return uuidlib.UUID(text_of(v).strip()).hex
    except ValueError:
        raise CellError(f"{text_of(v)!r} is not an ID (IDs look like 5a0b72a8-f6e0-46cf-99ba-3085ac5fd798)") from None


def not_among(text, vocabulary):
    """A vocabulary's refusal naming the value read: "'Finished' is not one of: Open, In progress, ..."."""
    return f"{text!r} is not one of: {', '.join(vocabulary.values())}"


def converter(field, councils):
    """The function reading ``field``'s cells into the stored form (see the module's docstring).

    ``councils`` finds a council by name or code (``find(text)`` -> hex or None) and lists their
    names (``names``: hex -> name), for links to a council and a record's councils.  An empty cell
    reads as "" (text, choices, councils) or None; it is never refused here.
    """
    kind = field.type
    if kind in TEXT_TYPES:
        limit = field.max_length
        problem = field.problem
        quoted = kind in (EMAIL, URL)  # a format's reason names the value; a length's does not repeat it

        def conv(v):
            s = v if type(v) is str else text_of(v)
            if s and (quoted or len(s) > limit):
                reason = problem(s)
                if reason is not None:
                    raise CellError(f"{s!r} {reason}" if quoted and len(s) <= limit else reason)
            return s
        return conv
    if kind == CHOICE:
        vocabulary = field.vocabulary
        cache = {}

        def conv(v):
            if v in cache:
                return cache[v]
            if v == "" or v is None:
                return ""
            code = vocab.parse(vocabulary, text_of(v))
            if code is None:
                raise CellError(not_among(text_of(v), vocabulary))
            if isinstance(v, str):
                cache[v] = code
            return code
        return conv
    if kind == DATE:
        return read_date_or_period if field.periods else read_date
    if kind == SCORE:
        lowest, highest = field.minimum, field.maximum
        return lambda v: read_int(v, lowest, highest)
    if kind == LINK and field.links_to == "council":
        return _council_reader(councils)
    if kind == LINK:
        return read_uuid
    if kind == COUNCILS:
        return _councils_reader(councils)
    raise AssertionError(kind)


def unknown_council(known):
    """Why a council's name was refused, naming those this database knows (every reader says it so)."""
    return f"is not a council this database knows (known: {', '.join(known)})"


def _unknown_council(text, councils):
    return f"{text!r} {unknown_council(councils.names.values())}"


def _council_reader(councils):
    found = {}

    def conv(v):
        if v == "" or v is None:
            return None
        h = found.get(v) if isinstance(v, str) else None
        if h is None:
            h = found[text_of(v)] = councils.find(v)
        if h is None:
            raise CellError(_unknown_council(text_of(v), councils))
        return h
    return conv


def _councils_reader(councils):
    def conv(v):
        parts = [p.strip() for p in text_of(v).replace(",", ";").split(";") if p.strip()]
        hexes = set()
        for p in parts:
            h = councils.find(p)
            if h is None:
                raise CellError(_unknown_council(p, councils))
            hexes.add(h)
        return ";".join(sorted(hexes))
    return conv

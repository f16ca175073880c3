"""Dates as UK users type and read them: day first, never a silent month/day swap or a stand-in date.

:func:`parse_uk_date` is the one parser in the product: every typed date field in the app, the
command's date options and the exchange reader use it, and a spreadsheet import reuses it with
``month_first=True`` for a column that has shown itself to be American.  It accepts

- day, month, year with one kind of separator: ``16/01/2019``, ``16.01.2019``, ``16-01-2019``,
  ``16/1/19`` (a two-digit year always means 20yy);
- eight digits, day first: ``16012019``;
- a month's name: ``16 Jan 2019``, ``16 January 2019``, ``16th Jan 19``, ``16-Jan-2019``,
  ``Jan 16, 2019``;
- ISO ``2019-01-16`` (optionally with a midnight time, as spreadsheets write it).

Six bare digits (``160119``) are refused rather than guessed: ``240116`` could as well be
2024-01-16 typed the other way round.  Anything else, an impossible date (``31/02/2019``) and a
date outside :data:`EARLIEST`..:data:`LATEST` raise :class:`DateError`, a ValueError whose
``reason`` reads after a field's name ("Due date is not a real date (...)") and whose ``str()``
names the text ("'31/02/2019' is not a real date (...)").

The range is one rule for every way a date reaches the database: :func:`check_range` here, used
by the parser, the services' validation and the exchange reader's date cells.  It exists because
the old date box stored 01/01/1900 as "no date"; such stand-ins must never be stored again.
"""

import calendar
import datetime as dt
import re

EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
OUT_OF_RANGE = f"must be between {EARLIEST:%d/%m/%Y} and {LATEST:%d/%m/%Y}"
EXAMPLES = "16/01/2019, 16 Jan 2019 or 2019-01-16"
NOT_A_DATE = f"is not a date (type it as {EXAMPLES})"

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_name) if name})
MONTHS["sept"] = 9

# [0-9], not \d: \d also matches other scripts' digits, which nobody types into a UK date.
_NUMERIC = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})")
_DIGITS = re.compile(r"[0-9]{8}")
_SIX_DIGITS = re.compile(r"[0-9]{6}")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_WORDY = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?,?[\s\-]+([0-9]{2}|[0-9]{4})")
_WORDY_US = re.compile(r"([A-Za-z]+)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})")


class DateError(ValueError):
    """A text that is not an acceptable date.  ``reason`` follows a field's name; str() names the text."""

    def __init__(self, text, reason):
        self.text, self.reason = text, reason
        super().__init__(f"{text!r} {reason}" if text else reason)


def parse_uk_date(text, *, month_first=False):
    """The date ``text`` means, read day first (month first with ``month_first``, for a column
    known to be American; ISO dates and month names are read the same either way).  Raises
    DateError for anything else, an impossible date or one outside the allowed range."""
    shown = str(text).strip()
    if not shown:
        raise DateError("", "no date given")
    day = _read(shown, month_first)
    if day is None:
        if _SIX_DIGITS.fullmatch(shown):
            raise DateError(shown, "is not a date: type the year in full (16012019) or with slashes (16/01/19)")
        raise DateError(shown, NOT_A_DATE)
    return check_range(day, shown)


def _read(text, month_first):
    """(year, month, day) checked into a date, or None when the text has no date shape."""
    if m := _ISO.fullmatch(text):
        return _make(text, int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC.fullmatch(text):
        first, second = int(m[1]), int(m[3])
        day, month = (second, first) if month_first else (first, second)
        return _make(text, _year(m[4]), month, day)
    if _DIGITS.fullmatch(text):
        first, second = int(text[:2]), int(text[2:4])
        day, month = (second, first) if month_first else (first, second)
        return _make(text, int(text[4:]), month, day)
    if (m := _WORDY.fullmatch(text)) and m[2].lower() in MONTHS:
        return _make(text, _year(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if (m := _WORDY_US.fullmatch(text)) and m[1].lower() in MONTHS:
        return _make(text, int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    return None


def _year(digits):
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _make(text, year, month, day):
    if not 1 <= month <= 12:
        raise DateError(text, f"is not a real date (there is no month {month})")
    if year < 1:
        raise DateError(text, OUT_OF_RANGE)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateError(text, f"is not a real date ({calendar.month_name[month]} {year} has {days} days)")
    return dt.date(year, month, day)


def in_range(day):
    return EARLIEST <= day <= LATEST


def check_range(day, shown=None):
    """``day`` itself, or DateError when it is outside EARLIEST..LATEST (``shown``: the text it came from)."""
    if not in_range(day):
        raise DateError(shown or format_uk_date(day), OUT_OF_RANGE)
    return day


def format_uk_date(value):
    """dd/mm/yyyy, or '' for no date."""
    return value.strftime("%d/%m/%Y") if value else ""

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

A field that may hold a period (an action's due date, a commitment's target date) reads with
``periods=True``, which also accepts a month, a quarter or a year as people write them and gives a
:class:`Period`: the last day of that period, remembering how precisely it was written
(:func:`parse_uk_period`):

- a month: ``Mar 2019``, ``March 2019``, ``Mar-19``, ``Sept 2019``, ``03/2019``, ``2019-03``,
  ``end of March 2019`` (the end of a month is its last day, which is what a month stands for);
- a calendar quarter: ``Q2 2019``, ``Q2 19``, ``Q2-2019``, ``2019 Q2``, ``2019-Q2`` (Q1 ends 31 March);
- a year: ``2019``; a UK financial year: ``FY 2019/20``, ``2019/20``, ``2019-20``, ``FY19/20`` (ends 31
  March 2020).

A month without a year (``end of March``) is refused rather than given one: which March is meant
depends on when it was written, which a typed date can say.  A partner's table, written without
one, reads it as the next end of that month (:func:`next_month_end`) and flags the assumption.  A quarter of a financial year
(``Q2 2019/20``) is refused too, naming the calendar quarter or month to write instead.

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
PERIOD_EXAMPLES = "Mar 2019, Q2 2019, 2019 or FY 2019/20"
NOT_A_DATE_OR_PERIOD = f"is not a date (type it as 16/01/2019 or 16 Jan 2019, or a period: {PERIOD_EXAMPLES})"

# How precisely a date was written.  A day is the ordinary date (stored as no precision at all).
DAY, MONTH, QUARTER, YEAR, FINANCIAL_YEAR = "day", "month", "quarter", "year", "fy"
PERIODS = (MONTH, QUARTER, YEAR, FINANCIAL_YEAR)

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


def parse_uk_date(text, *, month_first=False, periods=False):
    """The date ``text`` means, read day first (month first with ``month_first``, for a column
    known to be American; ISO dates and month names are read the same either way).  With
    ``periods`` a month, quarter or year is accepted too and gives a :class:`Period`
    (:func:`parse_uk_period`).  Raises DateError for anything else, an impossible date or one
    outside the allowed range."""
    shown = " ".join(str(text).split())
    if not shown:
        raise DateError("", "no date given")
    if periods:
        period = parse_uk_period(shown)
        if period is not None:
            return period
    day = _read(shown, month_first)
    if day is None:
        if _SIX_DIGITS.fullmatch(shown):
            raise DateError(shown, "is not a date: type the year in full (16012019) or with slashes (16/01/19)")
        raise DateError(shown, NOT_A_DATE_OR_PERIOD if periods else NOT_A_DATE)
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


def _second_year(financial):
    """The year a financial year ends in, as written after the "/" (2019/20, 2099/00, 2019/2020)."""
    first, second = _year(financial[1]), financial[2]
    if len(second) == 4:
        return int(second)
    return first // 100 * 100 + int(second) + (100 if int(second) < first % 100 else 0)


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
    """dd/mm/yyyy, a period as written ("Mar 2019", "Q2 2019", "2019", "FY 2019/20"), or '' for no date."""
    if not value:
        return ""
    return value.text if isinstance(value, Period) else value.strftime("%d/%m/%Y")


def format_local_time(stamp):
    """A stored timestamp (naive UTC, as the database keeps them) as this computer's local dd/mm/yyyy hh:mm
    (an hour later than stored in British Summer Time), or '' for none."""
    if stamp is None:
        return ""
    return stamp.replace(tzinfo=dt.timezone.utc).astimezone().strftime("%d/%m/%Y %H:%M")


# ---- periods: a month, a quarter or a year, as the last day of it -----------------------------------------
class Period(dt.date):
    """The last day of a month, a quarter or a year that was written as such ("Mar 2019", "Q2 2019",
    "2019", "FY 2019/20"): a date (it sorts, compares and falls due as that last day, so a "Mar 2019"
    action is overdue from 1 April 2019) that remembers its ``precision`` (MONTH, QUARTER, YEAR or
    FINANCIAL_YEAR).  Equal only to the same period: 31/03/2019 typed as a day is another value.
    Arithmetic gives plain dates (a day before a period is a day)."""

    __slots__ = ("precision",)

    def __new__(cls, day, precision):
        if precision not in PERIODS:
            raise ValueError(f"not a period: {precision!r}")
        if period_end(day, precision) != day:
            raise ValueError(f"{day} is not the last day of its {precision}")
        self = super().__new__(cls, day.year, day.month, day.day)
        self.precision = precision
        return self

    @property
    def last_day(self):
        """The plain date this period stands for (what is stored in the date column)."""
        return dt.date(self.year, self.month, self.day)

    @property
    def text(self):
        """As people write it: "Mar 2019", "Q2 2019", "2019", "FY 2019/20"."""
        if self.precision == MONTH:
            return f"{calendar.month_abbr[self.month]} {self.year}"
        if self.precision == QUARTER:
            return f"Q{self.month // 3} {self.year}"
        if self.precision == YEAR:
            return str(self.year)
        return f"FY {self.year - 1}/{self.year % 100:02d}"

    @property
    def stored(self):
        """The exchange's stored form: "2019-03", "2019-Q2", "2019", "FY2019-20" (a day is ISO yyyy-mm-dd)."""
        if self.precision == MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        if self.precision == QUARTER:
            return f"{self.year:04d}-Q{self.month // 3}"
        if self.precision == YEAR:
            return f"{self.year:04d}"
        return f"FY{self.year - 1:04d}-{self.year % 100:02d}"

    def __repr__(self):
        return f"Period({self.text!r})"

    def __eq__(self, other):
        if isinstance(other, dt.date) and not isinstance(other, dt.datetime):
            return dt.date.__eq__(self, other) and getattr(other, "precision", DAY) == self.precision
        return NotImplemented

    def __ne__(self, other):
        same = self.__eq__(other)
        return same if same is NotImplemented else not same

    def __hash__(self):
        return hash((dt.date.__hash__(self), self.precision))

    def __add__(self, other):
        return self.last_day + other

    __radd__ = __add__

    def __sub__(self, other):
        return self.last_day - (other.last_day if isinstance(other, Period) else other)

    def replace(self, *args, **kwargs):
        return self.last_day.replace(*args, **kwargs)

    def __reduce__(self):
        return (Period, (self.last_day, self.precision))


def period_end(day, precision):
    """The last day of the month, quarter, year or financial year (to 31 March) holding ``day``."""
    if precision == MONTH:
        month, year = day.month, day.year
    elif precision == QUARTER:
        month, year = -(-day.month // 3) * 3, day.year
    elif precision == YEAR:
        month, year = 12, day.year
    elif precision == FINANCIAL_YEAR:
        month, year = 3, day.year + (day.month > 3)
    else:
        return day
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def as_period(day, precision):
    """``day`` as stored beside its precision: a Period when ``precision`` names one and ``day`` is the
    last day of it; otherwise the day itself (None, "day" or a precision that does not fit)."""
    if day is None or precision not in PERIODS or period_end(day, precision) != day:
        return day
    return Period(day, precision)


def precision_of(value):
    """How precisely ``value`` was written: a Period's precision, None for a day (or no date)."""
    return value.precision if isinstance(value, Period) else None


def stored_date(value):
    """A date's stored text in the exchange: ISO for a day, :attr:`Period.stored` for a period."""
    return value.stored if isinstance(value, Period) else value.isoformat()


_STORED_PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{2})|-Q([1-4]))?")
_STORED_FY = re.compile(r"FY([0-9]{4})-([0-9]{2})")


def date_from_stored(text):
    """The date (or Period) a stored text means (:func:`stored_date` read back); ValueError otherwise."""
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    if m := _STORED_PERIOD.fullmatch(text):
        year = int(m[1])
        if m[2]:
            return _period(int(m[2]), year, MONTH)
        if m[3]:
            return _period(int(m[3]) * 3, year, QUARTER)
        return _period(12, year, YEAR)
    if (m := _STORED_FY.fullmatch(text)) and (int(m[1]) + 1) % 100 == int(m[2]):
        return _period(3, int(m[1]) + 1, FINANCIAL_YEAR)
    raise ValueError(f"{text!r} is not a stored date")


def _period(month, year, precision):
    return Period(dt.date(year, month, calendar.monthrange(year, month)[1]), precision)


_MONTH_YEAR = re.compile(r"(?:end(?:\s+of)?\s+)?([A-Za-z]+)\.?[\s\-/',]*([0-9]{2}|[0-9]{4})", re.IGNORECASE)
_NUMBER_MONTH = re.compile(r"([0-9]{1,2})/([0-9]{4})|([0-9]{4})-([0-9]{1,2})")
_MONTH_ALONE = re.compile(r"(?:end(?:\s+of)?\s+)([A-Za-z]+)\.?", re.IGNORECASE)
_QUARTER = re.compile(r"q([0-9])[\s\-/]*([0-9]{2}|[0-9]{4})|([0-9]{4})[\s\-/]*q([0-9])", re.IGNORECASE)
_FY_QUARTER = re.compile(r"q[0-9][\s\-/]*(?:fy\s*)?[0-9]{2,4}[/\-][0-9]{2,4}", re.IGNORECASE)
_YEAR = re.compile(r"[0-9]{4}")
_FINANCIAL_YEAR = re.compile(r"(?:fy\s*)?([0-9]{2}|[0-9]{4})\s*[/\-]\s*([0-9]{2}|[0-9]{4})", re.IGNORECASE)


def parse_uk_period(text):
    """The Period ``text`` writes (see the module's docstring), None when it is not written as a
    month, a quarter or a year (then it may still be a day); DateError for a period that is not a
    real one (Q5 2019, month 13, 2019/21) or ends outside the allowed range."""
    shown = " ".join(str(text).split())
    found = _read_period(shown)
    if found is None:
        return None
    month, year, precision = found
    if not 1 <= month <= 12:
        raise DateError(shown, f"is not a real date (there is no month {month})")
    if not EARLIEST.year <= year <= LATEST.year + (precision == FINANCIAL_YEAR):
        raise DateError(shown, OUT_OF_RANGE)
    period = _period(month, year, precision)
    check_range(period.last_day, shown)
    return period


def _read_period(text):
    """(month the period ends in, its year, precision) for a text shaped as a period, or None."""
    if m := _QUARTER.fullmatch(text):
        number = int(m[1] or m[4])
        if not 1 <= number <= 4:
            raise DateError(text, f"is not a real date (there is no quarter {number}: Q1 to Q4)")
        return number * 3, _year(m[2] or m[3]), QUARTER
    if _FY_QUARTER.fullmatch(text):
        raise DateError(text, "is a quarter of a financial year: write the calendar quarter (Q3 2019 for "
                              "July to September 2019) or the month it ends (Sep 2019)")
    if (m := _MONTH_YEAR.fullmatch(text)) and m[1].lower() in MONTHS:
        return MONTHS[m[1].lower()], _year(m[2]), MONTH
    financial = _FINANCIAL_YEAR.fullmatch(text)
    if financial and _second_year(financial) == _year(financial[1]) + 1:
        return 3, _year(financial[1]) + 1, FINANCIAL_YEAR
    if (m := _NUMBER_MONTH.fullmatch(text)) and (m[1] or int(m[4]) <= 12):
        return (int(m[1]), int(m[2]), MONTH) if m[1] else (int(m[4]), int(m[3]), MONTH)
    if (m := _MONTH_ALONE.fullmatch(text)) and m[1].lower() in MONTHS:
        raise DateError(text, f"has no year (write it as {calendar.month_abbr[MONTHS[m[1].lower()]]} 2019 or "
                              f"end of {calendar.month_name[MONTHS[m[1].lower()]]} 2019)")
    if _YEAR.fullmatch(text):
        return 12, int(text), YEAR
    if financial:
        first = _year(financial[1])
        raise DateError(text, f"is not a financial year (write it as {first}/{(first + 1) % 100:02d} for "
                              f"April {first} to March {first + 1})")
    return None


def month_alone(text):
    """The month ``text`` names as its end without a year ("end of March", "end of Mar"), or None."""
    m = _MONTH_ALONE.fullmatch(" ".join(str(text).split()))
    return MONTHS.get(m[1].lower()) if m else None


def next_month_end(month, reference):
    """The Period of the end of ``month`` on or after the day ``reference``: "end of March" in a sheet
    read on 2 December 2026 is 31/03/2027, read on 31 March 2027 that day, read on 1 April 2027 the March
    of 2028 (a target is written ahead of its day).  Only a partner's table reads a month without a year
    (the import says which year it took); a date typed in the app names its year."""
    year = reference.year if reference <= _period(month, reference.year, MONTH) else reference.year + 1
    return check_range(_period(month, year, MONTH), f"end of {calendar.month_name[month]}")


def add_months(day, months):
    """``day`` moved by whole calendar ``months`` (negative: back), the day clipped to the month's
    length (31/08 minus 6 months is 28/02 or 29/02): "not engaged for 6 months", a chart's months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))

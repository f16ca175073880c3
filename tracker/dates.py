"""Dates as UK users type and read them: dd/mm/yyyy first, never a silent month/day swap.

``parse_uk_date`` accepts 16/01/2019, 16/1/19, 16-01-2019, 16.01.2019, 16 Jan 2019,
16 January 2019, Jan 16 2019 and ISO 2019-01-16.  Anything else, and impossible dates such as
31/02/2019, raise ValueError with a message that says what was expected.
"""

import datetime as dt
import re

MONTHS = {m.lower(): i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
MONTHS.update({name.lower(): i for i, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)})
MONTHS["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?,?[\s\-]+(\d{2}|\d{4})$")
_WORDY_US = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")

EXPECTED = "expected a date such as 16/01/2019, 16 Jan 2019 or 2019-01-16"


def _year(text):
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make(year, month, day, original):
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{original!r} is not a real date") from None


def parse_uk_date(text):
    original = text
    text = str(text).strip()
    if not text:
        raise ValueError("no date given")
    m = _ISO.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), original)
    m = _NUMERIC.match(text)
    if m:
        return _make(_year(m.group(3)), int(m.group(2)), int(m.group(1)), original)
    m = _WORDY.match(text)
    if m and m.group(2).lower() in MONTHS:
        return _make(_year(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)), original)
    m = _WORDY_US.match(text)
    if m and m.group(1).lower() in MONTHS:
        return _make(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)), original)
    raise ValueError(f"{original!r} is not a date ({EXPECTED})")


def format_uk_date(value):
    """dd/mm/yyyy, or '' for no date."""
    return value.strftime("%d/%m/%Y") if value else ""

"""Values read as people write them in their own sheets, through the registry's own parsing.

Every value ends in a field's ``parse`` (``tracker.records``: UK dates through
``tracker.dates.parse_uk_date``, vocabularies by code or label); what is done before is only what a
partner's sheet needs and a form does not:

- text: spaces (non-breaking ones too) trimmed at either end, never inside; a whole number written
  without ".0";
- phone numbers: digits that lost their leading zero to a spreadsheet (7700 900123) regain it;
- names: "Surname, First" becomes "First Surname";
- dates: a date cell is its date (a date-time its day); a number is an Excel serial (0 is no date, and
  so is a date cell holding 0, 30/12/1899 or 00/01/1900 as programs show it); a time written after a
  date ("2019-01-16 09:30:00") is left out;
  text is read day first unless its column showed itself month first (:func:`date_order`: any
  first part over 12 settles day-first, any second part over 12 month-first, neither: day-first and
  flagged); a value contradicting its column's order is a bad value, never swapped.  "TBC",
  "Ongoing", "ASAP", "N/A" are no date (the words are kept in the notes); a month, quarter or year
  ("Mar-19", "Q2 2019", "2019", "FY 2019/20", read by ``tracker.dates.parse_uk_period``) is that
  period (a ``Period``: its last day, shown as written) in a field that takes periods (a due or
  target date), and its last day with the words kept in the notes in one that does not (a date
  made); a whole number 1990-2100 in a due or target date column is a year, not a serial;
  "w/c 06/05/19" is that day;
- a month without a year ("end of March") is the next end of that month on or after the day of the
  import (``tracker.dates.next_month_end``), the words kept as an :class:`Assumption` the preview flags;
- a status, RAG or priority written as a no-value word ("TBC", "ASAP", "N/A": :data:`NO_VALUE`) that is
  none of the list's words is no value, the words kept in the notes (a new record takes the default);
- a partner's words for status, priority, RAG, sector and theme ("Complete", "On track", "Red")
  become ours (:data:`WORDS`; for sectors and themes the longest phrase a value contains, so "Youth club"
  is community and "Youth Offending Team" justice), after the person's own ``--map-value``.
"""

import datetime as dt
import re

from tracker import vocab
from tracker.dates import Period, check_range, format_uk_date, month_alone, next_month_end, parse_uk_date
from tracker.records import CHOICE, DATE, PHONE, FieldError

NO_VALUE = frozenset(["tbc", "tba", "tbd", "ongoing", "asap", "n/a", "na", "n.a", "-", "--", "none", "unknown", "?",
                      "to be confirmed", "to be agreed", "not known", "various"])
_SHAPE = re.compile(r"^\s*([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2}|[0-9]{4})\s*$")
_WEEK = re.compile(r"^\s*(w/?c|w/b|week commencing|week beginning)\.?\s*", re.IGNORECASE)
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial 0 in a date cell: calamine reads it as midnight, LibreOffice shows (and saves in a CSV) 30/12/1899,
# Excel 00/01/1900: a formula's empty result or a cleared date, no date.
NULL_DATES = frozenset([EXCEL_EPOCH, dt.date(1899, 12, 31)])
NULL_DATE_TEXT = frozenset(["30/12/1899", "00/01/1900", "0/1/1900", "1899-12-30", "1900-01-00", "12/30/1899"])
# A time after a date, as exports write date-times ("2019-01-16 09:30:00", "16/01/2019 09:30", "...T09:30Z")
_TIME = re.compile(r"(?<=\d)(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:Z|\s*[+-]\d{2}:?\d{2})?$",
                   re.IGNORECASE)

# A partner's words, by vocabulary: exact words first, then words the value contains (sectors, themes).
WORDS = {
    id(vocab.ACTION_STATUSES): {
        "done": "complete completed closed finished achieved delivered met green-complete",
        "in_progress": "on track ontrack ongoing in hand started underway under way delayed behind at risk "
                       "progressing in train",
        "open": "not started not yet started new to do todo planned pending",
        "blocked": "stuck on hold paused blocked",
        "cancelled": "withdrawn no longer required dropped superseded",
    },
    id(vocab.COMMITMENT_STATUSES): {
        "achieved": "complete completed done delivered met closed",
        "in_progress": "on track ongoing underway under way started delayed behind at risk in hand",
        "agreed": "not started committed confirmed accepted",
        "proposed": "draft suggested tbc",
        "lapsed": "expired missed overdue",
        "withdrawn": "cancelled dropped no longer required",
    },
    id(vocab.RAG): {"R": "r red", "A": "a amber yellow orange", "G": "g green"},
    id(vocab.PRIORITIES): {"high": "h urgent p2", "medium": "m med normal p3", "low": "l p4", "critical": "p1 very high"},
    id(vocab.STAKEHOLDER_KINDS): {"organisation": "organization org company agency", "person": "individual people"},
}
CONTAINS = {  # phrases separated by commas; the longest phrase found decides ("youth club" over "youth")
    id(vocab.SECTORS): (("police", "police, met, mps, constabulary, british transport police"),
                        ("health", "nhs, nhs trust, nhs foundation trust, health, hospital, ccg, icb, gp, clinic"),
                        ("justice", ("court, probation, justice, youth justice, yot, youth offending, "
                                    "youth offending team, youth offending service, cps, prison")),
                        ("education", ("school, education, college, academy, academies, university, nursery, "
                                      "sixth form")),
                        ("local_authority", "council, local authority, borough"), ("mayoral", "mopac, mayor, gla"),
                        ("voluntary", ("charity, charities, voluntary, vcs, third sector, trust, foundation, cic, "
                                      "community interest company")),
                        ("faith", "faith, church, mosque, temple, gurdwara, synagogue, diocese, parish"),
                        ("community", ("community, resident, residents, tenants association, youth, youth club, "
                                      "youth centre, youth center, youth service, youth group, youth project, "
                                      "youth council, youth work"))),
    id(vocab.THEMES): (("knife_crime", "knife, weapon"), ("domestic_violence", "domestic, dv, vawg, abuse"),
                       ("exploitation", "exploitation, county lines, cse, cce"), ("gangs", "gang"),
                       ("schools", "school"), ("youth", "youth, young"), ("health", "health"),
                       ("community_safety", "community safety, asb")),
}


TRIMMED = " \t\r\n\u00a0\u200b\ufeff"  # what text_of trims at either end of a cell's text
# Choice fields for which a no-value word ("TBC", "ASAP", "N/A") is no value, the words kept in the notes: a
# new record takes the field's default (an action is Open, a commitment Proposed) and a matched one keeps its own.
NO_VALUE_CHOICES = frozenset({"status", "rag", "priority"})


class Assumption(str):
    """Words kept in the notes that also say what the import assumed ("end of March" read as the next one):
    the preview flags the row (``table.Record.assumptions``)."""


def text_of(value):
    """A cell as text: '' for nothing, whole numbers without '.0', dates as dd/mm/yyyy, spaces trimmed."""
    if value.__class__ is str:  # most cells: asked first
        return value.strip(TRIMMED)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip(TRIMMED)  # inside, the text is kept whole


_PHONE_MARKS = re.compile(r"[\s\-()]")


def phone_of(value):
    """A UK phone number as written, its leading zero put back when a spreadsheet dropped it (10 digits)."""
    text = text_of(value)
    if text.isdigit():  # most phone cells: no marks to take out
        return "0" + text if len(text) == 10 and text[0] in "1237" else text
    digits = _PHONE_MARKS.sub("", text)
    if digits.isdigit() and len(digits) == 10 and digits[0] in "1237":
        return "0" + text if text.isdigit() else "0" + text.lstrip()
    return text


def name_of(value):
    """A person's name, "Surname, First" turned round."""
    text = " ".join(text_of(value).split())
    if text.count(",") == 1:
        surname, first = (part.strip() for part in text.split(","))
        if surname and first and not any(ch.isdigit() for ch in text):
            return f"{first} {surname}"
    return text


# ---- dates ----------------------------------------------------------------------------------------------
def date_order(values):
    """("day-first" | "month-first", decided) for a column's values, from the text values shaped d/m/y
    (a column with none, e.g. only "Mar 2019" and "Q2 2019", has nothing to decide)."""
    day_first = month_first = shaped = False
    for value in values:
        if isinstance(value, str):
            m = _SHAPE.match(_TIME.sub("", _WEEK.sub("", value.strip())))
            if m:
                shaped = True
                day_first |= int(m[1]) > 12
                month_first |= int(m[2]) > 12
    if day_first or not month_first:
        return "day-first", day_first or not shaped
    return "month-first", True


def is_no_value(text):
    return text.strip().casefold().rstrip(".") in NO_VALUE


def date_of(value, month_first=False, periods=False, reference=None):
    """(date or None, words kept in the notes or ''); FieldError for a value that is no date.  With
    ``periods`` (the field takes them) a month, quarter or year is a Period, else its last day.  A month
    without a year ("end of March") is the next end of it on or after ``reference`` (today), the words
    kept as an :class:`Assumption`."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, dt.datetime):
        return (None if value.date() in NULL_DATES else _in_range(value.date(), text_of(value))), ""
    if isinstance(value, dt.date):
        return (None if value in NULL_DATES else _in_range(value, text_of(value))), ""
    if isinstance(value, dt.time) and value == dt.time(0):  # a date cell holding serial 0, as calamine reads it
        return None, ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == 0:
            return None, ""
        if periods and float(value).is_integer() and 1990 <= value <= 2100:  # a year typed as a number
            return parse_uk_date(str(int(value)), periods=True), ""
        if not 0 < value < 2958466:
            raise FieldError("is not a date")
        return _in_range(EXCEL_EPOCH + dt.timedelta(days=int(value)), text_of(value)), ""
    if not isinstance(value, str):
        raise FieldError("is not a date")
    text = " ".join(value.replace("\u00a0", " ").split())
    if not text or is_no_value(text):
        return None, text
    text = _TIME.sub("", _WEEK.sub("", text))
    if text in NULL_DATE_TEXT:
        return None, ""
    month = month_alone(text)
    if month is not None:  # "end of March": the next one (a sheet's targets are ahead of it), flagged
        try:
            day = next_month_end(month, reference or dt.date.today())
        except ValueError as exc:
            raise FieldError(exc.reason) from None
        return (day if periods else day.last_day), Assumption(
            f"{text} (no year written: read as {format_uk_date(day if periods else day.last_day)}, the next "
            f"end of {dt.date(2000, month, 1):%B} from the day of the import)")
    try:
        day = parse_uk_date(text, month_first=month_first, periods=True)
    except ValueError as exc:
        raise FieldError(exc.reason) from None
    if day.__class__ is Period and not periods:  # a date made "Mar 2019": its last day, the words kept
        return day.last_day, text
    return day, ""


def _in_range(day, shown):
    try:
        return check_range(day, shown)
    except ValueError as exc:
        raise FieldError(exc.reason) from None


# ---- choices --------------------------------------------------------------------------------------------
def choice_of(field, value, told=None):
    """The code a partner's word means for ``field`` (its vocabulary), or FieldError."""
    text = text_of(value)
    if not text:
        return None
    key = text.casefold()
    if told and key in told:
        text = told[key]
        key = text.casefold()
    code = vocab.parse(field.vocabulary, text)
    if code is not None:
        return code
    plain = " ".join(re.sub(r"[^\w]+", " ", key).split())
    for code, words in WORDS.get(id(field.vocabulary), {}).items():
        if plain in _phrases(words):
            return code
    code = _contained(CONTAINS.get(id(field.vocabulary), ()), plain)
    if code is not None:
        return code
    return field.parse(text)  # raises FieldError naming what the field offers


def _contained(entries, plain):
    """The code whose longest phrase stands as whole words in ``plain`` ("youth club" is a club, not
    justice; "methodist" is no "met"), a plural "s" allowed; on equal lengths the earlier code."""
    best, best_words = None, 0
    for code, phrases in entries:
        for phrase in phrases.split(","):
            words = phrase.split()
            if len(words) > best_words and re.search(rf"(?<!\w){re.escape(' '.join(words))}(?:e?s)?(?!\w)", plain):
                best, best_words = code, len(words)
    return best


def _phrases(words):
    """The phrases of a WORDS entry: single words, and runs of words known as phrases."""
    found = set(words.split())
    found.update(p for p in ("on track", "in hand", "under way", "at risk", "not started", "not yet started",
                             "to do", "on hold", "no longer required", "very high", "third sector", "in train")
                 if p in words)
    return found


def value_of(field, value, told=None, month_first=False):
    """(the value for ``field``, words to keep in the notes): the registry's parse after the partner's
    habits above; FieldError when it is no value of the field."""
    kind = field.type
    if kind == DATE:
        return date_of(value, month_first, field.periods)
    if kind == CHOICE:
        try:
            return choice_of(field, value, told), ""
        except FieldError:
            text = " ".join(text_of(value).split())
            if field.name in NO_VALUE_CHOICES and is_no_value(text):
                return None, text
            raise
    if kind == PHONE:
        return phone_of(value), ""
    text = text_of(value)
    if told and text.casefold() in told:
        text = told[text.casefold()]
    return field.parse(text), ""

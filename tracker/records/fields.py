"""One field of a record kind: its label in the users' words, its type, its limits and its own rules.

A :class:`Field` is plain data plus three small functions: :meth:`Field.problem` (why a value is
not acceptable, worded to follow the field's label: "is required", "is too long (at most 200
characters)"), :meth:`Field.show` (a value as people read it: UK dates, vocabulary labels) and
:meth:`Field.parse` (a value from typed or spreadsheet text: ``tracker.dates.parse_uk_date`` for
dates, a code or a label in any case for a vocabulary).  A date field with ``periods`` (a due or
target date) also takes a month, a quarter or a year ("Mar 2019", "Q2 2019", "2019"), held as a
``tracker.dates.Period`` (its last day, remembering how it was written) and shown as written.  The checks that apply to one value at a
time live here and nowhere else; rules across fields are ``tracker.records.rules``.

Nothing here reads the database: a linked record is whatever the caller passes (a peewee record,
or an ID in the exchange's stored form), and only its ``is_deleted`` is looked at.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from tracker import vocab
from tracker.dates import OUT_OF_RANGE, Period, date_from_stored, format_uk_date, in_range, parse_uk_date

# Field types.
TEXT = "text"  # one line
LONG_TEXT = "long text"  # several lines (notes, descriptions, addresses)
EMAIL = "email"
URL = "url"
PHONE = "phone"
DATE = "date"
SCORE = "score"  # a whole number 1 (low) to 5 (high): the power/interest grid
CHOICE = "choice"  # a code from a vocabulary in tracker.vocab
LINK = "link"  # another record
COUNCILS = "councils"  # the councils a record belongs to (a list)
REFERENCE = "reference"  # an action's reference, assigned by the service (tracker.records.references)
TEXT_TYPES = frozenset({TEXT, LONG_TEXT, EMAIL, URL, PHONE, REFERENCE})

# Long text fits one spreadsheet cell, so that every record can be exchanged and reported.
MAX_TEXT = 32_767
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SCORES = {1: "very low", 2: "low", 3: "medium", 4: "high", 5: "very high"}

# The reasons, each worded to follow a field's label ("Email is not an email address ...").
REQUIRED = "is required"
NOT_AN_EMAIL = "is not an email address (it should look like name@example.org)"
NOT_A_WEB_ADDRESS = "must start with http:// or https://"
NOT_A_DATE = "is not a date"
NOT_A_DAY = "must be a day, not a month, quarter or year"
NOT_A_SCORE = f"must be a whole number from {min(SCORES)} (low) to {max(SCORES)} (high)"


def too_long(limit):
    return f"is too long (at most {limit:,} characters)"


def not_one_of(vocabulary):
    return f"must be one of: {', '.join(vocabulary.values())}"


def deleted_link(kind):
    return f"refers to a deleted {kind}"


def email_problem(text):
    """Why ``text`` is not an email address, or None (empty is fine: whether it is required is separate)."""
    return NOT_AN_EMAIL if text and not EMAIL_RE.match(text) else None


def web_problem(text):
    return NOT_A_WEB_ADDRESS if text and not text.lower().startswith(("http://", "https://")) else None


class FieldError(ValueError):
    """Text that cannot be read as a field's value; ``reason`` follows the field's label."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, eq=False)  # compared and hashed as themselves (a vocabulary is a dict)
class Field:
    name: str  # the record's attribute (and the services' keyword), e.g. "target_date"
    label: str  # the users' words as the form shows them, "&" before the access key: "Tar&get date"
    type: str = TEXT
    required: bool = False
    max_length: int = None  # text types
    vocabulary: dict = None  # CHOICE: code -> label, from tracker.vocab
    links_to: str = None  # LINK: the kind linked to, in users' words ("stakeholder", "council")
    minimum: int = None  # SCORE
    maximum: int = None
    hint: str = ""  # an example shown in an empty box ("name@example.org")
    short: str = ""  # a narrow list column's heading when it is not the title ("Due")
    default: Any = None  # a new record's value; a function is called each time (today's date)
    editable: bool = True  # False: the service assigns it (an action's reference)
    periods: bool = False  # DATE: a month, quarter or year is a value too (tracker.dates.Period)

    @property
    def title(self):
        """The label without its access key: headings, messages ("Target date is required.")."""
        return self.label.replace("&", "")

    @property
    def heading(self):
        """A list column's heading."""
        return self.short or self.title

    def new_value(self):
        return self.default() if callable(self.default) else self.default

    # ---- the field's own rule ----------------------------------------------------------------------
    @cached_property
    def problem(self):
        """``problem(value)``: why ``value`` cannot be stored in this field, or None; only this field is
        looked at.  A function made once for the field's type, as a bulk create runs it on every row."""
        return _checker(self)

    # ---- showing and reading ------------------------------------------------------------------------
    def show(self, value):
        """``value`` as people read it: '' for none, dd/mm/yyyy (a period as written: "Mar 2019", "Q2 2019"),
        a vocabulary's label, a record's name."""
        if value is None or value.__class__ is str and not value:
            return ""
        kind = self.type
        if kind == CHOICE:
            return vocab.label(self.vocabulary, value)
        if kind == DATE:
            return format_uk_date(date_from_stored(value) if isinstance(value, str) else value)
        if kind == COUNCILS:
            return ", ".join(str(c) for c in value)
        return value if value.__class__ is str else str(value)

    def parse(self, text):
        """The value ``text`` means (None for blank text), or FieldError saying why it means none.

        Dates are day first (``tracker.dates``); a choice is its code or its label in any case; a
        score a whole number; councils a list of names split at ";" or ",".  A link is returned as
        the text (a name or an ID): finding the record is the caller's, which has the records.
        Whether a value is acceptable (required, length, format) is :meth:`problem`.
        """
        if text is None or (isinstance(text, str) and not text.strip()):
            return [] if self.type == COUNCILS else "" if self.type in TEXT_TYPES else None
        kind = self.type
        if kind in TEXT_TYPES:
            return text if isinstance(text, str) else str(text)
        shown = str(text).strip()
        if kind == DATE:
            try:
                return parse_uk_date(shown, periods=self.periods)
            except ValueError as exc:  # tracker.dates.DateError
                raise FieldError(exc.reason) from None
        if kind == CHOICE:
            code = vocab.parse(self.vocabulary, shown)
            if code is None:
                raise FieldError(not_one_of(self.vocabulary))
            return code
        if kind == SCORE:
            try:
                number = float(shown)
            except ValueError:
                raise FieldError(NOT_A_SCORE) from None
            if not number.is_integer() or not self.minimum <= number <= self.maximum:
                raise FieldError(NOT_A_SCORE)
            return int(number)
        if kind == COUNCILS:
            return [part.strip() for part in shown.replace(",", ";").split(";") if part.strip()]
        return shown


def _checker(field):
    """The function giving ``field``'s reason for a value.  No value (None; "" too, except for a date or a
    score, where "" is the wrong type) is only wrong when the field is required; a required choice then
    says what it offers."""
    kind, required = field.type, field.required
    missing = (not_one_of(field.vocabulary) if kind == CHOICE else REQUIRED) if required else None
    if kind in TEXT_TYPES:
        limit = field.max_length
        form = email_problem if kind == EMAIL else web_problem if kind == URL else None

        def check(value):
            if value is None or value == "":
                return missing
            if value.__class__ is not str:
                return None
            found = form(value) if form is not None else None  # the format first: the more useful reason
            return too_long(limit) if found is None and len(value) > limit else found
    elif kind == CHOICE:
        vocabulary, wrong = field.vocabulary, not_one_of(field.vocabulary)

        def check(value):
            if value is None or value == "":
                return missing
            return None if value in vocabulary else wrong
    elif kind == DATE:
        periods = field.periods

        def check(value):
            if value is None:
                return missing
            if value.__class__ is not dt.date and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
                return NOT_A_DATE
            if not periods and value.__class__ is Period:
                return NOT_A_DAY
            return None if in_range(value) else OUT_OF_RANGE  # no stand-in dates such as 01/01/1900
    elif kind == SCORE:
        lowest, highest = field.minimum, field.maximum

        def check(value):
            if value is None:
                return missing
            return None if isinstance(value, int) and lowest <= value <= highest else NOT_A_SCORE
    elif kind == LINK:
        deleted = deleted_link(field.links_to)

        def check(value):
            if value is None or value.__class__ is str and not value:  # (a record's == is slow)
                return missing
            return deleted if getattr(value, "is_deleted", False) else None
    else:  # councils: the services check the records given
        def check(value):
            return None
    return check


# ---- one constructor per type, so that a kind's field list reads as a form does ----------------------
def text(name, label, max_length, **more):
    return Field(name, label, TEXT, max_length=max_length, **more)


def long_text(name, label, **more):
    return Field(name, label, LONG_TEXT, max_length=MAX_TEXT, **more)


def email(name, label, max_length, **more):
    return Field(name, label, EMAIL, max_length=max_length, **more)


def url(name, label, max_length, **more):
    return Field(name, label, URL, max_length=max_length, **more)


def phone(name, label, max_length, **more):
    return Field(name, label, PHONE, max_length=max_length, **more)


def date(name, label, **more):
    return Field(name, label, DATE, **more)


def score(name, label, **more):
    return Field(name, label, SCORE, minimum=min(SCORES), maximum=max(SCORES), **more)


def choice(name, label, vocabulary, **more):
    return Field(name, label, CHOICE, vocabulary=vocabulary, **more)


def link(name, label, to, **more):
    return Field(name, label, LINK, links_to=to, **more)


def councils(name="councils", label="Councils"):
    return Field(name, label, COUNCILS)


def reference(name, label, max_length, **more):
    return Field(name, label, REFERENCE, max_length=max_length, editable=False, **more)

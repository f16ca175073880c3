"""What a record picker offers: a kind's live records as light :class:`Choice` rows, searchable.

A picker (the owner of an action, the maker of a commitment, a person's organisation, the event a
commitment was made at) offers every live record of a kind: up to tens of thousands of
stakeholders.  :func:`of` reads them in one query as plain tuples (no model object per row), each
with what tells namesakes apart (a person's organisation and role, an event's date and place, a
commitment's maker and date made), and :meth:`Choices.search` finds any part of the name or of that
detail, ignoring case, accents and punctuation (``matching.plain``, the matcher's own folding), in
a few milliseconds at 20,000 (docs/performance.md).  Dates are shown by the registry's fields.

The list is read when a picker is first used and kept until a change to the kinds it reads is
announced (the app's pickers follow ``tracker.changes``); nothing here caches across calls.
"""

from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from peewee import JOIN

from tracker import records, vocab
from tracker.db import database
from tracker.models import Commitment, Council, Event, Stakeholder
from tracker.services.matching import plain, plain_all

DETAIL_SEPARATOR = " · "
NAME, DETAIL = itemgetter(1), itemgetter(2)  # a Choice's (or a row's) name; a Choice's detail


class Choice(NamedTuple):  # (a tuple: 20,000 are made at once)
    id: int
    name: str  # what the record is called
    detail: str = ""  # what tells it from a namesake: "Metropolitan Police · Inspector", "16/01/2019"

    @property
    def text(self):
        """The line a picker shows: "Ben Patel — Metropolitan Police · Inspector"."""
        return f"{self.name} — {self.detail}" if self.detail else self.name


class Choices:
    """One kind's choices in order, with their folded text, searched in memory."""

    def __init__(self, kind, choices):
        self.kind = kind  # the record kind in users' words: "stakeholder"
        self.choices = list(choices)
        # Folded all at once, each distinct detail once (many people share an organisation and a role),
        # and with no Python call per choice: 20,000 are folded on a picker's first use.
        self._names = plain_all(map(NAME, self.choices))
        details = list(map(DETAIL, self.choices))
        distinct = list(dict.fromkeys(details))
        details = map(dict(zip(distinct, plain_all(distinct))).__getitem__, details)
        # The name, its detail, and the name without its spaces ("obrien" finds O'Brien, "mcdonald" Mc Donald).
        squeezed = "\n".join(self._names).replace(" ", "").split("\n")
        self._keys = list(map("{} {}\n{}".format, self._names, details, squeezed))
        self._by_id = None

    def __len__(self):
        return len(self.choices)

    def get(self, record_id):
        """The choice of the record with this id, or None."""
        if self._by_id is None:
            self._by_id = {c.id: c for c in self.choices}
        return self._by_id.get(record_id)

    def search(self, text):
        """The choices whose name or detail holds every word of ``text`` (in any case, with or without
        accents and punctuation): names beginning with it first, then names holding it, then those
        found by their detail only; each group in the list's order.  Empty text: every choice."""
        query = plain(text)
        terms = query.split()
        if not terms:
            return list(self.choices)
        keys = self._keys
        terms.sort(key=len, reverse=True)  # the longest word first: it leaves the fewest to look at
        found = [i for i, key in enumerate(keys) if terms[0] in key]
        for term in terms[1:]:
            found = [i for i in found if term in keys[i]]
        names = self._names
        starts, within, other = [], [], []
        for i in found:
            name = names[i]
            (starts if name.startswith(query) else within if query in name else other).append(self.choices[i])
        return starts + within + other

    def exact(self, text):
        """The choices whose name is ``text`` (folded as :meth:`search` folds)."""
        wanted = plain(text)
        return [c for c, name in zip(self.choices, self._names) if name == wanted] if wanted else []


def _rows(query):
    """The query's rows as plain tuples, read with the driver's own cursor (peewee converts every value
    of every row: 3x the time at 20,000)."""
    sql, params = query.sql()
    return database.execute_sql(sql, params).fetchall()


def _by_name(rows):
    """Rows of (id, name, ...) read in id order, by name in any case (namesakes in id order): sorted
    here rather than in SQL (walking the name index reads the rows in random order, 2.5x as long), the
    names case-folded all at once and the sort stable on them alone."""
    folded = "\n".join(map(NAME, rows)).casefold().split("\n")
    if len(folded) != len(rows):  # a name with a line break of its own
        folded = [row[1].casefold() for row in rows]
    return list(map(rows.__getitem__, sorted(range(len(rows)), key=folded.__getitem__)))


def _detail(*parts):
    return DETAIL_SEPARATOR.join(filter(None, parts))


def _stakeholder_detail(kind, organisation, role, sector):
    if kind == "person":
        return _detail(organisation, role)
    return _detail("organisation", vocab.SECTORS.get(sector, ""))


class _Details(dict):
    """Each distinct (kind, organisation, role, sector)'s detail, made once: many people share them."""

    def __missing__(self, key):
        detail = self[key] = _stakeholder_detail(*key)
        return detail


def _choices(ids, names, details):
    """Choice rows made without a Python call each (``Choice(...)`` 20,000 times costs ~20 ms)."""
    return map(tuple.__new__, repeat(Choice), zip(ids, names, details))


def stakeholders(kind=None):
    """Live stakeholders (only organisations or only people with ``kind``), by name: a person shown
    with their organisation and role, an organisation with its sector."""
    S, O = Stakeholder, Stakeholder.alias()
    q = (S.select(S.id, S.name, S.kind, O.name, S.role, S.sector)
         .join(O, JOIN.LEFT_OUTER, on=(S.organisation == O.id))
         .where(S.deleted_at.is_null()).order_by(S.id))
    if kind:
        q = q.where(S.kind == kind)
    rows = _by_name(_rows(q))
    details = map(_Details().__getitem__, map(itemgetter(2, 3, 4, 5), rows))
    return Choices("organisation" if kind == "organisation" else "stakeholder",
                   _choices(map(itemgetter(0), rows), map(NAME, rows), details))


def organisations():
    return stakeholders("organisation")


def events():
    """Live events, newest first, each with its date and place."""
    show = records.EVENT["date"].show
    q = (Event.select(Event.id, Event.title, Event.date, Event.place).where(Event.deleted_at.is_null())
         .order_by(Event.date.desc(), Event.id.desc()))
    return Choices("event", (Choice(i, title, _detail(show(day), place)) for i, title, day, place in q.tuples()))


def commitments():
    """Live commitments by title, each with who made it and when."""
    show = records.COMMITMENT["date_made"].show
    C, S = Commitment, Stakeholder
    q = (C.select(C.id, C.title, S.name, C.date_made).join(S, on=(C.made_by == S.id))
         .where(C.deleted_at.is_null()).order_by(C.title, C.id))
    return Choices("commitment", (Choice(i, title, _detail(f"made by {maker}", show(day)))
                                  for i, title, maker, day in q.tuples()))


def councils():
    q = Council.select(Council.id, Council.name).where(Council.active == True).order_by(Council.name)
    return Choices("council", (Choice(i, name) for i, name in q.tuples()))


# What a link field's picker offers, by the kind it links to; a person's organisation is picked from
# organisations only (the registry's rule, offered rather than refused).
BY_LINK = {"stakeholder": stakeholders, "event": events, "commitment": commitments, "council": councils}
BY_FIELD = {"organisation": organisations}
# The tables whose changes change what each offers (a person's detail names their organisation).
READS = {stakeholders: ("stakeholder",), organisations: ("stakeholder",), events: ("event",),
         commitments: ("commitment", "stakeholder"), councils: ("council",)}


def for_field(field):
    """The function reading the choices a link field of the registry offers."""
    return BY_FIELD.get(field.name) or BY_LINK[field.links_to]


def describe(record):
    """A record's choice (its name and what tells it from namesakes), read from the record itself."""
    if isinstance(record, Stakeholder):
        organisation = record.organisation.name if record.kind == "person" and record.organisation_id else ""
        return Choice(record.id, record.name, _stakeholder_detail(record.kind, organisation, record.role,
                                                                  record.sector))
    if isinstance(record, Event):
        return Choice(record.id, record.title, _detail(records.EVENT["date"].show(record.date), record.place))
    if isinstance(record, Commitment):
        return Choice(record.id, record.title, _detail(f"made by {record.made_by.name}",
                                                       records.COMMITMENT["date_made"].show(record.date_made)))
    return Choice(record.id, str(record))


MODELS = {"stakeholder": Stakeholder, "organisation": Stakeholder, "event": Event, "commitment": Commitment,
          "council": Council}


def record(kind, record_id):
    """The record a choice of ``kind`` (a Choices' kind) stands for, or None when it has gone since."""
    model = MODELS[kind]
    found = model.get_or_none(model.id == record_id)
    return None if found is None or getattr(found, "is_deleted", False) else found

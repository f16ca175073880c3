"""What a list column is: its heading, the text and tint of each row, and its sort key.

A column showing a field takes its heading and the way it shows a value from the registry of
fields (``tracker.records``, :func:`field_column`).  Which columns each record kind lists is in
``ui.kinds``; the table model that shows them is ``ui.models``.  :class:`ListContext` holds the
lookups a batch of rows needs (council names, rolled-up RAG), fetched once per batch.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from PySide6.QtGui import QColor

from tracker import records, services, vocab
from tracker.dates import format_local_time
from tracker.services import merges

# Translucent tints read on light and dark palettes alike; the text always says the status too.
RED, AMBER, GREEN, GREY = (QColor(220, 40, 40, 90), QColor(240, 160, 0, 100), QColor(40, 170, 60, 90),
                           QColor(128, 128, 128, 60))
RAG_TINT = {"R": RED, "A": AMBER, "G": GREEN}
ACTION_STATUS_TINT = {"blocked": RED, "in_progress": AMBER, "done": GREEN, "cancelled": GREY}
COMMITMENT_STATUS_TINT = {"lapsed": RED, "withdrawn": GREY, "in_progress": AMBER, "agreed": AMBER,
                          "achieved": GREEN}


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable  # record -> str
    sort: str = None  # the service's sort key, None when not sortable
    tint: Callable = None  # record -> QColor or None
    key: bool = True  # shown by default; the others wait in the header's menu (a 1366-pixel screen fits the keys)
    elastic: bool = False  # takes the width the others leave (a title or name, elided when narrow)


def field_column(field, sort=False, text=None, tint=None, key=True, elastic=False):
    """A column for a field of the registry: its heading, and each value as the field shows it
    (dd/mm/yyyy, a vocabulary's label, a linked record's name) unless ``text`` says otherwise.
    ``sort``: the list sorts by the field (the service's sort key of the same name)."""
    return Column(field.heading, text or _shown(field), field.name if sort else None, tint, key, elastic)


def _shown(field):
    name, show = field.name, field.show
    if field.type != records.LINK:
        return lambda r: show(getattr(r, name))
    linked_id = f"{name}_id"  # an empty link is empty without asking the database
    return lambda r: show(getattr(r, name)) if getattr(r, linked_id) is not None else ""


local_time = format_local_time  # a stored naive-UTC timestamp as local dd/mm/yyyy hh:mm


# The deleted-items view sorts by the last change, which for a deleted record is its deletion.
DELETED_COLUMN = Column("Deleted on", lambda r: local_time(r.deleted_at), "updated")


def is_overdue_action(a):
    return bool(a.due_date and a.due_date < dt.date.today() and a.status not in vocab.ACTION_CLOSED)


def action_status_tint(a):
    return RED if is_overdue_action(a) else ACTION_STATUS_TINT.get(a.status)


def action_status_text(a):
    text = records.ACTION["status"].show(a.status)
    return f"{text} (overdue)" if is_overdue_action(a) else text


class ListContext:
    """Lookups a page of rows needs, fetched once per batch rather than once per cell."""

    def __init__(self):
        self._councils = None
        self._rags = {}
        self._merged = {}  # (stakeholder id, version) -> what a merge retired it into, or None

    def council_name(self, council_id):
        if council_id is None:
            return ""
        if self._councils is None:
            self._councils = {c.id: c.name for c in services.councils.all_councils(include_inactive=True)}
        return self._councils.get(council_id, "")

    def load_rags(self, commitments):
        self._rags.update(services.commitments.rolled_up_rags(commitments))

    def rag(self, commitment):
        return self._rags.get(commitment.id, commitment.rag)

    def load_merges(self, stakeholders):
        """What merges retired the (deleted) stakeholders of a batch into, looked up once for the batch."""
        found = merges.merged_into_many(stakeholders)
        self._merged.update({(s.id, s.version): found.get(s.id) for s in stakeholders})

    def merged_into(self, stakeholder):
        """The record a merge retired a stakeholder into, "X (ID n)", else "" (asked once per record version)."""
        key = (stakeholder.id, stakeholder.version)
        if key not in self._merged:
            self.load_merges([stakeholder])
        into = self._merged[key]
        return f"{into[2]} (ID {into[1]})" if into else ""

    def looked_up(self, record):
        """What was looked up for ``record`` (compared before and after reading the lookups again)."""
        return self._rags.get(record.id)

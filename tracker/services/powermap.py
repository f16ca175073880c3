"""The power/interest map's data: who sits where (influence x interest, 1-5), now or as of a date.

A map *as of* a date is rebuilt from the audit trail: a stakeholder's score then is the old value
of the first change to it after that day, or its value now when nothing changed since.  Who was
not yet there is left out: created here after the day (``created_at``), or added by an import
after it (the import's list of what it added, ``ImportChange.added``; an imported record's own
``created_at`` is the exporting council's).  Who was deleted by the end of the day is left out too,
whatever happened since: the first change to ``deleted_at`` after the day says whether the record was deleted
then (its old value), so one deleted before and restored after is not on the map; one deleted after
the day was still there.
Kind, sector, council and tag filter on today's values.

Fast at tens of thousands of stakeholders: today's map is one query; a dated map adds one query
for the later score changes and one for the imports' added lists, never one per stakeholder.
What this module does not do: change a score (``services.stakeholders.update``, validated by the
field registry and audited like any edit) or draw anything (``ui.powermap``).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from peewee import JOIN, fn

from tracker import vocab
from tracker.db import database
from tracker.models import AuditEntry, Event, ImportChange, ImportRun, Stakeholder
from tracker.services.stakeholders import quadrant, stakeholders

SCORES = (1, 2, 3, 4, 5)
SCORE_FIELDS = ("influence", "interest")


class MapPoint(NamedTuple):  # a tuple: 20,000 of them are made in a few milliseconds
    id: int
    uuid: str  # 32 hex digits
    name: str
    organisation: str  # the organisation a person belongs to ("" for none, and for organisations)
    kind: str
    sector: str
    influence: int = None
    interest: int = None

    @property
    def scored(self):
        return self.influence is not None and self.interest is not None

    @property
    def cell(self):
        return (self.influence, self.interest)

    @property
    def quadrant(self):
        return quadrant(self.influence, self.interest)


@dataclass
class MapSnapshot:
    points: list  # scored MapPoints, by name
    unscored: list  # MapPoints missing a score, by name
    as_of: dt.date = None  # None: today

    def quadrant_counts(self):
        counts = Counter(p.quadrant for p in self.points)
        return {key: counts.get(key, 0) for key in vocab.GRID_QUADRANTS}

    def cell_counts(self):
        return Counter(p.cell for p in self.points)

    def by_id(self):
        return {p.id: p for p in self.points}


@dataclass(frozen=True)
class Move:
    before: MapPoint  # where it sat at the earlier date
    after: MapPoint  # where it sits at the later date (or now)


def snapshot(filters=None, as_of=None):
    """The map now (``as_of`` None) or at the end of the day ``as_of``: a :class:`MapSnapshot`.
    ``filters`` is the stakeholders' services filter dict (council, kind, sector, tag, ...)."""
    S = Stakeholder
    Org = Stakeholder.alias("org")
    columns = (S.id, S.uuid, S.name, fn.COALESCE(Org.name, ""), S.kind, S.sector, S.influence, S.interest)
    q = S.select(*columns).join(Org, join_type=JOIN.LEFT_OUTER, on=(S.organisation == Org.id))
    if filters:
        q = stakeholders.apply_filters(q, filters)
    if as_of is None:
        q = q.where(S.deleted_at.is_null())
        rows = _points(q)
    else:
        cutoff = _end_of(as_of)
        deleted_or_restored_since = (AuditEntry.select(AuditEntry.record_uuid)
                                     .where(AuditEntry.table == S._meta.table_name, AuditEntry.field == "deleted_at",
                                            AuditEntry.at >= cutoff))
        q = q.where(S.deleted_at.is_null() | (S.deleted_at >= cutoff) | S.uuid.in_(deleted_or_restored_since),
                    S.created_at < cutoff)
        rows = _as_of(_points(q), cutoff)
    return MapSnapshot([p for p in rows if p.scored], [p for p in rows if not p.scored], as_of)


def moves(filters=None, since=None, until=None):
    """Who sits in another cell at ``until`` (None: now) than at ``since``: [:class:`Move`], by name.
    Those absent at ``since`` (not yet created or imported) or unscored at either date are not moves."""
    before = snapshot(filters, since).by_id()
    after = snapshot(filters, until).points
    return [Move(before[p.id], p) for p in after if p.id in before and before[p.id].cell != p.cell]


def history_events():
    """Live events as (id, date, title), oldest first: the dates a map can be shown as of."""
    E = Event
    return list(E.select(E.id, E.date, E.title).where(E.deleted_at.is_null())
                .order_by(E.date, E.id).tuples())


def tags():
    """The tags live stakeholders carry, sorted ignoring case (one query over the distinct lists)."""
    S = Stakeholder
    found = {}
    for (text,) in S.select(S.tags).where(S.deleted_at.is_null(), S.tags != "").distinct().tuples():
        for tag in text.split(","):
            if tag.strip():
                found.setdefault(tag.strip().lower(), tag.strip())
    return sorted(found.values(), key=str.lower)


def summary_text(snap):
    """The map in words (its text alternative): counts per quadrant, then those not scored."""
    counts = snap.quadrant_counts()
    parts = [f"{vocab.GRID_QUADRANTS[key]}: {counts[key]}" for key in vocab.GRID_QUADRANTS]
    parts.append(f"Not scored: {len(snap.unscored)}")
    return " · ".join(parts)


def _points(query):
    """The query's rows as MapPoints by name, read with the driver's own cursor (peewee converting
    every value of 20,000 rows took most of a second) and sorted here rather than in SQL (see
    ``services.choices``)."""
    sql, params = query.sql()
    rows = database.execute_sql(sql, params).fetchall()
    if rows and not (isinstance(rows[0][1], str) and len(rows[0][1]) == 32):  # PostgreSQL's uuid type
        rows = [(r[0], _hex(r[1]), *r[2:]) for r in rows]
    make = MapPoint._make
    return [make(row) for row in sorted(rows, key=lambda row: (row[2], row[0]))]


def _hex(value):
    return value.replace("-", "") if isinstance(value, str) else value.hex


def _end_of(day):
    """The first moment (UTC, as the trail stores it) after ``day``."""
    if isinstance(day, dt.datetime):
        return day
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _as_of(rows, cutoff):
    """``rows`` as they stood at ``cutoff``: two queries whatever their number."""
    imported = _imported_after(cutoff)
    rows = [p for p in rows if p.uuid not in imported]
    A = AuditEntry
    sql, params = (A.select(A.record_uuid, A.field, A.old_value)
                   .where(A.table == Stakeholder._meta.table_name, A.field.in_((*SCORE_FIELDS, "deleted_at")),
                          A.at >= cutoff)
                   .order_by(A.at.desc(), A.id.desc()).sql())
    later = database.execute_sql(sql, params).fetchall()
    then = {}
    for record_uuid, field, old in later:  # newest first: the last one kept is the first change after the day
        then[(_hex(record_uuid), field)] = old
    if not then:
        return rows
    out = []
    for p in rows:
        if then.get((p.uuid, "deleted_at"), "") not in (None, ""):  # deleted then (restored since)
            continue
        changed = {f: _score(then[(p.uuid, f)]) for f in SCORE_FIELDS if (p.uuid, f) in then}
        out.append(p._replace(**changed) if changed else p)
    return out


def _score(text):
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:  # not a score (a damaged entry): shown as not scored rather than refused
        return None


def _imported_after(cutoff):
    """The UUIDs (hex) of stakeholders an import after ``cutoff`` added."""
    q = (ImportChange.select(ImportChange.added).join(ImportRun)
         .where(ImportChange.table == Stakeholder._meta.table_name, ImportChange.kind == "add",
                ImportRun.at >= cutoff).tuples())
    return {item.split(":", 1)[0] for (added,) in q for item in (added or "").split()}

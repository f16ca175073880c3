"""The dashboard's figures: what needs attention, and the charts' numbers, each computed in SQL.

:func:`dashboard` reads everything the home page and the board pack show in a fixed number of
aggregate queries (:data:`QUERIES`), whatever the size of the database: no record is read to be
counted in Python.  A council filter counts records as the action log does (the services' own
``council`` filter: an action by its council, a commitment or a stakeholder by its councils), and
each tile's and bar's :class:`Link` is the services filter dict its list is shown with, so a click
lands on exactly the rows counted.  No Qt here: the charts are drawn by ``ui.charts``.

History (opened, closed, overdue over time) comes from the audit trail: an action is opened when
its creation entry was written, or, when an exchange import added it (no entry of its own), at that
import: imported records' history starts at their import; it is closed when its status last became
done or cancelled.
"""

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, SQL, Case, fn

from tracker import vocab
from tracker.dates import add_months
from tracker.models import (
    ActionItem,
    AuditEntry,
    Commitment,
    CommitmentCouncil,
    Council,
    Event,
    ImportRun,
    Stakeholder,
)
from tracker.services.actions import actions as action_service
from tracker.services.commitments import ATTENTION_DAYS, rolled_up_rag_sql
from tracker.services.commitments import commitments as commitment_service
from tracker.services.events import events as event_service
from tracker.services.stakeholders import stakeholders as stakeholder_service

UPCOMING_DAYS = 30
UPCOMING_ROWS = 40  # the upcoming list shows at most this many (each kind read up to it)
NOT_ENGAGED_MONTHS = 6
TOP_OWNERS = 10
MONTHS = 12
QUERIES = 9  # what dashboard() costs, whatever the size (a test holds it to this)


@dataclass(frozen=True)
class Link:
    """What a click opens: a list (``kind``) shown with ``filters`` (a services filter dict), or one
    record of it (``record_id``); ``words`` says what it shows."""

    kind: str
    filters: dict = field(default_factory=dict)
    words: str = ""
    record_id: int = None


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    count: int
    link: Link


@dataclass(frozen=True)
class CouncilCommitments:
    council_id: int  # None: commitments with no council
    name: str
    code: str
    by_status: dict  # status code -> n
    by_rag: dict  # "R"/"A"/"G"/None -> n


@dataclass(frozen=True)
class Month:
    start: dt.date  # its first day
    end: dt.date  # the day counted at: its last day, or today for this month
    opened: int
    closed: int
    overdue: int  # outstanding and past due at ``end``


@dataclass(frozen=True)
class OwnerLoad:
    organisation_id: int
    name: str
    overdue: int
    open: int


@dataclass(frozen=True)
class Upcoming:
    date: dt.date
    kind: str  # the list it opens in: "events", "actions", "commitments"
    record_id: int
    what: str  # "Event", "Action due", "Commitment due"
    text: str


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    council_id: int
    council_name: str
    tiles: list
    totals: dict
    commitments: list
    months: list
    owners: list
    upcoming: list

    @property
    def is_empty(self):
        return not any(self.totals.values())

    def tile(self, key):
        return next(t for t in self.tiles if t.key == key)


def dashboard(council=None, today=None, history=True):
    """Everything the dashboard shows, for ``council`` (None: all; a Council or its id), as of ``today``.
    ``history=False`` leaves ``months`` None (the window reads them after its first paint: :func:`months`)."""
    today = today or dt.date.today()
    council_id = getattr(council, "id", council)
    council_name = "All councils"
    if council_id is not None:
        council_name = Council.get_by_id(council_id).name  # 1 query
    scope = {"council": council_id} if council_id is not None else {}
    load = action_load(scope, today)
    tiles, totals = tiles_and_totals(scope, today, council_name, load)
    return Dashboard(today, council_id, council_name, tiles, totals, commitments_by_council(scope, today),
                     months(scope, today) if history else None, load[2], upcoming(scope, today))


TILES = (  # key, title, list, its filters (the services'), in words
    ("overdue", "Overdue actions", "actions", {"overdue": True}, "Overdue actions"),
    ("attention", "Commitments needing attention", "commitments", {"attention": True},
     f"Commitments overdue, due within {ATTENTION_DAYS} days or red"),
    ("no_owner", "Open actions with no owner", "actions", {"open": True, "no_owner": True},
     "Open actions with no owner"),
    ("not_engaged", f"Partners not engaged for {NOT_ENGAGED_MONTHS} months", "stakeholders",
     {"not_engaged": NOT_ENGAGED_MONTHS},
     f"Partners (organisations) with no attendance and no update for {NOT_ENGAGED_MONTHS} months"),
)
SERVICES = {"stakeholders": stakeholder_service, "events": event_service, "commitments": commitment_service,
            "actions": action_service}


def _rule(service, filters):
    """The condition ``service``'s filters put on a record (its own rule, not a copy of it)."""
    return service.apply_filters(service.model.select(), filters)._where


def tiles_and_totals(scope, today, council_name, load=None):
    """The four counts that need attention, each a link to its list, and the live records of each kind
    (3 queries: one pass over each kind, every count of that kind a SUM of its filter's condition; the
    actions' from :func:`action_load`'s ``load``, read here when not given: +1)."""
    where = "" if council_name == "All councils" else f" in {council_name}"
    total, counts, _ = load or action_load(scope, today)
    counts, totals = dict(counts), {"actions": total}
    for kind, service in SERVICES.items():
        if kind == "actions":
            continue
        mine = [(key, filters) for key, _, list_kind, filters, _ in TILES if list_kind == kind]
        M = service.model
        columns = [fn.SUM(Case(None, [(_rule(service, {**filters, "today": today}), 1)], 0)) for _, filters in mine]
        q = service.apply_filters(M.select(fn.COUNT(M.id), *columns).where(M.deleted_at.is_null()), scope)
        total, *numbers = q.tuples().get()
        totals[kind] = int(total or 0)
        counts.update((key, int(n or 0)) for (key, _), n in zip(mine, numbers))
    out = []
    for key, title, kind, filters, words in TILES:
        filters = {**filters, **scope}
        if today != dt.date.today():
            filters = {**filters, "today": today}  # the list counts as the tile did (as of that date)
        out.append(Tile(key, title, counts[key], Link(kind, filters, words + where)))
    return out, totals


def commitments_by_council(scope, today):
    """Per council: its live commitments by status and by RAG (rolled up from the actions, as the list
    shows it) (1 query: the commitments counted per council link, status and RAG, then the few groups
    named from the councils); a commitment linked to two councils counts under each."""
    C, L = Commitment, CommitmentCouncil
    counted = (C.select(L.council.alias("council_id"), C.status.alias("status"),
                        rolled_up_rag_sql(today).alias("rolled_rag"), fn.COUNT(C.id).alias("n"))
               .join(L, JOIN.LEFT_OUTER, on=(L.commitment == C.id))
               .where(C.deleted_at.is_null()))
    counted = commitment_service.apply_filters(counted, scope)
    if scope.get("council"):
        counted = counted.where(L.council == scope["council"])
    counted = counted.group_by(L.council, C.status, SQL('"rolled_rag"')).alias("counted")
    c = counted.c
    q = (Council.select(c.council_id, Council.name, Council.code, c.status, c.rolled_rag, c.n).from_(counted)
         .join(Council, JOIN.LEFT_OUTER, on=(Council.id == c.council_id))
         .order_by(c.council_id, c.status, c.rolled_rag))
    per = {}
    for cid, name, code, status, rag, n in q.tuples():
        entry = per.setdefault(cid, (name or "No council", code or "—", {}, {}))
        entry[2][status] = entry[2].get(status, 0) + n
        entry[3][rag] = entry[3].get(rag, 0) + n
    ordered = sorted(per.items(), key=lambda kv: kv[0] is None)
    return [CouncilCommitments(cid, name, code, by_status, by_rag) for cid, (name, code, by_status, by_rag) in ordered]


def _month_ends(today):
    starts = [add_months(today.replace(day=1), n - MONTHS + 1) for n in range(MONTHS)]
    ends = [add_months(s, 1) - dt.timedelta(days=1) for s in starts[:-1]] + [today]
    return starts, ends


def months(scope, today):
    """The last 12 months of actions: opened, closed, and outstanding-and-overdue at each month's end
    (1 query).  Each action's opening and last closing come from one pass over the trail's creation and
    closing entries (grouped per record, joined once); the actions are then counted per month opened,
    month closed and the first month whose end their due date falls before, some hundreds of groups
    whatever the size, which say every month's counts."""
    A, E = ActionItem, AuditEntry
    closed = sorted(vocab.ACTION_CLOSED)
    is_creation, is_closing = E.operation == "create", (E.field == "status") & E.new_value.in_(closed)
    trail = (E.select(E.record_uuid.alias("uuid"), fn.MIN(Case(None, [(is_creation, E.at)])).alias("created"),
                      fn.MAX(Case(None, [(is_closing, E.at)])).alias("closing"))
             .where(E.table == A._meta.table_name, is_creation | is_closing)
             .group_by(E.record_uuid).alias("action_trail"))
    at_import = ImportRun.select(fn.MIN(ImportRun.at)).where(ImportRun.at >= A.created_at)
    opened = fn.COALESCE(trail.c.created, at_import, A.created_at)
    closed_at = Case(None, [(A.status.in_(closed), fn.COALESCE(trail.c.closing, opened))], None)
    month = lambda column: fn.SUBSTR(column.cast("TEXT"), 1, 7)  # "2026-11" on SQLite and PostgreSQL
    starts, ends = _month_ends(today)
    # The first month at whose end the action is past due (due before that day); MONTHS: none (or no due date).
    past_due_from = Case(None, [(A.due_date < end, i) for i, end in enumerate(ends)], MONTHS)
    q = (A.select(month(opened), month(closed_at), past_due_from, fn.COUNT(A.id))
         .join(trail, JOIN.LEFT_OUTER, on=(trail.c.uuid == A.uuid))
         .where(A.deleted_at.is_null()))
    q = action_service.apply_filters(q, scope).group_by(SQL("1"), SQL("2"), SQL("3"))
    keys = [f"{start:%Y-%m}" for start in starts]
    opened_n, closed_n, overdue_n = [0] * MONTHS, [0] * MONTHS, [0] * MONTHS
    for opened_key, closed_key, first_past_due, n in q.tuples():
        if opened_key in keys:
            opened_n[keys.index(opened_key)] += n
        if closed_key in keys:
            closed_n[keys.index(closed_key)] += n
        for i in range(int(first_past_due), MONTHS):  # outstanding and past due at the month's end
            if opened_key <= keys[i] and (closed_key is None or closed_key > keys[i]):
                overdue_n[i] += n
    return [Month(start, end, opened_n[i], closed_n[i], overdue_n[i])
            for i, (start, end) in enumerate(zip(starts, ends))]


def action_load(scope, today):
    """The actions' live total, their tile counts (overdue, open with no owner) and the owner
    organisations with the most overdue actions (then the most open), top 10, in 1 query (+1 when no
    action is open): one pass over the open actions grouped per owner (along the covering index
    ``models.DASHBOARD_INDEX_COLUMNS``: no sort, no row fetched from the table; a closed action is
    passed over on the index's status before anything is summed), then the few thousand owners summed
    per organisation and ranked, so that only the top ones (ties included) and the actions of no owner
    are read: the overdue of all is a window sum beside them, the live total a sub-select.  An action
    owned by a person counts for the person's organisation; the open actions of no owner are the "no
    owner" tile.  Returns ``(total, {"overdue": n, "no_owner": n}, [OwnerLoad])``."""
    A, P, O = ActionItem, Stakeholder.alias("owner_person"), Stakeholder.alias("owner_organisation")
    is_overdue = _rule(action_service, {"overdue": True, "today": today})
    live = action_service.apply_filters(A.select(fn.COUNT(A.id)).where(A.deleted_at.is_null()), scope)
    per_owner = (A.select(A.owner.alias("owner_id"), fn.COUNT(A.id).alias("n_open"),
                          fn.SUM(Case(None, [(is_overdue, 1)], 0)).alias("n_overdue"))
                 .where(A.deleted_at.is_null()))
    per_owner = action_service.apply_filters(per_owner, {**scope, "open": True}).group_by(A.owner).alias("per_owner")
    c, organisation = per_owner.c, fn.COALESCE(P.organisation, P.id)
    per_organisation = (P.select(organisation.alias("organisation_id"), fn.SUM(c.n_overdue).alias("n_overdue"),
                                 fn.SUM(c.n_open).alias("n_open"))
                        .from_(per_owner).join(P, JOIN.LEFT_OUTER, on=(P.id == c.owner_id)).group_by(organisation))
    g = per_organisation.c
    ranked = per_organisation.select_from(
        g.organisation_id, g.n_overdue, g.n_open, fn.SUM(g.n_overdue).over().alias("all_overdue"),
        live.alias("live_total"), fn.RANK().over(order_by=[g.n_overdue.desc(), g.n_open.desc()]).alias("place")
    ).alias("ranked")
    # Only the top ones are named; the no-owner row takes at most one place: the top ten rank within eleven.
    r = ranked.c
    q = (O.select(r.organisation_id, O.name, r.n_overdue, r.n_open, r.all_overdue, r.live_total).from_(ranked)
         .join(O, JOIN.LEFT_OUTER, on=(O.id == r.organisation_id))
         .where((r.place <= TOP_OWNERS + 1) | r.organisation_id.is_null()))
    total, counts, loads = None, {"overdue": 0, "no_owner": 0}, []
    for organisation_id, name, n_overdue, n_open, all_overdue, total in q.tuples():
        counts["overdue"] = int(all_overdue or 0)
        if organisation_id is None:  # the actions of no owner
            counts["no_owner"] = int(n_open or 0)
        else:
            loads.append(OwnerLoad(organisation_id, name, int(n_overdue or 0), int(n_open or 0)))
    if total is None:  # no action is open: no row carried the total
        total = live.scalar()
    loads.sort(key=lambda load: (-load.overdue, -load.open, load.name or ""))
    return int(total), counts, loads[:TOP_OWNERS]


def owners(scope, today):
    """The owner organisations with the most overdue actions (then the most open), top 10 (1 query)."""
    return action_load(scope, today)[2]


def upcoming(scope, today):
    """Events, outstanding actions and commitments falling in the next 30 days, by date (3 queries)."""
    until = today + dt.timedelta(days=UPCOMING_DAYS)
    found = []
    events = event_service.apply_filters(Event.select(Event.id, Event.date, Event.title, Event.place)
                                         .where(Event.deleted_at.is_null()),
                                         {**scope, "after": today, "before": until})
    for eid, day, title, place in events.order_by(Event.date, Event.id).limit(UPCOMING_ROWS).tuples():
        found.append(Upcoming(day, "events", eid, "Event", f"{title}" + (f", {place}" if place else "")))
    A = ActionItem
    due = {**scope, "due_within": UPCOMING_DAYS, "today": today}
    acts = (A.select(A.id, A.due_date, A.reference, A.title, Stakeholder.name)
            .join(Stakeholder, JOIN.LEFT_OUTER, on=(A.owner == Stakeholder.id)).where(A.deleted_at.is_null()))
    for aid, day, ref, title, owner in (action_service.apply_filters(acts, due).order_by(A.due_date, A.id)
                                        .limit(UPCOMING_ROWS).tuples()):
        found.append(Upcoming(_day(day), "actions", aid, "Action due",
                              f"{ref} {title}" + (f" — {owner}" if owner else " — no owner")))
    C = Commitment
    coms = (C.select(C.id, C.target_date, C.title, Stakeholder.name)
            .join(Stakeholder, on=(C.made_by == Stakeholder.id)).where(C.deleted_at.is_null()))
    for cid, day, title, maker in (commitment_service.apply_filters(coms, due).order_by(C.target_date, C.id)
                                   .limit(UPCOMING_ROWS).tuples()):
        found.append(Upcoming(_day(day), "commitments", cid, "Commitment due", f"{title} — {maker}"))
    order = {"events": 0, "commitments": 1, "actions": 2}
    return sorted(found, key=lambda u: (u.date, order[u.kind], u.record_id))[:UPCOMING_ROWS]


def _day(value):
    """A date read as a plain column (PostgreSQL: a date; SQLite through a bare select: ISO text)."""
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value

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
from tracker.models import ActionItem, AuditEntry, Commitment, CommitmentCouncil, Council, Event, ImportRun, Stakeholder
from tracker.services.actions import actions as action_service
from tracker.services.commitments import ATTENTION_DAYS, commitments as commitment_service, rolled_up_rag_sql
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
    shows it) (1 query); a commitment linked to two councils counts under each."""
    C, L = Commitment, CommitmentCouncil
    rag = rolled_up_rag_sql(today)
    q = (C.select(Council.id, Council.name, Council.code, C.status, rag.alias("rolled_rag"), fn.COUNT(C.id))
         .join(L, JOIN.LEFT_OUTER, on=(L.commitment == C.id))
         .join(Council, JOIN.LEFT_OUTER, on=(L.council == Council.id))
         .where(C.deleted_at.is_null()))
    q = commitment_service.apply_filters(q, scope)
    if scope.get("council"):
        q = q.where(Council.id == scope["council"])
    q = q.group_by(Council.id, Council.name, Council.code, C.status, SQL('"rolled_rag"')).order_by(Council.id)
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
    (1 query: each action's opening and closing read once, in a materialised CTE, from the audit trail)."""
    A, E = ActionItem, AuditEntry
    closed = sorted(vocab.ACTION_CLOSED)
    table = A._meta.table_name
    created = (E.select(E.record_uuid.alias("uuid"), fn.MIN(E.at).alias("at"))
               .where(E.table == table, E.operation == "create").group_by(E.record_uuid).alias("created_entry"))
    closing = (E.select(E.record_uuid.alias("uuid"), fn.MAX(E.at).alias("at"))
               .where(E.table == table, E.field == "status", E.new_value.in_(closed))
               .group_by(E.record_uuid).alias("closing_entry"))
    at_import = ImportRun.select(fn.MIN(ImportRun.at)).where(ImportRun.at >= A.created_at)
    opened = fn.COALESCE(created.c.at, at_import, A.created_at)
    history = (A.select(A.due_date.alias("due"), opened.alias("opened_at"),
                        Case(None, [(A.status.in_(closed), fn.COALESCE(closing.c.at, opened))], None)
                        .alias("closed_at"))
               .join(created, JOIN.LEFT_OUTER, on=(created.c.uuid == A.uuid))
               .join_from(A, closing, JOIN.LEFT_OUTER, on=(closing.c.uuid == A.uuid))
               .where(A.deleted_at.is_null()))
    history = action_service.apply_filters(history, scope).alias("action_history")
    month = lambda column: fn.SUBSTR(column.cast("TEXT"), 1, 7)  # noqa: E731 - "2026-11" on SQLite and PostgreSQL
    # Grouped by the month each action opened and closed in and its due date: some thousands of rows
    # at 100k actions, which say every month's counts (the 36 comparisons per action cost seconds).
    q = (A.select(month(history.c.opened_at), month(history.c.closed_at), history.c.due, fn.COUNT(SQL("*")))
         .from_(history).group_by(SQL("1"), SQL("2"), SQL("3")))
    starts, ends = _month_ends(today)
    keys = [f"{start:%Y-%m}" for start in starts]
    opened_n, closed_n, overdue_n = [0] * MONTHS, [0] * MONTHS, [0] * MONTHS
    for opened_key, closed_key, due, n in q.tuples():
        if opened_key in keys:
            opened_n[keys.index(opened_key)] += n
        if closed_key in keys:
            closed_n[keys.index(closed_key)] += n
        due = _day(due)
        for i, end in enumerate(ends):  # outstanding and past due at the month's end
            if opened_key <= keys[i] and due is not None and due < end and (closed_key is None or closed_key > keys[i]):
                overdue_n[i] += n
    return [Month(start, end, opened_n[i], closed_n[i], overdue_n[i])
            for i, (start, end) in enumerate(zip(starts, ends))]


def action_load(scope, today):
    """The actions' live total, their tile counts (overdue, open with no owner) and the owner
    organisations with the most overdue actions (then the most open), top 10, in 1 query: one pass
    over the actions grouped per owner (along the covering index
    ``models.DASHBOARD_INDEX_COLUMNS``: no sort, no row fetched from the table), then the few
    thousand owners summed per organisation.  An action owned by a person counts for the person's
    organisation; the open actions of no owner are the "no owner" tile.
    Returns ``(total, {"overdue": n, "no_owner": n}, [OwnerLoad])``."""
    A, P, O = ActionItem, Stakeholder.alias("owner_person"), Stakeholder.alias("owner_organisation")
    is_open = _rule(action_service, {"open": True})
    is_overdue = _rule(action_service, {"overdue": True, "today": today})
    per_owner = (A.select(A.owner.alias("owner_id"), fn.COUNT(A.id).alias("n"),
                          fn.SUM(Case(None, [(is_overdue, 1)], 0)).alias("n_overdue"),
                          fn.SUM(Case(None, [(is_open, 1)], 0)).alias("n_open"))
                 .where(A.deleted_at.is_null()))
    per_owner = action_service.apply_filters(per_owner, scope).group_by(A.owner).alias("per_owner")
    c, organisation = per_owner.c, fn.COALESCE(P.organisation, P.id)
    q = (P.select(organisation, O.name, fn.SUM(c.n), fn.SUM(c.n_overdue), fn.SUM(c.n_open)).from_(per_owner)
         .join(P, JOIN.LEFT_OUTER, on=(P.id == c.owner_id))
         .join(O, JOIN.LEFT_OUTER, on=(O.id == organisation))
         .group_by(organisation, O.name))
    total, counts, loads = 0, {"overdue": 0, "no_owner": 0}, []
    for organisation_id, name, n, n_overdue, n_open in q.tuples():
        n, n_overdue, n_open = int(n or 0), int(n_overdue or 0), int(n_open or 0)
        total += n
        counts["overdue"] += n_overdue
        if organisation_id is None:  # the actions of no owner
            counts["no_owner"] = n_open
        elif n_open:
            loads.append(OwnerLoad(organisation_id, name, n_overdue, n_open))
    loads.sort(key=lambda load: (-load.overdue, -load.open, load.name or ""))
    return total, counts, loads[:TOP_OWNERS]


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

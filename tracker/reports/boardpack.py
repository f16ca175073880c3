"""What goes into the board pack: the partnership's state on a date, for the quarterly board.

A :class:`BoardPack` holds the cover's words (the partnership, the council filter written in full,
the date), the key figures and three tables, each a :class:`~tracker.reports.rows.Report` so the
app lays them out as it lays out the action log: overdue actions (oldest first), commitments
needing attention (overdue, due within 30 days, or red) and upcoming events (the next 30 days).
The rows come from the action log and the commitment register (:mod:`tracker.reports.rows`), so a
board pack and a report never disagree about an action.

"As of" a date: overdue and due-soon are counted from that date, on today's records (what is in the
database now, not what it held then).  A council filter counts records as the action log does: an
action or event by its council, a commitment by its councils (a tri-borough record is not counted
for Havering alone).  The charts and the map are the app's (drawn by ``ui``); no Qt here.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from tracker import records, services
from tracker.dates import format_uk_date
from tracker.reports import rows as reports
from tracker.reports.rows import Column, Report, action_log, commitment_register

PARTNERSHIP = "Tri-borough Serious Violence Partnership"
TITLE = "Board pack"
SOON_DAYS = 30  # due soon, upcoming: the next 30 days, as the dashboard counts them

OVERDUE_TITLE = "Overdue actions"
ATTENTION_TITLE = "Commitments needing attention"
UPCOMING_TITLE = "Upcoming events"

_OVERDUE_KEYS = ("reference", "title", "owner", "organisation", "council", "due_date", "days_overdue", "status",
                 "update_text")
_ATTENTION_KEYS = ("partner", "title", "councils", "target_date", "status", "rag", "attention", "overdue_actions",
                   "evidence")
_E = records.EVENT
EVENT_COLUMNS = [
    Column.of(_E["date"], 10.5),
    Column("Event", "title", 40, "wrap"),
    Column.of(_E["kind"], 14),
    Column.of(_E["place"], 30, wrap=True),
    Column.of(_E["council"], 20, wrap=True),
]
ATTENTION_COLUMN = Column("Why it needs attention", "attention", 20, "wrap")


@dataclass
class BoardPack:
    partnership: str
    council: str | None  # the council's name in full, or None for all of them
    council_text: str  # the filter in words: "All councils (Barking and Dagenham, ...)" or "Havering"
    as_of: dt.date
    generated_at: dt.datetime
    generated_by: str
    figures: dict  # {label: number}, the cover's key figures, in order
    overdue: Report
    attention: Report
    upcoming: Report

    title = TITLE

    @property
    def as_of_text(self):
        return f"As of {format_uk_date(self.as_of)}"

    @property
    def generated_text(self):
        return f"Generated on {self.generated_at:%d/%m/%Y %H:%M} by {self.generated_by}"

    @property
    def sections(self):
        return [self.overdue, self.attention, self.upcoming]


def council_named(name):
    """The council called ``name`` (its name or code, any case); NotFoundError names the known ones."""
    return services.councils.find(name)


def council_filter_text(council):
    if council is not None:
        return council.name
    names = [c.name for c in services.councils.all_councils()]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    return f"All councils ({listed})"


def board_pack(council=None, as_of=None, progress=None):
    """The :class:`BoardPack` for ``council`` (a name, a Council, or None for all) as of ``as_of``.

    ``progress(done, total)`` is passed to the reports' gathering (it may raise to stop).
    """
    if isinstance(council, str):
        council = council_named(council)
    as_of = as_of or dt.date.today()
    overdue = overdue_actions(council, as_of, progress)
    attention = commitments_needing_attention(council, as_of, progress)
    upcoming = upcoming_events(council, as_of)
    open_actions = services.actions.count(filters={**_where(council), "open": True})
    figures = {
        "Open actions": open_actions,
        "Overdue actions": len(overdue.rows),
        "Commitments needing attention": len(attention.rows),
        f"Events in the next {SOON_DAYS} days": len(upcoming.rows),
    }
    return BoardPack(PARTNERSHIP, council.name if council else None, council_filter_text(council), as_of,
                     overdue.generated_at, overdue.generated_by, figures, overdue, attention, upcoming)


def _columns(columns, keys):
    by_key = {c.key: c for c in columns}
    return [by_key[k] for k in keys]


def _where(council):
    return {"council": council.id} if council is not None else {}


def _scope(council, as_of, word="as of"):
    return f"{f' for {council.name}' if council is not None else ''} {word} {format_uk_date(as_of)}"


def overdue_actions(council, as_of, progress=None):
    """Outstanding actions due before ``as_of``, oldest first (the action log's rows and columns);
    ``council``: a Council or None for all."""
    wanted = {**_where(council), "open": True, "due_before": as_of - dt.timedelta(days=1)}
    log = action_log(wanted, sort="due_date", progress=progress, today=as_of)
    rows = [r for r in log.rows if r["overdue"]]  # a date-less or closed one never is
    return dataclasses.replace(
        log, title=OVERDUE_TITLE, rows=rows, columns=_columns(reports.ACTION_COLUMNS, _OVERDUE_KEYS), summaries=[],
        filters_text=f"Outstanding actions past their due date{_scope(council, as_of)}, oldest first.",
        notes=f"{reports.counted(len(rows), 'action')} overdue. Days overdue count from the due date to "
              f"{format_uk_date(as_of)}.")


def commitments_needing_attention(council, as_of, progress=None):
    """Open commitments overdue, due within :data:`SOON_DAYS` of ``as_of``, or red (rolled up from their
    actions as of that date); the most pressing first (by target date)."""
    register = commitment_register({**_where(council), "open": True}, progress=progress, today=as_of)
    soon = as_of + dt.timedelta(days=SOON_DAYS)
    rows = []
    for row in register.rows:
        why = attention_reason(row, as_of, soon)
        if why:
            rows.append({**row, "attention": why})
    rows.sort(key=lambda r: (r["target_date"] is None, r["target_date"] or as_of, r["title"].casefold()))
    columns = _columns(reports.REGISTER_COLUMNS + [ATTENTION_COLUMN], _ATTENTION_KEYS)
    return dataclasses.replace(
        register, title=ATTENTION_TITLE, rows=rows, columns=columns, summaries=[],
        filters_text=(f"Open commitments overdue, due within {SOON_DAYS} days or red{_scope(council, as_of)}, "
                      f"by target date."),
        notes=f"{reports.counted(len(rows), 'commitment')} needing attention. RAG rolled up from each commitment's actions: "
              f"red = an action blocked or overdue.")


def attention_reason(row, as_of, soon):
    """Why a commitment of the register needs attention, in words; "" when it does not."""
    reasons = []
    target = row["target_date"]
    if target is not None and target < as_of:
        reasons.append(f"Overdue by {reports.counted((as_of - target).days, 'day')}")
    elif target is not None and target <= soon:
        days = (target - as_of).days
        reasons.append("Due today" if days == 0 else f"Due in {reports.counted(days, 'day')}")
    if row["rag"] == "R":
        late = row.get("overdue_actions") or 0
        reasons.append(f"Red: {reports.counted(late, 'action')} overdue" if late else "Red: an action is blocked")
    return "; ".join(reasons)


def upcoming_events(council, as_of):
    """Events from ``as_of`` to :data:`SOON_DAYS` days after it, soonest first (two queries)."""
    filters = {**_where(council), "after": as_of, "before": as_of + dt.timedelta(days=SOON_DAYS)}
    councils = {c.id: c.name for c in services.councils.all_councils(include_inactive=True)}
    rows = [{"date": e.date, "title": e.title, "kind": _E["kind"].show(e.kind), "place": e.place or None,
             "council": councils.get(e.council_id)}
            for e in services.events.query(filters=filters, sort="date")]
    return Report(
        title=UPCOMING_TITLE, what="events", generated_at=dt.datetime.now().replace(second=0, microsecond=0),
        generated_by=reports.generated_by(), columns=EVENT_COLUMNS, rows=rows,
        filters_text=f"Summits, meetings and sessions in the {SOON_DAYS} days{_scope(council, as_of, 'from')}.",
        notes=f"{reports.counted(len(rows), 'event')}.")


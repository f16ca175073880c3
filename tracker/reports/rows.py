"""What goes into a report: its rows, gathered in a fixed number of queries, and its filters in words.

No spreadsheet code here: the Excel writer (:mod:`tracker.reports.xlsx`) and the app's printed
version both lay out the same :class:`Report`, so paper, PDF and workbook always agree.
Rows come from ``services.*.report_rows`` with the very filter dict a list view uses, so a
report shows what the list shows.  A column showing a field is headed, formatted and worded as the
registry of fields says (``tracker.records``; :meth:`Column.of`); the others say what they are.
"""

import datetime as dt
from dataclasses import dataclass, field

from tracker import records, services, vocab
from tracker.dates import format_uk_date
from tracker.services.actions import action_rag, days_overdue

ACTION_LOG = "Action log"
REGISTER = "Commitment register"
_A, _C, _S = records.ACTION, records.COMMITMENT, records.STAKEHOLDER  # the fields the reports show


@dataclass
class Column:
    header: str
    key: str
    width: float  # in characters, as spreadsheets measure
    kind: str = "text"  # text, wrap, date, number, rag
    highlight: str = ""  # "overdue": highlighted on overdue rows; "positive": when above 0

    @classmethod
    def of(cls, field, width, wrap=False, highlight="", key=None):
        """A column showing a registry field: its title as the heading, a date column for a date."""
        kind = "date" if field.type == records.DATE else "wrap" if wrap else "text"
        return cls(field.title, key or field.name, width, kind, highlight)


@dataclass
class Report:
    title: str
    what: str  # "actions" / "commitments"
    filters_text: str
    generated_at: dt.datetime
    generated_by: str
    columns: list
    rows: list  # dicts keyed by Column.key
    summaries: list = field(default_factory=list)  # [(title, Summary)]
    notes: str = ""

    @property
    def generated_text(self):
        return f"Generated on {self.generated_at:%d/%m/%Y %H:%M} by {self.generated_by}"

    def cell_text(self, row, column):
        """A cell as text, as the printed version shows it."""
        value = row.get(column.key)
        if value is None:
            return ""
        if column.kind == "date":
            return format_uk_date(value)
        return str(value)

    def highlighted(self, row, column):
        """True where the report draws attention: an overdue row's dates, a count of overdue actions."""
        if column.highlight == "overdue":
            return bool(row.get("overdue"))
        if column.highlight == "positive":
            return bool(row.get(column.key))
        return False


@dataclass
class Summary:
    """Counts per group (council, owner, partner): by status, by RAG, overdue, total."""

    group_header: str
    statuses: dict  # code -> label, the column order
    groups: list = field(default_factory=list)  # [(label, {status: n}, {rag: n}, overdue, total)]

    @property
    def headers(self):
        return [self.group_header, *self.statuses.values(), *(f"{label} ({code})" for code, label in vocab.RAG.items()),
                "Overdue", "Total"]

    def table(self):
        """Rows of numbers under :attr:`headers`, ending with a "Total" row."""
        out = []
        totals = [0] * (len(self.headers) - 1)
        for label, by_status, by_rag, overdue, total in self.groups:
            numbers = [by_status.get(s, 0) for s in self.statuses] + [by_rag.get(r, 0) for r in vocab.RAG]
            numbers += [overdue, total]
            totals = [a + b for a, b in zip(totals, numbers)]
            out.append([label, *numbers])
        out.append(["Total", *totals])
        return out


def summarise(rows, group_header, group_of, statuses):
    """A :class:`Summary` of ``rows`` grouped by ``group_of(row)`` (a label), sorted by label."""
    groups = {}
    for row in rows:
        label = group_of(row) or "(none)"
        by_status, by_rag, counts = groups.setdefault(label, ({}, {}, [0, 0]))
        by_status[row["status_code"]] = by_status.get(row["status_code"], 0) + 1
        if row["rag"]:
            by_rag[row["rag"]] = by_rag.get(row["rag"], 0) + 1
        counts[0] += 1 if row["overdue"] else 0
        counts[1] += 1
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "(none)", kv[0].casefold()))
    return Summary(group_header, statuses,
                   [(label, s, r, counts[0], counts[1]) for label, (s, r, counts) in ordered])


# ---- filters in words ------------------------------------------------------------------------

def _name_of(value, service=None):
    if value is None:
        return ""
    if hasattr(value, "_meta"):
        return getattr(value, "name", None) or getattr(value, "title", None) or str(value)
    if service is None:  # a council id
        by_id = {c.id: c.name for c in services.councils.all_councils(include_inactive=True)}
        return by_id.get(value, f"#{value}")
    try:
        return _name_of(service.get(value))
    except Exception:  # a filter naming something since deleted still describes itself
        return f"#{value}"


def _labels(field, codes):
    codes = [codes] if isinstance(codes, str) else list(codes)
    return ", ".join(field.show(c) for c in codes)


def describe_filters(kind, filters, search=""):
    """The filters of an action log (``kind="actions"``) or register (``"commitments"``) in words."""
    f = {k: v for k, v in (filters or {}).items() if v not in (None, False, "", [], ())}
    parts = []
    if f.get("council"):
        parts.append(f"council {_name_of(f['council'])}")
    if kind == "actions":
        if f.get("owner"):
            parts.append(f"owner {_name_of(f['owner'], services.stakeholders)}")
        if f.get("status"):
            parts.append(f"status {_labels(_A['status'], f['status'])}")
        if f.get("priority"):
            parts.append(f"priority {_A['priority'].show(f['priority'])}")
        if f.get("commitment"):
            parts.append(f"serving the commitment \u201c{_name_of(f['commitment'], services.commitments)}\u201d")
    else:
        if f.get("status"):
            parts.append(f"status {_labels(_C['status'], f['status'])}")
        if f.get("theme"):
            parts.append(f"theme {_C['theme'].show(f['theme'])}")
        if f.get("made_by"):
            parts.append(f"made by {_name_of(f['made_by'], services.stakeholders)}")
        if f.get("event"):
            parts.append(f"made at {_name_of(f['event'], services.events)}")
        if f.get("rag"):
            parts.append(f"RAG {_C['rag'].show(f['rag'])}")
    if f.get("open"):
        parts.append("outstanding only")
    if f.get("overdue"):
        parts.append("overdue only")
    if f.get("due_within") is not None:
        parts.append(f"due within {int(f['due_within'])} days")
    if f.get("due_after"):
        parts.append(f"due on or after {format_uk_date(f['due_after'])}")
    if f.get("due_before"):
        parts.append(f"due on or before {format_uk_date(f['due_before'])}")
    if search and search.strip():
        parts.append(f"matching \u201c{search.strip()}\u201d")
    if not parts:
        return f"Filters: none (all {kind})"
    text = "; ".join(parts)
    return f"Filters: {text[0].upper()}{text[1:]}"


def generated_by():
    actor = services.current_actor()
    return f"{actor.user} ({actor.council})" if actor.council else actor.user


# ---- the action log ----------------------------------------------------------------------------

ACTION_COLUMNS = [
    Column.of(_A["reference"], 10.5),
    Column("Action", "title", 30, "wrap"),  # the log's word for an action's title
    Column("Commitment it serves", "commitment", 24, "wrap"),
    Column.of(_A["owner"], 16, wrap=True),
    Column.of(_S["organisation"], 18, wrap=True),  # the owner's
    Column.of(_A["council"], 13, wrap=True),
    Column.of(_A["due_date"], 10.5, highlight="overdue"),
    Column.of(_A["status"], 10.5),
    Column("RAG", "rag", 5, "rag"),  # worked out from the due date and status (action_rag)
    Column("Days overdue", "days_overdue", 8.5, "number", "overdue"),
    Column("Update date", "update_date", 10.5, "date"),
    Column("Latest update", "update_text", 32, "wrap"),
    Column.of(_A["priority"], 8.5),
]
RAG_NOTE = ("RAG: R red = blocked or overdue; A amber = outstanding; G green = done. "
            "Days overdue count from the due date to today.")


def action_log(filters=None, search="", sort="due_date", progress=None, today=None):
    """The action log :class:`Report` for a services filter dict (two queries, however many rows).

    ``progress(done, total)`` is called now and then while rows are gathered; it may raise to stop.
    """
    today = today or dt.date.today()
    filters = dict(filters or {})
    latest = services.updates.latest_for_actions(services.actions.ids_matching(search, filters))
    rows = []
    show_status, show_priority = _A["status"].show, _A["priority"].show
    for n, a in enumerate(services.actions.report_rows(search, filters, sort=sort)):
        update = latest.get(a["id"])
        status = a["status"]
        overdue = days_overdue(a["due_date"], status, today)
        a["status_code"], a["status"] = status, show_status(status)
        a["priority"] = show_priority(a["priority"])
        a["rag"] = action_rag(a["due_date"], status, today)
        a["days_overdue"], a["overdue"] = overdue or None, bool(overdue)
        a["update_date"], a["update_text"] = (update.date, update.text) if update else (None, None)
        rows.append(a)
        if progress is not None and n % 2000 == 0:
            progress(n, None)
    overdue = sum(r["overdue"] for r in rows)
    return Report(
        title=ACTION_LOG, what="actions", filters_text=describe_filters("actions", filters, search),
        generated_at=dt.datetime.now().replace(second=0, microsecond=0), generated_by=generated_by(),
        columns=ACTION_COLUMNS, rows=rows,
        summaries=[("By council", summarise(rows, "Council", lambda r: r["council"], _A["status"].vocabulary)),
                   ("By owner", summarise(rows, "Owner", _owner_label, _A["status"].vocabulary))],
        notes=f"{counted(len(rows), 'action')}, {overdue} overdue. {RAG_NOTE}",
    )


def _owner_label(row):
    if not row["owner"]:
        return None
    return f"{row['owner']} ({row['organisation']})" if row["organisation"] else row["owner"]


def counted(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n:,} {noun}s"


# ---- the commitment register ------------------------------------------------------------------

REGISTER_COLUMNS = [
    Column("Partner", "partner", 22, "wrap"),
    Column("Person", "person", 14, "wrap"),
    Column("Commitment", "title", 36, "wrap"),  # the register's word for a commitment's title
    Column.of(_C["made_at"], 20, wrap=True, key="event"),
    Column.of(_C["date_made"], 10.5),
    Column.of(_C["theme"], 13, wrap=True),
    Column.of(_C["councils"], 16, wrap=True),
    Column.of(_C["target_date"], 10.5, highlight="overdue"),
    Column.of(_C["status"], 10.5),
    Column("RAG", "rag", 5, "rag"),  # rolled up from the actions (services.commitments.rolled_up_rags)
    Column("Actions open", "open", 7, "number"),
    Column("Actions done", "done", 7, "number"),
    Column("Actions overdue", "overdue_actions", 8, "number", "positive"),
    Column("Evidence date", "evidence_date", 10.5, "date"),
    Column("Latest evidence", "evidence", 34, "wrap"),
]
REGISTER_NOTE = ("RAG rolled up from each commitment's actions: R red = an action blocked or overdue; "
                 "A amber = actions outstanding; G green = all done (its own RAG when it has no actions).")


def commitment_register(filters=None, search="", progress=None, today=None):
    """The commitment register :class:`Report`, grouped by partner (five queries, however many rows)."""
    today = today or dt.date.today()
    filters = dict(filters or {})
    ids = services.commitments.ids_matching(search, filters)
    rags = services.commitments.rolled_up_rags(ids, today=today)
    counts = services.commitments.action_counts(ids, today=today)
    councils = services.commitments.councils_by_commitment(ids)
    evidence = services.updates.latest_for_commitments(ids)
    rows = []
    for n, c in enumerate(services.commitments.report_rows(search, filters)):
        n_open, n_done, n_overdue = counts.get(c["id"], (0, 0, 0))
        update = evidence.get(c["id"])
        text = None
        if update is not None:
            text = f"{update.action.reference}: {update.text}" if update.action_id else update.text
        rows.append({
            **c,
            "person": c["made_by"] if c["made_by_kind"] == "person" else None,
            "status_code": c["status"],
            "status": _C["status"].show(c["status"]),
            "theme": _C["theme"].show(c["theme"]),
            "councils": ", ".join(councils.get(c["id"], [])) or None,
            "rag": rags.get(c["id"], c["rag"]),
            "open": n_open, "done": n_done, "overdue_actions": n_overdue,
            "overdue": bool(c["target_date"] and c["target_date"] < today
                            and c["status"] not in vocab.COMMITMENT_CLOSED),
            "evidence_date": update.date if update else None,
            "evidence": text,
        })
        if progress is not None and n % 2000 == 0:
            progress(n, None)
    late = sum(r["overdue"] for r in rows)
    return Report(
        title=REGISTER, what="commitments", filters_text=describe_filters("commitments", filters, search),
        generated_at=dt.datetime.now().replace(second=0, microsecond=0), generated_by=generated_by(),
        columns=REGISTER_COLUMNS, rows=rows,
        summaries=[("By partner", summarise(rows, "Partner", lambda r: r["partner"], _C["status"].vocabulary)),
                   ("By theme", summarise(rows, "Theme", lambda r: r["theme"], _C["status"].vocabulary))],
        notes=f"{counted(len(rows), 'commitment')}, {late} past target date. {REGISTER_NOTE}",
    )

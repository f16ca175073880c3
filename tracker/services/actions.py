"""Action items: concrete tasks with an owner, a due date and a status."""

import datetime as dt

from peewee import JOIN, fn

from tracker import records, vocab
from tracker.models import ActionItem, Commitment, CommitmentCouncil, Council, Stakeholder
from tracker.records import references
from tracker.services.base import RecordService, with_periods, home_council

REFERENCE_RE = references.PATTERN  # tracker.exchange.importer still imports it from here


class ActionService(RecordService):
    model = ActionItem
    record = records.ACTION
    text_fields = (ActionItem.reference, ActionItem.title, ActionItem.description)
    sort_fields = {
        "reference": ActionItem.id,
        "title": ActionItem.title,
        "due_date": ActionItem.due_date,
        "priority": ActionItem.priority,
        "status": ActionItem.status,
        "owner": Stakeholder.name,
        "council": Council.name,
        "updated": ActionItem.updated_at,
    }
    default_sort = "due_date"

    def base_query(self):
        A = ActionItem
        return (A.select(A, Stakeholder, Council)
                .join(Stakeholder, JOIN.LEFT_OUTER, on=(A.owner == Stakeholder.id))
                .switch(A).join(Council, JOIN.LEFT_OUTER, on=(A.council == Council.id)))

    def before_create(self, state):
        return {"reference": self.next_reference()}

    def before_create_many(self, states):
        return [{"reference": r} for r in self._series().take(len(states))]

    def next_reference(self):
        """The next reference in this database's series, e.g. BD-A0042 (the home council's code)."""
        return self._series().next()

    def _series(self):
        council = home_council()
        prefix = references.prefix_for(council.code if council else None)
        # The top of the series: the longest references are the highest numbers ("BD-A10000" sorts
        # before "BD-A9999" as text), so these hold the highest without reading the whole series.
        top = (ActionItem.select(ActionItem.reference).where(ActionItem.reference.startswith(prefix))
               .order_by(fn.LENGTH(ActionItem.reference).desc(), ActionItem.reference.desc()).limit(50))
        return references.Series(prefix, [reference for (reference,) in top.tuples()])

    def filter_keys(self):
        return ("council", "status", "owner", "commitment", "priority", "overdue", "due_within",
                "due_before", "due_after", "open", "no_owner", "owner_organisation", "today")

    def apply_filters(self, q, filters):
        q = super().apply_filters(q, filters)
        A = ActionItem
        today = filters.get("today") or dt.date.today()  # "today" counts overdue as of a date (--as-of)
        closed = sorted(vocab.ACTION_CLOSED)
        if filters.get("council"):
            q = q.where(A.council == filters["council"])
        if filters.get("status"):
            statuses = filters["status"]
            q = q.where(A.status.in_([statuses] if isinstance(statuses, str) else list(statuses)))
        if filters.get("owner"):
            q = q.where(A.owner == filters["owner"])
        if filters.get("commitment"):
            q = q.where(A.commitment == filters["commitment"])
        if filters.get("priority"):
            q = q.where(A.priority == filters["priority"])
        if filters.get("no_owner"):
            q = q.where(A.owner.is_null())
        if filters.get("owner_organisation"):  # owned by the organisation or one of its people
            org = filters["owner_organisation"]
            q = q.where(A.owner.in_(Stakeholder.select(Stakeholder.id).where(
                (Stakeholder.id == org) | (Stakeholder.organisation == org))))
        if filters.get("open"):
            q = q.where(A.status.not_in(closed))
        if filters.get("overdue"):
            q = q.where(A.due_date < today, A.status.not_in(closed))
        if filters.get("due_within") is not None:
            q = q.where(A.due_date >= today, A.due_date <= today + dt.timedelta(days=int(filters["due_within"])),
                        A.status.not_in(closed))
        if filters.get("due_before"):
            q = q.where(A.due_date <= filters["due_before"])
        if filters.get("due_after"):
            q = q.where(A.due_date >= filters["due_after"])
        return q

    def report_rows(self, search="", filters=None, sort=None, descending=False):
        """Live actions matching ``search``/``filters`` as plain dicts, for reports: one query.

        Each row has the action's own columns plus its owner, the owner's organisation, its
        council and the commitment it serves (joined, never fetched per row).  The same filter
        dict as :meth:`query`, so a report shows exactly what the list shows.
        """
        A, Org = ActionItem, Stakeholder.alias("owner_org")
        q = (self.query(search=search, filters=filters, sort=sort, descending=descending)
             .select(A.id, A.reference, A.title, A.due_date, A.due_date_precision, A.status, A.priority,
                     A.owner.alias("owner_id"), Stakeholder.name.alias("owner"),
                     Org.name.alias("organisation"), Council.name.alias("council"),
                     A.commitment.alias("commitment_id"), Commitment.title.alias("commitment"))
             .join_from(Stakeholder, Org, JOIN.LEFT_OUTER, on=(Stakeholder.organisation == Org.id))
             .join_from(A, Commitment, JOIN.LEFT_OUTER, on=(A.commitment == Commitment.id)))
        return with_periods(q.dicts(), "due_date")

    def owners(self):
        """Live stakeholders who own at least one live action, by name (one query)."""
        A, S = ActionItem, Stakeholder
        return list(S.select().where(S.deleted_at.is_null(), S.id.in_(
            A.select(A.owner).where(A.deleted_at.is_null(), A.owner.is_null(False)))).order_by(S.name))

    def ids_matching(self, search="", filters=None):
        """A sub-select of the ids :meth:`query` would return (for bulk look-ups of related rows)."""
        return self.query(search=search, filters=filters).select(ActionItem.id).order_by()

    def of_commitment(self, commitment):
        return self.page(0, 10_000, filters={"commitment": commitment}, sort="due_date")

    def for_commitment(self, commitment):
        """What a new action serving ``commitment`` starts with: the commitment; its maker as the owner
        (the partner who promised usually carries it out); its council when it has one, or this
        database's home council when that is among its councils; else none (the user picks)."""
        values = {**self.defaults(), "commitment": commitment, "owner": commitment.made_by}
        councils = list(Council.select().join(CommitmentCouncil).where(CommitmentCouncil.commitment == commitment.id))
        home = home_council()
        if len(councils) == 1:
            values["council"] = councils[0]
        elif home is not None and home.id in {c.id for c in councils}:
            values["council"] = home
        return values


def days_overdue(due_date, status, today=None):
    """Whole days past ``due_date`` for an action still outstanding; 0 when not overdue."""
    today = today or dt.date.today()
    if not due_date or status in vocab.ACTION_CLOSED or due_date >= today:
        return 0
    return (today - due_date).days


def action_rag(due_date, status, today=None):
    """An action's RAG, by the same rule as a commitment's roll-up: red when blocked or overdue,
    amber while outstanding, green when done; none for a cancelled action."""
    if status == "cancelled":
        return None
    if status == "blocked" or days_overdue(due_date, status, today):
        return "R"
    return "G" if status in vocab.ACTION_CLOSED else "A"


actions = ActionService()

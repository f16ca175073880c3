"""Action items: concrete tasks with an owner, a due date and a status."""

import datetime as dt
import re

from peewee import JOIN, fn

from tracker import vocab
from tracker.models import ActionItem, Council, Stakeholder
from tracker.services.base import RecordService, check_choice, home_council

REFERENCE_RE = re.compile(r"^(?P<prefix>[A-Z]+-A)(?P<number>\d+)$")


class ActionService(RecordService):
    model = ActionItem
    what = "action"
    fields = ("title", "description", "commitment", "owner", "council", "due_date", "priority", "status")
    required = ("title", "priority", "status")
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

    def defaults(self):
        return {"priority": "medium", "status": "open"}

    def validate(self, data, existing=None):
        errors = super().validate(data, existing)
        check_choice(errors, "priority", data.get("priority"), vocab.PRIORITIES)
        check_choice(errors, "status", data.get("status"), vocab.ACTION_STATUSES)
        return errors

    def before_create(self, state):
        return {"reference": self.next_reference()}

    def before_create_many(self, states):
        prefix, number = self._next_number()
        return [{"reference": f"{prefix}{n:04d}"} for n in range(number, number + len(states))]

    def next_reference(self):
        """The next reference in this database's series, e.g. BD-A0042 (the home council's code)."""
        prefix, number = self._next_number()
        return f"{prefix}{number:04d}"

    def _next_number(self):
        council = home_council()
        prefix = f"{council.code if council else 'X'}-A"
        # The longest reference is the highest number ("BD-A10000" sorts before "BD-A9999" as text).
        latest = (ActionItem.select(ActionItem.reference).where(ActionItem.reference.startswith(prefix))
                  .order_by(fn.LENGTH(ActionItem.reference).desc(), ActionItem.reference.desc()).limit(50))
        for (reference,) in latest.tuples():
            match = REFERENCE_RE.match(reference)
            if match and match.group("prefix") == prefix:
                return prefix, int(match.group("number")) + 1
        return prefix, 1

    def filter_keys(self):
        return ("council", "status", "owner", "commitment", "priority", "overdue", "due_within",
                "due_before", "due_after", "open")

    def apply_filters(self, q, filters):
        q = super().apply_filters(q, filters)
        A = ActionItem
        today = dt.date.today()
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

    def of_commitment(self, commitment):
        return self.page(0, 10_000, filters={"commitment": commitment}, sort="due_date")


def is_overdue(action, today=None):
    today = today or dt.date.today()
    return bool(action.due_date and action.due_date < today and action.status not in vocab.ACTION_CLOSED)


actions = ActionService()

"""Updates: dated progress notes on a stakeholder, commitment or action (the evidence trail)."""

from peewee import JOIN, fn

from tracker import records
from tracker.models import ActionItem, Commitment, Stakeholder, Update
from tracker.services.actor import current_actor
from tracker.services.base import RecordService, ids_in

TARGET_FIELDS = {Stakeholder: "stakeholder", Commitment: "commitment", ActionItem: "action"}  # records.UPDATE


class UpdateService(RecordService):
    model = Update
    record = records.UPDATE
    text_fields = (Update.text, Update.author)
    sort_fields = {"date": Update.date, "updated": Update.updated_at}
    default_sort = "date"

    def defaults(self):
        return {**super().defaults(), "author": current_actor().user}

    def about(self, target):
        """The link field an update on ``target`` (a Stakeholder, Commitment or ActionItem) sets, as
        ``create`` takes it: ``create(**updates.about(action), text=..., date=...)``."""
        return {TARGET_FIELDS[type(target)]: target}

    def add(self, target, text, date=None, author=None, source=""):
        """Add an update to ``target``; no ``date`` means today (``create`` refuses a missing one)."""
        data = {**self.about(target), "text": text}
        if date is not None:
            data["date"] = date
        if author is not None:
            data["author"] = author
        return self.create(source=source, **data)

    def of(self, target):
        """Live updates on ``target``, newest first."""
        field = getattr(Update, TARGET_FIELDS[type(target)])
        return list(Update.select().where(field == target, Update.deleted_at.is_null())
                    .order_by(Update.date.desc(), Update.id.desc()))

    def latest_for_actions(self, action_ids):
        """{action id: newest live update} in one query; ``action_ids`` may be a sub-select."""
        U = Update
        # Only what a list or report shows: parsing every row's timestamps doubles the cost at 100k.
        rows = (U.select(U.id, U.date, U.text, U.author, U.action)
                .where(U.action.in_(ids_in(action_ids)), U.deleted_at.is_null())
                .order_by(U.action, U.date, U.id))
        return {u.action_id: u for u in rows}

    def latest_for_commitments(self, commitment_ids):
        """{commitment id: newest live update on the commitment or on one of its actions}, one query.

        The evidence of progress a commission register shows; an update on an action carries
        the action (``update.action``) so the reader can say which one.
        """
        U, A = Update, ActionItem
        owner = fn.COALESCE(U.commitment, A.commitment)
        rows = (U.select(U, A, owner.alias("for_commitment"))
                .join(A, JOIN.LEFT_OUTER, on=(U.action == A.id))
                .where(owner.in_(ids_in(commitment_ids)), U.deleted_at.is_null(),
                       U.action.is_null() | A.deleted_at.is_null())
                .order_by(owner, U.date, U.id))
        return {u.for_commitment: u for u in rows}


updates = UpdateService()

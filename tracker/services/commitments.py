"""Commitments: what partners promised, and the RAG rolled up from the actions that serve them."""

import datetime as dt

from peewee import JOIN, Case, Query, fn

from tracker import records, vocab
from tracker.models import ActionItem, Commitment, CommitmentCouncil, Council, Event, Stakeholder
from tracker.services.base import RecordService, with_periods, ids_in


ATTENTION_DAYS = 30  # a commitment due within this many days needs attention (the dashboard's tile)


class CommitmentService(RecordService):
    model = Commitment
    record = records.COMMITMENT
    text_fields = (Commitment.title, Commitment.description)
    sort_fields = {
        "title": Commitment.title,
        "date_made": Commitment.date_made,
        "target_date": Commitment.target_date,
        "status": Commitment.status,
        "theme": Commitment.theme,
        "rag": Commitment.rag,
        "made_by": Stakeholder.name,
        "updated": Commitment.updated_at,
    }
    default_sort = "target_date"
    council_links = CommitmentCouncil

    def base_query(self):
        return Commitment.select(Commitment, Stakeholder).join(Stakeholder, on=(Commitment.made_by == Stakeholder.id))

    def filter_keys(self):
        return ("council", "status", "theme", "made_by", "event", "overdue", "due_within", "rag", "open",
                "attention", "rolled_up_rag", "today")

    def apply_filters(self, q, filters):
        q = super().apply_filters(q, filters)
        C = Commitment
        today = filters.get("today") or dt.date.today()  # "today" counts overdue as of a date (--as-of)
        if filters.get("council"):
            q = q.where(C.id.in_(CommitmentCouncil.select(CommitmentCouncil.commitment)
                                 .where(CommitmentCouncil.council == filters["council"])))
        if filters.get("status"):
            statuses = filters["status"]
            q = q.where(C.status.in_([statuses] if isinstance(statuses, str) else list(statuses)))
        if filters.get("theme"):
            q = q.where(C.theme == filters["theme"])
        if filters.get("made_by"):
            q = q.where(C.made_by == filters["made_by"])
        if filters.get("event"):
            q = q.where(C.made_at == filters["event"])
        if filters.get("rag"):
            q = q.where(C.rag == filters["rag"])
        if filters.get("open"):
            q = q.where(C.status.not_in(sorted(vocab.COMMITMENT_CLOSED)))
        if filters.get("overdue"):
            q = q.where(C.target_date < today, C.status.not_in(sorted(vocab.COMMITMENT_CLOSED)))
        if filters.get("due_within") is not None:
            q = q.where(C.target_date >= today, C.target_date <= today + dt.timedelta(days=int(filters["due_within"])),
                        C.status.not_in(sorted(vocab.COMMITMENT_CLOSED)))
        if filters.get("rolled_up_rag"):  # the RAG the list shows (rolled up from the actions)
            q = q.where(rolled_up_rag_sql(today) == filters["rolled_up_rag"])
        if filters.get("attention"):  # outstanding and overdue, due within ATTENTION_DAYS, or red (rolled up)
            soon = today + dt.timedelta(days=ATTENTION_DAYS)
            q = q.where(C.status.not_in(sorted(vocab.COMMITMENT_CLOSED)),
                        (C.target_date <= soon) | (rolled_up_rag_sql(today) == "R"))
        return q

    def action_counts(self, commitment_ids=None, today=None):
        """{commitment id: (open, done, overdue)} in one query; overdue as of ``today`` (default: today)."""
        today = today or dt.date.today()
        A = ActionItem
        closed = sorted(vocab.ACTION_CLOSED)
        q = (A.select(A.commitment,
                      fn.SUM(A.status.not_in(closed).cast("INTEGER")),
                      fn.SUM((A.status == "done").cast("INTEGER")),
                      fn.SUM((A.status.not_in(closed) & (A.due_date < today)).cast("INTEGER")))
             .where(A.deleted_at.is_null(), A.commitment.is_null(False))
             .group_by(A.commitment))
        if commitment_ids is not None:
            q = q.where(A.commitment.in_(ids_in(commitment_ids)))
        return {cid: (int(o or 0), int(d or 0), int(v or 0)) for cid, o, d, v in q.tuples()}

    def rolled_up_rags(self, commitments, today=None):
        """{commitment id: RAG} for many commitments in one query, by :meth:`rolled_up_rag`'s rule.

        ``commitments``: records (a list page), ids, or a sub-select of ids (a whole report).
        ``today``: the day an action counts as overdue from (a board pack "as of" a date).
        """
        if not isinstance(commitments, Query):
            commitments = [getattr(c, "id", c) for c in commitments]
        today = today or dt.date.today()
        A, C = ActionItem, Commitment
        counted = A.deleted_at.is_null() & (A.status != "cancelled")
        outstanding = counted & A.status.not_in(sorted(vocab.ACTION_CLOSED))
        red = counted & ((A.status == "blocked") | (outstanding & (A.due_date < today)))
        q = (C.select(C.id, C.rag, fn.SUM(red.cast("INTEGER")), fn.SUM(outstanding.cast("INTEGER")),
                      fn.SUM(counted.cast("INTEGER")))
             .join(A, JOIN.LEFT_OUTER, on=(A.commitment == C.id))
             .where(C.id.in_(commitments))
             .group_by(C.id, C.rag))
        rags = {}
        for cid, own, n_red, n_open, n_counted in q.tuples():
            rags[cid] = "R" if n_red else "A" if n_open else "G" if n_counted else own
        return rags

    def councils_by_commitment(self, commitment_ids):
        """{commitment id: [council names]} in one query."""
        L = CommitmentCouncil
        q = (L.select(L.commitment, Council.name).join(Council)
             .where(L.commitment.in_(ids_in(commitment_ids))).order_by(L.commitment, Council.name))
        out = {}
        for cid, name in q.tuples():
            out.setdefault(cid, []).append(name)
        return out

    def report_rows(self, search="", filters=None, sort="partner", descending=False):
        """Live commitments matching ``search``/``filters`` as dicts, for the register: one query.

        Each row carries who made it, that person's organisation (its partner; an organisation is
        its own partner) and the event.  ``sort="partner"`` groups by partner, then date made.
        """
        C, Org = Commitment, Stakeholder.alias("partner_org")
        partner = fn.COALESCE(Org.name, Stakeholder.name)
        key = None if sort == "partner" else sort
        q = (self.query(search=search, filters=filters, sort=key, descending=descending)
             .select(C.id, C.title, C.date_made, C.target_date, C.target_date_precision, C.theme, C.status, C.rag,
                     C.made_by.alias("made_by_id"), Stakeholder.name.alias("made_by"),
                     Stakeholder.kind.alias("made_by_kind"), Org.name.alias("organisation"),
                     partner.alias("partner"), Event.title.alias("event"))
             .join_from(Stakeholder, Org, JOIN.LEFT_OUTER, on=(Stakeholder.organisation == Org.id))
             .join_from(C, Event, JOIN.LEFT_OUTER, on=(C.made_at == Event.id)))
        if sort == "partner":
            q = q.order_by(partner.desc() if descending else partner, C.date_made, C.id)
        return with_periods(q.dicts(), "target_date")

    def makers(self):
        """Live stakeholders who made at least one live commitment, by name (one query)."""
        C, S = Commitment, Stakeholder
        return list(S.select().where(S.deleted_at.is_null(), S.id.in_(
            C.select(C.made_by).where(C.deleted_at.is_null()))).order_by(S.name))

    def ids_matching(self, search="", filters=None):
        """A sub-select of the ids :meth:`query` would return (for bulk look-ups of related rows)."""
        return self.query(search=search, filters=filters).select(Commitment.id).order_by()

    def rolled_up_rag(self, commitment):
        """RAG from the commitment's live actions: red if any overdue or blocked, amber if any
        open, green when all are done; the commitment's own RAG when it has no actions."""
        A = ActionItem
        actions = list(A.select(A.status, A.due_date).where(A.commitment == commitment, A.deleted_at.is_null(),
                                                            A.status != "cancelled"))
        return rag_from_actions(actions, commitment.rag)


def rolled_up_rag_sql(today=None):
    """:meth:`CommitmentService.rolled_up_rag`'s rule as an SQL expression on a commitment row (to
    filter or count by the RAG the list shows without reading any action into Python)."""
    today = today or dt.date.today()
    A, C = ActionItem.alias("rag_action"), Commitment
    counted = A.select(A.id).where(A.commitment == C.id, A.deleted_at.is_null(), A.status != "cancelled")
    outstanding = counted.where(A.status.not_in(sorted(vocab.ACTION_CLOSED)))
    red = counted.where((A.status == "blocked")
                        | (A.status.not_in(sorted(vocab.ACTION_CLOSED)) & (A.due_date < today)))
    return Case(None, [(fn.EXISTS(red), "R"), (fn.EXISTS(outstanding), "A"), (fn.EXISTS(counted), "G")], C.rag)


def rag_from_actions(actions, fallback=None):
    if not actions:
        return fallback
    today = dt.date.today()
    if any(a.status == "blocked" or (a.status not in vocab.ACTION_CLOSED and a.due_date and a.due_date < today)
           for a in actions):
        return "R"
    if any(a.status not in vocab.ACTION_CLOSED for a in actions):
        return "A"
    return "G"


commitments = CommitmentService()

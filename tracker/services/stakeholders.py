"""Stakeholders: organisations and people, with their councils and place on the power/interest grid."""

import datetime as dt

from peewee import fn

from tracker import records, vocab
from tracker.dates import add_months
from tracker.errors import TrackerError
from tracker.models import Attendance, Event, MergeRun, Stakeholder, StakeholderCouncil, Update
from tracker.services.base import RecordService

GRID_QUADRANTS = vocab.GRID_QUADRANTS  # where the app has always found them


def quadrant(influence, interest):
    """Where a stakeholder sits on the power/interest grid (scores 1-5; 3 and above is high)."""
    if influence is None or interest is None:
        return None
    high_power, high_interest = influence >= 3, interest >= 3
    if high_power and high_interest:
        return "manage_closely"
    if high_power:
        return "keep_satisfied"
    if high_interest:
        return "keep_informed"
    return "monitor"


def engaged_partners(since, until=None):
    """A sub-select of the organisations engaged from ``since`` to ``until`` (today): the organisation
    or one of its people attended an event, or an update was written about them, in that time."""
    until = until or dt.date.today()
    P = Stakeholder.alias("engaged_person")
    partner = fn.COALESCE(P.organisation, P.id)
    attended = (Attendance.select(partner).join(P, on=(Attendance.stakeholder == P.id))
                .join_from(Attendance, Event, on=(Attendance.event == Event.id))
                .where(Attendance.deleted_at.is_null(), Event.deleted_at.is_null(), Event.date >= since,
                       Event.date <= until))
    noted = (Update.select(partner).join(P, on=(Update.stakeholder == P.id))
             .where(Update.deleted_at.is_null(), Update.date >= since, Update.date <= until))
    return attended | noted


class StakeholderService(RecordService):
    model = Stakeholder
    record = records.STAKEHOLDER
    text_fields = (Stakeholder.name, Stakeholder.role, Stakeholder.email, Stakeholder.tags, Stakeholder.notes)
    sort_fields = {
        "name": Stakeholder.name,
        "kind": Stakeholder.kind,
        "sector": Stakeholder.sector,
        "influence": Stakeholder.influence,
        "interest": Stakeholder.interest,
        "updated": Stakeholder.updated_at,
    }
    default_sort = "name"
    council_links = StakeholderCouncil

    def filter_keys(self):
        return ("council", "kind", "sector", "organisation", "quadrant", "tag", "not_engaged", "today")

    def apply_filters(self, q, filters):
        q = super().apply_filters(q, filters)
        S = Stakeholder
        if filters.get("council"):
            q = q.where(S.id.in_(StakeholderCouncil.select(StakeholderCouncil.stakeholder)
                                 .where(StakeholderCouncil.council == filters["council"])))
        if filters.get("kind"):
            q = q.where(S.kind == filters["kind"])
        if filters.get("sector"):
            q = q.where(S.sector == filters["sector"])
        if filters.get("organisation"):
            q = q.where(S.organisation == filters["organisation"])
        if filters.get("tag"):
            q = q.where(S.tags.contains(filters["tag"]))
        if filters.get("quadrant"):
            high_p, high_i = {"manage_closely": (True, True), "keep_satisfied": (True, False),
                              "keep_informed": (False, True), "monitor": (False, False)}[filters["quadrant"]]
            q = q.where((S.influence >= 3) if high_p else (S.influence < 3))
            q = q.where((S.interest >= 3) if high_i else (S.interest < 3))
        if filters.get("not_engaged"):  # months (True: 6)
            months = 6 if filters["not_engaged"] is True else int(filters["not_engaged"])
            q = q.where(S.kind == "organisation", S.id.not_in(engaged_partners(
                add_months(filters.get("today") or dt.date.today(), -months), filters.get("today"))))
        return q

    def restore(self, record, expected_version=None, source=""):
        """Bring a deleted stakeholder back; one retired by a merge is refused (its links are the kept
        record's now): Undo merge brings it back whole."""
        current = self.reload(record)
        if current.deleted_at is not None:
            run = (MergeRun.select().where(MergeRun.retired.contains(current.uuid.hex), MergeRun.undone_at.is_null())
                   .order_by(MergeRun.id.desc()).first())
            if run is not None:
                kept = Stakeholder.get_or_none(Stakeholder.uuid == run.kept_uuid)
                into = f"'{kept.name}'" if kept else "another record"
                raise TrackerError(f"'{current.name}' was merged into {into} (merge {run.id}) and cannot be restored "
                                   f"on its own; use Edit > Undo merge to bring it back with its links.")
        return super().restore(record, expected_version, source)

    def organisations(self):
        """Live organisations, by name, for pickers."""
        S = Stakeholder
        return list(S.select().where(S.kind == "organisation", S.deleted_at.is_null()).order_by(S.name))

    def members(self, organisation):
        S = Stakeholder
        return list(S.select().where(S.organisation == organisation, S.deleted_at.is_null()).order_by(S.name))

    def grid(self):
        """Live stakeholders with both scores, for the power/interest grid."""
        S = Stakeholder
        return list(S.select().where(S.deleted_at.is_null(), S.influence.is_null(False),
                                     S.interest.is_null(False)).order_by(S.name))

    def find_by_name(self, name):
        """Live stakeholders whose name matches exactly, ignoring case."""
        S = Stakeholder
        return list(S.select().where(fn.LOWER(S.name) == name.strip().lower(), S.deleted_at.is_null()))


stakeholders = StakeholderService()

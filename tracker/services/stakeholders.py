"""Stakeholders: organisations and people, with their councils and place on the power/interest grid."""

from peewee import fn

from tracker import vocab
from tracker.models import Stakeholder, StakeholderCouncil
from tracker.services.base import RecordService, check_choice, check_email, check_web

GRID_QUADRANTS = {
    "manage_closely": "Manage closely",  # high influence, high interest
    "keep_satisfied": "Keep satisfied",  # high influence, low interest
    "keep_informed": "Keep informed",  # low influence, high interest
    "monitor": "Monitor",  # low influence, low interest
}


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


class StakeholderService(RecordService):
    model = Stakeholder
    what = "stakeholder"
    fields = ("kind", "name", "organisation", "sector", "role", "email", "phone", "address",
              "website", "influence", "interest", "tags", "notes")
    required = ("name", "kind", "sector")
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

    def defaults(self):
        return {"kind": "organisation", "sector": "other"}

    def validate(self, data, existing=None):
        errors = super().validate(data, existing)
        check_choice(errors, "kind", data.get("kind"), vocab.STAKEHOLDER_KINDS)
        check_choice(errors, "sector", data.get("sector"), vocab.SECTORS)
        check_email(errors, "email", data.get("email"))
        check_web(errors, "website", data.get("website"))
        for name in ("influence", "interest"):
            value = data.get(name)
            if value is not None and (not isinstance(value, int) or not 1 <= value <= 5):
                errors[name] = "must be a whole number from 1 (low) to 5 (high)"
        org = data.get("organisation")
        if org is not None:
            if existing is not None and org.id == existing.id:
                errors["organisation"] = "cannot be the stakeholder itself"
            elif org.kind != "organisation":
                errors["organisation"] = f"must be an organisation ({org.name} is a person)"
        return errors

    def filter_keys(self):
        return ("council", "kind", "sector", "organisation", "quadrant", "tag")

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
        return q

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

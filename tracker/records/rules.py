"""Rules across fields: each named once, as a small object a kind lists and every layer can apply.

A rule looks at a record's complete new state (``values``: field -> value), the record as stored
(``existing``, None for a new one) and, for uniqueness, a ``taken(fields, values, existing)``
function the caller supplies (the services ask the database; an import can ask its own index).
:meth:`Rule.reason` returns the reason reported on :attr:`Rule.field`, or None.

The core of each rule is also a plain function over plain values (:func:`target_before_made`,
:func:`organisation_problem`), so a bulk path holding IDs and ISO dates rather than records calls
the same rule; :attr:`Rule.reads` names the fields a rule looks at, so such a path (the exchange
import, ``tracker.exchange.checks``) can hand each rule of a kind just those, linked records as small
objects with the ``id``, ``kind``, ``name`` and ``title`` the rules read.
"""

from dataclasses import dataclass
from collections.abc import Callable

from tracker.dates import date_from_stored


@dataclass(frozen=True)
class Rule:
    field: str  # where the reason is reported (a field, or a name such as "target")
    needs_valid: tuple = ()  # applies only when these fields passed their own checks

    @property
    def reads(self):
        """The fields the rule looks at (a bulk path hands it just these)."""
        return (self.field,)

    def reason(self, values, existing=None, taken=None):
        raise NotImplementedError


# ---- one date not before another ---------------------------------------------------------------------
def target_before_made(made, target):
    """True when a commitment's target date is before the date it was made (dates or their stored text:
    ISO, or a period's "2019-Q2", compared by its last day)."""
    if not (made and target):
        return False
    if isinstance(target, str) or isinstance(made, str):
        made, target = (date_from_stored(v) if isinstance(v, str) else v for v in (made, target))
    return target < made


TARGET_BEFORE_MADE = "is before the date the commitment was made"


@dataclass(frozen=True)
class NotBefore(Rule):
    """``field`` (a date) may not be before ``earlier`` (a date); either may be empty."""

    earlier: str = ""
    message: str = ""

    @property
    def reads(self):
        return (self.earlier, self.field)

    def reason(self, values, existing=None, taken=None):
        if target_before_made(values.get(self.earlier), values.get(self.field)):
            return self.message
        return None


# ---- a person's organisation -------------------------------------------------------------------------
ITSELF = "cannot be the stakeholder itself"


def not_an_organisation(name):
    return f"must be an organisation ({name} is a person)"


def organisation_problem(own_id, organisation_id, organisation_kind, organisation_name):
    """Why a stakeholder cannot belong to this organisation, or None: not itself, and an organisation.
    ``own_id`` is None for a new stakeholder; an unknown kind (None) is not refused here."""
    if own_id is not None and organisation_id == own_id:
        return ITSELF
    if organisation_kind not in (None, "organisation"):
        return not_an_organisation(organisation_name)
    return None


@dataclass(frozen=True)
class OrganisationLink(Rule):
    """The stakeholder ``field`` links to must be an organisation, and not the record itself."""

    def reason(self, values, existing=None, taken=None):
        org = values.get(self.field)
        if org is None:
            return None
        return organisation_problem(existing.id if existing is not None else None, org.id, org.kind, org.name)


# ---- uniqueness ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UniqueTogether(Rule):
    """No two records share the values of ``fields`` (deleted ones count: restoring one brings it back).

    ``message(values)`` words the clash; ``taken`` answers whether another record holds them.  Without
    ``taken`` (a check with no database at hand) the rule is not applied.
    """

    fields: tuple = ()
    message: Callable = None

    @property
    def reads(self):
        return self.fields

    def reason(self, values, existing=None, taken=None):
        if taken is None or any(values.get(name) is None for name in self.fields):
            return None
        return self.message(values) if taken(self.fields, values, existing) else None


def already_attending(stakeholder_name, event_title):
    return f"{stakeholder_name} is already recorded as attending {event_title}"


# ---- exactly one of several links ----------------------------------------------------------------
@dataclass(frozen=True)
class ExactlyOne(Rule):
    """Exactly one of ``fields`` has a value (an update belongs to one record)."""

    fields: tuple = ()
    message: str = ""

    @property
    def reads(self):
        return self.fields

    def reason(self, values, existing=None, taken=None):
        given = sum(values.get(name) is not None for name in self.fields)
        return None if given == 1 else self.message

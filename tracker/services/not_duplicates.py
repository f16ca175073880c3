"""The pairs of stakeholders a person said are not duplicates: remembered so the duplicates review
(``services/duplicates.py``, which imports these functions for its callers) never offers them again.

A pair is kept by the two records' UUIDs (the smaller, as text, first), so it can travel in the exchange
workbook to another council's copy and wait there for records it does not hold yet.  Saying it, and taking
it back, is audited on both records held here ("not a duplicate of NAME (UUID)") and announced as the
``not_duplicate`` kind (:data:`TABLE`).
"""

import uuid as uuidlib
from dataclasses import dataclass

from tracker.bulk import bulk_insert
from tracker.changes import Change, announce
from tracker.errors import NotFoundError, TrackerError
from tracker.models import NotDuplicate, Stakeholder, utcnow
from tracker.services import audit
from tracker.services.actor import current_actor
from tracker.services.base import writing

TABLE = NotDuplicate._meta.table_name  # what tracker.changes announces when the remembered pairs change


@dataclass(frozen=True)
class NotDuplicatePair:
    first: str  # the records' UUIDs, the smaller (as text) first
    second: str
    at: object = None  # when it was said (UTC)
    user: str = ""
    council: str = ""


def _ordered(uuid_a, uuid_b):
    """The pair as kept: each UUID in its usual form (any case, with or without dashes, read alike), smaller first."""
    try:
        a, b = str(uuidlib.UUID(str(uuid_a).strip())), str(uuidlib.UUID(str(uuid_b).strip()))
    except ValueError:
        raise TrackerError(f"{uuid_a} and {uuid_b} are not both exchange IDs; the pair was not remembered.") from None
    return (a, b) if a < b else (b, a)


def _stakeholder(key):
    S = Stakeholder
    try:
        if isinstance(key, Stakeholder):
            return key
        if isinstance(key, int) or str(key).isdigit():
            record = S.get_or_none(S.id == int(key))
        else:
            record = S.get_or_none(S.uuid == str(key).strip())
    except ValueError:
        record = None
    if record is None or record.deleted_at is not None:
        raise NotFoundError(f"No stakeholder with ID {key}.")
    return record


def mark_not_duplicates(a_id, b_id, source=""):
    """Remember that the two stakeholders (ids, exchange IDs or records) are not the same one: the pair is never
    offered again.  Audited on both records and announced; saying it twice changes nothing."""
    a, b = _stakeholder(a_id), _stakeholder(b_id)
    if a.id == b.id:
        raise TrackerError(f"{a.name} (ID {a.id}) is one record: name two different stakeholders.")
    first, second = _ordered(a.uuid, b.uuid)
    with writing():
        if NotDuplicate.get_or_none(NotDuplicate.first == first, NotDuplicate.second == second) is not None:
            return
        actor = current_actor()
        NotDuplicate.create(first=first, second=second, user=actor.user, council=actor.council)
        _audit([(a, b), (b, a)], "not-duplicate", source)
        announce(Change.of_whole(TABLE))


def forget_not_duplicates(a_id, b_id, source=""):
    """Offer the pair again (undoing :func:`mark_not_duplicates`); audited and announced."""
    a, b = _stakeholder(a_id), _stakeholder(b_id)
    first, second = _ordered(a.uuid, b.uuid)
    with writing():
        gone = NotDuplicate.delete().where(NotDuplicate.first == first, NotDuplicate.second == second).execute()
        if gone:
            _audit([(a, b), (b, a)], "may-be-duplicate", source, taken_back=True)
            announce(Change.of_whole(TABLE))


def _audit(pairs, operation, source, taken_back=False):
    """One entry on each record: "not a duplicate of NAME (UUID)" said (new value) or taken back (old value)."""
    actor, at = current_actor(), utcnow()
    entries = []
    for rec, other in pairs:
        said = f"{other.name} ({other.uuid})"
        old, new = (said, None) if taken_back else (None, said)
        entries.append(audit.change_entry(at, actor, operation, Stakeholder._meta.table_name, rec.uuid,
                                          "not a duplicate of", old, new, source))
    audit.write_entries(entries)


def remembered_pairs():
    """Every remembered pair as two UUIDs (one query, for the review)."""
    return NotDuplicate.select(NotDuplicate.first, NotDuplicate.second).tuples()


def not_duplicate_pairs():
    """Every remembered pair, by UUID (for the exchange workbook), oldest first."""
    N = NotDuplicate
    return [NotDuplicatePair(str(first), str(second), at, user, council) for first, second, at, user, council in
            N.select(N.first, N.second, N.at, N.user, N.council).order_by(N.at, N.id).tuples()]


def add_not_duplicate_pairs(pairs, source=""):
    """Remember pairs read from elsewhere (an exchange workbook): ``pairs`` of (uuid, uuid) or
    :class:`NotDuplicatePair`; a pair already known, or of one record twice, is skipped.  The records need not
    be held yet (the pair waits for them).  Returns how many were new; one announcement, audited on the records
    held here."""
    known = {(p.first, p.second) for p in not_duplicate_pairs()}
    actor = current_actor()
    new = {}
    for pair in pairs:
        if isinstance(pair, NotDuplicatePair):
            key, at, user, council = _ordered(pair.first, pair.second), pair.at, pair.user, pair.council
        else:
            key, at, user, council = _ordered(*pair), None, actor.user, actor.council
        if key[0] != key[1] and key not in known and key not in new:
            new[key] = {"first": key[0], "second": key[1], "at": at or utcnow(), "user": user or "",
                        "council": council or ""}
    if not new:
        return 0
    with writing():
        bulk_insert(NotDuplicate, list(new.values()))
        uuids = {u for key in new for u in key}
        S = Stakeholder
        records = {str(r.uuid): r for r in S.select(S.id, S.uuid, S.name).where(S.uuid.in_(list(uuids)))}
        _audit([(records[x], records[y]) for first, second in new for x, y in ((first, second), (second, first))
                if x in records and y in records], "not-duplicate", source)
        announce(Change.of_whole(TABLE))
    return len(new)

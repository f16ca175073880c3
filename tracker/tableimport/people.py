"""Planning people and organisations (imports as stakeholders, and the people of an attendance list).

Each record row is a person (a name, or a first name and surname) or, with no person named, an
organisation.  A person's organisation column names an organisation matched among those held
(``tracker.services.matching``: normalised names) or created once for the whole file; a new
organisation takes the row's sector, else "other".  The person is matched (email, then name and
organisation), doubtful (held for review, or created with ``--uncertain create``; unless the same
name and organisation was linked by hand to one of the candidates before, in the held review or the
preview: then it is that match again), new, or erased on request (left alone); in an attendance
list, one whose registration says "Not attending", cancelled or refunded is left out (neither
created nor changed).  Rows of one person within the file (the same email, or the same name at
the same organisation: someone who signed in twice) are one person: later rows fill the first.
A row naming a second contact (a school's deputy or DSL beside its head) is two people
(``contacts``), each matched on their own.

What a match changes follows ``--on-match``: ``fill`` only empty fields (the default), ``update``
every field the row gives a different value for, ``skip`` nothing.
"""

from dataclasses import dataclass, field

from tracker import services
from tracker.errors import NotFoundError
from tracker.records import STAKEHOLDER
from tracker.records.cells import unknown_council
from tracker.services import tableimports
from tracker.services.matching import email_key, organisation_key, person_key
from tracker.tableimport import contacts
from tracker.tableimport.table import Problem

ERASED_NOTE = "erased on request: not imported"
NOT_ATTENDING = "not attending"  # an attendance row's action: left out, see _leave_out_not_attending
FIELD_NAMES = frozenset(f.name for f in STAKEHOLDER.fields)  # what ``k in STAKEHOLDER`` asks, as a set
PERSON_FIELDS = ("role", "email", "phone", "address", "website", "influence", "interest", "tags", "sector")
CHANGEABLE = (*PERSON_FIELDS, "notes")  # what a match may change in the held record (_changes), in this order


@dataclass
class Entry:
    sheet: str
    row: int
    action: str  # add, match, held, erased, same, not attending
    values: dict  # the service's keywords (organisation as the organisation's key, councils as Council records)
    kind: str = "person"
    organisation: str = ""  # key of the person's organisation (see Plan.organisations)
    record_id: int = None  # the held record matched
    changes: dict = field(default_factory=dict)  # field -> (held value, new value)
    candidates: list = field(default_factory=list)  # [{id, name, score}]
    same_as: object = None  # the Entry of the earlier row of the same person
    attending: bool = True
    registration: str = ""  # what an attendance row's registration status said
    written: dict = field(default_factory=dict)
    how: str = ""
    flags: dict = field(default_factory=dict)  # what the preview points out about the row (plan.as_json's records)
    role_at_event: str = ""  # an attendance row's role at the event (a field: set on 10k entries, not added to each)

    @property
    def name(self):
        return self.values.get("name") or self.values.get("title", "")

    @property
    def email(self):
        return self.values.get("email", "")


@dataclass
class Organisation:
    key: str
    name: str
    values: dict
    record_id: int = None  # held; None: created by the import
    rows: list = field(default_factory=list)
    created_id: int = None  # the record the import made for it
    candidates: list = field(default_factory=list)  # held organisations with a close name: a doubtful match


def council_named(name, record, column, problems):
    """The council ``name`` names, or None with a problem naming the councils this database knows."""
    try:
        return services.councils.find(name)
    except NotFoundError:
        known = [c.name for c in services.councils.all_councils()]
        problems.append(Problem(record.sheet, record.row, column, name, unknown_council(known)))
        return None


def councils_of(record, problems):
    names = record.values.pop("councils", None)
    if not names:
        return None
    found = []
    for name in names:
        council = council_named(name, record, record.columns.get("councils", "Councils"), problems)
        if council is None:
            return None
        found.append(council)
    return found


def plan_people(plan, records, matcher, tick=None):
    """Add an :class:`Entry` to ``plan.entries`` per record (and organisations to ``plan.organisations``);
    ``tick(records done)`` every 500 records (it may raise to stop)."""
    seen_email, seen_name = {}, {}  # the first entry of each person within the file, by email and by name
    linked = tableimports.RememberedLinks()  # rows linked by hand before: matched, not held again
    records = contacts.split(records, plan.problems)  # a row naming a second contact is two people
    names, people = _names_of(records)
    matcher.prepare(people)  # every row's close-name search in one batch
    problems, entries, organisations = plan.problems, plan.entries, plan.organisations
    hold = plan.options.uncertain == "hold"
    for done, record in enumerate(records):
        if tick is not None and done % 500 == 0:
            tick(done)
        v = dict(record.values)
        councils = councils_of(record, problems) if "councils" in v else None  # (None without: councils_of's answer)
        name = names[done]
        v.pop("name", None), v.pop("first_name", None), v.pop("surname", None)
        org_name = v.pop("organisation", "")
        registration = v.pop("attending", "")
        attending = _attending(registration) if registration else True
        role_at_event = v.pop("attendance_role", "")
        kind = v.pop("kind", None) or ("person" if name else "organisation")
        notes = v.get("notes")
        if notes:  # the notes column's words first, then the words kept from other columns
            del v["notes"]
            notes = "\n".join([notes, *record.notes]) if record.notes else notes
        else:
            notes = "\n".join(record.notes) if record.notes else ""
        values = v if FIELD_NAMES.issuperset(v) else {k: val for k, val in v.items() if k in FIELD_NAMES}
        if notes:
            values["notes"] = notes
        if councils is not None:
            values["councils"] = councils
        if kind == "organisation":
            org = _organisation(plan, matcher, name or org_name, values, record)
            _fill(org.values, values)
            entry = Entry(record.sheet, record.row, "match" if org.record_id else "add",
                          {**values, "name": org.name, "kind": "organisation"}, kind="organisation",
                          record_id=org.record_id, written=record.written, organisation=org.key)
            if org.record_id:
                entry.changes = _changes(plan, org.record_id, entry.values)
            entries.append(entry)
            continue
        values["name"], values["kind"] = name, "person"
        entry = Entry(record.sheet, record.row, "add", values, attending=attending, written=record.written,
                      registration=registration, role_at_event=role_at_event)
        org_key = organisation_key(org_name)
        if org_name:
            org = organisations.get(org_key)
            if org is None:
                org = _organisation(plan, matcher, org_name, values, record)  # (reads only its sector)
            else:
                org.rows.append(record.row)
            entry.organisation = org.key
        email = values.get("email") or ""
        key_email = email.casefold()
        key_name = (person_key(name), org_key)  # (also the matcher's keys: worked out once)
        first = (key_email and seen_email.get(key_email)) or seen_name.get(key_name)
        if first is not None:
            entry.action, entry.same_as = "same", first
            if attending and not first.attending:  # registered twice, one of them cancelled: they attend
                first.attending, first.registration = True, registration
            if first.action == "erased":
                entry.action, entry.flags["note"] = "erased", ERASED_NOTE
            _fill(first.values, values)
            entries.append(entry)
            continue
        seen_name[key_name] = entry
        if key_email:
            seen_email[key_email] = entry
        match = matcher.person(name, values.get("email", ""), org_name, key_name)
        entry.how = match.how
        status = match.status
        if status == "new":
            pass
        elif status == "matched":
            entry.action = "match"
            entry.record_id = match.record.id
        elif status == "erased":  # said so, and nothing more: not which record, nor how it was known
            entry.action, entry.how, entry.flags["note"] = "erased", "", ERASED_NOTE
        elif status == "doubtful" and (before := linked.among(name, org_name, match.candidates)):
            entry.action, entry.how, entry.record_id = "match", "linked before", before.id
            entry.flags["note"] = f"linked to {before.name} before (ID {before.id}): matched, not held again"
        elif status == "doubtful":
            entry.candidates = [{"id": h.id, "name": h.name, "score": s,
                                 "organisation": matcher.organisation_name(h), "email": h.email}
                                for h, s in match.candidates]
            entry.action = "held" if hold else "add"
        entries.append(entry)
    if plan.options.kind == "attendance":
        _leave_out_not_attending(plan)
    _hold_doubtful_organisations(plan)
    plan.prefetch([e.record_id for e in plan.entries if e.action == "match"])
    for entry in plan.entries:
        if entry.action == "match" and entry.kind == "person":
            entry.changes = _changes(plan, entry.record_id, entry.values, entry.organisation)


def _leave_out_not_attending(plan):
    """A registration "Not attending", cancelled or refunded is no attendance: its row is left out, the
    person neither created, filled nor held for review (one already held simply does not attend);
    the preview says why."""
    for entry in plan.entries:
        if entry.kind == "person" and not entry.attending and entry.action in ("add", "match", "held"):
            entry.action, entry.record_id, entry.candidates, entry.changes = NOT_ATTENDING, None, [], {}
            entry.flags["note"] = (f"registration {entry.registration!r}: not attendance, so the row is "
                                   "left out (no person created or changed)")


def _hold_doubtful_organisations(plan):
    """A row that would create an organisation whose name is close to a held one's waits for review
    (held, with those organisations as candidates) rather than making a near-duplicate.  A matched
    person keeps their record and is not linked to it (the preview says why)."""
    doubtful = {key: org for key, org in plan.organisations.items() if org.candidates}
    if not doubtful:  # (most imports: no entry to look at)
        return
    for entry in plan.entries:
        org = doubtful.get(entry.organisation) if entry.organisation else None
        if org is None:
            continue
        if entry.action in ("add", "held"):
            entry.action, entry.how = "held", entry.how or "close organisation name"
            entry.candidates = entry.candidates + org.candidates
            entry.flags["note"] = close_note(org)
            if entry.kind == "organisation":
                entry.organisation = ""  # the row is the organisation itself
        elif entry.action == "match":
            entry.organisation = ""
            entry.flags["note"] = f"not linked to {org.name!r}, which is close to one held: {_close(org)}"


def close_note(org):
    """What the preview says of a row held because its organisation's name is close to a held one's."""
    return f"organisation {org.name!r} is close to one held: {_close(org)}"


def _close(org):
    return "; ".join(f"{c['name']} ({c['score']}%)" for c in org.candidates)


def _names_of(records):
    """(each record's name, as plan_people reads it: its name, else its first name and surname; [(name, email)]
    of the records that are people)."""
    names, people = [], []
    for record in records:
        v = record.values
        name = v.get("name")
        if not name:  # a first name and a surname as one name (either alone when the other is blank)
            first_name, surname = v.get("first_name", ""), v.get("surname", "")
            name = f"{first_name} {surname}" if first_name and surname else first_name or surname
        names.append(name)
        if name and (v.get("kind") or "person") == "person":
            people.append((name, v.get("email") or ""))
    return names, people


def _attending(text):
    if not text:  # most rows: no registration column
        return True
    words = text.casefold()
    return not any(w in words for w in ("not attending", "cancel", "refund", "declined", "did not attend", "no show",
                                        "absent", "apolog")) and words not in ("no", "n")


def _organisation(plan, matcher, name, values, record):
    key = organisation_key(name)
    org = plan.organisations.get(key)
    if org is None:
        held = matcher.organisation(name)
        org = Organisation(key, held.name if held else name,
                           {"sector": values.get("sector") or "other", "kind": "organisation"},
                           held.id if held else None)
        if held is None and plan.options.uncertain == "hold" and plan.options.kind in ("stakeholders", "attendance", "commitments"):
            org.candidates = [{"id": h.id, "name": h.name, "score": score, "kind": "organisation"}
                              for h, score in matcher.close_organisations(name)]
        plan.organisations[key] = org
    org.rows.append(record.row)
    return org


def _fill(first, later):
    for name, value in later.items():
        if value not in (None, "", []) and first.get(name) in (None, "", []):
            first[name] = value


def _changes(plan, record_id, values, organisation_key_=""):
    """field -> (held, new) that ``--on-match`` makes to the held record ``record_id``."""
    mode = plan.options.on_match
    if mode == "skip":
        return {}
    held = plan.held_record(record_id)
    changes = {}
    for name in CHANGEABLE:
        if name not in values:  # (a row gives a few of them)
            continue
        new = values[name]
        if new in (None, "", []):
            continue
        old = getattr(held, name)
        empty = old in (None, "") or (name == "sector" and old == "other")
        if name == "notes" and not empty:
            lines = [line for line in str(new).splitlines() if line not in old]
            if mode == "update" and lines:
                changes[name] = (old, old + "\n" + "\n".join(lines))
            continue
        if empty or (mode == "update" and old != new):
            if old != new and not (name == "email" and not empty and email_key(old) == email_key(new)):
                changes[name] = (old, new)  # (an email in other capitals is the same address: the held one stays)
    if "councils" in values:
        old = plan.held_councils(record_id)
        new = values["councils"]
        if (not old or mode == "update") and {c.id for c in old} != {c.id for c in new}:
            changes["councils"] = (old, sorted({c.id: c for c in (*old, *new)}.values(), key=lambda c: c.name)
                                   if mode == "fill" else new)
    if organisation_key_ and held.kind == "person":
        org = plan.organisations[organisation_key_]
        if held.organisation_id is None or (mode == "update" and org.record_id != held.organisation_id):
            changes["organisation"] = (held.organisation_id, org)
    return changes

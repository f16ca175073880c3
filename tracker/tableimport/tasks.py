"""Planning attendance, actions and commitments from a partner's table.

- **attendance**: each person of the list (``people``) attends the event, unless their registration
  says otherwise ("Not attending", cancelled, refunded, declined: the row is left out, no person
  created or changed); one already recorded as attending is unchanged.
- **actions**: matched to a held action by our reference (``HAV-A0042``) or, failing that, by the
  same title; the owner is a held person or organisation named exactly, else kept as written in the
  description (a team or unit is never invented as a person); the commitment is named by its title;
  the council by name or code; a partner's own RAG is kept in the description (ours is computed
  from the due date and status), and the preview flags a row whose RAG is not ours, with both.
- **commitments**: matched by the same title made by the same stakeholder; made by the organisation
  named (matched, or created; one whose name is only close to a held one's holds the row for review,
  like the stakeholders import, rather than making a near-duplicate, unless a commitment of that title
  is held made by one of those close organisations: the row linked before, matched again) or, with none, by the person (the contact who answered a form is the
  contact, their organisation made it): one held, else created once for the file (never one erased on
  request: that row is left out); date made defaults to today; its own RAG read as a RAG.
- the preview points out (an entry's ``note``) a status or RAG read as no value (a new record takes the
  default) and a date whose year was assumed ("end of March").
"""

from dataclasses import dataclass

from tracker import services, vocab
from tracker.records import ACTION, COMMITMENT, STAKEHOLDER, FieldError
from tracker.services import tableimports
from tracker.services.actions import action_rag
from tracker.services.matching import organisation_key, person_key
from tracker.tableimport.people import (ERASED_NOTE, Entry, Organisation, _organisation, close_note, council_named,
                                        councils_of)
from tracker.tableimport.table import Problem
from tracker.tableimport.values import choice_of, is_no_value

ACTION_FIELDS = ("description", "due_date", "priority", "status", "owner", "council", "commitment")
COMMITMENT_FIELDS = ("description", "target_date", "theme", "status", "rag", "made_at")


@dataclass
class Visit:
    entry: Entry
    action: str  # add, unchanged (a row not attending is no visit: people.NOT_ATTENDING)


def plan_attendance(plan):
    already = {a.stakeholder_id for a in services.attendance.attendees(plan.event)}
    for entry in plan.entries:
        if entry.action not in ("add", "match") or entry.kind != "person":
            continue
        if entry.action == "match" and entry.record_id in already:
            plan.attendance.append(Visit(entry, "unchanged"))
        else:
            plan.attendance.append(Visit(entry, "add"))


def plan_tasks(plan, records, matcher):
    kind = plan.options.kind
    owners = _OwnerFinder(matcher)
    held = tableimports.held_by_title(kind)
    new_makers = {}  # the people made makers of commitments, by email or name: one person however many rows
    for record in records:
        v = dict(record.values)
        partner_rag = v.get("rag", "") if kind == "actions" else ""
        notes = [*record.notes]
        if v.get("notes"):
            notes.insert(0, v.pop("notes"))
        if v.get("rag") and kind == "actions":  # ours is computed: theirs kept in the notes (a commitment has its own)
            notes.append(f"Partner's RAG: {v.pop('rag')}")
        if kind == "actions":
            values = _action_values(plan, record, v, owners, notes)
            found = held.get(("ref", v.get("reference", "").casefold())) or held.get(("title", values["title"].casefold()))
        else:
            values = _commitment_values(plan, record, v, matcher, notes, new_makers)
            if values is None:
                continue
            found = _held_commitment(held, values)
        entry = Entry(record.sheet, record.row, "match" if found else "add", values, kind=kind[:-1],
                      record_id=found.id if found else None, written=record.written)
        if found:
            entry.changes = _changes(plan, found, values)
            plan.held_tasks[entry.kind, found.id] = found  # (its version: the apply refuses it if changed since)
        else:
            _check_new(plan, entry)
            maker = values.get("made_by")
            if isinstance(maker, Organisation) and maker.candidates:  # no near-duplicate maker: held for review
                entry.action, entry.candidates, entry.flags["note"] = "held", list(maker.candidates), close_note(maker)
        if partner_rag:
            _compare_rag(entry, partner_rag, found)
        _flag_read_values(entry, record, found)
        plan.entries.append(entry)


def _flag(entry, text):
    entry.flags["note"] = "; ".join(n for n in (entry.flags.get("note"), text) if n)


def _flag_read_values(entry, record, found):
    """Point out in the preview what the import decided for the row: a choice's no-value words ("Status:
    TBC": a new record takes the default, a matched one keeps its own) and a date's assumed year."""
    fields = ACTION if entry.kind == "action" else COMMITMENT
    for target, words in record.no_value.items():
        field_ = fields[target]
        label = field_.heading if field_.heading.isupper() else field_.heading.lower()  # "status", "RAG"
        if found is not None:
            _flag(entry, f"{label} {words!r} is no {label}: the {entry.kind} held keeps its own")
        elif field_.new_value() is not None:
            _flag(entry, f"{label} {words!r} is no {label}: the new {entry.kind} takes the default, "
                         f"{field_.vocabulary[field_.new_value()]}")
        else:
            _flag(entry, f"{label} {words!r} is no {label}: none is set")
    for assumed in record.assumptions:
        _flag(entry, assumed)


def _held_commitment(held, values):
    """The held commitment a row is: the same title made by the same maker; for a maker whose name is only
    close to held organisations', the same title made by one of those (a row held before and linked to
    it, or decided so in the preview), which the row then names as its maker rather than holding again."""
    title, maker = values["title"].strip().casefold(), values.get("made_by")
    found = held.get(("title", title, organisation_key(maker.name) if maker else ""))
    if found is None and isinstance(maker, Organisation) and maker.candidates:
        found = next((held[key] for key in (("title", title, organisation_key(c["name"])) for c in maker.candidates)
                      if key in held), None)
        if found is not None:
            values["made_by"] = found.made_by  # the organisation held: none is created for the name as written
    return found


def _compare_rag(entry, written, held):
    """Flag an action whose partner's RAG is not the one we work out (``action_rag``) from its due date
    and status as they will be after the import: both shown in the preview, theirs kept as written."""
    try:
        theirs = choice_of(COMMITMENT["rag"], written)
    except FieldError:
        return  # a word we cannot read as a RAG ("On track") is kept as written, not compared
    if held is None:
        state = {"due_date": entry.values.get("due_date"),
                 "status": entry.values.get("status") or ACTION["status"].new_value()}
    else:
        state = {"due_date": held.due_date, "status": held.status}
    state.update({k: new for k, (_, new) in entry.changes.items() if k in state})
    ours = action_rag(state["due_date"], state["status"])
    if theirs != ours:
        entry.flags["rag"] = {"partner": vocab.RAG[theirs], "ours": vocab.RAG.get(ours), "written": written}
        entry.flags["note"] = (f"partner's RAG {vocab.RAG[theirs]}, ours "
                               f"{vocab.RAG[ours] if ours else 'none (the action is cancelled)'}")


def _action_values(plan, record, v, owners, notes):
    values = {k: v[k] for k in ("title", "due_date", "priority", "status") if k in v}
    values.setdefault("title", "")
    description = [v["description"]] if v.get("description") else []
    if v.get("reference") and not tableimports.is_our_reference(v["reference"]):
        description.append(f"Partner's reference: {v['reference']}")
    if v.get("owner"):
        owner = owners.find(v["owner"])
        if owner is None:
            description.append(f"Owner (as written): {v['owner']}")
        else:
            values["owner"] = owner
    if v.get("council"):
        council = council_named(v["council"], record, record.columns["council"], plan.problems)
        if council is not None:
            values["council"] = council
    if v.get("commitment"):
        commitment = tableimports.commitment_named(v["commitment"])
        if commitment is None:
            description.append(f"Commitment (as written): {v['commitment']}")
        else:
            values["commitment"] = commitment
    description += notes
    if description:
        values["description"] = "\n".join(description)
    return values


def _commitment_values(plan, record, v, matcher, notes, new_makers):
    values = {k: v[k] for k in ("title", "date_made", "target_date", "theme", "status") if k in v}
    values.setdefault("title", "")
    if v.get("rag"):  # read as text (an action keeps a partner's RAG in its notes); a commitment has its own
        try:
            values["rag"] = choice_of(COMMITMENT["rag"], v["rag"])
        except FieldError as exc:
            if not is_no_value(v["rag"]):
                plan.problems.append(Problem(record.sheet, record.row, record.columns["rag"], v["rag"], exc.reason))
                return None
            record.no_value["rag"] = v["rag"]
            notes.append(f"{record.columns['rag']}: {v['rag']}")  # the words kept, as a no-value date's are
    councils = councils_of(record, plan.problems)
    if councils:
        values["councils"] = councils
    maker_name = v.get("made_by") or v.get("organisation")
    if maker_name:
        values["made_by"] = _organisation(plan, matcher, maker_name, {}, record)
    elif v.get("contact"):
        maker = _person_maker(plan, record, v, matcher, new_makers)
        if maker is None:
            return None
        values["made_by"] = maker
    if v.get("contact") and maker_name:
        notes.append(f"Contact: {v['contact']}" + (f" ({v['email']})" if v.get("email") else ""))
    if v.get("made_at"):
        event = tableimports.find_event(v["made_at"])
        if event is not None:
            values["made_at"] = event
        else:
            notes.append(f"Made at (as written): {v['made_at']}")
    description = ([v["description"]] if v.get("description") else []) + notes
    if description:
        values["description"] = "\n".join(description)
    return values


def _person_maker(plan, record, v, matcher, new_makers):
    """The person who made a commitment that names no organisation: the one held (email, then name), else a
    new person (an :class:`Entry` added to the plan once for the file, made before the commitments); None,
    the row left out, for one only close to people held (a problem: which of them?) or erased on request."""
    name, email = v["contact"], v.get("email", "")
    held = matcher.person(name, email)
    if held.status == "matched":
        return services.stakeholders.get(held.record.id)
    if held.status == "erased":
        plan.entries.append(Entry(record.sheet, record.row, "erased", {"title": v.get("title", "")},
                                  kind="commitment", written=record.written,
                                  flags={"note": f"made by a person {ERASED_NOTE}"}))
        return None
    if held.status == "doubtful":
        why = ("names no organisation, and is not certainly one of the people held under a name like it ("
               + "; ".join(f"{h.name}, ID {h.id}, {score}%" for h, score in held.candidates)
               + "): give the row their organisation or the email held")
        plan.problems.append(Problem(record.sheet, record.row, record.columns["contact"], name, why))
        return None
    keys = [k for k in (("email", email.strip().casefold()), ("name", person_key(name))) if k[1]]
    maker = next((new_makers[k] for k in keys if k in new_makers), None)
    if maker is None:
        values = {"name": name, "kind": "person", **({"email": email} if email else {})}
        for field_name, reason in STAKEHOLDER.validate({**STAKEHOLDER.defaults(), **values}).items():
            column = record.columns.get("email" if field_name == "email" else "contact", "Contact")
            plan.problems.append(Problem(record.sheet, record.row, column, str(values.get(field_name, "")), reason))
            return None
        maker = Entry(record.sheet, record.row, "add", values, written=record.written,
                      flags={"note": "nobody held is called that: a new person, the commitment's maker"})
        plan.entries.append(maker)
    for key in keys:
        new_makers.setdefault(key, maker)
    return maker


class _OwnerFinder:
    """A held person or organisation named exactly (normalised), or None: never a guess."""

    def __init__(self, matcher):
        self.matcher = matcher

    def find(self, text):
        people = self.matcher.people.get(person_key(text), [])
        if len(people) == 1:
            return services.stakeholders.get(people[0].id)
        org = self.matcher.organisations.get(organisation_key(text))
        return services.stakeholders.get(org.id) if org is not None else None


def _changes(plan, held, values):
    mode = plan.options.on_match
    if mode == "skip":
        return {}
    names = ACTION_FIELDS if plan.options.kind == "actions" else COMMITMENT_FIELDS
    changes = {}
    for name in names:
        new = values.get(name)
        if new in (None, "", []):
            continue
        old = getattr(held, name)
        if name == "description" and old and mode == "fill":
            continue
        if old in (None, "") or (mode == "update" and old != new):
            if old != new:
                changes[name] = (old, new)
    return changes


def _check_new(plan, entry):
    record = ACTION if plan.options.kind == "actions" else COMMITMENT
    state = {**record.defaults(), **{k: v for k, v in entry.values.items() if k != "councils"}}
    for name, reason in record.validate(state).items():  # a planned organisation passes as a link
        plan.problems.append(Problem(entry.sheet, entry.row, record[name].title, str(state.get(name) or ""),
                                     reason))

"""Which column means which field: the targets each kind of import offers, the synonyms that suggest
them, and the options a person uses to say otherwise.

A target is a field of the registry (``tracker.records``: its label is what people read, its
``parse`` reads the values) or one of a few words of a table that are not a field by themselves:
``first_name`` + ``surname`` make a name, ``organisation`` names the person's organisation (matched
or created), ``rag`` is a partner's own RAG (kept in the notes where ours is computed),
``attending`` a registration's status ("Not attending" is no attendance), ``contact`` the person
who answered a form for their organisation.  :func:`suggest` maps each header by its synonyms,
then by the registry's own headings (``Kind.find``: "Due date", "DUE", "due_date"); each target is
taken by the first column naming it, except text that several columns may add to (notes,
description), and a header nobody recognises maps to nothing (ignored).  A person may map several
columns to one text target (:func:`joinable`: "Address 1" + "Address 2", two notes columns): their
values are joined in column order (:func:`joiner`: a new line for notes and descriptions, else a space).
"""

import re

from tracker import records
from tracker.records import LONG_TEXT, TEXT

PERSON = ("name", "first_name", "surname", "organisation", "kind", "sector", "role", "email", "phone", "address",
          "website", "influence", "interest", "councils", "tags", "notes")
# A second person in the same row (a school's deputy or DSL beside its head): see ``contacts``.
SECOND = ("contact2_name", "contact2_email", "contact2_phone", "contact2_role")
TARGETS = {
    "stakeholders": PERSON + SECOND,
    "attendance": PERSON + SECOND + ("attending", "attendance_role"),  # both people of a row attend
    "actions": ("reference", "title", "description", "commitment", "owner", "council", "due_date", "priority",
                "status", "rag", "notes"),
    "commitments": ("title", "description", "made_by", "organisation", "contact", "email", "made_at", "date_made",
                    "target_date", "theme", "status", "rag", "councils", "notes"),
}
KIND_OF = {"stakeholders": records.STAKEHOLDER, "attendance": records.STAKEHOLDER, "actions": records.ACTION,
           "commitments": records.COMMITMENT}
COMBINED = frozenset({"notes", "description"})  # several columns add to one text (each under its header)
_TEXT_WORDS = frozenset({"name", "first_name", "surname", "organisation", "contact", "notes"})
DATE_ORDERS = ("day-first", "month-first")
# What a table must map to be imported as the kind (any one of each group).
NEEDED = {"stakeholders": (("name", "surname", "organisation", "email"),),
          "attendance": (("name", "surname", "email"),),
          "actions": (("title",),),
          "commitments": (("title",), ("made_by", "organisation", "contact"))}
OWN_WORDS = {"first_name": "First name", "surname": "Surname",
             "rag": "RAG (partner's own)", "attending": "Attending", "attendance_role": "Role at the event",
             "contact": "Contact (who answered)", "notes": "Notes",
             "contact2_name": "Second contact", "contact2_email": "Second contact's email",
             "contact2_phone": "Second contact's phone", "contact2_role": "Second contact's role"}

_SYNONYMS = {
    "name": "name|full name|attendee|attendee name|delegate|delegate name|contact name|participant|person|your name|"
            "name of attendee|names|stakeholder|stakeholder name",
    "first_name": "first name|forename|forenames|given name|firstname|first",
    "surname": "surname|last name|family name|lastname|second name",
    "organisation": "organisation|organization|agency|company|employer|organisation name|organization name|"
                    "partner|partner organisation|school|org|organisation agency|agency organisation|service",
    "role": "role|job title|position|job role|designation|post",
    "email": "email|e mail|email address|e mail address|mail|contact email|your email|work email",
    "phone": "phone|telephone|tel|mobile|phone number|telephone number|contact number|tel no|mobile number",
    "address": "address|postal address|postcode",
    "website": "website|web site|web|url|web address",
    "councils": "councils|council|borough|boroughs|area|local authority",
    "sector": "sector|type of organisation|organisation type|type",
    "tags": "tags|keywords|category",
    "notes": "notes|note|comments|comment|remarks|additional information|dietary requirements|access requirements",
    "attending": "attending|attendance|attendee status|registration status|ticket status|rsvp|status",
    "attendance_role": "role at event|event role|attending as",
    "reference": "ref|reference|action ref|action reference|action no|action number|no|id|action id",
    "title": "title|action|action title|task|commitment|pledge|commitment title",
    "description": "description|details|detail|action description|progress update|update|latest update|"
                   "progress notes|commitment description",
    "owner": "owner|lead|lead officer|action owner|responsible|responsible officer|assigned to|who|action lead",
    "council": "council|borough|lead borough",
    "due_date": "due|due date|target date|deadline|by when|date due|completion date|target completion date",
    "priority": "priority",
    "status": "status|progress|action status|current status",
    "rag": "rag|rag status|r a g|rag rating",
    "commitment": "commitment|commitment ref|commitment reference|linked commitment",
    "made_by": "made by|committed by|partner|organisation|organization|agency|by whom",
    "contact": "contact|respondent|name|your name|submitted by",
    "made_at": "made at|event|meeting",
    "date_made": "date made|date|made on|date committed|submitted|completion time|start time|date agreed",
    "target_date": "target date|deadline|by when|due|due date|target",
    "theme": "theme|topic|priority area|workstream",
}
# Who a column names: a school's head is its first person, a deputy or DSL its second ("DSL email").
_HEAD = ("head", "headteacher", "head teacher", "principal", "executive headteacher")
_SECOND_WHO = ("second contact", "contact 2", "2nd contact", "other contact", "alternative contact",
               "secondary contact", "deputy", "deputy head", "deputy headteacher", "deputy head teacher", "dsl",
               "designated safeguarding lead", "safeguarding lead")
_ABOUT = {"email": ("email", "email address", "e mail"), "phone": ("phone", "telephone", "tel", "mobile"),
          "role": ("role", "job title", "position")}
for _who in _HEAD:
    _SYNONYMS["name"] += f"|{_who}"
    for _what in ("email", "phone"):
        _SYNONYMS[_what] += "".join(f"|{_who} {word}" for word in _ABOUT[_what])
_SYNONYMS["contact2_name"] = "|".join(f"{who}|{who} name" for who in _SECOND_WHO)
for _what, _words in _ABOUT.items():
    _SYNONYMS[f"contact2_{_what}"] = "|".join(f"{who} {word}" for who in _SECOND_WHO for word in _words)
# Headers that name a role: the person in that column has it when no role column says otherwise.
ROLE_HEADERS = frozenset(_HEAD[1:] + _SECOND_WHO[6:])

# A kind reads some headers its own way ("Title" of an action is its title, of a person their honorific).
KIND_SYNONYMS = {
    "stakeholders": {"title": None, "status": None},
    "attendance": {"title": None, "status": "attending"},
    "actions": {"action": "title", "notes": "notes", "comments": "notes", "organisation": None,
                "commitment": "commitment"},  # an action log's "Commitment" column names the commitment, not the title
    "commitments": {"organisation": "organisation", "partner": "made_by", "name": "contact", "notes": "notes",
                    "commitment": "title"},
}


def header_key(text):
    """A header as compared: case, punctuation and spacing ignored ("E-mail address" = "email address")."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text or "").replace("\u00a0", " ").casefold()).split())


def _synonyms():
    out = {}
    for target, words in _SYNONYMS.items():
        for word in words.split("|"):
            out.setdefault(word, []).append(target)
    return out


SYNONYMS = _synonyms()


def target_label(kind, target):
    if target in OWN_WORDS:
        return OWN_WORDS[target]
    record = KIND_OF[kind]
    return record[target].title if target in record else target.replace("_", " ").capitalize()


def guess(kind, header):
    """The target ``header`` suggests for an import ``kind``, or None."""
    key = header_key(header)
    if not key:
        return None
    targets = TARGETS[kind]
    special = KIND_SYNONYMS.get(kind, {})
    if key in special:
        return special[key]
    for target in SYNONYMS.get(key, ()):
        if target in targets:
            return target
    field = KIND_OF[kind].find(header)
    return field.name if field is not None and field.name in targets else None


def unique_headers(cells):
    """The header row's texts, told apart when they repeat ("Email", "Email (2)"); an empty header
    becomes its column's letter."""
    seen, out = {}, []
    for i, cell in enumerate(cells):
        text = " ".join(str(cell).split()) if cell not in (None, "") else f"Column {column_letter(i)}"
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        n = seen.get(text.casefold(), 0) + 1
        seen[text.casefold()] = n
        out.append(text if n == 1 else f"{text} ({n})")
    return out


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def joinable(kind, target):
    """Whether several columns may be imported as ``target`` (text: their values joined)."""
    if target in COMBINED or target in _TEXT_WORDS:
        return True
    record = KIND_OF[kind]
    return target in record and record[target].type in (TEXT, LONG_TEXT)


def joiner(target):
    """What joins the values of several columns imported as ``target``."""
    return "\n" if target in COMBINED else " "


def suggest(kind, headers, told=None):
    """{header: target or None}: ``told`` ({header: target or None}, from --map or a preset) first,
    then each header's guess; a target is taken once unless several columns may add to it (text the
    person mapped several columns to, or notes and descriptions)."""
    told = {header_key(h): t for h, t in (told or {}).items()}
    mapping, taken = {}, set()
    for header in headers:
        key = header_key(header)
        target = told[key] if key in told else guess(kind, header)
        if (target is not None and target in taken and target not in COMBINED
                and not (key in told and joinable(kind, target))):
            target = None
        mapping[header] = target
        if target is not None:
            taken.add(target)
    return mapping


def fits(kind, mapping):
    """Why a mapping cannot import a table as ``kind`` (None when it can)."""
    mapped = set(t for t in mapping.values() if t)
    for group in NEEDED[kind]:
        if not mapped & set(group):
            words = " or ".join(target_label(kind, t) for t in group)
            return f"no column was recognised as {words}"
    return None


def parse_map_options(kind, options):
    """--map "Header=field" options as {header: target or None}; ValueError saying what is wrong."""
    told = {}
    for option in options or ():
        header, sep, target = option.rpartition("=")
        if not sep or not header.strip():
            raise ValueError(f"--map {option!r} should be \"Header=field\"")
        target = target.strip()
        if target.casefold() in ("", "ignore", "none", "-"):
            told[header.strip()] = None
            continue
        found = _target_named(kind, target)
        if found is None:
            offered = ", ".join(TARGETS[kind])
            raise ValueError(f"--map {option!r}: {target!r} is not a field of {kind} (one of: {offered}, ignore)")
        told[header.strip()] = found
    given = [t for t in told.values() if t]
    for target in set(given):
        if given.count(target) > 1 and not joinable(kind, target):
            raise ValueError(f"--map: only one column can be imported as {target} (several columns can be joined "
                             f"only into text, such as an address, a name or notes)")
    return told


def _target_named(kind, text):
    key = header_key(text).replace(" ", "_")
    for target in TARGETS[kind]:
        if key in (target, header_key(target_label(kind, target)).replace(" ", "_")):
            return target
    return None


def parse_value_options(options):
    """--map-value "Header:written=stored" options as {header key: {written (casefolded): stored}}."""
    out = {}
    for option in options or ():
        head, sep, rest = option.partition(":")
        written, sep2, stored = rest.rpartition("=")
        if not sep or not sep2 or not head.strip():
            raise ValueError(f"--map-value {option!r} should be \"Header:written=stored\"")
        out.setdefault(header_key(head), {})[written.strip().casefold()] = stored.strip()
    return out


def parse_date_options(options):
    """--dates "day-first" | "month-first" | "Header=order" options as (the order for every column or None,
    {header key: order}); ValueError saying what is wrong."""
    every, columns = None, {}
    for option in options or ():
        header, sep, order = str(option).rpartition("=")
        order = order.strip().casefold()
        if order not in DATE_ORDERS or (sep and not header.strip()):
            raise ValueError(f"--dates {option!r} should be day-first, month-first or \"Header=day-first\" "
                             f"(or month-first)")
        if sep:
            columns[header_key(header)] = order
        else:
            every = order
    return every, columns

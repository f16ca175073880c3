"""The editable list of councils (the three boroughs are seeded; tri-borough and pan-London too).

:func:`find` is where a council's name is read, wherever it comes from (the command's options, the
exchange workbook, a partner's borough column): by name or code, else by the ways people write a
borough's name (:func:`_aliases`): "Barking & Dagenham", "London Borough of Havering", "Havering
Council", "LB Redbridge", the "LB" initials ("LBBD", "LBH", "LBR"), the initials joined ("B&D") and
one word of a joined name ("Barking").  An alias two councils share means neither.
"""

import re

from peewee import fn

from tracker import vocab
from tracker.changes import Change, announce
from tracker.errors import NotFoundError, ValidationError
from tracker.migrations import council_uuid
from tracker.models import Council


def all_councils(include_inactive=False):
    q = Council.select().order_by(Council.id)
    if not include_inactive:
        q = q.where(Council.active == True)  # noqa: E712 - peewee expression
    return list(q)


def find(name_or_code):
    """A council by name or code, ignoring case, or by an alias (see the module); raises NotFoundError
    with the known names."""
    key = (name_or_code or "").strip().lower()
    council = Council.get_or_none((fn.LOWER(Council.name) == key) | (fn.LOWER(Council.code) == key))
    if council is None and key:
        council = _by_alias(_name_key(key))
    if council is None:
        names = ", ".join(c.name for c in all_councils())
        raise NotFoundError(f"There is no council called {name_or_code!r}. Known councils: {names}.")
    return council


def add(name, code, kind="borough"):
    errors = {}
    name, code = (name or "").strip(), (code or "").strip().upper()
    if not name:
        errors["name"] = "is required"
    if not code or not code.isalpha() or len(code) > 8:
        errors["code"] = "must be 1 to 8 letters"
    if kind not in vocab.COUNCIL_KINDS:
        errors["kind"] = f"must be one of: {', '.join(vocab.COUNCIL_KINDS.values())}"
    if not errors and Council.get_or_none((fn.LOWER(Council.name) == name.lower()) | (Council.code == code)):
        errors["name"] = "a council with this name or code already exists"
    if errors:
        raise ValidationError(errors, "council")
    council = Council.create(name=name, code=code, kind=kind, uuid=council_uuid(name))
    announce(Change.of_created(Council._meta.table_name, council.id))
    return council


_AFFIXES = re.compile(r"^(?:the )?(?:london borough of |royal borough of |borough of |lb of |lb )|"
                      r" (?:london borough council|borough council|council|london borough|borough)$")


def _name_key(text):
    """A council's name as compared with an alias: lower case, "&" as "and", punctuation gone, "London
    Borough of" and "Council" taken off."""
    key = " ".join(re.sub(r"[^\w]+", " ", text.casefold().replace("&", " and ")).split())
    while (shorter := _AFFIXES.sub("", key)) != key and shorter:
        key = shorter
    return key


def _aliases(council):
    """The other ways ``council``'s name is written (see the module)."""
    key = _name_key(council.name)
    yield key
    if council.kind != "borough":
        return
    words = [w for w in key.split() if w != "and"]
    yield "lb" + "".join(w[0] for w in words)
    if len(words) > 1:
        yield " and ".join(w[0] for w in words)
        yield from words


def _by_alias(key):
    found = {}
    for council in all_councils():
        for alias in set(_aliases(council)):
            found.setdefault(alias, []).append(council)
    matches = found.get(key, [])
    return matches[0] if len(matches) == 1 else None

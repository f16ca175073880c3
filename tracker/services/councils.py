"""The editable list of councils (the three boroughs are seeded; tri-borough and pan-London too)."""

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
    """A council by name or code, ignoring case; raises NotFoundError with the known names."""
    key = (name_or_code or "").strip().lower()
    council = Council.get_or_none((fn.LOWER(Council.name) == key) | (fn.LOWER(Council.code) == key))
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

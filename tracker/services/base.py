"""The one way records change: validate, write, audit, all in one transaction.

:class:`RecordService` holds what every record kind shares (create, update with optimistic
locking, soft delete, restore, lookup, search, filter, sort and paging in SQL).  Each record
kind's module subclasses it with its fields, its validation rules and its filters.
"""

import datetime as dt
import re
import uuid

from peewee import ForeignKeyField, Query, fn

from tracker.db import database
from tracker.errors import NotFoundError, StaleEditError, ValidationError
from tracker.models import Council, utcnow
from tracker.services import audit
from tracker.services.actor import current_actor

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def home_council():
    name = current_actor().council
    if not name:
        return None
    return Council.get_or_none(Council.name == name)


class RecordService:
    model = None
    what = "record"  # the record kind in users' words, for messages
    fields = ()  # editable fields, in form order
    required = ()  # fields that must have a value
    text_fields = ()  # searched by the search box
    sort_fields = {}  # sort key -> expression
    default_sort = "updated"
    council_links = None  # through model for a many-to-many "councils" field, or None

    # ---- reading -----------------------------------------------------------------
    def get(self, key, include_deleted=False):
        """Look a record up by UUID (string or UUID) or database id."""
        model = self.model
        try:
            if isinstance(key, int):
                rec = model.get_or_none(model.id == key)
            else:
                rec = model.get_or_none(model.uuid == uuid.UUID(str(key)))
        except ValueError:
            rec = None
        if rec is None or (rec.is_deleted and not include_deleted):
            raise NotFoundError(f"No {self.what} with ID {key}.")
        return rec

    def query(self, search="", filters=None, sort=None, descending=False, deleted=False):
        """A select of records matching the search text and filters, sorted in SQL.

        ``deleted``: False for live records, True for the deleted-items view.
        """
        model = self.model
        q = self.base_query()
        q = q.where(model.deleted_at.is_null(not deleted))
        for term in (search or "").split():
            q = q.where(self.search_condition(term))
        if filters:
            q = self.apply_filters(q, filters)
        key = sort or self.default_sort
        expr = self.sort_fields.get(key)
        if expr is None:
            raise ValueError(f"cannot sort {self.what} by {key!r}")
        order = expr.desc(nulls="LAST") if descending else expr.asc(nulls="LAST")
        return q.order_by(order, model.id.desc() if descending else model.id)

    def page(self, offset, limit, **query_args):
        return list(self.query(**query_args).offset(offset).limit(limit))

    def count(self, search="", filters=None, deleted=False):
        return self.query(search=search, filters=filters, deleted=deleted).order_by().count()

    def base_query(self):
        return self.model.select()

    def search_condition(self, term):
        cond = None
        for f in self.text_fields:
            c = f.contains(term)
            cond = c if cond is None else (cond | c)
        return cond

    def apply_filters(self, q, filters):
        """Subclasses handle their own filter keys; unknown keys are a programming error."""
        unknown = set(filters) - set(self.filter_keys())
        if unknown:
            raise ValueError(f"unknown {self.what} filter(s): {', '.join(sorted(unknown))}")
        return q

    def filter_keys(self):
        return ()

    # ---- changing ----------------------------------------------------------------
    def clean(self, data):
        """Normalise user input: trim text, empty optional text to ''."""
        out = {}
        for key, value in data.items():
            if key not in self.fields and key != "councils":
                raise ValueError(f"{self.what} has no field {key!r}")
            if isinstance(value, str):
                value = value.strip()
            out[key] = value
        return out

    def validate(self, data, existing=None):
        """Return {field: reason} for invalid fields; ``data`` is the complete new state."""
        errors = {}
        for name in self.required:
            value = data.get(name)
            if value is None or (isinstance(value, str) and not value):
                errors[name] = "is required"
        for name in self.fields:
            field = self.model._meta.fields.get(name)
            value = data.get(name)
            if field is None or value is None:
                continue
            if isinstance(value, str) and getattr(field, "max_length", None) and len(value) > field.max_length:
                errors[name] = f"is too long (at most {field.max_length} characters)"
            if field.field_type == "DATE" and value is not None and not _is_date(value):
                errors[name] = "is not a date"
            if isinstance(field, ForeignKeyField) and value is not None:
                target = value
                if getattr(target, "is_deleted", False):
                    errors[name] = f"refers to a deleted {field.rel_model.__name__.lower()}"
        return errors

    def _check(self, data, existing=None):
        errors = self.validate(data, existing)
        if errors:
            raise ValidationError(errors, self.what)

    def defaults(self):
        return {}

    def create(self, source="", identity=None, **data):
        """Validate and create a record; ``identity`` keeps a UUID given elsewhere (demo, import)."""
        data = self.clean(data)
        councils = data.pop("councils", None)
        state = {**self.defaults(), **data}
        self._check(state)
        with database.atomic():
            extra = self.before_create(state)
            if identity is not None:
                extra["uuid"] = identity
            rec = self.model.create(origin_council=home_council(), **state, **extra)
            if councils is not None:
                self._set_councils(rec, councils)
            snapshot = {k: v for k, v in {**state, **extra}.items() if v not in (None, "") and k != "uuid"}
            if councils:
                snapshot["councils"] = sorted(c.name for c in councils)
            audit.write(rec, "create", source=source, snapshot=snapshot)
        return rec

    def before_create(self, state):
        """Hook for values the service assigns (e.g. an action's reference)."""
        return {}

    def reload(self, record):
        rec = self.model.get_or_none(self.model.id == record.id)
        if rec is None:
            raise NotFoundError(f"The {self.what} no longer exists.")
        return rec

    def _stale(self, current):
        return StaleEditError(
            f"This {self.what} was changed by someone else since you opened it "
            f"(now at version {current.version}). Your changes were not saved; reload it and try again.",
            current=current,
        )

    def update(self, record, expected_version=None, source="", **changes):
        """Apply ``changes``; with ``expected_version`` a concurrent edit raises StaleEditError."""
        changes = self.clean(changes)
        councils = changes.pop("councils", None)
        current = self.reload(record)
        if expected_version is not None and current.version != expected_version:
            raise self._stale(current)
        state = {name: getattr(current, name) for name in self.fields}
        state.update(changes)
        self._check(state, current)
        diff = {}
        for name, new in changes.items():
            old = current.__data__.get(name)
            new_raw = new.id if hasattr(new, "_meta") else new
            if old != new_raw:
                diff[name] = (getattr(current, name), new)
        if councils is not None:
            old_names = sorted(c.name for c in self.councils_of(current))
            new_names = sorted(c.name for c in councils)
            if old_names != new_names:
                diff["councils"] = (old_names, new_names)
        if not diff:
            return current
        with database.atomic():
            values = {getattr(self.model, n): changes[n] for n in diff if n != "councils"}
            values[self.model.version] = current.version + 1
            values[self.model.updated_at] = utcnow()
            n = (
                self.model.update(values)
                .where((self.model.id == current.id) & (self.model.version == current.version))
                .execute()
            )
            if n != 1:
                raise self._stale(self.reload(current))
            if "councils" in diff:
                self._set_councils(current, councils)
            audit.write(current, "update", diff, source=source)
        return self.reload(current)

    def _set_deleted(self, record, deleted_at, operation, expected_version=None, source=""):
        current = self.reload(record)
        if expected_version is not None and current.version != expected_version:
            raise self._stale(current)
        if (current.deleted_at is None) == (deleted_at is None):
            return current
        with database.atomic():
            self.model.update(
                {self.model.deleted_at: deleted_at, self.model.version: current.version + 1,
                 self.model.updated_at: utcnow()}
            ).where(self.model.id == current.id).execute()
            audit.write(current, operation, {"deleted_at": (current.deleted_at, deleted_at)}, source=source)
        return self.reload(current)

    def delete(self, record, expected_version=None, source=""):
        """Soft delete: the record disappears from lists and can be restored."""
        return self._set_deleted(record, utcnow(), "delete", expected_version, source)

    def restore(self, record, expected_version=None, source=""):
        return self._set_deleted(record, None, "restore", expected_version, source)

    # ---- councils (many-to-many) ---------------------------------------------------
    def councils_of(self, record):
        if self.council_links is None:
            return []
        link = self.council_links
        owner = link._meta.fields[self._link_owner_field()]
        return list(Council.select().join(link).where(owner == record.id).order_by(Council.name))

    def _link_owner_field(self):
        return next(n for n, f in self.council_links._meta.fields.items()
                    if isinstance(f, ForeignKeyField) and f.rel_model is self.model)

    def _set_councils(self, record, councils):
        link = self.council_links
        owner_name = self._link_owner_field()
        owner = link._meta.fields[owner_name]
        link.delete().where(owner == record.id).execute()
        rows = [{owner_name: record.id, "council": c.id} for c in {c.id: c for c in councils}.values()]
        if rows:
            link.insert_many(rows).execute()


def ids_in(ids):
    """The right-hand side of an ``IN``: a sub-select stays one (SQLite caps bound parameters at
    32766, and a report may cover 100k records); any other iterable becomes a list."""
    return ids if isinstance(ids, Query) else list(ids)


def _is_date(value):
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def check_email(errors, name, value):
    if value and not EMAIL_RE.match(value):
        errors[name] = "is not an email address (it should look like name@example.org)"


def check_web(errors, name, value):
    if value and not value.lower().startswith(("http://", "https://")):
        errors[name] = "must start with http:// or https://"


def check_choice(errors, name, value, vocabulary, allow_empty=False):
    if value in (None, "") and allow_empty:
        return
    if value not in vocabulary:
        errors[name] = f"must be one of: {', '.join(vocabulary.values())}"


def lower(field):
    return fn.LOWER(field)

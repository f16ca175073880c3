"""The one way records change: validate, write, audit, all in one transaction.

:class:`RecordService` holds what every record kind shares (create, update with optimistic
locking, soft delete, restore, lookup, search, filter, sort and paging in SQL).  Each record
kind's module subclasses it with its filters and queries; its fields and their rules are its
``record``, the kind's entry in the registry (``tracker.records``), which ``validate`` applies.
(Over 450 lines because the batch forms, ``create_many`` and ``update_many``, sit beside the
single-record rules they must keep to, and so do the date columns that may hold a period: a date
and its precision beside it, written by every one of those paths.)
"""

import contextlib
import functools
import uuid

from peewee import ForeignKeyField, Query, fn

from tracker.bulk import bulk_insert, db_values, gc_paused, records_by_id, stored_form, uuid4s
from tracker.changes import Change, announce, batch
from tracker.db import database, is_read_only, refresh_statistics
from tracker.errors import NotFoundError, ReadOnlyDatabaseError, StaleEditError, ValidationError
from tracker.dates import as_period, precision_of
from tracker.models import Council, period_fields, utcnow
from tracker.services import audit
from tracker.services.actor import current_actor


@contextlib.contextmanager
def writing():
    """A write transaction (``database.atomic()``) whose announcements (``tracker.changes``) go out
    as one once the outermost ``writing`` block has committed, and not at all when it rolls back.
    A batch of service calls that must be all or nothing goes in one of these.  A database open
    read-only refuses here, before anything is written."""
    if is_read_only():
        raise ReadOnlyDatabaseError(READ_ONLY_REFUSAL)
    with batch(), database.atomic():
        yield


READ_ONLY_REFUSAL = "This database is open read-only, so nothing can be changed in it."


def home_council():
    """The council the actor works for (named by its name or its code, in any case), or None."""
    name = current_actor().council.lower()
    if not name:
        return None
    return Council.get_or_none((fn.LOWER(Council.name) == name) | (fn.LOWER(Council.code) == name))


class RecordService:
    model = None
    record = None  # the kind's fields and rules: a tracker.records.Kind
    text_fields = ()  # searched by the search box
    sort_fields = {}  # sort key -> expression
    default_sort = "updated"
    council_links = None  # through model for a many-to-many "councils" field, or None

    @property
    def table(self):
        """The record kind as ``tracker.changes`` names it: its table."""
        return self.model._meta.table_name

    @property
    def what(self):
        """The record kind in users' words, for messages."""
        return self.record.name

    @property
    def fields(self):
        """The fields a person edits that are kept on the record itself, in form order."""
        return self.record.own_fields

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

    def get_many(self, ids):
        """{id: record} of the live records among ``ids`` (database ids), each as :meth:`get` gives it, a query per
        500; an id :meth:`get` refuses (no such record, or deleted) is left out."""
        return {i: r for i, r in self._read_many(ids).items() if not r.is_deleted}

    def query(self, search="", filters=None, sort=None, descending=False, deleted=False):
        """A select of records matching the search text and filters, sorted in SQL.

        ``deleted``: False for live records, True for the deleted-items view.
        """
        q = self._matching(self.base_query(), search, filters, deleted)
        return q.order_by(*self._order(sort, descending))

    def _order(self, sort, descending, backwards=False):
        """A list's ORDER BY: the sort key (empty values last), ties broken by id; ``backwards``:
        exactly the reverse, so a list can be read from its end."""
        key = sort or self.default_sort
        expr = self.sort_fields.get(key)
        if expr is None:
            raise ValueError(f"cannot sort {self.what} by {key!r}")
        down = descending != backwards
        nulls = "FIRST" if backwards else "LAST"
        return (expr.desc(nulls=nulls) if down else expr.asc(nulls=nulls)), (self.model.id.desc() if down else self.model.id)

    def sorts_by_link(self, sort=None):
        """Whether the list's order is a linked record's value (an action by its owner's name)."""
        return self.sort_fields[sort or self.default_sort].model is not self.model

    def page(self, offset, limit, **query_args):
        return list(self.query(**query_args).offset(offset).limit(limit))

    def window(self, start, limit, total, search="", filters=None, sort=None, descending=False, deleted=False):
        """Rows ``start`` to ``start + limit`` of a list of ``total`` rows (``count()``), in its order,
        in two queries and one read.  Which rows they are is read as ids alone (an index, without
        the page's joins) from whichever end of the list is nearer, so the last page of 100,000 rows
        costs what the first does and the middle one what skipping half the list's ids does; then
        those rows by id.  (One query with ``id IN (subquery)`` lets SQLite walk the sort's index
        through the whole list instead: 3x slower.)"""
        end = min(start + limit, total)
        if start >= end:
            return []
        model = self.model
        backwards = total - end < start
        with database.atomic():  # both reads see the same state
            ids = [i for i, in (self._matching(self.base_query().select(model.id), search, filters, deleted)
                                .order_by(*self._order(sort, descending, backwards))
                                .offset(total - end if backwards else start).limit(end - start).tuples())]
            found = {r.id: r for r in self.base_query().where(model.id.in_(ids))}
        if backwards:
            ids.reverse()
        return [found[i] for i in ids if i in found]

    def count(self, search="", filters=None, deleted=False):
        # Without the joins a list's page needs: search and filters only use the record's own table
        # (and subqueries), and counting through the joins costs ~20x at 100,000 rows.
        return self._matching(self.model.select(fn.COUNT(self.model.id)), search, filters, deleted).scalar()

    # ---- following a change in a list ------------------------------------------------
    def rows_by_id(self, ids, search="", filters=None, sort=None, descending=False, deleted=False):
        """Those of ``ids`` that a list with these query arguments (``query()``'s) shows, as its page
        would read them (one query)."""
        q = self._matching(self.base_query(), search, filters, deleted)
        return list(q.where(self.model.id.in_(list(ids))))

    def position(self, record, search="", filters=None, sort=None, descending=False, deleted=False):
        """Where ``record`` (one of the list's rows) stands in the list's order: how many rows come
        before it.  Two queries (its sort value, then a count), so one changed row never costs a
        page of the list."""
        model = self.model
        expr = self.sort_fields[sort or self.default_sort]
        value = self.base_query().select(expr).where(model.id == record.id).scalar()
        tie_before = model.id > record.id if descending else model.id < record.id  # as query() breaks ties
        if value is None:  # nulls come last either way
            before = expr.is_null(False) | (expr.is_null() & tie_before)
        else:
            before = ((expr > value) if descending else (expr < value)) | ((expr == value) & tie_before)
        q = self._matching(self.base_query().select(fn.COUNT(model.id)), search, filters, deleted)
        return q.where(before).scalar()

    def _matching(self, q, search, filters, deleted):
        q = q.where(self.model.deleted_at.is_null(not deleted))
        for term in (search or "").split():
            q = q.where(self.search_condition(term))
        if filters:
            q = self.apply_filters(q, filters)
        return q

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
        return self._clean(data)[0]

    def _clean(self, data):
        """(:meth:`clean` of ``data``, whether it changed a value)."""
        allowed = self._field_names()
        if not allowed.issuperset(data):
            raise ValueError(f"{self.what} has no field {next(k for k in data if k not in allowed)!r}")
        out, changed = dict(data), False  # (a copy, then only the texts looked at: an import cleans 10k rows)
        for key, value in out.items():
            if isinstance(value, str):
                trimmed = value.strip()
                if len(trimmed) != len(value):
                    out[key], changed = trimmed, True
        return out, changed

    def validate(self, data, existing=None, checked=frozenset()):
        """Return {field: reason} for invalid fields; ``data`` is the complete new state.

        The rules are the registry's (``tracker.records``); the database answers uniqueness.
        ``checked``: fields already checked by the caller in this very state (``Kind.validate``).
        """
        return self.record.validate(data, existing, self._taken, checked)

    def _taken(self, names, data, existing):
        """Does another record (deleted ones too) hold these values of ``names``?"""
        q = self.model.select(self.model.id).where(*(getattr(self.model, n) == data[n] for n in names))
        if existing is not None:
            q = q.where(self.model.id != existing.id)
        return q.exists()

    @functools.cache  # noqa: B019 - services are module-level singletons
    def _field_names(self):
        return frozenset(self.fields) | {"councils"}

    def _check(self, data, existing=None):
        errors = self.validate(data, existing)
        if errors:
            raise ValidationError(errors, self.what)

    def defaults(self):
        return self.record.defaults()

    def create(self, source="", identity=None, **data):
        """Validate and create a record; ``identity`` keeps a UUID given elsewhere (demo, import)."""
        data = self.clean(data)
        councils = data.pop("councils", None)
        state = {**self.defaults(), **data}
        self._check(state)
        with writing():
            extra = self.before_create(state)
            if identity is not None:
                extra["uuid"] = identity
            rec = self.model.create(origin_council=home_council(), **state, **extra)
            if councils is not None:
                self._set_councils(rec, councils)
            audit.write(rec, "create", source=source, snapshot={**state, **extra}, councils=councils)
            announce(Change.of_created(self.table, rec.id))
        return rec

    def create_many(self, rows, source="", checked=frozenset(), creation_entries=True):
        """Create many records in one transaction: all of them, or none when any row is invalid.

        Each row is a dict of what :meth:`create` takes as keywords (fields, ``councils``, and
        ``identity`` for a UUID given elsewhere).  The rules and messages are ``create``'s; a
        ValidationError also says which row (``error.row``, counted from 1).  Records, council
        links and creation audit entries are each written with one ``executemany`` (peewee's
        ``insert_many`` spends about ten times as long building SQL).  Returns the new records'
        UUIDs in row order.  ``checked``: fields whose own rules the caller has applied to these very
        rows with the defaults (an import's plan checks every new person for its preview), not applied
        again, unless cleaning trimmed a value of the row; the rules across fields always are.
        ``creation_entries=False``: no creation entry per record; the caller records the creations itself, as an
        import does (its run and the list of what it added, which ``audit.history`` shows as each one's creation).
        """
        with gc_paused():  # 100k rows of dicts, states and parameters: see tracker.bulk
            return self._create_many(list(rows), source, frozenset(checked), creation_entries)

    def _create_many(self, rows, source, checked, creation_entries):
        defaults = self.defaults()
        allowed = self._field_names() | {"identity"}
        states, link_sets, identities, trimmed, unknown = [], [], [], [], None
        for index, data in enumerate(rows):
            # :meth:`_clean`'s work inline, on the one copy each row needs (the state): three copies of 6k rows cost more
            if not allowed.issuperset(data):
                unknown = ValueError(f"{self.what} has no field {next(k for k in data if k not in allowed)!r}")
                break  # (raised once the rows before it are checked, as before)
            state = {**defaults, **data}
            for key, value in data.items():
                if isinstance(value, str):
                    text = value.strip()
                    if len(text) != len(value) and key != "identity":  # (a UUID given elsewhere is kept as given)
                        state[key] = text
                        if trimmed[-1:] != [index]:
                            trimmed.append(index)  # (a value the caller checked is not the one written: all checked)
            identities.append(state.pop("identity", None))
            link_sets.append(state.pop("councils", None))
            states.append(state)
        first = self.record.first_invalid(states, None, self._taken, checked, trimmed)  # (validate's rules, in bulk)
        if first is not None:
            errors = self.validate(states[first], checked=frozenset() if first in trimmed else checked)
            raise ValidationError(errors, self.what).in_row(first + 1, len(rows))
        if unknown is not None:
            raise unknown
        if not states:
            return []
        with writing():
            extras = self.before_create_many(states)
            now = utcnow()
            fresh = iter(uuid4s(identities.count(None)))  # (one os.urandom for the batch)
            created = [next(fresh) if identity is None else uuid.UUID(str(identity)) for identity in identities]
            uuids = [u.hex for u in created]
            for state, extra, hex_ in zip(states, extras, uuids):
                state.update(extra)
                state["uuid"] = hex_
            texts = audit.creation_texts(states, link_sets) if creation_entries else None
            for name, f in self._periods.items():  # a period's precision goes in the column beside it
                for state in states:
                    state[f.precision] = precision_of(state.get(name))
            bulk_insert(self.model, states, constants={"origin_council": home_council(), "created_at": now,
                                                       "updated_at": now, "version": 1, "deleted_at": None})
            if any(link_sets):
                self._link_councils_many(uuids, link_sets)
            if creation_entries:
                audit.write_creations(self.model, uuids, texts, source=source)
            announce(Change.of_whole(self.table))  # the new ids are not at hand: read the kind again
        refresh_statistics()
        return created

    def before_create_many(self, states):
        """``before_create`` for a batch; a service whose values depend on each other overrides it."""
        return [self.before_create(state) for state in states]

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
            old = self._stored(current, name)
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
        with writing():
            values = {getattr(self.model, n): changes[n] for n in diff if n != "councils"}
            values.update({self.model._meta.fields[f.precision]: precision_of(changes[n])
                           for n, f in self._periods.items() if n in diff})
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
            announce(Change.of_updated(self.table, current.id))
        return self.reload(current)

    def update_many(self, items, source="", current=None):
        """:meth:`update` for many records at once (an import's matched records): ``items`` is [(record, changes)];
        the same cleaning, audit entries and version bump, the rules applied to what each change touches
        (``Kind.validate_change``: a field left alone is not judged), the records (and what they link to, when a
        rule or a changed link needs them) read a query per 500, the rows written with one ``executemany`` per set
        of changed fields and the audit entries with one.  All or nothing (a ValidationError says the field and
        why, as ``update``'s); a record changed since it was read raises StaleEditError.  Returns the records as they
        now are, in order.  ``current``: {id: record} of these records as the caller read them (a table import: at
        its preview), the UPDATE checking each one's version is still that one's; else they are read here."""
        items = [(record, self.clean(changes)) for record, changes in items]
        current = self._read_many([r.id for r, _ in items]) if current is None else current
        links = []  # [{link field: {id: record}}] of what the records link to, read once if a check or diff needs it

        def linked():
            if not links:
                links.append({n: self._read_many({c.__data__.get(n) for c in current.values()} - {None}, model)
                              for n, model in self._links.items()})
            return links[0]

        work, periods, validate, before = [], self._periods, self.record.validate_change, self._value_before
        for record, changes in items:
            rec = current.get(record.id)
            if rec is None:
                raise NotFoundError(f"The {self.what} no longer exists.")
            councils = changes.pop("councils", None)
            data = rec.__data__
            # what the change touches: a rule across fields is given the fields it reads, new or as stored
            errors = validate(changes, lambda names: {n: changes[n] if n in changes else before(rec, n, linked)
                                                      for n in names}, rec, self._taken)
            if errors:
                raise ValidationError(errors, self.what)
            diff = {n: (before(rec, n, linked), new) for n, new in changes.items()  # (``_stored`` inline)
                    if (getattr(rec, n) if n in periods else data.get(n)) != (new.id if hasattr(new, "_meta") else new)}
            if councils is not None:
                old_names = sorted(c.name for c in self.councils_of(rec))
                if old_names != sorted(c.name for c in councils):
                    diff["councils"] = (old_names, sorted(c.name for c in councils))
            if diff:
                work.append((rec, diff, changes, councils))
        if not work:
            return [current[r.id] for r, _ in items]
        with writing():
            now, table, groups = utcnow(), self.model._meta.table_name, {}
            for rec, diff, changes, _ in work:
                groups.setdefault(tuple(n for n in diff if n != "councils"), []).append((rec, changes))
            for names, group in groups.items():
                fields = [self.model._meta.fields[n] for n in self._with_precisions(names)]
                sets = "".join(f'"{f.column_name}" = {database.param}, ' for f in fields)
                stamp, changed = stored_form(database, now), [changes for _, changes in group]  # (its text once)
                columns = [self._column_values(f, changed) for f in fields]  # (a column at a time: bulk.db_values)
                params = [[*values, stamp, rec.id, rec.version]  # (no columns: only councils changed, a version bump)
                          for values, (rec, _) in zip(zip(*columns) if columns else [()] * len(group), group)]
                cursor = database.cursor()
                cursor.executemany(f'UPDATE "{table}" SET {sets}"version" = "version" + 1, "updated_at" = '
                                   f'{database.param} WHERE "id" = {database.param} AND "version" = {database.param}',
                                   params)
                if cursor.rowcount != len(group):
                    stale = [r for r, _ in group if self.reload(r).version != r.version + 1]
                    raise self._stale(self.reload(stale[0]) if stale else group[0][0])
            for rec, diff, _, councils in work:
                if "councils" in diff:
                    self._set_councils(rec, councils)
            audit.write_changes([(rec, diff) for rec, diff, _, _ in work], "update", source=source)
            announce(Change.of_updated(self.table, *(rec.id for rec, _, _, _ in work)))
        for rec, diff, changes, _ in work:  # as a reload would read them, without reading them again
            for name in diff:
                if name != "councils":
                    setattr(rec, name, changes[name])
            rec.version, rec.updated_at = rec.version + 1, now
        return [current[r.id] for r, _ in items]

    @functools.cached_property
    def _links(self):
        """{field name: the model it links to} of this kind's links."""
        return {f.name: f.rel_model for f in self.model._meta.sorted_fields
                if isinstance(f, ForeignKeyField) and f.name in self.fields}

    def _value_before(self, record, name, linked):
        """A field's value before a change, as ``getattr`` reads it (a link: the record ``linked()`` read with the
        others' links, not a query per record)."""
        if name not in self._links:
            return getattr(record, name)
        stored = record.__data__.get(name)
        return None if stored is None else linked()[name].get(stored)

    # ---- dates that may be periods (tracker.dates.Period): a date column and its precision beside it ----
    @functools.cached_property
    def _periods(self):
        """{field name: PeriodDateField} of this kind's dates that may be a month, a quarter or a year."""
        return period_fields(self.model)

    def _stored(self, record, name):
        """A field's value as stored, to compare with a new one: a linked record's id, a period as a
        Period (so that a day typed over "Mar 2019", or "Mar 2019" over its last day, is a change)."""
        return getattr(record, name) if name in self._periods else record.__data__.get(name)

    def _with_precisions(self, names):
        """``names`` and, after each date that may be a period, its precision column."""
        out = []
        for name in names:
            out.append(name)
            if name in self._periods:
                out.append(self._periods[name].precision)
        return out

    def _column_values(self, field, changed):
        """What an UPDATE writes in ``field``'s column for each of ``changed`` (changes, each of ``field`` or of the
        date whose precision it holds)."""
        name = field.name
        if name not in changed[0]:
            date_name = next(n for n, f in self._periods.items() if f.precision == name)
            return [precision_of(changes[date_name]) for changes in changed]
        if isinstance(field, ForeignKeyField):
            return [_db_value(field, changes[name]) for changes in changed]
        return db_values(field, [changes[name] for changes in changed])  # (``_db_value``'s, a column at a time)

    def _read_many(self, ids, model=None):
        """{id: record} of ``model`` (this service's) for ``ids``, a query per 500."""
        return records_by_id(model or self.model, ids)

    def _set_deleted(self, record, deleted_at, operation, expected_version=None, source=""):
        current = self.reload(record)
        if expected_version is not None and current.version != expected_version:
            raise self._stale(current)
        if (current.deleted_at is None) == (deleted_at is None):
            return current
        with writing():
            self.model.update(
                {self.model.deleted_at: deleted_at, self.model.version: current.version + 1,
                 self.model.updated_at: utcnow()}
            ).where(self.model.id == current.id).execute()
            audit.write(current, operation, {"deleted_at": (current.deleted_at, deleted_at)}, source=source)
            announce((Change.of_deleted if deleted_at else Change.of_updated)(self.table, current.id))
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

    def _link_councils_many(self, uuids, link_sets):
        """Council links for a batch just inserted (``uuids`` as hex): the new ids are looked up by UUID."""
        table = self.model._meta.table_name
        wanted = [u for u, councils in zip(uuids, link_sets) if councils]
        ids = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ", ".join([database.param] * len(chunk))
            cursor = database.execute_sql(f'SELECT "uuid", "id" FROM "{table}" WHERE "uuid" IN ({marks})', chunk)
            ids.update((uuid.UUID(str(u)).hex, i) for u, i in cursor.fetchall())
        owner = self._link_owner_field()
        bulk_insert(self.council_links, [{owner: ids[u], "council": council.id}
                                         for u, councils in zip(uuids, link_sets) if councils
                                         for council in {c.id: c for c in councils}.values()])

    def _set_councils(self, record, councils):
        link = self.council_links
        owner_name = self._link_owner_field()
        owner = link._meta.fields[owner_name]
        link.delete().where(owner == record.id).execute()
        rows = [{owner_name: record.id, "council": c.id} for c in {c.id: c for c in councils}.values()]
        if rows:
            link.insert_many(rows).execute()


def _db_value(field, value):
    if isinstance(field, ForeignKeyField):
        return None if value is None else value.__data__.get(field.rel_field.name) if hasattr(value, "_meta") else value
    return None if value is None else field.db_value(value)


def with_periods(rows, name):
    """Rows read as dicts (``.dicts()``, for reports) with the date ``name`` and its precision column
    (``name``_precision, popped) made one value: a ``tracker.dates.Period`` for a month, quarter or year."""
    precision = f"{name}_precision"
    for row in rows:
        row[name] = as_period(row[name], row.pop(precision))
        yield row


def ids_in(ids):
    """The right-hand side of an ``IN``: a sub-select stays one (SQLite caps bound parameters at
    32766, and a report may cover 100k records); any other iterable becomes a list."""
    return ids if isinstance(ids, Query) else list(ids)


def lower(field):
    return fn.LOWER(field)

"""Helpers for work over whole tables (imports, exports, reports of 100k records): the cyclic
garbage collector paused while it runs, and many rows inserted with one ``executemany``.

Plain Python and peewee only: nothing here knows which database is open or what the records
mean (that is ``tracker.db`` and ``tracker.services``), so every floor above may use it.
"""

import contextlib
import datetime as dt
import gc
import itertools
import os
import re
import uuid

from peewee import (AutoField, BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField, SqliteDatabase,
                    TextField, UUIDField)


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for the block.

    Bulk work allocates millions of tuples, lists and strings (a 100k-row sheet is 1.5M cells) and
    none of them form reference cycles, yet every 700 allocations start a collection and the
    older generations are walked again and again as the objects pile up: a fifth to a quarter of an
    import's time.  Reference counting still frees everything as usual; only cycle detection waits
    until the block ends.  (The collector is process-wide: a block that finds it already paused,
    e.g. nested, leaves it paused.)

    What the block made and kept (a table import's plan, 10k entries and their dicts, kept for the
    preview) is put straight into the oldest generation when it ends (``gc.freeze()`` then
    ``gc.unfreeze()``: two list splices), not left in the youngest: there the first allocation after
    the block walked every one of them (a 10k-row plan: 20-30 ms) and, ten collections later, the
    middle generation walked them again (about 40 ms).  They are long-lived by then, which is what the
    oldest generation is for; a cycle among them is still collected, by the next full collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():  # (nothing else of this process keeps objects frozen: see above)
                gc.freeze()
                gc.unfreeze()
            gc.enable()


# By column type, the values drivers store as they are; anything else goes through the field's db_value.
_NATIVE = {"VARCHAR": {str}, "TEXT": {str}, "INT": {int}, "DATE": {dt.date}, "DATETIME": {dt.datetime}}


def bulk_insert(model, rows, constants=None):
    """INSERT ``rows`` (dicts by field name) with one executemany; the SQL is built once.

    ``constants`` holds values shared by every row (converted once); a field in neither takes its
    default.  Values are converted as peewee would (``db_value``: a linked record becomes its id, a
    UUID its hex), skipping the call for values already of a type the driver stores as they are.
    Parameters are built a column at a time: a comprehension per column costs a third of a loop per cell
    (each value read from its row and converted in one pass: a column built, then converted, cost half again).
    """
    constants = constants or {}
    insert_columns(model, len(rows), _columns_of(model, rows, constants), constants, stored=True)


def _columns_of(model, rows, constants):
    """{field name: [its value in each row, converted as :func:`insert_columns` converts it]} of the fields not in
    ``constants`` (a missing value: the default), but those no row has (:func:`insert_columns` gives them their
    default)."""
    out, given = {}, set().union(*rows)
    for f in model._meta.sorted_fields:
        if f is model._meta.primary_key or f.name in constants or f.name not in given:
            continue
        name, default, (convert, native, hexes) = f.name, f.default, _conversion(f)
        if callable(default):
            out[name] = _stored_column(convert, native, hexes,
                                       [row[name] if name in row else default() for row in rows])
        elif hexes:
            out[name] = [v if (v := row.get(name, default)) is None or v.__class__ is str and len(v) == 32
                         else convert(v) for row in rows]
        else:
            out[name] = [v if (v := row.get(name, default)) is None or v.__class__ in native else convert(v)
                         for row in rows]
    return out


def _conversion(field):
    """(the function converting a value of ``field`` for the driver, the classes it stores as they are, whether a
    text of 32 characters is stored as it is: a UUID's hex) as :func:`insert_columns` converts a column."""
    convert = _linked_id(field) if isinstance(field, ForeignKeyField) else field.db_value
    native = () if isinstance(field, UUIDField) else _NATIVE.get(field.field_type, ())
    return convert, native, type(field) is UUIDField


def _stored_column(convert, native, hexes, values):
    if hexes:  # a text of 32 characters is what its db_value gives back as it is
        return [v if v is None or v.__class__ is str and len(v) == 32 else convert(v) for v in values]
    return [v if v is None or v.__class__ in native else convert(v) for v in values]


def db_values(field, values):
    """``field.db_value`` of each of ``values`` (None kept), the call skipped for a value of a class the driver stores
    as it is (:func:`insert_columns`' rule), for a column that is not a link."""
    convert, native, hexes = _conversion(field)
    return _stored_column(convert, native, hexes, values)


def insert_columns(model, count, columns, constants=None, stored=False):
    """:func:`bulk_insert` of ``count`` rows given a column at a time: ``columns`` is {field name: list of
    ``count`` values}, ``constants`` {field name: the value of every row}; a field in neither takes its default.
    A batch made a column at a time (the audit entries of an import) builds no dict per row.  ``stored``: the
    columns' values are already converted (:func:`bulk_insert`'s; a list or tuple each).  A value every row shares (a
    constant, a default, a column of one value) is written into the statement itself when :func:`_literal` can write
    it, not bound row after row: SQLite binds each parameter of each row (6k new people: 20 parameters a row, 12 of
    them the same in every row, cost a quarter of the INSERT)."""
    if not count:
        return
    database = model._meta.database  # the proxy every model is bound to (tracker.db.database)
    constants = constants or {}
    fields = [f for f in model._meta.sorted_fields if f is not model._meta.primary_key]
    params, marks = [], []
    for f in fields:
        values = columns.get(f.name)
        if f.name in constants or (values is None and not callable(f.default)):  # one value for every row
            if f.name in constants:
                value = stored_form(database, None if constants[f.name] is None else f.db_value(constants[f.name]))
            else:  # the default, converted once
                convert, native, _ = _conversion(f)
                value = f.default if f.default is None or f.default.__class__ in native else convert(f.default)
            literal, column = _literal(value), itertools.repeat(value, count)
        else:
            if values is None or not stored:
                convert, native, hexes = _conversion(f)
                values = _stored_column(convert, native, hexes, [f.default() for _ in range(count)] if values is None
                                        else values)
            literal, column = _literal(values[0]), values
            if literal is not None and values.count(values[0]) != count:  # (a C loop: a column of "" or None is common)
                literal = None
        if literal is not None:
            marks.append(literal)
        else:
            marks.append(database.param)
            params.append(column)
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    database.cursor().executemany(f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({", ".join(marks)})',
                                  zip(*params) if params else itertools.repeat((), count))


# What _literal writes as it is: a text of ASCII letters, digits, spaces and a timestamp's or a name's punctuation
# (no quote, backslash or NUL, so the same text in SQLite and PostgreSQL, and nothing read as SQL).
_PLAIN_TEXT = re.compile(r"[0-9A-Za-z :._+-]*")


def _literal(value):
    """``value`` (as the driver would store it) as an SQL literal, or None when it is to be bound as a parameter:
    nothing (NULL), a whole number (not a bool) a 64-bit column holds (a larger one SQLite would read as a real, where
    binding it fails), or a plain text (:data:`_PLAIN_TEXT`: an empty text, a timestamp as sqlite3 stores it, a word)
    in quotes; any other value is bound."""
    if value is None:
        return "NULL"
    if value.__class__ is int:
        return int.__repr__(value) if -(1 << 63) <= value < (1 << 63) else None
    if value.__class__ is str and len(value) <= 100 and _PLAIN_TEXT.fullmatch(value):
        return f"'{value}'"
    return None


_VERSION_4_CLEAR = ~((0xc000 << 48) | (0xf000 << 64))  # uuid.UUID(..., version=4)'s variant and version bits
_VERSION_4_SET = (0x8000 << 48) | (4 << 76)


def uuid4s(count):
    """``count`` random UUIDs, each as ``uuid.uuid4()`` makes it (16 bytes of ``os.urandom`` with the RFC 4122 variant
    and version 4 set), from one ``os.urandom`` call, each made as ``UUID.__init__`` ends (its two slots set) without
    its checks of what it was given: a batch of 6k new records spent a tenth of its Python on ``uuid4``."""
    raw, make, put, unknown = os.urandom(16 * count), object.__new__, object.__setattr__, uuid.SafeUUID.unknown
    out = []
    for i in range(0, 16 * count, 16):
        one = make(uuid.UUID)
        put(one, "int", int.from_bytes(raw[i:i + 16], "big") & _VERSION_4_CLEAR | _VERSION_4_SET)
        put(one, "is_safe", unknown)
        out.append(one)
    return out


def stored_form(database, value):
    """A parameter as ``database``'s driver (the models' proxy) stores it, worked out once for many rows: sqlite3's
    adapter of a date or timestamp is a Python call per row, giving its ``str()``; anything else as it is."""
    return str(value) if isinstance(value, dt.date) and isinstance(database.obj, SqliteDatabase) else value


def _linked_id(field):
    rel_model, key, fallback = field.rel_model, field.rel_field.name, field.db_value

    def convert(value):
        return value.__data__.get(key) if isinstance(value, rel_model) else fallback(value)

    return convert


def records_by_id(model, ids):
    """{id: record} of ``model`` for ``ids``, a query per 500, as ``model.select()`` would give them (each
    value as its field's ``python_value`` gives it, nothing marked changed) but built from the cursor's rows
    directly: peewee's cursor wrapper and a ``setattr`` per field cost about three times the query."""
    database, ids, found = model._meta.database, list(ids), {}
    fields = model._meta.sorted_fields
    make = record_maker(model, [f.column_name for f in fields])
    key = fields.index(model._meta.primary_key)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        cursor = database.execute_sql(f'SELECT {columns} FROM "{model._meta.table_name}" WHERE '
                                      f'"{model._meta.primary_key.column_name}" IN '
                                      f'({", ".join([database.param] * len(chunk))})', chunk)
        for row in cursor.fetchall():
            found[row[key]] = make(row)
    return found


def record_maker(model, columns):
    """A function making the record (a ``model`` instance, as :func:`records_by_id` makes it) of a fetched
    row whose columns are ``columns`` (column names, every field's among them, in any order; others are
    left out): a caller reading the rows for another purpose too reads them once.  The function is compiled
    for these columns (a dict display of each field's value, converted as :func:`row_reader` converts it):
    a 3k-record read made a list, a reordered list and a ``zip`` per record."""
    fields = model._meta.sorted_fields
    names = {"new": model.__new__, "model": model}
    values = []
    for k, (f, (as_is, convert)) in enumerate(zip(fields, _reading_steps(fields))):
        v = f"r[{columns.index(f.column_name)}]"
        names[f"convert{k}"], names[f"as_is{k}"] = convert, as_is
        values.append(f"{f.name!r}: {v} if {v} is None or {v}.__class__ is as_is{k} else convert{k}({v})")
    code = ("def make(r):\n    record = new(model)\n"
            f"    record.__data__ = {{{', '.join(values)}}}\n"
            "    record._dirty, record.__rel__ = set(), {}\n    return record\n")
    exec(code, names)  # noqa: S102 - built from the model's own fields
    return names["make"]


# Fields whose python_value gives a value of this class back as it is (peewee's adapt: str() of a str, int()
# of an int): a fetched value already of that class needs no call.  Exact classes only: a subclass may convert.
_READ_AS_IS = {CharField: str, TextField: str, IntegerField: int, BigIntegerField: int, AutoField: int}


def row_reader(fields):
    """A function turning a fetched row of ``fields``' columns into the list of what each field's
    ``python_value`` makes of its value (stored timestamps read as :func:`_stored_datetime` reads them, stored
    UUIDs as :func:`_stored_uuid`), calling it only where it could change the value: a 3k-row read is 50k
    values, most of them text."""
    steps = _reading_steps(fields)

    def read(row):
        return [v if v is None or v.__class__ is as_is else convert(v) for (as_is, convert), v in zip(steps, row)]

    return read


def _reading_steps(fields):
    """(the class of a value read as it is or None, the function converting any other) of each of ``fields``."""
    steps = []
    for f in fields:
        target = f.rel_field if isinstance(f, ForeignKeyField) else f
        convert = (_stored_datetime(f.python_value) if isinstance(f, DateTimeField) else
                   _stored_uuid(f.python_value) if type(f) is UUIDField else f.python_value)
        steps.append((_READ_AS_IS.get(type(target)), convert))
    return steps


def _stored_uuid(python_value):
    """``python_value`` of a UUIDField (``uuid.UUID(value)``), with the form SQLite stores (32 hex digits) made as
    ``UUID.__init__`` makes it of them (``int(hex, 16)``, then its two slots set) without its clean-up of braces,
    dashes and "urn:uuid:", which a text of 32 letters and digits cannot hold: a third of the cost."""
    make, put, unknown = object.__new__, object.__setattr__, uuid.SafeUUID.unknown

    def convert(value):
        if value.__class__ is str and len(value) == 32 and value.isalnum():
            try:
                number = int(value, 16)
            except ValueError:
                return python_value(value)  # (raises as it would have)
            one = make(uuid.UUID)
            put(one, "int", number)
            put(one, "is_safe", unknown)
            return one
        return python_value(value)

    return convert


def _stored_datetime(python_value):
    """``python_value`` of a DateTimeField, with the forms SQLite stores (``str(datetime)``: 19 or 26
    characters) read by ``fromisoformat``, which gives what peewee's first matching format gives
    ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S") at a tenth of the cost; anything else as peewee reads it."""
    def convert(value):
        if value.__class__ is str and (len(value) == 19 or len(value) == 26 and value[19] == ".") and value[10] == " ":
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        return python_value(value)

    return convert
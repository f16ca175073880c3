"""Bulk-work helpers: pausing the cyclic garbage collector never leaves it off."""

import gc
import weakref

import pytest

from tracker.bulk import gc_paused
from tracker.exchange import import_workbook
from tracker.exchange.safety import FileRefused


def test_the_collector_is_paused_inside_and_back_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        with gc_paused():
            assert not gc.isenabled()
            with gc_paused():  # nested: still paused when the inner block ends
                pass
            assert not gc.isenabled()
            1 / 0
    assert gc.isenabled()


def test_a_block_that_finds_it_paused_leaves_it_paused():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


class Node:
    pass


def _in_generation(obj, generation):
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_what_the_block_made_and_kept_goes_to_the_oldest_generation_and_cycles_are_still_collected():
    """The block's survivors are not walked by the young generations' collections (they were, twice, after
    every plan); a cycle made in the block is still found by a full collection; nothing stays frozen."""
    with gc_paused():
        kept = [Node() for _ in range(5000)]
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
    assert gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 50  # no walk of the 5,000 objects pending in the youngest generation
    assert _in_generation(kept, 2) and _in_generation(kept[-1], 2)
    assert gone() is not None  # cyclic garbage waits for a collection ...
    gc.collect()
    assert gone() is None  # ... and is found by it


def test_objects_someone_else_froze_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_refused_import_leaves_the_collector_on(db, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(FileRefused):
        import_workbook(bad)
    assert gc.isenabled()


def test_rows_inserted_by_column_are_stored_as_the_same_rows_given_as_dicts(db):
    """``insert_columns`` (the audit entries' and an import run's form) stores what ``bulk_insert`` of the same
    rows as dicts stores: values converted alike (a UUID object as its hex), a missing column its default
    (a callable default called per row), constants in every row."""
    import datetime as dt
    import uuid

    from tracker.bulk import bulk_insert, insert_columns
    from tracker.models import AuditEntry

    ids = [uuid.UUID(int=1), uuid.UUID(int=2).hex]
    at = dt.datetime(2026, 12, 2, 5, 30)
    constants = {"at": at, "user": "amira", "operation": "update", "source": "sheet.xlsx"}
    bulk_insert(AuditEntry, [{"table": "stakeholder", "record_uuid": u, "field": "role", "old_value": None,
                              "new_value": f"Chair {n}"} for n, u in enumerate(ids)], constants=constants)
    insert_columns(AuditEntry, 2, {"table": ("stakeholder",) * 2, "record_uuid": ids, "field": ["role", "role"],
                                   "old_value": [None, None], "new_value": ["Chair 0", "Chair 1"]}, constants=constants)
    insert_columns(AuditEntry, 0, {})  # nothing to write: no statement

    rows = [(e.at, e.user, e.council, e.operation, e.table, e.record_uuid.hex, e.field, e.old_value, e.new_value,
             e.source) for e in AuditEntry.select().where(AuditEntry.source == "sheet.xlsx").order_by(AuditEntry.id)]
    expected = [(at, "amira", "", "update", "stakeholder", uuid.UUID(int=n + 1).hex, "role", None, f"Chair {n}",
                 "sheet.xlsx") for n in range(2)]
    assert rows == expected * 2


def _written(monkeypatch):
    """The INSERT statements ``insert_columns`` sends, as (SQL, its rows)."""
    from tracker.db import database

    sent, real_db = [], database.obj
    cursor = real_db.cursor

    class Spy:
        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def executemany(self, sql, rows):
            rows = list(rows)
            sent.append((sql, rows))
            return self.real.executemany(sql, rows)

    monkeypatch.setattr(real_db, "cursor", lambda *a, **k: Spy(cursor(*a, **k)))
    return sent


AWKWARD = ["O'Brien", "back\\slash", "50% off", "née Müller", "two\nlines", "x" * 101, "'); DROP TABLE audit_entry; --"]


def _store_and_read(monkeypatch, rows, constants):
    """Rows of AuditEntry written through ``bulk_insert``; (the statements sent, the rows as read back with
    SQLite's storage class of each value, when SQLite)."""
    from tracker.bulk import bulk_insert
    from tracker.db import database
    from tracker.models import AuditEntry

    sent = _written(monkeypatch)
    bulk_insert(AuditEntry, rows, constants=constants)
    columns = ("at", "user", "council", "operation", "table", "field", "old_value", "new_value", "source")
    if database.param == "?":
        select = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
    else:
        select = ", ".join(f'"{c}"' for c in columns)
    stored = database.execute_sql(f'SELECT {select} FROM "audit_entry" ORDER BY "id"').fetchall()
    return sent, stored


def test_values_every_row_shares_are_written_into_the_statement_and_stored_as_bound_ones_are(db, monkeypatch):
    """A constant, a default and a column of one value (NULL, a number, a plain text, a timestamp) go into the
    statement itself; what is stored, and as which SQLite type, is what binding them stored."""
    import datetime as dt
    import uuid

    from tracker import bulk

    at = dt.datetime(2026, 12, 2, 13, 5, 1, 250000)
    rows = [{"table": "stakeholder", "record_uuid": uuid.uuid4(), "field": "phone", "old_value": None,
             "new_value": f"07700 900{n:03d}"} for n in range(3)]
    constants = {"at": at, "user": "amira", "operation": "update", "source": "table import of sign-in.xlsx"}
    sent, inlined = _store_and_read(monkeypatch, rows, constants)
    sql, params = sent[-1]
    for literal in ("'amira'", "'update'", "'stakeholder'", "'phone'", "NULL", f"'{at}'",
                    "'table import of sign-in.xlsx'"):
        assert literal in sql
    assert all(len(p) == 2 for p in params)  # only the UUID and the new value vary

    monkeypatch.setattr(bulk, "_literal", lambda value: None)  # everything bound, as before
    from tracker.models import AuditEntry
    AuditEntry.delete().execute()
    sent, bound = _store_and_read(monkeypatch, rows, constants)
    assert "'amira'" not in sent[-1][0] and len(sent[-1][1][0]) == 10
    assert inlined == bound  # the same values, stored as the same SQLite types


def test_a_text_that_is_not_plain_is_always_bound(db, monkeypatch):
    """Quotes, backslashes, %, NUL-free non-ASCII, line breaks, long texts and SQL itself are bound as parameters
    even when every row shares them, and stored as given."""
    import uuid

    from tracker.models import AuditEntry

    for text in AWKWARD:
        sent, _ = _store_and_read(monkeypatch, [{"table": "stakeholder", "record_uuid": uuid.UUID(int=7),
                                                 "field": "notes", "old_value": text, "new_value": text}] * 2,
                                  {"user": text, "operation": "update", "source": text})
        sql, params = sent[-1]
        assert text not in sql and text.replace("'", "''") not in sql
        assert all(p.count(text) == 4 for p in params)  # user, old, new and source: bound
        stored = AuditEntry.select().order_by(AuditEntry.id.desc()).limit(2)
        assert {(e.user, e.old_value, e.new_value, e.source) for e in stored} == {(text,) * 4}
    assert AuditEntry.select().count() == 2 * len(AWKWARD)


def test_a_bool_is_bound_not_written_as_a_number():
    from tracker.bulk import _literal

    assert _literal(True) is None and _literal(False) is None
    assert _literal(0) == "0" and _literal(-12) == "-12" and _literal(None) == "NULL"
    assert _literal("") == "''" and _literal("2026-12-02 13:05:01.250000") == "'2026-12-02 13:05:01.250000'"
    assert _literal(1.5) is None and _literal(b"x") is None and _literal("a\x00b") is None
    assert _literal(2 ** 63 - 1) == str(2 ** 63 - 1) and _literal(2 ** 63) is None and _literal(-2 ** 63 - 1) is None


@pytest.mark.skipif(not __import__("os").environ.get("TRACKER_TEST_POSTGRES"),
                    reason="TRACKER_TEST_POSTGRES is not set (scripts/run-tests sets it)")
def test_on_postgres_shared_values_in_the_statement_are_stored_as_bound_ones_are(monkeypatch):
    import datetime as dt
    import uuid

    from tests.tracker.postgres_helpers import fresh_postgres_database
    from tracker import bulk
    from tracker.db import close_database
    from tracker.models import AuditEntry

    fresh_postgres_database()
    try:
        at = dt.datetime(2026, 12, 2, 13, 5, 1)
        rows = [{"table": "stakeholder", "record_uuid": uuid.UUID(int=n), "field": "phone", "old_value": None,
                 "new_value": text} for n, text in enumerate(("07700 900001", "50% off", "O'Brien"))]
        constants = {"at": at, "user": "amira", "operation": "update", "source": "sheet.xlsx"}
        sent, inlined = _store_and_read(monkeypatch, rows, constants)
        assert "'amira'" in sent[-1][0] and "%" not in sent[-1][0].replace("%s", "")
        AuditEntry.delete().execute()
        monkeypatch.setattr(bulk, "_literal", lambda value: None)
        _, bound = _store_and_read(monkeypatch, rows, constants)
        assert inlined == bound and [r[7] for r in bound] == ["07700 900001", "50% off", "O'Brien"]
    finally:
        close_database()

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

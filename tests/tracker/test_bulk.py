"""Bulk-work helpers: pausing the cyclic garbage collector never leaves it off."""

import gc

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


def test_a_refused_import_leaves_the_collector_on(db, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(FileRefused):
        import_workbook(bad)
    assert gc.isenabled()

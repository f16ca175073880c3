"""Helpers for work over whole tables (imports, exports, reports of 100k records)."""

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for the block.

    Bulk work allocates millions of tuples, lists and strings (a 100k-row sheet is 1.5M cells) and
    none of them form reference cycles, yet every 700 allocations start a collection and the
    older generations are walked again and again as the objects pile up: a fifth to a quarter of an
    import's time.  Reference counting still frees everything as usual; only cycle detection waits
    until the block ends.  (The collector is process-wide: a block that finds it already paused,
    e.g. nested, leaves it paused.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

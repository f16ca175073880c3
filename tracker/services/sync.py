"""The states last exchanged: each record's base and the earlier states it has seen.

A record's *base* is the hash (``services.exchange.content_hash``) of its content as last
exchanged, and *seen* the earlier states it has replaced (kept in ``exchange_sync_state``); an
import compares a row with both (``tracker.exchange.merge``).  :func:`push_seen` works out the next
sync state of a record; :func:`mark_exported` makes exported records' content their base.  See
docs/exchange-format.md.
"""

from tracker.services.bulk_writer import Writer, transaction
from tracker.services.exchange import content_hash

SEEN_LIMIT = 32  # earlier states remembered per record


def push_seen(old_state, new_base, also=()):
    """The sync state after ``new_base`` becomes the base: the old base and ``also`` join ``seen``."""
    base, seen = old_state if old_state else (None, "")
    hashes = [h for h in (base, *also) if h and h != new_base]
    previous = [h for h in seen.split() if h != new_base and h not in hashes]
    return new_base, " ".join((hashes + previous)[:SEEN_LIMIT])


def mark_exported(state, tables, hashes=None):
    """Exported records' content becomes their base: the next import compares against it.
    ``hashes``: {hex: content hash} already computed (the Row checks of full rows)."""
    changes = {}
    hashes = hashes or {}
    for t in tables:
        for h, rec in state.tables[t].records.items():
            digest = hashes.get(h) or content_hash(t, rec.values)
            old = state.sync.get(h)
            if old is None or old[0] != digest:
                changes[h] = push_seen(old, digest)
    if changes:
        with transaction():
            Writer(state, "").set_sync(changes)
    return len(changes)

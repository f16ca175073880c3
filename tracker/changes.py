"""What changed in the data, announced to whoever listens: plain Python, no Qt, no database.

The services say what they changed as a :class:`Change` (record kinds by table name, with the ids
created, updated or deleted; or a whole kind; or everything) through :func:`announce`, and
:data:`changed` passes it on to every listener (the app's one Qt adapter, ``ui.changes``; a test).
Like napari's events and Anki's ``OpChanges``: the views ask the domain what to show and the domain
tells them when that may have changed, so no caller sprinkles ``refresh()``.

Announcements are tied to transactions by :func:`batch`: inside one, what is announced is collected
and, when the outermost batch ends, announced as one change; a batch (or an inner one) left by an
exception drops what it collected.  ``tracker.services.base.writing`` puts a batch around the
database transaction, so a change is announced once, after its outermost transaction has committed,
and never when that transaction rolls back.  Listeners are called on the thread that made the
change (a worker's, say): they must hand the change on to wherever they need it, quickly.

This module sits at the bottom of ``tracker``: it imports nothing from it.
"""

import contextlib
import threading
from dataclasses import dataclass

__all__ = ["Change", "EVERYTHING", "Signal", "announce", "batch", "changed"]


@dataclass(frozen=True)
class Change:
    """What changed: ``created``/``updated``/``deleted`` hold (kind, id) pairs, ``whole`` kinds
    to read again completely (a bulk change whose ids are not at hand), ``everything``: read every
    kind again (an import, an undo, another database, another program's change).

    A kind is a table name (``"stakeholder"``, ``"action_item"``, ``"record_update"``, ...).  A soft
    delete is ``deleted``; bringing a record back is ``updated``, as is any other change of it.
    Changes combine with ``|``.
    """

    created: frozenset = frozenset()
    updated: frozenset = frozenset()
    deleted: frozenset = frozenset()
    whole: frozenset = frozenset()
    everything: bool = False

    @classmethod
    def of_created(cls, kind, *ids):
        return cls(created=frozenset((kind, i) for i in ids))

    @classmethod
    def of_updated(cls, kind, *ids):
        return cls(updated=frozenset((kind, i) for i in ids))

    @classmethod
    def of_deleted(cls, kind, *ids):
        return cls(deleted=frozenset((kind, i) for i in ids))

    @classmethod
    def of_whole(cls, *kinds):
        return cls(whole=frozenset(kinds))

    def __or__(self, other):
        if self.everything or other.everything:
            return EVERYTHING
        return Change(self.created | other.created, self.updated | other.updated, self.deleted | other.deleted,
                      self.whole | other.whole)

    def __bool__(self):
        return bool(self.everything or self.whole or self.created or self.updated or self.deleted)

    def rereads(self, kind):
        """Whether every record of ``kind`` must be read again (not just some ids)."""
        return self.everything or kind in self.whole

    def touches(self, *kinds):
        """Whether anything of these kinds changed."""
        if self.everything or not self.whole.isdisjoint(kinds):
            return True
        return any(k in kinds for k, _ in (*self.created, *self.updated, *self.deleted))

    def ids(self, kind):
        """The ids of ``kind`` created, updated or deleted (see :meth:`rereads` for the rest)."""
        return frozenset(i for k, i in (*self.created, *self.updated, *self.deleted) if k == kind)


EVERYTHING = Change(everything=True)


class Signal:
    """A list of listeners called with what :meth:`emit` is given; safe to use from any thread.

    Listeners are held strongly: whoever connects disconnects.  A listener connected or
    disconnected during an emit takes effect from the next one.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._listeners = ()

    def connect(self, listener):
        with self._lock:
            if listener not in self._listeners:
                self._listeners = (*self._listeners, listener)
        return listener

    def disconnect(self, listener):
        with self._lock:
            self._listeners = tuple(f for f in self._listeners if f != listener)

    def emit(self, *args):
        for listener in self._listeners:  # a tuple, replaced (never changed) under the lock
            listener(*args)


changed = Signal()  # emits a Change


class _Collecting(threading.local):
    def __init__(self):
        self.levels = []  # per open batch: [created, updated, deleted, whole, everything]


_collecting = _Collecting()


def announce(change):
    """Tell the listeners about ``change``: now, or at the end of the outermost open batch."""
    if not change:
        return
    if _collecting.levels:
        level = _collecting.levels[-1]
        if change.everything:
            level[4] = True
        else:
            level[0] |= change.created
            level[1] |= change.updated
            level[2] |= change.deleted
            level[3] |= change.whole
        return
    changed.emit(change)


@contextlib.contextmanager
def batch():
    """Collect the announcements made inside (on this thread) into one, announced when the outermost
    batch ends; an exception drops what this batch collected (it goes on to the caller)."""
    level = [set(), set(), set(), set(), False]
    _collecting.levels.append(level)
    try:
        yield
    except BaseException:
        _collecting.levels.pop()
        raise
    _collecting.levels.pop()
    created, updated, deleted, whole, everything = level
    announce(EVERYTHING if everything else Change(frozenset(created), frozenset(updated), frozenset(deleted),
                                                  frozenset(whole)))

"""The one bridge from the domain's change announcements (``tracker.changes``) to the views.

:func:`notifier` is the app's one :class:`ChangeNotifier`: its ``changed`` signal carries a
``tracker.changes.Change`` and is only ever emitted on the GUI thread, so the views (list models,
the detail pane, the overview, the grid) connect to it directly and update themselves.  A change
made on the GUI thread (an editor's save) is delivered at once, inside the call that made it, as
the hand-placed ``refresh()`` calls it replaces were.  A change made on a worker thread (an import,
an erasure) is kept here and the GUI thread is told, through a queued signal that carries nothing
(PySide has mis-counted references to Python objects passed through queued signals; see
``ui.worker``), to take it: whatever arrived meanwhile goes out as one change.

While the database itself is being replaced (opening another file, restoring a backup) the
notifier is :meth:`~ChangeNotifier.held`: nothing reaches the views until the operation is over.

:class:`ElsewhereWatch` notices changes made by another program (a second copy of the app, the
``tracker`` command): SQLite's ``data_version``, read every few seconds while the window is active
and once each time it becomes active, and "everything changed" announced when it moved.  On
PostgreSQL nothing is polled (there is nothing as cheap); F5 reads the lists again.
"""

import contextlib
import logging
import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from tracker import changes
from tracker.changes import EVERYTHING
from tracker.damage import current_damage
from tracker.db import database
from tracker.services.maintenance import data_version
from ui import errors

log = logging.getLogger(__name__)

POLL_MS = 2000  # how often an active window asks SQLite whether another program wrote


class ChangeNotifier(QObject):
    """Announcements from any thread, delivered on the GUI thread as ``changed(Change)``."""

    changed = Signal(object)  # emitted on the GUI thread only (direct connections)
    _arrived = Signal()  # from a worker; queued; says only that a change waits here

    def __init__(self):
        super().__init__()
        self._gui_thread = threading.current_thread()
        self._lock = threading.Lock()
        self._waiting = None  # what arrived and was not delivered yet, as one Change
        self._held = 0
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        changes.changed.connect(self._announced)

    def _announced(self, change):
        """The domain's listener: called on whichever thread made the change."""
        with self._lock:
            first = self._waiting is None
            self._waiting = change if first else self._waiting | change
        if threading.current_thread() is self._gui_thread:
            self._deliver()
        elif first:
            self._arrived.emit()

    @Slot()
    def _deliver(self):
        if self._held:
            return
        with self._lock:
            change, self._waiting = self._waiting, None
        if change:
            self.changed.emit(change)

    @property
    def holding(self):
        return bool(self._held)

    @contextlib.contextmanager
    def held(self):
        """Keep what is announced inside from the views until the block ends, then deliver it as one."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            self._deliver()


_notifier = None


def notifier():
    """The app's one ChangeNotifier (made on first use, which must be on the GUI thread)."""
    global _notifier
    if _notifier is None:
        _notifier = ChangeNotifier()
    return _notifier


def views_may_read():
    """False while no database is open or one is being switched (``notifier().held()``): a search whose
    typing paused just then (its timer fires during the switch's progress loop, or after the window's
    database closed) has nothing to read; the views are read again once the new database is open."""
    return database.obj is not None and not notifier().holding


class ElsewhereWatch(QObject):
    """Polls SQLite's ``data_version`` while ``active``; another program's commit is announced as
    everything having changed.  Our own worker threads' commits move it too: the views then read
    again what they already have, which costs a few queries and loses nothing."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)
        self._seen = None

    def set_active(self, active):
        if active:
            self.check()
            self.timer.start()
        else:
            self.timer.stop()

    def forget(self):
        """Another database, or another connection to it: the next look only takes its measure."""
        self._seen = None
        self.check()

    @Slot()
    def check(self):
        """Look once; True when another program's change was announced."""
        if notifier().holding or database.obj is None or current_damage() is not None:
            return False
        try:
            version = data_version()
        except errors.EXPECTED as exc:  # busy, say: the next look will do
            log.info("could not read data_version: %s", type(exc).__name__)
            return False
        seen, self._seen = self._seen, version
        if version is None or seen is None or version == seen:
            return False
        changes.announce(EVERYTHING)
        return True

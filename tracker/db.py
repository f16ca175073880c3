"""The connection: the database the models are bound to, and using it once it is open.

``database`` is a peewee proxy; the models bind to it (``tracker.models``) and
``tracker.opening.open_database`` initialises it, so this module sits below the models and
imports nothing that knows about them.  Here live: the SQLite database class
(:class:`TrackerSqliteDatabase`, with the damage funnel of ``tracker.sqlite_damage``) and its
pragmas (WAL or a rollback journal is chosen per file when it is opened; foreign keys on,
``synchronous=NORMAL``, a busy timeout), SQLite's terse errors in words an officer can act on,
which file is open (:func:`current_path`, :func:`is_live_file`), the planner's statistics, the
checkpoint after a big import (:func:`checkpoint_after`), and closing.

Not here: opening a file (its checks, the journal, the locks, the upgrade: ``tracker.opening``),
backups (``tracker.backups``), restoring one (``tracker.restore``), what to do about a damaged
file (``tracker.damage``).
"""

import contextlib
import logging
import os
import sqlite3
import threading
from pathlib import Path

from peewee import DatabaseProxy, OperationalError, SqliteDatabase

from tracker.errors import DamagedDatabaseError, DatabaseBusyError, DatabaseError
from tracker.sqlite_damage import RefusesWhenDamaged, describe_damage, is_damage

log = logging.getLogger(__name__)

database = DatabaseProxy()

SQLITE_MAGIC = b"SQLite format 3\x00"  # how every SQLite file starts
BUSY_TIMEOUT_S = 5
SQLITE_PRAGMAS = {  # for every connection; the journal (WAL, or a rollback journal) is chosen once per file
    "foreign_keys": 1,
    # NORMAL is durable across application crashes in WAL mode; a power cut can lose at most
    # the last transactions, never corrupt the file.
    "synchronous": "normal",
    "cache_size": -32_000,  # 32 MB page cache
    "busy_timeout": BUSY_TIMEOUT_S * 1000,
}
# On a network drive: a rollback journal (WAL's shared memory cannot work across computers) and a full
# sync at each commit, since the drive's own caching is out of our hands.
NETWORK_PRAGMAS = {**SQLITE_PRAGMAS, "synchronous": "full"}
SIDECARS = ("-wal", "-shm", "-journal")


def is_url(target) -> bool:
    return isinstance(target, str) and "://" in target


def describe(target) -> str:
    """How a database is named in messages (never a password)."""
    if is_url(target):
        scheme, _, rest = target.partition("://")
        return f"{scheme}://{rest.rpartition('@')[2]}"
    return str(target)


class TrackerSqliteDatabase(RefusesWhenDamaged, SqliteDatabase):
    """SQLite with the process's extra locks (``guard``), its "open here" mark (``presence``) and,
    on a network drive, the kind of drive (``network``); damage met anywhere stops all use of the
    file (``tracker.sqlite_damage``)."""

    guard = None
    presence = None
    network = None
    read_only = False  # opened for reading only: SQLite's mode=ro (and immutable=1 when it must be)
    immutable = False

    def _connect(self):
        if not self.read_only:
            return super()._connect()
        # Every connection of the file (each thread has its own) opened read-only, by URI; immutable
        # tells SQLite nothing can change the file, so it makes no -wal/-shm beside it (which a
        # read-only folder could not hold) and takes no locks.
        uri = Path(self.database).absolute().as_uri() + ("?mode=ro&immutable=1" if self.immutable else "?mode=ro")
        conn = sqlite3.connect(uri, uri=True, timeout=self._timeout, isolation_level=None, **self.connect_params)
        try:
            self._add_conn_hooks(conn)
        except Exception:
            conn.close()
            raise
        return conn

    def rollback(self):
        # After a full disk or an I/O error SQLite has already rolled the transaction back; a second
        # ROLLBACK would fail with "no transaction is active" and hide the real reason from the user.
        if self.damage is None and not self.is_closed() and not self.connection().in_transaction:
            return
        super().rollback()


def sqlite_database(path: Path, network=None, read_only=False, immutable=False) -> TrackerSqliteDatabase:
    """The (not yet connected) database of the file at ``path``; ``network``: the kind of network
    drive it is on (``tracker.netfs``), or None; ``read_only``: opened for reading only
    (``immutable``: and as a file nothing changes, so SQLite creates nothing beside it)."""
    db = TrackerSqliteDatabase(str(path), pragmas=NETWORK_PRAGMAS if network else SQLITE_PRAGMAS,
                               timeout=BUSY_TIMEOUT_S)
    db.network = network
    db.read_only, db.immutable = bool(read_only), bool(read_only and immutable)
    return db


def is_read_only() -> bool:
    """True when the open database was opened for reading only (``tracker.opening``)."""
    return bool(getattr(database.obj, "read_only", False))


def translate_operational_error(exc, target) -> DatabaseError:
    """Turn SQLite's terse messages into ones an officer can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusyError(
            f"The database {describe(target)} is busy: another copy of the app or the tracker "
            f"command is writing to it. Try again in a moment."
        )
    if "disk is full" in text or "disk full" in text:
        return DatabaseError(f"The disk holding {describe(target)} is full. The last change was not saved and "
                             f"the database is intact; free some space and try again.")
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"The database {describe(target)} is read-only; changes cannot be saved.")
    if is_damage(exc) or "malformed" in text or "not a database" in text or "corrupt" in text:
        return DamagedDatabaseError(describe(target), describe_damage(exc))
    if "unable to open" in text:
        return DatabaseError(f"The database {describe(target)} cannot be opened: {exc}.")
    return DatabaseError(f"The database {describe(target)} could not be used: {exc}.")


def current_path():
    """The file of the open SQLite database, or None (PostgreSQL, or nothing open)."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        return Path(db.database)
    return None


def is_live_file(path) -> bool:
    """True when ``path`` is the SQLite database this process has open, or one of its working files
    (WAL, shared memory, journal): never a file to import, to write an export over, or to restore from."""
    current = current_path()
    if current is None:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    for candidate in (current, *(Path(f"{current}{suffix}") for suffix in SIDECARS)):
        try:
            other = os.stat(candidate)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (other.st_dev, other.st_ino):
            return True
    return False


def refresh_statistics():
    """Run ANALYZE when SQLite's statistics are missing or a table has more than doubled since.

    Without them the planner takes ``deleted_at IS NULL`` (true of nearly every row) for a selective
    index and sorts the whole table for each page of a list: 100-900 ms per page at 100,000
    actions instead of 1-5 ms.  Checking costs a few index lookups; ANALYZE about 0.1 s at that
    size.  Statistics are only an optimisation, so a locked or read-only file skips them.
    Only the tables that need it are analysed.  Returns True when ANALYZE ran.  Called when a
    database is opened and after a batch of new records.
    """
    db = database.obj
    if not isinstance(db, SqliteDatabase):
        return False  # PostgreSQL's autovacuum keeps its own statistics
    try:
        known = {}
        if db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            for table, stat in db.execute_sql("SELECT tbl, stat FROM sqlite_stat1").fetchall():
                known[table] = max(known.get(table, 0), int((stat or "0").split()[0]))
        tables = [name for (name,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
        stale = []
        for table in tables:
            rows = db.execute_sql(f'SELECT MAX(rowid) FROM "{table}"').fetchone()[0] or 0
            if rows >= STATISTICS_MIN_ROWS and rows > 2 * known.get(table, 0):
                stale.append(table)
        # Only these: the others' statistics still hold.  One transaction, so a damaged page met by
        # a later ANALYZE leaves nothing written by an earlier one.
        if stale:
            with db.atomic():
                for table in stale:
                    db.execute_sql(f'ANALYZE "{table}"')
    except (OperationalError, sqlite3.OperationalError):
        return False
    return bool(stale)


STATISTICS_MIN_ROWS = 1000  # below this a full scan is instant whatever the plan


CHECKPOINT_BUSY_MS = 100  # the background checkpoint's connection: never waits long for anyone
_checkpoint = {"thread": None}  # the latest background checkpoint (each one waits for the one before)
_checkpoint_lock = threading.Lock()


@contextlib.contextmanager
def checkpoint_after():
    """Around a big write transaction (an import): its COMMIT leaves the WAL's checkpoint to a thread.

    SQLite checkpoints on the commit that takes the WAL past ``wal_autocheckpoint`` pages (1000):
    it copies the WAL into the database file and syncs it, in the committing thread, ~50 ms of an
    import's 65 ms COMMIT.  Here the automatic checkpoint is off for this connection until the
    transaction ends (then put back as it was, whether it committed or not), and after a commit a
    PASSIVE checkpoint runs on a thread of its own, on a short-lived connection of its own, as
    SQLite's documentation suggests (wal.html, "Application-Initiated Checkpoints").  PASSIVE
    waits for no reader or writer; a failed one is only logged (the next checkpoint catches up).
    :func:`close_database` waits for it before its own TRUNCATE checkpoint.

    SQLite's locks in this process are shared by its connections (os_unix.c: a connection closing
    while another holds a lock on the file keeps its descriptor open), so that connection leaves
    the process's locks, the WAL guard and the presence mark (``tracker.filelocks``) as they were.
    Nothing changes for anything but a writable SQLite file in WAL mode, nor inside a transaction
    already open (its commit is not this one).
    """
    db = database.obj
    path = _wal_file(db)
    if path is None:
        yield
        return
    before = db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        try:  # (a connection closed by the damage funnel: a new one has SQLite's default)
            if not db.is_closed():
                db.execute_sql(f"PRAGMA wal_autocheckpoint = {int(before)}")
        except Exception:  # never hides the transaction's own error, nor fails a committed import
            log.warning("could not turn the automatic checkpoint on again", exc_info=True)
    if db.damage is None:
        with _checkpoint_lock:  # (published once started: joining a thread not yet started fails)
            thread = threading.Thread(target=_checkpoint_in_background, args=(db, path, _checkpoint["thread"]),
                                      name="tracker-checkpoint")
            thread.start()
            _checkpoint["thread"] = thread


def _wal_file(db):
    """The absolute path of ``db`` when it is a writable SQLite file in WAL mode outside a transaction."""
    if not isinstance(db, TrackerSqliteDatabase) or db.read_only or db.network or db.damage is not None:
        return None
    if db.database == ":memory:" or db.in_transaction():
        return None
    if db.execute_sql("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        return None
    return os.path.abspath(db.database)


def _checkpoint_in_background(db, path, previous):
    if previous is not None:
        previous.join()  # one at a time: a second would find the checkpoint lock taken and do nothing
    if db.damage is not None:  # a damaged file is written no more, not even by a checkpoint
        return
    try:
        checkpoint_wal(path)
    except Exception:
        log.warning("the background checkpoint after an import failed; the next one catches up", exc_info=True)


def checkpoint_wal(path):
    """A PASSIVE checkpoint of the SQLite file at ``path`` on a connection of its own, closed after;
    SQLite's answer: (1 when it could not start, frames in the WAL, frames now in the file)."""
    # mode=rw: never creates a file where the database was.
    conn = sqlite3.connect(Path(path).as_uri() + "?mode=rw", uri=True, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_MS}")
        return conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()


def wait_for_checkpoint():
    """Return once the background checkpoints started so far (:func:`checkpoint_after`) have ended."""
    with _checkpoint_lock:
        thread = _checkpoint["thread"]
    if thread is not None:
        thread.join()  # (it joined the ones before it)
        with _checkpoint_lock:
            if _checkpoint["thread"] is thread:
                _checkpoint["thread"] = None


def close_database():
    """Close this thread's connection, then drop the process's extra locks on the file.

    SQLite checkpoints and deletes the WAL when the last connection closes, but cannot while the
    guard holds (and releasing the guard first would leave a moment with no lock at all), so the
    WAL is checkpointed and emptied here first, without waiting for other programs' readers: the
    database file on its own holds every change (someone may copy it once the app is closed), and
    the WAL keeps no old pages.  The empty ``-wal`` and ``-shm`` files stay until the next program
    that closes it last.  A background checkpoint after an import (:func:`checkpoint_after`) ends first.
    """
    wait_for_checkpoint()
    db = database.obj
    if db is not None and not db.is_closed():
        if getattr(db, "guard", None) is not None and db.guard.held:
            with contextlib.suppress(Exception):
                db.execute_sql("PRAGMA busy_timeout = 0")
                db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    if isinstance(db, TrackerSqliteDatabase):
        if db.guard is not None:
            db.guard.release()
        if db.presence is not None:
            db.presence.leave()
    database.initialize(None)

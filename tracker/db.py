"""Opening, creating, upgrading and backing up the database.

``database`` is a proxy the models bind to; :func:`open_database` initialises it with a
SQLite file (WAL, foreign keys on, ``synchronous=NORMAL``, a busy timeout) or, for a
``postgresql://`` URL, a shared server.  Opening checks the schema version: a file from a newer
app is refused untouched, an older one is backed up and migrated (see ``tracker.migrations``).

While a SQLite file is open this process holds, beside SQLite's own locks, the two that keep
other processes from deleting its WAL (``tracker.filelocks.WalGuard``): any code in the process
that opens and closes the file (Qt's file dialog sniffing file types, say) would otherwise drop
SQLite's locks.  Nothing here opens the file behind SQLite's back, and :func:`is_live_file` lets
the import, export and backup code refuse the open database (or its WAL) as a file to read or
replace.  On a network drive (``tracker.netfs``) the file uses a rollback journal instead of WAL,
which needs memory shared between the programs using it.  :func:`announce_presence` makes every
SQLite file this process opens carry its "open here" mark, and :func:`others_present` counts the
other apps that have it open.
"""

import contextlib
import datetime as dt
import errno
import os
import sqlite3
from pathlib import Path

from peewee import DatabaseProxy, OperationalError, SqliteDatabase

from tracker import filelocks, netfs
from tracker.sqlite_damage import RefusesWhenDamaged, describe_damage, is_damage, known_damage
from tracker.errors import DamagedDatabaseError, DatabaseBusyError, DatabaseError, NewerDatabaseError
from tracker.paths import backup_dir_for, ensure_private_dir

database = DatabaseProxy()

SQLITE_MAGIC = b"SQLite format 3\x00"
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
JOURNAL_SWITCH_WAIT_MS = 1000
# meta key: the file has been opened from a network drive (its value names the kind), so every program,
# on the file server's own disk too, keeps its rollback journal: one switching it to WAL would take the
# network users into WAL with it.
NETWORK_KEY = "opened_from_network_drive"
SIDECARS = ("-wal", "-shm", "-journal")
_presence = {"announce": False}


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

    def rollback(self):
        # After a full disk or an I/O error SQLite has already rolled the transaction back; a second
        # ROLLBACK would fail with "no transaction is active" and hide the real reason from the user.
        if self.damage is None and not self.is_closed() and not self.connection().in_transaction:
            return
        super().rollback()


def _sqlite_database(path: Path, network=None) -> SqliteDatabase:
    db = TrackerSqliteDatabase(str(path), pragmas=NETWORK_PRAGMAS if network else SQLITE_PRAGMAS,
                               timeout=BUSY_TIMEOUT_S)
    db.network = network
    return db


def _create_private_file(path: Path):
    """Create an empty file readable by the user only, so SQLite inherits the permissions."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _check_sqlite_file(path: Path):
    if not path.is_file():
        raise DatabaseError(f"{path} is not a file.")
    if path.stat().st_size == 0:
        return
    try:
        header = filelocks.read_head(path, 16)  # never closes a descriptor SQLite may be using
    except OSError as exc:
        raise DatabaseError(f"Cannot read {path}: {exc.strerror}.") from exc
    if header != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a Stakeholder Tracker database (it is not an SQLite file). "
                            f"If it was one, it is damaged: restore it from a backup (tracker backups, "
                            f"tracker restore BACKUP).")
    # SQLite needs to write the file and, for its WAL, the folder; say so now rather than mid-edit.
    if not (os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK)):
        raise DatabaseError(f"The database {path} is read-only (the file or its folder cannot be written), so "
                            f"changes could not be saved. Make it writable, or copy it to a folder of your own "
                            f"and open the copy.")
    damage = known_damage(path)  # found damaged earlier in this session: SQLite must not touch it again
    if damage is not None:
        raise damage


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


def open_database(target, *, create=False, upgrade=True):
    """Open ``target`` (a path, or a postgresql:// URL), bind the models to it and return it.

    ``create``: make a new database when none exists.  ``upgrade``: migrate an older schema
    (after a backup); when False, an older schema is opened as it is (for backup and check).
    """
    from tracker import migrations  # imports the models, which import this module

    if database.obj is not None:
        close_database()
    if is_url(target):
        from playhouse.db_url import connect

        db = connect(target)
        is_new = False
    else:
        path = Path(target).expanduser()
        is_new = not path.exists()
        if is_new:
            if not create:
                raise DatabaseError(
                    f"There is no database at {path}. Create one with: tracker --db {path} init"
                )
            if not path.parent.is_dir():
                raise DatabaseError(f"The folder {path.parent} does not exist.")
            try:
                _create_private_file(path)
            except OSError as exc:
                raise DatabaseError(f"Cannot create {path}: {exc.strerror}.") from exc
        else:
            _check_sqlite_file(path)
        db = _sqlite_database(path, netfs.network_filesystem(path))
        filelocks.handle(path)  # from now on the process keeps a descriptor of it and never closes one
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        if isinstance(db, TrackerSqliteDatabase):
            _choose_journal(db, path)
        migrations.prepare(db, target, create=create or is_new, upgrade=upgrade)
        if upgrade:
            refresh_statistics()
            if getattr(db, "network", None):
                db.execute_sql("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (NETWORK_KEY, db.network))
        if isinstance(db, TrackerSqliteDatabase):
            _hold_locks(db, path)
    except OperationalError as exc:
        close_database()
        raise translate_operational_error(exc, target) from exc
    except sqlite3.DatabaseError as exc:
        close_database()
        raise translate_operational_error(exc, target) from exc
    except (DatabaseError, NewerDatabaseError):
        close_database()
        raise
    return db


def _choose_journal(db, path):
    """WAL on a computer's own disk; a rollback journal on a network drive or for a file used from one."""
    if not db.network:
        marked = db.execute_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() \
            and db.execute_sql("SELECT 1 FROM meta WHERE key = ?", (NETWORK_KEY,)).fetchone()
        if not marked:
            _switch_journal(db, "wal")  # when another program keeps it in a rollback journal, so be it
        return
    if _switch_journal(db, "delete") == "wal":
        raise DatabaseError(
            f"The database {path} is on a network drive ({db.network}) and is open in another window or on "
            f"another computer in a mode that only works on a computer's own disk, so opening it here could "
            f"damage it. Close it there first, or copy the file to this computer's own disk and open the copy.")


def _switch_journal(db, mode):
    """Ask for journal ``mode``; returns the mode the file has afterwards (another program may keep it)."""
    db.execute_sql(f"PRAGMA busy_timeout = {JOURNAL_SWITCH_WAIT_MS}")
    try:
        return db.execute_sql(f"PRAGMA journal_mode = {mode}").fetchone()[0].lower()
    except OperationalError as exc:
        if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
            raise
        return db.execute_sql("PRAGMA journal_mode").fetchone()[0].lower()
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")


def _hold_locks(db, path):
    """After SQLite opened ``path``: the WAL guard, and the presence mark when the app asked for it."""
    mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0].lower()
    if mode == "wal":
        try:
            db.guard = filelocks.WalGuard(path)
            db.guard.hold()
        except OSError as exc:
            raise DatabaseBusyError(
                f"The database {path} is busy: another program keeps it locked. Try again in a moment.") from exc
    if _presence["announce"]:
        db.presence = filelocks.Presence(path)
        db.presence.join()


def announce_presence(on=True):
    """Mark every SQLite file this process opens from now on as open here (the app does; the
    ``tracker`` command does not, its runs are brief)."""
    _presence["announce"] = bool(on)


def others_present():
    """How many other running apps have the open database open (0 for PostgreSQL, or where it cannot be told)."""
    db = database.obj
    if not isinstance(db, TrackerSqliteDatabase):
        return 0
    if db.presence is None:
        return filelocks.Presence(db.database).others()
    return db.presence.others()


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
    Only the tables that need it are analysed.  Returns True when ANALYZE ran.
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


def close_database():
    """Close this thread's connection, then drop the process's extra locks on the file.

    SQLite checkpoints and deletes the WAL when the last connection closes, but cannot while the
    guard holds (and releasing the guard first would leave a moment with no lock at all), so the
    WAL is checkpointed and emptied here first, without waiting for other programs' readers: the
    database file on its own holds every change (someone may copy it once the app is closed), and
    the WAL keeps no old pages.  The empty ``-wal`` and ``-shm`` files stay until the next program
    that closes it last.
    """
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


@contextlib.contextmanager
def opened(target, **kwargs):
    """``with opened(path) as db:`` for scripts and tests."""
    db = open_database(target, **kwargs)
    try:
        yield db
    finally:
        close_database()


def current_path():
    """The file of the open SQLite database, or None (PostgreSQL, or nothing open)."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        return Path(db.database)
    return None


def backup_database(dest=None, *, reason="manual") -> Path:
    """Write a consistent copy of the open SQLite database with the online backup API.

    The copy is written beside its final name and renamed into place, so a crash never leaves a
    half-written backup under that name.  Returns the backup's path.
    """
    src_path = current_path()
    if src_path is None:
        raise DatabaseError("Backups are taken by the database server for a PostgreSQL database.")
    if dest is None:
        folder = ensure_private_dir(backup_dir_for(src_path))
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        dest = folder / f"{src_path.stem}-{stamp}-{reason}.db"
    dest = Path(dest).expanduser()
    if dest.is_dir():
        dest = dest / f"{src_path.stem}-backup.db"
    if is_live_file(dest):
        raise DatabaseError(f"{dest} is the database itself (or one of its working files); choose another "
                            f"file or folder for the backup.")
    if not dest.parent.is_dir():
        raise DatabaseError(f"The folder {dest.parent} does not exist.")
    # The writer's process id in the name lets a later backup clear what a killed one left.
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    try:
        if tmp.exists():
            tmp.unlink()
        _create_private_file(tmp)
        target = sqlite3.connect(str(tmp))
        try:
            database.obj.connection().backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        os.replace(tmp, dest)
        sync_folder(dest.parent)
    except sqlite3.OperationalError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if "full" in str(exc).lower():
            raise DatabaseError(f"The backup to {dest} failed: the disk is full. The database is unchanged; "
                                f"free some space and try again.") from exc
        raise translate_operational_error(exc, src_path) from exc
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno == errno.ENOSPC:
            raise DatabaseError(f"The backup to {dest} failed: the disk is full. The database is unchanged; "
                                f"free some space and try again.") from exc
        raise DatabaseError(f"The backup to {dest} failed: {exc.strerror or exc}.") from exc
    return dest


def sync_folder(folder):
    """Make a rename durable across a power cut (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def default_target() -> str:
    """``TRACKER_DB`` (a path or a postgresql:// URL), else the per-user default file."""
    from tracker.paths import default_database_path

    return os.environ.get("TRACKER_DB") or str(default_database_path())

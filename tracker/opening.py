"""Opening a database: from a path or a URL to a file the models can use, or a clear refusal.

:func:`open_database` takes a SQLite file (or, for a ``postgresql://`` URL, a shared server) and
initialises ``tracker.db.database`` with it.  In order: the file is checked before SQLite touches
it (an SQLite header, writable, not found damaged earlier in this process); a new file is created
readable by its user only; the journal is chosen (WAL on a computer's own disk, a rollback
journal on a network drive, ``tracker.netfs``); the schema version is checked: a file from a newer
app is refused untouched, an empty one is created at the latest version, an older one is backed up
(``tracker.backups``) and then upgraded (``tracker.migrations``); the planner's statistics are
refreshed; and the process takes its extra locks on the file.

Those locks: while a SQLite file is open this process holds, beside SQLite's own, the two that
keep other processes from deleting its WAL (``tracker.filelocks.WalGuard``): any code in the
process that opens and closes the file (Qt's file dialog sniffing file types, say) would otherwise
drop SQLite's locks.  Nothing here opens the file behind SQLite's back (its header is read through
the descriptor the process keeps).  :func:`announce_presence` makes every SQLite file this process
opens carry its "open here" mark, and :func:`others_present` counts the other apps that have it
open.

Not here: the connection itself, closing it and which file is open (``tracker.db``), taking
backups (``tracker.backups``), the upgrade steps (``tracker.migrations``), restoring a backup
(``tracker.restore``).
"""

import contextlib
import os
import sqlite3
from pathlib import Path

from peewee import OperationalError, SqliteDatabase

from tracker import backups, filelocks, migrations, netfs
from tracker.db import (SQLITE_MAGIC, TrackerSqliteDatabase, close_database, database, is_url, refresh_statistics,
                        sqlite_database, translate_operational_error)
from tracker.errors import DatabaseBusyError, DatabaseError, NewerDatabaseError
from tracker.paths import create_private_file, default_database_path
from tracker.sqlite_damage import known_damage

JOURNAL_SWITCH_WAIT_MS = 1000
# meta key: the file has been opened from a network drive (its value names the kind), so every program,
# on the file server's own disk too, keeps its rollback journal: one switching it to WAL would take the
# network users into WAL with it.
NETWORK_KEY = "opened_from_network_drive"
_presence = {"announce": False}


def default_target() -> str:
    """``TRACKER_DB`` (a path or a postgresql:// URL), else the per-user default file."""
    return os.environ.get("TRACKER_DB") or str(default_database_path())


def _check_sqlite_file(path: Path):
    if not path.is_file():
        raise DatabaseError(f"{path} is not a file.")
    if path.stat().st_size == 0:
        return None
    try:
        header = filelocks.read_head(path, 100)  # never closes a descriptor SQLite may be using
    except OSError as exc:
        raise DatabaseError(f"Cannot read {path}: {exc.strerror}.") from exc
    if header[:16] != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a Stakeholder Tracker database (it is not an SQLite file). "
                            f"If it was one, it is damaged: restore it from a backup (tracker backups, "
                            f"tracker restore BACKUP).")
    damage = known_damage(path)  # found damaged earlier in this session: SQLite must not touch it again
    if damage is not None:
        raise damage
    return header


def writable(path) -> bool:
    """Whether this process may change the database at ``path``: SQLite writes the file and, for its
    journal or WAL, the folder.  (Root may write a file without write permission, and does; a
    read-only mount stops everyone.)"""
    path = Path(path)
    return os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK)


def read_only_message(path):
    return (f"The database {path} is read-only (the file or its folder cannot be written), so changes could "
            f"not be saved. Make it writable, or copy it to a folder of your own and open the copy.")


def _empty_and_read_only(path):
    return DatabaseError(f"The database {path} is empty and read-only, so it cannot be set up. Make it writable, "
                         f"or choose another file.")


def _needs_immutable(path, header):
    """A WAL file read-only: SQLite would make its -wal and -shm beside it (or fail to, in a read-only
    folder) unless told the file is immutable; with both there already, it reads them as they are."""
    in_wal = header is not None and len(header) >= 20 and header[18:20] == b"\x02\x02"
    return in_wal and not all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))


def open_database(target, *, create=False, upgrade=True, read_only=None):
    """Open ``target`` (a path, or a postgresql:// URL), bind the models to it and return it.

    ``create``: make a new database when none exists.  ``upgrade``: migrate an older schema
    (after a backup); when False, an older schema is opened as it is (for backup and check).
    ``read_only``: None opens a file this process cannot write for reading only (:func:`writable`;
    ``tracker.db.is_read_only`` says so afterwards), True opens any file so, False refuses one that
    cannot be written.  Read-only, nothing is created, upgraded or written, and SQLite makes no
    file beside it.
    """
    if database.obj is not None:
        close_database()
    if is_url(target):
        from playhouse.db_url import connect  # loads every server's driver, which a SQLite file never needs

        db = connect(target)
        is_new = False
        read_only = False
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
                create_private_file(path)  # SQLite inherits the permissions: the file holds personal data
            except OSError as exc:
                raise DatabaseError(f"Cannot create {path}: {exc.strerror}.") from exc
            read_only = False
        else:
            header = _check_sqlite_file(path)
            if read_only is None:
                read_only = not writable(path)
            elif not read_only and not writable(path):
                raise DatabaseError(read_only_message(path))
            if read_only and header is None:
                raise _empty_and_read_only(path)
        db = sqlite_database(path, netfs.network_filesystem(path), read_only=read_only,
                             immutable=read_only and _needs_immutable(path, header))
        filelocks.handle(path)  # from now on the process keeps a descriptor of it and never closes one
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        if isinstance(db, TrackerSqliteDatabase) and not read_only:
            _choose_journal(db, path)
        _make_usable(db, target, create=create or is_new, upgrade=upgrade, read_only=read_only)
        if upgrade and not read_only:
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


def _make_usable(db, target, *, create, upgrade=True, read_only=False):
    """A new database is created at the latest schema; one from a newer app is refused untouched; an
    older one is backed up, then upgraded (unless ``upgrade`` is False: opened as it is)."""
    version = migrations.schema_version(db)
    if version == 0:
        if read_only:
            raise _empty_and_read_only(target)
        if not create:
            raise DatabaseError(f"The database {target} is empty. Create it with: tracker --db {target} init")
        migrations.create_schema(db)
        return
    if version > migrations.LATEST_VERSION:
        raise NewerDatabaseError(
            f"The database {target} was written by a newer version of Stakeholder Tracker "
            f"(schema {version}; this version understands up to {migrations.LATEST_VERSION}). "
            f"It has not been changed. Install the newer version to open it."
        )
    if version < migrations.LATEST_VERSION and upgrade:
        if read_only:
            raise DatabaseError(
                f"The database {target} is read-only and was written by an older version of Stakeholder Tracker "
                f"(schema {version}), which this version must upgrade before it can show it. Make it writable, "
                f"or copy it to a folder of your own and open the copy.")
        if isinstance(db, SqliteDatabase):
            backups.backup_before(f"upgrade-from-v{version}")
        migrations.run_upgrade(db, version)


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
        db.execute_sql(f"PRAGMA busy_timeout = {db.timeout * 1000}")  # the connection's own (tracker.db)


def _hold_locks(db, path):
    """After SQLite opened ``path``: the WAL guard, and the presence mark when the app asked for it."""
    mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0].lower()
    if mode == "wal" and not db.read_only:  # read-only, this process writes no WAL that others could delete
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


@contextlib.contextmanager
def opened(target, **kwargs):
    """``with opened(path) as db:`` for scripts and tests."""
    db = open_database(target, **kwargs)
    try:
        yield db
    finally:
        close_database()

"""A damaged SQLite file: recognising SQLite's report of it, and using the file no further.

SQLite reports damage (a page overwritten, a file cut short) as ``SQLITE_CORRUPT`` ("database
disk image is malformed") or ``SQLITE_NOTADB`` ("file is not a database"), whenever a statement
or a fetch happens to read a bad page: at opening, in the middle of a list, while saving.  Every
statement and every fetch of a :class:`tracker.db.TrackerSqliteDatabase` passes through
:class:`RefusesWhenDamaged` (its ``cursor()`` hands out a :class:`DamageAwareCursor`), so wherever
the damage shows it becomes one :class:`~tracker.errors.DamagedDatabaseError`, what the
connection had open is rolled back, and from then on every statement on that database (reads
included, on every thread) is refused with the same error: nothing more is written to the file.

The file itself is remembered too (:func:`known_damage`, by its identity on disk) for the life
of the process, so opening it again (switching back to it, ``restore`` probing whether the
database can still be used) is refused before SQLite touches it.  Replacing the file (a restore
renames a new one into place) or changing it from outside gives it a new identity.

What whoever meets the damage does with the open database (know it, stop using it) is in
``tracker.damage``, which sits above ``tracker.db``; this module sits below it.  Nothing here checks
the whole file: that is ``PRAGMA integrity_check`` (``tracker check``, verifying a backup), far too
slow for every start.
"""

import contextlib
import logging
import os
import sqlite3

import peewee

from tracker.errors import DamagedDatabaseError

log = logging.getLogger(__name__)

SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
DAMAGE_WORDS = {  # SQLite's primary result code: what it means for the person holding the file
    SQLITE_CORRUPT: "some of its pages cannot be read",
    SQLITE_NOTADB: "SQLite no longer recognises it as a database",
}
# Python before 3.11 gives no result code: SQLite's fixed messages for the same two codes.
DAMAGE_MESSAGES = ("malformed", "not a database", "corrupt")


def _original(exc):
    """What peewee re-raised as its own exception (it keeps the original as ``orig``), or None."""
    return getattr(exc, "orig", None) if isinstance(exc, peewee.PeeweeException) else None


def _sqlite_error(exc):
    """The sqlite3 exception behind ``exc``, or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, sqlite3.Error):
            return exc
        exc = _original(exc) or exc.__cause__ or exc.__context__
    return None


def damage_code(exc):
    """SQLITE_CORRUPT or SQLITE_NOTADB when ``exc`` is SQLite reporting a damaged file, else None."""
    if isinstance(exc, DamagedDatabaseError):
        return SQLITE_CORRUPT
    error = _sqlite_error(exc)
    if error is None:
        return None
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        code &= 0xFF  # extended codes (SQLITE_CORRUPT_INDEX…) share the primary code's low byte
        return code if code in DAMAGE_WORDS else None
    text = str(error).lower()
    if any(words in text for words in DAMAGE_MESSAGES):
        return SQLITE_NOTADB if "not a database" in text else SQLITE_CORRUPT
    return None


def is_damage(exc):
    return damage_code(exc) is not None


def describe_damage(exc):
    """SQLite's report in words, with its own message for whoever supports the app."""
    code = damage_code(exc)
    error = _sqlite_error(exc)
    said = str(error) if error is not None else str(exc)
    return f'{DAMAGE_WORDS.get(code, "SQLite reports it damaged")} (SQLite: "{said}")'


# ---- the file, remembered ------------------------------------------------------------------------

_damaged_files = {}  # (st_dev, st_ino) -> (st_size, st_mtime_ns, DamagedDatabaseError)


def remember_damaged_file(path, damage):
    try:
        st = os.stat(path)
    except OSError:
        return
    _damaged_files[(st.st_dev, st.st_ino)] = (st.st_size, st.st_mtime_ns, damage)


def known_damage(path):
    """A fresh DamagedDatabaseError when this very file was found damaged earlier in this process."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    entry = _damaged_files.get((st.st_dev, st.st_ino))
    if entry is None or entry[:2] != (st.st_size, st.st_mtime_ns):
        return None  # another file now, or this one rewritten since
    return entry[2].again()


# ---- the funnel ----------------------------------------------------------------------------------

class DamageAwareCursor(sqlite3.Cursor):
    """A cursor whose statements and fetches report damage to their database.

    A SELECT meets a bad page when it is fetched, not only when it is executed, so the fetches
    are covered too.  Costs a Python call per fetch: measured over 100,000 rows, about 0.1-0.3 µs a
    row, lost in the noise of reading records through peewee and under 10% of a bare raw fetch.
    """

    database = None  # the RefusesWhenDamaged database that handed it out

    def _damaged(self, exc):
        if is_damage(exc):
            # Let go of the statement now: the traceback keeps this cursor alive, and SQLite only
            # really closes a connection once its last statement is gone.
            with contextlib.suppress(sqlite3.Error):
                self.close()
            raise self.database.note_damage(exc) from exc

    def execute(self, sql, parameters=()):
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            self._damaged(exc)
            raise

    def executemany(self, sql, seq_of_parameters):
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.DatabaseError as exc:
            self._damaged(exc)
            raise

    def fetchone(self):
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as exc:
            self._damaged(exc)
            raise

    def fetchmany(self, size=None):
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.DatabaseError as exc:
            self._damaged(exc)
            raise

    def fetchall(self):
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as exc:
            self._damaged(exc)
            raise

    def __next__(self):
        try:
            return super().__next__()
        except sqlite3.DatabaseError as exc:
            self._damaged(exc)
            raise


class RefusesWhenDamaged:
    """Mixed into a peewee SqliteDatabase: damage met anywhere becomes DamagedDatabaseError, and
    the database refuses every statement afterwards.  ``damage`` is the error first met (shared
    by every thread: peewee's connections are per thread, the database object is not)."""

    damage = None

    def note_damage(self, exc=None, reason=None):
        """Record that SQLite found this file damaged (``exc``, or ``reason`` in words when no
        statement met it); roll back this thread's open transaction.  Returns the error to raise."""
        if self.damage is None:
            self.damage = DamagedDatabaseError(self.database, reason or describe_damage(exc))
            remember_damaged_file(self.database, self.damage)
            log.warning("damaged database (SQLite result code %s): nothing more is written to it",
                        damage_code(exc) if exc is not None else "none, found by a check")
        self._undo_open_transaction()
        return self.damage.again()

    def _undo_open_transaction(self):
        conn = self._state.conn
        if conn is not None and conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.rollback()

    def refuse_if_damaged(self):
        if self.damage is not None:
            raise self.damage.again()

    @contextlib.contextmanager
    def _damage_surfaces(self):
        """Let DamagedDatabaseError out as itself.  peewee turns an exception raised inside its
        statements into its own DatabaseError (by the class name of its first base: ours is
        ``DatabaseError`` too), keeping the original as ``orig``."""
        try:
            yield
        except DamagedDatabaseError:
            raise
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            inner = _original(exc)
            if isinstance(inner, DamagedDatabaseError):
                raise inner from inner.__cause__
            if is_damage(exc):
                raise self.note_damage(exc) from exc
            raise

    # Every statement peewee runs takes a cursor from here (execute_sql, begin, commit, rollback).
    def cursor(self, named_cursor=None):
        self.refuse_if_damaged()
        if self.is_closed():
            if not self.autoconnect:
                raise peewee.InterfaceError("Error, database connection not opened.")
            self.connect()
        cursor = self._state.conn.cursor(DamageAwareCursor)
        cursor.database = self
        return cursor

    def connect(self, reuse_if_open=False):
        self.refuse_if_damaged()
        with self._damage_surfaces():
            return super().connect(reuse_if_open)

    def connection(self):
        self.refuse_if_damaged()
        return super().connection()

    def execute_sql(self, sql, params=None):
        with self._damage_surfaces():
            return super().execute_sql(sql, params)

    def begin(self, *args, **kwargs):
        with self._damage_surfaces():
            return super().begin(*args, **kwargs)

    def commit(self):
        with self._damage_surfaces():
            return super().commit()

    def rollback(self):
        if self.damage is not None:  # refused like everything else, but what was open is undone
            self._undo_open_transaction()
            return None
        with self._damage_surfaces():
            return super().rollback()

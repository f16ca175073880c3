"""A damaged database, for whoever meets it: is the open one damaged, is this error the damage,
and stop using it.

``tracker.sqlite_damage`` recognises SQLite's report of damage on every statement and fetch of the
open database and makes that database refuse every later statement; these functions are what
the command, the backups and the app do about it.
"""

from pathlib import Path

from tracker.db import TrackerSqliteDatabase, close_database, current_path, database, translate_operational_error
from tracker.errors import DamagedDatabaseError, DatabaseError
from tracker.sqlite_damage import is_damage


def current_damage():
    """The DamagedDatabaseError met on the open database, or None while it is sound (as far as known)."""
    return getattr(database.obj, "damage", None)


def damage_of(exc):
    """The DamagedDatabaseError that ``exc`` is or reports, or None.

    SQLite's own report of damage that reached the caller without passing a cursor of the open
    database (the online backup API, say) marks the open database damaged like any other.
    """
    if isinstance(exc, DamagedDatabaseError):
        return exc
    if not is_damage(exc):
        return None
    db = database.obj
    if isinstance(db, TrackerSqliteDatabase):
        return db.note_damage(exc)
    return translate_operational_error(exc, current_path() or "in use")


def mark_damaged(reason):
    """The open database is damaged although no statement met it (its fresh backup copy failed SQLite's
    integrity check): refuse it from now on, as if a statement had.  Returns the error to raise."""
    db = database.obj
    if not isinstance(db, TrackerSqliteDatabase):
        raise DatabaseError("There is no SQLite database open.")
    return db.note_damage(reason=reason)


def stop_using_damaged(damage):
    """Close the damaged database and leave the models bound to one that refuses every statement
    with ``damage``: a screen that still asks for data meets the damage again, never "no database"."""
    close_database()
    refusing = TrackerSqliteDatabase(str(Path(damage.path)))  # never connects: every use is refused
    refusing.damage = damage
    database.initialize(refusing)

"""Putting a backup back in place of the database, and erasing again the people erased since.

:func:`restore_backup` checks that the backup is a sound Stakeholder Tracker database (SQLite
integrity, a schema this version understands: ``tracker.backups.verify_backup``), backs up the
current database first, then replaces the contents.  When the current database can be opened, the
backup is copied *into* it with the online backup API: one write transaction, so a crash leaves
the old contents, and other programs with the file open see the old or the new data, never a mix
and never a file they no longer hold.  A damaged database (or one from a newer app) is kept aside
in the backups folder (with its WAL) and the file replaced by a rename.

People erased from the current database are erased again in the restored one, through
``tracker.services.privacy`` like any erasure: that is why this module sits above the services,
and the backups below them.  Not here: taking, listing and checking backups (``tracker.backups``),
opening a database (``tracker.opening``).
"""

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

from tracker.backups import backup_before, verify_backup
from tracker.db import close_database, current_path, database, translate_operational_error
from tracker.errors import DatabaseBusyError, DatabaseError, NewerDatabaseError, TrackerError
from tracker.models import Stakeholder
from tracker.opening import open_database, read_only_message, writable
from tracker.paths import backup_dir_for, ensure_private_dir, sync_folder
from tracker.services import privacy


def restore_backup(backup, target):
    """Replace the database at ``target`` by ``backup`` (see the module docstring).

    Returns (the safety backup of what was there, or None; number of erasures re-applied).  The
    database is left open on ``target`` (upgraded when the backup is older).
    """
    backup, target = Path(backup).expanduser(), Path(target).expanduser()
    if backup.resolve() == target.resolve() or (target.exists() and backup.exists() and backup.samefile(target)):
        raise TrackerError("That is the database itself, not a backup.")
    verify_backup(backup)
    if not target.parent.is_dir():
        raise DatabaseError(f"The folder {target.parent} does not exist.")
    if target.exists() and not writable(target):
        raise DatabaseError(read_only_message(target))
    safety, erased = None, []
    live = False
    if target.exists():
        kept_as = "damaged"
        try:
            open_database(target, upgrade=False)
            live = database.obj.execute_sql("PRAGMA quick_check").fetchone()[0] == "ok"
        except DatabaseBusyError:
            raise
        except NewerDatabaseError:
            kept_as = "newer-version"
        except Exception:  # any other failure to open or read means the file is damaged
            live = False
        if live:
            with contextlib.suppress(Exception):
                erased = _erased_identities()
            safety = backup_before("restore")
            _copy_into_open_database(backup)
        else:
            close_database()
            safety = _set_aside(target, kept_as)
            _replace_file(backup, target)
    else:
        _replace_file(backup, target)
    close_database()
    open_database(target)
    if erased:
        _reapply_erasures(erased)
    return safety, len(erased)


def _erased_identities():
    return [s.uuid for s in Stakeholder.select(Stakeholder.uuid).where(Stakeholder.erased_at.is_null(False))]


def _reapply_erasures(identities):
    for identity in identities:
        person = Stakeholder.get_or_none(Stakeholder.uuid == identity)
        if person is not None and person.erased_at is None:
            privacy.erase(person, source="restore (erased again after restoring an older backup)")


def _copy_into_open_database(backup):
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        source.backup(database.obj.connection())
    except sqlite3.OperationalError as exc:
        raise translate_operational_error(exc, current_path()) from exc
    finally:
        source.close()


def _set_aside(target, reason):
    """Keep a database we cannot open (and its WAL) in the backups folder before it is replaced."""
    folder = ensure_private_dir(backup_dir_for(target))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    kept = folder / f"{target.stem}-{stamp}-{reason}.db"
    try:
        _private_copy(target, kept)
        for suffix in ("-wal", "-shm"):
            side = target.with_name(target.name + suffix)
            if side.exists():
                if suffix == "-wal":
                    _private_copy(side, kept.with_name(kept.name + suffix))
                side.unlink()  # a stale WAL would be replayed into the restored file
    except OSError as exc:
        raise DatabaseError(f"Cannot keep a copy of the damaged database in {folder}: "
                            f"{exc.strerror or exc}. Nothing was changed.") from exc
    return kept


def _private_copy(src, dest):
    tmp = dest.with_name(f".{dest.name}.partial")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _replace_file(backup, target):
    try:
        _private_copy(backup, target)
        sync_folder(target.parent)
    except OSError as exc:
        raise DatabaseError(f"Cannot restore into {target}: {exc.strerror or exc}. "
                            f"The database was not changed.") from exc
    # The copy is a DELETE-journal file; opening it switches it to WAL like every database.

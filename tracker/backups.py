"""Backups of the open SQLite database: taking them, rotating them, listing and checking them.

:func:`backup_database` writes a consistent copy with SQLite's online backup API (to a temporary
name, created ``0600``, renamed into place) into the ``backups`` folder beside the database, named
``STEM-YYYYmmdd-HHMMSS-ffffff-REASON.db``.  :func:`backup_before` is called before every risky
operation (an upgrade, an import, a restore); :func:`daily_backup_if_due` on the app's first start
each day.  Each automatic reason keeps its newest :data:`KEEP_PER_REASON` copies; backups a person
asked for (``manual``) are never deleted.  :func:`verify_backup` says whether a file is a sound
database this version can open; :func:`newest_sound_backup` is what a damaged database can go back to.

Not here: putting a backup back (``tracker.restore``, which sits above the services because it
erases again the people erased since), opening a database (``tracker.opening``, which calls
:func:`backup_before` before an upgrade).  PostgreSQL databases are backed up by their server.
"""

import contextlib
import datetime as dt
import errno
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tracker import damage, migrations
from tracker.db import SQLITE_MAGIC, current_path, database, is_live_file, translate_operational_error
from tracker.errors import DatabaseError, TrackerError
from tracker.paths import backup_dir_for, create_private_file, ensure_private_dir, sync_folder

KEEP_PER_REASON = 10
NEVER_ROTATED = ("manual",)
NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z0-9-]+)\.db$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: dt.datetime  # local time, from the name
    reason: str
    size: int

    @property
    def name(self):
        return self.path.name


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
        create_private_file(tmp)
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


def backup_folder(db_path=None):
    path = db_path or current_path()
    if path is None:
        raise DatabaseError("Backups are taken by the database server for a PostgreSQL database.")
    return backup_dir_for(Path(path))


def list_backups(db_path=None):
    """The backups of ``db_path`` (default: the open database), newest first."""
    db_path = Path(db_path or current_path())
    folder = backup_folder(db_path)
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            m = NAME_RE.match(path.name)
            if not m or m["stem"] != db_path.stem or not path.is_file():
                continue
            taken = dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S-%f")
            found.append(Backup(path, taken, m["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.taken, reverse=True)


PARTIAL_RE = re.compile(r"^\..+\.(?P<pid>\d+)\.partial$")
STALE_PARTIAL_S = 24 * 3600


def _writer_gone(path, pid):
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False
    return time.time() - path.stat().st_mtime > STALE_PARTIAL_S


def clear_abandoned(folder):
    """Remove half-written backups whose writer was killed (they never carry a backup's name)."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        m = PARTIAL_RE.match(path.name)
        if m and int(m["pid"]) != os.getpid() and _writer_gone(path, int(m["pid"])):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def rotate(reason, keep=KEEP_PER_REASON, db_path=None):
    """Delete all but the newest ``keep`` backups taken for ``reason``; returns what was deleted."""
    clear_abandoned(backup_folder(db_path))
    if reason in NEVER_ROTATED:
        return []
    old = [b for b in list_backups(db_path) if b.reason == reason][keep:]
    for backup in old:
        with contextlib.suppress(FileNotFoundError):
            backup.path.unlink()
    return [b.path for b in old]


def _reason_slug(reason):
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return slug or "auto"


def backup_before(reason, keep=KEEP_PER_REASON):
    """Back up the open SQLite database before ``reason`` (e.g. "import"), then rotate.

    Returns the backup's path, or None for PostgreSQL (its server takes backups).  Raises
    DatabaseError when the backup cannot be written, so the risky operation does not start.
    """
    if current_path() is None:
        return None
    slug = _reason_slug(reason if reason.startswith("before-") else f"before-{reason}")
    path = backup_database(reason=slug)
    rotate(slug, keep)
    return path


def daily_backup_if_due(today=None, keep=KEEP_PER_REASON, verify=False):
    """Take the day's backup on the first start of the day; returns its path or None.

    ``verify``: check the copy with SQLite's integrity check (see check_copy_of_open_database).
    """
    if current_path() is None:
        return None
    today = today or dt.date.today()
    if any(b.reason == "daily" and b.taken.date() == today for b in list_backups()):
        return None
    path = backup_database(reason="daily")
    if verify:
        check_copy_of_open_database(path)  # before rotating: a damaged copy must not push a sound one out
    rotate("daily", keep)
    return path


def find_backup(name_or_path, db_path=None):
    """A backup named by path, or by its file name in the backups folder."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    if db_path is not None and path.name == str(name_or_path):
        candidate = backup_folder(db_path) / path.name
        if candidate.is_file():
            return candidate
    raise TrackerError(f"There is no backup {name_or_path}. List them with: tracker backups")


def verify_backup(path):
    """Raise DatabaseError unless ``path`` is a sound database this version can open; return its schema."""
    path = Path(path)
    if is_live_file(path):
        raise TrackerError("That is the database itself, not a backup.")
    try:
        with open(path, "rb") as fh:  # not a file SQLite has open here (checked above)
            header = fh.read(16)
    except OSError as exc:
        raise DatabaseError(f"Cannot read the backup {path}: {exc.strerror or exc}.") from exc
    if header != SQLITE_MAGIC:
        raise DatabaseError(f"{path.name} is not a Stakeholder Tracker backup (it is not an SQLite file).")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            raise DatabaseError(f"The backup {path.name} is damaged; choose another backup.")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if "meta" in tables else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"The backup {path.name} is damaged ({exc}); choose another backup.") from exc
    finally:
        con.close()
    if row is None:
        raise DatabaseError(f"{path.name} is an SQLite file but not a Stakeholder Tracker backup.")
    version = int(row[0])
    if version > migrations.LATEST_VERSION:
        raise DatabaseError(f"The backup {path.name} was written by a newer version of Stakeholder Tracker "
                            f"(schema {version}); install that version to restore it.")
    return version


# ---- the newest sound backup (what a damaged database can go back to) -----------------------------

# Kept aside by restore, never restored from automatically: known to be damaged or too new.
KEPT_ASIDE = ("damaged", "newer-version")
COUNTED = (("stakeholders", "stakeholder"), ("events", "event"), ("commitments", "commitment"),
           ("actions", "action_item"))  # what a person recognises their database by


@dataclass(frozen=True)
class SoundBackup:
    """A backup that passed SQLite's integrity check, and its live (not deleted) records."""

    backup: Backup
    counts: dict  # {"stakeholders": n, "events": n, "commitments": n, "actions": n}

    @property
    def counts_in_words(self):
        return ", ".join(f"{n} {kind if n != 1 else kind[:-1]}" for kind, n in self.counts.items())

    def describe(self):
        """"the backup of 24/11/2026 21:12 (273 stakeholders, 7 events, 13 commitments, 56 actions)"."""
        return f"the backup of {self.backup.taken:%d/%m/%Y %H:%M} ({self.counts_in_words})"


def record_counts(path):
    """The live records of each kind in the database file at ``path``, read without writing to it."""
    con = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return {kind: con.execute(f'SELECT COUNT(*) FROM "{table}" WHERE deleted_at IS NULL').fetchone()[0]
                for kind, table in COUNTED}
    finally:
        con.close()


def newest_sound_backup(db_path, progress=None):
    """The newest backup of ``db_path`` that passes ``PRAGMA integrity_check`` (a SoundBackup), or None.

    Checking reads the whole backup (about a second at 100,000 records), so the backups are
    checked newest first and the search stops at the first sound one.  ``progress(done, total,
    text)`` is told before each; when it returns False the search stops and returns None.
    """
    candidates = [b for b in list_backups(db_path) if b.reason not in KEPT_ASIDE]
    for done, candidate in enumerate(candidates):
        text = f"Checking the backup of {candidate.taken:%d/%m/%Y %H:%M}…"
        if progress is not None and progress(done, len(candidates), text) is False:
            return None
        try:
            verify_backup(candidate.path)
            counts = record_counts(candidate.path)
        except (DatabaseError, sqlite3.DatabaseError):
            continue  # damaged, or not one this version can restore: try the one before
        return SoundBackup(candidate, counts)
    return None


def check_copy_of_open_database(copy):
    """Verify a fresh copy of the open database (the daily backup); damage in it is damage in the database.

    The online backup API copies pages without reading what is in them, so a damaged page is
    copied as it is and ``integrity_check`` of the copy finds it — an early warning about the
    open file that costs the open database nothing (the copy is read, on the caller's thread).
    A damaged copy is removed (kept, it would push a sound backup out of the rotation) and the
    open database is refused from then on: raises DamagedDatabaseError.
    """
    con = sqlite3.connect(Path(copy).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        result = [row[0] for row in con.execute("PRAGMA integrity_check(1)").fetchall()]
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    finally:
        con.close()
    if result == ["ok"]:
        return
    with contextlib.suppress(OSError):
        Path(copy).unlink()
    raise damage.mark_damaged(f"a copy of it, taken for today's backup, failed SQLite's integrity check "
                             f'(SQLite: "{result[0]}")')

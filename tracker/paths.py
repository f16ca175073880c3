"""Where the app keeps its files on each platform (data folder, default database, backups, log),
and making them private (readable by the user only: they hold personal data) and durable.

Per-user and local, never roaming: on Windows the local app-data folder, on macOS
Application Support, elsewhere ``$XDG_DATA_HOME``.  ``TRACKER_DATA_DIR`` overrides all of them
(tests and portable installs use it).  What goes into the files is for the modules that write them.
"""

import os
import sys
from pathlib import Path

APP_DIR_NAME = "StakeholderTracker"


def data_dir() -> Path:
    override = os.environ.get("TRACKER_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
        return Path(base) / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "stakeholder-tracker"


def default_database_path() -> Path:
    """The database the app and CLI use unless ``--db`` or ``TRACKER_DB`` says otherwise."""
    env = os.environ.get("TRACKER_DB")
    if env:
        return Path(env)
    return data_dir() / "tracker.db"


def backup_dir_for(db_path: Path) -> Path:
    """Backups live beside the database, in a folder of their own."""
    return Path(db_path).parent / "backups"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder readable by the user only (it holds personal data)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def create_private_file(path):
    """Create an empty file readable by the user only (refused when it exists), so that SQLite,
    writing into it, keeps those permissions."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


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

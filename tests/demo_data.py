"""The demo data set as a closed database file, loaded once per test session (and day) and copied for
each test that starts from it: loading it takes seconds of processor time, and some 150 tests do.

The one file is made by the ``tracker`` command in a process of its own, so making it never disturbs
the database a test has open.  Its due dates are relative to the day it was loaded, hence one per day.
"""

import atexit
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_made = {}


def _demo_file():
    today = dt.date.today()
    if today not in _made:
        folder = Path(tempfile.mkdtemp(prefix="tracker-demo-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "demo.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TRACKER_DATA_DIR": str(folder / "data"),
               "TRACKER_USER": "test user"}
        for name in ("TRACKER_DB", "TRACKER_COUNCIL"):
            env.pop(name, None)
        done = subprocess.run([sys.executable, "-m", "tracker", "--db", str(path), "init", "--demo"], env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        wal = Path(f"{path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0  # checkpointed: the one file holds everything
        _made[today] = path
    return _made[today]


def copy_of_demo(path):
    """Put a copy of the demo database at ``path`` (closed; private, as a new database is) and return it."""
    shutil.copy(_demo_file(), path)
    return Path(path)

"""Shared fixtures: every test gets its own data folder, user and (when asked) database file."""

import os

import pytest

# Qt tests never need a display; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.demo_data import copy_of_demo
from tracker import services
from tracker.db import close_database
from tracker.opening import announce_presence, open_database


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """No test reads or writes the real per-user folder, database or settings."""
    data = tmp_path / "data"
    monkeypatch.setenv("TRACKER_DATA_DIR", str(data))
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.setenv("TRACKER_USER", "test user")
    monkeypatch.delenv("TRACKER_COUNCIL", raising=False)
    # The app adds its file types to XDG_DATA_DIRS when it starts (ui.filetypes): undo it after each test.
    if "XDG_DATA_DIRS" in os.environ:
        monkeypatch.setenv("XDG_DATA_DIRS", os.environ["XDG_DATA_DIRS"])
    else:
        monkeypatch.delenv("XDG_DATA_DIRS", raising=False)
    services.set_actor("test user", "")
    yield data
    close_database()
    announce_presence(False)  # the app turns it on at start; the next test starts without it


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "tracker.db"


@pytest.fixture
def db(db_path):
    """A fresh, empty (councils only) database in a temp file, open for the test."""
    database = open_database(db_path, create=True)
    yield database
    close_database()


@pytest.fixture
def demo_db(db_path):
    """A database holding the demo data set, in a temp file, open for the test (as ``db``, plus the data)."""
    copy_of_demo(db_path)
    database = open_database(db_path)
    yield database
    close_database()

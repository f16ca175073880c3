"""A database that cannot be written opens for reading only: nothing created beside it, nothing changed, a
write refused in one sentence; the ``tracker`` command's reading commands work and its writing ones refuse.

The folders are really read-only (tests/read_only.py: a read-only bind mount when the tests run as root,
permissions otherwise), so SQLite meets the same refusals a user's read-only share gives it.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_data import copy_of_demo
from tests.read_only import read_only_copy, read_only_folder
from tracker import services
from tracker.db import close_database, database, is_read_only
from tracker.errors import DatabaseError, ReadOnlyDatabaseError
from tracker.opening import open_database

ROOT = Path(__file__).resolve().parents[2]
WAL, DELETE = b"\x02\x02", b"\x01\x01"  # a file's header bytes 18-19: WAL, or a rollback journal


def demo_in(tmp_path, journal="wal", sidecars=False):
    """The demo database in ``journal`` mode, with its (empty) -wal and -shm beside it or not."""
    db = copy_of_demo(tmp_path / "demo.db")
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA journal_mode = {journal}")
    if sidecars:  # a second connection keeps them as a program holding the file open leaves them
        keeper = sqlite3.connect(db)
        keeper.execute("SELECT count(*) FROM stakeholder").fetchone()
        con.close()
        shutil.copy(db, tmp_path / "copy.db")  # copied while open: the sidecars exist
        for suffix in ("-wal", "-shm"):
            shutil.copy(f"{db}{suffix}", f"{tmp_path / 'copy.db'}{suffix}")
        keeper.close()
        return tmp_path / "copy.db"
    con.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def count_people(db):
    """Counted through SQLite's read-only mode and immutable: nothing is created beside ``db`` meanwhile."""
    con = sqlite3.connect(f"{Path(db).absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return con.execute("SELECT count(*) FROM stakeholder WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        con.close()


def listing(folder):
    return {p.name: p.read_bytes() for p in Path(folder).iterdir() if p.is_file()}


@pytest.mark.parametrize("journal, sidecars", [("wal", False), ("wal", True), ("delete", False)])
def test_a_read_only_folder_is_opened_for_reading_and_nothing_appears_beside_it(tmp_path, journal, sidecars):
    source = demo_in(tmp_path, journal, sidecars)
    expected = count_people(source)
    files = [source] + [Path(f"{source}{s}") for s in ("-wal", "-shm") if Path(f"{source}{s}").exists()]
    with read_only_folder(*files) as folder:
        db = folder / source.name
        assert db.read_bytes()[18:20] == (WAL if journal == "wal" else DELETE)
        assert not os.access(db, os.W_OK) and not os.access(folder, os.W_OK)  # really read-only, for this user too
        before = listing(folder)
        open_database(db)
        assert is_read_only() and database.obj.immutable == (journal == "wal" and not sidecars)
        assert services.stats()["stakeholders"] == expected
        assert services.stakeholders.count() == expected  # the lists' queries read it
        person = services.stakeholders.query().first()
        with pytest.raises(ReadOnlyDatabaseError, match="open read-only, so nothing can be changed"):
            services.stakeholders.update(person, expected_version=person.version, role="Changed")
        close_database()
        assert listing(folder) == before  # no -wal, -shm or -journal, and not a byte changed


def test_read_only_can_be_asked_for_on_a_writable_file(tmp_path):
    db = demo_in(tmp_path)
    before = listing(tmp_path)
    open_database(db, read_only=True)
    assert is_read_only() and services.stats()["actions"] > 10
    with pytest.raises(ReadOnlyDatabaseError):
        services.privacy.erase(services.stakeholders.query().first(), source="test")
    close_database()
    assert listing(tmp_path) == before
    open_database(db)  # and next time, as usual, for writing
    assert not is_read_only()


def test_read_only_refuses_what_it_cannot_do_without_writing(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    with read_only_copy(empty) as db, pytest.raises(DatabaseError, match="empty and read-only"):
        open_database(db, create=True)
    with pytest.raises(DatabaseError, match="read-only"), read_only_copy(demo_in(tmp_path)) as db:
        open_database(db, read_only=False)  # a caller that must write (restoring a backup)


# ---- the tracker command -------------------------------------------------------------------------

def tracker(*argv):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tracker", *argv], capture_output=True, text=True, env=env, check=False,
                          timeout=120)


@pytest.mark.slow
def test_the_command_reads_a_read_only_database_and_refuses_to_write(tmp_path):
    with read_only_copy(demo_in(tmp_path)) as db:
        before = listing(db.parent)
        stats = tracker("--db", str(db), "stats", "--json")
        assert stats.returncode == 0 and '"stakeholders"' in stats.stdout, stats.stderr
        assert tracker("--db", str(db), "check").returncode == 0
        report = tmp_path / "log.xlsx"
        done = tracker("--db", str(db), "action-log", str(report))
        assert done.returncode == 0 and report.stat().st_size > 0, done.stderr
        review = tracker("--db", str(db), "retention-review", "--months", "6")
        assert review.returncode == 0, review.stderr
        for argv in (["erase", "1", "--yes"], ["retention-review", "--months", "6", "--save"],
                     ["not-duplicates", "1", "2"], ["init"]):
            refused = tracker("--db", str(db), *argv)
            assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
            assert refused.stderr.count("\n") == 1 and "is open read-only" in refused.stderr
            assert f"'tracker {argv[0]}' cannot change it" in refused.stderr
        assert listing(db.parent) == before


def test_the_command_can_be_asked_to_read_only(tmp_path, capsys):
    from tracker.cli import main

    db = demo_in(tmp_path)
    before = listing(tmp_path)
    assert main(["--db", str(db), "--read-only", "stats"]) == 0
    assert main(["--db", str(db), "--read-only", "erase", "1", "--yes"]) == 1
    assert "'tracker erase' cannot change it" in capsys.readouterr().err
    assert listing(tmp_path) == before

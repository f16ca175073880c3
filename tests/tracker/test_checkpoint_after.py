"""An import's COMMIT leaves the WAL's checkpoint to a thread of its own (``tracker.db.checkpoint_after``).

SQLite checkpoints on the commit that takes the WAL past ``wal_autocheckpoint`` pages; a big import's
does, in the importing thread.  These tests lower that threshold on the test's connection so that a
small import crosses it as the bench's 10k rows cross SQLite's 1000 pages, and read how many WAL
frames are in the database file from the WAL index (the ``-shm`` file, read through the descriptor
the process keeps: opening and closing it would drop SQLite's locks).  On the code before, the
commit itself checkpointed every frame.
"""

import os
import sqlite3
import struct
import threading
import time
from pathlib import Path

import pytest

from tracker import db as tracker_db
from tracker import filelocks, netfs, services
from tracker.services import privacy
from tracker.db import close_database, database, wait_for_checkpoint
from tracker.errors import Cancelled
from tracker.exchange import export_workbook, import_workbook
from tracker.models import Stakeholder
from tracker.opening import open_database
from tracker.tableimport import Options, apply_plan, plan_import

from tests.tracker.exchange_helpers import council_db, make_records
from tests.tracker.table_import_helpers import tracker_json

LOW_THRESHOLD = 20  # pages; SQLite's own is 1000
PEOPLE = 300

pytestmark = pytest.mark.skipif(not filelocks.OFD, reason="reads the WAL index through the descriptor the guard keeps")


def people_sheet(path, n=PEOPLE, start=0):
    lines = ["Name,Organisation,Role,Email"]
    lines += [f"Person {i} Example,Forum {i % 7},Member,person{i}@example.org" for i in range(start, start + n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wal_frames(db_path):
    """(frames in the WAL, frames of them copied into the database file), from the WAL index."""
    shm = f"{db_path}-shm"
    assert filelocks.is_held(shm)  # else read_head would open and close it, dropping SQLite's locks
    index = filelocks.read_head(shm, 100)
    return struct.unpack_from("=I", index, 16)[0], struct.unpack_from("=I", index, 96)[0]


def rows_in_the_file_alone(db_path, tmp_path):
    """Stakeholders in a copy of the database file without its WAL (read through the kept descriptor)."""
    copy = tmp_path / "file-alone.db"
    copy.write_bytes(filelocks.read_head(db_path, os.stat(db_path).st_size))
    con = sqlite3.connect(copy)
    try:
        return con.execute("SELECT COUNT(*) FROM stakeholder").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def checkpoints(monkeypatch):
    """The background checkpoints, held until ``release`` is set; ``done`` gets SQLite's answer of each."""
    state = {"release": threading.Event(), "done": [], "threads": []}
    real = tracker_db.checkpoint_wal

    def held(path):
        state["threads"].append(threading.current_thread().name)
        assert state["release"].wait(10)
        answer = real(path)
        state["done"].append(tuple(answer))
        return answer

    monkeypatch.setattr(tracker_db, "checkpoint_wal", held)
    yield state
    state["release"].set()
    wait_for_checkpoint()


def import_people(path, progress=None):
    plan = plan_import(path, Options(kind="stakeholders"))
    return apply_plan(plan, progress)


def autocheckpoint():
    return database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_the_import_commits_without_checkpointing_and_a_thread_checkpoints_after(db, db_path, tmp_path,
                                                                                checkpoints):
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the new file's schema in it, the WAL empty
    database.execute_sql(f"PRAGMA wal_autocheckpoint = {LOW_THRESHOLD}")
    before = rows_in_the_file_alone(db_path, tmp_path)
    during = []
    import_id = import_people(people_sheet(tmp_path / "people.csv"),
                              lambda percent, text: during.append((percent, autocheckpoint())))
    assert import_id is not None
    assert [a for p, a in during if p >= 10] and all(a == 0 for p, a in during if p >= 10)  # in the transaction
    assert autocheckpoint() == LOW_THRESHOLD  # as it was, after the commit
    frames, copied = wal_frames(db_path)
    assert frames > LOW_THRESHOLD and copied < frames  # the commit did not checkpoint
    assert rows_in_the_file_alone(db_path, tmp_path) == before
    expected = services.stats()["stakeholders"]
    code, seen = tracker_json(db_path, "stats")  # another process reads the WAL meanwhile
    assert code == 0 and seen["stakeholders"] == expected

    checkpoints["release"].set()
    wait_for_checkpoint()
    assert checkpoints["threads"] == ["tracker-checkpoint"]
    busy, log_frames, done = checkpoints["done"][0]
    assert busy == 0 and done == log_frames
    frames, copied = wal_frames(db_path)
    assert copied == frames  # every frame is in the database file now
    assert rows_in_the_file_alone(db_path, tmp_path) == expected
    code, seen = tracker_json(db_path, "stats")
    assert code == 0 and seen["stakeholders"] == expected


def test_checkpoints_run_one_after_the_other(db, tmp_path, checkpoints):
    import_people(people_sheet(tmp_path / "people.csv"))
    import_people(people_sheet(tmp_path / "more.csv", start=PEOPLE))
    checkpoints["release"].set()
    wait_for_checkpoint()
    assert len(checkpoints["done"]) == 2
    assert all(busy == 0 for busy, _, _ in checkpoints["done"])  # the second did not find the first at work


def test_a_cancelled_import_puts_the_automatic_checkpoint_back_and_starts_none(db, tmp_path, checkpoints):
    database.execute_sql(f"PRAGMA wal_autocheckpoint = {LOW_THRESHOLD}")
    with pytest.raises(Cancelled):
        import_people(people_sheet(tmp_path / "people.csv"), lambda percent, text: percent < 99)
    assert autocheckpoint() == LOW_THRESHOLD
    checkpoints["release"].set()
    wait_for_checkpoint()
    assert checkpoints["threads"] == []


def test_closing_waits_for_the_checkpoint_and_leaves_the_file_holding_everything(db, db_path, tmp_path,
                                                                               checkpoints):
    import_people(people_sheet(tmp_path / "people.csv"))
    expected = services.stats()["stakeholders"]
    threading.Timer(0.3, checkpoints["release"].set).start()
    start = time.perf_counter()
    close_database()
    assert time.perf_counter() - start >= 0.25
    assert len(checkpoints["done"]) == 1  # it ran to its end before the database was closed
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # close's own checkpoint was not refused
    assert rows_in_the_file_alone(db_path, tmp_path) == expected


def test_opening_another_database_waits_for_the_checkpoint_too(db, db_path, tmp_path, checkpoints):
    import_people(people_sheet(tmp_path / "people.csv"))
    threading.Timer(0.3, checkpoints["release"].set).start()
    open_database(tmp_path / "other.db", create=True)
    assert len(checkpoints["done"]) == 1


def test_an_erasure_waits_for_the_checkpoint_so_its_own_empties_the_wal(db, db_path, tmp_path, checkpoints):
    import_people(people_sheet(tmp_path / "people.csv"))
    person = services.stakeholders.query().where(Stakeholder.kind == "person").first()
    threading.Timer(0.3, checkpoints["release"].set).start()
    privacy.erase(person)
    assert len(checkpoints["done"]) == 1  # else the import's could hold the checkpoint lock as it ran: refused
    assert os.stat(f"{db_path}-wal").st_size == 0  # the erased values are not left in the WAL


def test_a_failed_background_checkpoint_is_only_logged(db, db_path, tmp_path, monkeypatch, caplog):
    def failing(path):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(tracker_db, "checkpoint_wal", failing)
    database.execute_sql(f"PRAGMA wal_autocheckpoint = {LOW_THRESHOLD}")
    with caplog.at_level("WARNING", logger="tracker.db"):
        assert import_people(people_sheet(tmp_path / "people.csv")) is not None
        wait_for_checkpoint()
    assert any("background checkpoint" in r.getMessage() for r in caplog.records)
    import_people(people_sheet(tmp_path / "more.csv", start=PEOPLE))  # the app goes on
    expected = services.stats()["stakeholders"]
    close_database()
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert rows_in_the_file_alone(db_path, tmp_path) == expected


def _posix_locks(path):
    """This process's own (POSIX, not OFD) locks on ``path``: [(kind, start, end)], from /proc/locks."""
    st = os.stat(path)
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    out = []
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if fields[1] == "->":
            continue
        if fields[1] == "POSIX" and fields[4] == str(os.getpid()) and fields[5] == inode:
            out.append((fields[3], fields[6], fields[7]))
    return sorted(out)


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="Linux's lock table")
def test_the_checkpoints_connection_leaves_sqlites_locks_in_this_process_as_they_were(db, db_path, tmp_path,
                                                                                    checkpoints):
    held = {name: _posix_locks(name) for name in (db_path, f"{db_path}-shm")}
    assert held[db_path]  # SQLite's shared lock on the database, for as long as the connection is open
    import_people(people_sheet(tmp_path / "people.csv"))
    checkpoints["release"].set()
    wait_for_checkpoint()
    assert checkpoints["done"]
    assert {name: _posix_locks(name) for name in held} == held
    code, seen = tracker_json(db_path, "stats")  # a second process opens and closes it: the WAL stays
    assert code == 0 and Path(f"{db_path}-wal").exists()
    assert seen["stakeholders"] == services.stats()["stakeholders"]


def test_the_exchange_import_leaves_its_checkpoint_to_the_thread_too(tmp_path, checkpoints):
    source, target = tmp_path / "HAV.db", tmp_path / "BD.db"
    with council_db(source, "Havering"):
        make_records(n=150)
        out = export_workbook(tmp_path / "share.xlsx").path
    with council_db(target, "Barking and Dagenham"):
        database.execute_sql(f"PRAGMA wal_autocheckpoint = {LOW_THRESHOLD}")
        report = import_workbook(out)
        assert report.import_id is not None
        assert autocheckpoint() == LOW_THRESHOLD
        frames, copied = wal_frames(target)
        assert frames > LOW_THRESHOLD and copied < frames
        checkpoints["release"].set()
        wait_for_checkpoint()
        frames, copied = wal_frames(target)
        assert len(checkpoints["done"]) == 1 and copied == frames


def test_nothing_changes_on_a_rollback_journal(tmp_path, monkeypatch, checkpoints):
    monkeypatch.setattr(netfs, "network_filesystem", lambda path, **kw: "nfs4")
    path = tmp_path / "shared.db"
    open_database(path, create=True)
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert import_people(people_sheet(tmp_path / "people.csv")) is not None
    checkpoints["release"].set()
    wait_for_checkpoint()
    assert checkpoints["threads"] == []

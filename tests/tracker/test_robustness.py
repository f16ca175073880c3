"""Broken, busy, full and read-only databases: a clear message, a way forward, nothing corrupted.

Two copies are real processes; the full disk is a real tmpfs when this machine lets us mount one
(root) and a simulated failure otherwise.  A read-only database is tests/tracker/test_read_only.py's.
"""

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from tests.demo_data import copy_of_demo
from tracker import backups, services
from tracker.cli import main
from tracker.db import close_database
from tracker.errors import DatabaseError, StaleEditError, TrackerError
from tracker.models import Stakeholder
from tracker.opening import open_database

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*argv, env=None, user=None, timeout=60):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "tracker", *argv], capture_output=True, text=True, env=env,
                          timeout=timeout, user=user)


def spawn(code, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def demo_file(tmp_path, name="d.db"):
    return copy_of_demo(tmp_path / name)


# ---- two copies open -----------------------------------------------------------------------

HOLD_LOCK = """
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE meta SET value = value WHERE key = 'database_id'")
    print("locked", flush=True)
    sys.stdin.readline()  # until the test says so
    con.execute("COMMIT")
    print("released", flush=True)
"""

# The tracker command, saying "writing" on stdout as its first write statement starts (SQLite's statement
# trace runs before the statement asks for the write lock), so the test knows it is asking for the lock.
CLI_SAYING_WHEN_IT_WRITES = """
    import sqlite3, sys
    import peewee
    connect = sqlite3.connect
    said = []

    def traced(*args, **kwargs):
        con = connect(*args, **kwargs)

        def trace(sql):
            if not said and sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")):
                said.append(sql)
                print("writing", flush=True)
        con.set_trace_callback(trace)
        return con

    peewee.sqlite3.connect = traced
    from tracker.cli import main
    sys.exit(main(sys.argv[1:]))
"""


def holds_the_write_lock(db):
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc), exc
        return True
    finally:
        probe.close()
    return False


def test_a_short_write_by_another_copy_is_waited_for(tmp_path):
    """The command asks for the write lock while another copy holds it; that copy lets go only once the
    command is asking (and waiting: with no busy timeout it would have failed at once), and the command's
    write then goes through."""
    db = demo_file(tmp_path)
    holder = spawn(HOLD_LOCK, db)
    writer = None
    try:
        assert holder.stdout.readline().strip() == "locked"
        writer = spawn(CLI_SAYING_WHEN_IT_WRITES, "--db", db, "retention-review", "--months", "3", "--save")
        assert writer.stdout.readline().strip() == "writing", writer.communicate(timeout=60)
        assert holds_the_write_lock(db) and writer.poll() is None  # it is waiting, not refused
        holder.stdin.write("release\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        out, err = writer.communicate(timeout=60)
    finally:
        for proc in filter(None, (holder, writer)):
            proc.kill()
            proc.communicate()
    assert writer.returncode == 0, err
    open_database(db)
    assert services.privacy.retention_months() == 3  # the write went through, after the other copy's
    close_database()
    assert run_cli("--db", str(db), "check").returncode == 0


@pytest.mark.slow  # the command waits out its 5 s busy timeout
def test_a_long_write_by_another_copy_is_reported_as_busy_not_a_traceback(tmp_path):
    """The other copy never lets go while the command runs: the command gives up by itself (the busy
    timeout, not forever) with a sentence, while the lock is still held."""
    db = demo_file(tmp_path)
    holder = spawn(HOLD_LOCK, db)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run_cli("--db", str(db), "retention-review", "--months", "3", "--save")
        assert holder.poll() is None and holds_the_write_lock(db)  # it gave up; nobody let go
    finally:
        holder.kill()
        holder.communicate()
    assert result.returncode == 1 and "busy" in result.stderr and "another copy" in result.stderr
    assert "Traceback" not in result.stderr and "locked" not in result.stderr
    assert run_cli("--db", str(db), "check").returncode == 0


COUNTER = """
    import sys
    from tracker import services
    from tracker.opening import open_database
    from tracker.errors import DatabaseBusyError, StaleEditError
    from tracker.models import Stakeholder
    open_database(sys.argv[1])
    tag, n = sys.argv[2], int(sys.argv[3])
    stale = busy = 0
    for i in range(n):
        services.stakeholders.create(name=f"{tag} {i}")
        while True:  # read-modify-write of one shared record, as two open edit forms would do
            org = Stakeholder.get(Stakeholder.name == "Shared counter")
            try:
                services.stakeholders.update(org, expected_version=org.version, tags=str(int(org.tags or 0) + 1))
                break
            except StaleEditError:
                stale += 1
            except DatabaseBusyError:
                busy += 1
    print(stale, busy, flush=True)
"""


def test_two_processes_writing_lose_nothing(tmp_path):
    db = tmp_path / "two.db"
    open_database(db, create=True)
    services.stakeholders.create(name="Shared counter", tags="0")
    close_database()
    n = 150
    procs = [spawn(COUNTER, db, tag, n) for tag in ("first", "second")]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0 and "Traceback" not in err, err
    stale = sum(int(out.split()[0]) for out, _ in outs)
    open_database(db)
    assert Stakeholder.select().where(Stakeholder.name.startswith("first ")).count() == n
    assert Stakeholder.select().where(Stakeholder.name.startswith("second ")).count() == n
    counter = Stakeholder.get(Stakeholder.name == "Shared counter")
    assert int(counter.tags) == 2 * n  # every increment landed once: no lost update
    assert counter.version == 2 * n + 1
    assert services.check() == []
    print(f"two processes: {2 * n} increments, {stale} stale edits detected and retried")


def test_a_stale_edit_from_another_process_is_detected(db, db_path):
    person = services.stakeholders.create(name="Pat Example", kind="person")
    seen = person.version
    other = spawn("""
        import sys
        from tracker import services
        from tracker.opening import open_database
        open_database(sys.argv[1])
        services.stakeholders.update(services.stakeholders.get(sys.argv[2]), role="Changed elsewhere")
    """, db_path, person.uuid)
    _, err = other.communicate(timeout=60)
    assert other.returncode == 0, err
    with pytest.raises(StaleEditError) as info:
        services.stakeholders.update(person, expected_version=seen, role="My edit")
    assert "changed by someone else" in str(info.value)
    assert services.stakeholders.get(person.uuid).role == "Changed elsewhere"


# ---- databases in a bad state ----------------------------------------------------------------

def garble(path, every=4096, start=4096, length=300):
    data = bytearray(path.read_bytes())
    for page in range(start, len(data), every):
        data[page: page + length] = os.urandom(min(length, len(data) - page))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["pages", "header", "truncated"])
def test_a_damaged_database_says_restore(tmp_path, damage):
    db = demo_file(tmp_path)
    assert run_cli("--db", str(db), "backup").returncode == 0
    if damage == "pages":
        garble(db)
    elif damage == "header":
        db.write_bytes(os.urandom(100) + db.read_bytes()[100:])
    else:
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    for argv in (["stats"], ["check"], ["init"]):
        result = run_cli("--db", str(db), *argv)
        assert result.returncode == 1, (argv, result.stdout, result.stderr)
        text = result.stdout + result.stderr
        assert "Traceback" not in text and ("restore" in text or "problem" in text), text
    name = next(b.name for b in backups.list_backups(db))
    result = run_cli("--db", str(db), "restore", name)
    assert result.returncode == 0, result.stderr
    assert run_cli("--db", str(db), "check").returncode == 0


def test_a_newer_database_names_the_way_forward(tmp_path):
    db = demo_file(tmp_path)
    con = sqlite3.connect(db)
    con.execute("update meta set value = '99' where key = 'schema_version'")
    con.commit()
    con.close()
    result = run_cli("--db", str(db), "stats")
    assert result.returncode == 1 and "newer version" in result.stderr and "Install the newer" in result.stderr


def test_a_database_whose_folder_is_gone(tmp_path):
    gone = tmp_path / "usb-stick" / "tracker.db"
    result = run_cli("--db", str(gone), "stats")
    assert result.returncode == 1 and "There is no database" in result.stderr and "init" in result.stderr
    result = run_cli("--db", str(gone), "init")
    assert result.returncode == 1 and "does not exist" in result.stderr and not gone.parent.exists()


# ---- a full disk -------------------------------------------------------------------------------

@contextlib.contextmanager
def small_disk(size):
    """A real tmpfs of ``size`` (needs root); skips where it cannot be mounted."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0 if shutil.which("mount") else False
    if not mounted:
        folder.rmdir()
        pytest.skip("cannot mount a small tmpfs here (not root); the simulated disk-full tests still run")
    try:
        yield folder
    finally:
        close_database()
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def test_backup_to_a_full_disk_leaves_nothing_and_says_so(tmp_path, capsys):
    db = demo_file(tmp_path)
    with small_disk("300k") as disk:
        code = main(["--db", str(db), "backup", str(disk / "copy.db")])
        err = capsys.readouterr().err
        assert code == 1 and "disk is full" in err, err
        assert list(disk.iterdir()) == []
    assert main(["--db", str(db), "check"]) == 0


def test_a_database_on_a_full_disk_stays_intact(tmp_path):
    # room for a new database (its WAL holds every table's first pages: about 0.4 MB) and then some
    with small_disk("600k") as disk:
        db = disk / "full.db"
        open_database(db, create=True)
        saved, error = 0, None
        try:
            while saved < 100_000:
                services.stakeholders.create(name=f"Organisation {saved}", notes="x" * 2000)
                saved += 1
        except Exception as exc:  # noqa: BLE001 - we assert on what it was below
            error = exc
        from tracker.db import translate_operational_error
        message = str(translate_operational_error(error, db)) if not isinstance(error, DatabaseError) else str(error)
        assert "full" in message and "intact" in message, repr(error)
        close_database()
        open_database(db, upgrade=False)
        assert services.check() == [] and Stakeholder.select().count() == saved
        with pytest.raises(DatabaseError, match="disk is full"):
            backups.backup_before("import")
        assert [p for p in disk.iterdir() if p.name.endswith(".partial")] == []
        assert not any(p.name.endswith(".partial") for p in (disk / "backups").iterdir())


def test_a_full_disk_simulated_during_backup(db, db_path, monkeypatch):
    """Where no tmpfs can be mounted: the temporary file cannot be created or written."""
    def no_space(path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("tracker.backups.create_private_file", no_space)
    with pytest.raises(DatabaseError, match="disk is full"):
        backups.backup_before("import")
    with pytest.raises(DatabaseError, match="disk is full"):
        backups.daily_backup_if_due()
    assert backups.list_backups() == [] and services.check() == []


def test_export_to_a_full_disk_leaves_nothing_and_says_so(demo_db, db_path, tmp_path):
    from tracker.exchange import export_workbook

    with small_disk("64k") as disk:
        with pytest.raises(TrackerError) as info:
            export_workbook(disk / "share.xlsx")
        assert "disk is full" in str(info.value) and "Nothing was written" in str(info.value)
        assert list(disk.iterdir()) == []
        assert services.check() == []
        close_database()
        result = run_cli("--db", str(db_path), "export-workbook", str(disk / "share.xlsx"))
        # one line: openpyxl's half-written archive is released quietly, no "Exception ignored" noise
        assert result.returncode == 1 and result.stderr.count("\n") == 1 and "disk is full" in result.stderr
        assert list(disk.iterdir()) == []


def test_export_with_a_full_disk_simulated(demo_db, tmp_path, monkeypatch):
    """Where no tmpfs can be mounted: the data cannot be flushed to disk."""
    from tracker.exchange import export_workbook

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    earlier = tmp_path / "share.xlsx"
    earlier.write_bytes(b"the previous export")
    monkeypatch.setattr("tracker.spreadsheet.os.fsync", no_space)
    with pytest.raises(TrackerError, match="disk is full"):
        export_workbook(earlier)
    assert earlier.read_bytes() == b"the previous export"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []

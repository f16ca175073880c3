"""The database stays whole when code in the app's process opens and closes its files (issue 11 §1).

On Linux closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included; the next process to close the database then deleted the WAL the app was still writing
to.  These tests open and close the files in this process the way a file dialog or a header check
does, then let real second processes (the ``tracker`` command, plain ``sqlite3``) read and write,
write more here, and check integrity and counts.  On the code before the fix the first of them
ends with "database disk image is malformed".
"""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from tracker import filelocks, services
from tracker.backups import backup_database
from tracker.db import close_database, current_path, is_live_file
from tracker.errors import DatabaseError, TrackerError
from tracker.exchange.safety import FileRefused, check_file
from tracker.opening import announce_presence, open_database, others_present
from tracker.restore import restore_backup

from .test_robustness import ROOT, demo_file, run_cli

pytestmark = pytest.mark.skipif(not filelocks.OFD, reason="open file description locks are Linux-only")


def add_organisations(n, tag):
    for i in range(n):
        services.stakeholders.create(name=f"{tag} {i}", kind="organisation", sector="police")


def touch_like_a_file_dialog(db_path):
    """What Qt's file dialog does to each file it lists whose type it cannot tell by name."""
    for suffix in ("", "-shm", "-wal"):
        with open(f"{db_path}{suffix}", "rb") as fh:
            fh.read(16)


def sqlite_writer(db_path, rows):
    """A second program writing with plain sqlite3 (a backup or reporting script)."""
    code = textwrap.dedent("""
        import sqlite3, sys
        con = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
        for i in range(int(sys.argv[2])):
            con.execute("INSERT INTO meta(key, value) VALUES (?, 'x')", (f"script-{i}",))
        print(con.execute("SELECT COUNT(*) FROM stakeholder").fetchone()[0])
        con.close()
    """)
    out = subprocess.run([sys.executable, "-c", code, str(db_path), str(rows)], capture_output=True, text=True,
                         timeout=60, check=True)
    return int(out.stdout)


def test_closing_the_files_in_this_process_lets_no_other_process_delete_the_wal(tmp_path):
    path = demo_file(tmp_path)
    open_database(path)
    start = services.stats()["stakeholders"]
    add_organisations(3, "before")
    touch_like_a_file_dialog(path)

    seen = run_cli("--db", str(path), "stats", "--json")
    assert seen.returncode == 0, seen.stderr
    assert f'"stakeholders": {start + 3}' in seen.stdout  # the other process sees what the app wrote
    assert sqlite_writer(path, 5) == start + 3
    assert path.with_name(path.name + "-wal").exists(), "a second process deleted the WAL the app is using"

    add_organisations(4, "after")  # the app goes on writing after the other processes closed
    assert services.stats()["stakeholders"] == start + 7
    close_database()

    check = run_cli("--db", str(path), "check")
    assert check.returncode == 0 and "sound" in check.stdout, check.stdout + check.stderr
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM stakeholder").fetchone()[0] == start + 7
        assert con.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'script-%'").fetchone()[0] == 5
    finally:
        con.close()


def test_the_guard_holds_sqlites_two_lasting_locks_where_another_process_looks_for_them(tmp_path):
    path = demo_file(tmp_path)
    open_database(path)
    touch_like_a_file_dialog(path)  # SQLite's own locks on both files are gone now
    probe = textwrap.dedent("""
        import fcntl, struct, sys
        def held(name, start):
            with open(name, "rb+") as fh:
                got = fcntl.fcntl(fh, fcntl.F_GETLK, struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, start, 1, 0))
            return struct.unpack("hhqqi4x", got)[0] != fcntl.F_UNLCK
        print(held(sys.argv[1], 0x40000002), held(sys.argv[1] + "-shm", 128))
    """)
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]
    close_database()
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]  # released when the database is closed


def test_reopening_the_database_reads_its_header_through_the_descriptor_it_keeps(tmp_path, monkeypatch):
    path = demo_file(tmp_path)
    open_database(path)
    assert filelocks.is_held(path) and filelocks.is_held(f"{path}-shm")
    opened = []
    real_open = open

    def recording_open(name, *args, **kwargs):
        opened.append(os.fspath(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr("builtins.open", recording_open)
    assert filelocks.read_head(path, 16) == b"SQLite format 3\x00"
    open_database(path)  # e.g. switching back to it: the header check must not open and close it
    assert str(path) not in opened


def test_the_open_database_is_never_a_file_to_import_export_over_back_up_into_or_restore_from(tmp_path):
    path = demo_file(tmp_path)
    open_database(path)
    before = services.stats()
    for name in (path, f"{path}-wal", f"{path}-shm"):
        assert is_live_file(name)
        with pytest.raises(FileRefused, match="database the app has open"):
            check_file(name)
    assert not is_live_file(tmp_path / "other.xlsx")
    from tracker.exchange.writer import export_workbook

    with pytest.raises(TrackerError, match="database the app has open"):
        export_workbook(path)
    with pytest.raises(DatabaseError, match="the database itself"):
        backup_database(path)
    with pytest.raises(TrackerError, match="the database itself"):
        restore_backup(path, path)
    assert services.stats() == before and services.check() == []


def run_app_holder(path):
    """A process that opens ``path`` as the app does (with its "open here" mark) and waits."""
    code = textwrap.dedent("""
        import sys
        from tracker.opening import announce_presence, open_database
        announce_presence(True)
        open_database(sys.argv[1])
        print("open", flush=True)
        sys.stdin.readline()
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_second_app_is_counted_and_a_crashed_one_is_not(tmp_path):
    path = demo_file(tmp_path)
    announce_presence(True)
    try:
        open_database(path)
        assert others_present() == 0
        first, second = run_app_holder(path), run_app_holder(path)
        assert others_present() == 2
        second.communicate("\n", timeout=30)  # closed normally
        assert others_present() == 1
        os.kill(first.pid, signal.SIGKILL)  # a crash: the kernel drops its mark
        first.wait(timeout=30)
        first.stdin.close()
        first.stdout.close()
        assert others_present() == 0
        run_cli("--db", str(path), "stats")  # the tracker command is no app window
        assert others_present() == 0
    finally:
        announce_presence(False)


def test_presence_falls_back_to_process_locks_where_open_file_description_locks_do_not_exist(tmp_path,
                                                                                             monkeypatch):
    path = demo_file(tmp_path)
    other = run_app_holder(path)  # marks with OFD locks, which process locks see too
    try:
        monkeypatch.setattr(filelocks, "OFD", False)
        mine = filelocks.Presence(path)
        assert mine.join() and mine.others() == 1
        assert mine.others() == 1  # counting does not take the other's slot
        mine.leave()
    finally:
        other.communicate("\n", timeout=30)
    assert filelocks.Presence(path).others() == 0


def test_the_guard_waits_out_a_brief_exclusive_lock_and_refuses_a_lasting_one(tmp_path):
    path = demo_file(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import fcntl, os, sys
        fd = os.open(sys.argv[1], os.O_RDWR)
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, 0x40000002)  # what another SQLite holds while it checkpoints on close
        print("locked", flush=True)
        sys.stdin.readline()
    """), str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        guard = filelocks.WalGuard(path)
        with pytest.raises(OSError):
            guard.hold(wait_s=0.2)
        assert not guard.held
        holder.communicate("\n", timeout=30)
        assert guard.hold(wait_s=5) and guard.held
        guard.release()
    finally:
        if holder.poll() is None:
            holder.kill()


def test_the_database_file_holds_every_change_once_closed(tmp_path):
    """Someone copies tracker.db alone after closing the app: nothing may be missing from it."""
    path = demo_file(tmp_path)
    open_database(path)
    add_organisations(5, "late")
    expected = services.stats()["stakeholders"]
    close_database()
    copy = tmp_path / "copy.db"
    copy.write_bytes(path.read_bytes())
    con = sqlite3.connect(copy)
    try:
        assert con.execute("SELECT COUNT(*) FROM stakeholder").fetchone()[0] == expected
    finally:
        con.close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert current_path() is None

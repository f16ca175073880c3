"""A file dialog over the database's folder, then other processes: nothing lost, nothing corrupted (issue 11 §1).

The app runs in a process of its own (tests/ui/app_driver.py) exactly as a user starts it, shows a
real QFileDialog over the folder holding its database, and goes on working while real second
processes read and write the same file: the ``tracker`` command, a second copy of the app and a
plain ``sqlite3`` script.  Before the fix the dialog's closing of the files it sniffed dropped
SQLite's locks, the next process deleted the WAL the app was writing to, and the file ended
"malformed".  The dialog is Qt's own (offscreen) and, under a real X server, GTK's native one.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.demo_data import copy_of_demo
from tracker import filelocks
from ui.notices import SHARED_TEXT

ROOT = Path(__file__).resolve().parents[2]
DB_FILES = {"tracker.db", "tracker.db-shm", "tracker.db-wal"}

pytestmark = pytest.mark.skipif(not filelocks.OFD, reason="the POSIX lock problem and its guard are Linux's")


def tracker(*argv):
    return subprocess.run([sys.executable, "-m", "tracker", *map(str, argv)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


class App:
    """The app in its own process, driven through tests/ui/app_driver.py."""

    def __init__(self, db, *flags, env=None):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.ui.app_driver", str(db), *flags], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert self.read() == {"ready": True}

    def read(self):
        line = self.proc.stdout.readline()
        assert line, f"the app exited ({self.proc.wait(timeout=30)})"
        answer = json.loads(line)
        assert "error" not in answer, answer["error"]
        return answer

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.read()

    def quit(self):
        self.ask("quit")
        self.proc.stdin.close()
        assert self.proc.wait(timeout=60) == 0
        self.proc.stdout.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if not pipe.closed:
                pipe.close()


@pytest.fixture
def demo_database(tmp_path):
    return copy_of_demo(tmp_path / "tracker.db")


def count(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def script_writes(db, rows):
    code = textwrap.dedent("""
        import sqlite3, sys
        con = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
        for i in range(int(sys.argv[2])):
            con.execute("INSERT INTO meta(key, value) VALUES (?, 'from a script')", (f"script-{i}",))
        con.close()
    """)
    subprocess.run([sys.executable, "-c", code, str(db), str(rows)], check=True, timeout=60)


def work_around_an_open_dialog(db, app, expect_sniffing):
    """The scenario of issue 11 §1, with the app ``app`` already running on ``db``."""
    start = app.ask("stats")["stakeholders"]
    app.ask("write 3")
    listing = app.ask("dialog")
    if expect_sniffing:  # proof the scenario is real: the dialog opened and closed the database's files
        assert "tracker.db-shm" in listing["closed"], listing
    else:
        assert not DB_FILES & set(listing["closed"]), listing

    seen = tracker("--db", db, "stats", "--json")  # a second process reads...
    assert seen.returncode == 0 and json.loads(seen.stdout)["stakeholders"] == start + 3, seen.stderr
    second = App(db)  # ...a second copy of the app writes, and is told it is not alone...
    try:
        notice = second.ask("notice")
        assert notice["visible"] and notice["text"] == SHARED_TEXT and notice["others"] == 1
        assert second.ask("stats")["stakeholders"] == start + 3
        second.ask("write 2")
        second.quit()
    finally:
        second.kill()
    script_writes(db, 5)  # ...and a plain sqlite3 script writes too
    assert (db.parent / "tracker.db-wal").exists(), "another process deleted the WAL the app writes to"

    app.ask("write 4")  # the app goes on writing
    assert app.ask("stats")["stakeholders"] == start + 9
    app.quit()

    check = tracker("--db", db, "check")
    assert check.returncode == 0 and "sound" in check.stdout, check.stdout + check.stderr
    assert count(db, "PRAGMA integrity_check") == "ok"
    assert count(db, "SELECT COUNT(*) FROM stakeholder") == start + 9
    assert count(db, "SELECT COUNT(*) FROM meta WHERE key LIKE 'script-%'") == 5


def test_qts_file_dialog_never_opens_the_database_and_other_processes_lose_nothing(demo_database):
    app = App(demo_database)
    try:
        work_around_an_open_dialog(demo_database, app, expect_sniffing=False)
    finally:
        app.kill()


def test_a_dialog_that_does_open_the_database_files_does_no_harm_either(demo_database):
    """Any dialog any code in the process shows, without the app's file types: the locks hold."""
    app = App(demo_database, "--without-file-types")
    try:
        work_around_an_open_dialog(demo_database, app, expect_sniffing=True)
    finally:
        app.kill()


# ---- the native dialog: GTK's, in the app's own process, on a real X server ---------------------

@pytest.fixture
def x_display():
    """A real X server (Xvfb) for the length of a test; scripts/run-tests installs it and GTK, and sets
    TRACKER_TEST_XVFB=1 so that a missing piece fails rather than skips."""
    xvfb = shutil.which("Xvfb")
    gtk = any(Path(p).exists() for p in ("/usr/lib/x86_64-linux-gnu/libgtk-3.so.0",
                                         "/usr/lib/aarch64-linux-gnu/libgtk-3.so.0"))
    if not (xvfb and gtk):
        if os.environ.get("TRACKER_TEST_XVFB") == "1":
            pytest.fail("the native dialog test needs Xvfb and GTK 3 (xvfb, libgtk-3-0)")
        pytest.skip("needs Xvfb and GTK 3")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        display = fh.readline().strip()
    try:
        assert display, "Xvfb did not start"
        yield f":{display}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("file_types", [True, False], ids=["as the app runs", "without the app's file types"])
def test_the_native_gtk_dialog_in_the_apps_process_does_no_harm(demo_database, x_display, file_types):
    env = {"QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORMTHEME": "gtk3", "DISPLAY": x_display, "NO_AT_BRIDGE": "1",
           "GSETTINGS_BACKEND": "memory"}
    app = App(demo_database, *([] if file_types else ["--without-file-types"]), env=env)
    try:
        start = app.ask("stats")["stakeholders"]
        listing = app.ask("dialog")
        assert listing["native"], "the platform theme did not give GTK's dialog"
        if file_types:
            assert not {"tracker.db-shm", "tracker.db-wal"} & set(listing["closed"]), listing
        else:
            assert "tracker.db-shm" in listing["closed"], listing  # GLib sniffed it (an empty WAL it need not)
        seen = tracker("--db", demo_database, "stats", "--json")
        assert json.loads(seen.stdout)["stakeholders"] == start, seen.stderr
        script_writes(demo_database, 5)
        app.ask("write 4")
        app.quit()
    finally:
        app.kill()
    check = tracker("--db", demo_database, "check")
    assert check.returncode == 0 and "sound" in check.stdout, check.stdout + check.stderr
    assert count(demo_database, "SELECT COUNT(*) FROM stakeholder") == start + 4

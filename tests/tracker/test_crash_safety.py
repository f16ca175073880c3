"""Power cuts and killed processes: SIGKILL a real process at random moments during a backup and
during an upgrade, then check that the database is sound, nothing is half-applied, no
half-written file sits under a backup's name, and the backups taken before are intact.

Each test makes a fixed number of attempts, each killing the process at a random moment (a time
budget instead let a loaded CI machine fit too few kills to prove anything, and the test failed);
each prints how many kills it made and how many corruptions it found (the assertion wants zero).
The module takes about a minute: its tests are marked ``slow``.
"""

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tracker import backups, migrations, services
from tracker.backups import backup_database
from tracker.db import close_database, database
from tracker.errors import TrackerError
from tracker.opening import open_database

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")]

ROOT = Path(__file__).resolve().parents[2]
V1_SQL = ROOT / "tests" / "data" / "schema_v1.sql"
ATTEMPTS = 8  # per test; a kill can come too late (the work already done), so at least 5 must land


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def start(code, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "ready", proc.communicate()[1]
    return proc


def kill(proc, after):
    time.sleep(after)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return proc.returncode == -signal.SIGKILL  # False when it finished before the kill


def bulk_rows(path, n):
    """Make the file big enough (a few MB) that a backup takes long enough to be interrupted."""
    con = sqlite3.connect(path)
    cols = [r[1] for r in con.execute("PRAGMA table_info(stakeholder)")]
    now = "2024-01-01 00:00:00"
    base = {"kind": "organisation", "sector": "other", "role": "", "email": "", "phone": "", "address": "",
            "website": "", "tags": "", "notes": "x" * 300, "created_at": now, "updated_at": now, "version": 1}
    rows = []
    for i in range(n):
        row = dict(base, uuid=f"{i:08x}-0000-4000-8000-000000000000", name=f"Bulk organisation {i}")
        rows.append(tuple(row.get(c) for c in cols if c != "id" and c in row))
    names = [c for c in cols if c != "id" and c in {**base, "uuid": 1, "name": 1}]
    con.executemany(f"INSERT INTO stakeholder ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows)
    con.commit()
    con.close()


def unsound_backups(db):
    """Every file under a backup's name must be a whole, sound backup."""
    problems = []
    for b in backups.list_backups(db):
        try:
            backups.verify_backup(b.path)
        except TrackerError as exc:
            problems.append(f"{b.name} is not a sound backup: {exc}")
    return problems


BACKUP_LOOP = """
    import sys
    from tracker import backups
    from tracker.opening import open_database
    open_database(sys.argv[1])
    print("ready", flush=True)
    while True:
        backups.backup_before("import", keep=3)
"""


def test_killed_during_backups(tmp_path):
    db = tmp_path / "big.db"
    open_database(db, create=True)
    close_database()
    bulk_rows(db, 15_000)
    open_database(db)
    reference = backup_database(reason="manual")
    expected = services.stats()
    close_database()
    ref_digest = digest(reference)
    folder = reference.parent
    rng = random.Random(1234)
    kills = corruptions = 0
    for _ in range(ATTEMPTS):
        proc = start(BACKUP_LOOP, db)
        kills += kill(proc, rng.uniform(0.0, 0.4))
        problems = []
        if digest(reference) != ref_digest:
            problems.append("the earlier backup changed")
        problems += unsound_backups(db)
        open_database(db, upgrade=False)
        if services.check() or services.stats() != expected:
            problems.append("the database changed or is unsound")
        close_database()
        corruptions += bool(problems)
        assert not problems, problems
    open_database(db)
    backups.backup_before("import")  # clears what killed writers left
    close_database()
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".partial")]
    print(f"backup kill test: {kills} kills, {corruptions} corruptions")
    assert kills >= 5 and leftovers == []


UPGRADE = """
    import sys
    from tracker.opening import open_database
    import tracker.migrations  # everything imported before the clock starts
    print("ready", flush=True)
    open_database(sys.argv[1])
"""


def test_killed_during_upgrade(tmp_path):
    template = tmp_path / "v1.db"
    con = sqlite3.connect(template)
    con.executescript(V1_SQL.read_text(encoding="utf-8"))
    con.close()
    bulk_rows(template, 15_000)
    db = tmp_path / "old.db"
    # How long an uninterrupted upgrade takes, to spread the kills over it.
    shutil.copy(template, db)
    proc = start(UPGRADE, db)
    began = time.monotonic()
    proc.communicate()
    span = time.monotonic() - began
    for p in (tmp_path / "backups").iterdir():
        p.unlink()
    reference = tmp_path / "backups" / "old-20000101-000000-000000-manual.db"  # never rotated
    shutil.copy(template, reference)
    ref_digest = digest(reference)
    con = sqlite3.connect(template)
    expected = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("stakeholder", "event", "commitment", "action_item", "record_update", "audit_entry")}
    con.close()
    rng = random.Random(99)
    kills = corruptions = upgraded = 0
    for _ in range(ATTEMPTS):
        db.unlink()
        for side in ("-wal", "-shm"):
            Path(f"{db}{side}").unlink(missing_ok=True)
        shutil.copy(template, db)
        before = {b.path: digest(b.path) for b in backups.list_backups(db)}
        proc = start(UPGRADE, db)
        kills += kill(proc, rng.uniform(0.0, span))
        problems = []
        # What the killed process left, looked at without upgrading it.
        open_database(db, upgrade=False)
        version = migrations.schema_version(database.obj)
        has_versions = "version" in {c.name for c in database.obj.get_columns("stakeholder")}
        if has_versions != (version >= 2):
            problems.append(f"schema {version} but version column present={has_versions}: half-applied")
        counts = {t: database.obj.execute_sql(f"select count(*) from {t}").fetchone()[0]
                  for t in expected}
        if counts != expected:
            problems.append(f"rows changed: {counts} != {expected}")
        close_database()
        upgraded += version == migrations.LATEST_VERSION
        for path, old in before.items():  # unchanged, or rotated away whole
            if path.exists() and digest(path) != old:
                problems.append(f"{path.name} changed")
        if digest(reference) != ref_digest:
            problems.append("the earlier backup changed")
        problems += unsound_backups(db)
        open_database(db)  # the next start finishes the upgrade
        if services.check():
            problems.append(f"check: {services.check()}")
        close_database()
        corruptions += bool(problems)
        assert not problems, problems
    print(f"upgrade kill test: {kills} kills ({upgraded} after the upgrade committed), {corruptions} corruptions")
    assert kills >= 5


IMPORT = """
    import sys
    from tracker.opening import open_database
    from tracker.exchange import import_workbook
    import tracker.exchange.importer, tracker.exchange.reader, python_calamine  # loaded before the clock
    open_database(sys.argv[1])
    print("ready", flush=True)
    import_workbook(sys.argv[2])
"""


def test_killed_during_import(tmp_path):
    from tracker.demo import load_demo
    from tracker.exchange import export_workbook

    source = tmp_path / "source.db"
    open_database(source, create=True)
    load_demo()
    share = tmp_path / "share.xlsx"
    export_workbook(share)
    expected = services.stats()
    close_database()
    empty = tmp_path / "empty.db"
    open_database(empty, create=True)
    close_database()
    db = tmp_path / "council.db"
    shutil.copy(empty, db)
    proc = start(IMPORT, db, share)
    began = time.monotonic()
    proc.communicate()
    span = time.monotonic() - began
    rng = random.Random(7)
    kills = corruptions = applied = 0
    for _ in range(ATTEMPTS):
        for side in ("", "-wal", "-shm"):
            Path(f"{db}{side}").unlink(missing_ok=True)
        shutil.copy(empty, db)
        proc = start(IMPORT, db, share)
        kills += kill(proc, rng.uniform(0.0, span))
        open_database(db)
        problems = services.check()
        counts = services.stats()
        counts.pop("audit_entries")
        wanted = dict(expected)
        wanted.pop("audit_entries")
        if counts["stakeholders"] == 0:
            if any(counts[k] for k in ("events", "attendance", "commitments", "actions", "updates")):
                problems.append(f"half an import: {counts}")
        elif counts != wanted:
            problems.append(f"half an import: {counts} != {wanted}")
        else:
            applied += 1
        close_database()
        problems += unsound_backups(db)
        corruptions += bool(problems)
        assert not problems, problems
    print(f"import kill test: {kills} kills ({applied} after the import committed), {corruptions} corruptions")
    assert kills >= 5


EXPORT_LOOP = """
    import sys
    from tracker.opening import open_database
    from tracker.exchange import export_workbook
    import tracker.exchange.writer, openpyxl  # loaded before the clock
    open_database(sys.argv[1])
    print("ready", flush=True)
    while True:
        export_workbook(sys.argv[2])
"""


def test_killed_during_export(tmp_path):
    import zipfile

    from tracker.demo import load_demo
    from tracker.exchange import export_workbook

    db = tmp_path / "council.db"
    open_database(db, create=True)
    load_demo()
    out = tmp_path / "share.xlsx"
    export_workbook(out)  # a complete earlier export under the name
    close_database()
    rng = random.Random(11)
    kills = corruptions = 0
    for _ in range(ATTEMPTS):
        proc = start(EXPORT_LOOP, db, out)
        kills += kill(proc, rng.uniform(0.0, 1.0))
        problems = []
        try:
            with zipfile.ZipFile(out) as zf:  # whatever is under the name is a whole workbook
                bad = zf.testzip()
                if bad is not None or "xl/workbook.xml" not in zf.namelist():
                    problems.append(f"{out.name} is incomplete ({bad})")
        except zipfile.BadZipFile as exc:
            problems.append(f"{out.name} is not a whole zip: {exc}")
        corruptions += bool(problems)
        assert not problems, problems
    print(f"export kill test: {kills} kills, {corruptions} corruptions")
    assert kills >= 5

"""Rotating backups and restore: what is kept, what is refused, and that restore never loses data."""

import datetime as dt
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from tracker import backups, migrations, services
from tracker.cli import main
from tracker.db import close_database, current_path
from tracker.errors import DatabaseError
from tracker.models import Stakeholder
from tracker.opening import open_database
from tracker.restore import restore_backup


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def names():
    return sorted(s.name for s in Stakeholder.select())


def test_backup_before_is_private_and_rotates_per_reason(db, db_path):
    made = [backups.backup_before("import", keep=3) for _ in range(5)]
    manual = [backups.backup_before("restore", keep=3)]
    kept = backups.list_backups()
    assert [b.path for b in kept if b.reason == "before-import"] == made[:-4:-1]  # newest three, newest first
    assert [b.path for b in kept if b.reason == "before-restore"] == manual
    assert not made[0].exists() and not made[1].exists()
    if os.name == "posix":
        assert all(b.path.stat().st_mode & 0o777 == 0o600 for b in kept)
        assert (db_path.parent / "backups").stat().st_mode & 0o777 == 0o700
    for b in kept:
        assert backups.verify_backup(b.path) == migrations.LATEST_VERSION


def test_manual_backups_are_never_rotated(db, db_path, capsys):
    close_database()
    for _ in range(3):
        assert main(["--db", str(db_path), "backup"]) == 0
    open_database(db_path)
    assert backups.rotate("manual", keep=1) == []
    assert len([b for b in backups.list_backups() if b.reason == "manual"]) == 3


def test_daily_backup_once_a_day(db):
    first = backups.daily_backup_if_due()
    assert first is not None and first.exists()
    assert backups.daily_backup_if_due() is None
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert backups.daily_backup_if_due(today=tomorrow) is not None


def test_upgrade_backups_rotate_too(tmp_path):
    v1 = (Path(__file__).parent.parent / "data" / "schema_v1.sql").read_text(encoding="utf-8")
    path = tmp_path / "old.db"
    for _ in range(backups.KEEP_PER_REASON + 2):
        for side in ("", "-wal", "-shm"):
            Path(f"{path}{side}").unlink(missing_ok=True)
        con = sqlite3.connect(path)
        con.executescript(v1)
        con.close()
        open_database(path)  # backs up, then upgrades
        close_database()
    kept = [b for b in backups.list_backups(path) if b.reason.startswith("before-upgrade")]
    assert len(kept) == backups.KEEP_PER_REASON  # taken through backup_before, so rotated
    assert all(backups.verify_backup(b.path) == 1 for b in kept)


def test_restore_brings_back_the_data_and_keeps_what_was_there(demo_db, db_path):
    before = names()
    good = backups.backup_before("import")
    services.stakeholders.create(name="Added after the backup")
    safety, erased = restore_backup(good, db_path)
    assert names() == before and erased == 0
    assert current_path() == db_path and services.check() == []
    con = sqlite3.connect(safety)
    assert con.execute("select count(*) from stakeholder where name = 'Added after the backup'").fetchone() == (1,)
    con.close()
    if os.name == "posix":
        assert db_path.stat().st_mode & 0o777 == 0o600


def test_restore_erases_again_people_erased_since_the_backup(demo_db, db_path):
    person = Stakeholder.get(Stakeholder.kind == "person")
    good = backups.backup_before("import")
    services.privacy.erase(person)
    _, erased = restore_backup(good, db_path)
    assert erased == 1
    again = Stakeholder.get_by_id(person.id)
    assert again.erased_at is not None and again.email == ""


@pytest.mark.parametrize("damage", ["garbled", "newer", "not ours", "truncated"])
def test_a_bad_backup_is_refused_and_the_database_untouched(db, db_path, tmp_path, damage):
    bad = backups.backup_before("import")
    if damage == "garbled":
        data = bytearray(bad.read_bytes())
        for page in range(4096, len(data), 4096):  # every b-tree page after the first
            data[page: page + 200] = os.urandom(200)
        bad.write_bytes(bytes(data))
    elif damage == "newer":
        con = sqlite3.connect(bad)
        con.execute("update meta set value = '99' where key = 'schema_version'")
        con.commit()
        con.close()
    elif damage == "not ours":
        bad.unlink()
        con = sqlite3.connect(bad)
        con.execute("create table t(x)")
        con.commit()
        con.close()
    else:
        bad.write_bytes(bad.read_bytes()[:3000])
    close_database()
    before = digest(db_path)
    count = len(backups.list_backups(db_path))
    with pytest.raises(DatabaseError) as info:
        restore_backup(bad, db_path)
    assert bad.name in str(info.value)
    assert digest(db_path) == before and len(backups.list_backups(db_path)) == count


def test_restore_over_a_damaged_database_sets_it_aside(demo_db, db_path):
    good = backups.backup_before("import")
    expected = names()
    close_database()
    db_path.write_bytes(b"this is not a database any more" * 100)
    with pytest.raises(DatabaseError) as info:
        open_database(db_path)
    assert "restore it from a backup" in str(info.value)
    safety, _ = restore_backup(good, db_path)
    assert safety.read_bytes().startswith(b"this is not a database")
    assert names() == expected and services.check() == []


def test_restore_to_a_database_that_no_longer_exists(db, db_path):
    good = backups.backup_before("import")
    close_database()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    safety, _ = restore_backup(good, db_path)
    assert safety is None and services.check() == []


def test_cli_backups_and_restore(tmp_path, capsys):
    db = tmp_path / "c.db"
    assert main(["--db", str(db), "init", "--demo"]) == 0
    assert main(["--db", str(db), "backup"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "backups"]) == 0
    out = capsys.readouterr().out
    name = next(word for word in out.split() if word.endswith("-manual.db"))
    assert main(["--db", str(db), "restore", name]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "before-restore" in out
    assert main(["--db", str(db), "restore", "no-such-backup.db"]) == 1
    assert "tracker backups" in capsys.readouterr().err
    assert main(["--db", str(db), "check"]) == 0


def test_wal_and_shm_files_are_private(db, db_path):
    services.stakeholders.create(name="Someone")
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        assert side.exists() and side.stat().st_mode & 0o777 == 0o600


def test_an_import_that_changes_something_is_backed_up_first(demo_db, db_path, tmp_path):
    from tracker.exchange import export_workbook, import_workbook

    out = tmp_path / "share.xlsx"
    export_workbook(out)
    services.stakeholders.create(name="Only here")
    import_workbook(out, dry_run=True)
    import_workbook(out)  # nothing to change: no backup
    assert [b for b in backups.list_backups() if b.reason == "before-import"] == []
    other = tmp_path / "other.db"
    close_database()
    open_database(other, create=True)
    report = import_workbook(out)
    assert report.added > 100
    kept = [b for b in backups.list_backups() if b.reason == "before-import"]
    assert len(kept) == 1
    con = sqlite3.connect(kept[0].path)
    assert con.execute("select count(*) from stakeholder").fetchone() == (0,)  # as it was before
    con.close()

"""A database with damaged pages: recognised wherever SQLite meets it, never written to again, and the
newest sound backup named with the command that restores it.  The damage is real (b-tree pages
overwritten, header valid: tests/tracker/damage.py)."""

import datetime as dt
import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.demo_data import copy_of_demo
from tests.tracker.damage import damage_table
from tests.tracker.test_robustness import run_cli
from tracker import backups, services
from tracker.damage import current_damage
from tracker.db import close_database, database
from tracker.sqlite_damage import SQLITE_CORRUPT, SQLITE_NOTADB, damage_code
from tracker.errors import DamagedDatabaseError, DatabaseBusyError, TrackerError
from tracker.models import AuditEntry
from tracker.opening import open_database
from tracker.restore import restore_backup


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def demo_with_backup(tmp_path, name="work.db"):
    """A demo database, one sound backup of it (returned with its live counts), closed."""
    path = copy_of_demo(tmp_path / name)
    open_database(path)
    services.stakeholders.delete(services.stakeholders.page(0, 1)[0])  # a deleted record is not counted
    stats = services.stats()
    counts = {kind: stats[kind] for kind in ("stakeholders", "events", "commitments", "actions")}
    backup = backups.backup_before("import")
    close_database()
    return path, backup, counts


def test_a_query_over_a_damaged_table_says_damaged_and_nothing_more_is_written(tmp_path):
    path, _, _ = demo_with_backup(tmp_path)
    damage_table(path, "action_item", "leaves")  # opens fine; listing the actions reads a bad page
    before = digest(path)
    open_database(path)
    assert current_damage() is None
    with pytest.raises(DamagedDatabaseError) as info:
        services.actions.page(0, 200)
    message = str(info.value)
    assert str(path) in message and "is damaged" in message and "malformed" in message
    assert "Restore it from a backup" in message and "Nothing more will be written" in message
    with pytest.raises(DamagedDatabaseError):  # a write, to an undamaged table
        services.stakeholders.create(name="Typed after the damage")
    with pytest.raises(DamagedDatabaseError):  # and reads: the file is not used at all any more
        services.stakeholders.count()
    close_database()
    assert digest(path) == before


def test_a_transaction_that_meets_the_damage_is_rolled_back(tmp_path):
    path, _, _ = demo_with_backup(tmp_path)
    damage_table(path, "action_item", "leaves")
    before = digest(path)
    open_database(path)
    entries = AuditEntry.select().count()
    with pytest.raises(DamagedDatabaseError):
        with database.atomic():
            services.stakeholders.create(name="Written, then the damage")  # the stakeholder and its audit entry
            services.actions.page(0, 200)
    close_database()
    assert digest(path) == before
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)  # reads the WAL too, if any
    assert con.execute("SELECT COUNT(*) FROM audit_entry").fetchone() == (entries,)
    con.close()


def test_changes_saved_before_the_damage_stay_in_the_wal_and_the_file_is_not_written(tmp_path):
    # Closing normally moves the WAL into the file (a checkpoint); for a damaged file that would be a
    # write, so the checkpoint is refused like any statement, and SQLite cannot checkpoint on close
    # while the WAL guard holds.  The WAL is kept aside with the file when it is restored.
    path, backup, _ = demo_with_backup(tmp_path)
    damage_table(path, "action_item", "leaves")
    open_database(path)
    services.stakeholders.create(name="Saved before the damage was met")
    before = digest(path)
    wal = Path(f"{path}-wal")
    assert wal.stat().st_size > 0
    with pytest.raises(DamagedDatabaseError):
        services.actions.page(0, 200)
    close_database()
    assert digest(path) == before and wal.stat().st_size > 0
    kept, _ = restore_backup(backup, path)
    assert digest(kept) == before and Path(f"{kept}-wal").stat().st_size > 0


def test_another_threads_open_transaction_cannot_commit_after_the_damage(tmp_path):
    path, _, _ = demo_with_backup(tmp_path)
    damage_table(path, "action_item", "leaves")
    before = digest(path)
    open_database(path)
    written, damage_met, outcome = threading.Event(), threading.Event(), {}

    def other_window():
        try:
            with database.atomic():
                services.events.create(title="Saved by another thread", date=dt.date(2026, 1, 5))
                written.set()
                damage_met.wait(10)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            outcome["error"] = exc
        finally:
            database.close()

    thread = threading.Thread(target=other_window)
    thread.start()
    assert written.wait(10)
    with pytest.raises(DamagedDatabaseError):
        services.actions.page(0, 200)
    damage_met.set()
    thread.join(10)
    assert isinstance(outcome.get("error"), DamagedDatabaseError)  # its COMMIT was refused
    close_database()
    assert digest(path) == before


def test_damage_met_while_opening_raises_the_same_error_and_writes_nothing(tmp_path):
    path, _, _ = demo_with_backup(tmp_path)
    damage_table(path, "council", "root")  # read by the statistics check when the database opens
    before = digest(path)
    with pytest.raises(DamagedDatabaseError) as info:
        open_database(path)
    assert "council" not in str(info.value) and str(path) in str(info.value)
    assert database.obj is None and digest(path) == before


def test_statistics_are_not_written_when_a_later_table_is_damaged(tmp_path):
    # Two tables big enough for ANALYZE (stakeholders and their creation audit entries); an index
    # of the second is damaged, so the first ANALYZE succeeds before the second meets the damage
    # (the statistics check before them reads only the tables).  Neither may be written.
    path = tmp_path / "big.db"
    open_database(path, create=True)
    services.stakeholders.create_many([{"name": f"Partner {n}"} for n in range(1500)])
    close_database()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM sqlite_stat1")  # statistics out of date: the next opening analyses both
    con.commit()
    con.close()
    damage_table(path, "audit_entry_record_uuid", "root")
    before = digest(path)
    with pytest.raises(DamagedDatabaseError):
        open_database(path)
    assert digest(path) == before


def test_a_file_found_damaged_is_not_opened_again_until_it_is_replaced(tmp_path):
    path, backup, counts = demo_with_backup(tmp_path)
    damage_table(path, "action_item", "leaves")
    open_database(path)
    with pytest.raises(DamagedDatabaseError):
        services.actions.page(0, 200)
    close_database()
    with pytest.raises(DamagedDatabaseError):  # refused before SQLite reads it
        open_database(path)
    restore_backup(backup, path)
    assert services.stakeholders.count() == counts["stakeholders"]
    close_database()
    open_database(path)  # a new file under the same name: it opens
    assert services.check() == []


def test_restore_over_the_damaged_file_keeps_it_aside_byte_for_byte(tmp_path):
    path, backup, counts = demo_with_backup(tmp_path)
    damage_table(path, "action_item", "leaves")
    damaged = digest(path)
    kept, _ = restore_backup(backup, path)
    assert kept.name.endswith("-damaged.db") and digest(kept) == damaged
    assert services.stats()["actions"] == counts["actions"] and services.check() == []


def test_the_newest_sound_backup_skips_damaged_ones_and_counts_live_records(tmp_path):
    path, sound, counts = demo_with_backup(tmp_path)
    open_database(path)
    newer = backups.backup_before("import")  # taken after the damage: a copy of a damaged file
    close_database()
    damage_table(newer, "stakeholder", "leaves")
    assert [b.path for b in backups.list_backups(path)] == [newer, sound]
    told = []
    found = backups.newest_sound_backup(path, progress=lambda done, total, text: told.append((done, total)))
    assert found.backup.path == sound and found.counts == counts
    assert told == [(0, 2), (1, 2)]
    assert found.describe() == (f"the backup of {found.backup.taken:%d/%m/%Y %H:%M} ({counts['stakeholders']} "
                                f"stakeholders, {counts['events']} events, {counts['commitments']} commitments, "
                                f"{counts['actions']} actions)")
    assert backups.newest_sound_backup(path, progress=lambda *told: False) is None  # cancelled
    sound.unlink()
    assert backups.newest_sound_backup(path) is None


def test_the_search_stops_at_the_first_sound_backup(tmp_path):
    path, first, _ = demo_with_backup(tmp_path)
    open_database(path)
    second = backups.backup_before("import")
    close_database()
    checked = []
    found = backups.newest_sound_backup(path, progress=lambda done, total, text: checked.append(text))
    assert found.backup.path == second and len(checked) == 1 and first.exists()


def test_the_daily_copy_of_a_damaged_database_is_an_early_warning(tmp_path):
    path, sound, _ = demo_with_backup(tmp_path)
    now = dt.datetime.now()
    for days in range(1, backups.KEEP_PER_REASON + 1):  # a full rotation of earlier days' backups
        shutil.copy(sound, sound.with_name(f"work-{now - dt.timedelta(days=days):%Y%m%d-%H%M%S-%f}-daily.db"))
    dailies = [b.path for b in backups.list_backups(path) if b.reason == "daily"]
    damage_table(path, "action_item", "leaves")  # not met by opening or by the first screen
    open_database(path)
    with pytest.raises(DamagedDatabaseError) as info:
        backups.daily_backup_if_due(verify=True)
    assert "integrity check" in str(info.value)
    assert [b.path for b in backups.list_backups(path) if b.reason == "daily"] == dailies  # none pushed out
    with pytest.raises(DamagedDatabaseError):
        services.stakeholders.count()


def test_a_sound_daily_copy_passes(db):
    assert backups.daily_backup_if_due(verify=True).exists()
    assert services.stakeholders.count() == 0


def test_cli_names_the_newest_sound_backup_and_the_exact_command(tmp_path):
    path, backup, counts = demo_with_backup(tmp_path)
    damage_table(path, "stakeholder", "root")
    before = digest(path)
    result = run_cli("--db", str(path), "stats")
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"tracker: The database {path} is damaged: some of its pages cannot be read")
    assert f"{counts['stakeholders']} stakeholders, {counts['events']} events" in line
    command = f"tracker --db {path} restore {backup.name}"
    assert line.endswith(f"restore it with: {command}")
    assert digest(path) == before
    restored = run_cli(*command.split()[1:])
    assert restored.returncode == 0, restored.stderr
    assert "kept in" in restored.stdout and "-damaged.db" in restored.stdout
    assert run_cli("--db", str(path), "check").returncode == 0


def test_cli_check_on_a_damaged_file_still_says_so(tmp_path):
    path, backup, _ = demo_with_backup(tmp_path)
    damage_table(path, "action_item", "leaves")
    result = run_cli("--db", str(path), "check")
    assert result.returncode == 1 and "is damaged" in result.stderr and backup.name in result.stderr


def test_cli_without_a_sound_backup_says_where_it_looked(tmp_path):
    path, backup, _ = demo_with_backup(tmp_path)
    backup.unlink()
    damage_table(path, "stakeholder", "root")
    result = run_cli("--db", str(path), "stats")
    assert result.returncode == 1
    assert "No sound backup of it was found" in result.stderr and "restore FILE" in result.stderr


# ---- what counts as damage -------------------------------------------------------------------------

def sqlite_error(sql, con=None):
    con = con or sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.Error) as info:
        con.execute(sql)
    return info.value


def test_only_sqlites_damage_codes_count_as_damage(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all " * 200)
    assert damage_code(sqlite_error("SELECT 1 FROM sqlite_master", sqlite3.connect(garbage))) == SQLITE_NOTADB
    assert damage_code(sqlite_error("SELECT * FROM no_such_table")) is None
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (x UNIQUE)")
    con.execute("INSERT INTO t VALUES (1)")
    assert damage_code(sqlite_error("INSERT INTO t VALUES (1)", con)) is None
    assert damage_code(DatabaseBusyError("busy")) is None and damage_code(TrackerError("x")) is None


def test_without_result_codes_sqlites_words_are_recognised():
    # Python 3.10 gives no sqlite_errorcode: SQLite's fixed messages for the two codes are used.
    assert damage_code(sqlite3.DatabaseError("database disk image is malformed")) == SQLITE_CORRUPT
    assert damage_code(sqlite3.DatabaseError("file is not a database")) == SQLITE_NOTADB
    assert damage_code(sqlite3.OperationalError("database is locked")) is None


def test_the_damage_made_here_is_real_page_damage(tmp_path):
    # The header stays valid (so the app's magic check passes); reading the table fails in SQLite.
    path, _, _ = demo_with_backup(tmp_path)
    damage_table(path, "stakeholder", "leaves")
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        con.execute("SELECT * FROM stakeholder").fetchall()
    con.close()

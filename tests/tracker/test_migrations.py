"""Schema versions: upgrade an old file (after a backup), refuse a newer one untouched."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from tracker import migrations, services
from tracker.db import close_database
from tracker.errors import DatabaseError, NewerDatabaseError
from tracker.models import ActionItem, Attendance, Commitment, Update
from tracker.opening import open_database

V1_SQL = Path(__file__).parent.parent / "data" / "schema_v1.sql"


@pytest.fixture
def v1_path(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.executescript(V1_SQL.read_text(encoding="utf-8"))
    con.close()
    return path


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_old_database_is_backed_up_then_upgraded_keeping_every_row(v1_path, isolated_environment):
    before = digest(v1_path)
    open_database(v1_path)
    assert migrations.schema_version(ActionItem._meta.database.obj) == migrations.LATEST_VERSION
    action = ActionItem.get()
    assert action.version == 1 and action.title == "Open two venues"
    assert action.owner.organisation.name == "Redbridge Faith Forum"
    assert Commitment.get().actions.count() == 1
    assert Update.select().count() == 2 and Attendance.select().count() == 1
    assert services.check() == []
    services.actions.update(action, status="done", expected_version=1)  # optimistic locking now works
    close_database()
    backups = list((v1_path.parent / "backups").glob("*before-upgrade-from-v1*.db"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("select value from meta where key='schema_version'").fetchone() == ("1",)
    assert con.execute("select count(*) from action_item").fetchone() == (1,)
    con.close()
    assert digest(v1_path) != before


def test_an_upgraded_database_has_the_dashboards_covering_indexes_once(v1_path, isolated_environment):
    open_database(v1_path)
    db = ActionItem._meta.database.obj
    wanted = (["owner_id", "deleted_at", "status", "due_date", "council_id"],
              ["commitment_id", "deleted_at", "status", "due_date"])
    assert [[i.columns for i in db.get_indexes("action_item")].count(w) for w in wanted] == [1, 1]
    migrations._add_dashboard_index(db, migrations._migrator(db))  # run again (a renumbered step): no second copy
    assert [[i.columns for i in db.get_indexes("action_item")].count(w) for w in wanted] == [1, 1]
    assert ActionItem.get().title == "Open two venues"


def test_an_upgraded_database_reads_stakeholder_updates_along_the_engagement_index_once(v1_path, isolated_environment):
    open_database(v1_path)
    db = ActionItem._meta.database.obj
    wanted = ["stakeholder_id", "date", "deleted_at"]
    assert [i.columns for i in db.get_indexes("record_update")].count(wanted) == 1
    migrations._add_engagement_index(db, migrations._migrator(db))  # run again (a renumbered step): no second copy
    assert [i.columns for i in db.get_indexes("record_update")].count(wanted) == 1
    assert sorted(u.text for u in Update.select()) == ["First venue open", "Reported to board"]  # kept
    # The not-engaged count reads the updates about stakeholders along it, not the whole table.
    plan = " ".join(str(row) for row in db.execute_sql(
        "EXPLAIN QUERY PLAN SELECT 1 FROM record_update WHERE stakeholder_id = 1 AND date >= '2026-01-01'"))
    assert "record_update_stakeholder_id_date_deleted_at" in plan


def test_newer_database_is_refused_and_left_byte_identical(db_path):
    open_database(db_path, create=True)
    close_database()
    con = sqlite3.connect(db_path)
    con.execute("update meta set value = ? where key = 'schema_version'", (str(migrations.LATEST_VERSION + 1),))
    con.commit()
    con.close()
    before = digest(db_path)
    with pytest.raises(NewerDatabaseError) as info:
        open_database(db_path)
    assert "newer version" in str(info.value) and "has not been changed" in str(info.value)
    assert digest(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_open_without_upgrade_leaves_old_schema(v1_path):
    open_database(v1_path, upgrade=False)
    assert any("schema version is 1" in p for p in services.check())


def test_failed_upgrade_step_changes_nothing(v1_path, monkeypatch):
    original = migrations.STEPS[1]

    def step(db, migrator):
        original(db, migrator)
        raise RuntimeError("simulated failure half-way")

    monkeypatch.setitem(migrations.STEPS, 1, step)
    with pytest.raises(RuntimeError):
        open_database(v1_path)
    close_database()
    con = sqlite3.connect(v1_path)
    columns = [row[1] for row in con.execute("pragma table_info(action_item)")]
    assert "version" not in columns
    assert con.execute("select value from meta where key='schema_version'").fetchone() == ("1",)
    con.close()


def test_sqlite_file_that_is_not_ours_is_refused(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("create table notes (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert "not a Stakeholder Tracker database" in str(info.value)


def test_text_file_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hello")
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert "not an SQLite file" in str(info.value)

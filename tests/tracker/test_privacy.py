"""Personal data: erasure everywhere (fields, updates, attendance notes, audit trail, the file's
bytes), the retention review, and logs that never hold a person's details."""

import contextlib
import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest

from tracker import services
from tracker.cli import main
from tracker.db import close_database
from tracker.errors import TrackerError
from tracker.models import Attendance, AuditEntry, ErasedIdentity, Stakeholder, Update
from tracker.services import privacy
from tracker.tableimport import Options, import_table

from tests.tracker.table_import_helpers import workbook


def raw_bytes(db_path):
    return b"".join(Path(f"{db_path}{s}").read_bytes() for s in ("", "-wal") if Path(f"{db_path}{s}").exists())


@pytest.fixture
def person(demo_db):
    someone = Stakeholder.get(Stakeholder.email == "laura.hall1@example.org")
    services.stakeholders.update(someone, phone="07700 900123", notes="Prefers calls after 6pm; Shh-secret-note",
                                 address="1 Secret Street, Romford")
    services.updates.add(someone, "Met at the school gate: Zz-private-remark")
    visit = Attendance.get(Attendance.stakeholder == someone)
    services.attendance.update(visit, notes="Needs step-free access Qq-health-note")
    return Stakeholder.get_by_id(someone.id)


SECRETS = [b"laura.hall1@example.org", b"07700 900123", b"Shh-secret-note", b"1 Secret Street",
           b"Zz-private-remark", b"Qq-health-note", b"020 7946 0001"]


def test_erase_removes_personal_data_everywhere_including_the_file(person, db_path):
    for secret in SECRETS:
        assert secret in raw_bytes(db_path), secret  # the test would see them if they stayed
    commitments_before = person.commitments.count()
    tomb = privacy.erase(person, source="request 42")
    assert tomb.name == privacy.ERASED_NAME and tomb.erased_at is not None
    assert (tomb.email, tomb.phone, tomb.address, tomb.notes, tomb.role, tomb.tags) == ("",) * 6
    assert tomb.influence is None and tomb.organisation is None and tomb.version == person.version + 1
    assert tomb.uuid == person.uuid and tomb.commitments.count() == commitments_before
    note = Update.get(Update.stakeholder == person.id, Update.text == privacy.ERASED_UPDATE_TEXT)
    assert note.deleted_at is not None
    trail = list(AuditEntry.select().where(AuditEntry.record_uuid == person.uuid))
    assert trail[-1].operation == "erase" and trail[-1].source == "request 42"
    assert all(e.old_value is None and e.new_value is None for e in trail)
    for visit in Attendance.select().where(Attendance.stakeholder == person.id):
        assert visit.notes == ""
        for entry in AuditEntry.select().where(AuditEntry.record_uuid == visit.uuid):
            assert "Qq-health-note" not in (entry.old_value or "") + (entry.new_value or "")
            if entry.operation == "create":
                assert json.loads(entry.new_value)["stakeholder"] == str(person.uuid)  # the rest is kept
    assert services.check() == []
    close_database()
    data = raw_bytes(db_path)
    for secret in SECRETS:
        assert secret not in data, secret


def test_erase_twice_is_harmless_and_organisations_are_refused(person):
    privacy.erase(person)
    assert privacy.erase(person).version == Stakeholder.get_by_id(person.id).version
    org = Stakeholder.get(Stakeholder.kind == "organisation")
    with pytest.raises(TrackerError, match="organisation, not a person"):
        privacy.erase(org)


def test_cli_erase_needs_yes(person, db_path, capsys):
    close_database()
    assert main(["--db", str(db_path), "erase", str(person.uuid)]) == 1
    assert "--yes" in capsys.readouterr().err
    con = sqlite3.connect(db_path)
    assert con.execute("select erased_at from stakeholder where id = ?", (person.id,)).fetchone() == (None,)
    con.close()
    assert main(["--db", str(db_path), "erase", str(person.uuid), "--yes"]) == 0
    assert "Erased" in capsys.readouterr().out
    assert main(["--db", str(db_path), "erase", "no-such-id", "--yes"]) == 1


def test_retention_review_lists_people_nobody_touched(demo_db):
    people = list(Stakeholder.select().where(Stakeholder.kind == "person").limit(4))
    Stakeholder.update(updated_at=dt.datetime.now() - dt.timedelta(days=800)).where(
        Stakeholder.kind == "person").execute()
    # Event dates keep people "active"; move every event into the past for this test.
    from tracker.models import Event
    Event.update(date=dt.date.today() - dt.timedelta(days=900)).execute()
    Update.update(date=dt.date.today() - dt.timedelta(days=900),
                  updated_at=dt.datetime.now() - dt.timedelta(days=900)).execute()
    Attendance.update(updated_at=dt.datetime.now() - dt.timedelta(days=900)).execute()
    total = Stakeholder.select().where(Stakeholder.kind == "person").count()
    _, review = privacy.retention_review(24)
    assert len(review) == total
    services.updates.add(people[0], "Spoke last week")  # activity
    services.stakeholders.update(people[1], role="Chair")  # a change
    privacy.erase(people[2])  # erased people are done with
    services.stakeholders.delete(people[3])
    cutoff, review = privacy.retention_review(24)
    listed = {p.id for p, _ in review}
    assert not listed & {p.id for p in people} and len(listed) == total - 4
    assert cutoff < dt.date.today() - dt.timedelta(days=700)
    assert privacy.retention_review(36)[1] == []


def test_retention_setting_and_cli(demo_db, db_path, capsys):
    assert privacy.retention_months() == privacy.DEFAULT_RETENTION_MONTHS
    Stakeholder.update(updated_at=dt.datetime.now() - dt.timedelta(days=100)).where(
        Stakeholder.kind == "person").execute()
    close_database()
    assert main(["--db", str(db_path), "retention-review", "--months", "2", "--save"]) == 0
    saved = capsys.readouterr().out
    assert main(["--db", str(db_path), "retention-review"]) == 0  # the saved setting is used
    assert capsys.readouterr().out == saved and "2 months" in saved
    from tracker.opening import open_database
    open_database(db_path)
    assert privacy.retention_months() == 2
    with pytest.raises(TrackerError):
        privacy.set_retention_months(0)


def test_logs_never_hold_personal_data(tmp_path, capsys, monkeypatch, isolated_environment):
    """Run the CLI's paths, including failures, and look for every demo person's details in the log."""
    db = str(tmp_path / "log.db")
    assert main(["--db", db, "init", "--demo"]) == 0
    from tracker.opening import open_database
    open_database(db)
    people = [(s.name, s.email, s.phone) for s in Stakeholder.select().where(Stakeholder.kind == "person")]
    victim = Stakeholder.get(Stakeholder.kind == "person")
    close_database()
    for argv in (["stats"], ["check"], ["backup"], ["backups"], ["retention-review", "--months", "1"],
                 ["erase", str(victim.uuid), "--yes"], ["erase", victim.email], ["restore", "nothing.db"]):
        main(["--db", db, *argv])
    # An unexpected failure whose message quotes a person: the traceback is logged, the message not.
    name, email, _ = people[1]
    monkeypatch.setattr("tracker.services.stats", lambda: (_ for _ in ()).throw(KeyError(f"{name} <{email}>")))
    assert main(["--db", db, "stats"]) == 70
    log = (isolated_environment / "tracker.log").read_text(encoding="utf-8")
    assert "KeyError" in log and "Traceback" in log
    for name, email, phone in people:
        assert email not in log and name not in log and (not phone or phone not in log)
    if os.name == "posix":
        assert (isolated_environment / "tracker.log").stat().st_mode & 0o777 == 0o600


def test_an_erasure_travels_by_exchange_and_leaves_nothing_behind(person, db_path, tmp_path):
    """Council A erases a person; council B, which had imported them, imports A's next workbook."""
    from tracker.opening import open_database
    from tracker.exchange import export_workbook, import_workbook
    from tracker.services import imports

    first = tmp_path / "first.xlsx"
    export_workbook(first)
    close_database()
    other = tmp_path / "other.db"
    open_database(other, create=True)
    import_workbook(first)
    assert Stakeholder.get(Stakeholder.uuid == person.uuid).email == "laura.hall1@example.org"
    close_database()
    open_database(db_path)
    privacy.erase(Stakeholder.get_by_id(person.id))
    second = tmp_path / "second.xlsx"
    export_workbook(second)
    close_database()
    open_database(other)
    report = import_workbook(second)
    there = Stakeholder.get(Stakeholder.uuid == person.uuid)
    assert there.erased_at is not None and there.name == privacy.ERASED_NAME and there.email == ""
    assert privacy.complete_erasures() == 0  # nothing left to do
    # the hashes were kept here too, from the details this database had: a partner's sheet naming
    # the person (by email, or by name and organisation) does not bring them back
    assert ErasedIdentity.select().count() == 2
    rows = [["Name", "Organisation", "Email"], ["Laura Hall", person.organisation.name, ""],
            ["L Hall", "", "LAURA.HALL1@example.org"]]
    plan, _ = import_table(workbook(tmp_path / "again.xlsx", {"S": rows}), Options(), dry_run=True)
    assert [e.action for e in plan.entries] == ["erased", "erased"]
    with contextlib.suppress(TrackerError):  # undo may be refused (the record changed since); either way
        imports.undo_import(report.import_id)  # it must not bring the person back
    assert Stakeholder.get(Stakeholder.uuid == person.uuid).email == ""
    close_database()
    data = raw_bytes(other)
    for secret in SECRETS:
        assert secret not in data, secret

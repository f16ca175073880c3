"""Applying a partner's table: matching people already held, fill/update/skip, atomic and undoable,
doubtful matches held and decided, attendance, actions and commitments; the command's JSON and exit
statuses; the bad-rows report; the schema upgrade that holds it all."""

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from tracker import migrations, services
from tracker.dates import Period
from tracker.db import close_database, database
from tracker.models import AuditEntry, HeldRow
from tracker.opening import open_database
from tracker.services import imports, tableimports
from tracker.tableimport import ImportRefused

from tests.tracker.table_import_helpers import SIGN_IN, run, tracker, tracker_json, workbook

JSON_KEYS = {"added", "matched", "updated", "unchanged", "held", "rejected", "sheets", "header_row", "mapping",
             "dates", "import_id"}


@pytest.fixture
def held_people(db):
    """People already held under other spellings than the sign-in sheet's."""
    s = services.stakeholders
    met = s.create(name="Met Police", kind="organisation", sector="police")
    forum = s.create(name="Barking Faith Forum", kind="organisation", sector="faith")
    s.create(name="Grace Okafor", kind="person", sector="police", organisation=met, email="Grace.Okafor@met.example")
    s.create(name="Daniel Smith", kind="person", sector="faith", organisation=forum, role="")
    s.create(name="Ravi Patell", kind="person", sector="voluntary", email="ravi.p@elsewhere.example")
    return db


def by_name():
    return {s.name: s for s in services.stakeholders.query()}


def test_people_held_under_other_spellings_are_matched_or_held_never_duplicated(held_people, tmp_path):
    path = workbook(tmp_path / "signin.xlsx", {"Sign-in": SIGN_IN})
    plan, import_id = run(path)
    data = plan.as_json(import_id)
    found = by_name()
    assert "Dan Smith" not in found and found["Daniel Smith"].role == "Chair"  # Dan = Daniel, same forum: filled
    assert found["Grace Okafor"].phone == "07700900123"  # matched by email in another case: filled
    assert found["Grace Okafor"].organisation.name == "Met Police"  # "Metropolitan Police Service" is Met Police
    assert "Metropolitan Police Service" not in found and "Ravi Patel" not in found
    assert [(h["row"], h["name"], [c["name"] for c in h["candidates"]]) for h in data["held"]] == [
        (6, "Ravi Patel", ["Ravi Patell"])]
    assert data["matched"] == 2 and data["updated"] == 2
    assert data["added"] == 0  # Ravi is held, so his new organisation waits with him
    assert HeldRow.select().count() == 1


def test_the_same_name_at_another_organisation_with_another_email_is_someone_else(db, tmp_path):
    s = services.stakeholders
    school = s.create(name="Havering Primary", kind="organisation", sector="education")
    s.create(name="Sam Jones", kind="person", sector="education", organisation=school, email="sam@school.example")
    rows = [["Name", "Organisation", "Email"], ["Sam Jones", "Redbridge Mosque", "sam@mosque.example"]]
    plan, _ = run(workbook(tmp_path / "a.xlsx", {"S": rows}))
    assert plan.entries[0].action == "add" and len(s.find_by_name("Sam Jones")) == 2


def test_importing_the_same_sheet_twice_with_fill_adds_nothing(held_people, tmp_path):
    path = workbook(tmp_path / "signin.xlsx", {"Sign-in": SIGN_IN})
    run(path)
    before = (services.stakeholders.count(), AuditEntry.select().count(), HeldRow.select().count())
    plan, import_id = run(path, on_match="fill")
    assert import_id is None and plan.counts()["added"] == 0 and plan.counts()["updated"] == 0
    assert (services.stakeholders.count(), AuditEntry.select().count(), HeldRow.select().count()) == before


def test_on_match_fill_update_and_skip(db, tmp_path):
    s = services.stakeholders
    s.create(name="Ann Lee", kind="person", sector="other", email="ann@example.org", role="Old role", phone="")
    rows = [["Name", "Email", "Role", "Phone"], ["Ann Lee", "ann@example.org", "New role", "020 7946 0000"]]
    path = workbook(tmp_path / "a.xlsx", {"S": rows})
    preview = run(path, on_match="update", dry_run=True)[0].as_json()["records"]
    assert preview == [{"sheet": "S", "row": 2, "action": "match", "kind": "person", "name": "Ann Lee",
                        "record_id": by_name()["Ann Lee"].id,
                        "changes": {"role": ["Old role", "New role"], "phone": ["", "020 7946 0000"]}}]
    run(path, on_match="skip")
    assert (by_name()["Ann Lee"].role, by_name()["Ann Lee"].phone) == ("Old role", "")
    run(path, on_match="fill")
    assert (by_name()["Ann Lee"].role, by_name()["Ann Lee"].phone) == ("Old role", "020 7946 0000")
    run(path, on_match="update")
    assert by_name()["Ann Lee"].role == "New role"
    history = [(e.field, e.old_value, e.new_value) for e in AuditEntry.select().where(AuditEntry.field == "role")]
    assert ("role", "Old role", "New role") in history


def test_an_email_in_other_capitals_is_no_change_even_when_the_file_wins(db, tmp_path):
    """A partner's list in capitals matched people by their email; ``--on-match update`` does not rewrite each
    address in capitals (the same address: the matcher ignores case) nor count the row as updated."""
    s = services.stakeholders
    s.create(name="Ann Lee", kind="person", sector="other", email="ann.lee@example.org", role="Chair")
    rows = [["Name", "Email", "Role"], ["ANN LEE", "ANN.LEE@EXAMPLE.ORG", "Chair"], ["Bo Kay", "BO@EXAMPLE.ORG", ""]]
    plan, import_id = run(workbook(tmp_path / "caps.xlsx", {"S": rows}), on_match="update")
    assert plan.as_json(import_id)["records"][0]["action"] == "match" and plan.counts()["unchanged"] == 1
    assert by_name()["Ann Lee"].email == "ann.lee@example.org"
    assert by_name()["Bo Kay"].email == "BO@EXAMPLE.ORG"  # a new person's address is kept as written


def test_a_stored_value_the_import_leaves_alone_does_not_refuse_it(db, tmp_path):
    """A matched record holding a value today's rules refuse (saved by an older version or another program) is
    filled all the same: the file cannot change that field, and the refusal could name no row of it.  What the
    import writes is still judged, with the rule across fields that reads it."""
    s = services.stakeholders
    ann = s.create(name="Ann Lee", kind="person", sector="other", email="ann@example.org")
    s.model.update(sector="not-a-sector", influence=9).where(s.model.id == ann.id).execute()  # past the rules
    rows = [["Name", "Email", "Phone", "Role"], ["Ann Lee", "ann@example.org", "020 7946 0000", "Chair"]]
    plan, import_id = run(workbook(tmp_path / "a.xlsx", {"S": rows}))
    assert plan.as_json(import_id)["updated"] == 1
    stored = s.get(ann.id)
    assert (stored.phone, stored.role, stored.sector, stored.influence) == ("020 7946 0000", "Chair", "not-a-sector", 9)
    imports.undo_import(import_id)
    assert (s.get(ann.id).phone, s.get(ann.id).sector) == ("", "not-a-sector")


def test_a_held_row_linked_later_is_judged_as_its_import_judges_a_match(held_people, tmp_path):
    run(workbook(tmp_path / "signin.xlsx", {"Sign-in": SIGN_IN}))
    target = by_name()["Ravi Patell"]
    services.stakeholders.model.update(influence=9).where(services.stakeholders.model.id == target.id).execute()
    resolution, record = tableimports.resolve_held(tableimports.held_rows()[0].id, link=target.id)
    assert (resolution, record.role, record.phone) == ("linked", "Youth worker", "020 7946 0001")
    assert services.stakeholders.get(target.id).influence == 9


def test_a_bad_row_refuses_the_whole_import_unless_left_out(db, db_path, tmp_path):
    rows = [["Name", "Email", "Borough"], ["Ann Lee", "ann@example.org", "Havering"],
            ["Bo Chan", "not an email", "Havering"], ["Cy Dee", "cy@example.org", "Atlantis"]]
    path = workbook(tmp_path / "a.xlsx", {"Contacts": rows})
    before = services.stakeholders.count()
    with pytest.raises(ImportRefused, match=r"Contacts row 3, column 'Email': 'not an email' is not an email"):
        run(path)
    assert services.stakeholders.count() == before
    plan, _ = run(path, skip_bad_rows=True)
    assert [(p.row, p.column) for p in plan.problems] == [(3, "Email"), (4, "Borough")]
    assert sorted(by_name()) == ["Ann Lee"]


def test_an_import_is_undone_whole(held_people, tmp_path):
    rows = [["Name", "Organisation", "Email", "Role"],
            ["Grace Okafor", "Havering Youth Hub", "grace.okafor@met.example", "Chair"],  # linked to a new one
            ["Eve Adams", "Havering Youth Hub", "eve@hub.example", "Manager"]]
    services.stakeholders.update(by_name()["Grace Okafor"], organisation=None)
    before = sorted((s.name, s.version, s.role, s.organisation_id) for s in services.stakeholders.query())
    plan, import_id = run(workbook(tmp_path / "a.xlsx", {"S": rows}))
    assert by_name()["Grace Okafor"].organisation.name == "Havering Youth Hub"
    imports.undo_import(import_id)
    after = sorted((s.name, s.version, s.role, s.organisation_id) for s in services.stakeholders.query())
    assert after == before


def test_held_rows_are_listed_and_decided(held_people, tmp_path):
    path = workbook(tmp_path / "signin.xlsx", {"Sign-in": SIGN_IN})
    run(path)
    row = tableimports.held_rows()[0]
    target = by_name()["Ravi Patell"]
    resolution, record = tableimports.resolve_held(row.id, link=target.id)
    assert resolution == "linked" and record.role == "Youth worker" and record.phone == "020 7946 0001"
    assert record.organisation.name == "Redbridge Youth Trust"
    assert tableimports.held_rows() == []
    with pytest.raises(Exception, match="already decided"):
        tableimports.resolve_held(row.id, skip=True)


def test_a_held_row_can_be_created_or_skipped(held_people, tmp_path):
    rows = [["Name", "Email"], ["Ravi Patel", "ravi@ryt.example"], ["Grace Okafur", "g@other.example"]]
    run(workbook(tmp_path / "a.xlsx", {"S": rows}))
    first, second = tableimports.held_rows()
    assert tableimports.resolve_held(first.id, create=True)[1].name == "Ravi Patel"
    assert tableimports.resolve_held(second.id, skip=True) == ("skipped", None)
    assert "Grace Okafur" not in by_name()


def test_attendance_marks_who_came_and_not_who_cancelled(held_people, tmp_path):
    event = services.events.create(title="Serious Violence Summit", kind="summit", date=dt.date(2019, 1, 16))
    rows = [["Attendee", "Email", "Registration status"], ["Grace Okafor", "grace.okafor@met.example", "Attending"],
            ["Nia Osei", "nia@example.org", "Not attending"], ["Kwame Asante", "kwame@example.org", "Checked in"]]
    path = workbook(tmp_path / "eventbrite.xlsx", {"Attendees": rows})
    plan, _ = run(path, kind="attendance", event="Serious Violence Summit")
    names = sorted(a.stakeholder.name for a in services.attendance.attendees(event))
    assert names == ["Grace Okafor", "Kwame Asante"]
    plan, import_id = run(path, kind="attendance", event=str(event.id))
    assert import_id is None and plan.counts()["added"] == 0


def test_a_held_attendee_attends_once_decided(held_people, tmp_path):
    event = services.events.create(title="Havering commission", kind="commission", date=dt.date(2019, 3, 1))
    rows = [["Name", "Email"], ["Ravi Patel", "ravi@ryt.example"]]
    run(workbook(tmp_path / "a.xlsx", {"S": rows}), kind="attendance", event="havering commission")
    assert services.attendance.attendees(event) == []
    [row] = tableimports.held_rows()
    tableimports.resolve_held(row.id, link=by_name()["Ravi Patell"].id)
    assert [a.stakeholder.name for a in services.attendance.attendees(event)] == ["Ravi Patell"]


def test_actions_keep_a_partners_words_and_never_invent_owners(held_people, tmp_path):
    rows = [["Ref", "Action", "Lead officer", "Target date", "Status", "RAG", "Borough"],
            ["P1", "Open two youth venues", "Daniel Smith", "31/03/2019", "On track", "Red", "Havering"],
            ["P2", "Knife bins in parks", "Parks Enforcement Team", "TBC", "Complete", "G", "RED"]]
    plan, _ = run(workbook(tmp_path / "log.xlsx", {"Actions": rows}), kind="actions")
    actions = {a.title: a for a in services.actions.query()}
    venues, bins = actions["Open two youth venues"], actions["Knife bins in parks"]
    assert venues.owner.name == "Daniel Smith" and venues.due_date == dt.date(2019, 3, 31)
    assert venues.status == "in_progress" and venues.council.name == "Havering"
    assert "Partner's RAG: Red" in venues.description and "Partner's reference: P1" in venues.description
    assert bins.owner is None and "Owner (as written): Parks Enforcement Team" in bins.description
    assert bins.status == "done" and bins.due_date is None and "Target date: TBC" in bins.description
    assert bins.reference.startswith("A") or "-A" in bins.reference  # our own reference, from the service


def test_commitments_are_made_by_the_organisation_named(db, tmp_path):
    rows = [["Partner", "Commitment", "Date", "Target date", "Theme", "Status"],
            ["Ben Kinsella Trust", "Run knife crime workshops in schools", "16/01/2019", "Q3 2019", "Knife crime",
             "Agreed"]]
    run(workbook(tmp_path / "c.xlsx", {"Commitments": rows}), kind="commitments")
    c = services.commitments.query().get()
    assert c.made_by.name == "Ben Kinsella Trust" and c.made_by.kind == "organisation"
    assert (c.date_made, c.target_date, c.theme, c.status) == (dt.date(2019, 1, 16),
                                                                Period(dt.date(2019, 9, 30), "quarter"),
                                                                "knife_crime", "agreed")
    assert (c.__data__["target_date"], c.target_date_precision) == (dt.date(2019, 9, 30), "quarter")


def test_presets_are_offered_again_for_the_same_headers(db, tmp_path):
    rows = [["Who", "Contact"], ["Ann Lee", "ann@example.org"]]
    path = workbook(tmp_path / "a.xlsx", {"S": rows})
    with pytest.raises(ImportRefused):
        run(path, dry_run=True)
    tableimports.save_preset("School cluster", "stakeholders", ["Who", "Contact"], {"Who": "name", "Contact": "email"})
    plan, _ = run(path)
    assert plan.preset == "School cluster" and by_name()["Ann Lee"].email == "ann@example.org"


def test_the_command_prints_json_and_exits_0_1_or_2(tmp_path):
    db = tmp_path / "council.db"
    assert tracker(db, "init")[0] == 0
    path = workbook(tmp_path / "signin.xlsx", {"Sign-in": SIGN_IN})
    code, data = tracker_json(db, "import-table", path, "--as", "stakeholders", "--dry-run")
    assert code == 0 and JSON_KEYS <= set(data) and data["import_id"] is None and data["header_row"] == 4
    assert data["added"] == 6 and data["mapping"]["E-mail"] == "email"
    code, data = tracker_json(db, "import-table", path, "--as", "stakeholders")
    assert code == 0 and isinstance(data["import_id"], int)
    code, again = tracker_json(db, "import-table", path, "--as", "stakeholders")
    assert code == 0 and again["added"] == 0 and again["matched"] == 3 and again["import_id"] is None
    bad = workbook(tmp_path / "bad.xlsx", {"S": [["Name", "Email"], ["+Ann Lee", "nope"]]})
    report = tmp_path / "to-fix.xlsx"
    code, data = tracker_json(db, "import-table", bad, "--as", "stakeholders", "--report", report)
    assert code == 1 and data["rejected"] == [{"sheet": "S", "row": 2, "column": "Email", "value": "nope",
                                               "reason": "is not an email address (it should look like "
                                                         "name@example.org)"}]
    ws = openpyxl.load_workbook(report).active
    assert [c.value for c in ws[1]] == ["Row", "Name", "Email", "Why"]
    assert ws["B2"].data_type == "s" and ws["B2"].quotePrefix  # the partner's formula stays text
    assert ws["C2"].fill.fgColor.rgb.endswith("FFC7CE")
    code, out, err = tracker(db, "import-table", path, "--as", "people")
    assert code == 2 and "invalid choice" in err
    code, out, err = tracker(db, "undo-import", str(data["import_id"] or 1))
    assert code == 0, err


def test_the_held_command_lists_and_resolves(tmp_path):
    db = tmp_path / "council.db"
    open_database(db, create=True)
    services.stakeholders.create(name="Ravi Patell", kind="person", sector="other", email="r@x.example")
    close_database()
    path = workbook(tmp_path / "a.xlsx", {"S": [["Name", "Email"], ["Ravi Patel", "ravi@ryt.example"]]})
    code, data = tracker_json(db, "import-table", path, "--as", "stakeholders")
    assert code == 0 and [h["name"] for h in data["held"]] == ["Ravi Patel"]
    code, held = tracker_json(db, "held")
    assert code == 0 and held["held"][0]["row"] == 2 and held["held"][0]["candidates"][0]["name"] == "Ravi Patell"
    code, out, err = tracker(db, "held", "resolve", held["held"][0]["id"], "--create")
    assert code == 0 and "created" in out
    code, out, err = tracker(db, "held", "resolve", held["held"][0]["id"])
    assert code == 2


def test_a_schema_4_database_upgrades_to_5(tmp_path):
    path = tmp_path / "v4.db"
    con = sqlite3.connect(path)
    con.executescript((Path(__file__).parent.parent / "data" / "schema_v4.sql").read_text(encoding="utf-8"))
    con.close()
    open_database(path)
    assert migrations.schema_version(database.obj) == migrations.LATEST_VERSION >= 5
    assert {"table_import_held", "table_import_preset"} <= set(database.obj.get_tables())
    assert "details" in {c.name for c in database.obj.get_columns("exchange_import")}
    assert services.stakeholders.find_by_name("Sam Example")[0].organisation.name == "Havering Inter-Faith Forum"

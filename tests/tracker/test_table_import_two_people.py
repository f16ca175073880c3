"""A row naming a school, its head and a second contact: the organisation and both people, each
matched on their own, both linked to it; a blank second contact is one person; importing again
changes nothing."""

import datetime as dt

from tracker import services
from tracker.models import AuditEntry, HeldRow, Stakeholder
from tracker.tableimport import mapping

from tests.tracker.table_import_helpers import run, tracker, tracker_json, workbook

HEADERS = ["School", "Headteacher", "Head email", "Second contact", "Second contact email", "Phone", "Borough"]
SCHOOLS = [HEADERS,
           ["Havering Sixth Form College", "Jane Head", "jane@hsfc.example", "Patel, Ravi", "RAVI@hsfc.example",
            7700900123, "Havering"],
           ["Redbridge Primary", "Tom Jones", "tom@rp.example", None, None, "020 7946 0000", "Redbridge"],
           ["Oak School", None, None, "Amy Lee", "amy@oak.example", None, None]]


def people():
    return {s.name: s for s in Stakeholder.select()}


def test_the_headers_are_read_as_two_people():
    assert mapping.suggest("stakeholders", HEADERS + ["DSL", "Deputy head phone", "Other contact role"]) == {
        "School": "organisation", "Headteacher": "name", "Head email": "email", "Second contact": "contact2_name",
        "Second contact email": "contact2_email", "Phone": "phone", "Borough": "councils", "DSL": None,
        "Deputy head phone": "contact2_phone", "Other contact role": "contact2_role"}
    assert mapping.suggest("stakeholders", ["School", "Head", "DSL", "DSL e-mail", "DSL tel"]) == {
        "School": "organisation", "Head": "name", "DSL": "contact2_name", "DSL e-mail": "contact2_email",
        "DSL tel": "contact2_phone"}
    assert mapping.suggest("attendance", ["Name", "Deputy", "Deputy email"]) == {  # both attend
        "Name": "name", "Deputy": "contact2_name", "Deputy email": "contact2_email"}


def test_a_row_with_a_second_contact_makes_the_organisation_and_both_people(db, tmp_path):
    plan, import_id = run(workbook(tmp_path / "schools.xlsx", {"Schools": SCHOOLS}))
    assert import_id is not None and plan.problems == []
    found = people()
    college = found["Havering Sixth Form College"]
    assert (college.kind, college.sector) == ("organisation", "other")  # no sector column: "other"
    jane, ravi = found["Jane Head"], found["Ravi Patel"]  # "Patel, Ravi" turned round
    assert (jane.email, jane.role, jane.phone, jane.organisation_id) == ("jane@hsfc.example", "Headteacher",
                                                                        "07700900123", college.id)
    assert (ravi.email, ravi.role, ravi.phone, ravi.organisation_id) == ("RAVI@hsfc.example", "", "", college.id)
    assert [c.name for c in services.stakeholders.councils_of(ravi)] == ["Havering"]  # the row's borough, both
    tom = found["Tom Jones"]
    assert tom.organisation.name == "Redbridge Primary" and tom.phone == "020 7946 0000"
    assert found["Redbridge Primary"].members.count() == 1  # a blank second contact makes one person
    amy = found["Amy Lee"]  # no head named: the school and its second contact
    assert amy.organisation.name == "Oak School" and amy.email == "amy@oak.example"
    assert sorted(found) == ["Amy Lee", "Havering Sixth Form College", "Jane Head", "Oak School", "Ravi Patel",
                             "Redbridge Primary", "Tom Jones"]
    assert [(r["row"], r["name"], r["action"]) for r in plan.as_json()["records"]] == [
        (2, "Jane Head", "add"), (2, "Ravi Patel", "add"), (3, "Tom Jones", "add"), (4, "Oak School", "add"),
        (4, "Amy Lee", "add")]


def test_importing_the_schools_again_changes_nothing(db, tmp_path):
    path = workbook(tmp_path / "schools.xlsx", {"Schools": SCHOOLS})
    run(path)
    before = ({s.id: (s.name, s.email, s.phone, s.role, s.organisation_id, s.version) for s in Stakeholder.select()},
              AuditEntry.select().count())
    plan, import_id = run(path)
    assert import_id is None and plan.counts() == {"added": 0, "matched": 5, "updated": 0, "unchanged": 5, "held": 0}
    after = ({s.id: (s.name, s.email, s.phone, s.role, s.organisation_id, s.version) for s in Stakeholder.select()},
             AuditEntry.select().count())
    assert after == before


def test_each_person_of_the_row_is_matched_on_their_own(db, tmp_path):
    s = services.stakeholders
    college = s.create(name="Havering Sixth Form College", kind="organisation", sector="education")
    held_ravi = s.create(name="Ravi Patel", kind="person", sector="education", email="ravi@hsfc.example",
                         organisation=college, role="DSL")
    s.create(name="Jayne Head", kind="person", sector="education", organisation=college)  # a close name: doubtful
    plan, _ = run(workbook(tmp_path / "schools.xlsx", {"Schools": SCHOOLS[:2]}))
    assert [(e.name, e.action) for e in plan.entries] == [("Jane Head", "held"), ("Ravi Patel", "match")]
    assert [c["name"] for c in plan.entries[0].candidates] == ["Jayne Head"]
    ravi = s.get(held_ravi.id)
    assert (ravi.role, ravi.phone) == ("DSL", "")  # filled only where empty; the head's phone is the head's
    assert HeldRow.get().name == "Jane Head" and len(s.find_by_name("Ravi Patel")) == 1


def test_a_second_contact_without_a_name_is_kept_in_the_notes(db, tmp_path):
    rows = [["School", "Headteacher", "Second contact", "Second contact email"],
            ["Mayfield School", "Ann Bell", "", "office@mayfield.example"]]
    run(workbook(tmp_path / "a.xlsx", {"S": rows}))
    ann = people()["Ann Bell"]
    assert ann.notes == "Second contact email: office@mayfield.example" and ann.email == ""
    assert Stakeholder.select().count() == 2


def test_a_bad_second_email_names_its_own_column(db, tmp_path):
    rows = [["School", "Headteacher", "Head email", "DSL", "DSL email"],
            ["Mayfield School", "Ann Bell", "ann@mayfield.example", "Bo Chan", "bo at mayfield"]]
    plan, _ = run(workbook(tmp_path / "a.xlsx", {"S": rows}), dry_run=True)
    assert [(p.row, p.column, p.value) for p in plan.problems] == [(2, "DSL email", "bo at mayfield")]
    plan, _ = run(workbook(tmp_path / "a.xlsx", {"S": rows}), skip_bad_rows=True)
    assert Stakeholder.select().count() == 0  # the row is bad as a whole: neither person


def test_the_command_imports_both_people(db, db_path, tmp_path):
    from tracker.db import close_database
    from tracker.opening import open_database

    close_database()
    path = workbook(tmp_path / "schools.xlsx", {"Schools": SCHOOLS})
    code, data = tracker_json(db_path, "import-table", path, "--as", "stakeholders", "--dry-run")
    assert code == 0 and data["added"] == 7 and data["mapping"]["Second contact"] == "contact2_name"
    code, out, _ = tracker(db_path, "import-table", path, "--as", "stakeholders")
    assert code == 0 and "7 added" in out
    code, data = tracker_json(db_path, "import-table", path, "--as", "stakeholders")
    assert code == 0 and (data["added"], data["matched"], data["import_id"]) == (0, 5, None)
    code, held = tracker_json(db_path, "held")
    assert code == 0 and held == {"held": []}
    open_database(db_path)
    assert people()["Ravi Patel"].organisation.name == "Havering Sixth Form College"


SIGN_IN = [["Organisation", "Name", "Email", "Deputy", "Deputy email", "Registration status", "Role at event"],
           ["Havering Sixth Form College", "Jane Head", "jane@hsfc.example", "Ravi Patel", "ravi@hsfc.example",
            "Attending", "Speaker"],
           ["Redbridge Primary", "Tom Jones", "TOM@rp.example", "Amy Lee", "amy@rp.example", "Checked in", ""],
           ["Oak School", "Nia Osei", "nia@oak.example", "Kofi Osei", "kofi@oak.example", "Cancelled", ""],
           ["Elm School", "Sam Reid", "sam@elm.example", None, None, "Attending", ""]]


def test_both_people_of_an_attendance_row_attend(db, tmp_path):
    s = services.stakeholders
    primary = s.create(name="Redbridge Primary", kind="organisation", sector="education")
    tom = s.create(name="Tom Jones", kind="person", sector="education", email="tom@rp.example",
                   organisation=primary)
    event = services.events.create(title="Schools Summit", kind="summit", date=dt.date(2019, 3, 6))
    path = workbook(tmp_path / "sign-in.xlsx", {"Sign-in": SIGN_IN})
    plan, import_id = run(path, kind="attendance", event=str(event.id))
    assert import_id is not None and plan.problems == []
    assert [(e.row, e.name, e.action) for e in plan.entries if e.kind == "person"] == [
        (2, "Jane Head", "add"), (2, "Ravi Patel", "add"), (3, "Tom Jones", "match"), (3, "Amy Lee", "add"),
        (4, "Nia Osei", "not attending"), (4, "Kofi Osei", "not attending"), (5, "Sam Reid", "add")]
    attended = {a.stakeholder.name: a for a in services.attendance.attendees(event)}
    assert sorted(attended) == ["Amy Lee", "Jane Head", "Ravi Patel", "Sam Reid", "Tom Jones"]
    assert (attended["Jane Head"].role, attended["Ravi Patel"].role) == ("Speaker", "")  # the first person's
    found = people()
    assert "Nia Osei" not in found and "Kofi Osei" not in found  # a cancelled row is neither of them
    ravi, amy = found["Ravi Patel"], found["Amy Lee"]
    assert (ravi.email, ravi.organisation.name) == ("ravi@hsfc.example", "Havering Sixth Form College")
    assert (amy.email, amy.organisation_id) == ("amy@rp.example", primary.id)  # the row's school, held
    assert attended["Tom Jones"].stakeholder_id == tom.id and len(s.find_by_name("Tom Jones")) == 1
    plan, again = run(path, kind="attendance", event=str(event.id))  # importing it again changes nothing
    assert again is None and plan.counts()["added"] == 0
    assert sorted(a.stakeholder.name for a in services.attendance.attendees(event)) == sorted(attended)

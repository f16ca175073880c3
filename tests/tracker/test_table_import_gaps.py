"""Small gaps of the table import: a sector read from the whole phrase a partner wrote; a registration
not attending left out."""

import datetime as dt

import pytest

from tracker import services
from tracker.models import Stakeholder
from tracker.records import STAKEHOLDER, FieldError
from tracker.services import tableimports
from tracker.tableimport import Options, plan_import
from tracker.tableimport.values import choice_of

from tests.tracker.table_import_helpers import run, workbook

SECTOR_WORDS = {"Youth Offending Team": "justice", "Youth club": "community", "Youth Service": "community",
                "Youth centre": "community", "YOT": "justice", "Youth Justice Service": "justice",
                "Police": "police", "NHS Trust": "health", "Primary school": "education", "Church": "faith",
                "Methodist Church": "faith", "Mosque": "faith", "CIC": "voluntary", "Charity": "voluntary",
                "Schools": "education", "Tenants association": "community", "Borough council": "local_authority"}


def test_a_sector_word_is_read_by_its_whole_phrase(db, tmp_path):
    rows = [["Organisation", "Sector"]] + [[f"Org {i}", word] for i, word in enumerate(SECTOR_WORDS)]
    plan, import_id = run(workbook(tmp_path / "orgs.xlsx", {"Orgs": rows}))
    assert import_id is not None and plan.problems == []
    stored = {s.name: s.sector for s in Stakeholder.select()}
    assert stored == {f"Org {i}": code for i, code in enumerate(SECTOR_WORDS.values())}


def test_a_word_that_only_starts_like_a_sector_is_not_it():
    sector = next(f for f in STAKEHOLDER.fields if f.name == "sector")
    assert choice_of(sector, "Courts") == "justice"  # a plural is the word
    with pytest.raises(FieldError):
        choice_of(sector, "Metro Bank")
    with pytest.raises(FieldError):
        choice_of(sector, "Courtyard Café")


def test_a_registration_not_attending_is_no_attendance_and_no_new_person(db, tmp_path):
    s = services.stakeholders
    met = s.create(name="Metropolitan Police Service", kind="organisation", sector="police")
    grace = s.create(name="Grace Okafor", kind="person", sector="police", organisation=met,
                     email="grace.okafor@met.example", role="")
    jonathan = s.create(name="Jonathan Whitfield", kind="person", email="j.whitfield@example.org")
    event = services.events.create(title="Serious Violence Summit", kind="summit", date=dt.date(2019, 1, 16))
    rows = [["Attendee", "Email", "Organisation", "Job title", "Registration status"],
            ["Grace Okafor", "grace.okafor@met.example", "Metropolitan Police Service", "Inspector", "Not attending"],
            ["Nia Osei", "nia@example.org", "Osei Youth CIC", "Director", "Cancelled"],
            ["Jonathon Whitfeld", "jw@other.example", "", "", "Refunded"],  # a close name: would be doubtful
            ["Kwame Asante", "kwame@example.org", "", "", "Checked in"],
            ["Ama Mensah", "ama@example.org", "", "", "Cancelled"],
            ["Ama Mensah", "ama@example.org", "", "", "Attending"]]  # registered again: she attends
    path = workbook(tmp_path / "eventbrite.xlsx", {"Attendees": rows})
    preview = plan_import(path, Options(kind="attendance", event=str(event.id)))
    records = {r["row"]: r for r in preview.as_json()["records"]}
    assert {row: records[row]["action"] for row in (2, 3, 4)} == {2: "not attending", 3: "not attending",
                                                                  4: "not attending"}
    assert records[3]["note"] == ("registration 'Cancelled': not attendance, so the row is left out "
                                  "(no person created or changed)")
    assert preview.as_json()["held"] == [] and preview.counts()["added"] == 4  # Kwame, Ama, and their visits
    _, import_id = run(path, kind="attendance", event=str(event.id))
    assert import_id is not None
    assert sorted(a.stakeholder.name for a in services.attendance.attendees(event)) == ["Ama Mensah", "Kwame Asante"]
    stored = {x.name: x for x in Stakeholder.select()}
    assert sorted(stored) == ["Ama Mensah", "Grace Okafor", "Jonathan Whitfield", "Kwame Asante",
                              "Metropolitan Police Service"]  # no Nia, no "Osei Youth CIC", no second Jonathan
    assert (stored["Grace Okafor"].role, stored["Grace Okafor"].version) == ("", grace.version)  # not filled
    assert stored["Jonathan Whitfield"].email == jonathan.email and tableimports.held_rows() == []

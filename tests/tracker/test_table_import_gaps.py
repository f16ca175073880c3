"""Small gaps of the table import: a sector read from the whole phrase a partner wrote; a registration
not attending left out; a preset keeping the date order chosen per column; a commitment whose maker is
only close to a held organisation held for review."""

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from tracker import migrations, services
from tracker.dates import format_uk_date
from tracker.db import close_database, database
from tracker.models import ActionItem, Commitment, ImportPreset, Stakeholder
from tracker.opening import open_database
from tracker.records import STAKEHOLDER, FieldError
from tracker.services import tableimports
from tracker.tableimport import Options, apply_plan, plan_import
from tracker.tableimport.decisions import decide
from tracker.tableimport.values import choice_of

from tests.tracker.table_import_helpers import run, tracker, tracker_json, workbook

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


def test_a_preset_keeps_the_date_order_chosen_per_column(db, tmp_path):
    rows = [["Action", "Due date", "Raised"], ["One", "03/04/2019", "05/06/2019"]]  # undecidable: day-first
    plan, _ = run(workbook(tmp_path / "a.xlsx", {"Log": rows}), kind="actions", dry_run=True,
                  column_dates={"Due date": "month-first"}, maps=("Raised=ignore",))
    tableimports.save_preset("US log", "actions", plan.used[0].headers, plan.used[0].mapping,
                             dates={"Due date": "month-first", "Elsewhere": "day-first"})
    assert json.loads(ImportPreset.get(ImportPreset.name == "US log").dates) == {"due date": "month-first"}
    rows.append(["Two", "01/02/2019", "07/08/2019"])  # the same headers come back: the preset, its order
    plan, import_id = run(workbook(tmp_path / "b.xlsx", {"Log": rows}), kind="actions")
    assert plan.preset == "US log" and plan.preset_dates == {"due date": "month-first"}
    assert plan.used[0].dates == {"Due date": "month-first"} and plan.used[0].undecided == []
    stored = {a.title: a.due_date for a in ActionItem.select()}
    assert stored == {"One": dt.date(2019, 3, 4), "Two": dt.date(2019, 1, 2)}
    plan, _ = run(workbook(tmp_path / "c.xlsx", {"Log": rows}), kind="actions", dry_run=True,
                  column_dates={"due date": "day-first"})  # told otherwise this time: the person's word wins
    assert plan.used[0].dates == {"Due date": "day-first"}


@pytest.mark.slow
def test_the_cli_saves_the_date_orders_with_the_preset_and_uses_them_again(tmp_path):
    db = tmp_path / "cli.db"
    assert tracker(db, "init")[0] == 0
    path = tmp_path / "log.csv"
    path.write_text("Action,Due\nOne,03/04/2019\n", encoding="utf-8")
    code, data = tracker_json(db, "import-table", path, "--as", "actions", "--dates", "Due=month-first",
                              "--save-preset", "US log", "--dry-run")
    assert code == 0 and data["dates"] == {"Due": "month-first"}
    code, data = tracker_json(db, "import-table", path, "--as", "actions")  # no --dates: the preset's
    assert code == 0 and data["preset"] == "US log" and data["dates"] == {"Due": "month-first"}, data
    con = sqlite3.connect(db)
    assert con.execute("select title, due_date from action_item").fetchall() == [("One", "2019-03-04")]
    con.close()


def test_presets_saved_before_date_orders_upgrade_with_none(tmp_path):
    path = tmp_path / "v5.db"
    con = sqlite3.connect(path)
    con.executescript((Path(__file__).parent.parent / "data" / "schema_v5.sql").read_text(encoding="utf-8"))
    con.execute("insert into table_import_preset (name, kind, headers, mapping, \"values\", saved_at) values "
                "('Old log', 'actions', '[\"action\", \"due\"]', '{\"Action\": \"title\", \"Due\": \"due_date\"}', "
                "'{}', '2019-01-01 00:00:00')")
    con.commit()
    con.close()
    open_database(path)
    try:
        assert migrations.schema_version(database.obj) == migrations.LATEST_VERSION >= 10
        preset = tableimports.preset_for("actions", "Old log")
        assert (json.loads(preset.mapping), preset.dates) == ({"Action": "title", "Due": "due_date"}, "{}")
        plan, _ = run(workbook(tmp_path / "a.xlsx", {"Log": [["Action", "Due"], ["One", "03/04/2019"]]}),
                      kind="actions", dry_run=True)
        assert plan.preset == "Old log" and plan.used[0].dates == {"Due": "day-first"}
    finally:
        close_database()


PLEDGES = [["Commitment", "Organisation", "Target date", "Borough"],
           ["Mentoring for Year 10", "Havering Sixth Form", "Q2 2027", "Havering"],
           ["Open the hall on Fridays", "Havering Sixth Form College", "30/06/2027", "Havering"]]


def commitments_of():
    return {c.title: (c.made_by.name, c.target_date, [x.name for x in services.commitments.councils_of(c)])
            for c in Commitment.select()}


def test_a_commitment_whose_maker_is_only_close_to_a_held_one_waits_for_review(db, tmp_path):
    college = services.stakeholders.create(name="Havering Sixth Form College", kind="organisation",
                                           sector="education")
    path = workbook(tmp_path / "pledges.xlsx", {"Pledges": PLEDGES})
    plan, import_id = run(path, kind="commitments")
    assert import_id is not None
    assert [(r["row"], r["action"], r.get("note")) for r in plan.as_json()["records"]] == [
        (2, "held", "organisation 'Havering Sixth Form' is close to one held: Havering Sixth Form College (83%)"),
        (3, "add", None)]
    assert plan.as_json()["held"] == [{"sheet": "Pledges", "row": 2, "name": "Mentoring for Year 10", "email": "",
                                       "candidates": [{"id": college.id, "name": "Havering Sixth Form College",
                                                       "score": 83, "kind": "organisation"}]}]
    assert sorted(s.name for s in Stakeholder.select()) == ["Havering Sixth Form College"]  # no near-duplicate
    assert commitments_of() == {"Open the hall on Fridays": ("Havering Sixth Form College", dt.date(2027, 6, 30),
                                                             ["Havering"])}
    [held] = tableimports.held_rows()
    resolution, made = tableimports.resolve_held(held.id, link=college.id)
    assert resolution == "linked" and made.made_by_id == college.id
    title = "Mentoring for Year 10"
    maker, target, councils = commitments_of()[title]
    assert (maker, councils, format_uk_date(target)) == ("Havering Sixth Form College", ["Havering"], "Q2 2027")
    assert sorted(s.name for s in Stakeholder.select()) == ["Havering Sixth Form College"]


@pytest.mark.parametrize("decided", ["later", "in the preview"])
def test_a_held_commitment_linked_is_matched_when_the_file_comes_again(db, tmp_path, decided):
    """Linked to the held organisation (in the held review, or in the preview), the row is that commitment:
    imported again it matches it (and changes it as --on-match says), never held again nor made by a
    near-duplicate."""
    college = services.stakeholders.create(name="Havering Sixth Form College", kind="organisation",
                                           sector="education")
    path = workbook(tmp_path / "pledges.xlsx", {"Pledges": PLEDGES})
    if decided == "later":
        run(path, kind="commitments")
        [held] = tableimports.held_rows()
        tableimports.resolve_held(held.id, link=college.id)
    else:
        plan = plan_import(path, Options(kind="commitments"))
        decide(plan, [("Pledges", 2)], "link")
        apply_plan(plan)
    mentoring = Commitment.get(Commitment.title == "Mentoring for Year 10")
    plan, import_id = run(path, kind="commitments")
    assert [(r["row"], r["action"], r["record_id"]) for r in plan.as_json()["records"]] == [
        (2, "match", mentoring.id), (3, "match", Commitment.get(Commitment.title == "Open the hall on Fridays").id)]
    assert import_id is None and plan.counts()["held"] == 0  # nothing changed: no import recorded
    assert tableimports.held_rows() == [] and Commitment.select().count() == 2
    assert sorted(s.name for s in Stakeholder.select()) == ["Havering Sixth Form College"]
    changed = [PLEDGES[0], ["Mentoring for Year 10", "Havering Sixth Form", "Q2 2027", "Havering"]]
    changed[0] = [*changed[0], "Theme"]
    changed[1] = [*changed[1], "Youth"]  # a value changed: --on-match update changes that commitment
    plan, import_id = run(workbook(tmp_path / "again.xlsx", {"Pledges": changed}), kind="commitments",
                          on_match="update")
    assert import_id is not None
    assert [(e.action, e.record_id, e.changes) for e in plan.entries] == [("match", mentoring.id,
                                                                           {"theme": ("other", "youth")})]
    assert Commitment.get_by_id(mentoring.id).theme == "youth"
    assert Commitment.get_by_id(mentoring.id).made_by_id == college.id and tableimports.held_rows() == []


def test_a_held_commitment_created_makes_its_maker_as_written(db, tmp_path):
    services.stakeholders.create(name="Havering Sixth Form College", kind="organisation", sector="education")
    run(workbook(tmp_path / "pledges.xlsx", {"Pledges": PLEDGES[:2]}), kind="commitments")
    [held] = tableimports.held_rows()
    assert tableimports.resolve_held(held.id, create=True)[0] == "created"
    assert commitments_of()["Mentoring for Year 10"][0] == "Havering Sixth Form"
    assert sorted(s.name for s in Stakeholder.select()) == ["Havering Sixth Form", "Havering Sixth Form College"]


def test_a_commitments_close_maker_decided_in_the_preview(db, tmp_path):
    college = services.stakeholders.create(name="Havering Sixth Form College", kind="organisation",
                                           sector="education")
    plan = plan_import(workbook(tmp_path / "pledges.xlsx", {"Pledges": PLEDGES[:2]}), Options(kind="commitments"))
    assert decide(plan, [("Pledges", 2)], "link") == 1
    assert apply_plan(plan) is not None
    assert commitments_of()["Mentoring for Year 10"][0] == "Havering Sixth Form College"
    assert tableimports.held_rows() == [] and Stakeholder.select().count() == 1
    assert Commitment.get().made_by_id == college.id

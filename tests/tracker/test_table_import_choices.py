"""What a person tells a table import beyond the suggested mapping (issue 13 §3, §4, §7): columns
joined into one text, a partner's words mapped to ours, each date column's order, doubtful rows
decided in bulk, and a sheet whose header nobody recognises mapped by hand."""

import datetime as dt
import json

import pytest

from tracker import services
from tracker.services import tableimports
from tracker.tableimport import ImportRefused, Options, apply_plan, plan_import
from tracker.tableimport.choices import column_values, offered, words_not_understood
from tracker.tableimport.decisions import decide, doubtful
from tracker.tableimport.mapping import parse_date_options, parse_map_options, suggest

from tests.tracker.table_import_helpers import doubtful_forum, run, tracker, tracker_json, workbook


@pytest.fixture
def cli_db(tmp_path):
    db = tmp_path / "cli.db"
    assert tracker(db, "init")[0] == 0
    return db


def test_two_columns_mapped_to_one_text_are_joined_in_column_order(db, tmp_path):
    rows = [["Name", "Address 1", "Email", "Address 2", "Notes", "Dietary needs"],
            ["Ruth Ellis", "12 High Street", "ruth@example.org", "Romford RM1 1AA", "Chair", "Vegan"],
            ["Sam Cole", "", "sam@example.org", "Ilford", "", "Halal"]]
    path = workbook(tmp_path / "contacts.xlsx", {"List": rows})
    plan, _ = run(path, maps=("Address 1=address", "Address 2=address", "Dietary needs=notes"))
    assert plan.used[0].mapping["Address 2"] == "address"
    preview = {r["name"]: r for r in plan.as_json()["records"]}
    assert set(preview) == {"Ruth Ellis", "Sam Cole"}
    [ruth] = services.stakeholders.page(0, 5, search="ruth@example.org")
    [sam] = services.stakeholders.page(0, 5, search="sam@example.org")
    assert ruth.address == "12 High Street Romford RM1 1AA" and sam.address == "Ilford"
    assert ruth.notes == "Chair\nVegan" and sam.notes == "Halal"


def test_first_name_and_surname_not_recognised_join_into_the_name(db, tmp_path):
    rows = [["Prénom", "Nom de famille", "Courriel"], ["Ada", "Byrne", "ada@example.org"]]
    path = workbook(tmp_path / "fr.xlsx", {"Liste": rows})
    run(path, maps=("Prénom=name", "Nom de famille=name", "Courriel=email"))
    [ada] = services.stakeholders.page(0, 5, search="ada@example.org")
    assert ada.name == "Ada Byrne"


def test_only_text_takes_several_columns():
    assert parse_map_options("stakeholders", ("A=address", "B=Address"))["B"] == "address"
    with pytest.raises(ValueError, match="only one column can be imported as email"):
        parse_map_options("stakeholders", ("A=email", "B=email"))
    # unasked, a target is still taken once (the second "Email" column is not joined)
    assert suggest("stakeholders", ["Email", "E-mail", "Notes", "Comments"]) == {
        "Email": "email", "E-mail": None, "Notes": "notes", "Comments": "notes"}


@pytest.mark.slow
def test_the_cli_joins_a_field_given_twice(tmp_path, cli_db):
    db = cli_db
    path = tmp_path / "list.csv"
    path.write_text("Name,Line 1,Line 2,Email\nBo Chan,1 Church Road,Dagenham,bo@example.org\n", encoding="utf-8")
    code, data = tracker_json(db, "import-table", path, "--as", "stakeholders", "--map", "Line 1=address",
                              "--map", "Line 2=address", "--dry-run")
    assert code == 0 and data["mapping"]["Line 1"] == data["mapping"]["Line 2"] == "address"
    code, data = tracker_json(db, "import-table", path, "--as", "stakeholders", "--map", "Line 1=email",
                              "--map", "Line 2=email")
    assert code == 1 and "only one column can be imported as email" in data["refused"]


def test_words_not_understood_are_listed_and_mapped_like_map_value(db, tmp_path):
    rows = [["Action", "Status", "Priority"], ["One", "Complete", "High"], ["Two", "Sorted", "High"],
            ["Three", "sorted", "Whenever"], ["Four", "Parked", ""]]
    path = workbook(tmp_path / "log.xlsx", {"Log": rows})
    plan = plan_import(path, Options(kind="actions"))
    table, sheet = plan.tables[0], plan.source.sheets[0]
    assert column_values(sheet, table, "Status") == ["Complete", "Sorted", "sorted", "Parked"]
    assert words_not_understood("actions", "status", column_values(sheet, table, "Status")) == ["Sorted", "Parked"]
    assert words_not_understood("actions", "priority", column_values(sheet, table, "Priority")) == ["Whenever"]
    assert words_not_understood("actions", "title", ["anything"]) == []
    assert ("done", "Done") in offered("actions", "status") and offered("actions", "title") == []
    assert {p.value for p in plan.problems} == {"Sorted", "sorted", "Parked", "Whenever"}
    told = ("Status:Sorted=done", "Status:Parked=blocked", "Priority:whenever=low")
    plan = plan_import(path, Options(kind="actions", map_values=told))
    assert plan.problems == []
    assert {e.values["title"]: e.values["status"] for e in plan.entries} == {
        "One": "done", "Two": "done", "Three": "done", "Four": "blocked"}


@pytest.mark.slow
def test_a_preset_keeps_the_words_mapped(tmp_path, cli_db):
    db = cli_db
    path = tmp_path / "log.csv"
    path.write_text("Action,Status\nOne,Sorted\n", encoding="utf-8")
    code, data = tracker_json(db, "import-table", path, "--as", "actions", "--map-value", "Status:Sorted=done",
                              "--save-preset", "Police log", "--dry-run")
    assert code == 0, data
    path.write_text("Action,Status\nTwo,Sorted\n", encoding="utf-8")
    code, data = tracker_json(db, "import-table", path, "--as", "actions")
    assert code == 0 and data["preset"] == "Police log" and data["rejected"] == [], data
    assert data["records"][0]["name"] == "Two"


def test_each_date_column_takes_its_own_order(db, tmp_path):
    rows = [["Action", "Due", "Start"], ["One", "03/04/2019", "05/06/2019"], ["Two", "01/02/2019", "07/08/2019"]]
    path = workbook(tmp_path / "a.xlsx", {"Log": rows})
    plan, _ = run(path, kind="actions", dry_run=True, maps=("Start=description",))
    assert plan.used[0].dates == {"Due": "day-first"} and plan.used[0].undecided == ["Due"]
    plan, _ = run(path, kind="actions", dry_run=True, column_dates={"due": "month-first"})
    assert plan.used[0].dates == {"Due": "month-first"} and plan.used[0].undecided == []
    assert plan.entries[0].values["due_date"] == dt.date(2019, 3, 4)
    # one column told, the global order for the others
    rows = [["Title", "Date made", "Target date", "Made by"], ["Pledge", "03/04/2019", "05/06/2019", "Trust"]]
    path = workbook(tmp_path / "c.xlsx", {"Pledges": rows})
    plan, _ = run(path, kind="commitments", dry_run=True, dates="month-first", column_dates={"Date made": "day-first"})
    assert plan.used[0].dates == {"Date made": "day-first", "Target date": "month-first"}
    values = plan.entries[0].values
    assert values["date_made"] == dt.date(2019, 4, 3) and values["target_date"] == dt.date(2019, 5, 6)


@pytest.mark.slow
def test_date_options_as_the_cli_takes_them(tmp_path, cli_db):
    assert parse_date_options(["month-first"]) == ("month-first", {})
    assert parse_date_options(["Due date=month-first", "day-first"]) == ("day-first", {"due date": "month-first"})
    with pytest.raises(ValueError, match="should be day-first, month-first"):
        parse_date_options(["Due=sideways"])
    db = cli_db
    path = tmp_path / "log.csv"
    path.write_text("Action,Due,Target\nOne,03/04/2019,05/06/2019\n", encoding="utf-8")
    code, data = tracker_json(db, "import-table", path, "--as", "actions", "--map", "Target=ignore",
                              "--dates", "Due=month-first", "--dry-run")
    assert code == 0 and data["dates"] == {"Due": "month-first"}
    code, data = tracker_json(db, "import-table", path, "--as", "actions", "--dates", "month-first", "--dry-run")
    assert code == 0 and data["dates"] == {"Due": "month-first"}


def test_doubtful_rows_are_decided_in_bulk_before_the_import(db, tmp_path):
    (jon, margaret, olu), path = doubtful_forum(tmp_path)
    plan = plan_import(path, Options(kind="stakeholders"))
    assert [e.row for e in doubtful(plan)] == [2, 3, 4]
    assert decide(plan, [("forum", 2), ("forum", 3)], "link") == 2
    assert decide(plan, [("forum", 4)], "skip") == 1
    assert doubtful(plan) == [] and plan.counts() == {"added": 0, "matched": 2, "updated": 2, "unchanged": 0,
                                                      "held": 0}
    assert apply_plan(plan) is not None
    assert services.stakeholders.get(jon.id).role == "Chair"
    assert services.stakeholders.get(margaret.id).role == "Treasurer"
    assert services.stakeholders.get(olu.id).role == "" and tableimports.held_rows() == []
    assert not services.stakeholders.page(0, 5, search="Adebayoh")


def test_decisions_survive_a_new_plan_and_create_makes_new_people(db, tmp_path):
    _, path = doubtful_forum(tmp_path)
    plan = plan_import(path, Options(kind="stakeholders"))
    decide(plan, [("forum", 2), ("forum", 3), ("forum", 4)], "create")
    again = plan_import(path, plan.options)  # (the wizard plans again after Back, or another mapping)
    assert [e.action for e in again.entries] == ["add"] * 3 and again.counts()["added"] == 3
    with pytest.raises(ValueError):
        decide(plan, [("forum", 2)], "maybe")


def test_a_header_nobody_recognises_is_mapped_by_hand(db, tmp_path):
    rows = [["Liste des participants"], [], ["Nom complet", "Courriel", "Structure"],
            ["Ada Byrne", "ada@example.org", "Trust"]]
    path = workbook(tmp_path / "liste.xlsx", {"Feuille": rows})
    with pytest.raises(ImportRefused, match="no column was recognised|no header row"):
        plan_import(path, Options(kind="stakeholders"))
    draft = plan_import(path, Options(kind="stakeholders", draft=True))
    assert draft.used == [] and draft.tables[0].refused
    plan, _ = run(path, header_row=3, maps=("Nom complet=name", "Courriel=email", "Structure=organisation"))
    [ada] = services.stakeholders.page(0, 5, search="ada@example.org")
    assert ada.name == "Ada Byrne" and ada.organisation.name == "Trust"
    assert json.loads(json.dumps(plan.as_json()))["header_row"] == 3


@pytest.mark.slow
def test_the_cli_maps_by_hand_a_header_it_does_not_recognise(tmp_path, cli_db):
    db = cli_db
    path = tmp_path / "liste.csv"
    path.write_text("Participants\n\nNom complet;Courriel\nAda Byrne;ada@example.org\n", encoding="utf-8")
    code, data = tracker_json(db, "import-table", path, "--as", "stakeholders")
    assert code == 1 and "not imported" in data["refused"]
    code, data = tracker_json(db, "import-table", path, "--as", "stakeholders", "--header-row", "3",
                              "--map", "Nom complet=name", "--map", "Courriel=email")
    assert code == 0 and data["added"] == 1 and data["header_row"] == 3, data


def test_doubtful_people_decided_in_an_attendance_list_attend_or_not(db, tmp_path):
    (jon, margaret, olu), path = doubtful_forum(tmp_path)
    event = services.events.create(title="Youth forum meeting", kind="meeting", date=dt.date(2019, 3, 1))
    plan = plan_import(path, Options(kind="attendance", event=str(event.id)))
    assert plan.attendance == [], "held rows wait, and so does their attendance"
    decide(plan, [("forum", 2)], "link")
    decide(plan, [("forum", 3)], "create")
    decide(plan, [("forum", 4)], "skip")
    assert [(v.entry.row, v.action) for v in plan.attendance] == [(2, "add"), (3, "add")]
    apply_plan(plan)
    attending = {a.stakeholder.name for a in services.attendance.attendees(event)}
    assert attending == {"Jonathan Whitfield", "Margret Oyelaren"}

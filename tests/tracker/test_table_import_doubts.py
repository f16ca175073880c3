"""What the preview points out: an organisation whose name is close to a held one's (held for review
like a doubtful person, never a near-duplicate), and a partner's RAG that is not the one we work out."""

import datetime as dt
import json

from tracker import services
from tracker.db import close_database
from tracker.models import ActionItem, HeldRow, Stakeholder
from tracker.opening import open_database
from tracker.services import tableimports
from tracker.services.matching import StakeholderMatcher

from tests.tracker.table_import_helpers import run, tracker, tracker_json, workbook


def colleges():
    s = services.stakeholders
    return (s.create(name="Havering Sixth Form College", kind="organisation", sector="education"),
            s.create(name="Barking and Dagenham College", kind="organisation", sector="education"))


def names():
    return sorted(s.name for s in Stakeholder.select())


def test_close_organisation_names_are_doubtful_and_the_same_name_matches(db):
    havering, barking = colleges()
    matcher = StakeholderMatcher()
    assert matcher.organisation("Barking & Dagenham College").id == barking.id  # "&" is "and": the same
    assert matcher.close_organisations("Barking & Dagenham College") == []
    assert [(h.id, score) for h, score in matcher.close_organisations("Havering Sixth Form")] == [(havering.id, 83)]
    assert matcher.close_organisations("Havering Primary School") == []
    assert matcher.close_organisations("Redbridge College") == []


def test_a_row_naming_a_close_organisation_is_held_not_a_near_duplicate(db, tmp_path):
    havering, barking = colleges()
    ann = services.stakeholders.create(name="Ann Held", kind="person", sector="education", email="ann@x.example")
    rows = [["Name", "Organisation", "Email"],
            ["Jo Bloggs", "Havering Sixth Form", "jo@x.example"],
            ["Kim Li", "Barking & Dagenham College", "kim@x.example"],
            ["Ann Held", "Havering Sixth Form", "ann@x.example"],
            [None, "Havering Sixth Form", None],
            ["Zed New", "Havering Primary School", "zed@x.example"]]
    plan, import_id = run(workbook(tmp_path / "list.xlsx", {"S": rows}))
    data = plan.as_json(import_id)
    assert [(r["row"], r["action"], r.get("note")) for r in data["records"]] == [
        (2, "held", "organisation 'Havering Sixth Form' is close to one held: Havering Sixth Form College (83%)"),
        (3, "add", None),
        (4, "match", "not linked to 'Havering Sixth Form', which is close to one held: Havering Sixth Form College (83%)"),
        (5, "held", "organisation 'Havering Sixth Form' is close to one held: Havering Sixth Form College (83%)"),
        (6, "add", None)]
    college = {"id": havering.id, "name": "Havering Sixth Form College", "score": 83, "kind": "organisation"}
    assert [(h["row"], h["name"], h["candidates"]) for h in data["held"]] == [
        (2, "Jo Bloggs", [college]), (5, "Havering Sixth Form", [college])]
    assert "Havering Sixth Form" not in names()  # no near-duplicate
    assert services.stakeholders.get(barking.id).members.get().name == "Kim Li"
    assert services.stakeholders.get(ann.id).organisation is None  # matched, and not linked to a doubtful one
    assert services.stakeholders.find_by_name("Zed New")[0].organisation.name == "Havering Primary School"
    held = {h.name: h for h in HeldRow.select()}
    assert json.loads(held["Jo Bloggs"].candidates) == [
        {"id": havering.id, "name": "Havering Sixth Form College", "score": 83, "kind": "organisation"}]
    # deciding: Jo's organisation is the college; the organisation row is the college too
    resolution, jo = tableimports.resolve_held(held["Jo Bloggs"].id, link=str(havering.id))
    assert resolution == "created" and (jo.name, jo.email, jo.organisation_id) == ("Jo Bloggs", "jo@x.example",
                                                                                   havering.id)
    resolution, college = tableimports.resolve_held(held["Havering Sixth Form"].id, link=havering.id)
    assert resolution == "linked" and college.id == havering.id
    assert names().count("Havering Sixth Form College") == 1 and "Havering Sixth Form" not in names()


def test_a_held_organisation_can_be_created_as_new(db, tmp_path):
    colleges()
    rows = [["Name", "Organisation"], ["Jo Bloggs", "Havering Sixth Form"]]
    run(workbook(tmp_path / "list.xlsx", {"S": rows}))
    resolution, jo = tableimports.resolve_held(HeldRow.get().id, create=True)
    assert resolution == "created" and jo.organisation.name == "Havering Sixth Form"
    assert jo.organisation.id not in {c.id for c in colleges()}


def test_uncertain_create_makes_the_organisation_and_reimport_changes_nothing(db, tmp_path):
    colleges()
    path = workbook(tmp_path / "list.xlsx", {"S": [["Name", "Organisation"], ["Jo Bloggs", "Havering Sixth Form"]]})
    plan, _ = run(path, uncertain="create")
    assert plan.entries[0].action == "add" and "Havering Sixth Form" in names()
    plan, import_id = run(path)  # now held exactly: matched, nothing to hold
    assert import_id is None and [e.action for e in plan.entries] == ["match"]


def _actions_file(tmp_path):
    today = dt.date.today()
    past, later = (today - dt.timedelta(days=30)).strftime("%d/%m/%Y"), (today + dt.timedelta(days=60)).strftime("%d/%m/%Y")
    rows = [["Action", "Due date", "Status", "RAG"],
            ["Open two venues", past, "On track", "Green"],  # overdue and open: ours is Red
            ["Train staff", later, "In progress", "Amber"],  # the same as ours
            ["Write the plan", later, "Complete", "G"],  # the same
            ["Hire a worker", later, "Not started", "On track"],  # not a RAG word: not compared
            ["Drop the idea", later, "Withdrawn", "Red"]]  # cancelled: ours is none
    return workbook(tmp_path / "actions.xlsx", {"Log": rows})


def test_a_partner_rag_unlike_ours_is_flagged_with_both(db, tmp_path):
    plan, import_id = run(_actions_file(tmp_path), kind="actions")
    flagged = {r["row"]: (r.get("rag"), r.get("note")) for r in plan.as_json(import_id)["records"] if r.get("rag")}
    assert flagged == {
        2: ({"partner": "Green", "ours": "Red", "written": "Green"}, "partner's RAG Green, ours Red"),
        6: ({"partner": "Red", "ours": None, "written": "Red"}, "partner's RAG Red, ours none (the action is cancelled)")}
    venues = ActionItem.get(ActionItem.title == "Open two venues")
    assert "Partner's RAG: Green" in venues.description and venues.status == "in_progress"
    assert "Partner's RAG: On track" in ActionItem.get(ActionItem.title == "Hire a worker").description


def test_a_matched_action_is_compared_as_it_will_be(db, tmp_path):
    services.actions.create(title="Train staff", due_date=dt.date.today() + dt.timedelta(days=60), priority="medium",
                            status="blocked")
    plan, _ = run(_actions_file(tmp_path), kind="actions", dry_run=True)
    train = next(r for r in plan.as_json()["records"] if r["name"] == "Train staff")
    assert train["action"] == "match" and train["rag"] == {"partner": "Amber", "ours": "Red", "written": "Amber"}
    plan, _ = run(_actions_file(tmp_path), kind="actions", dry_run=True, on_match="update")  # blocked -> in progress
    train = next(r for r in plan.as_json()["records"] if r["name"] == "Train staff")
    assert "rag" not in train and train["changes"]["status"] == ["blocked", "in_progress"]


def test_the_command_shows_the_disagreement_and_the_doubtful_organisation(db, db_path, tmp_path):
    colleges()
    close_database()
    code, out, err = tracker(db_path, "import-table", _actions_file(tmp_path), "--as", "actions", "--dry-run")
    assert code == 0, err
    assert "Log row 2 'Open two venues': partner's RAG Green, ours Red" in out
    people = workbook(tmp_path / "list.xlsx", {"S": [["Name", "Organisation"], ["Jo Bloggs", "Havering Sixth Form"]]})
    code, out, err = tracker(db_path, "import-table", people, "--as", "stakeholders", "--dry-run")
    assert code == 0 and "S row 2 'Jo Bloggs': organisation 'Havering Sixth Form' is close to one held" in out
    assert "held: S row 2 'Jo Bloggs': maybe the organisation Havering Sixth Form College (ID" in out
    code, data = tracker_json(db_path, "import-table", people, "--as", "stakeholders")
    assert code == 0 and data["held"][0]["candidates"][0]["name"] == "Havering Sixth Form College"
    code, held = tracker_json(db_path, "held")
    assert code == 0 and held["held"][0]["candidates"][0]["kind"] == "organisation"
    code, out, err = tracker(db_path, "held", "resolve", held["held"][0]["id"], "--link",
                             held["held"][0]["candidates"][0]["id"])
    assert code == 0 and "created (Jo Bloggs" in out
    open_database(db_path)
    assert services.stakeholders.find_by_name("Jo Bloggs")[0].organisation.name == "Havering Sixth Form College"

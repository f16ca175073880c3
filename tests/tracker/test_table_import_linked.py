"""A person's row held for a close name and linked by hand to a held record (``tracker held resolve
--link``, Review held matches, or the preview) is remembered: the same file imported again matches that
row to the record (changing it as --on-match says), it is not held again."""

import json

import pytest

from tracker import services
from tracker.db import close_database
from tracker.opening import open_database
from tracker.models import HeldRow, Stakeholder
from tracker.services import imports, privacy, tableimports
from tracker.tableimport import Options, apply_plan, plan_import
from tracker.tableimport.decisions import decide

from tests.tracker.postgres_helpers import fresh_postgres_database, needs_postgres
from tests.tracker.table_import_helpers import doubtful_forum, run, tracker, tracker_json


def _pending():
    return sorted(h.name for h in tableimports.held_rows())


def _link_jonathon(path, jonathan, decided):
    """Import the forum's list and link its first row (Jonathon Whitfeld, no email) to Jonathan Whitfield."""
    if decided == "later":
        run(path)
        row = next(h for h in tableimports.held_rows() if h.name == "Jonathon Whitfeld")
        assert tableimports.resolve_held(row.id, link=jonathan.id)[0] == "linked"
    else:
        plan = plan_import(path, Options(kind="stakeholders"))
        assert decide(plan, [("forum", 2)], "link") == 1
        apply_plan(plan)


@pytest.mark.parametrize("decided", ["later", "in the preview"])
def test_a_person_linked_by_hand_is_matched_when_the_file_comes_again(db, tmp_path, decided):
    (jonathan, _, _), path = doubtful_forum(tmp_path)
    _link_jonathon(path, jonathan, decided)
    assert services.stakeholders.get(jonathan.id).role == "Chair"  # filled by the link
    stored = HeldRow.get(HeldRow.resolution == "linked")
    assert "Whitf" not in stored.values and stored.name == "" and stored.email == ""  # a keyed hash, no name
    pending = _pending()
    plan, import_id = run(path)
    assert [(e.row, e.action, e.record_id, e.how) for e in plan.entries][0] == (2, "match", jonathan.id,
                                                                                "linked before")
    assert [e.action for e in plan.entries][1:] == ["held", "held"]
    assert _pending() == pending  # the other two still wait, once; Jonathon is not held again
    assert Stakeholder.select().count() == 4 and plan.counts()["held"] == 2
    # the file comes back with another role: --on-match update changes the linked record, fill does not
    path.write_text("Name,Organisation,Role\nJonathon Whitfeld,Redbridge Youth Forum,Vice chair\n", encoding="utf-8")
    plan, _ = run(path)
    assert (plan.entries[0].action, plan.entries[0].changes) == ("match", {})
    plan, import_id = run(path, on_match="update")
    assert plan.entries[0].changes == {"role": ("Chair", "Vice chair")} and import_id is not None
    assert services.stakeholders.get(jonathan.id).role == "Vice chair" and Stakeholder.select().count() == 4


def test_the_link_is_only_for_that_name_and_organisation(db, tmp_path):
    (jonathan, _, _), path = doubtful_forum(tmp_path)
    _link_jonathon(path, jonathan, "later")
    path.write_text("Name,Organisation\nJonathon Whitfeld,Havering Youth Forum\nJonathan Whitfeld,"
                    "Redbridge Youth Forum\n", encoding="utf-8")
    plan, _ = run(path, dry_run=True)
    assert [(e.action, [c["id"] for c in e.candidates]) for e in plan.entries] == [
        ("held", [jonathan.id]), ("held", [jonathan.id])]  # another organisation, another spelling: doubtful


def test_a_link_decided_in_the_preview_is_forgotten_when_its_import_is_undone(db, tmp_path):
    (jonathan, _, _), path = doubtful_forum(tmp_path)
    _link_jonathon(path, jonathan, "in the preview")
    [run_id] = {h.__data__["run"] for h in HeldRow.select()}
    imports.undo_import(run_id)
    assert HeldRow.select().count() == 0 and services.stakeholders.get(jonathan.id).role in ("", None)
    plan, _ = run(path, dry_run=True)
    assert plan.entries[0].action == "held"


def test_erasing_the_linked_person_drops_the_link(db, tmp_path):
    (jonathan, _, _), path = doubtful_forum(tmp_path)
    _link_jonathon(path, jonathan, "later")
    privacy.erase(services.stakeholders.get(jonathan.id), source="request 7")
    assert HeldRow.select().where(HeldRow.resolution == "linked").count() == 0


def test_the_command_remembers_a_link(db, db_path, tmp_path):
    (jonathan, _, _), path = doubtful_forum(tmp_path)
    close_database()  # the commands run in their own processes
    code, data = tracker_json(db_path, "import-table", path, "--as", "stakeholders")
    assert code == 0 and [h["name"] for h in data["held"]] == ["Jonathon Whitfeld", "Margret Oyelaren",
                                                               "Olusegun Adebayoh"]
    code, held = tracker_json(db_path, "held")
    row_id = next(h["id"] for h in held["held"] if h["name"] == "Jonathon Whitfeld")
    code, _, err = tracker(db_path, "held", "resolve", row_id, "--link", jonathan.id)
    assert code == 0, err
    code, data = tracker_json(db_path, "import-table", path, "--as", "stakeholders", "--on-match", "update")
    assert code == 0 and [h["name"] for h in data["held"]] == ["Margret Oyelaren", "Olusegun Adebayoh"]
    assert (data["matched"], data["added"], data["import_id"]) == (1, 0, None)
    code, held = tracker_json(db_path, "held")
    assert sorted(h["name"] for h in held["held"]) == ["Margret Oyelaren", "Olusegun Adebayoh"]
    open_database(db_path)
    assert services.stakeholders.get(jonathan.id).role == "Chair" and Stakeholder.select().count() == 4


@needs_postgres
def test_a_link_is_remembered_on_postgres(tmp_path):
    fresh_postgres_database()
    try:
        for decided in ("later", "in the preview"):
            Stakeholder.delete().execute()
            HeldRow.delete().execute()
            (jonathan, _, _), path = doubtful_forum(tmp_path)
            _link_jonathon(path, jonathan, decided)
            plan, _ = run(path)
            assert (plan.entries[0].action, plan.entries[0].record_id) == ("match", jonathan.id), decided
            assert json.loads(HeldRow.get(HeldRow.resolution == "linked").values)["linked_as"]
    finally:
        close_database()

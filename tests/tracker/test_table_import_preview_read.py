"""A table import writes the matched people as its preview read them: a matched record changed or deleted
after the preview (in this process, or by another: a second ``tracker import-table``) refuses the whole
import, naming it, with nothing written; nothing changed, the import and its undo are as they were (the undo
snapshot the preview's read gives is what reading the records in the transaction gives)."""

import json

import pytest

from tracker import services
from tracker.db import close_database
from tracker.models import AuditEntry, ImportChange, ImportRun, Stakeholder, SyncState
from tracker.services import exchange, imports, tableimports
from tracker.tableimport import Cancelled, ImportRefused, Options, apply_plan, plan_import

from tests.tracker.postgres_helpers import fresh_postgres_database, needs_postgres
from tests.tracker.table_import_helpers import tracker

REFUSED = "by someone else after the preview; nothing was imported. Preview the file again."


@pytest.fixture
def held(db):
    return _people()


def _people():
    s = services.stakeholders
    school = s.create(name="Havering Primary", kind="organisation", sector="education")
    ann = s.create(name="Ann Oke", kind="person", email="ann@x.example", organisation=school)
    bob = s.create(name="Bob Lee", kind="person", email="bob@x.example", notes="Met at the summit")
    return school, ann, bob


def _file(tmp_path, name="partner.csv", rows=("Ann Oke,ann@x.example,020 7946 0001,",
                                                "Bob Lee,bob@x.example,,Chair", "Cat New,cat@x.example,,Clerk")):
    path = tmp_path / name
    path.write_text("Name,Email,Phone,Role\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _state():
    """Everything an import would change: the people (every column), audit, runs and their changes, sync states."""
    people = sorted(tuple(r.values()) for r in Stakeholder.select().dicts())
    return (people, AuditEntry.select().count(), ImportRun.select().count(), ImportChange.select().count(),
            sorted(SyncState.select().tuples()))


def _refused(plan, what):
    state = _state()
    with pytest.raises(ImportRefused) as refused:
        apply_plan(plan)
    assert what in str(refused.value) and REFUSED in str(refused.value), str(refused.value)
    assert _state() == state  # nothing written: no person added, none filled, no audit entry, no run
    return str(refused.value)


def test_a_match_changed_after_the_preview_refuses_the_import(held, tmp_path):
    _changed_after_the_preview(held, tmp_path)


def _changed_after_the_preview(held, tmp_path):
    _, ann, _ = held
    plan = plan_import(_file(tmp_path), Options())
    assert plan.counts()["updated"] == 2  # Ann's empty phone, Bob's empty role
    services.stakeholders.update(ann, phone="07700 900999")  # the very phone the import would fill
    message = _refused(plan, f"Ann Oke (ID {ann.id}), matched by row 2 of sheet")
    assert "was changed by someone else" in message
    assert services.stakeholders.get(ann.id).phone == "07700 900999"  # not overwritten
    assert not Stakeholder.select().where(Stakeholder.name == "Cat New").exists()


def test_a_match_changed_by_another_process_after_the_preview_refuses_the_import(held, tmp_path, db_path):
    _, ann, bob = held
    plan = plan_import(_file(tmp_path), Options())
    other = _file(tmp_path, "other.csv", ("Bob Lee,bob@x.example,020 7946 0999,",))  # another laptop's import
    code, out, err = tracker(db_path, "import-table", "--as", "stakeholders", other)
    assert code == 0, (out, err)
    assert services.stakeholders.get(bob.id).phone == "020 7946 0999"
    _refused(plan, f"Bob Lee (ID {bob.id}), matched by row 3 of sheet")
    assert services.stakeholders.get(bob.id).role == "" and services.stakeholders.get(ann.id).phone == ""


def test_a_match_deleted_after_the_preview_refuses_the_import(held, tmp_path):
    _, _, bob = held
    plan = plan_import(_file(tmp_path), Options())
    services.stakeholders.delete(bob)
    message = _refused(plan, f"Bob Lee (ID {bob.id}), matched by row 3 of sheet")
    assert "was deleted by someone else" in message


def test_a_matched_organisation_changed_after_the_preview_refuses_the_import(held, tmp_path):
    school, _, _ = held
    path = tmp_path / "orgs.csv"
    path.write_text("Organisation,Website\nHavering Primary,https://hp.example\n", encoding="utf-8")
    plan = plan_import(path, Options())
    assert [(e.kind, e.action, list(e.changes)) for e in plan.live()] == [("organisation", "match", ["website"])]
    services.stakeholders.update(school, website="https://havering-primary.example")
    _refused(plan, f"Havering Primary (ID {school.id}), matched by row 2 of sheet")


def test_an_export_after_the_preview_is_no_change_and_its_sync_state_is_what_undo_puts_back(held, tmp_path):
    _, ann, _ = held
    plan = plan_import(_file(tmp_path), Options())
    SyncState.create(record_uuid=ann.uuid, base="0" * 24, seen="")  # as an export marks it: no new version
    apply_plan(plan)
    change = ImportChange.get(ImportChange.record_uuid == ann.uuid.hex)
    assert change.sync_before == '["' + "0" * 24 + '", ""]'


def test_nothing_changed_the_import_and_its_undo_are_as_before(held, tmp_path):
    _nothing_changed(held, tmp_path)


@needs_postgres
def test_on_postgres_a_match_changed_refuses_and_nothing_changed_is_as_before(tmp_path):
    fresh_postgres_database()
    try:
        _changed_after_the_preview(_people(), tmp_path)
    finally:
        close_database()
    fresh_postgres_database()
    try:
        _nothing_changed(_people(), tmp_path)
    finally:
        close_database()


def _nothing_changed(held, tmp_path):
    _, ann, bob = held
    SyncState.create(record_uuid=bob.uuid, base="1" * 24, seen="2" * 24)
    plan = plan_import(_file(tmp_path), Options())
    expected = tableimports.snapshot("stakeholder", ids=[ann.id, bob.id])  # what the transaction would read
    content_before = exchange.load_records("stakeholder", ids=[ann.id, bob.id])
    import_id = apply_plan(plan)
    got = {c.record_uuid.hex: (json.loads(c.before), c.sync_before, c.version_after)
           for c in ImportChange.select().where(ImportChange.kind == "update")}
    wrote = {ann.uuid.hex: "phone", bob.uuid.hex: "role"}  # undo keeps only the fields the import wrote (schema 13)
    at = {name: i for i, (name, _, _) in enumerate(exchange.content_kinds("stakeholder"))}
    assert got == {h: ([v, {wrote[h]: values[at[wrote[h]]]}], '["%s", "%s"]' % sync if sync else None, v + 1)
                   for h, (v, values, sync) in expected.items()}
    assert got[ann.uuid.hex][0] == [1, {"phone": ""}] and got[bob.uuid.hex][0] == [1, {"role": ""}]
    after = {r.id: r for r in services.stakeholders.get_many([ann.id, bob.id]).values()}
    assert (after[ann.id].phone, after[ann.id].version, after[bob.id].role, after[bob.id].version) == (
        "020 7946 0001", 2, "Chair", 2)
    imports.undo_import(import_id)
    assert exchange.load_records("stakeholder", ids=[ann.id, bob.id])[0].keys() == content_before[0].keys()
    restored = exchange.load_records("stakeholder", ids=[ann.id, bob.id])
    assert {h: (r.values) for h, r in restored[0].items()} == {h: r.values for h, r in content_before[0].items()}
    assert restored[1] == content_before[1]
    assert not Stakeholder.select().where(Stakeholder.name == "Cat New", Stakeholder.deleted_at.is_null()).exists()


def test_an_import_cancelled_after_the_updates_can_be_applied_again_from_the_same_plan(held, tmp_path):
    _, ann, _ = held
    plan = plan_import(_file(tmp_path), Options())
    state = _state()
    with pytest.raises(Cancelled):  # after the matched records were written, in the transaction rolled back
        apply_plan(plan, lambda percent, text: percent < 99)
    assert _state() == state
    apply_plan(plan)  # the plan still holds the records as previewed: not refused as changed
    assert services.stakeholders.get(ann.id).phone == "020 7946 0001"


def test_a_record_matched_by_rows_of_two_kinds_is_not_refused_for_the_import_s_own_change(held, tmp_path):
    school, _, _ = held
    path = tmp_path / "both.csv"
    path.write_text("Name,Organisation,Website,Role\n,Havering Primary,https://hp.example,\nZed Row,,,Chair\n",
                    encoding="utf-8")
    plan = plan_import(path, Options())
    person = next(e for e in plan.entries if e.kind == "person")  # as a row linked in the preview to the school
    person.action, person.record_id, person.changes = "match", school.id, {"role": ("", "Chair")}
    apply_plan(plan)  # the school written as the person's match, then as the organisation's: the import's own
    got = services.stakeholders.get(school.id)
    assert (got.role, got.website, got.version) == ("Chair", "https://hp.example", 3)


def test_a_matched_action_or_commitment_changed_after_the_preview_refuses_the_import(db, tmp_path):
    """An action log's row matched by title fills the action's empty due date; the action's description edited
    by someone after the preview refuses the import (before, actions and commitments were read again at Import and
    a change since the preview went unseen); the same for a commitment matched by title and maker."""
    trust = services.stakeholders.create(name="Ben Kinsella Trust", kind="organisation", sector="voluntary")
    action = services.actions.create(title="Open two youth venues", description="")
    log = tmp_path / "log.csv"
    log.write_text("Action,Target date\nOpen two youth venues,31/03/2027\n", encoding="utf-8")
    plan = plan_import(log, Options(kind="actions"))
    assert [e.action for e in plan.entries] == ["match"] and "due_date" in plan.entries[0].changes
    services.actions.update(action, description="Agreed at the March board")
    message = _refused(plan, "Open two youth venues (ID")
    assert "row 2" in message and services.actions.get(action.id).due_date is None

    made = services.commitments.create(title="Run knife crime workshops in schools", made_by=trust)
    sheet = tmp_path / "commitments.csv"
    sheet.write_text("Partner,Commitment,Target date\nBen Kinsella Trust,Run knife crime workshops in schools,"
                     "30/09/2027\n", encoding="utf-8")
    plan = plan_import(sheet, Options(kind="commitments"))
    assert [e.action for e in plan.entries] == ["match"] and plan.entries[0].changes
    services.commitments.update(made, theme="knife_crime")
    _refused(plan, "Run knife crime workshops in schools (ID")
    apply_plan(plan_import(sheet, Options(kind="commitments")))  # previewed again: imported
    assert services.commitments.get(made.id).target_date is not None

"""Duplicates, "not a duplicate", merges and their undo, their upgrade steps and a merge arriving in an exchange
workbook, on a shared PostgreSQL server (what a partnership uses instead of a file).

Runs when TRACKER_TEST_POSTGRES names a database the tests may wipe (scripts/run-tests starts a local server
and sets it); each test starts from an empty schema.  The same behaviour on SQLite: test_duplicates,
test_merges, test_merge_exchange.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.tracker.exchange_helpers import council_db, snapshot
from tests.tracker.postgres_helpers import URL, fresh_postgres_database, needs_postgres
from tests.tracker.test_merges import _live_attendance, make_pair
from tracker import migrations, services
from tracker.dates import parse_uk_date
from tracker.db import close_database, database
from tracker.errors import TrackerError
from tracker.exchange import export_workbook, import_workbook
from tracker.models import (ActionItem, Attendance, AuditEntry, Commitment, ErasedIdentity, MergeRun, NotDuplicate,
                            Stakeholder, Update)
from tracker.opening import open_database
from tracker.services import duplicates, imports, merges, merging
from tracker.services.duplicates import find_duplicates

pytestmark = needs_postgres
SCHEMA_V5 = Path(__file__).parent.parent / "data" / "schema_v5_postgres.sql"


@pytest.fixture
def pg():
    yield fresh_postgres_database()
    close_database()


def _person(name, organisation=None, **more):
    return services.stakeholders.create(name=name, kind="person", sector="police", organisation=organisation, **more)


def _ids(groups):
    return [{r.id for r in g.records} for g in groups]


def test_find_duplicates_and_not_a_duplicate_on_postgres(pg):
    met = services.stakeholders.create(name="Metropolitan Police Service", kind="organisation", sector="police",
                                       councils=[services.councils.find("RED")])
    grace = _person("Grace Adeyemi", met, email="grace.adeyemi@met.police.uk")
    other_grace = _person("G Adeyemi-Jones", email="Grace.Adeyemi@MET.police.uk ")
    dan = _person("Daniel Okafor", met)
    dr_dan = _person("Dr Dan Okafor", met)
    _person("Someone Else", met, email="someone@met.police.uk")
    _person("Grace Adeyemi", services.stakeholders.create(name="Havering College", kind="organisation",
                                                          sector="education"), email="g.adeyemi@havering.ac.uk")
    groups = find_duplicates()
    assert sorted(_ids(groups), key=min) == [{grace.id, other_grace.id}, {dan.id, dr_dan.id}]
    by_pair = {frozenset(ids): g for ids, g in zip(_ids(groups), groups)}
    assert by_pair[frozenset({grace.id, other_grace.id})].reasons[0] == "same email"
    assert by_pair[frozenset({dan.id, dr_dan.id})].reasons == ("same name and organisation",)
    assert {r.uuid for r in by_pair[frozenset({dan.id, dr_dan.id})].records} == {str(dan.uuid), str(dr_dan.uuid)}
    assert _ids(find_duplicates(council="Redbridge")) == []  # only the organisation is Redbridge's
    duplicates.mark_not_duplicates(dan.id, dr_dan.id)
    duplicates.mark_not_duplicates(str(dr_dan.uuid), dan.id)  # again, the other way round: nothing new
    stored = [(str(p.first), str(p.second), p.user) for p in NotDuplicate.select()]
    assert stored == [(*sorted((str(dan.uuid), str(dr_dan.uuid))), "test user")]
    audited = AuditEntry.select().where(AuditEntry.operation == "not-duplicate")
    assert {(str(e.record_uuid), e.new_value) for e in audited} == {
        (str(dan.uuid), f"Dr Dan Okafor ({dr_dan.uuid})"), (str(dr_dan.uuid), f"Daniel Okafor ({dan.uuid})")}
    close_database()  # remembered on the server, not in this process
    open_database(URL)
    assert _ids(find_duplicates(min_score=0)) == [{grace.id, other_grace.id}]
    duplicates.forget_not_duplicates(dr_dan.id, dan.id)
    assert NotDuplicate.select().count() == 0
    assert {dan.id, dr_dan.id} in _ids(find_duplicates())


def test_merge_moves_every_link_on_postgres(pg):
    pair = make_pair()
    dan, daniel = pair["dan"], pair["daniel"]
    merge_id = merges.merge(dan.id, [daniel.id], take={"phone": daniel.id, "organisation": daniel.id,
                                                        "notes": "both", "tags": "both"})
    kept = Stakeholder.get_by_id(dan.id)
    assert (kept.name, kept.email, kept.phone) == ("Dan Okafor", "dan@met.uk", "020 7946 0000")
    assert kept.organisation_id == pair["org2"].id
    assert (kept.notes, kept.tags) == ("Met at summit\n\nPrefers phone", "youth, police, knife crime")
    assert sorted(c.name for c in services.stakeholders.councils_of(kept)) == ["Havering", "Redbridge"]
    assert kept.version == dan.version + 1
    retired = Stakeholder.get_by_id(daniel.id)
    assert retired.deleted_at is not None and retired.version == daniel.version + 1
    # attendance: the summit once, the forum moved (a new row with the derived ID), the panel's removed row back
    assert _live_attendance(kept) == [("Forum", "chair"), ("Panel", "delegate"), ("Summit", "delegate")]
    assert _live_attendance(retired) == []
    assert Attendance.select().where(Attendance.stakeholder == daniel.id).count() == 3  # kept deleted, for undo
    forum = Attendance.get(Attendance.stakeholder == dan.id, Attendance.event == pair["forum"].id)
    assert forum.uuid.hex == merging.attendance_id(pair["forum"].uuid.hex, dan.uuid.hex) and forum.version == 1
    assert Commitment.get_by_id(pair["commitment"].id).made_by_id == dan.id
    assert ActionItem.get_by_id(pair["action"].id).owner_id == dan.id
    assert Update.get_by_id(pair["update"].id).stakeholder_id == dan.id
    assert merges.merged_into(daniel.id) == (merge_id, dan.id, "Dan Okafor")
    assert merges.last_undoable_merge() == merge_id
    fields = {e.field: (e.old_value, e.new_value) for e in AuditEntry.select().where(
        AuditEntry.record_uuid == dan.uuid, AuditEntry.operation == "merge")}
    assert fields["phone"] == ("", "020 7946 0000") and fields["councils"] == ("Havering", "Havering; Redbridge")
    panel = services.attendance.attend(services.events.create(title="Debrief", kind="meeting",
                                                              date=dt.date(2019, 5, 1)), kept, "delegate")
    assert panel.id > forum.id  # the id sequence moved past the row the merge wrote in bulk
    # an organisation merge moves its members (PC Jones, and the kept person now in it)
    org_merge = merges.merge(pair["org"].id, [pair["org2"].id])
    assert Stakeholder.get_by_id(pair["member"].id).organisation_id == pair["org"].id
    assert Stakeholder.get_by_id(dan.id).organisation_id == pair["org"].id
    assert [r.id for r in MergeRun.select().order_by(MergeRun.id)] == [merge_id, org_merge]
    assert services.check() == []


def test_undo_merge_restores_exactly_on_postgres(pg):
    pair = make_pair()
    before = snapshot()
    merge_id = merges.merge(pair["dan"].id, [pair["daniel"].id], take={"notes": "both", "phone": pair["daniel"].id})
    assert snapshot() != before
    merges.undo_merge(merge_id)
    assert snapshot() == before  # every record's content and version, the merge's new attendance gone
    assert Stakeholder.get_by_id(pair["dan"].id).phone == ""
    assert Stakeholder.get_by_id(pair["daniel"].id).deleted_at is None
    assert merges.merged_into(pair["daniel"].id) is None and merges.last_undoable_merge() is None
    assert MergeRun.get_by_id(merge_id).undone_at is not None
    with pytest.raises(TrackerError, match="already undone"):
        merges.undo_merge(merge_id)
    again = merges.merge(pair["dan"].id, [pair["daniel"].id])  # the derived attendance ID is free again
    services.commitments.update(Commitment.get_by_id(pair["commitment"].id), title="Patrols at night")
    with pytest.raises(TrackerError, match="changed since.*Patrols at night"):
        merges.undo_merge(again)
    assert Stakeholder.get_by_id(pair["daniel"].id).deleted_at is not None
    assert services.check() == []


def _load_schema_5():
    """tests/data/schema_v5_postgres.sql (made by the app at schema 5 on PostgreSQL) into the emptied test database."""
    from playhouse.db_url import connect

    raw = connect(URL)
    raw.execute_sql("DROP SCHEMA public CASCADE")
    raw.execute_sql("CREATE SCHEMA public")
    raw.execute_sql(SCHEMA_V5.read_text(encoding="utf-8"))
    raw.close()


def test_a_schema_5_postgres_database_upgrades_finds_and_merges():
    _load_schema_5()
    try:
        db = open_database(URL)
        assert migrations.schema_version(db) == migrations.LATEST_VERSION
        tables = set(db.get_tables())
        assert {"erased_identity", "not_duplicate", "stakeholder_merge"} <= tables
        assert {"due_date_precision"} <= {c.name for c in db.get_columns("action_item")}
        assert {"target_date_precision"} <= {c.name for c in db.get_columns("commitment")}
        services.set_actor("Redbridge officer", "Redbridge")
        action = ActionItem.get(ActionItem.title == "Open two venues")  # its date kept, typed as a day (NULL)
        assert (action.due_date, action.due_date_precision) == (dt.date(2019, 6, 30), None)
        commitment = Commitment.get(Commitment.title == "Safe spaces after school")
        assert (commitment.target_date, commitment.target_date_precision) == (dt.date(2020, 3, 31), None)
        assert ErasedIdentity.select().count() == 0  # erased before the step: nothing left to hash
        [group] = find_duplicates()
        assert sorted(r.name for r in group.records) == ["Dan Okafor", "Daniel Okafor"]
        assert group.reasons == ("same name and organisation",)
        dan, daniel = (Stakeholder.get(Stakeholder.name == n) for n in ("Dan Okafor", "Daniel Okafor"))
        summit = services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16))
        services.attendance.attend(summit, dan, "delegate")
        before = snapshot()
        merge_id = merges.merge(daniel.id, [dan.id])
        assert ActionItem.get_by_id(action.id).owner_id == daniel.id
        assert Commitment.get_by_id(commitment.id).made_by_id == daniel.id
        assert _live_attendance(Stakeholder.get_by_id(daniel.id)) == [("Summit", "delegate")]
        merges.undo_merge(merge_id)
        assert snapshot() == before
        duplicates.mark_not_duplicates(dan.id, daniel.id)
        assert find_duplicates(min_score=0) == [] and NotDuplicate.select().count() == 1
        services.actions.update(ActionItem.get_by_id(action.id), due_date=parse_uk_date("Q3 2019", periods=True))
        assert ActionItem.get_by_id(action.id).due_date == parse_uk_date("Q3 2019", periods=True)
        assert db.execute_sql("SELECT due_date, due_date_precision FROM action_item WHERE id = %s",
                              (action.id,)).fetchone() == (dt.date(2019, 9, 30), "quarter")
        assert services.check() == []
    finally:
        close_database()


def test_a_merge_in_an_exchange_workbook_merges_on_postgres(tmp_path):
    """Havering (a file) merges; Redbridge (the shared server), which linked the retired record to more things
    meanwhile, imports the workbook: the same records merge there and its links move; undoing the import undoes it."""
    hav = tmp_path / "hav.db"
    with council_db(hav, "Havering"):
        havering = services.councils.find("HAV")
        for name in ("Dan Okafor", "Daniel Okafor"):
            services.stakeholders.create(name=name, kind="person", email=f"{name.split()[0].lower()}@example.org",
                                         councils=[havering])
        summit = services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16))
        services.attendance.attend(summit, Stakeholder.get(Stakeholder.name == "Daniel Okafor"), "speaker")
        export_workbook(tmp_path / "first.xlsx")
    try:
        fresh_postgres_database()
        services.set_actor("Redbridge officer", "Redbridge")
        assert import_workbook(tmp_path / "first.xlsx").added == 4
        daniel = Stakeholder.get(Stakeholder.name == "Daniel Okafor")
        forum = services.events.create(title="Forum", kind="meeting", date=dt.date(2019, 3, 1))
        services.attendance.attend(forum, daniel, "chair")
        services.updates.add(daniel, "Met at the forum", date=dt.date(2019, 3, 1))
        services.actions.create(title="Invite to the panel", owner=daniel)
        before = snapshot()
        close_database()
        with council_db(hav, "Havering"):
            merges.merge(Stakeholder.get(Stakeholder.name == "Dan Okafor").id,
                         [Stakeholder.get(Stakeholder.name == "Daniel Okafor").id],
                         take={"email": Stakeholder.get(Stakeholder.name == "Daniel Okafor").id})
            export_workbook(tmp_path / "merged.xlsx")
        open_database(URL)
        services.set_actor("Redbridge officer", "Redbridge")
        report = import_workbook(tmp_path / "merged.xlsx")
        assert (report.merges, report.conflicts) == (1, 0)
        dan, daniel = (Stakeholder.get(Stakeholder.name == n) for n in ("Dan Okafor", "Daniel Okafor"))
        assert dan.deleted_at is None and dan.email == "daniel@example.org"
        assert daniel.deleted_at is not None
        assert _live_attendance(dan) == [("Forum", "chair"), ("Summit", "speaker")]
        assert _live_attendance(daniel) == []
        assert [(u.text, u.stakeholder_id) for u in Update.select()] == [("Met at the forum", dan.id)]
        assert [(a.title, a.owner_id) for a in ActionItem.select()] == [("Invite to the panel", dan.id)]
        received = MergeRun.get()
        assert received.source.startswith("merged.xlsx") and received.council == "Havering"
        assert received.kept_uuid == dan.uuid and merges.merged_into(daniel.id) == (received.id, dan.id, "Dan Okafor")
        with pytest.raises(TrackerError, match="came from merged.xlsx"):
            merges.undo_merge(received.id)
        assert services.check() == []
        again = import_workbook(tmp_path / "merged.xlsx")
        assert again.merges == 0 and again.import_id is None
        imports.undo_import(report.import_id)
        assert snapshot() == before and MergeRun.select().count() == 0
    finally:
        close_database()
        assert database.obj is None


def test_the_commands_on_postgres(pg, capsys):
    """tracker duplicates / not-duplicates / merge / undo-merge with --db naming the server."""
    from tracker.cli import main

    dan = _person("Daniel Okafor", email="daniel.okafor@met.police.uk", notes="Met at summit")
    dan2 = _person("Dan OKAFOR", email="Daniel.Okafor@met.police.uk", phone="020 7946 0000")
    grace, grace2 = _person("Grace Adeyemi"), _person("Grace Adeyemi")
    services.attendance.attend(services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16)),
                               dan2, "speaker")
    close_database()
    try:
        assert main(["duplicates", "--db", URL, "--json"]) == 0
        groups = json.loads(capsys.readouterr().out)["groups"]
        assert [sorted(r["number"] for r in g["records"]) for g in groups] == [[dan.id, dan2.id], [grace.id, grace2.id]]
        assert groups[0]["reasons"][0] == "same email"
        assert main(["not-duplicates", "--db", URL, str(grace.uuid), str(grace2.id)]) == 0
        assert main(["merge", "--db", URL, str(dan.id), str(dan2.uuid), "--take", f"phone={dan2.id}"]) == 0
        assert "Nothing was changed" in capsys.readouterr().out
        assert main(["merge", "--db", URL, str(dan.id), str(dan2.uuid), "--take", f"phone={dan2.id}", "--yes"]) == 0
        assert "Merged 1 record(s) into 'Daniel Okafor' (merge 1)" in capsys.readouterr().out
        open_database(URL)
        assert Stakeholder.get_by_id(dan.id).phone == "020 7946 0000"
        assert Stakeholder.get_by_id(dan2.id).deleted_at is not None
        assert _live_attendance(Stakeholder.get_by_id(dan.id)) == [("Summit", "speaker")]
        assert [(str(p.first), str(p.second)) for p in NotDuplicate.select()] == [
            tuple(sorted((str(grace.uuid), str(grace2.uuid))))]
        close_database()
        assert main(["duplicates", "--db", URL, "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"groups": []}
        assert main(["undo-merge", "--db", URL, "1"]) == 0
        assert "Merge 1 was undone" in capsys.readouterr().out
        open_database(URL)
        assert Stakeholder.get_by_id(dan2.id).deleted_at is None and Stakeholder.get_by_id(dan.id).phone == ""
    finally:
        close_database()

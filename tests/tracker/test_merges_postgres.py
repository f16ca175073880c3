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
from tracker.errors import StaleEditError, TrackerError
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


def test_preview_refusals_and_restore_on_postgres(pg):
    pair = make_pair()
    dan, daniel = pair["dan"], pair["daniel"]
    preview = merges.preview_merge(dan.id, [daniel.id], take={"phone": daniel.id, "tags": "both"})
    by_name = {f.name: f for f in preview.fields}
    assert by_name["organisation"].shown == {dan.id: "Met Police", daniel.id: "Metropolitan Police Service"}
    assert preview.result["phone"] == "020 7946 0000" and preview.result["tags"] == "youth, police, knife crime"
    assert preview.links[daniel.id] == {"Attendance": 3, "Commitments": 1, "Actions owned": 1, "Members": 0,
                                        "Updates": 1}
    before = snapshot()
    with pytest.raises(TrackerError, match="never merged with an organisation"):
        merges.merge(dan.id, [pair["org"].id])
    assert snapshot() == before and MergeRun.select().count() == 0
    merges.merge(dan.id, [daniel.id])
    with pytest.raises(TrackerError, match="merged into 'Dan Okafor'.*Undo merge"):
        services.stakeholders.restore(Stakeholder.get_by_id(daniel.id))
    with pytest.raises(TrackerError, match=r"deleted \(it was merged into another record\)"):
        merges.merge(pair["member"].id, [daniel.id])


def test_a_merge_made_on_postgres_travels_to_a_file(tmp_path):
    """The other way: Redbridge (the server) merges and says a pair is not a duplicate, exports; Havering (a file)
    imports and the same records merge there, the pair remembered; the merge cannot be undone on the server now."""
    try:
        fresh_postgres_database()
        services.set_actor("Redbridge officer", "Redbridge")
        dan, daniel = _person("Dan Okafor", email="dan@example.org"), _person("Daniel Okafor")
        grace, grace2 = _person("Grace Adeyemi"), _person("Grace Adeyemi")
        services.actions.create(title="Invite to the panel", owner=daniel)
        export_workbook(tmp_path / "first.xlsx")
        merge_id = merges.merge(dan.id, [daniel.id])
        duplicates.mark_not_duplicates(grace.id, grace2.id)
        export_workbook(tmp_path / "merged.xlsx")
        with pytest.raises(TrackerError, match="exported"):
            merges.undo_merge(merge_id)
        assert MergeRun.get_by_id(merge_id).exported_at is not None
        close_database()
        with council_db(tmp_path / "hav.db", "Havering"):
            assert import_workbook(tmp_path / "first.xlsx").added == 5
            assert len(find_duplicates()) == 2
            report = import_workbook(tmp_path / "merged.xlsx")
            assert report.merges == 1
            kept, retired = (Stakeholder.get(Stakeholder.uuid == r.uuid) for r in (dan, daniel))
            assert kept.deleted_at is None and retired.deleted_at is not None
            assert [(a.title, a.owner_id) for a in ActionItem.select()] == [("Invite to the panel", kept.id)]
            assert [(str(p.first), str(p.second)) for p in NotDuplicate.select()] == [
                tuple(sorted((str(grace.uuid), str(grace2.uuid))))]
            assert find_duplicates(min_score=0) == []
            assert services.check() == []
    finally:
        close_database()


def test_a_link_another_user_is_writing_meanwhile_moves_too(pg):
    """On a shared server, another officer's transaction adding an update on the record being retired, not yet
    committed when the merge starts: the merge waits for it (the records' rows are locked before they are read),
    then moves that update too, instead of leaving it, live, on the retired record."""
    import threading

    import psycopg2

    pair = make_pair()
    dan, daniel = pair["dan"], pair["daniel"]
    other = psycopg2.connect(URL)
    try:
        with other.cursor() as cur:  # (psycopg2 opens a transaction: the insert's foreign key check holds the row)
            cur.execute("INSERT INTO record_update (uuid, created_at, updated_at, version, stakeholder_id, date, text, "
                        "author) SELECT gen_random_uuid(), now(), now(), 1, %s, date, 'Written meanwhile', author "
                        "FROM record_update LIMIT 1", (daniel.id,))
        done, failed = [], []

        def merge_in_thread():
            try:  # (peewee gives the thread its own connection to the server)
                done.append(merges.merge(dan.id, [daniel.id]))
            except Exception as exc:  # (reported below)
                failed.append(exc)
            finally:
                database.obj.close()

        thread = threading.Thread(target=merge_in_thread)
        thread.start()
        watch = psycopg2.connect(URL)  # (its own connection: a transaction sees pg_stat_activity as it first read it)
        watch.autocommit = True
        try:
            with watch.cursor() as cur:  # wait for the merge to wait on the other transaction's row lock
                for _ in range(100_000):
                    cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                "AND wait_event_type = 'Lock'")
                    if cur.fetchone()[0] or not thread.is_alive():
                        break
        finally:
            watch.close()
        other.commit()
        thread.join(30)
    finally:
        other.close()
    assert not thread.is_alive() and failed == [] and len(done) == 1
    assert sorted((u.text, u.stakeholder_id) for u in Update.select().where(Update.deleted_at.is_null())) == [
        ("Called him", dan.id), ("Written meanwhile", dan.id)]
    assert Stakeholder.get_by_id(daniel.id).deleted_at is not None


def test_a_record_another_user_changes_while_the_merge_writes_refuses_it(pg, monkeypatch):
    """Another officer saves the commitment the merge is moving between its reading and its writing: nothing
    changes, and the refusal speaks of the merge (it said "while the import ran; nothing was imported")."""
    import psycopg2

    pair = make_pair()
    before = snapshot()
    write = merging.write

    def meanwhile(*args):
        other = psycopg2.connect(URL)
        with other, other.cursor() as cur:
            cur.execute("UPDATE commitment SET title = 'Patrols at night', version = version + 1 WHERE id = %s",
                        (pair["commitment"].id,))
        other.close()
        return write(*args)

    monkeypatch.setattr(merging, "write", meanwhile)
    with pytest.raises(StaleEditError, match=r"^The merge was not made: someone else changed one of its records "
                                             r"while it ran; nothing was changed\. Try again\.$"):
        merges.merge(pair["dan"].id, [pair["daniel"].id])
    assert Commitment.get_by_id(pair["commitment"].id).title == "Patrols at night"  # only the other user's edit
    services.commitments.update(Commitment.get_by_id(pair["commitment"].id), title="Patrols")
    after = snapshot()
    assert after["stakeholder"] == before["stakeholder"] and after["attendance"] == before["attendance"]
    assert Commitment.get_by_id(pair["commitment"].id).made_by_id == pair["daniel"].id
    assert MergeRun.select().count() == 0 and Stakeholder.get_by_id(pair["daniel"].id).deleted_at is None

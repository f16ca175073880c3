"""Merging duplicate stakeholders: preview, merge (every kind of link moves), undo, refusals."""

import datetime as dt

import pytest

from tests.tracker.exchange_helpers import snapshot
from tracker import changes, services
from tracker.errors import TrackerError
from tracker.models import ActionItem, Attendance, AuditEntry, Commitment, MergeRun, Stakeholder, Update
from tracker.services import merges, merging


@pytest.fixture
def pair(db):
    return make_pair()


def make_pair():
    """Two people who are one ("Dan Okafor" twice), each with links; an organisation each belongs to
    (also made on PostgreSQL by test_merges_postgres)."""
    hav, red = services.councils.find("HAV"), services.councils.find("RED")
    org = services.stakeholders.create(name="Met Police", kind="organisation", sector="police", councils=[hav])
    org2 = services.stakeholders.create(name="Metropolitan Police Service", kind="organisation", sector="police",
                                        councils=[red])
    dan = services.stakeholders.create(name="Dan Okafor", kind="person", organisation=org, email="dan@met.uk",
                                       tags="youth, police", notes="Met at summit", councils=[hav])
    daniel = services.stakeholders.create(name="Daniel Okafor", kind="person", organisation=org2,
                                          phone="020 7946 0000", tags="Police, knife crime", notes="Prefers phone",
                                          councils=[red])
    summit = services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16))
    forum = services.events.create(title="Forum", kind="meeting", date=dt.date(2019, 3, 1))
    panel = services.events.create(title="Panel", kind="meeting", date=dt.date(2019, 4, 1))
    services.attendance.attend(summit, dan, "delegate")
    services.attendance.attend(summit, daniel, "speaker")  # both at the summit: must not double
    services.attendance.attend(forum, daniel, "chair")
    gone = services.attendance.attend(panel, dan, "delegate")
    services.attendance.delete(gone)  # the kept one's removed attendance; the other's is live
    services.attendance.attend(panel, daniel, "delegate")
    commitment = services.commitments.create(title="Patrols", made_by=daniel, date_made=dt.date(2019, 1, 16))
    action = services.actions.create(title="Map hotspots", owner=daniel)
    update = services.updates.add(daniel, "Called him", date=dt.date(2019, 2, 1))
    member = services.stakeholders.create(name="PC Jones", kind="person", organisation=org2)
    return {"dan": dan, "daniel": daniel, "org": org, "org2": org2, "summit": summit, "forum": forum,
            "panel": panel, "commitment": commitment, "action": action, "update": update, "member": member}


def _live_attendance(stakeholder):
    return sorted((a.event.title, a.role) for a in Attendance.select().where(
        Attendance.stakeholder == stakeholder.id, Attendance.deleted_at.is_null()))


def test_preview_shows_fields_side_by_side_with_differences_and_links(pair):
    dan, daniel = pair["dan"], pair["daniel"]
    preview = merges.preview_merge(dan.id, [daniel.id])
    by_name = {f.name: f for f in preview.fields}
    assert by_name["name"].shown == {dan.id: "Dan Okafor", daniel.id: "Daniel Okafor"}
    assert by_name["name"].differs and not by_name["name"].combinable
    assert by_name["organisation"].shown == {dan.id: "Met Police", daniel.id: "Metropolitan Police Service"}
    assert by_name["phone"].shown == {dan.id: "", daniel.id: "020 7946 0000"}
    assert not by_name["sector"].differs
    assert by_name["notes"].combinable and by_name["tags"].combinable
    assert by_name["name"].default == dan.id
    assert preview.links[dan.id] == {"Attendance": 1, "Commitments": 0, "Actions owned": 0, "Members": 0,
                                     "Updates": 0}
    assert preview.links[daniel.id] == {"Attendance": 3, "Commitments": 1, "Actions owned": 1, "Members": 0,
                                        "Updates": 1}
    preview = merges.preview_merge(dan.id, [daniel.id], take={"phone": daniel.id, "tags": "both"})
    assert preview.result["phone"] == "020 7946 0000"
    assert preview.result["tags"] == "youth, police, knife crime"
    assert preview.result["name"] == "Dan Okafor"
    assert Stakeholder.get_by_id(daniel.id).deleted_at is None  # a preview changes nothing


def test_merge_moves_every_link_and_takes_chosen_values(pair):
    dan, daniel = pair["dan"], pair["daniel"]
    seen = []
    changes.changed.connect(seen.append)
    try:
        merge_id = merges.merge(dan.id, [daniel.id], take={"phone": daniel.id, "organisation": daniel.id,
                                                            "notes": "both", "tags": "both"})
    finally:
        changes.changed.disconnect(seen.append)
    kept = Stakeholder.get_by_id(dan.id)
    assert (kept.name, kept.email, kept.phone) == ("Dan Okafor", "dan@met.uk", "020 7946 0000")
    assert kept.organisation_id == pair["org2"].id
    assert kept.notes == "Met at summit\n\nPrefers phone"
    assert kept.tags == "youth, police, knife crime"
    assert sorted(c.name for c in services.stakeholders.councils_of(kept)) == ["Havering", "Redbridge"]
    assert kept.version == dan.version + 1
    retired = Stakeholder.get_by_id(daniel.id)
    assert retired.deleted_at is not None
    # attendance: the summit once (the kept one's row), the forum moved, the panel's removed row brought back
    assert _live_attendance(kept) == [("Forum", "chair"), ("Panel", "delegate"), ("Summit", "delegate")]
    assert _live_attendance(retired) == []
    # the retired one's attendance stays with it, deleted (for undo); the forum's is a new one of the kept record
    assert Attendance.select().where(Attendance.stakeholder == daniel.id).count() == 3
    forum = Attendance.get(Attendance.stakeholder == dan.id, Attendance.event == pair["forum"].id)
    assert forum.uuid.hex == merging.attendance_id(pair["forum"].uuid.hex, dan.uuid.hex)
    assert Commitment.get_by_id(pair["commitment"].id).made_by_id == dan.id
    assert ActionItem.get_by_id(pair["action"].id).owner_id == dan.id
    assert Update.get_by_id(pair["update"].id).stakeholder_id == dan.id
    assert merges.merged_into(daniel.id) == (merge_id, dan.id, "Dan Okafor")
    assert merges.merged_into(dan.id) is None
    # audited field by field, and announced once
    entries = AuditEntry.select().where(AuditEntry.record_uuid == dan.uuid, AuditEntry.operation == "merge")
    fields = {e.field: (e.old_value, e.new_value) for e in entries}
    assert fields["phone"] == ("", "020 7946 0000")
    assert fields["councils"] == ("Havering", "Havering; Redbridge")
    retired_entries = AuditEntry.select().where(AuditEntry.record_uuid == daniel.uuid, AuditEntry.field == "")
    assert any("merged into 'Dan Okafor'" in (e.new_value or "") for e in retired_entries)
    assert len(seen) == 1 and ("stakeholder", daniel.id) in seen[0].deleted
    assert ("stakeholder", dan.id) in seen[0].updated and ("commitment", pair["commitment"].id) in seen[0].updated
    assert services.check() == []


def test_merging_organisations_moves_members(pair):
    org, org2, member = pair["org"], pair["org2"], pair["member"]
    merges.merge(org.id, [org2.id])
    assert Stakeholder.get_by_id(member.id).organisation_id == org.id
    assert Stakeholder.get_by_id(pair["daniel"].id).organisation_id == org.id
    assert services.check() == []


def test_three_records_into_one(pair):
    third = services.stakeholders.create(name="D. Okafor", kind="person", email="d.okafor@example.org")
    services.attendance.attend(pair["forum"], third, "delegate")  # the forum, as the second one did
    merges.merge(pair["dan"].id, [pair["daniel"].id, third.id], take={"email": third.id})
    kept = Stakeholder.get_by_id(pair["dan"].id)
    assert kept.email == "d.okafor@example.org"
    assert _live_attendance(kept) == [("Forum", "chair"), ("Panel", "delegate"), ("Summit", "delegate")]
    assert Stakeholder.get_by_id(third.id).deleted_at is not None


def test_undo_restores_exactly(pair, db_path):
    before = snapshot()
    merge_id = merges.merge(pair["dan"].id, [pair["daniel"].id], take={"notes": "both", "phone": pair["daniel"].id})
    assert merges.last_undoable_merge() == merge_id
    merges.undo_merge(merge_id)
    assert snapshot() == before
    assert Stakeholder.get_by_id(pair["dan"].id).version == pair["dan"].version
    assert merges.merged_into(pair["daniel"].id) is None
    assert merges.last_undoable_merge() is None
    with pytest.raises(TrackerError, match="already undone"):
        merges.undo_merge(merge_id)


def test_undo_refused_after_a_later_edit(pair):
    merge_id = merges.merge(pair["dan"].id, [pair["daniel"].id])
    services.commitments.update(pair["commitment"], title="Patrols at night")
    with pytest.raises(TrackerError, match="changed since.*Patrols at night"):
        merges.undo_merge(merge_id)
    assert Stakeholder.get_by_id(pair["daniel"].id).deleted_at is not None  # nothing changed


def test_undo_refused_once_exported(pair, tmp_path):
    from tracker.exchange import export_workbook

    merge_id = merges.merge(pair["dan"].id, [pair["daniel"].id])
    export_workbook(tmp_path / "out.xlsx")
    with pytest.raises(TrackerError, match="exported"):
        merges.undo_merge(merge_id)
    assert merges.last_undoable_merge() is None


def test_retired_record_is_not_restored_on_its_own(pair):
    merges.merge(pair["dan"].id, [pair["daniel"].id])
    retired = Stakeholder.get_by_id(pair["daniel"].id)
    with pytest.raises(TrackerError, match="merged into 'Dan Okafor'.*Undo merge"):
        services.stakeholders.restore(retired)
    assert Stakeholder.get_by_id(retired.id).deleted_at is not None
    other = services.stakeholders.create(name="Someone", kind="person")
    services.stakeholders.delete(other)
    assert services.stakeholders.restore(other).deleted_at is None  # an ordinary deletion still restores


@pytest.mark.parametrize("case, message", [
    ("self", "itself"),
    ("person_org", "never merged with an organisation"),
    ("erased", "erased"),
    ("retired", "deleted"),
    ("none", "at least one"),
    ("bad_field", "not a field"),
    ("bad_both", "Only notes and tags"),
    ("bad_record", "not one of those being merged"),
])
def test_refused(pair, case, message):
    dan, daniel = pair["dan"], pair["daniel"]
    if case == "erased":
        services.privacy.erase(daniel)
    if case == "retired":
        merges.merge(dan.id, [daniel.id])
        dan = services.stakeholders.create(name="Dan O", kind="person")
    before = snapshot()
    args = {
        "self": (dan.id, [dan.id]), "person_org": (dan.id, [pair["org"].id]), "erased": (dan.id, [daniel.id]),
        "retired": (dan.id, [daniel.id]), "none": (dan.id, []),
        "bad_field": (dan.id, [daniel.id], {"uuid": daniel.id}),
        "bad_both": (dan.id, [daniel.id], {"name": "both"}),
        "bad_record": (dan.id, [daniel.id], {"name": pair["member"].id}),
    }[case]
    with pytest.raises(TrackerError, match=message):
        merges.preview_merge(*args)
    with pytest.raises(TrackerError, match=message):
        merges.merge(*args)
    assert snapshot() == before
    assert MergeRun.select().count() == (1 if case == "retired" else 0)


# ---- the command -----------------------------------------------------------------------------------------
def _cli(capsys, *argv):
    from tracker.cli import main
    from tracker.opening import open_database

    code = main(list(argv))
    out, err = capsys.readouterr()
    open_database(argv[1])  # main closes the database when it is done; the test reads it again
    return code, out, err


def _made(db_path):
    """Dan and Daniel, in a database file the command then opens."""
    from tracker.db import close_database
    from tracker.opening import open_database

    open_database(db_path, create=True)
    dan = services.stakeholders.create(name="Dan Okafor", kind="person", email="dan@met.uk", notes="Met at summit")
    daniel = services.stakeholders.create(name="Daniel Okafor", kind="person", phone="020 7946 0000",
                                          notes="Prefers phone")
    event = services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16))
    services.attendance.attend(event, daniel, "speaker")
    close_database()
    return dan, daniel


def test_cli_merge_shows_then_merges_then_undoes(db_path, capsys):
    dan, daniel = _made(db_path)
    db = str(db_path)
    code, out, err = _cli(capsys, "--db", db, "merge", str(dan.id), str(daniel.uuid), "--take", "phone=" + str(daniel.id),
                          "--take", "Notes=both")
    assert code == 0 and err == ""
    assert "Phone: " in out and "'020 7946 0000' (from" in out and "Nothing was changed" in out
    assert "'Met at summit\\n\\nPrefers phone' (both, joined)" in out
    assert f"{daniel.id} links (moves to the kept record): Attendance 1" in out
    assert Stakeholder.get_by_id(daniel.id).deleted_at is None and MergeRun.select().count() == 0
    code, out, err = _cli(capsys, "--db", db, "merge", str(dan.uuid), str(daniel.id), "--take", "phone=" + str(daniel.id),
                          "--yes")
    assert code == 0 and "Merged 1 record(s) into 'Dan Okafor' (merge 1)" in out
    assert Stakeholder.get_by_id(dan.id).phone == "020 7946 0000"
    assert Stakeholder.get_by_id(daniel.id).deleted_at is not None
    code, out, _ = _cli(capsys, "--db", db, "merges")
    assert code == 0 and "kept 'Dan Okafor'" in out and "can be undone" in out
    code, out, _ = _cli(capsys, "--db", db, "undo-merge", "1")
    assert code == 0 and "Merge 1 was undone" in out
    assert Stakeholder.get_by_id(daniel.id).deleted_at is None and Stakeholder.get_by_id(dan.id).phone == ""
    code, out, err = _cli(capsys, "--db", db, "undo-merge", "1")
    assert code == 1 and err.startswith("tracker: Merge 1 was already undone") and err.count("\n") == 1


@pytest.mark.parametrize("argv, code, message", [
    (("merge", "{dan}", "{dan}"), 1, "cannot be merged with itself"),
    (("merge", "{dan}", "999"), 1, "No stakeholder with ID 999"),
    (("merge", "{dan}", "not-an-id"), 1, "is not a stakeholder's ID"),
    (("merge", "{dan}", "{daniel}", "--take", "phone"), 2, "is not FIELD=ID"),
    (("merge", "{dan}", "{daniel}", "--take", "colour={daniel}"), 1, "'colour' is not a field"),
    (("merge", "{dan}"), 2, "required"),
    (("undo-merge", "7"), 1, "There is no merge with ID 7"),
])
def test_cli_refusals(db_path, capsys, argv, code, message):
    dan, daniel = _made(db_path)
    argv = [a.format(dan=dan.id, daniel=daniel.id) for a in argv]
    from tracker.cli import main

    with pytest.raises(SystemExit) if code == 2 else _no_raise() as caught:
        got = main(["--db", str(db_path), *argv])
    _, err = capsys.readouterr()
    assert (caught.value.code if code == 2 else got) == code
    assert message in err and "Traceback" not in err


class _no_raise:
    value = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_schema_5_database_upgrades_and_merges(tmp_path):
    """tests/data/schema_v5_duplicates.sql (shared with the duplicates review's upgrade test): Redbridge CVS, Daniel
    and Dan Okafor in it."""
    import sqlite3
    from pathlib import Path

    from tracker import migrations
    from tracker.db import database
    from tracker.opening import open_database

    path = tmp_path / "v5.db"
    con = sqlite3.connect(path)
    con.executescript((Path(__file__).parent.parent / "data" / "schema_v5_duplicates.sql").read_text(encoding="utf-8"))
    con.close()
    open_database(path)
    assert migrations.schema_version(database.obj) >= 6 and migrations.schema_version(database.obj) == \
        migrations.LATEST_VERSION
    assert "stakeholder_merge" in database.obj.get_tables()
    services.set_actor("Redbridge officer", "Redbridge")
    dan, daniel = (services.stakeholders.find_by_name(n)[0] for n in ("Dan Okafor", "Daniel Okafor"))
    assert daniel.email == "daniel@redbridgecvs.org.uk" and dan.organisation.name == "Redbridge CVS"
    summit = services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16))
    services.attendance.attend(summit, dan, "delegate")
    merge_id = merges.merge(daniel.id, [dan.id])
    assert Stakeholder.get_by_id(daniel.id).email == "daniel@redbridgecvs.org.uk"
    assert _live_attendance(Stakeholder.get_by_id(daniel.id)) == [("Summit", "delegate")]
    merges.undo_merge(merge_id)
    assert _live_attendance(Stakeholder.get_by_id(dan.id)) == [("Summit", "delegate")]
    assert services.check() == []


def test_what_a_page_of_retired_records_was_merged_into_is_two_queries(pair):
    """Deleted items' "merged into" column: the whole batch's merges and kept names in two queries, not a
    lookup per row; undone merges and live or plainly deleted records give nothing."""
    from playhouse.test_utils import count_queries

    hav = services.councils.find("HAV")
    kept = services.stakeholders.create(name="Ava Clarke", kind="person", councils=[hav])
    retired = [services.stakeholders.create(name=f"A. Clarke {i}", kind="person", councils=[hav]) for i in range(3)]
    first = merges.merge(kept.id, [retired[0].id])
    merges.merge(kept.id, [r.id for r in retired[1:]])
    merges.undo_merge(merges.last_undoable_merge())  # the second merge is undone: those two are live again
    plain = services.stakeholders.create(name="Gone", kind="person", councils=[hav])
    services.stakeholders.delete(plain)
    rows = [Stakeholder.get_by_id(s.id) for s in (*retired, plain, kept)]
    with count_queries() as counter:
        found = merges.merged_into_many(rows)
    assert counter.count == 2
    assert found == {retired[0].id: (first, kept.id, "Ava Clarke")}
    assert merges.merged_into(retired[0].id) == (first, kept.id, "Ava Clarke")
    assert merges.merged_into(retired[1].id) is None and merges.merged_into(plain.id) is None

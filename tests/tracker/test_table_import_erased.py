"""People erased on request are never re-created or re-filled by a table import: the keyed hashes
kept at erasure (here, or when an erasure arrives from another council), what the preview says,
and the schema step that adds them."""

import hashlib
import json
import sqlite3
from pathlib import Path

from tracker import migrations, services
from tracker.db import close_database, database
from tracker.models import ErasedIdentity, HeldRow, Meta, Stakeholder
from tracker.opening import open_database
from tracker.services import privacy
from tracker.services.erasures import SECRET_KEY

from tests.tracker.postgres_helpers import fresh_postgres_database, needs_postgres
from tests.tracker.table_import_helpers import run, tracker_json, workbook


def _erased_gill():
    s = services.stakeholders
    college = s.create(name="Havering Sixth Form College", kind="organisation", sector="education")
    gill = s.create(name="Daniel Gone", kind="person", sector="education", organisation=college,
                    email="Dan.Gone@College.example", role="Head of year")
    privacy.erase(gill, source="request 12")
    return college


def test_an_erased_person_is_neither_re_created_nor_re_filled(db, tmp_path):
    college = _erased_gill()
    rows = [["Name", "Organisation", "Email", "Phone"],
            ["Someone", "Other Org", "dan.gone@college.example ", "020 7946 0001"],  # the email, another case
            ["Dr Dan Gone", "Havering Sixth Form College", "", "020 7946 0002"],  # nickname, title: same key
            ["Dan Gone", "Havering Sixth Form College", "", ""],  # signed in twice
            ["Dan Gone", "Redbridge Mosque", "dan@mosque.example", ""]]  # the same name elsewhere: someone else
    path = workbook(tmp_path / "list.xlsx", {"S": rows})
    before = {s.id: (s.name, s.email, s.phone, s.version) for s in Stakeholder.select()}
    plan, import_id = run(path)
    data = plan.as_json(import_id)
    assert [(r["row"], r["action"], r["record_id"], r.get("note")) for r in data["records"]] == [
        (2, "erased", None, "erased on request: not imported"), (3, "erased", None, "erased on request: not imported"),
        (4, "erased", None, "erased on request: not imported"), (5, "add", None, None)]
    assert data["erased"] == [{"sheet": "S", "row": r} for r in (2, 3, 4)]
    after = {s.id: (s.name, s.email, s.phone, s.version) for s in Stakeholder.select()}
    assert {k: v for k, v in after.items() if k in before} == before  # the tombstone is untouched
    new = [after[k] for k in after.keys() - before.keys()]
    assert sorted(n[:2] for n in new) == [("Dan Gone", "dan@mosque.example"), ("Redbridge Mosque", "")]
    assert "Other Org" not in {s.name for s in Stakeholder.select()}  # an erased row's organisation waits with it
    assert college.members.count() == 0  # nobody linked to the college again (the tombstone keeps no link)


def test_the_hashes_are_keyed_by_a_secret_of_the_database(db, tmp_path):
    _erased_gill()
    digests = {d.digest for d in ErasedIdentity.select()}
    assert len(digests) == 2  # the email, and the name with the organisation
    plain = hashlib.sha256(b"dan.gone@college.example").hexdigest()
    assert plain not in digests and all(len(d) == 64 for d in digests)
    secret = Meta.get(Meta.key == SECRET_KEY).value
    assert len(bytes.fromhex(secret)) == 32
    close_database()
    open_database(tmp_path / "other.db", create=True)
    _erased_gill()  # the same person erased in another database: other hashes, another secret
    assert Meta.get(Meta.key == SECRET_KEY).value != secret
    assert not digests & {d.digest for d in ErasedIdentity.select()}
    close_database()


def test_someone_added_again_after_erasure_is_matched_as_themselves(db, tmp_path):
    _erased_gill()
    again = services.stakeholders.create(name="Dan Gone", kind="person", sector="education",
                                         email="dan.gone@college.example")
    path = workbook(tmp_path / "list.xlsx", {"S": [["Name", "Email", "Role"], ["Dan Gone", "dan.gone@college.example",
                                                                               "Governor"]]})
    plan, _ = run(path)
    assert plan.entries[0].action == "match" and plan.entries[0].record_id == again.id
    assert services.stakeholders.get(again.id).role == "Governor"


def test_the_command_says_erased_without_saying_who(db, db_path, tmp_path):
    _erased_gill()
    close_database()
    path = workbook(tmp_path / "list.xlsx", {"S": [["Name", "Email"], ["Dan Gone", "DAN.GONE@college.example"]]})
    code, data = tracker_json(db_path, "import-table", path, "--as", "stakeholders", "--dry-run")
    assert code == 0 and data["added"] == 0 and data["erased"] == [{"sheet": "S", "row": 2}]
    assert data["records"][0] == {"sheet": "S", "row": 2, "action": "erased", "kind": "person", "name": "Dan Gone",
                                  "record_id": None, "changes": {}, "note": "erased on request: not imported"}
    from tests.tracker.table_import_helpers import tracker
    code, out, err = tracker(db_path, "import-table", path, "--as", "stakeholders")
    assert code == 0 and "S row 2 'Dan Gone': erased on request: not imported" in out
    assert "Nothing" in out or "0 added" in out
    open_database(db_path)


def test_a_schema_5_database_upgrades_and_erases_with_hashes(tmp_path):
    """tests/data/schema_v5.sql: a database before erased_identity, with a person erased then (nothing of
    theirs is left to hash) and one who is not."""
    path = tmp_path / "v5.db"
    con = sqlite3.connect(path)
    con.executescript((Path(__file__).parent.parent / "data" / "schema_v5.sql").read_text(encoding="utf-8"))
    con.close()
    open_database(path)
    try:
        assert migrations.schema_version(database.obj) == migrations.LATEST_VERSION >= 6
        assert "erased_identity" in database.obj.get_tables() and ErasedIdentity.select().count() == 0
        assert Stakeholder.select().where(Stakeholder.erased_at.is_null(False)).count() == 1
        sam = services.stakeholders.find_by_name("Sam Example")[0]
        assert sam.organisation.name == "Havering Sixth Form College"
        privacy.erase(sam)
        assert ErasedIdentity.select().count() == 2
        plan, _ = run(workbook(tmp_path / "a.xlsx", {"S": [["Name", "School"], ["Sam Example", "Havering Sixth Form College"]]}),
                      dry_run=True)
        assert plan.entries[0].action == "erased"
    finally:
        close_database()


def test_erasing_someone_drops_what_held_rows_keep_of_them(db, tmp_path):
    s = services.stakeholders
    college = s.create(name="Havering Sixth Form College", kind="organisation", sector="education")
    dan = s.create(name="Daniel Gonne", kind="person", sector="education", organisation=college)
    other = s.create(name="Danielle Gone", kind="person", sector="education")
    rows = [["Name", "Organisation", "Email"],
            ["Daniel Gone", "Havering Sixth Form College", "dan@college.example"],  # close to both: held
            ["Danielle Gonne", "", "danielle@elsewhere.example"]]  # close to both too: held
    run(workbook(tmp_path / "list.xlsx", {"S": rows}))
    held = {h.name: h for h in HeldRow.select()}
    assert {c["id"] for c in json.loads(held["Danielle Gonne"].candidates)} == {dan.id, other.id}
    privacy.erase(s.get(dan.id))
    # the row that might be Dan keeps no candidate Dan; the row naming Danielle is untouched otherwise
    assert [c["id"] for c in json.loads(HeldRow.get(HeldRow.name == "Danielle Gonne").candidates)] == [other.id]
    assert HeldRow.get(HeldRow.name == "Daniel Gone").email == "dan@college.example"  # not the same name + org
    privacy.erase(s.get(other.id))
    assert json.loads(HeldRow.get(HeldRow.name == "Danielle Gonne").candidates) == []
    # a held row with the erased person's own email goes with the erasure
    gill = s.create(name="Gill Gone", kind="person", sector="education", email="gill@college.example")
    run(workbook(tmp_path / "gill.xlsx", {"S": [["Name", "Email"], ["Gil Gone", "gill@college.example "]]}))
    assert not HeldRow.select().where(HeldRow.name == "Gil Gone").exists()  # matched by email: nothing held
    HeldRow.create(kind="stakeholders", sheet="S", row=9, name="Gil Gone", email="GILL@college.example",
                   values="{}", candidates=json.dumps([{"id": gill.id, "name": "Gill Gone", "score": 90}]))
    privacy.erase(s.get(gill.id))
    assert not HeldRow.select().where(HeldRow.name == "Gil Gone").exists()


@needs_postgres
def test_erased_people_are_recognised_on_postgres(tmp_path):
    fresh_postgres_database()
    try:
        _erased_gill()
        someone = services.stakeholders.create(name="Other Person", kind="person", email="o@x.example")
        privacy.erase(someone)  # a second erasure reuses the secret
        assert ErasedIdentity.select().count() == 4 and Meta.select().where(Meta.key == SECRET_KEY).count() == 1
        rows = [["Name", "Organisation", "Email"], ["Dan Gone", "Havering Sixth Form College", ""],
                ["X", "", "O@X.example"], ["New Person", "", "new@x.example"]]
        plan, _ = run(workbook(tmp_path / "a.xlsx", {"S": rows}))
        assert [e.action for e in plan.entries] == ["erased", "erased", "add"]
        assert services.stakeholders.find_by_name("New Person")[0].email == "new@x.example"
    finally:
        close_database()

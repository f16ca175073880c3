"""What an import keeps to undo its changes (``tracker.services.undo_snapshots``): a partner's table import keeps only
the fields it wrote (schema 13), a workbook import and every import before schema 13 the whole record; undo, the
erasure code and an upgraded schema-12 database read both."""

import json
import sqlite3
from pathlib import Path

import pytest

from tracker import migrations, services
from tracker.db import close_database
from tracker.models import ImportChange, Stakeholder
from tracker.opening import open_database
from tracker.services import exchange, imports, privacy, tableimports, undo_snapshots

from tests.tracker.table_import_helpers import run, tracker

V12_SQL = Path(__file__).parent.parent / "data" / "schema_v12_table_import.sql"
NAMES = [name for name, _, _ in exchange.content_kinds("stakeholder")]


def _content(*people):
    """{hex: (version, content)} of ``people`` as the exchange (and undo) reads them."""
    records, _ = exchange.load_records("stakeholder", ids=[p.id for p in people], sync=False)
    return {h: (r.version, r.values) for h, r in records.items()}


def _befores():
    return {c.record_uuid.hex: json.loads(c.before)
            for c in ImportChange.select().where(ImportChange.kind == "update").order_by(ImportChange.id)}


@pytest.fixture
def school(db):
    s = services.stakeholders
    org = s.create(name="Havering Primary", kind="organisation", sector="education")
    ann = s.create(name="Ann Oke", kind="person", sector="education", organisation=org, email="ann@x.example",
                   phone="020 7946 0000", address="1 High Street, Romford", notes="Prefers email 🙂 \"quoted\"")
    bob = s.create(name="Bob Lee", kind="person", sector="education", organisation=org, email="bob@x.example",
                   notes="Met at the summit")
    return org, ann, bob


def _partner_file(tmp_path):
    path = tmp_path / "partner.csv"
    path.write_text("Name,Email,Phone,Role\nAnn Oke,ann@x.example,020 7946 0009,Head\n"
                    "Bob Lee,bob@x.example,,Chair\nCat New,cat@x.example,,Clerk\n", encoding="utf-8")
    return path


def test_a_table_import_keeps_only_what_it_wrote_and_undo_puts_every_field_back(school, tmp_path):
    _, ann, bob = school
    before = _content(ann, bob)
    _, import_id = run(_partner_file(tmp_path), on_match="update")
    kept = _befores()
    # only the fields written, with their values before: not Ann's address, notes or email
    assert kept == {ann.uuid.hex: [1, {"role": "", "phone": "020 7946 0000"}], bob.uuid.hex: [1, {"role": ""}]}
    stored = " ".join(c.before for c in ImportChange.select().where(ImportChange.kind == "update"))
    assert "High Street" not in stored and "ann@x.example" not in stored and "Prefers" not in stored
    after = Stakeholder.get_by_id(ann.id)
    assert (after.phone, after.role, after.address, after.version) == ("020 7946 0009", "Head",
                                                                       "1 High Street, Romford", 2)
    imports.undo_import(import_id)
    assert _content(ann, bob) == before  # every field, and the version
    assert not Stakeholder.select().where(Stakeholder.email == "cat@x.example").exists()  # the one it added


def test_an_undo_refused_after_a_later_change_keeps_that_change(school, tmp_path):
    """The rule the changed-fields form rests on: undo puts back only from the version the import left."""
    _, ann, _ = school
    _, import_id = run(_partner_file(tmp_path), on_match="update")
    services.stakeholders.update(Stakeholder.get_by_id(ann.id), address="2 Market Place")
    with pytest.raises(imports.UndoBlocked, match="Ann Oke"):
        imports.undo_import(import_id)
    assert Stakeholder.get_by_id(ann.id).address == "2 Market Place"


def test_erasing_a_person_scrubs_what_a_table_import_kept_of_them(school, tmp_path):
    _, ann, _ = school
    run(_partner_file(tmp_path), on_match="update")
    person = Stakeholder.get_by_id(ann.id)
    assert privacy._has_traces(Stakeholder.get_by_id(ann.id)) is True
    privacy.erase(person)
    kept = _befores()[ann.uuid.hex]
    assert kept == [1, {"role": "", "phone": ""}]  # the fields it held, erased; none added
    assert privacy._has_traces(Stakeholder.get_by_id(ann.id)) is False


def test_a_record_written_twice_by_one_import_has_one_change_its_state_before_the_first():
    content = lambda **kw: tuple(kw.get(n, "") for n in NAMES)  # noqa: E731
    first = ("stakeholder", "ab" * 16, (3, content(phone="1", role="r"), None), 4, {"phone": None}.keys())
    second = ("stakeholder", "ab" * 16, (4, content(phone="2", role="r"), ("b", "s")), 5, ["phone", "role"])
    other = ("stakeholder", "cd" * 16, (1, content(email="e"), None), 2, ["email"])
    once = tableimports._once_per_record([first, other, second])
    assert [(h, before[0], before[2], after, list(names)) for _, h, before, after, names in once] == [
        ("ab" * 16, 3, None, 5, ["phone", "role"]), ("cd" * 16, 1, None, 2, ["email"])]
    [text] = undo_snapshots.changed_many([("stakeholder", *once[0][2][:2], once[0][4])])
    version, values = json.loads(text)
    assert (version, values) == (3, {"phone": "1", "role": "r"})  # the phone before the first write, not "2"
    assert tableimports._once_per_record([other]) == [other]


@pytest.mark.parametrize("text", ["plain", "ü 🙂 \"q\" \\ \n\x00", "", None])
def test_both_forms_read_restore_and_rewrite_alike(text):
    current = tuple(f"now {n}" for n in NAMES)
    values = tuple(text if n == "notes" else f"was {n}" for n in NAMES)
    whole = undo_snapshots.whole(7, values)
    [changed] = undo_snapshots.changed_many([("stakeholder", 7, values, ["notes", "phone"])])
    assert json.loads(whole) == [7, list(values)]
    assert json.loads(changed) == [7, {"notes": text, "phone": "was phone"}]
    assert undo_snapshots.read("stakeholder", whole) == (7, dict(zip(NAMES, values)))
    assert undo_snapshots.read("stakeholder", changed) == (7, {"notes": text, "phone": "was phone"})
    assert undo_snapshots.restore("stakeholder", whole, current) == (7, values)
    restored = dict(zip(NAMES, undo_snapshots.restore("stakeholder", changed, current)[1]))
    assert restored == {**dict(zip(NAMES, current)), "notes": text, "phone": "was phone"}
    scrub = {"notes": "", "email": "", "name": "Erased"}
    assert json.loads(undo_snapshots.rewrite("stakeholder", changed, scrub)) == [7, {"notes": "", "phone": "was phone"}]
    assert undo_snapshots.read("stakeholder", undo_snapshots.rewrite("stakeholder", whole, scrub))[1] == {
        **dict(zip(NAMES, values)), **scrub}
    # a field that is not content (undo could not put it back by name): the whole record is kept
    [kept] = undo_snapshots.changed_many([("stakeholder", 7, values, ["notes", "not_content"])])
    assert json.loads(kept) == [7, list(values)]


@pytest.fixture
def v12_path(tmp_path):
    path = tmp_path / "havering.db"
    con = sqlite3.connect(path)
    con.executescript(V12_SQL.read_text(encoding="utf-8"))
    con.close()
    return path


def test_a_schema_12_database_is_upgraded_and_its_whole_snapshots_still_undo(v12_path, isolated_environment):
    con = sqlite3.connect(v12_path)
    kept = con.execute("SELECT before FROM exchange_import_change WHERE kind = 'update' ORDER BY id").fetchall()
    con.close()
    assert [json.loads(b)[1][NAMES.index("address")] for (b,) in kept] == ["1 High Street, Romford", ""]
    open_database(v12_path)
    try:
        assert migrations.schema_version(Stakeholder._meta.database.obj) == migrations.LATEST_VERSION == 13
        assert [c.before for c in ImportChange.select().where(ImportChange.kind == "update")
                .order_by(ImportChange.id)] == [b for (b,) in kept]  # left as they were
        ann = Stakeholder.get(Stakeholder.email == "ann@x.example")
        assert (ann.phone, ann.version) == ("020 7946 0001", 2)
        imports.undo_import(1)
        ann = Stakeholder.get(Stakeholder.email == "ann@x.example")
        bob = Stakeholder.get(Stakeholder.email == "bob@x.example")
        assert (ann.phone, ann.address, ann.notes, ann.version) == ("", "1 High Street, Romford", "Prefers email", 1)
        assert (bob.role, bob.phone, bob.version) == ("", "020 7946 0002", 1)
        assert not Stakeholder.select().where(Stakeholder.email == "cat@x.example").exists()  # the one it added
    finally:
        close_database()


def test_an_erasure_in_an_upgraded_database_scrubs_its_whole_snapshots(v12_path, isolated_environment):
    open_database(v12_path)
    try:
        privacy.erase(Stakeholder.get(Stakeholder.email == "ann@x.example"))
        ann = _befores()
        text = " ".join(c.before for c in ImportChange.select().where(ImportChange.kind == "update"))
        assert "ann@x.example" not in text and "High Street" not in text and "Ann Oke" not in text
        assert len([v for v in ann.values() if isinstance(v[1], list)]) == 2  # still the whole form
    finally:
        close_database()


def test_the_undo_of_an_upgraded_database_by_the_tracker_command(v12_path, isolated_environment):
    """As a user would: ``tracker undo-import`` in its own process, on the file an older app wrote."""
    code, out, err = tracker(v12_path, "undo-import", 1)
    assert code == 0, err
    con = sqlite3.connect(v12_path)
    rows = con.execute("SELECT name, phone, role, address FROM stakeholder WHERE kind = 'person' "
                       "AND deleted_at IS NULL ORDER BY name").fetchall()
    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    con.close()
    assert rows == [("Ann Oke", "", "", "1 High Street, Romford"), ("Bob Lee", "020 7946 0002", "", "")]
    assert version == "13"

"""The import's faster paths give what the slower ones gave: records read in bulk are what peewee's select
gives, the prefetch of matched people is what their records say, and each new person is checked once
(the plan's check stands for create_many's, except where create_many's cleaning changed a value, and the
rules across fields still run).  Also on PostgreSQL: the import's reads and writes, and its undo."""

import datetime as dt
import uuid

import pytest
from peewee import AutoField, BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from tracker import models, services
from tracker.bulk import records_by_id, row_reader
from tracker.db import close_database
from tracker.errors import ValidationError
from tracker.models import AuditEntry, ImportRun, Stakeholder
from tracker.records import STAKEHOLDER
from tracker.services import exchange, tableimports
from tracker.tableimport.plan import CHECKED_PEOPLE

from tests.tracker.postgres_helpers import fresh_postgres_database, needs_postgres
from tests.tracker.table_import_helpers import run, workbook

TABLES = [m for m in vars(models).values() if isinstance(m, type) and issubclass(m, models.BaseModel)
          and m is not models.BaseModel and m is not models.Record]


def test_records_read_in_bulk_are_what_select_gives_for_every_table(demo_db):
    read = 0
    for model in TABLES:
        ids = [i for (i,) in model.select(model._meta.primary_key).order_by(model._meta.primary_key).tuples()][:200]
        fast = records_by_id(model, ids)
        slow = {r.get_id(): r for r in model.select().where(model._meta.primary_key.in_(ids))}
        assert set(fast) == set(slow), model
        for key, record in fast.items():
            assert record.__data__ == slow[key].__data__, (model, key)
            assert {k: type(v) for k, v in record.__data__.items()} == {k: type(v) for k, v in slow[key].__data__.items()}
        read += len(fast)
    assert read > 500  # the demo data has actions, people, commitments, updates, events and councils


@pytest.mark.parametrize("field", [CharField(), TextField(), IntegerField(), BigIntegerField(), AutoField(),
                                   DateTimeField()], ids=lambda f: type(f).__name__)
def test_a_row_reader_gives_what_python_value_gives_for_any_driver_value(field):
    values = [None, "x", " x ", b"bytes", "", 5, 0, True, 5.0, "5", "2026-12-01 19:29:09",
              "2026-12-01 19:29:09.270084", dt.datetime(2020, 1, 2, 3, 4, 5)]
    got = row_reader([field])
    for value in values:
        [fast] = got([value])
        expected = field.python_value(value)
        assert fast == expected and type(fast) is type(expected), (value, fast, expected)


def test_a_link_is_read_as_its_records_id():
    link = Stakeholder._meta.fields["organisation"]
    assert isinstance(link, ForeignKeyField)
    assert row_reader([link])([7]) == [7] and row_reader([link])(["7"]) == [link.python_value("7")] == [7]


def test_the_prefetch_of_matched_people_is_what_their_records_say(db):
    s = services.stakeholders
    havering, redbridge = services.councils.find("Havering"), services.councils.find("Redbridge")
    org = s.create(name="Havering Primary", kind="organisation", sector="education", councils=[havering])
    ann = s.create(name="Ann Oke", kind="person", organisation=org, email="ann@x.example", influence=4,
                   councils=[redbridge, havering], notes="Met at the summit")
    bob = s.create(name="Bob Lee", kind="person", sector="health", phone="020 7946 0001")
    gone = s.create(name="Gone Person", kind="person")
    s.delete(gone)
    read = tableimports.read_as_previewed([ann.id, bob.id, gone.id, org.id, 99999])
    assert set(read) == {ann.id, bob.id, org.id}  # deleted and unknown ones left out
    contents, _ = exchange.load_records("stakeholder", ids=[ann.id, bob.id, org.id])
    for record in (ann, bob, org):
        (row, hex_, content, _), held = read[record.id], s.get(record.id)
        assert type(row) is Stakeholder and row.__data__ == held.__data__ and isinstance(row.uuid, uuid.UUID)
        assert hex_ == held.uuid.hex and content == contents[hex_] and content.version == held.version
        assert row.kind == held.kind and row.organisation_id == held.organisation_id
    assert read[ann.id][0].influence == 4 and read[ann.id][0].interest is None
    assert {i: [c.name for c in found[3]] for i, found in read.items()} == {
        ann.id: ["Havering", "Redbridge"], bob.id: [], org.id: ["Havering"]}  # by name, every id present
    assert all(found[3] == s.councils_of(found[0]) for found in read.values())
    assert tableimports.read_as_previewed([]) == {}


def test_fields_checked_by_the_caller_are_not_checked_again_but_the_rules_across_fields_are(db):
    s = services.stakeholders
    state = {**STAKEHOLDER.defaults(), "kind": "person", "name": "Ann", "email": "not an email"}
    assert set(STAKEHOLDER.validate(state)) == {"email"}
    assert STAKEHOLDER.validate(state, checked=frozenset({"email"})) == {}
    someone = s.create(name="Bob Lee", kind="person")
    state["organisation"] = someone
    assert STAKEHOLDER.validate(state, checked=CHECKED_PEOPLE | {"organisation"}) == {
        "organisation": "must be an organisation (Bob Lee is a person)"}
    with pytest.raises(ValidationError) as error:
        s.create_many([{"kind": "person", "name": "Ann", "organisation": someone}], checked=CHECKED_PEOPLE)
    assert error.value.errors == {"organisation": "must be an organisation (Bob Lee is a person)"}
    assert not Stakeholder.select().where(Stakeholder.name == "Ann").exists()


def test_a_row_that_cleaning_changes_is_checked_again_in_full(db):
    s = services.stakeholders
    # "\u2003" (an em space) is no space to a spreadsheet's text, but create_many's cleaning trims it: the
    # name the plan checked is not the name that would be stored, so that row is checked again
    with pytest.raises(ValidationError) as error:
        s.create_many([{"kind": "person", "name": "Ann Oke"}, {"kind": "person", "name": "\u2003"}],
                      checked=CHECKED_PEOPLE)
    assert error.value.errors == {"name": "is required"} and error.value.row == 2
    assert not Stakeholder.select().where(Stakeholder.name == "Ann Oke").exists()
    [made] = s.create_many([{"kind": "person", "name": "  Ann Oke\u2003", "email": "ann@x.example "}],
                           checked=CHECKED_PEOPLE)
    ann = s.get(made)
    assert (ann.name, ann.email, ann.sector) == ("Ann Oke", "ann@x.example", "other")


def test_a_new_persons_text_that_cleaning_trims_is_stored_trimmed(db, tmp_path):
    """An em space ends the surname: kept by the sheet's reading (not a spreadsheet's space), trimmed by
    create_many's cleaning, which then checks that row in full."""
    path = workbook(tmp_path / "people.xlsx", {"S": [["First name", "Surname", "Email"],
                                                     ["Ann", "Oke\u2003", "ann@x.example"]]})
    plan, _ = run(path)
    assert plan.entries[0].values["name"] == "Ann Oke\u2003"
    [ann] = services.stakeholders.find_by_name("Ann Oke")
    assert (ann.name, ann.email) == ("Ann Oke", "ann@x.example")


def test_new_people_are_stored_as_create_would_and_their_creation_is_the_import(db, tmp_path):
    """The same values as one create() of the same row; no creation entry per record (the import's run and its
    list of additions are the trail, as for the exchange import), and the history shows one creation: the import."""
    s = services.stakeholders
    havering = services.councils.find("Havering")
    path = workbook(tmp_path / "people.xlsx", {"S": [
        ["Name", "Organisation", "Job title", "Email", "Telephone", "Borough", "Notes"],
        ["Ann Oke", "Havering Primary", "Head", "ann@x.example", 7700900123, "Havering", "TBC"]]})
    _, import_id = run(path)
    assert import_id is not None
    [ann] = s.find_by_name("Ann Oke")
    org = s.get(ann.organisation_id)
    by_hand = s.create(name="Ann Oke", kind="person", organisation=org, role="Head", email="ann@x.example",
                       phone="07700900123", notes="TBC", councils=[havering], sector="other")
    fields = [n for n in STAKEHOLDER.own_fields if n != "organisation"]
    assert [getattr(ann, n) for n in fields] == [getattr(by_hand, n) for n in fields]
    assert [c.name for c in s.councils_of(ann)] == ["Havering"]
    assert not AuditEntry.select().where(AuditEntry.record_uuid.in_([ann.uuid, org.uuid])).exists()
    assert AuditEntry.select().where(AuditEntry.record_uuid == by_hand.uuid, AuditEntry.operation == "create").exists()
    run_row = ImportRun.get_by_id(import_id)
    for record in (ann, org):  # the person and the organisation the row named, made by the import
        [created] = services.history(record.uuid)
        assert (created.operation, created.source, created.user, created.at, created.id) == (
            "create", "table import of people.xlsx", run_row.user, run_row.at, None)


def test_a_table_import_by_an_earlier_version_shows_its_own_creation_entry_once(db, tmp_path):
    """A table import until 2 December 2026 wrote each new record's creation entry: History shows that entry,
    not a second creation made from the run."""
    path = workbook(tmp_path / "people.xlsx", {"S": [["Name", "Email"], ["Ann Oke", "ann@x.example"]]})
    _, import_id = run(path)
    [ann] = services.stakeholders.find_by_name("Ann Oke")
    kept = AuditEntry.create(user="officer", council="", operation="create", table="stakeholder",
                             record_uuid=ann.uuid, new_value='{"name": "Ann Oke"}', source="table import of people.xlsx")
    assert [e.id for e in services.history(ann.uuid)] == [kept.id]


def _import_and_undo(tmp_path):
    """A partner's sheet over people held (one matched by email, filled; one doubtful, held; new ones with
    councils), then undone: what each step stores."""
    s = services.stakeholders
    havering = services.councils.find("Havering")
    org = s.create(name="Redbridge Youth Forum", kind="organisation", sector="voluntary")
    held = s.create(name="Jonathan Whitfield", kind="person", organisation=org, email="j.whitfield@example.org")
    close = s.create(name="Margaret Oyelaran", kind="person", organisation=org, email="m.oyelaran@example.org")
    path = workbook(tmp_path / "forum.xlsx", {"S": [
        ["Forum contacts"], [],
        ["Name", "Organisation", "Role", "Email", "Phone", "Borough"],
        ["Jonathan Whitfield", "Redbridge Youth Forum", "Chair", "J.WHITFIELD@example.org", "020 7946 0001", ""],
        ["Margret Oyelaren", "Redbridge Youth Forum", "Treasurer", "", "", ""],
        ["Ada New", "New Partner Org", "Officer", "ada@new.example", 7700900123, "Havering"]]})
    plan, import_id = run(path)
    assert [e.action for e in plan.entries] == ["match", "held", "add"]
    filled = s.get(held.id)
    assert (filled.role, filled.phone, filled.version) == ("Chair", "020 7946 0001", held.version + 1)
    assert s.get(close.id).role == ""  # held for review, not changed
    [ada] = s.find_by_name("Ada New")
    assert (ada.role, ada.email, ada.phone, s.get(ada.organisation_id).name) == (
        "Officer", "ada@new.example", "07700900123", "New Partner Org")
    assert [c.name for c in s.councils_of(ada)] == [havering.name]
    trail = sorted((e.field, e.old_value, e.new_value) for e in AuditEntry.select().where(
        AuditEntry.record_uuid == held.uuid, AuditEntry.operation == "update"))
    assert trail == [("phone", "", "020 7946 0001"), ("role", "", "Chair")]
    assert [h.name for h in tableimports.held_rows()] == ["Margret Oyelaren"]
    services.imports.undo_import(import_id)
    back = s.get(held.id)
    assert (back.role, back.phone) == ("", "")
    assert not s.find_by_name("Ada New") and not s.find_by_name("New Partner Org")


def test_an_import_and_its_undo_store_what_they_should(db, tmp_path):
    _import_and_undo(tmp_path)


@needs_postgres
def test_an_import_and_its_undo_store_what_they_should_on_postgres(tmp_path):
    fresh_postgres_database()
    try:
        _import_and_undo(tmp_path)
    finally:
        close_database()


AWKWARD = [None, "", "  ", "\u200b", "\u2003", "Officer", " Officer\u00a0", "officer", "x" * 201, "y" * 40_000,
           "a@b.example", "not an email", "https://x.example", "Ms A, Smith", "Smith, Ann", 7700900123, 12.5, 0, True,
           "line one\nline two", "Ünïcödé 🙂", "=1+1", "TBC", "Havering", "0207 946 0001", "Chair\u2003"]


@pytest.mark.parametrize("seed", range(6))
def test_text_cells_read_inline_are_what_the_general_path_reads(seed, monkeypatch):
    """read_sheet's inline reading of text cells (tableimport.table._text_mode) against every cell through
    _read_value: the same values, columns, written text, notes and problems, on awkward cells."""
    import random

    from tracker.tableimport import table
    from tracker.tableimport.sources import Sheet

    rng = random.Random(seed)
    headers = ["Name", "Organisation", "Job title", "Role", "Email", "Website", "Tags", "Address", "Notes",
               "Telephone", "Sector"]
    rows = [["Contacts"], headers] + [[rng.choice(AWKWARD) for _ in headers] for _ in range(300)]
    for row in rows[2:]:
        row[0] = row[0] or f"Person {rng.random()}"  # a name, so that each row is a record
    told = {"Job title": "role", "Role": "role", "Address": "address"}
    values = {"job title": {"officer": "Project officer", "chair\u2003": ""}, "email": {"not an email": "n@x.example"}}

    def read():
        sheet = Sheet("S", [list(r) for r in rows])
        return table.read_sheet(sheet, "stakeholders", told, values)

    fast = read()
    monkeypatch.setattr(table, "_text_mode", lambda record_fields, target: (None, None))
    slow = read()
    assert fast.mapping == slow.mapping and fast.mapping["Role"] == "role"
    assert [(r.row, r.values, r.columns, r.notes, r.written) for r in fast.records] == [
        (r.row, r.values, r.columns, r.notes, r.written) for r in slow.records]
    assert fast.problems == slow.problems and fast.skipped == slow.skipped
    assert any(p.reason.startswith("is too long") for p in fast.problems)

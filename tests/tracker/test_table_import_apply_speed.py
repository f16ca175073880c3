"""The applying half of a table import, made faster, gives what it gave: the creation entries' JSON is what
``json.dumps`` of the texts wrote, the batch of new UUIDs is what ``uuid.uuid4`` makes."""

import datetime as dt
import json
import uuid

from tracker import services
from tracker.bulk import record_maker, row_reader, uuid4s
from tracker.dates import Period
from tracker.db import close_database
from tracker.models import AuditEntry, Council, Stakeholder
from tracker.services import audit

from tests.tracker.postgres_helpers import fresh_postgres_database, needs_postgres


def _creation_text_as_it_was(values, councils=None):
    """The creation entry's JSON as it was written before: a dict of texts, ``json.dumps``'d."""
    texts = {}
    for key, value in values.items():
        if isinstance(value, str):
            if value and key != "uuid":
                texts[key] = value
        elif value is None or key == "uuid":
            continue
        else:
            texts[key] = audit.as_text(value)
    if councils:
        texts["councils"] = audit.as_text(sorted(c.name for c in councils))
    return json.dumps(texts, ensure_ascii=False, sort_keys=True)


def test_creation_texts_are_what_json_dumps_of_the_texts_wrote(db):
    org = services.stakeholders.create(name='Barking "Community" Trust', kind="organisation", sector="health")
    havering, redbridge = Council.get(Council.code == "HAV"), Council.get(Council.code == "RED")
    states = [
        {"kind": "person", "name": "Zoë O'Brien 🎉", "organisation": org, "sector": "other", "role": "",
         "email": "zoe@example.org", "notes": 'a "quote", a \\ backslash,\na line break\tand a tab \x01 \x7f',
         "uuid": uuid.uuid4().hex, "influence": 3, "interest": None},
        {"kind": "organisation", "name": "Trust ⟨Ω⟩ \u2028 \ud800", "sector": "voluntary", "uuid": uuid.uuid4(),
         "tags": "a, b", "website": "https://example.org/?q=1&r=2"},
        {"title": "Due", "due_date": dt.date(2026, 12, 2), "target_date": Period(dt.date(2019, 6, 30), "quarter"),
         "made_by": org, "list": ["x", 2], "zero": 0, "flag": False},
        {},
        {"uuid": "only a uuid"},
        {"name": "Councils", "kind": "organisation"},
    ]
    link_sets = [None, [redbridge, havering], None, None, [havering], []]
    expected = [_creation_text_as_it_was(s, c) for s, c in zip(states, link_sets)]
    assert audit.creation_texts(states, link_sets) == expected
    assert audit.creation_texts(states) == [_creation_text_as_it_was(s) for s in states]
    assert [audit.creation_text(s, c) for s, c in zip(states, link_sets)] == expected
    assert audit.creation_texts([]) == [] and audit.creation_texts([{}, {"uuid": "x"}]) == ["{}", "{}"]
    assert json.loads(expected[0])["organisation"] == str(org.uuid)  # a linked record by its UUID


def test_new_people_are_audited_with_the_same_texts_as_one_by_one(db):
    org = services.stakeholders.create(name="Havering Trust", kind="organisation", sector="health")
    rows = [{"name": f"Person {n} ü", "kind": "person", "organisation": org, "email": f"p{n}@example.org",
             "councils": [Council.get(Council.code == "HAV")] if n % 2 else None} for n in range(5)]
    made = services.stakeholders.create_many(rows, source="sheet.xlsx")
    texts = {e.record_uuid: e.new_value for e in AuditEntry.select().where(AuditEntry.source == "sheet.xlsx")}
    for row, made_uuid in zip(rows, made):
        state = {**services.stakeholders.defaults(), **{k: v for k, v in row.items() if k != "councils"}}
        assert texts[made_uuid] == _creation_text_as_it_was(state, row["councils"])
        assert Stakeholder.get(Stakeholder.uuid == made_uuid).name == row["name"]


def test_a_batch_of_uuids_is_what_uuid4_makes():
    made = uuid4s(2000)
    assert len(set(made)) == 2000 and uuid4s(0) == []
    for one in made:
        again = uuid.UUID(one.hex)
        assert isinstance(one, uuid.UUID) and one.version == 4 and one.variant == uuid.RFC_4122
        assert (one == again and hash(one) == hash(again) and str(one) == str(again) and one.int == again.int
                and one.is_safe is again.is_safe is uuid.SafeUUID.unknown)
    # every bit but the version's and the variant's is random: each is set in some UUID and clear in another
    fixed = (0xf000 << 64) | (0xc000 << 48)
    ones = [0] * 128
    for one in made:
        for bit in range(128):
            ones[bit] += one.int >> bit & 1
    assert all(0 < ones[bit] < len(made) for bit in range(128) if not fixed >> bit & 1)


def _outcome(function, value):
    try:
        result = function(value)
    except Exception as exc:  # noqa: BLE001 - the same exception, or the same value, is the point
        return "raised", type(exc), str(exc)
    return result, type(result), getattr(result, "is_safe", None)


def test_a_stored_uuid_is_read_as_python_value_reads_it():
    field = Stakeholder._meta.fields["uuid"]
    one = uuid.uuid4()
    values = [one.hex, one.hex.upper(), str(one), "{" + one.hex + "}", f"urn:uuid:{one}", one, None, "g" * 32,
              "x", "", "٣" * 32, "1" * 31 + "_", " " + one.hex[1:], one.hex[:31], b"0123456789abcdef"]
    read = row_reader([field])
    for value in values:
        assert _outcome(lambda v: read([v])[0], value) == _outcome(field.python_value, value), value


def test_records_made_from_rows_in_any_column_order_are_what_select_gives(demo_db):
    from tracker.models import ActionItem

    for model in (Stakeholder, ActionItem):
        columns = [f.column_name for f in model._meta.sorted_fields]
        columns = ["extra", *reversed(columns)]
        make = record_maker(model, columns)
        sql = f'SELECT 1, {", ".join(chr(34) + c + chr(34) for c in columns[1:])} FROM "{model._meta.table_name}"'
        made = [make(row) for row in demo_db.execute_sql(sql).fetchall()]
        selected = {r.id: r for r in model.select()}
        assert len(made) == len(selected) > 20
        for record in made:
            assert record.__data__ == selected[record.id].__data__
            assert [type(v) for v in record.__data__.values()] == [type(v) for v in selected[record.id].__data__.values()]
            assert list(record.__data__) == list(selected[record.id].__data__)
            assert not record._dirty and record.__rel__ == {}


def test_the_undo_snapshot_read_by_ids_is_the_one_read_by_uuids_with_the_records_sync_states(db):
    _snapshots_by_ids_and_uuids()


@needs_postgres
def test_the_undo_snapshot_read_by_ids_is_the_one_read_by_uuids_on_postgres():
    fresh_postgres_database()
    try:
        _snapshots_by_ids_and_uuids()
    finally:
        close_database()


def _snapshots_by_ids_and_uuids():
    from tracker.models import SyncState
    from tracker.services import exchange, tableimports

    s = services.stakeholders
    org = s.create(name="Havering Primary", kind="organisation", sector="education")
    people = [s.create(name=f"Person {i}", kind="person", organisation=org, councils=[Council.get(Council.code == "HAV")]
                       if i % 2 else None) for i in range(5)]
    for n, p in enumerate([org, *people[:3]]):  # some were exchanged: their sync states go in the snapshot
        SyncState.create(record_uuid=p.uuid, base=f"base{n}", seen=f"old{n}")
    wanted = [*people[1:], org]
    by_uuid, by_id = {}, {}
    expected = tableimports.snapshot("stakeholder", [p.uuid for p in wanted], by_uuid)
    got = tableimports.snapshot("stakeholder", models=by_id, ids=[p.id for p in wanted] + [p.id for p in wanted[:2]])
    assert got == expected and list(got.values()) != [] and set(got) == {p.uuid.hex for p in wanted}
    assert {k: r.__data__ for k, r in by_id.items()} == {k: r.__data__ for k, r in by_uuid.items()}
    state = exchange.load_state(["stakeholder"])
    assert {h: sync for h, (_, _, sync) in got.items()} == {p.uuid.hex: state.sync.get(p.uuid.hex) for p in wanted}
    assert got[org.uuid.hex][2] == ("base0", "old0") and got[people[3].uuid.hex][2] is None
    assert tableimports.snapshot("stakeholder", ids=[]) == {} == tableimports.snapshot("stakeholder", [])


def test_uuids_in_any_form_are_inserted_as_their_field_converts_them(db):
    from tracker.bulk import insert_columns

    one = uuid.uuid4()
    given = [one.hex, one.hex.upper(), str(one), one, "{" + str(one) + "}"]
    insert_columns(AuditEntry, len(given), {"record_uuid": given, "table": ["t"] * len(given)},
                   constants={"operation": "test", "source": "forms", "user": "amira"})
    field = AuditEntry._meta.fields["record_uuid"]
    stored = [u for (u,) in db.execute_sql('SELECT "record_uuid" FROM "audit_entry" WHERE "source" = ? ORDER BY "id"',
                                           ("forms",)).fetchall()]
    assert stored == [field.db_value(v) for v in given]
    assert stored[:4] == [one.hex, one.hex.upper(), one.hex, one.hex]


def test_update_many_stores_its_timestamp_as_update_does(db):
    import re

    s = services.stakeholders
    ann, bob = s.create(name="Ann Oke", kind="person"), s.create(name="Bob Lee", kind="person")
    s.update(ann, role="Chair")
    [bob_now] = s.update_many([(bob, {"role": "Clerk"})], source="sheet.xlsx")
    raw = dict(db.execute_sql('SELECT "name", "updated_at" FROM "stakeholder"').fetchall())
    kinds = dict(db.execute_sql('SELECT "name", typeof("updated_at") FROM "stakeholder"').fetchall())
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?")
    assert stamp.fullmatch(raw["Ann Oke"]) and stamp.fullmatch(raw["Bob Lee"]) and kinds["Bob Lee"] == kinds["Ann Oke"] == "text"
    assert raw["Bob Lee"] == str(bob_now.updated_at) and s.get(bob.id).updated_at == bob_now.updated_at


def test_records_got_at_once_are_what_get_gives_but_the_deleted_and_missing(db):
    s = services.stakeholders
    org, gone = s.create(name="Havering Primary", kind="organisation"), s.create(name="Old Trust", kind="organisation")
    s.delete(gone)
    got = s.get_many([org.id, gone.id, 999_999, org.id])
    assert list(got) == [org.id] and got[org.id].__data__ == s.get(org.id).__data__ and not got[org.id]._dirty
    assert s.get_many([]) == {}


def test_new_people_of_an_organisation_deleted_after_the_preview_are_refused_as_before(db, tmp_path):
    import pytest

    from tests.tracker.table_import_helpers import workbook
    from tracker.errors import NotFoundError
    from tracker.tableimport import Options, apply_plan, plan_import

    s = services.stakeholders
    org = s.create(name="Havering Primary", kind="organisation", sector="education")
    kept = s.create(name="Redbridge Trust", kind="organisation", sector="health")
    path = tmp_path / "people.xlsx"
    workbook(path, {"People": [["Name", "Email", "Organisation"], ["Ann Oke", "ann@x.example", "Redbridge Trust"],
                               ["Bob Lee", "bob@x.example", "Havering Primary"]]})
    plan = plan_import(path, Options())
    assert {o.record_id for o in plan.organisations.values()} == {org.id, kept.id}
    s.delete(org)  # after the preview, before the import
    with pytest.raises(NotFoundError):
        apply_plan(plan)
    assert Stakeholder.select().where(Stakeholder.kind == "person").count() == 0  # nothing was written
    s.restore(s.get(org.id, include_deleted=True))
    assert apply_plan(plan_import(path, Options())) is not None
    people = {p.name: p.organisation.name for p in Stakeholder.select().where(Stakeholder.kind == "person")}
    assert people == {"Ann Oke": "Redbridge Trust", "Bob Lee": "Havering Primary"}

"""An import reads each matched record once for its undo snapshot and its update: the records made from the
snapshot's rows are what ``records_by_id`` (and so ``select()``) gives, for every table the exchange knows,
and ``update_many`` given them stores, audits and refuses exactly as when it reads them itself."""

import pytest

from tracker import services
from tracker.bulk import records_by_id
from tracker.errors import NotFoundError, StaleEditError
from tracker.models import AuditEntry, Stakeholder
from tracker.services import exchange, tableimports


@pytest.mark.parametrize("table", sorted(exchange.MODELS))
def test_records_read_with_the_snapshot_are_what_records_by_id_gives(demo_db, table):
    model = exchange.MODELS[table]
    ids = [i for (i,) in model.select(model.id).order_by(model.id).tuples()][:300]
    assert ids, table  # the demo data has some of every kind
    uuids = [u for (u,) in model.select(model.uuid).where(model.id.in_(ids)).tuples()]
    plain, _ = exchange.load_records(table, uuids)
    models = {}
    records, _ = exchange.load_records(table, uuids, models)
    assert records == plain  # the snapshot itself unchanged by reading the other columns too
    slow = records_by_id(model, ids)
    assert set(models) == set(slow) == set(ids)
    for key, record in models.items():
        assert type(record) is model
        assert record.__data__ == slow[key].__data__, (table, key)
        assert {k: type(v) for k, v in record.__data__.items()} == {k: type(v) for k, v in slow[key].__data__.items()}
        assert record._dirty == set()


def _people():
    s = services.stakeholders
    org = s.create(name="Havering Primary", kind="organisation", sector="education")
    ann = s.create(name="Ann Oke", kind="person", email="ann@x.example")
    bob = s.create(name="Bob Lee", kind="person", organisation=org, notes="Met at the summit")
    return org, ann, bob


def _update(current, org, ann, bob):
    s = services.stakeholders
    return s.update_many([(ann, {"role": "Chair", "organisation": org}), (bob, {"phone": "020 7946 0001"})],
                         source="test", current=current)


def test_update_many_with_the_records_given_stores_and_audits_as_when_it_reads_them(db):
    org, ann, bob = _people()
    current = {}
    before = tableimports.snapshot("stakeholder", [ann.uuid, bob.uuid], current)
    assert set(current) == {ann.id, bob.id} and set(before) == {ann.uuid.hex, bob.uuid.hex}
    done = _update(current, org, ann, bob)
    assert [r.id for r in done] == [ann.id, bob.id] and [r.version for r in done] == [2, 2]
    got = [services.stakeholders.get(i) for i in (ann.id, bob.id)]
    assert (got[0].role, got[0].organisation_id, got[1].phone, got[1].notes) == (
        "Chair", org.id, "020 7946 0001", "Met at the summit")
    assert [r.version for r in got] == [2, 2]
    trail = sorted((e.field, e.old_value, e.new_value, e.source) for e in AuditEntry.select().where(
        AuditEntry.operation == "update"))
    assert trail == [("organisation", None, str(org.uuid), "test"), ("phone", "", "020 7946 0001", "test"),
                     ("role", "", "Chair", "test")]


def test_a_record_changed_after_the_read_refuses_the_update(db):
    org, ann, bob = _people()
    current = {}
    tableimports.snapshot("stakeholder", [ann.uuid, bob.uuid], current)
    services.stakeholders.update(bob, notes="changed meanwhile")  # version 2, after the read
    with pytest.raises(StaleEditError):
        _update(current, org, ann, bob)
    assert services.stakeholders.get(ann.id).role == ""  # nothing written


def test_a_record_missing_from_the_read_is_not_found(db):
    org, ann, bob = _people()
    current = {}
    tableimports.snapshot("stakeholder", [ann.uuid], current)
    with pytest.raises(NotFoundError):
        _update(current, org, ann, bob)
    assert Stakeholder.get_by_id(ann.id).role == ""

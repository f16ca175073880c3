"""Creating many records in one batch: create's rules and messages, all or nothing, audited."""

import datetime as dt
import json
import uuid

import pytest

from tracker import services
from tracker.errors import ValidationError
from tracker.models import ActionItem, AuditEntry, Commitment, CommitmentCouncil, Stakeholder


@pytest.fixture
def org(db):
    return services.stakeholders.create(name="Metropolitan Police Service", sector="police")


def _snapshot(record_uuid):
    (entry,) = services.history(record_uuid)
    assert entry.operation == "create"
    return entry, json.loads(entry.new_value)


def test_batch_creates_records_with_references_and_one_audit_entry_each(org):
    services.set_actor("bulk user", "Havering")
    single = services.actions.create(title="First by hand", owner=org, due_date=dt.date(2026, 3, 1))
    rows = [{"title": f"  Action {i}  ", "owner": org, "due_date": dt.date(2026, 1, 1 + i), "priority": "high"}
            for i in range(5)]
    uuids = services.actions.create_many(rows, source="bulk.xlsx")
    assert len(uuids) == 5 and all(isinstance(u, uuid.UUID) for u in uuids)
    created = [services.actions.get(u) for u in uuids]
    assert [a.title for a in created] == [f"Action {i}" for i in range(5)]  # trimmed like create
    assert [a.reference for a in created] == [f"HAV-A{n:04d}" for n in range(2, 7)]
    assert all(a.owner_id == org.id and a.status == "open" and a.version == 1 and a.deleted_at is None
               for a in created)
    assert all(a.origin_council.name == "Havering" for a in created)
    entry, snapshot = _snapshot(uuids[0])
    assert entry.source == "bulk.xlsx" and entry.user == "bulk user" and entry.council == "Havering"
    assert snapshot == {"title": "Action 0", "owner": str(org.uuid), "due_date": "2026-01-01",
                        "priority": "high", "status": "open", "reference": "HAV-A0002"}
    # The next single create continues the series.
    assert services.actions.create(title="After").reference == "HAV-A0007"


def test_batch_snapshot_matches_what_create_writes(org):
    fields = {"title": "Same", "description": "Text", "owner": org, "due_date": dt.date(2026, 5, 4),
              "council": services.councils.find("Redbridge")}
    one = services.actions.create(**fields)
    (many,) = services.actions.create_many([fields])
    first, second = _snapshot(one.uuid)[1], _snapshot(many)[1]
    assert first.pop("reference") != second.pop("reference")
    assert first == second


def test_councils_and_identity_are_kept(org):
    given = uuid.uuid4()
    havering, redbridge = services.councils.find("Havering"), services.councils.find("Redbridge")
    rows = [{"title": "Promise A", "made_by": org, "date_made": dt.date(2019, 1, 16), "councils": [havering, redbridge],
             "identity": given},
            {"title": "Promise B", "made_by": org, "date_made": dt.date(2019, 1, 16)}]
    a, b = services.commitments.create_many(rows)
    assert a == given
    assert [c.name for c in services.commitments.councils_of(services.commitments.get(a))] == ["Havering", "Redbridge"]
    assert services.commitments.councils_of(services.commitments.get(b)) == []
    assert CommitmentCouncil.select().count() == 2
    assert _snapshot(a)[1]["councils"] == "Havering; Redbridge"


def test_a_bad_row_gives_creates_message_with_its_row_and_saves_nothing(org):
    bad = {"title": "", "owner": org, "priority": "urgent", "due_date": "next week"}
    with pytest.raises(ValidationError) as single:
        services.actions.create(**bad)
    rows = [{"title": "Fine"}, {"title": "Also fine"}, bad, {"title": "Never reached"}]
    with pytest.raises(ValidationError) as batch:
        services.actions.create_many(rows)
    assert batch.value.errors == single.value.errors
    assert set(batch.value.errors) == {"title", "priority", "due_date"}
    assert batch.value.row == 3
    assert str(batch.value).startswith("Row 3 of 4: The action was not saved. title: is required")
    assert str(batch.value).endswith("None of the 4 rows were saved.")
    assert ActionItem.select().count() == 0
    assert AuditEntry.select().where(AuditEntry.table == "action_item").count() == 0


def test_a_link_to_a_deleted_record_is_refused(org):
    deleted = services.stakeholders.delete(org)
    with pytest.raises(ValidationError) as info:
        services.actions.create_many([{"title": "Fine"}, {"title": "Orphan", "owner": deleted}])
    assert info.value.errors == {"owner": "refers to a deleted stakeholder"} and info.value.row == 2


def test_a_database_failure_part_way_leaves_nothing(org, monkeypatch):
    """All or nothing: the records are written, then the audit write fails; the records are rolled back."""
    from tracker.services import audit

    def broken(*args, **kwargs):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(audit, "write_creations", broken)
    before = Stakeholder.select().count()
    with pytest.raises(RuntimeError):
        services.stakeholders.create_many([{"name": "A"}, {"name": "B", "councils": services.councils.all_councils()}])
    assert Stakeholder.select().count() == before


def test_unknown_field_is_a_programming_error(db):
    with pytest.raises(ValueError, match="has no field 'colour'"):
        services.actions.create_many([{"title": "x", "colour": "red"}])


def test_empty_batch_creates_nothing(db):
    assert services.actions.create_many([]) == []
    assert Commitment.select().count() == 0


def test_references_past_9999_keep_counting(db):
    """Text order puts BD-A9999 after BD-A10000; the series must continue from the highest number."""
    services.set_actor("bulk user", "Barking and Dagenham")
    services.actions.create_many([{"title": f"a{i}"} for i in range(10_000)])
    assert services.actions.create(title="next").reference == "BD-A10001"
    assert services.actions.create_many([{"title": "and"}, {"title": "more"}]) and \
        services.actions.next_reference() == "BD-A10004"


def test_batch_timestamps_are_stored_as_single_creates_store_them(org):
    from tracker.db import database

    services.actions.create(title="By hand", owner=org)
    services.actions.create_many([{"title": "In a batch", "owner": org}])
    stored = database.obj.execute_sql(
        "SELECT a.created_at, a.updated_at, e.at FROM action_item a JOIN audit_entry e ON e.record_uuid = a.uuid "
        "ORDER BY a.id").fetchall()
    shapes = [tuple(len(text.split(".")[0]) == 19 and text[10] == " " and type(text) is str for text in row)
              for row in stored]
    assert shapes == [(True, True, True)] * 2  # the same "YYYY-MM-DD HH:MM:SS[.ffffff]" text either way
    assert services.actions.page(0, 10)[0].created_at.year >= 2026

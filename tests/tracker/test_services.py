"""Services: validation messages, audit rows in the same transaction, soft delete, optimistic locking."""

import datetime as dt
import json

import pytest
from playhouse.test_utils import count_queries

from tracker import services
from tracker.errors import NotFoundError, StaleEditError, ValidationError
from tracker.models import ActionItem, AuditEntry, Stakeholder


@pytest.fixture
def org(db):
    return services.stakeholders.create(name="Metropolitan Police Service", sector="police", influence=5, interest=4)


@pytest.fixture
def summit(db):
    return services.events.create(title="Serious Violence Summit", kind="summit", date=dt.date(2019, 1, 16))


def test_create_writes_record_and_one_audit_entry(org):
    entries = services.history(org.uuid)
    assert [e.operation for e in entries] == ["create"]
    snapshot = json.loads(entries[0].new_value)
    assert snapshot["name"] == "Metropolitan Police Service"
    assert snapshot["sector"] == "police"
    assert entries[0].user == "test user"
    assert org.version == 1 and org.deleted_at is None


def test_validation_names_each_bad_field_and_saves_nothing(db):
    before = Stakeholder.select().count()
    with pytest.raises(ValidationError) as info:
        services.stakeholders.create(name="  ", email="not-an-email", website="ftp://x", influence=7, sector="bogus")
    errors = info.value.errors
    assert set(errors) == {"name", "email", "website", "influence", "sector"}
    assert "required" in errors["name"]
    assert "1 (low) to 5 (high)" in errors["influence"]
    assert "The stakeholder was not saved" in str(info.value)
    assert Stakeholder.select().count() == before
    assert AuditEntry.select().count() == 0


def test_person_must_belong_to_an_organisation_not_a_person(org):
    person = services.stakeholders.create(name="Jo Bloggs", kind="person", organisation=org, sector="police")
    with pytest.raises(ValidationError) as info:
        services.stakeholders.create(name="Other", kind="person", organisation=person, sector="police")
    assert "Jo Bloggs is a person" in info.value.errors["organisation"]
    with pytest.raises(ValidationError):
        services.stakeholders.update(org, organisation=org)


def test_update_audits_each_changed_field_old_and_new(org):
    updated = services.stakeholders.update(org, role="Borough command", influence=4, name="Metropolitan Police Service")
    assert updated.version == 2
    changes = {(e.field, e.old_value, e.new_value) for e in services.history(org.uuid) if e.operation == "update"}
    assert changes == {("role", "", "Borough command"), ("influence", "5", "4")}


def test_update_without_change_writes_nothing(org):
    same = services.stakeholders.update(org, name=" Metropolitan Police Service ")
    assert same.version == 1
    assert len(services.history(org.uuid)) == 1


def test_stale_edit_is_refused_not_overwritten(org):
    services.stakeholders.update(org, role="first editor", expected_version=1)
    with pytest.raises(StaleEditError) as info:
        services.stakeholders.update(org, role="second editor", expected_version=1)
    assert "changed by someone else" in str(info.value)
    assert services.stakeholders.get(org.uuid).role == "first editor"


def test_soft_delete_hides_and_restore_brings_back(org):
    services.stakeholders.delete(org)
    assert services.stakeholders.count() == 0
    assert services.stakeholders.count(deleted=True) == 1
    with pytest.raises(NotFoundError):
        services.stakeholders.get(org.uuid)
    restored = services.stakeholders.restore(org)
    assert restored.deleted_at is None and restored.version == 3
    assert [e.operation for e in services.history(org.uuid)] == ["create", "delete", "restore"]


def test_cannot_link_to_a_deleted_record(org, summit):
    services.events.delete(summit)
    with pytest.raises(ValidationError) as info:
        services.commitments.create(title="X", made_by=org, made_at=services.events.get(summit.uuid, True),
                                    date_made=dt.date(2019, 1, 16))
    assert "deleted event" in info.value.errors["made_at"]


def test_failed_audit_rolls_back_the_change(org, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "write", broken)
    with pytest.raises(RuntimeError):
        services.stakeholders.update(org, role="never saved")
    assert services.stakeholders.get(org.uuid).role == ""


def test_commitment_dates_and_choices(org):
    with pytest.raises(ValidationError) as info:
        services.commitments.create(title="Late", made_by=org, date_made=dt.date(2020, 1, 1),
                                    target_date=dt.date(2019, 1, 1), status="nope", rag="P")
    assert set(info.value.errors) == {"target_date", "status", "rag"}
    assert "before the date" in info.value.errors["target_date"]


def test_councils_many_to_many_are_audited(org):
    hav, red = services.councils.find("Havering"), services.councils.find("red")
    services.stakeholders.update(org, councils=[hav, red])
    assert [c.name for c in services.stakeholders.councils_of(org)] == ["Havering", "Redbridge"]
    entry = [e for e in services.history(org.uuid) if e.field == "councils"][0]
    assert entry.new_value == "Havering; Redbridge"
    assert services.stakeholders.count(filters={"council": hav}) == 1
    assert services.stakeholders.count(filters={"council": services.councils.find("BD")}) == 0


def test_unknown_council_lists_known_ones(db):
    with pytest.raises(NotFoundError) as info:
        services.councils.find("Hackney")
    assert "Barking and Dagenham" in str(info.value)


def test_action_references_follow_home_council(org):
    services.set_actor("officer", "Havering")
    first = services.actions.create(title="One")
    second = services.actions.create(title="Two")
    assert (first.reference, second.reference) == ("HAV-A0001", "HAV-A0002")
    assert first.origin_council.name == "Havering"


def test_action_filters_and_search(org):
    today = dt.date.today()
    late = services.actions.create(title="Late knife bins", due_date=today - dt.timedelta(days=3), owner=org)
    services.actions.create(title="Done late", due_date=today - dt.timedelta(days=3), status="done")
    soon = services.actions.create(title="Soon", due_date=today + dt.timedelta(days=5))
    services.actions.create(title="Later", due_date=today + dt.timedelta(days=50))
    ids = lambda **kw: [a.id for a in services.actions.page(0, 100, **kw)]  # noqa: E731
    assert ids(filters={"overdue": True}) == [late.id]
    assert ids(filters={"due_within": 7}) == [soon.id]
    assert ids(search="KNIFE bins") == [late.id]
    assert ids(filters={"owner": org}) == [late.id]
    assert ids(filters={"status": ["done"]}) != []
    dates = [a.due_date for a in services.actions.page(0, 100, sort="due_date", descending=True)]
    assert dates == sorted(dates, reverse=True)


def test_action_list_is_one_query_however_many_rows(org):
    for i in range(30):
        services.actions.create(title=f"Action {i}", owner=org, council=services.councils.find("BD"))
    with count_queries() as counter:
        rows = services.actions.page(0, 30, sort="owner")
        names = [(a.owner.name, a.council.name) for a in rows]
    assert len(names) == 30
    assert counter.count == 1


def test_updates_need_exactly_one_target(org, summit):
    update = services.updates.add(org, "Met at the summit", date=dt.date(2019, 1, 16))
    assert update.author == "test user"
    assert services.updates.of(org)[0].text == "Met at the summit"
    with pytest.raises(ValidationError) as info:
        services.updates.create(text="orphan")
    assert "exactly one" in info.value.errors["target"]


def test_attendance_is_unique_and_re_attending_restores(org, summit):
    first = services.attendance.attend(summit, org, role="delegate")
    services.attendance.delete(first)
    again = services.attendance.attend(summit, org, role="speaker")
    assert again.id == first.id and again.deleted_at is None and again.role == "speaker"
    with pytest.raises(ValidationError):
        services.attendance.create(event=summit, stakeholder=org)
    assert [a.stakeholder.name for a in services.attendance.attendees(summit)] == [org.name]


def test_commitment_rag_rolls_up_from_actions(org):
    today = dt.date.today()
    com = services.commitments.create(title="Mentoring", made_by=org, date_made=today, rag="G")
    assert services.commitments.rolled_up_rag(com) == "G"  # no actions: its own RAG
    a = services.actions.create(title="a", commitment=com, due_date=today + dt.timedelta(days=9))
    assert services.commitments.rolled_up_rag(com) == "A"
    services.actions.update(a, status="done")
    assert services.commitments.rolled_up_rag(com) == "G"
    services.actions.create(title="b", commitment=com, due_date=today - dt.timedelta(days=1))
    assert services.commitments.rolled_up_rag(com) == "R"
    assert services.commitments.action_counts() == {com.id: (1, 1, 1)}


def test_stats_and_check_on_a_sound_database(org):
    services.actions.delete(services.actions.create(title="gone"))
    counts = services.stats()
    assert counts["stakeholders"] == 1 and counts["actions"] == 0 and counts["deleted"]["actions"] == 1
    assert services.check() == []


def test_check_finds_broken_invariants(org):
    person = services.stakeholders.create(name="P", kind="person", sector="police")
    other = services.stakeholders.create(name="Q", kind="person", sector="police")
    Stakeholder.update(organisation=person).where(Stakeholder.id == other.id).execute()
    ActionItem.insert(reference="X-1", title="t", description="", priority="low", status="open",
                      uuid=org.uuid, created_at=org.created_at, updated_at=org.updated_at, version=1).execute()
    problems = services.check()
    assert any("not an organisation" in p for p in problems)
    assert not any("action_item IDs" in p for p in problems)  # the same UUID in two tables is allowed


def test_long_text_is_limited_to_what_a_spreadsheet_cell_holds(org):
    services.stakeholders.update(org, notes="n" * 32_767)
    with pytest.raises(ValidationError) as info:
        services.stakeholders.update(org, notes="n" * 32_768)
    assert info.value.errors == {"notes": "is too long (at most 32,767 characters)"}

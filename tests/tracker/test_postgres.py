"""The same domain on a shared PostgreSQL server (what a partnership uses instead of a file).

Runs when TRACKER_TEST_POSTGRES names a database the tests may wipe (scripts/run-tests starts a
local server and sets it); each test starts from an empty schema.
"""

import datetime as dt

import pytest

from tests.tracker.postgres_helpers import fresh_postgres_database, needs_postgres
from tracker import migrations, services
from tracker.db import close_database
from tracker.demo import load_demo
from tracker.errors import StaleEditError, ValidationError

pytestmark = needs_postgres


@pytest.fixture
def pg():
    yield fresh_postgres_database()
    close_database()


def test_demo_services_and_check_on_postgres(pg):
    assert migrations.schema_version(pg) == migrations.LATEST_VERSION
    assert load_demo() > 500 and load_demo() == 0
    assert services.check() == []
    counts = services.stats()
    assert counts["actions"] >= 50 and counts["deleted"]["actions"] == 0
    overdue = services.actions.page(0, 1000, filters={"overdue": True}, sort="owner")
    assert overdue and all(a.due_date < dt.date.today() for a in overdue)
    assert services.actions.count(search="BOARD") == services.actions.count(search="board")
    com = services.commitments.page(0, 1)[0]
    assert services.commitments.rolled_up_rag(com) in ("R", "A", "G")
    assert services.commitments.action_counts()


def test_validation_locking_and_soft_delete_on_postgres(pg):
    org = services.stakeholders.create(name="Ben Kinsella Trust", sector="voluntary")
    with pytest.raises(ValidationError):
        services.stakeholders.create(name="", sector="voluntary")
    services.stakeholders.update(org, role="Charity", expected_version=1)
    with pytest.raises(StaleEditError):
        services.stakeholders.update(org, role="Stale", expected_version=1)
    services.stakeholders.delete(org)
    assert services.stakeholders.count() == 0 and services.stakeholders.count(deleted=True) == 1
    assert [e.operation for e in services.history(org.uuid)] == ["create", "update", "delete"]


def test_create_many_on_postgres(pg):
    org = services.stakeholders.create(name="Org", sector="police")
    havering = services.councils.find("Havering")
    uuids = services.commitments.create_many(
        [{"title": f"Promise {i}", "made_by": org, "date_made": dt.date(2019, 1, 16), "councils": [havering]}
         for i in range(3)])
    made = [services.commitments.get(u) for u in uuids]
    assert [c.title for c in made] == ["Promise 0", "Promise 1", "Promise 2"]
    assert all([x.name for x in services.commitments.councils_of(c)] == ["Havering"] for c in made)
    assert [e.operation for e in services.history(uuids[0])] == ["create"]
    refs = services.actions.create_many([{"title": "a", "owner": org}, {"title": "b"}])
    assert [services.actions.get(u).reference for u in refs] == ["X-A0001", "X-A0002"]

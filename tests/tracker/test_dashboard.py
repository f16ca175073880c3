"""The dashboard's figures (tracker.services.dashboard) against the records themselves."""

import datetime as dt

import pytest
from playhouse.test_utils import count_queries

from tracker import services, vocab
from tracker.dates import add_months
from tracker.models import ActionItem, AuditEntry, Commitment, Stakeholder
from tracker.services import dashboard as dash
from tests.tracker.postgres_helpers import fresh_postgres_database, needs_postgres

TODAY = dt.date.today()


def live_actions():
    return list(ActionItem.select().where(ActionItem.deleted_at.is_null()))


def overdue(action, today=TODAY):
    return action.due_date is not None and action.due_date < today and action.status not in vocab.ACTION_CLOSED


def opened_in(month):
    """The live actions whose creation the audit trail dates in ``month`` (a dashboard Month)."""
    live = {a.uuid for a in live_actions()}
    return sum(e.record_uuid in live and month.start <= e.at.date() <= month.end
               for e in AuditEntry.select().where(AuditEntry.table == ActionItem._meta.table_name,
                                                  AuditEntry.operation == "create"))


def test_tiles_count_what_the_records_say(demo_db):
    data = dash.dashboard()
    acts = live_actions()
    assert data.tile("overdue").count == sum(overdue(a) for a in acts) > 0
    assert data.tile("no_owner").count == sum(a.owner_id is None and a.status not in vocab.ACTION_CLOSED
                                              for a in acts)
    rags = services.commitments.rolled_up_rags(Commitment.select(Commitment.id).where(Commitment.deleted_at.is_null()))
    soon = TODAY + dt.timedelta(days=30)
    attention = [c for c in Commitment.select().where(Commitment.deleted_at.is_null())
                 if c.status not in vocab.COMMITMENT_CLOSED
                 and ((c.target_date is not None and c.target_date <= soon) or rags[c.id] == "R")]
    assert data.tile("attention").count == len(attention) > 0
    assert data.totals["actions"] == len(acts)
    # Each tile's link is the list's filter: the list shows exactly the rows counted.
    for tile in data.tiles:
        service = getattr(services, tile.link.kind)
        assert service.count(filters=tile.link.filters) == tile.count


def test_not_engaged_means_no_attendance_and_no_update_by_the_organisation_or_its_people(demo_db):
    data = dash.dashboard()
    org = services.stakeholders.create(kind="organisation", name="Quiet Partner Trust", sector="voluntary")
    person = services.stakeholders.create(kind="person", name="Pat Quiet", organisation=org, sector="voluntary")
    assert dash.dashboard().tile("not_engaged").count == data.tile("not_engaged").count + 1
    event = services.events.create(title="Partnership catch-up", kind="meeting", date=TODAY - dt.timedelta(days=20))
    services.attendance.attend(event, person)
    assert dash.dashboard().tile("not_engaged").count == data.tile("not_engaged").count
    assert org.id not in {s.id for s in services.stakeholders.page(0, 1000, filters={"not_engaged": 6})}
    # Seven months ago is not engagement within six.
    assert dash.dashboard(today=add_months(TODAY, 7)).tile("not_engaged").count >= data.tile("not_engaged").count + 1


def test_a_council_counts_as_the_action_log_does(demo_db):
    havering = services.councils.find("Havering")
    data = dash.dashboard(council=havering)
    assert data.council_name == "Havering"
    assert data.tile("overdue").count == sum(overdue(a) for a in live_actions() if a.council_id == havering.id)
    assert data.tile("overdue").count < dash.dashboard().tile("overdue").count
    assert [row.name for row in data.commitments] == ["Havering"]
    assert data.tile("overdue").link.filters == {"overdue": True, "council": havering.id}
    assert data.tile("overdue").count == services.actions.count(filters={"overdue": True, "council": havering.id})


def test_commitments_per_council_by_status_and_rag(demo_db):
    data = dash.dashboard()
    for row in data.commitments:
        ids = services.commitments.ids_matching(filters={"council": row.council_id})
        mine = list(Commitment.select().where(Commitment.id.in_(ids)))
        assert sum(row.by_status.values()) == len(mine) == sum(row.by_rag.values())
        for status, n in row.by_status.items():
            assert n == sum(c.status == status for c in mine)
        rags = services.commitments.rolled_up_rags(mine)
        for rag, n in row.by_rag.items():
            assert n == sum(rags[c.id] == rag for c in mine)
            if rag:
                assert n == services.commitments.count(filters={"council": row.council_id, "rolled_up_rag": rag})


def test_owner_organisations_worst_overdue_first(demo_db):
    owners = dash.dashboard().owners
    assert 0 < len(owners) <= 10
    assert [o.overdue for o in owners] == sorted((o.overdue for o in owners), reverse=True)
    top = owners[0]
    mine = [a for a in live_actions() if a.owner_id is not None
            and top.organisation_id in (a.owner_id, Stakeholder.get_by_id(a.owner_id).organisation_id)]
    assert top.overdue == sum(overdue(a) for a in mine)
    assert top.open == sum(a.status not in vocab.ACTION_CLOSED for a in mine)
    assert top.open == services.actions.count(filters={"owner_organisation": top.organisation_id, "open": True})


def test_the_top_ten_owners_keep_ties_at_the_tenth_place_in_name_order(db):
    """The organisations are ranked in SQL and only the top ones read: a tie across the tenth place must
    still come out as a full sort would have it (overdue, then open, then name)."""
    today = dt.date(2026, 6, 1)
    orgs = [services.stakeholders.create(name=f"Partner {chr(90 - i)}", sector="police") for i in range(14)]
    person = services.stakeholders.create(name="Pat Person", kind="person", sector="police", organisation=orgs[0])
    rows = []
    for i, org in enumerate(orgs):  # overdue 14, 13, ... 6, then five organisations tied on 5 overdue, 6 open
        late = max(14 - i, 5)
        rows += [{"title": f"o{i}-{n}", "owner": org, "status": "open", "due_date": today - dt.timedelta(days=1)}
                 for n in range(late)]
        rows += [{"title": f"d{i}", "owner": org, "status": "done", "due_date": today - dt.timedelta(days=1)}]
        rows += [{"title": f"f{i}", "owner": org, "status": "open", "due_date": today + dt.timedelta(days=5)}]
    rows += [{"title": "person's", "owner": person, "status": "blocked", "due_date": today - dt.timedelta(days=3)},
             {"title": "nobody's", "status": "open"}, {"title": "nobody's, closed", "status": "cancelled"}]
    # The actions of no owner rank first (they are no organisation): the tied five share the eleventh rank.
    rows += [{"title": f"n{n}", "status": "open", "due_date": today - dt.timedelta(days=9)} for n in range(20)]
    services.actions.create_many(rows)
    owners = dash.dashboard(today=today, history=False).owners
    acts = live_actions()
    expected = []
    for org in orgs:
        mine = [a for a in acts if a.owner_id in (org.id, person.id if org is orgs[0] else org.id)]
        expected.append((org.name, sum(overdue(a, today) for a in mine),
                         sum(a.status not in vocab.ACTION_CLOSED for a in mine)))
    expected.sort(key=lambda row: (-row[1], -row[2], row[0]))
    assert [(o.name, o.overdue, o.open) for o in owners] == expected[:10]
    assert owners[0].overdue == 15  # the first organisation's 14 and its person's blocked one
    # One of the five tied across the tenth place: the first by name, though created last.
    assert [(o.name, o.overdue) for o in owners[-3:]] == [("Partner S", 7), ("Partner R", 6), ("Partner M", 5)]
    data = dash.dashboard(today=today, history=False)
    assert data.tile("no_owner").count == 21 and data.totals["actions"] == len(acts)
    assert data.tile("overdue").count == sum(overdue(a, today) for a in acts)


def test_the_live_total_when_no_action_is_open(db):
    services.actions.create_many([{"title": "Done", "status": "done"}, {"title": "Dropped", "status": "cancelled"}])
    data = dash.dashboard(history=False)
    assert data.totals["actions"] == 2 and data.owners == [] and data.tile("overdue").count == 0


def test_history_from_the_audit_trail(demo_db):
    before = dash.dashboard().months[-1]
    action = services.actions.create(title="Book the venue", status="open", due_date=TODAY - dt.timedelta(days=3))
    now = dash.dashboard().months[-1]
    assert (now.opened, now.closed, now.overdue) == (before.opened + 1, before.closed, before.overdue + 1)
    services.actions.update(action, status="done")
    now = dash.dashboard().months[-1]
    assert (now.opened, now.closed, now.overdue) == (before.opened + 1, before.closed + 1, before.overdue)
    months = dash.dashboard().months
    assert len(months) == 12 and months[-1].end == TODAY and months[0].start == add_months(TODAY.replace(day=1), -11)
    # Each month counts the actions the trail says were created in it (the demo has a past: tracker.demo.History).
    assert [m.opened for m in months] == [opened_in(m) for m in months]
    assert sum(m.opened > 0 for m in months) >= 6


def test_as_of_a_date(demo_db):
    later = TODAY + dt.timedelta(days=90)
    data = dash.dashboard(today=later)
    assert data.tile("overdue").count == sum(overdue(a, later) for a in live_actions())
    assert data.tile("overdue").link.filters == {"overdue": True, "today": later}
    assert all(TODAY + dt.timedelta(days=90) <= u.date <= later + dt.timedelta(days=30) for u in data.upcoming)


def test_upcoming_next_30_days_by_date(demo_db):
    event = services.events.create(title="Redbridge youth forum", kind="meeting", date=TODAY + dt.timedelta(days=5))
    data = dash.dashboard()
    assert [u.date for u in data.upcoming] == sorted(u.date for u in data.upcoming)
    assert any(u.kind == "events" and u.record_id == event.id for u in data.upcoming)
    assert all(TODAY <= u.date <= TODAY + dt.timedelta(days=30) for u in data.upcoming)


@pytest.mark.parametrize("council", [None, "Redbridge"])
def test_a_fixed_number_of_queries(demo_db, council):
    council = services.councils.find(council) if council else None
    with count_queries() as counter:
        dash.dashboard(council=council)
    assert dash.QUERIES == 9  # 3 counts (stakeholders, events, commitments), the actions per owner, commitments
    # per council, the months, the next 30 days (3)
    assert counter.count == 9 + (council is not None)


def test_an_empty_database(db):
    data = dash.dashboard()
    assert data.is_empty and all(t.count == 0 for t in data.tiles)
    assert data.owners == [] and data.upcoming == [] and all(m.opened == 0 for m in data.months)


@needs_postgres
def test_the_same_figures_on_postgresql():
    from tracker.db import close_database
    from tracker.demo import load_demo

    fresh_postgres_database()
    try:
        load_demo()
        data = dash.dashboard()
        assert data.totals["actions"] == len(live_actions()) and data.tile("overdue").count == sum(
            overdue(a) for a in live_actions())
        for tile in data.tiles:
            assert getattr(services, tile.link.kind).count(filters=tile.link.filters) == tile.count
        assert [m.opened for m in data.months] == [opened_in(m) for m in data.months]
        assert data.months[-1].overdue == data.tile("overdue").count
        assert data.owners[0].open == services.actions.count(
            filters={"owner_organisation": data.owners[0].organisation_id, "open": True})
        assert dash.dashboard(council=services.councils.find("Havering")).tile("overdue").count < data.tile(
            "overdue").count
    finally:
        close_database()

"""Services the app's lists rely on: rolled-up RAG for a page of commitments in one query."""

import datetime as dt

from playhouse.test_utils import count_queries

from tracker import services


def test_rolled_up_rags_match_one_by_one_in_one_query(db):
    today = dt.date.today()
    org = services.stakeholders.create(name="Ben Kinsella Trust", sector="voluntary")
    own = services.commitments.create(title="No actions yet", made_by=org, rag="G")
    late = services.commitments.create(title="Late", made_by=org)
    services.actions.create(title="late", commitment=late, due_date=today - dt.timedelta(days=2))
    going = services.commitments.create(title="Going", made_by=org, rag="R")
    services.actions.create(title="soon", commitment=going, due_date=today + dt.timedelta(days=2))
    services.actions.create(title="skip", commitment=going, status="cancelled",
                            due_date=today - dt.timedelta(days=9))
    done = services.commitments.create(title="Done", made_by=org)
    services.actions.create(title="done", commitment=done, status="done")
    services.actions.delete(services.actions.create(title="deleted", commitment=done, status="blocked"))
    rows = [own, late, going, done]
    with count_queries() as counter:
        rags = services.commitments.rolled_up_rags(rows)
    assert counter.count == 1
    assert rags == {own.id: "G", late.id: "R", going.id: "A", done.id: "G"}
    assert rags == {c.id: services.commitments.rolled_up_rag(c) for c in rows}
    assert services.commitments.rolled_up_rags([]) == {}



def test_a_rows_position_agrees_with_the_lists_order(demo_db):
    # A list following a change asks where a changed row now stands instead of reading every row again.
    some = services.actions.query(filters={"open": True})
    services.actions.update(some[3], due_date=None)  # nulls sort last either way
    services.actions.update(some[4], owner=None)
    for sort in ("due_date", "owner", "title", "status", "reference", "updated"):
        for descending in (False, True):
            args = {"sort": sort, "descending": descending, "filters": {"open": True}}
            listed = list(services.actions.query(**args))
            for i in (0, 1, 7, len(listed) // 2, len(listed) - 2, len(listed) - 1):
                assert services.actions.position(listed[i], **args) == i, (sort, descending, i)
    done = services.actions.query(filters={"status": "done"}).first()
    ids = [listed[0].id, listed[-1].id, done.id]
    assert {a.id for a in services.actions.rows_by_id(ids, **args)} == set(ids[:2])  # the filter applies

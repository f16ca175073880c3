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

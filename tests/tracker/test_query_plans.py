"""Lists stay fast on big databases: SQLite gets statistics, pages use the sort's index, counts skip joins."""

import datetime as dt
import re

from playhouse.test_utils import count_queries

from tracker import services
from tracker.db import close_database, database, refresh_statistics
from tracker.opening import open_database


def _plan(query):
    sql, params = query.sql()
    return " / ".join(row[-1] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())


def test_a_big_batch_gives_the_planner_statistics_and_pages_use_the_due_date_index(db):
    assert not refresh_statistics()  # a new database: nothing worth analysing
    services.actions.create_many([{"title": f"a{i}", "due_date": dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)}
                                  for i in range(3000)])
    assert database.execute_sql("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'action_item'").fetchone()[0] > 0
    assert not refresh_statistics()  # up to date now
    plan = _plan(services.actions.query(sort="due_date").limit(200))
    assert "action_item_due_date" in plan and "TEMP B-TREE" not in plan, plan
    page = services.actions.page(0, 5, sort="due_date", descending=True)
    assert [a.due_date for a in page] == [dt.date(2026, 1, 1) + dt.timedelta(days=299)] * 5


def test_opening_a_database_that_grew_elsewhere_analyses_it(db, db_path):
    conn = database.connection()
    with database.atomic():
        conn.executemany("INSERT INTO action_item (uuid, created_at, updated_at, version, reference, title, description,"
                         " priority, status) VALUES (?, '2026-01-01', '2026-01-01', 1, ?, 't', '', 'medium', 'open')",
                         [(f"{i:032x}", f"X-A{i:05d}") for i in range(2500)])
    close_database()
    open_database(db_path)
    assert database.execute_sql("SELECT stat FROM sqlite_stat1 WHERE idx = 'action_item_due_date'").fetchone()[0] \
        .startswith("2500 ")


def test_count_matches_the_list_and_needs_no_join(db):
    org = services.stakeholders.create(name="Org", sector="police")
    services.actions.create_many([{"title": f"Knife crime {i}", "owner": org if i % 2 else None,
                                   "status": "blocked" if i % 3 == 0 else "open"} for i in range(30)])
    args = {"search": "knife 1", "filters": {"owner": org, "status": ["blocked", "open"]}}
    with count_queries() as counter:
        total = services.actions.count(**args)
    assert total == len(services.actions.page(0, 100, **args)) > 0
    assert total < services.actions.count(search="knife")
    assert counter.count == 1 and "JOIN" not in counter.get_queries()[0].msg[0]
    assert services.actions.count(deleted=True) == 0


def test_the_dashboards_actions_are_read_in_one_pass_along_the_covering_owner_index(db):
    from tracker.services import dashboard as dash

    org = services.stakeholders.create(name="Org", sector="police")
    services.actions.create_many([{"title": f"a{i}", "owner": org if i % 2 else None,
                                   "due_date": dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)} for i in range(3000)])
    refresh_statistics()
    with count_queries() as counter:
        total, counts, owners = dash.action_load({}, dt.date(2026, 6, 1))
    overdue = services.actions.count(filters={"overdue": True, "today": dt.date(2026, 6, 1)})
    assert (total, counts, [(o.name, o.open) for o in owners]) == (3000, {"overdue": overdue, "no_owner": 1500},
                                                                  [("Org", 1500)])
    assert counter.count == 1
    sql, params = counter.get_queries()[0].msg
    steps = [row[-1] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
    aliases = set(re.findall(r'"action_item" AS "(\w+)"', sql))
    reads = [step for step in steps if step.split(" ")[:2] in ([v, a] for v in ("SCAN", "SEARCH") for a in aliases)]
    # The open actions grouped per owner as read (no sort of 100k rows), every column from the index (no
    # row fetched from the table); the live total counted on the deleted index alone.
    assert sorted((step.split(" ")[0], step.split(" ", 2)[2]) for step in reads) == [
        ("SCAN", "USING COVERING INDEX action_item_owner_id_deleted_at_status_due_date_council_id"),
        ("SEARCH", "USING COVERING INDEX action_item_deleted_at (deleted_at=?)")], steps


def test_the_commitments_rag_is_rolled_up_along_the_covering_commitment_index(db):
    from tracker.services import dashboard as dash

    council = services.councils.find("Havering")
    maker = services.stakeholders.create(name="Org", sector="police")
    commitment = services.commitments.create(title="Open two venues", made_by=maker, councils=[council])
    services.actions.create_many([{"title": f"a{i}", "commitment": commitment, "status": "open",
                                   "due_date": dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)} for i in range(3000)])
    refresh_statistics()
    with count_queries() as counter:
        rows = dash.commitments_by_council({}, dt.date(2026, 6, 1))
    assert [(r.name, r.by_rag) for r in rows] == [("Havering", {"R": 1})]  # open actions past due: red
    sql, params = counter.get_queries()[0].msg
    plan = " / ".join(row[-1] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "COVERING INDEX action_item_commitment_id_deleted_at_status_due_date" in plan, plan  # no action row read

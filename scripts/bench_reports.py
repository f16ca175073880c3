"""Benchmark: the action log of N actions against bare openpyxl write-only of the same values.

    /work/venv/bin/python scripts/bench_reports.py [--actions 100000] [--db /tmp/bench-reports.db]

Builds (once) a database of N actions with owners, organisations, councils, commitments and
updates, then times three things, best of ``--repeat``:
  report  = tracker.reports.write_action_log (queries + styling + safe text cells + atomic save)
  gather  = tracker.reports.action_log alone (the two queries and the row dicts)
  bare    = openpyxl write-only, ws.append(plain values) of the very same cells, no styles
The target (issue 7): report <= 1.5 x bare.
"""

import argparse
import datetime as dt
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from tracker import reports, services  # noqa: E402
from tracker.db import database  # noqa: E402
from tracker.models import ActionItem, Commitment, Stakeholder, Update, utcnow  # noqa: E402
from tracker.opening import open_database  # noqa: E402


def build(n):
    """Insert ``n`` actions in bulk (the services would audit each one: far too slow for set-up)."""
    now, today = utcnow(), dt.date.today()
    councils = services.councils.all_councils()
    with database.atomic():
        orgs = [services.stakeholders.create(name=f"Organisation {i}", sector="voluntary") for i in range(40)]
        people = [services.stakeholders.create(name=f"Person {i}", kind="person", organisation=orgs[i % 40],
                                               sector="voluntary") for i in range(400)]
        coms = [services.commitments.create(title=f"Commitment {i} to reduce serious violence in the borough",
                                            made_by=orgs[i % 40], date_made=dt.date(2019, 1, 16), theme="youth")
                for i in range(200)]

    def common():
        return {"uuid": uuid.uuid4(), "created_at": now, "updated_at": now}

    statuses = ["open", "in_progress", "blocked", "done", "cancelled"]
    rows = [{**common(), "reference": f"BM-A{i:06d}",
             "title": f"Action {i}: agree terms of reference and report progress to the partnership board",
             "commitment": coms[i % 200].id, "owner": people[i % 400].id, "council": councils[i % 3].id,
             "due_date": today + dt.timedelta(days=(i % 400) - 200), "priority": "medium",
             "status": statuses[i % 5]} for i in range(n)]
    with database.atomic():
        for start in range(0, n, 5000):
            ActionItem.insert_many(rows[start:start + 5000]).execute()
        ids = [a for (a,) in ActionItem.select(ActionItem.id).tuples()]
        updates = [{**common(), "date": today - dt.timedelta(days=i % 30), "author": "bench",
                    "text": "Discussed at the partnership board; waiting for the data-sharing agreement.",
                    "action": ids[i]} for i in range(0, len(ids), 2)]
        for start in range(0, len(updates), 5000):
            Update.insert_many(updates[start:start + 5000]).execute()


def bare(report, path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(report.title)
    keys = [c.key for c in report.columns]
    ws.append([c.header for c in report.columns])
    for row in report.rows:
        ws.append([row.get(k) for k in keys])
    wb.save(path)


def best(fn, repeat):
    """(wall, CPU) seconds, best of ``repeat``; CPU time is steadier on a shared machine."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "bench-reports.db"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    services.set_actor("bench", "")
    open_database(args.db, create=True)
    have = ActionItem.select().count()
    if have != args.actions:
        if have:
            sys.exit(f"{args.db} has {have} actions; give another --db")
        build(args.actions)
    print(f"{ActionItem.select().count()} actions, {Stakeholder.select().count()} stakeholders, "
          f"{Commitment.select().count()} commitments, {Update.select().count()} updates")
    out = Path(tempfile.mkdtemp())
    report = reports.action_log({})
    t_gather = best(lambda: reports.action_log({}), args.repeat)
    t_report = best(lambda: reports.write_action_log(out / "report.xlsx", {}), args.repeat)
    t_bare = best(lambda: bare(report, out / "bare.xlsx"), args.repeat)
    print("                                 wall s   CPU s")
    print(f"gather rows (2 queries)         {t_gather[0]:7.2f} {t_gather[1]:7.2f}")
    print(f"action-log report, end to end   {t_report[0]:7.2f} {t_report[1]:7.2f}  "
          f"({(out / 'report.xlsx').stat().st_size / 1e6:.1f} MB)")
    print(f"bare openpyxl write-only        {t_bare[0]:7.2f} {t_bare[1]:7.2f}  "
          f"({(out / 'bare.xlsx').stat().st_size / 1e6:.1f} MB)")
    print(f"ratio report / bare             {t_report[0] / t_bare[0]:7.2f} {t_report[1] / t_bare[1]:7.2f}"
          f"  (target <= 1.5)")


if __name__ == "__main__":
    main()

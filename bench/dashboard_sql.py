#!/usr/bin/env python
"""The dashboard's SQL alone, timed: ``tracker.services.dashboard`` at N actions, no Qt.

    python bench/dashboard_sql.py [--actions N] [--db PATH] [--repeats R] [--council NAME] [--json]

Builds bench/data.py's database of N actions (default 100k; ``--db PATH``: kept there and reused
when it exists, so a before/after comparison reads the same file) and gives it an audit trail
(:func:`add_history`): the over-time chart reads its months from the trail, and bench/data.py writes
none.  Then times, warm (one run first, unmeasured), the median of ``--repeats`` runs of
``dashboard(history=False)`` (the tiles, the commitments per council, the owners, the next 30 days:
what the window paints first) and of ``months()`` (the over-time chart, read afterwards on a
worker), and counts their queries.  As of bench/data.py's fixed ``TODAY``, so every run counts the
same overdue share.  See docs/performance.md for the numbers.
"""

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # bench/data.py, beside this script

HISTORY_DAYS = 730  # actions were opened over the two years before TODAY
IMPORTED = 0.3  # this share arrived by exchange imports (no creation entry of their own)
IMPORT_RUNS = 8


def add_history(path, seed=data.SEED):
    """An audit trail for bench/data.py's actions, as the app would have written it: most created in the
    app (a creation entry, ``created_at`` at that moment), the rest added by one of a few imports (no
    entry; ``created_at`` the partner's, before the import); the done or cancelled closed by a status
    entry (some closed twice, reopened between), some changed otherwise; and the creations of the
    stakeholders and commitments (entries of other tables, which the dashboard must skip).
    Deterministic; returns the number of entries written."""
    rng = random.Random(seed + 16)
    start = dt.datetime.combine(data.TODAY, dt.time(9)) - dt.timedelta(days=HISTORY_DAYS)
    moment = lambda: start + dt.timedelta(seconds=rng.randint(0, HISTORY_DAYS * 86400))
    conn = sqlite3.connect(str(path))
    try:
        runs = sorted(moment() for _ in range(IMPORT_RUNS))
        conn.executemany('INSERT INTO exchange_import ("at", "user", "council", "file_name", "file_sha256", '
                         '"from_council", "on_conflict", "added", "updated", "unchanged", "conflicts", "details") '
                         "VALUES (?, 'Bench Officer', 'Havering', ?, '', 'Redbridge', 'ask', 0, 0, 0, 0, '')",
                         [(at, f"exchange-{i}.xlsx") for i, at in enumerate(runs)])
        entries, created = [], []

        def entry(at, operation, table, uuid, field="", old=None, new=None):
            entries.append((at, "Bench Officer", "Havering", operation, table, uuid, field, old, new, ""))

        for table in ("stakeholder", "commitment"):
            for (uuid,) in conn.execute(f'SELECT uuid FROM "{table}"').fetchall():
                entry(moment(), "create", table, uuid, new="{}")
        for aid, uuid, status in conn.execute('SELECT id, uuid, status FROM action_item ORDER BY id').fetchall():
            opened = moment()
            if rng.random() < IMPORTED:
                run = rng.choice(runs)
                opened = run - dt.timedelta(days=rng.randint(0, 60))  # the partner created it before sending it
                created.append((opened, aid))
                opened = run
            else:
                created.append((opened, aid))
                entry(opened, "create", "action_item", uuid, new="{}")
            later = lambda opened=opened: opened + dt.timedelta(seconds=rng.randint(60, 120 * 86400))
            if rng.random() < 0.5:
                entry(later(), "update", "action_item", uuid, "title", "Old title", "New title")
            if status in ("done", "cancelled") and rng.random() < 0.9:
                if rng.random() < 0.1:  # closed, reopened, closed again: the last closing counts
                    first = later()
                    entry(first, "update", "action_item", uuid, "status", "open", status)
                    entry(first + dt.timedelta(days=3), "update", "action_item", uuid, "status", status, "open")
                entry(later(), "update", "action_item", uuid, "status", "in_progress", status)
            elif rng.random() < 0.3:
                entry(later(), "update", "action_item", uuid, "status", "open", "in_progress")
        conn.executemany('UPDATE action_item SET created_at = ?, updated_at = ? WHERE id = ?',
                         [(at, at, aid) for at, aid in created])
        conn.executemany('INSERT INTO audit_entry ("at", "user", "council", "operation", "table", "record_uuid", '
                         '"field", "old_value", "new_value", "source") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', entries)
        conn.commit()
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return len(entries)


def timed(call, repeats):
    """Median ms of ``repeats`` runs of ``call`` after one unmeasured run (wall clock, and this process's
    CPU: SQLite runs in it, so on a shared machine the CPU time is the steadier figure), and its queries."""
    from playhouse.test_utils import count_queries

    with count_queries() as counter:
        call()
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {"ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
            "cpu_ms": round(statistics.median(cpu), 1), "queries": counter.count}


def measure(path, repeats, council=None):
    """``dashboard(history=False)`` and ``months()`` on the database at ``path``, as of bench/data.py's TODAY."""
    from tracker.db import close_database
    from tracker.opening import open_database

    open_database(path)
    try:
        from tracker import services
        from tracker.services import dashboard as dash

        council = services.councils.find(council) if council else None
        scope = {"council": council.id} if council else {}
        return {"dashboard_ms": timed(lambda: dash.dashboard(council, today=data.TODAY, history=False), repeats),
                "months_ms": timed(lambda: dash.months(scope, data.TODAY), repeats)}
    finally:
        close_database()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=100_000, metavar="N", help="actions (default 100000)")
    parser.add_argument("--db", type=Path, metavar="PATH", help="build the database here once, and reuse it")
    parser.add_argument("--repeats", type=int, default=7, metavar="R", help="runs per figure (median); default 7")
    parser.add_argument("--council", metavar="NAME", help="the dashboard filtered to this council")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tracker-dashsql-") as tmp:
        os.environ["TRACKER_DATA_DIR"] = os.environ.get("TRACKER_DATA_DIR") or tmp
        os.environ.pop("TRACKER_DB", None)
        path = args.db or Path(tmp) / "dashboard.db"
        if not path.exists():
            start = time.perf_counter()
            data.build(path, args.actions)
            entries = add_history(path)
            print(f"built {path} ({args.actions} actions, {entries} audit entries) in "
                  f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
        result = measure(path, args.repeats, args.council)
    if args.json:
        print(json.dumps(result))
    else:
        for key, row in result.items():
            print(f"{key[:-3]:<10} median {row['ms']:8.1f} ms   min {row['min_ms']:8.1f} ms   "
                  f"CPU median {row['cpu_ms']:8.1f} ms   {row['queries']} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())

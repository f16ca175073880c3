#!/usr/bin/env python
"""Issue 13's ``import_table`` bench row taken apart: ``plan_import`` and ``apply_plan`` timed separately.

    python bench/table_profile.py [--folder DIR] [--runs N] [--steps] [--baseline] [--profile plan|apply] [--dump FILE]
    python bench/table_profile.py --compare BEFORE.json AFTER.json

Builds the bench's 100k-action database and partner sheet (``bench/table_rows.py``, the same seed)
once in ``--folder`` (kept between runs), then for each run copies the database and reports wall
and CPU seconds of planning and applying and the statements sent (``execute_sql``; an
``executemany`` counts once); ``--baseline`` also times the bench's baseline (``table_rows.bare_import_table``:
calamine, the email dict, raw ``executemany``) after each run, in wall and CPU seconds, and gives both ratios
(on a shared machine the CPU ratio is the steadier one); ``--steps`` adds each step's (reading, matching, prefetch, creating,
updating...; prepare and prefetch are inside plan_people).  ``--profile`` prints cProfile's top functions of one phase;
``--dump`` writes the whole plan (every entry, its candidates and scores, the changes) and every
row the import wrote, with new UUIDs and the run's own timestamps replaced by stable labels, so two
versions of the code can be compared (``--compare BEFORE AFTER``).
"""

import argparse
import cProfile
import json
import pstats
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import run as bench_run  # (the bench's own isolate, before the app's code is imported)


class Folder(bench_run.Bench):
    """bench/run.py's ``Bench`` (what ``table_rows`` needs of it), in a folder kept between runs."""

    def __init__(self, folder, n):  # (Bench's own makes a new folder each time)
        self.folder, self.n, self.repeats, self.log = folder, n, 1, print
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db = self.folder / "full.db"
        self.held = {}
        self._copies = 0


def prepare(folder, n):
    import pickle

    import data
    import table_rows

    bench = Folder(folder, n)
    if not bench.db.exists():
        data.build(bench.db, n)
    cache = folder / "held.pickle"
    if (folder / "people.db").exists() and cache.exists():
        bench.held["people.db"] = pickle.loads(cache.read_bytes())
    db, held = table_rows._database(bench, 0, "people.db")
    cache.write_bytes(pickle.dumps(held))
    sheet, kept = folder / "partner.xlsx", folder / "planted.pickle"
    if not (sheet.exists() and kept.exists()):  # written once: the file's SHA-256 is in the run's row
        kept.write_bytes(pickle.dumps(table_rows.partner_sheet(sheet, held, max(n // 10, 10))))
    return bench, db, sheet, pickle.loads(kept.read_bytes())


def counting():
    """A counter of the statements peewee sends."""
    from tracker.db import database

    db = database.obj
    count = [0]
    original = db.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        count[0] += 1
        return original(sql, params, *args, **kwargs)

    db.execute_sql = execute_sql
    return count


def one_run(bench, db, sheet, planted, profile=None, dump=None):
    import table_rows

    from tracker.db import close_database
    from tracker.opening import open_database
    from tracker.tableimport import Options, apply_plan, plan_import

    path = bench.copy(db)
    open_database(path)
    try:
        count = counting()
        profiler = cProfile.Profile()
        t0, c0 = time.perf_counter(), time.process_time()
        if profile == "plan":
            profiler.enable()
        plan = plan_import(sheet, Options(uncertain="hold"))
        profiler.disable()
        t1, c1, q1 = time.perf_counter(), time.process_time(), count[0]
        if dump:
            planned = plan_dump(plan)
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() - 2))
        if profile == "apply":
            profiler.enable()
        import_id = apply_plan(plan)
        profiler.disable()
        t2, c2, q2 = time.perf_counter(), time.process_time(), count[0]
        assert import_id is not None
        found = table_rows.recall_precision(plan, planted)
    finally:
        close_database()
    if profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    if dump:
        Path(dump).write_text(json.dumps({"plan": planned, "database": database_dump(path, started),
                                          "found": found}, indent=0, sort_keys=True, default=str))
    bench.drop(path)
    return {"plan_s": t1 - t0, "plan_cpu": c1 - c0, "plan_queries": q1, "apply_s": t2 - t1, "apply_cpu": c2 - c1,
            "apply_queries": q2 - q1, **found}


def baseline_run(bench, db, sheet):
    """The bench's baseline on a copy of the same database: (wall, CPU) seconds, in this process."""
    import table_rows

    path = bench.copy(db)
    c0 = time.process_time()
    try:
        wall = table_rows.bare_import_table(sheet, path)
    finally:
        cpu = time.process_time() - c0
        bench.drop(path)
    return wall, cpu


def time_steps():
    """Wrap the steps of planning and applying so each run's wall and CPU seconds per step are added up in
    the dict returned (no profiler: its overhead would skew the shares)."""
    import functools

    from tracker.services import base, matching, tableimports
    from tracker.tableimport import plan

    totals = {}

    def wrap(owner, name):
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                row = totals.setdefault(name, [0.0, 0.0])
                row[0] += time.perf_counter() - t
                row[1] += time.process_time() - c

        setattr(owner, name, timed)

    for owner, names in ((plan, ("read_source", "read_sheet", "StakeholderMatcher", "plan_people", "_check_new_people")),
                         (plan.Plan, ("prefetch",)), (matching.StakeholderMatcher, ("prepare",)),
                         (base.RecordService, ("create_many", "update_many")),
                         (tableimports, ("snapshot", "record_run"))):
        for name in names:
            wrap(owner, name)
    return totals


def _canon(value):
    if hasattr(value, "_meta"):
        return f"<{value._meta.table_name} {value.id}>"
    if hasattr(value, "key") and hasattr(value, "rows"):  # people.Organisation
        return f"<organisation {value.key}>"
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    return value if isinstance(value, (str, int, float, type(None))) else repr(value)


def plan_dump(plan):
    return {"json": _canon(plan.as_json()),
            "entries": [_canon({"sheet": e.sheet, "row": e.row, "action": e.action, "kind": e.kind,
                                "values": e.values, "organisation": e.organisation, "record_id": e.record_id,
                                "changes": e.changes, "candidates": e.candidates, "how": e.how,
                                "same_as": e.same_as.row if e.same_as else None, "written": e.written})
                        for e in plan.entries],
            "organisations": [_canon(vars(o)) for o in plan.organisations.values()],
            "problems": [p.as_json() for p in plan.problems]}


_UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\+00:00)?")


def database_dump(path, started):
    """Every table's rows, new UUIDs as the record's table and ID, the run's timestamps as <now>."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        names = {}
        for table in tables:
            columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")')]
            if "uuid" in columns:
                for rid, u in conn.execute(f'SELECT id, uuid FROM "{table}"'):
                    names[str(u).replace("-", "")] = f"{table}#{rid}"

        def text(value):
            if not isinstance(value, str):
                return value
            value = _UUID.sub(lambda m: names.get(m[0].replace("-", ""), "<uuid?>"), value)
            return _STAMP.sub(lambda m: "<now>" if m[0].replace("T", " ") >= started else m[0], value)

        out = {}
        for table in tables:
            # the rows the import may have touched: all of them but the actions and their kin
            if table in ("action_item", "update", "commitment", "commitment_council", "event", "attendance"):
                out[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                continue
            rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            out[table] = [[text(v) for v in row] for row in rows]
        return out
    finally:
        conn.close()


def compare(before, after):
    """0 when two ``--dump`` files agree in every entry, candidate, score, change, problem and stored row."""
    a, b = (json.loads(Path(p).read_text()) for p in (before, after))
    if a == b:
        print("identical: the plan (every entry, its candidates and scores, the changes, the problems), every row "
              "the import wrote, recall and precision")
        return 0
    for part in ("plan", "database"):
        for key in a[part]:
            if a[part][key] != b[part].get(key):
                x, y = a[part][key], b[part].get(key)
                print(f"{part} / {key} differs")
                if isinstance(x, list) and isinstance(y, list):
                    print(f"   {len(x)} against {len(y)} items")
                    for p, q in [(p, q) for p, q in zip(x, y) if p != q][:3]:
                        print(f"   - {str(p)[:400]}\n   + {str(q)[:400]}")
    if a["found"] != b["found"]:
        print("recall/precision differ:", a["found"], b["found"])
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", default="/tmp/tracker-table-profile")
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=("plan", "apply"))
    parser.add_argument("--dump", help="write the plan and the database after it as JSON here (one run)")
    parser.add_argument("--steps", action="store_true", help="also wall and CPU seconds of each step")
    parser.add_argument("--baseline", action="store_true", help="also the bench's baseline, and the ratios")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="compare two --dump files")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    folder = Path(args.folder)
    bench_run.isolate(folder)
    bench, db, sheet, planted = prepare(folder, args.actions)
    if args.profile or args.dump:
        print(one_run(bench, db, sheet, planted, args.profile, args.dump))
        return
    steps = time_steps() if args.steps else None
    runs = []
    for _ in range(args.runs):
        if steps is not None:
            steps.clear()
        runs.append(one_run(bench, db, sheet, planted))
        if args.baseline:
            wall, cpu = baseline_run(bench, db, sheet)
            ours_s, ours_cpu = runs[-1]["plan_s"] + runs[-1]["apply_s"], runs[-1]["plan_cpu"] + runs[-1]["apply_cpu"]
            runs[-1].update(ours_s=ours_s, ours_cpu=ours_cpu, baseline_s=wall, baseline_cpu=cpu,
                            ratio_wall=ours_s / wall, ratio_cpu=ours_cpu / cpu)
        print({k: round(v, 3) if isinstance(v, float) else v for k, v in runs[-1].items()})
        for name, (wall, cpu) in (steps or {}).items():
            print(f"    {name:<20} wall {wall:6.3f} s   cpu {cpu:6.3f} s")
    keys = ("plan_s", "plan_cpu", "apply_s", "apply_cpu") + (
        ("ours_s", "ours_cpu", "baseline_s", "baseline_cpu", "ratio_wall", "ratio_cpu") if args.baseline else ())
    print("median:", {k: round(statistics.median(r[k] for r in runs), 3) for k in keys},
          "queries:", runs[0]["plan_queries"], runs[0]["apply_queries"])


if __name__ == "__main__":
    main()

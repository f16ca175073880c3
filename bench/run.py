#!/usr/bin/env python
"""The performance benchmark: our code paths against the libraries' own floor, in the same run.

    python bench/run.py [--quick] [--json] [--actions N] [--repeats R]

Builds its own databases (deterministic seed) at 10k and 100k actions (``--quick``: 10k only;
``--actions N``: N only, for CI's smoke test) in a temporary folder, and measures each row as the
median of several runs against a baseline measured in the same run on the same data.  Shared,
noisy machines drift in absolute seconds; ratios hold.  Rows whose feature is not in this checkout
yet say so instead of giving a number.  Nothing touches the user's own data: TRACKER_DATA_DIR
points at the temporary folder and TRACKER_DB is unset before the app's code is imported.
See docs/performance.md for what the rows mean and what the numbers were.  (Over 450 lines: the one
script a person runs, each row beside its baseline; issue 13's rows live in bench/table_rows.py.)
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_AVAILABLE = "not available yet"

# (key, what, kind, target): kind "ratio" (ours / baseline), "ms", "mb", or "peer" (reported only).
ROWS = (
    ("import", "import the exchange workbook into an empty database vs calamine read + raw executemany", "ratio", 2.0),
    ("reimport", "re-import the same workbook (everything unchanged) vs the same baseline", "ratio", 2.0),
    ("export", "export actions to the exchange workbook vs bare openpyxl write_only of the same values", "ratio", 1.3),
    ("action_log", "action-log report vs bare openpyxl write_only of the same values", "ratio", 1.5),
    ("create_many", "create actions through the services in one batch vs raw executemany of the same rows",
     "ratio", 2.0),
    ("gui_first_rows", "GUI: main window opened on the Actions view until its first rows are painted", "ms", 300),
    ("gui_filter_keystroke", "GUI: one search keystroke in the Actions view, until repainted", "ms", 100),
    ("gui_sort_due", "GUI: sort the Actions view by due date, until repainted", "ms", 300),
    ("peak_rss", "peak memory of the app with the Actions view open", "mb", 300),
    ("libreoffice_csv", "peer: our import vs LibreOffice headless converting the same workbook to CSV", "peer", None),
    ("import_table", "partner's sheet of N/10 rows (30% held by email, 10% other spellings) into the database, "
     "plan + apply, vs calamine read + email dict + raw executemany", "ratio", 3.0),
    ("match_preview", "preview of a 240-row sign-in sheet against N/5 stakeholders (20k at 100k)", "ms", None),
    ("dashboard_first_paint", "GUI: the dashboard's tiles, list and charts painted, warm (figures read again, "
     "every chart laid out and painted on the UI thread; unchanged_ms: painted again on the same figures; "
     "cold_ms: the first paint in the process)", "ms", 300),
)
FIND_DUPLICATES = ("find_duplicates", "candidate duplicate groups among 20k stakeholders (planted duplicates of every "
                   "reason) vs raw read + rapidfuzz process.cdist within the same name blocks", "ratio", 2.0)
COLD_START = ("cold_start", "cold start to the main window with the demo data", "ms", 1500)
# Issue 15: N actions and N stakeholders (50k; --actions N: N), each view's rows read where the view looks.
LONG_LISTS = tuple(
    (f"list_{step}_{kind}", f"GUI: {what} in the {kind.capitalize()} view of N {kind}, until painted", "ms", 300)
    for kind in ("actions", "stakeholders")
    for step, what in (("open", "open the list"), ("ctrl_end", "Ctrl+End to the last row"),
                       ("middle", "scroll bar dragged to the middle"))
) + (("list_peak_rss", "peak memory of the app after opening and scrolling both long lists", "mb", 300),)


def isolate(folder):
    """Point the app's per-user folder at ``folder`` before any of its code is imported."""
    os.environ["TRACKER_DATA_DIR"] = str(folder / "data")
    os.environ.pop("TRACKER_DB", None)
    os.environ["TRACKER_USER"] = "Bench Officer"
    os.environ["TRACKER_COUNCIL"] = "Barking and Dagenham"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))


def label(n):
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


def median_pair(ours, baseline, repeats):
    """Run ``ours`` and ``baseline`` alternately ``repeats`` times; each returns seconds."""
    a, b = [], []
    for _ in range(repeats):
        a.append(ours())
        b.append(baseline())
    return statistics.median(a), statistics.median(b)


def ratio_row(ours_s, baseline_s, target):
    ratio = round(ours_s / baseline_s, 2)  # judged as reported, so the table never contradicts itself
    # seconds to 6 significant figures: tiny smoke runs take well under a millisecond
    return {"ours_s": float(f"{ours_s:.6g}"), "baseline_s": float(f"{baseline_s:.6g}"), "ratio": ratio,
            "target": target, "within_target": ratio <= target}


def absolute_row(unit, value, target):
    value = round(value, 1)
    return {unit: value, "target": target, "within_target": None if target is None else value <= target}


def missing(target, why=NOT_AVAILABLE):
    return {"status": why, "target": target}


def feature(module):
    """True when ``module`` is in this checkout (the feature has landed)."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


# ---- raw SQLite: the floor ----------------------------------------------------------------------
def raw_connection(path):
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=normal")
    conn.execute("PRAGMA foreign_keys=on")
    return conn


def raw_insert(path, tables):
    """INSERT every (table, columns, rows) with one executemany each, in one transaction; seconds."""
    conn = raw_connection(path)
    try:
        start = time.perf_counter()
        conn.execute("BEGIN")
        for table, columns, rows in tables:
            names = ", ".join(f'"{c}"' for c in columns)
            conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})', rows)
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()


def read_back(path, table, where=""):
    conn = sqlite3.connect(str(path))
    try:
        cursor = conn.execute(f'SELECT * FROM "{table}" {where}')
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
    finally:
        conn.close()


# ---- spreadsheets: the floor -----------------------------------------------------------------
def sheet_values(path):
    """Every sheet's rows as python-calamine reads them: [(sheet name, rows)]."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]


def written_values(path):
    """The values a workbook holds, for a write baseline: as calamine reads them, except that the
    empty cells of its rectangle are None (no cell), not "" (a cell holding empty text), so that
    the bare write writes the same cells the file has rather than thousands more."""
    return [(name, [[None if v == "" else v for v in row] for row in rows]) for name, rows in sheet_values(path)]


def bare_write(path, sheets):
    """openpyxl write_only of the same values, no styles; seconds."""
    from openpyxl import Workbook

    start = time.perf_counter()
    wb = Workbook(write_only=True)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(str(path))
    return time.perf_counter() - start


def bare_import(workbook, db_path):
    """python-calamine read of every sheet + raw executemany of the same rows into one table per sheet."""
    start = time.perf_counter()
    sheets = sheet_values(workbook)
    conn = raw_connection(db_path)
    try:
        conn.execute("BEGIN")
        for i, (_name, rows) in enumerate(sheets):
            width = max((len(r) for r in rows), default=0)
            if not width:
                continue
            conn.execute(f"CREATE TABLE IF NOT EXISTS s{i} ({', '.join(f'c{j}' for j in range(width))})")
            conn.execute(f"DELETE FROM s{i}")
            conn.executemany(f"INSERT INTO s{i} VALUES ({', '.join('?' * width)})",
                             [[_sqlite_value(v) for v in r] + [None] * (width - len(r)) for r in rows[1:]])
        conn.execute("COMMIT")
    finally:
        conn.close()
    return time.perf_counter() - start


def _sqlite_value(v):
    return v if v is None or isinstance(v, (str, int, float)) else str(v)


# ---- the bench -----------------------------------------------------------------------------
class Bench:
    def __init__(self, folder, n, repeats, log):
        self.folder, self.n, self.repeats, self.log = folder / label(n), n, repeats, log
        self.folder.mkdir(parents=True)
        self.db = self.folder / "full.db"  # N actions and the rest
        self.empty_actions = self.folder / "no-actions.db"  # the same without actions
        self.results = {}
        self.held = {}  # table_rows: the people of its databases
        self._copies = 0

    def copy(self, source):
        self._copies += 1
        target = self.folder / f"run{self._copies}.db"
        shutil.copy(source, target)
        return target

    def drop(self, path):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def build(self):
        import data

        t = time.perf_counter()
        data.build(self.db, self.n)
        data.build(self.empty_actions, self.n, with_actions=False)
        self.log(f"[{label(self.n)}] data built in {time.perf_counter() - t:.1f} s")

    def run(self, only=None):
        self.build()
        rows = {
            "create_many": self.create_many,
            "export": self.export,
            "import": self.imports,  # also reimport and libreoffice_csv
            "action_log": self.action_log,
            "gui_first_rows": self.gui,  # also the other GUI rows and peak_rss
            "import_table": self.table_import,
            "match_preview": self.match_preview,
            "dashboard_first_paint": self.dashboard,
        }
        for key, method in rows.items():
            if only and key not in only:
                continue
            t = time.perf_counter()
            method()
            self.log(f"[{label(self.n)}] {key} measured in {time.perf_counter() - t:.1f} s")
        return self.results

    def put(self, key, value):
        self.results[f"{key}_{label(self.n)}"] = value

    # -- a partner's table (issue 13; bench/table_rows.py) --
    def table_import(self):
        if not feature("tracker.tableimport"):
            self.put("import_table", missing(3.0))
            return
        import table_rows

        table_rows.import_table(self, ratio_row, median_pair)

    def match_preview(self):
        if not feature("tracker.tableimport"):
            self.put("match_preview", missing(None))
            return
        import table_rows

        table_rows.match_preview(self, absolute_row)

    # -- create_many --
    def create_many(self):
        import data
        from tracker import services
        from tracker.db import close_database
        from tracker.opening import open_database
        from tracker.models import ActionItem, AuditEntry, Commitment, Council, Stakeholder

        fields = data.action_fields(self.n)
        last = {}

        def ours():
            path = self.copy(self.empty_actions)
            open_database(path)
            try:
                links = {Stakeholder: {s.id: s for s in Stakeholder.select()},
                         Commitment: {c.id: c for c in Commitment.select()}, Council: {c.id: c for c in Council.select()}}
                rows = [dict(r, owner=links[Stakeholder].get(r["owner"]), commitment=links[Commitment].get(r["commitment"]),
                             council=links[Council][r["council"]]) for r in fields]
                start = time.perf_counter()
                services.actions.create_many(rows, source="bench")
                seconds = time.perf_counter() - start
                assert ActionItem.select().count() == self.n
                assert AuditEntry.select().where(AuditEntry.table == "action_item").count() == self.n
            finally:
                close_database()
            if "path" in last:
                self.drop(last["path"])
            last["path"] = path
            return seconds

        def baseline():
            # The floor: the very rows our run stored (records and their audit entries), raw executemany.
            if "rows" not in last:
                last["rows"] = [("action_item",) + read_back(last["path"], "action_item"),
                                ("audit_entry",) + read_back(last["path"], "audit_entry",
                                                             "WHERE \"table\" = 'action_item'")]
                for i, (table, columns, rows) in enumerate(last["rows"]):  # let SQLite assign the ids
                    keep = [j for j, c in enumerate(columns) if c != "id"]
                    last["rows"][i] = (table, [columns[j] for j in keep], [[r[j] for j in keep] for r in rows])
            path = self.copy(self.empty_actions)
            seconds = raw_insert(path, last["rows"])
            self.drop(path)
            return seconds

        self.put("create_many", ratio_row(*median_pair(ours, baseline, self.repeats), 2.0))
        self.drop(last["path"])

    # -- exchange workbook --
    def export(self):
        if not feature("tracker.exchange.writer"):
            self.put("export", missing(1.3))
            return
        from tracker.db import close_database
        from tracker.opening import open_database
        from tracker.exchange import export_workbook

        out, bare = self.folder / "export.xlsx", self.folder / "bare-export.xlsx"
        open_database(self.db)
        try:
            def ours():
                start = time.perf_counter()
                export_workbook(out)
                return time.perf_counter() - start

            ours()  # the file the baseline copies its values from
            values = written_values(out)
            self.put("export", ratio_row(*median_pair(ours, lambda: bare_write(bare, values), self.repeats), 1.3))
        finally:
            close_database()

    def exchange_file(self):
        """The exchange workbook of the full database (written once, outside any timing)."""
        from tracker.db import close_database
        from tracker.opening import open_database
        from tracker.exchange import export_workbook

        path = self.folder / "exchange.xlsx"
        if not path.exists():
            open_database(self.db)
            try:
                export_workbook(path)
            finally:
                close_database()
        return path

    def imports(self):
        if not feature("tracker.exchange.importer"):
            for key, target in (("import", 2.0), ("reimport", 2.0), ("libreoffice_csv", None)):
                self.put(key, missing(target))
            return
        from tracker.db import close_database
        from tracker.opening import open_database
        from tracker.exchange import import_workbook

        workbook = self.exchange_file()
        fresh = {}

        def ours_first():
            path = self.folder / "import.db"
            self.drop(path)
            open_database(path, create=True)
            try:
                start = time.perf_counter()
                report = import_workbook(workbook)
                seconds = time.perf_counter() - start
                assert report.applied and report.added > self.n, report.summary()
            finally:
                close_database()
            fresh["path"] = path
            return seconds

        def ours_again():
            path = self.copy(fresh["path"])
            open_database(path)
            try:
                start = time.perf_counter()
                report = import_workbook(workbook)
                seconds = time.perf_counter() - start
                assert report.applied and report.added == report.updated == report.conflicts == 0, report.summary()
            finally:
                close_database()
            self.drop(path)
            return seconds

        def baseline():
            path = self.folder / "bare-import.db"
            self.drop(path)
            return bare_import(workbook, path)

        first, floor = median_pair(ours_first, baseline, self.repeats)
        self.put("import", ratio_row(first, floor, 2.0))
        again, floor_again = median_pair(ours_again, baseline, self.repeats)
        self.put("reimport", ratio_row(again, floor_again, 2.0))
        self.libreoffice(workbook, first)

    def libreoffice(self, workbook, ours_s):
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            self.put("libreoffice_csv", missing(None, "LibreOffice (soffice) is not installed"))
            return
        profile = self.folder / "lo-profile"
        out = self.folder / "lo-out"
        times = []
        for _ in range(max(1, min(self.repeats, 2))):
            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter()
            subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "csv",
                            "--outdir", str(out), str(workbook)], check=True, capture_output=True, timeout=1800)
            times.append(time.perf_counter() - start)
            assert any(out.glob("*.csv")), "LibreOffice wrote no CSV"
        lo = statistics.median(times)
        self.put("libreoffice_csv", {"ours_s": round(ours_s, 4), "baseline_s": round(lo, 4),
                                     "ratio": round(ours_s / lo, 2), "target": None,
                                     "note": "ours = import of the workbook; baseline = LibreOffice; below 1 beats it"})

    # -- reports --
    def action_log(self):
        writer = report_writer()
        if writer is None:
            self.put("action_log", missing(1.5))
            return
        from tracker.db import close_database
        from tracker.opening import open_database

        out, bare = self.folder / "action-log.xlsx", self.folder / "bare-action-log.xlsx"
        open_database(self.db)
        try:
            def ours():
                start = time.perf_counter()
                writer(out)
                return time.perf_counter() - start

            ours()
            values = written_values(out)
            self.put("action_log", ratio_row(*median_pair(ours, lambda: bare_write(bare, values), self.repeats), 1.5))
        finally:
            close_database()

    # -- the desktop app --
    def gui(self):
        if not feature("ui.mainwindow") or not feature("PySide6"):
            why = NOT_AVAILABLE if not feature("ui.mainwindow") else "PySide6 is not installed"
            for key, target in (("gui_first_rows", 300), ("gui_filter_keystroke", 100), ("gui_sort_due", 300),
                                ("peak_rss", 300)):
                self.put(key, missing(target, why))
            return
        runs = []
        for _ in range(self.repeats):
            probe = subprocess.run([sys.executable, str(ROOT / "bench" / "gui_probe.py"), "views", str(self.db),
                                    str(max(self.repeats, 2))], capture_output=True, text=True, timeout=600,
                                   env=os.environ)
            if probe.returncode != 0:
                raise RuntimeError(f"the GUI probe failed:\n{probe.stderr[-3000:]}")
            runs.append(json.loads(probe.stdout.strip().splitlines()[-1]))
            assert runs[-1]["rows"] == self.n

        def med(key):
            return statistics.median(r[key] for r in runs)

        for key, probe_key, target in (("gui_first_rows", "first_rows", 300), ("gui_filter_keystroke", "keystroke", 100),
                                       ("gui_sort_due", "sort", 300)):
            row = absolute_row("ms", med(f"{probe_key}_ms"), target)
            row["cpu_ms"] = round(med(f"{probe_key}_cpu_ms"), 1)  # the app's own CPU time: what a busy machine adds shows
            self.put(key, row)
        self.put("peak_rss", absolute_row("mb", max(r["peak_rss_mb"] for r in runs), 300))


    def dashboard(self):
        """``dashboard_first_paint``: bench/gui_probe.py's dashboard mode, warm and cold, in ms."""
        if not feature("ui.dashboard") or not feature("PySide6"):
            self.put("dashboard_first_paint", missing(300))
            return
        probe = subprocess.run([sys.executable, str(ROOT / "bench" / "gui_probe.py"), "dashboard", str(self.db),
                                str(max(self.repeats, 2))], capture_output=True, text=True, timeout=900, env=os.environ)
        if probe.returncode != 0:
            raise RuntimeError(f"the dashboard probe failed:\n{probe.stderr[-3000:]}")
        times = json.loads(probe.stdout.strip().splitlines()[-1])
        row = absolute_row("ms", times["warm_ms"], 300)
        row.update({k: round(v, 1) for k, v in times.items()})
        self.put("dashboard_first_paint", row)


def report_writer():
    """``write(path)`` for the action log of every action, or None while the reports have not landed."""
    if not feature("tracker.reports"):
        return None
    import tracker.reports as reports

    for name in ("write_action_log", "action_log"):
        fn = getattr(reports, name, None)
        if callable(fn):
            return lambda path: fn(path)
    return None


def cold_start(folder, repeats):
    """Seconds from starting the app's process to its main window painted, on the demo data."""
    if not feature("ui.app") or not feature("PySide6"):
        return missing(1500, NOT_AVAILABLE if not feature("ui.app") else "PySide6 is not installed")
    from tracker.db import close_database
    from tracker.opening import open_database
    from tracker.demo import load_demo

    db = folder / "demo.db"
    open_database(db, create=True)
    load_demo()
    close_database()
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "gui_probe.py"), "start", str(db)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ)
        line = proc.stdout.readline().strip()
        elapsed = time.perf_counter() - start
        proc.wait(timeout=60)
        if line != "shown":
            raise RuntimeError(f"the app did not start: {line} {proc.stderr.read()[-3000:]}")
        times.append(elapsed * 1000)
    return absolute_row("ms", statistics.median(times[1:]), 1500)  # the first run warms the disk cache


def find_duplicates(folder, n, repeats, log):
    """``find_duplicates_20k`` (``--actions N``: N stakeholders), issue 14's row: bench/duplicate_rows.py."""
    key = f"find_duplicates_{label(n)}"
    if not feature("tracker.services.duplicates"):
        return {key: missing(2.0)}
    import duplicate_rows

    t = time.perf_counter()
    row = duplicate_rows.find_duplicates_row(folder, n, repeats, ratio_row, median_pair, log)
    log(f"[duplicates {label(n)}] measured in {time.perf_counter() - t:.1f} s")
    return {key: row}


def long_lists(folder, n, repeats, log):
    """Issue 15's rows: the Actions and Stakeholders views of N of each (bench/gui_probe.py lists)."""
    if not feature("ui.mainwindow") or not feature("PySide6"):
        return {f"{key}_{label(n)}": missing(target) for key, _, _, target in LONG_LISTS}
    import data

    db = folder / f"lists-{label(n)}.db"
    t = time.perf_counter()
    data.build(db, n, stakeholders=n)
    log(f"[lists {label(n)}] data built in {time.perf_counter() - t:.1f} s")
    probe = subprocess.run([sys.executable, str(ROOT / "bench" / "gui_probe.py"), "lists", str(db), str(repeats)],
                           capture_output=True, text=True, timeout=900, env=os.environ)
    if probe.returncode != 0:
        raise RuntimeError(f"the GUI probe failed:\n{probe.stderr[-3000:]}")
    got = json.loads(probe.stdout.strip().splitlines()[-1])
    out = {}
    for kind in ("actions", "stakeholders"):
        assert got[kind]["rows"] == n
        for step in ("open", "ctrl_end", "middle"):
            row = absolute_row("ms", got[kind][f"{step}_ms"], 300)
            row["cpu_ms"] = round(got[kind][f"{step}_cpu_ms"], 1)
            out[f"list_{step}_{kind}_{label(n)}"] = row
    out[f"list_peak_rss_{label(n)}"] = absolute_row("mb", got["peak_rss_mb"], 300)
    return out


def print_table(results, out=sys.stdout):
    whats = {key: what for key, what, _, _ in ROWS + (COLD_START, FIND_DUPLICATES) + LONG_LISTS}
    print(f"{'row':<28} {'ours':>10} {'baseline':>10} {'result':>9} {'target':>9}  ok   what", file=out)
    for key, row in results.items():
        base = key.rsplit("_", 1)[0] if key != "cold_start" else key
        what = whats.get(base, "")
        if isinstance(row.get("recall"), dict):  # find_duplicates: recall per planted reason
            what += (f" [{row['planted']} planted pairs: recall min {row['min_recall']} "
                     f"({', '.join(f'{k} {v}' for k, v in row['recall'].items())}); precision {row['precision']}, "
                     f"{row['false_pairs']} false of {row['pairs_in_groups']} pairs in {row['groups']} groups]")
        elif "recall" in row:
            what += (f" [planted spellings {row['planted']}: recall {row['recall']}, precision {row['precision']}, "
                     f"{row['false_matches']} false]")
        if "status" in row:
            print(f"{key:<28} {row['status']:>31} {_target(row):>9}  --   {what}", file=out)
        elif "ratio" in row:
            ok = "" if row["target"] is None else "yes" if row["within_target"] else "NO"
            print(f"{key:<28} {row['ours_s']:>9.3f}s {row['baseline_s']:>9.3f}s {row['ratio']:>8.2f}x "
                  f"{_target(row):>9}  {ok:<4} {what}", file=out)
        else:
            unit = "ms" if "ms" in row else "mb"
            ok = "" if row["within_target"] is None else "yes" if row["within_target"] else "NO"
            cpu = f"cpu {row['cpu_ms']:.0f}ms" if "cpu_ms" in row else ""
            print(f"{key:<28} {row[unit]:>8.1f}{unit} {cpu:>10} {'':>9} {_target(row):>9}  {ok:<4} {what}", file=out)


def _target(row):
    target = row.get("target")
    if target is None:
        return "report"
    if "ms" in row or "mb" in row or (row.get("status") and target > 10):
        return f"<={target}"
    return f"<={target}x"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k actions only (about two minutes)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--actions", type=int, metavar="N", help="only this many actions (a smoke test)")
    parser.add_argument("--repeats", type=int, metavar="R", help="runs per row (median); default 3")
    parser.add_argument("--only", action="append", metavar="ROW",
                        help="measure only these rows: create_many, export, import, action_log, gui_first_rows, "
                             "import_table, match_preview, cold_start, find_duplicates, long_lists")
    args = parser.parse_args(argv)
    sizes = [args.actions] if args.actions else [10_000] if args.quick else [10_000, 100_000]
    repeats = args.repeats or 3

    def log(text):
        print(text, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        folder = Path(tmp)
        isolate(folder)
        results = {}
        for n in sizes if not args.only or set(args.only) - {"cold_start", "find_duplicates", "long_lists"} else ():
            results.update(Bench(folder, n, repeats, log).run(args.only))
        if not args.only or "cold_start" in args.only:
            results["cold_start"] = cold_start(folder, repeats)
        if not args.only or "find_duplicates" in args.only:
            results.update(find_duplicates(folder, args.actions or 20_000, repeats, log))
        if not args.only or "long_lists" in args.only:
            results.update(long_lists(folder, args.actions or 50_000, repeats, log))
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

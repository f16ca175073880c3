"""The benchmark runs end to end on a tiny data set and prints one JSON object of the documented shape.

CI runs this to prove bench/run.py works; it never judges speed (that is for a quiet machine and
the full run, see docs/performance.md).
"""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = ("import", "reimport", "export", "action_log", "create_many", "gui_first_rows", "gui_filter_keystroke",
        "gui_sort_due", "peak_rss", "libreoffice_csv", "import_table", "match_preview", "find_duplicates",
        *(f"list_{step}_{kind}" for kind in ("actions", "stakeholders") for step in ("open", "ctrl_end", "middle")),
        "list_peak_rss", "dashboard_first_paint")


@pytest.mark.slow
def test_benchmark_smallest_configuration_prints_every_row(tmp_path):
    data_dir = tmp_path / "data"
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path), "TRACKER_DATA_DIR": str(data_dir),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--actions", "150", "--repeats", "1",
                           "--json"], capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    assert set(results) == {f"{row}_150" for row in ROWS} | {"cold_start"}
    for key, row in results.items():
        assert "target" in row, key
        if "status" in row:  # a feature (or Qt, or LibreOffice) missing here: said, never a made-up number
            assert row["status"], key
            continue
        if "ratio" in row:
            assert row["ours_s"] > 0 and row["baseline_s"] > 0, key
            assert row["ratio"] == pytest.approx(row["ours_s"] / row["baseline_s"], rel=0.02, abs=0.01), key
            if row["target"] is not None:
                assert row["within_target"] == (row["ratio"] <= row["target"]), key
        else:
            (unit,) = {"ms", "mb"} & set(row)
            assert row[unit] > 0, key
            if row["target"] is not None:
                assert row["within_target"] == (row[unit] <= row["target"]), key
            else:  # reported, no target (match_preview)
                assert row["within_target"] is None, key
    for key in ("import_table_150", "match_preview_150"):  # issue 13: recall and precision of planted spellings
        assert {"recall", "precision", "planted", "false_matches", "rows", "stakeholders"} <= set(results[key]), key
    duplicates = results["find_duplicates_150"]  # issue 14: recall per planted reason, precision
    assert {"recall", "min_recall", "precision", "planted", "false_pairs", "groups"} <= set(duplicates)
    assert set(duplicates["recall"]) == {"names swapped", "in capitals", "initials", "nicknames", "email case",
                                         "organisation abbreviations", "same phone", "organisation records abbreviated"}
    assert "ours_s" in results["create_many_150"]  # the services are always there
    dashboard = results["dashboard_first_paint_150"]  # issue 16: warm, and cold (the first paint in the process)
    assert "status" in dashboard or dashboard["cold_ms"] >= dashboard["cold_tiles_ms"] > 0 < dashboard["warm_ms"]
    # Nothing was left in the data folder the app would use: the benchmark works in its own temp folder.
    assert not data_dir.exists() or not any(data_dir.iterdir())


@pytest.mark.slow
def test_the_dashboards_sql_timing_runs_on_a_small_database_with_an_audit_trail(tmp_path):
    """bench/dashboard_sql.py (the figures' SQL alone, no Qt) builds its database with a trail and times
    both reads: the shape it prints, and that the trail it adds is what months() reads."""
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path), "TRACKER_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(ROOT)}  # this checkout's tracker
    db = tmp_path / "dash.db"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "dashboard_sql.py"), "--actions", "300", "--repeats",
                           "1", "--db", str(db), "--json"], capture_output=True, text=True, timeout=300, env=env,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert set(result) == {"dashboard_ms", "months_ms"}
    assert result["dashboard_ms"]["queries"] == 8 and result["months_ms"]["queries"] == 1
    assert all(row["ms"] > 0 and row["cpu_ms"] >= 0 for row in result.values())
    con = sqlite3.connect(db)
    creations, imported = con.execute("SELECT (SELECT COUNT(*) FROM audit_entry WHERE \"table\" = 'action_item' "
                                      "AND operation = 'create'), (SELECT COUNT(*) FROM exchange_import)").fetchone()
    con.close()
    assert 0 < creations < 300 and imported > 0  # some created in the app, the rest added by imports

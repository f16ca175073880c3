"""The ``tracker`` command: each sub-command and each error path (one line, non-zero, no traceback)."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_data import copy_of_demo
from tracker import migrations
from tracker.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_demo_stats_check_backup(tmp_path, capsys):
    db = str(tmp_path / "x.db")
    code, out, _ = run(capsys, "--db", db, "init", "--demo")
    assert code == 0 and "records added" in out
    code, out, _ = run(capsys, "--db", db, "init", "--demo")
    assert code == 0 and "already loaded" in out
    code, out, _ = run(capsys, "--db", db, "stats", "--json")
    counts = json.loads(out)
    assert code == 0 and counts["actions"] >= 50 and counts["commitments"] >= 12
    code, out, _ = run(capsys, "--db", db, "check")
    assert code == 0 and "sound" in out
    code, out, _ = run(capsys, "--db", db, "backup", str(tmp_path / "copy.db"))
    assert code == 0 and (tmp_path / "copy.db").exists()
    con = sqlite3.connect(tmp_path / "copy.db")
    assert con.execute("select count(*) from action_item").fetchone()[0] == counts["actions"]
    con.close()
    if os.name == "posix":
        assert (tmp_path / "copy.db").stat().st_mode & 0o777 == 0o600
        assert Path(db).stat().st_mode & 0o777 == 0o600


def test_db_option_after_the_command_and_from_environment(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "y.db")
    assert run(capsys, "init", "--db", db)[0] == 0
    monkeypatch.setenv("TRACKER_DB", db)
    code, out, _ = run(capsys, "stats")
    assert code == 0 and "stakeholders" in out


def test_default_database_lives_in_the_data_folder(capsys, isolated_environment):
    assert run(capsys, "init")[0] == 0
    assert (isolated_environment / "tracker.db").exists()


def test_backup_without_destination_goes_to_backups_folder(tmp_path, capsys):
    db = tmp_path / "z.db"
    run(capsys, "--db", str(db), "init")
    code, out, _ = run(capsys, "--db", str(db), "backup")
    assert code == 0
    assert len(list((tmp_path / "backups").glob("z-*-manual.db"))) == 1


@pytest.mark.parametrize("argv, message", [
    (["stats"], "There is no database at"),
    (["check"], "There is no database at"),
    (["backup"], "There is no database at"),
])
def test_missing_database(tmp_path, capsys, argv, message):
    code, out, err = run(capsys, "--db", str(tmp_path / "missing.db"), *argv)
    assert code == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / "missing.db").exists()


def test_missing_folder(tmp_path, capsys):
    code, _, err = run(capsys, "--db", str(tmp_path / "no" / "such" / "x.db"), "init")
    assert code == 1 and "does not exist" in err


def test_newer_schema_refused(tmp_path, capsys):
    db = tmp_path / "new.db"
    run(capsys, "--db", str(db), "init")
    con = sqlite3.connect(db)
    con.execute("update meta set value='99' where key='schema_version'")
    con.commit()
    con.close()
    code, _, err = run(capsys, "--db", str(db), "stats")
    assert code == 1 and "newer version" in err


def test_locked_database_is_reported_as_busy(tmp_path, capsys, monkeypatch):
    db = tmp_path / "busy.db"
    run(capsys, "--db", str(db), "init")
    monkeypatch.setattr("tracker.db.BUSY_TIMEOUT_S", 0.1)
    monkeypatch.setitem(__import__("tracker.db").db.SQLITE_PRAGMAS, "busy_timeout", 100)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = run(capsys, "--db", str(db), "init", "--demo")
    finally:
        holder.rollback()
        holder.close()
    assert code == 1 and "busy" in err and "Traceback" not in err


def test_check_reports_problems_with_exit_1(tmp_path, capsys):
    db = tmp_path / "bad.db"
    run(capsys, "--db", str(db), "init", "--demo")
    con = sqlite3.connect(db)
    con.execute("update commitment set target_date = '2000-01-01'")
    con.commit()
    con.close()
    code, out, _ = run(capsys, "--db", str(db), "check")
    assert code == 1 and "target date before" in out


def test_unexpected_error_is_one_line_and_logged(tmp_path, capsys, monkeypatch, isolated_environment):
    db = tmp_path / "u.db"
    run(capsys, "--db", str(db), "init")
    monkeypatch.setattr("tracker.services.stats", lambda: 1 / 0)
    code, _, err = run(capsys, "--db", str(db), "stats")
    assert code == 70 and "ZeroDivisionError" in err and "Traceback" not in err
    assert "Traceback" in (isolated_environment / "tracker.log").read_text()


@pytest.mark.parametrize("argv", [["frobnicate"], ["stats", "--bogus"], []])
def test_bad_arguments_are_one_line_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert len(err.strip().splitlines()) == 1 and "--help" in err


def test_python_dash_m_tracker_runs_in_a_fresh_process(tmp_path):
    db = tmp_path / "p.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRACKER_DATA_DIR": str(tmp_path / "d")}
    result = subprocess.run([sys.executable, "-m", "tracker", "--db", str(db), "init"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"schema version {migrations.LATEST_VERSION}" in result.stdout


def test_output_piped_into_a_reader_that_leaves_is_not_an_error(tmp_path):
    db = tmp_path / "pipe.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRACKER_DATA_DIR": str(tmp_path / "d")}
    copy_of_demo(db)
    book = tmp_path / "share.xlsx"
    subprocess.run([sys.executable, "-m", "tracker", "--db", str(db), "export-workbook", str(book)], env=env,
                   check=True, capture_output=True, timeout=120)
    # The dry-run report of ~800 new records is far larger than a pipe's buffer.
    script = f"{sys.executable!s} -m tracker --db {tmp_path / 'other.db'} init >/dev/null && " \
             f"{sys.executable!s} -m tracker --db {tmp_path / 'other.db'} import-workbook {book} --dry-run --json | head -c 1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, text=True, env=env,
                            timeout=60)
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr

"""Every real-world file of the shared corpus (../shared/corpus/xlsx-real, see its SOURCES.md) goes
through ``tracker import-workbook --dry-run`` (in its own process, with a timeout) and through the
import service the app uses (a real import): it imports, or it is refused with one sentence; never a traceback, never a hang, and the
database is byte-for-byte unchanged whenever the file is refused.  The counts are printed (-s)."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.db import close_database
from tracker.errors import TrackerError
from tracker.exchange import import_workbook
from tracker.opening import open_database

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "xlsx-real"
FILES = sorted(p for p in CORPUS.glob("*") if p.is_file() and p.name != "SOURCES.md") if CORPUS.is_dir() else []
TIMEOUT_S = 30
OUTCOMES = {"imported": [], "refused": [], "failed": []}

pytestmark = pytest.mark.skipif(not FILES, reason=f"the shared corpus is not at {CORPUS}")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "template.db"
    assert main(["--db", str(path), "init", "--demo"]) == 0
    close_database()
    return path


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tracker(*argv):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tracker", *argv], capture_output=True, text=True, env=env,
                          timeout=TIMEOUT_S)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_real_file_imports_or_is_refused_in_one_sentence(tmp_path, template, path):
    db = tmp_path / "council.db"
    shutil.copy(template, db)
    before = digest(db)
    outcome = None
    try:
        result = tracker("--db", str(db), "import-workbook", str(path), "--dry-run")
    except subprocess.TimeoutExpired:
        OUTCOMES["failed"].append((path.name, "hang"))
        pytest.fail(f"{path.name}: no answer within {TIMEOUT_S} s")
    text = result.stdout + result.stderr
    if result.returncode not in (0, 1) or "Traceback" in text or "unexpected error" in text:
        OUTCOMES["failed"].append((path.name, text[-300:]))
        pytest.fail(f"{path.name}: exit {result.returncode}: {text[-1000:]}")
    assert digest(db) == before, "a dry run changed the database"
    # The app's way in: the import service itself (no dry run), in this process.
    open_database(db)
    try:
        report = import_workbook(path)
        outcome = ("refused", report.refused) if report.refused else ("imported", report.summary())
    except TrackerError as exc:
        outcome = ("refused", str(exc))
    finally:
        close_database()
    if result.returncode == 1:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("tracker: ") and path.name in lines[0], lines
        assert outcome == ("refused", lines[0][len("tracker: "):]), "the CLI and the service disagree"
    if outcome[0] == "refused":
        assert "\n" not in outcome[1].strip() and path.name in outcome[1]
        assert digest(db) == before, f"{path.name} was refused but the database changed"
    assert tracker("--db", str(db), "check").returncode == 0
    OUTCOMES[outcome[0]].append((path.name, outcome[1]))


def test_corpus_figures():
    """Runs last in this module: the counts for the record."""
    total = sum(len(v) for v in OUTCOMES.values())
    print(f"\ncorpus: {total} files, {len(OUTCOMES['imported'])} imported, {len(OUTCOMES['refused'])} refused, "
          f"{len(OUTCOMES['failed'])} failed")
    for kind, items in OUTCOMES.items():
        for name, message in items:
            print(f"  {kind}: {name}: {message[:200]}")
    assert OUTCOMES["failed"] == []

"""The app's file type definitions: what Qt and GLib read matches the source, and names alone decide."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui import filetypes

ROOT = Path(__file__).resolve().parents[2]
MIME = ROOT / "resources" / "xdg" / "mime"


def test_the_compiled_definitions_match_their_source(tmp_path):
    if not shutil.which("update-mime-database"):
        if os.environ.get("TRACKER_TEST_XVFB") == "1":  # CI installs shared-mime-info with the GTK test's packages
            pytest.fail("update-mime-database (shared-mime-info) is missing")
        pytest.skip("needs update-mime-database (shared-mime-info)")
    work = tmp_path / "mime"
    (work / "packages").mkdir(parents=True)
    for xml in (MIME / "packages").glob("*.xml"):
        shutil.copy(xml, work / "packages")
    subprocess.run(["update-mime-database", str(work)], check=True, capture_output=True)
    for name in ("mime.cache", "types", "application/vnd.sqlite3.xml", "application/x-sqlite3-working-file.xml"):
        assert (work / name).read_bytes() == (MIME / name).read_bytes(), f"run scripts/update-mime-cache ({name})"


def test_after_install_a_database_and_its_working_files_are_told_apart_by_name_alone(tmp_path):
    """In a fresh process, as the app starts: Qt needs no look inside these files to name their type."""
    code = """
import sys
from ui import filetypes
filetypes.install()
from PySide6.QtCore import QCoreApplication, QMimeDatabase
app = QCoreApplication([])
db = QMimeDatabase()
for name in sys.argv[1:]:
    print(name, ",".join(t.name() for t in db.mimeTypesForFileName(name)))
"""
    names = ["tracker.db", "tracker.db-wal", "tracker.db-shm", "partnership.sqlite-journal", "any name-shm"]
    out = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    found = dict(line.rsplit(" ", 1) for line in out.stdout.splitlines())
    assert found == {"tracker.db": "application/vnd.sqlite3",
                     "tracker.db-wal": "application/x-sqlite3-working-file",
                     "tracker.db-shm": "application/x-sqlite3-working-file",
                     "partnership.sqlite-journal": "application/x-sqlite3-working-file",
                     "any name-shm": "application/x-sqlite3-working-file"}


def test_install_adds_the_folder_once_and_keeps_the_systems(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("XDG_DATA_DIRS", raising=False)
    assert filetypes.install() and filetypes.install()
    dirs = os.environ["XDG_DATA_DIRS"].split(os.pathsep)
    assert dirs == [str(filetypes.data_folder()), "/usr/local/share", "/usr/share"]
    monkeypatch.setattr(sys, "platform", "win32")
    assert not filetypes.install()

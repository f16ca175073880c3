"""``stakeholder-tracker --board-pack`` chooses the offscreen platform itself when none is chosen,
including when QT_QPA_PLATFORM is set but empty (as a scheduler or a wrapper script may leave it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_data import copy_of_demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_an_empty_platform_variable_counts_as_unset(tmp_path):
    demo = copy_of_demo(tmp_path / "demo.db")
    out = tmp_path / "pack.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="", PYTHONPATH=str(ROOT), TRACKER_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "ui", "--db", str(demo), "--board-pack", str(out)],
                          check=False, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    # Before: Qt tried the desktop's platform with no display and aborted (exit -6, "could not connect").
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Board pack saved as {out}") and done.stderr == ""
    assert out.read_bytes().startswith(b"%PDF")

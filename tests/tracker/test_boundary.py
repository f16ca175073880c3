"""The domain never loads Qt: importing every module under ``tracker`` leaves PySide6 unloaded."""

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import tracker

ROOT = Path(__file__).resolve().parents[2]


def test_importing_all_of_tracker_loads_no_qt():
    modules = [m.name for m in pkgutil.walk_packages(tracker.__path__, "tracker.")]
    assert "tracker.services.base" in modules and "tracker.cli.core" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""

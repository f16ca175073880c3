"""The installed Qt binding keeps Python's reference counts straight (a long session depends on it)."""

import sys

import PySide6
import pytest
from PySide6.QtWidgets import QWidget

# PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method that returns
# nothing; None is freed after some thousands of calls and the app aborts ("deallocating None").
# pyproject.toml excludes 6.12 on Python < 3.12; a shared environment may still have it installed.
KNOWN_BAD = sys.version_info < (3, 12) and PySide6.__version__.startswith("6.12.")


@pytest.mark.xfail(KNOWN_BAD, strict=True, reason=f"PySide6 {PySide6.__version__} on Python < 3.12 "
                                                  "leaks references to None; install PySide6-Essentials 6.11")
def test_qt_calls_do_not_drop_references_to_none(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(500):
        widget.setWindowTitle("x")
    assert sys.getrefcount(None) >= before - 50

"""A second app on the same database is told so at start, and keeps working safely (issue 11 §1)."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt

from tests.tracker.test_filelocks import run_app_holder
from tests.tracker.test_robustness import ROOT, demo_file
from tests.ui.conftest import select_row
from tracker import filelocks, services
from ui import app as app_module
from ui import dialogs
from ui.notices import SHARED_TEXT

pytestmark = pytest.mark.skipif(not filelocks.POSIX, reason="the open-elsewhere mark uses POSIX locks")


def change_elsewhere(db, uuid, role):
    """Another program (the other app, or the tracker command) changes a stakeholder."""
    code = textwrap.dedent("""
        import sys
        from tracker import services
        from tracker.opening import open_database
        from tracker.models import Stakeholder
        open_database(sys.argv[1])
        services.stakeholders.update(Stakeholder.get(Stakeholder.uuid == sys.argv[2]), role=sys.argv[3])
    """)
    subprocess.run([sys.executable, "-c", code, str(db), str(uuid), role], check=True, timeout=60,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_second_app_is_told_and_a_save_over_the_others_change_is_stopped(qtbot, tmp_path, answers):
    db = demo_file(tmp_path)
    other = run_app_holder(db)  # the first copy of the app, in its own process
    try:
        window = app_module.start(["--db", str(db)])
        qtbot.addWidget(window)
        assert window.notice.isVisible() and window.notice.label.text() == SHARED_TEXT
        assert window.notice.accessibleDescription() == SHARED_TEXT  # read out by screen readers

        page = window.show_view("stakeholders")
        record = select_row(page, 0)
        change_elsewhere(db, record.uuid, "Changed in the other window")
        role = page.editor.fields["role"].input
        role.setFocus()
        role.selectAll()
        qtbot.keyClicks(role, "My change")
        answers.stale = [dialogs.KEEP]
        window.actions["save"].trigger()
        assert answers.asked[-1][0] == "stale"  # not saved over the other window's change
        assert services.stakeholders.get(record.id).role == "Changed in the other window"

        qtbot.mouseClick(window.notice.dismiss, Qt.MouseButton.LeftButton)
        assert not window.notice.isVisible()
        window.notice.refresh()  # as when the window is activated again: still dismissed
        assert not window.notice.isVisible()
    finally:
        os.kill(other.pid, signal.SIGKILL)  # the other app crashes: its mark goes with it
        other.wait(timeout=30)
        other.stdin.close()
        other.stdout.close()
    assert window.notice.refresh() == 0 and not window.notice.isVisible()


def test_alone_on_a_database_there_is_no_notice(qtbot, tmp_path):
    db = demo_file(tmp_path)
    window = app_module.start(["--db", str(db)])
    qtbot.addWidget(window)
    assert not window.notice.isVisible() and window.notice.others == 0

"""The background-operation helper: results, failures, cancellation, its own DB connection."""

import threading

from PySide6.QtCore import Qt

from tracker import services
from tracker.db import database
from tracker.errors import DatabaseBusyError
from ui.worker import OperationCancelled, run_in_background


def test_result_arrives_on_ui_thread_with_progress(qtbot, demo_db):
    seen = {}
    ui_thread = threading.current_thread()

    def work(progress):
        seen["thread"] = threading.current_thread()
        seen["conn"] = database.connection()
        total = services.actions.count()
        for i in range(3):
            assert progress.update(i, 3, f"step {i}")
        return total

    got = []
    op = run_in_background(None, work, on_success=lambda r: got.append((r, threading.current_thread())))
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert got == [(services.actions.count(), ui_thread)]
    assert seen["thread"] is not ui_thread
    assert seen["conn"] is not database.connection()  # the worker had its own connection


def test_failure_goes_to_callback_or_friendly_dialog(qtbot, db, no_blocking_dialogs):
    def boom(progress):
        raise DatabaseBusyError("The database is busy.")

    failures = []
    op = run_in_background(None, boom, on_failure=failures.append)
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert isinstance(failures[0], DatabaseBusyError)

    op = run_in_background(None, boom)  # default: the message as-is, no traceback
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert no_blocking_dialogs["messages"] == ["The database is busy."]

    op = run_in_background(None, lambda p: 1 / 0)
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert "ZeroDivisionError" in no_blocking_dialogs["errors"][0]


def test_cancel_stops_the_callable(qtbot, db):
    started = threading.Event()
    release = threading.Event()
    steps = []

    def long_job(progress):
        started.set()
        release.wait(10)
        for i in range(1000):
            progress.check()
            steps.append(i)
        return "finished"

    outcome = []
    op = run_in_background(None, long_job, on_success=lambda r: outcome.append(r),
                           on_cancel=lambda: outcome.append("cancelled"))
    assert started.wait(10)
    op.cancel()
    release.set()
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert outcome == ["cancelled"] and steps == [] and op.was_cancelled


def test_progress_update_returns_false_after_cancel(qtbot, db):
    def polite(progress):
        progress.cancel()
        if not progress.update(1, 2):
            raise OperationCancelled()
        return "not reached"

    outcome = []
    op = run_in_background(None, polite, on_success=outcome.append, on_cancel=lambda: outcome.append("cancelled"))
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert outcome == ["cancelled"]


def test_progress_dialog_shows_progress_and_cancels(qtbot, db):
    from PySide6.QtWidgets import QPushButton, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    release = threading.Event()

    def job(progress):
        progress.update(3, 10, "Reading rows")
        while not release.wait(0.01):
            if progress.cancelled:
                return "stopped"
        return "done"

    outcome = []
    op = run_in_background(parent, job, on_success=outcome.append, on_cancel=lambda: outcome.append("cancelled"),
                           label="Exporting…")
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: op.dialog.value() == 3 and op.dialog.maximum() == 10, timeout=5_000)
    assert op.dialog.labelText() == "Reading rows"
    with qtbot.waitSignal(op.finished, timeout=10_000):
        op.dialog.findChild(QPushButton).click()  # the Cancel button
    release.set()
    assert outcome == ["cancelled"] and op.dialog is None


def test_a_window_closed_while_its_work_runs_gets_no_callbacks(qtbot, db, caplog):
    from PySide6.QtWidgets import QWidget
    from shiboken6 import delete

    started, release = threading.Event(), threading.Event()

    def slow(progress):
        started.set()
        release.wait(10)
        return "done"

    window = QWidget()
    window.show()
    called = []
    op = run_in_background(window, slow, on_success=lambda r: called.append(window.windowTitle()),
                           on_failure=called.append)
    assert started.wait(10)
    qtbot.wait(500)  # its progress dialog (a child of the window) is showing by now
    assert op.dialog is not None and op.dialog.isVisible()
    delete(window)  # the window closes and is deleted, its progress dialog with it
    caplog.set_level("INFO", logger="ui.worker")
    release.set()
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert called == [] and op.result == "done" and op.dialog is None
    assert "after its window closed" in caplog.text


def test_the_dialog_that_follows_is_on_top_and_the_progress_box_is_gone(qtbot, db, monkeypatch):
    """The operation's progress box shows ("Comparing with this database 40%"), then its callback opens the
    next dialog: that dialog is the active, top modal window, the box is deleted (not just hidden), and no
    timer of its own can bring it back."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget
    from shiboken6 import isValid

    from ui import worker

    monkeypatch.setattr(worker, "PROGRESS_DIALOG_DELAY_MS", 0)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    shown, release = threading.Event(), threading.Event()

    def compare(progress):
        progress.update(40, 100, "Comparing with this database")
        release.wait(10)
        return "report"

    following = {}

    def preview(result):  # what ExchangeActions._confirm does: open the next dialog from the callback
        dialog = QDialog(parent)
        dialog.setWindowTitle("Import from another council")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        following["dialog"] = dialog
        following["boxes"] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        dialog.open()

    op = run_in_background(parent, compare, on_success=preview, label="Reading the workbook…")
    box = op.dialog
    watch = QTimer()
    watch.timeout.connect(lambda: shown.set() if isValid(box) and box.isVisible() else None)
    watch.start(10)
    qtbot.waitUntil(shown.is_set, timeout=5_000)
    qtbot.waitUntil(lambda: box.value() == 40 and box.labelText() == "Comparing with this database", timeout=5_000)
    with qtbot.waitSignal(op.finished, timeout=10_000):
        release.set()
    watch.stop()
    dialog = following["dialog"]
    assert following["boxes"] == [], "no progress box existed when the next dialog opened"
    assert not isValid(box) and op.dialog is None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    assert QApplication.activeModalWidget() is dialog
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
    dialog.reject()


def test_what_the_work_holds_is_let_go_of_on_the_ui_thread(qtbot, db, monkeypatch):
    """The operation is released on the UI thread as soon as its callbacks ran, possibly before the pool
    thread has returned.  Nothing of the UI's may be released there: a widget the callable captured, or
    a QObject of the UI thread destroyed on a pool thread, crashed the app (intermittent segfault)."""
    import time

    from PySide6.QtCore import QThreadPool

    import ui.worker as worker

    real = worker._the_dispatcher()

    class SlowToReturn:  # the pool thread lingers after saying it ended, while the UI thread lets go
        class ended:
            @staticmethod
            def emit(number):
                real.ended.emit(number)
                time.sleep(0.5)

        progressed = real.progressed

    monkeypatch.setattr(worker, "_the_dispatcher", lambda: SlowToReturn)
    released_on = []

    class Captured:
        def __del__(self):
            released_on.append(threading.current_thread())

    def start():
        captured = Captured()
        op = run_in_background(None, lambda progress: id(captured), uses_database=False)
        return op.finished

    finished = start()
    with qtbot.waitSignal(finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: bool(released_on), timeout=5_000)
    QThreadPool.globalInstance().waitForDone(5_000)
    assert released_on == [threading.main_thread()]

"""The one way the app runs slow work off the UI thread (imports, exports, reports, backups).

Modelled on Anki's ``aqt.operations``: a plain callable runs on a thread from the global
``QThreadPool``; the UI thread gets its result (or its exception) through callbacks.  The
callable must **never touch a widget**: it reports progress through the :class:`Progress` object
it is given, and everything it returns is handed to ``on_success`` on the UI thread.

Usage::

    from ui.worker import run_in_background

    def export(progress):                     # runs on a worker thread
        rows = services.actions.query()
        total = services.actions.count()
        for i, row in enumerate(rows):
            if not progress.update(i, total, "Writing rows"):   # False once Cancel was pressed
                return None                   # or: progress.check() raises OperationCancelled
            ...
        return path

    run_in_background(
        parent_widget, export,
        on_success=lambda path: statusBar().showMessage(f"Saved {path}"),
        on_failure=None,       # default: ui.errors.show_exception (TrackerError shown as-is; a
                               # damaged database goes to its handler, ui.damage)
        on_cancel=None,        # called instead of on_success when the user cancelled
        label="Exporting actions…",
        progress_dialog=True,  # a window-modal ProgressBox with a Cancel button (after 400 ms)
        cancellable=True,
    )

The call returns a :class:`BackgroundOperation` (a QObject) whose ``finished`` signal fires on
the UI thread after the callbacks ran (tests ``qtbot.waitSignal(op.finished)``); ``op.cancel()``
asks the callable to stop.  Cancellation is cooperative: the callable polls
``progress.cancelled`` / ``progress.update()`` / ``progress.check()``.  An
:class:`OperationCancelled` raised inside it counts as a cancellation, not a failure.

Each worker thread uses its own database connection: peewee keeps SQLite connections per
thread, so the worker calls ``database.connect(reuse_if_open=True)`` before the callable and
``database.close()`` after it (``uses_database=False``: neither, for work on other files, such as
checking backups while the open database is damaged and refuses every connection); a callable
that opens a database (another file, a restored backup) leaves its connection to be closed too.
Write in one ``services.base.writing()`` block inside the callable if the work must be
all-or-nothing: what it changes is announced once, when it commits (``ui.changes`` hands it to the
views on the UI thread).

:func:`run_and_wait` is for work whose answer the caller needs before it can go on (opening a
database, restoring a backup, erasing a person): the same operation, waited for in a local event
loop while the progress dialog shows.  While an operation runs, the UI thread should not start a
conflicting write (the busy timeout turns a long lock into ``DatabaseBusyError``).

**The progress box never outlives its operation.**  Whatever follows an operation (the import
preview after "Comparing with this database…", a result box, the wizard's next step) is shown from
its callback, so the box must be gone by then, not merely hidden: a ``QProgressDialog`` starts its
own timer when it is made (it shows itself 4 s later unless reset) and pumps events from
``setValue`` while it is modal, so a callback could run, and a dialog open, inside the box's own
call.  :class:`ProgressBox` therefore stops that timer when it is made, is moved only through its
own bar (never ``setValue``: nothing runs inside its calls), and the operation deletes it, at once
and before any callback runs; no later event can bring it back above the dialog that follows.
"""

import functools
import itertools
import logging
import threading

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QProgressDialog
from shiboken6 import delete, isValid

from tracker.db import database

log = logging.getLogger(__name__)

PROGRESS_DIALOG_DELAY_MS = 400  # quick operations finish before any dialog flickers up

# Operations alive until their callbacks ran, by number (a QRunnable's Python wrapper must not be collected).
_running = {}


class OperationCancelled(Exception):
    """Raised by :meth:`Progress.check` (or by the callable) to stop after Cancel."""


class Progress:
    """What the callable gets: report progress, learn about cancellation.  Thread-safe."""

    def __init__(self, emit):
        self._emit = emit
        self._cancel = threading.Event()

    @property
    def cancelled(self):
        return self._cancel.is_set()

    def cancel(self):
        self._cancel.set()

    def update(self, done, total=None, text=None):
        """Report ``done`` of ``total`` steps (total None: unknown); returns False once cancelled."""
        self._emit(int(done), -1 if total is None else int(total), "" if text is None else str(text))
        return not self.cancelled

    def __call__(self, done, total=None, text=None):
        return self.update(done, total, text)

    def check(self):
        """Raise OperationCancelled if the user pressed Cancel."""
        if self.cancelled:
            raise OperationCancelled()


class ProgressBox(QProgressDialog):
    """The progress box of one operation: shown by the operation's own timer, moved only through its bar,
    and deleted (not hidden) when the operation ends, before its callbacks (see the module docstring)."""

    def __init__(self, label, cancellable, parent):
        super().__init__(label, "Cancel" if cancellable else "", 0, 0, parent)
        self.reset()  # QProgressDialog's own timer (started in its constructor) would show it 4 s on, whatever came next
        self.bar = QProgressBar()
        self.setBar(self.bar)  # moved through the bar: QProgressDialog.setValue pumps events while the box is modal
        self.bar.setRange(0, 0)
        self.setWindowTitle(label.rstrip("…. "))
        self.setAccessibleName(label)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        if not cancellable:
            self.setCancelButton(None)

    def show_progress(self, done, total):
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))


class _Dispatcher(QObject):
    """Carries a worker's progress and its end to the UI thread, naming the operation by number.

    One for the whole app, made on the UI thread and never deleted.  A worker holds no object that
    belongs to the UI thread: it could otherwise drop the last reference to one (the operation and its
    signals are released on the UI thread as soon as the callbacks ran, which may be before the worker
    has returned), and a QObject destroyed on a thread other than its own crashed the app in the main
    thread's event processing (segfault in the app tests, intermittent).  No Python object travels
    through a queued signal either (PySide has mis-counted references to such arguments): the outcome
    waits on the job and ``ended`` only says it is there."""

    progressed = Signal(int, int, int, str)
    ended = Signal(int)

    def __init__(self):
        super().__init__()
        self.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.ended.connect(self._ended, Qt.ConnectionType.QueuedConnection)

    @Slot(int, int, int, str)
    def _progressed(self, number, done, total, text):
        operation = _running.get(number)
        if operation is not None:
            operation._on_progress(done, total, text)

    @Slot(int)
    def _ended(self, number):
        operation = _running.get(number)
        if operation is not None:
            operation._on_ended()


_dispatcher = None
_numbers = itertools.count(1)


def _the_dispatcher():
    global _dispatcher
    if _dispatcher is None:  # first use is on the UI thread (run_in_background is called there)
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Job(QRunnable):
    """The work on the pool thread.  It lets go of the callable before it says it ended, so whatever the
    callable holds (a widget, through a closure) is released on the UI thread with the operation."""

    def __init__(self, number, fn, progress, uses_database=True):
        super().__init__()
        self.setAutoDelete(False)
        self.number, self.fn, self.progress = number, fn, progress
        self.uses_database = uses_database
        self.outcome = None  # ("success", result) | ("failure", exception) | ("cancelled", None)

    def run(self):
        has_db = self.uses_database and database.obj is not None
        fn, self.fn = self.fn, None  # the operation keeps the callable; this thread's reference goes below
        try:
            if has_db:
                database.connect(reuse_if_open=True)  # this thread's own connection
            result = fn(self.progress)
        except OperationCancelled:
            self.outcome = ("cancelled", None)
        except BaseException as exc:  # reported to the UI thread, never lost
            self.outcome = ("failure", exc)
        else:
            self.outcome = ("cancelled", None) if self.progress.cancelled else ("success", result)
        finally:  # the callable may have opened the database (switching files): its connection too
            if self.uses_database and database.obj is not None and not database.is_closed():
                database.close()
            del fn
            result = None
            try:
                _the_dispatcher().ended.emit(self.number)
            except RuntimeError:  # the application has gone (a script ended without waiting): nobody to tell
                log.info("background operation %d ended after the application", self.number)


class BackgroundOperation(QObject):
    """One running operation; ``finished`` fires on the UI thread after its callbacks."""

    finished = Signal()

    def __init__(self, parent, fn, on_success=None, on_failure=None, on_cancel=None, label="Working…",
                 progress_dialog=True, cancellable=True, uses_database=True):
        super().__init__()
        self.parent_widget = parent
        self.on_success, self.on_failure, self.on_cancel = on_success, on_failure, on_cancel
        self.number = next(_numbers)
        self.fn = fn  # released here, on the UI thread, with the operation (see _Dispatcher)
        self.progress = Progress(functools.partial(_the_dispatcher().progressed.emit, self.number))
        self.result = None
        self.error = None
        self.was_cancelled = False
        self.done = False
        self.dialog = None
        if progress_dialog:
            self.dialog = ProgressBox(label, cancellable, parent)
            self.dialog.canceled.connect(self.cancel)
            self._show_timer = QTimer(self)
            self._show_timer.setSingleShot(True)
            self._show_timer.timeout.connect(self._show_dialog)
            self._show_timer.start(PROGRESS_DIALOG_DELAY_MS)
        self._job = _Job(self.number, fn, self.progress, uses_database)

    def start(self):
        _running[self.number] = self
        QThreadPool.globalInstance().start(self._job)
        return self

    def cancel(self):
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    @property
    def cancelled(self):
        return self.progress.cancelled

    def _show_dialog(self):
        if not self.done and self.dialog is not None:
            self.dialog.show()

    @Slot(int, int, str)
    def _on_progress(self, done, total, text):
        if self.dialog is None or self.done:
            return
        if total >= 0:
            self.dialog.show_progress(done, total)
        if text and not self.cancelled:
            self.dialog.setLabelText(text)

    def _finish(self, callback, *args):
        self.done = True
        if self.dialog is not None:
            self._show_timer.stop()
            if isValid(self.dialog):  # deleted with its window when that closed first
                self.dialog.canceled.disconnect(self.cancel)
                self.dialog.hide()
                # Deleted now, not later: a callback's modal loop would hold off deleteLater, and a box that
                # still exists is a box something can show again over the dialog that follows.
                delete(self.dialog)
            self.dialog = None
        try:
            if self.parent_widget is not None and not isValid(self.parent_widget):
                # The window that asked is gone (closed while the work ran): its callbacks would reach
                # deleted widgets.  The work itself is done (or rolled back); only the telling is skipped.
                failed = [type(a).__name__ for a in args if isinstance(a, BaseException)]
                log.log(logging.WARNING if failed else logging.INFO, "background operation ended after its window "
                        "closed%s; nothing shown", f" with {failed[0]}" if failed else "")
            elif callback is not None:
                callback(*args)
        finally:
            _running.pop(self.number, None)
            self.finished.emit()

    @Slot()
    def _on_ended(self):
        kind, value = self._job.outcome
        self._job.outcome = None  # the job may be let go of on its pool thread: it holds nothing of ours then
        if kind == "success":
            self.result = value
            self._finish(self.on_success, value)
        elif kind == "failure":
            self._on_failed(value)
        else:
            self.was_cancelled = True
            self._finish(self.on_cancel)

    def _on_failed(self, exc):
        self.error = exc
        if self.on_failure is not None:
            self._finish(self.on_failure, exc)
            return
        from ui.errors import show_exception

        log.error("background operation failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._finish(show_exception, self.parent_widget, exc)


def run_in_background(parent, fn, on_success=None, on_failure=None, on_cancel=None, label="Working…",
                      progress_dialog=True, cancellable=True, uses_database=True):
    """Run ``fn(progress)`` on a worker thread; see the module docstring."""
    return BackgroundOperation(parent, fn, on_success=on_success, on_failure=on_failure, on_cancel=on_cancel,
                               label=label, progress_dialog=progress_dialog, cancellable=cancellable,
                               uses_database=uses_database).start()


def wait_for_workers(timeout_ms=30_000):
    """After the event loop ends: let work still running (a chart being drawn) finish before the app goes."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)


def run_and_wait(parent, fn, label, cancellable=True, uses_database=True):
    """Run ``fn(progress)`` off the UI thread and wait for it in a local event loop, the progress dialog
    showing after 400 ms (before any window exists too).  Without ``cancellable``, what the user types
    or clicks meanwhile waits until the work is done.
    Returns ("success", result) | ("failure", exception) | ("cancelled", None)."""
    outcome = {}
    operation = run_in_background(parent, fn, label=label, cancellable=cancellable, uses_database=uses_database,
                                  on_success=lambda result: outcome.update(kind="success", value=result),
                                  on_failure=lambda exc: outcome.update(kind="failure", value=exc),
                                  on_cancel=lambda: outcome.update(kind="cancelled", value=None))
    if not operation.done:
        loop = QEventLoop()
        operation.finished.connect(loop.quit)
        loop.exec(QEventLoop.ProcessEventsFlag.AllEvents if cancellable
                  else QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    return outcome["kind"], outcome["value"]

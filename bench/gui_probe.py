"""Run by bench/run.py in a subprocess: the desktop app on a big database, offscreen.

``gui_probe.py views DB REPEATS`` opens the main window on DB, shows the Actions view and times
the first rows shown, search keystrokes and sorting by due date (each until the table has painted);
prints one JSON line with the timings (ms) and the process's peak RSS (MB).

``gui_probe.py lists DB REPEATS`` times the Actions and Stakeholders views of a big database: opening,
Ctrl+End and a scroll bar drag to the middle, each until painted (issue 15); one JSON line.

``gui_probe.py start DB`` is the cold start: it runs the app's own start-up on DB and prints
``shown`` once the main window has painted, then exits at once (run.py times it from outside).
Both run with TRACKER_DATA_DIR pointing at a temporary folder (set by run.py).
"""

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def painted(app, widget):
    """Process pending events and paint ``widget`` now, as the screen would."""
    app.processEvents()
    widget.repaint()
    app.processEvents()


def peak_rss_mb():
    """This process's peak resident memory.  VmHWM, not ru_maxrss: Linux carries ru_maxrss over an
    exec from the forked copy of the parent, so a child of a big benchmark process reports the parent's size."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def views(db, repeats):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from tracker.opening import open_database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    open_database(db)
    from ui import settings
    from ui.mainwindow import MainWindow

    # A returning user who left the app on the Actions view (column widths not yet saved).
    settings.app_settings().setValue("window/view", "actions")

    start, start_cpu = time.perf_counter(), time.process_time()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    page = window.current_page()
    painted(app, window)
    assert window.current_view() == "actions"
    first_rows = (time.perf_counter() - start) * 1000
    first_rows_cpu = (time.process_time() - start_cpu) * 1000
    assert page.model.rowCount() > 0, "the Actions view shows no rows"

    keystrokes, keystrokes_cpu = [], []
    for _ in range(repeats):
        for text in ("p", "pa", "pat", "path"):
            page.search.setText(text)
            t, cpu = time.perf_counter(), time.process_time()
            page.apply_query()  # what the search box's short debounce timer calls
            painted(app, page.table)
            keystrokes.append((time.perf_counter() - t) * 1000)
            keystrokes_cpu.append((time.process_time() - cpu) * 1000)
        page.search.setText("")
        page.apply_query()

    due = [c.title for c in page.model.columns].index("Due")
    sorts, sorts_cpu = [], []
    for i in range(repeats * 2):
        order = Qt.SortOrder.DescendingOrder if i % 2 == 0 else Qt.SortOrder.AscendingOrder
        t, cpu = time.perf_counter(), time.process_time()
        page.table.sortByColumn(due, order)
        painted(app, page.table)
        sorts.append((time.perf_counter() - t) * 1000)
        sorts_cpu.append((time.process_time() - cpu) * 1000)
        assert page.model.sort_key == "due_date"

    peak_mb = peak_rss_mb()
    print(json.dumps({"first_rows_ms": first_rows, "keystroke_ms": statistics.median(keystrokes),
                      "sort_ms": statistics.median(sorts), "first_rows_cpu_ms": first_rows_cpu,
                      "keystroke_cpu_ms": statistics.median(keystrokes_cpu), "sort_cpu_ms": statistics.median(sorts_cpu),
                      "peak_rss_mb": peak_mb, "rows": page.model.total}))
    sys.stdout.flush()
    os._exit(0)


def dashboard(db, repeats):
    """``gui_probe.py dashboard DB REPEATS``: the dashboard painted on the main window (tiles, the
    upcoming list and the two current charts, painted by their widgets on the UI thread; then with the
    over-time chart, its months read on a worker): the first time in this process (cold: the first
    reading on the UI thread, fonts and Qt's first paint inside) and again (warm).  Prints one JSON line of ms."""
    from PySide6.QtWidgets import QApplication

    from tracker.opening import open_database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    open_database(db)
    from ui import settings
    from ui.mainwindow import MainWindow

    settings.app_settings().setValue("window/view", "stakeholders")
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    painted(app, window)

    from PySide6.QtCore import QEventLoop

    def paint(redrawn=True):
        """Tiles, the upcoming list and the current charts painted; then the over-time chart (its
        months read on a worker) painted too.  The figures are read again each time; ``redrawn`` is
        kept for the row's ``unchanged_ms`` (it once measured charts keeping their drawing): a chart is
        laid out and painted at each painting, whether its numbers changed or not."""
        start, start_cpu = time.perf_counter(), time.process_time()
        page = window.show_view("home")
        page.refresh()  # after the first time, the figures are read on a worker: wait for them
        job = page.read_job
        if job is not None and not job.done:
            loop = QEventLoop()
            job.finished.connect(loop.quit)
            loop.exec()
        tiles = time.perf_counter()
        painted(app, window)
        shown, shown_cpu = time.perf_counter(), time.process_time()
        job = page.history_job
        if job is not None and not job.done:
            loop = QEventLoop()
            job.finished.connect(loop.quit)
            loop.exec()
        painted(app, window)
        return ((tiles - start) * 1000, (shown - start) * 1000, (time.perf_counter() - start) * 1000,
                (shown_cpu - start_cpu) * 1000)

    cold = paint()
    warm = [paint() for _ in range(repeats)]
    same = [paint(redrawn=False) for _ in range(repeats)]
    print(json.dumps({"cold_tiles_ms": cold[0], "cold_ms": cold[1], "cold_with_history_ms": cold[2],
                      "cold_cpu_ms": cold[3], "warm_cpu_ms": statistics.median(w[3] for w in warm),
                      "unchanged_ms": statistics.median(w[1] for w in same),
                      "unchanged_cpu_ms": statistics.median(w[3] for w in same),
                      "warm_tiles_ms": statistics.median(w[0] for w in warm),
                      "warm_ms": statistics.median(w[1] for w in warm),
                      "warm_with_history_ms": statistics.median(w[2] for w in warm)}))
    sys.stdout.flush()
    os._exit(0)


def lists(db, repeats):
    """Issue 15's long lists: for the Actions and the Stakeholders view, the time to open the view
    until its first rows are painted, Ctrl+End until the last row is painted, and a scroll bar drag
    to the middle until painted (medians of ``repeats``); the rows kept, and the peak RSS."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tracker.opening import open_database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    open_database(db)
    from ui.mainwindow import MainWindow

    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    painted(app, window)
    out = {}
    for key in ("actions", "stakeholders"):
        opened, ends, middles, cpu = [], [], [], []
        for _ in range(repeats):
            window.show_view("home")
            painted(app, window)
            t, c = time.perf_counter(), time.process_time()
            page = window.show_view(key)
            page.refresh()  # read as when first shown (a shown view keeps its rows)
            painted(app, page.table)
            opened.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            page.table.setFocus()
            page.table.setCurrentIndex(page.model.index(0, 0))
            painted(app, page.table)
            t, c = time.perf_counter(), time.process_time()
            QTest.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
            painted(app, page.table)
            ends.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert page.table.currentIndex().row() == page.model.rowCount() - 1
            bar = page.table.verticalScrollBar()
            t, c = time.perf_counter(), time.process_time()
            bar.setValue(bar.maximum() // 2)
            painted(app, page.table)
            middles.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        out[key] = {"open_ms": statistics.median(opened), "ctrl_end_ms": statistics.median(ends),
                    "middle_ms": statistics.median(middles), "rows": page.model.rowCount(),
                    "open_cpu_ms": statistics.median(cpu[0::3]), "ctrl_end_cpu_ms": statistics.median(cpu[1::3]),
                    "middle_cpu_ms": statistics.median(cpu[2::3]),
                    "kept": len(page.model.rows)}
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)


def cold_start(db):
    from PySide6.QtWidgets import QApplication

    from ui.app import start

    window = start(["--db", db])
    if window is None:
        print("failed")
        sys.stdout.flush()
        os._exit(1)
    painted(QApplication.instance(), window)
    print("shown")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    if sys.argv[1] == "views":
        views(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "lists":
        lists(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "dashboard":
        dashboard(sys.argv[2], int(sys.argv[3]))
    else:
        cold_start(sys.argv[2])

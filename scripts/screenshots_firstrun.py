#!/usr/bin/env python3
"""Render the first-run screens at 1366x768: the "who are you" strip, Settings, a read-only database.

    python scripts/screenshots_firstrun.py [OUTPUT_DIR]      # default docs/screenshots
    QT_SCALE_FACTOR=2 python scripts/screenshots_firstrun.py # at 200% (683x384 logical): names end in -200

Writes first-run.png (a new, empty database, the strip filled in as a user would), settings.png
(File → Settings…) and read-only.png (the demo data opened with --read-only, an action shown).  A
throw-away data folder and databases: the user's own settings and data are untouched.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from screenshots import saver, screen_1366  # noqa: E402 - (this folder is on the path: the script's own)

SIZE = screen_1366()  # a 1366x768 screen in the app's pixels


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tracker-shots-"))
    os.environ["TRACKER_DATA_DIR"] = str(tmp / "data")
    os.environ.pop("TRACKER_DB", None)
    os.environ["TRACKER_FIRST_RUN"] = "1"  # the strip shows under the offscreen platform too

    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tracker.db import close_database
    from tracker.demo import load_demo
    from tracker.opening import open_database
    from ui import dialogs, firstrun
    from ui.app import start

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")

    save = saver(out)

    def shot(widget, name):
        app.processEvents()
        save(widget.grab(), name)

    dialogs.FirstRun.ask = classmethod(lambda cls, parent, path: False)  # an empty database
    firstrun.MissingDatabase.ask = classmethod(lambda cls, parent, path: firstrun.CREATE)
    window = start(["--db", str(tmp / "new" / "tracker.db")])
    window.resize(*SIZE)
    window.show()
    QTest.keyClicks(window.who.name, "Priya Shah")
    window.who.council.setCurrentIndex(window.who.council.findText("Havering"))
    shot(window, "first-run")
    window.who.save()

    def grab_settings():
        dialog = app.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, grab_settings)
            return
        shot(dialog, "settings")
        dialog.reject()

    QTimer.singleShot(50, grab_settings)
    window.actions["settings"].trigger()
    window.close()
    close_database()

    demo = tmp / "shared" / "partnership.db"
    demo.parent.mkdir()
    open_database(demo, create=True)
    load_demo()
    close_database()
    window = start(["--db", str(demo), "--read-only"])
    window.resize(*SIZE)
    window.show()
    page = window.show_view("actions")
    page.table.setCurrentIndex(page.model.index(2, 0))
    shot(window, "read-only")
    window.close()
    close_database()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

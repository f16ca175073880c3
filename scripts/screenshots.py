#!/usr/bin/env python3
"""Render each main view of the app on the demo data to PNG (offscreen) for the README and docs.

    python scripts/screenshots.py [OUTPUT_DIR]      # default docs/screenshots

Also renders the Actions view with a dark palette (actions-dark.png), to check both palettes.

Uses a throw-away data folder and database, so the user's own settings and data are untouched.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def demo_app(argv):
    """The app started on a new database with the demo data loaded, in a throw-away data folder:
    (the QApplication, the main window, the output folder, the data folder)."""
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tracker-shots-"))
    os.environ["TRACKER_DATA_DIR"] = str(tmp)
    os.environ.pop("TRACKER_DB", None)

    from PySide6.QtWidgets import QApplication

    from ui import dialogs, settings

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    dialogs.FirstRun.ask = classmethod(lambda cls, parent, path: True)
    settings.app_settings().setValue("user/name", "Sam Patel")
    settings.app_settings().setValue("user/council", "Barking and Dagenham")
    from ui.app import start

    window = start(["--db", str(tmp / "demo.db")])
    wait(window.background)  # the demo loads in the background
    window.resize(1440, 860)
    return app, window, out, tmp


def wait(operation):
    """Wait for a background operation (ui.worker) to finish, if there is one running."""
    from PySide6.QtCore import QEventLoop

    if operation is not None and not operation.done:
        loop = QEventLoop()
        operation.finished.connect(loop.quit)
        loop.exec()


def main(argv=None):
    from tracker import services

    app, window, out, _ = demo_app(sys.argv[1:] if argv is None else argv)

    def shot(name):
        app.processEvents()
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    window.show_view("home")
    shot("overview")
    for kind in ("stakeholders", "events", "commitments", "actions"):
        page = window.show_view(kind)
        page.table.fit_columns()
        page.table.selectRow(0)
        shot(kind)
    page = window.show_view("stakeholders")
    page.open_record(services.stakeholders.find_by_name("Ben Kinsella Trust")[0].id)
    page.editor.tabs.setCurrentIndex(1)
    shot("stakeholder-links")
    page = window.show_view("commitments")
    page.table.selectRow(0)
    page.editor.tabs.setCurrentIndex(1)
    shot("commitment-links")
    window.show_view("actions")
    window.show_overdue_actions()
    shot("actions-overdue")
    page = window.show_view("actions")
    page.new_record()
    page.editor.fields["title"].set("")
    page.save()
    shot("validation")
    page.editor.revert()
    window.show_view("grid")
    shot("grid")
    window.close()

    # A system with a dark palette: the palette is in place before any widget is made.
    from ui.mainwindow import MainWindow

    app.setPalette(dark_palette())
    window = MainWindow()
    window.resize(1440, 860)
    window.show()
    page = window.show_view("actions")
    page.table.fit_columns()
    page.filter_widget("overdue").setChecked(True)
    page.new_record()
    page.save()  # validation messages must read on a dark background too
    shot("actions-dark")
    page.editor.revert()
    window.close()
    return 0


def dark_palette():
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2b2b2b"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1f1f1f"),
                         (roles.AlternateBase, "#2a2a2a"), (roles.Text, "#e6e6e6"), (roles.Button, "#353535"),
                         (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#3d6fa5"),
                         (roles.HighlightedText, "#ffffff"), (roles.Mid, "#555555"), (roles.ToolTipBase, "#353535"),
                         (roles.ToolTipText, "#e6e6e6"), (roles.PlaceholderText, "#9a9a9a")):
        palette.setColor(role, QColor(colour))
    return palette


if __name__ == "__main__":
    sys.exit(main())

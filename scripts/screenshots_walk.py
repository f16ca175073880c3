#!/usr/bin/env python3
"""Issue 15's screens that had no picture: the columns menu (View → Columns…, or the context-menu key in a
list) and the question a mistyped ``--db`` path asks, at 1366x768.

    python scripts/screenshots_walk.py [OUTPUT_DIR]                 # default docs/screenshots
    QT_SCALE_FACTOR=2 python scripts/screenshots_walk.py [OUTPUT_DIR]   # at 200%: names end in -200

Writes columns-menu.png (the actions list with its columns menu open from the keyboard) and
missing-database.png (the question, as it opens before the window).  Uses a throw-away data folder and
the demo data (scripts/screenshots.py's ``demo_app``).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import demo_app, saver, screen_1366  # noqa: E402 - after the path is set


def main(argv=None):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QMessageBox

    from ui import firstrun
    from ui.worker import wait_for_workers

    argv = sys.argv[1:] if argv is None else argv
    ask_missing = firstrun.MissingDatabase.ask  # demo_app answers it without asking
    app, window, out, tmp = demo_app(argv)
    window.resize(*screen_1366())
    window.show()

    save = saver(out)

    page = window.show_view("actions")
    page.table.fit_columns()
    page.table.setFocus()
    page.table.selectRow(0)
    page.table.open_column_menu()  # what the context-menu key, Shift+F10 and View → Columns… open
    menu = page.table.column_menu
    app.processEvents()
    image = window.grab()
    # The menu is a window of its own, placed within the offscreen screen: drawn where it opens, under the
    # heading of the current column.
    corner = page.table.horizontalHeader().mapTo(window, page.table.horizontalHeader().rect().bottomLeft())
    corner.setX(min(max(corner.x(), 0), window.width() - menu.width()))
    corner.setY(min(corner.y(), window.height() - menu.height()))
    painter = QPainter(image)
    painter.drawPixmap(corner, menu.grab())
    painter.end()
    save(image, "columns-menu")
    menu.close()

    def answer():
        box = app.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        app.processEvents()
        save(box.grab(), "missing-database")
        [quit_button] = [b for b in box.buttons() if b.text() == "&Quit"]
        quit_button.click()

    QTimer.singleShot(50, answer)
    answered = ask_missing(None, tmp / "Partnership" / "Shared" / "partnership.db")
    assert answered == firstrun.QUIT, answered
    window.close()
    wait_for_workers()  # a chart still being drawn must not outlive the app
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The main lists and every record form at 1366x768, and at 200% (issue 15, "Lists and screens").

    python scripts/screenshots_lists.py [OUTPUT_DIR]                 # default docs/screenshots
    QT_SCALE_FACTOR=2 python scripts/screenshots_lists.py [OUTPUT_DIR]   # names end in -200

Writes lists-1366.png (the four lists side by side as one image, each as the window shows it),
<kind>-1366[-200].png for each list, and <kind>-form[-200].png: the window on each list with the form
scrolled to its Save and Revert buttons (at 200% the 1366x768 screen is 683x384 logical pixels).
Uses a throw-away data folder and the demo data (scripts/screenshots.py's ``demo_app``).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screenshots import demo_app, saver, scale_suffix, screen_1366  # noqa: E402 - after the path is set


def main(argv=None):
    from PySide6.QtGui import QImage, QPainter

    from ui.kinds import KINDS

    argv = sys.argv[1:] if argv is None else argv
    app, window, out, _tmp = demo_app(argv)
    suffix = scale_suffix()
    # A 1366x768 screen: the window fills it (at 200%, 683x384 logical pixels).
    window.resize(*screen_1366())
    window.show()

    save = saver(out)

    lists = []
    for key in KINDS:
        page = window.show_view(key)
        page.table.fit_columns()  # as on a first start with data (the demo loaded after the window was made)
        page.table.selectRow(0)
        page.editor.tabs.setCurrentIndex(0)
        page.editor.form_scroll.verticalScrollBar().setValue(0)
        app.processEvents()
        image = window.grab().toImage()
        lists.append(image)
        save(image, f"{key}-1366")  # at 200%: <kind>-1366-200.png, the list too narrow for its key columns
        bar = page.editor.form_scroll.verticalScrollBar()
        bar.setValue(bar.maximum())  # the form's last fields
        window.page_scroll.ensureWidgetVisible(page.editor.save_button)  # at 200% the page itself scrolls to Save
        app.processEvents()
        save(window.grab().toImage(), f"{page.kind.name}-form")
    if not suffix:
        width, height = lists[0].width(), lists[0].height()
        sheet = QImage(width * 2, height * 2, lists[0].format())
        painter = QPainter(sheet)
        for n, image in enumerate(lists):
            painter.drawImage((n % 2) * width, (n // 2) * height, image)
        painter.end()
        save(sheet, "lists-1366")
    window.close()
    from ui.worker import wait_for_workers

    wait_for_workers()  # a chart still being drawn must not outlive the app
    return 0


if __name__ == "__main__":
    sys.exit(main())

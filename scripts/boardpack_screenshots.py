#!/usr/bin/env python3
"""Render the board pack and the action log's PDF on the demo data to PNG, for the docs.

    python scripts/boardpack_screenshots.py [OUTPUT_DIR]     # default docs/screenshots
    QT_SCALE_FACTOR=2 python scripts/boardpack_screenshots.py   # the dialog at 200% (board-pack-dialog-200.png)

Writes board-pack-1.png (the cover and the charts), board-pack-2.png (the first page of the overdue
actions' table) and action-log-pdf.png (the action log's first PDF page), with poppler's pdftoppm,
and board-pack-dialog.png (Reports → Board pack…'s dialog).
Uses a throw-away data folder and database.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DPI = "100"


def page_png(pdf, number, target):
    subprocess.run(["pdftoppm", "-r", DPI, "-png", "-singlefile", "-f", str(number), "-l", str(number), str(pdf),
                    str(target.with_suffix(""))], check=True)
    return target


def first_page_with(pdf, text):
    number = 1
    while True:
        found = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                               capture_output=True, text=True)
        if found.returncode != 0:
            raise SystemExit(f"no page of {pdf} says {text!r}")
        if text in found.stdout:
            return number
        number += 1


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tracker-pack-shots-"))
    os.environ["TRACKER_DATA_DIR"] = str(tmp)

    from PySide6.QtWidgets import QApplication

    from tracker import reports, services
    from tracker.demo import load_demo
    from tracker.opening import open_database
    from ui import reports as ui_reports
    from ui.boardpack import write_board_pack

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    open_database(tmp / "demo.db", create=True)
    load_demo()
    services.set_actor("Sam Patel", "Barking and Dagenham")
    pack = tmp / "board-pack.pdf"
    write_board_pack(pack)
    page_png(pack, 1, out / "board-pack-1.png")
    page_png(pack, first_page_with(pack, "Days overdue"), out / "board-pack-2.png")
    log = ui_reports.save_pdf(reports.action_log({}), tmp / "action-log.pdf")
    page_png(log, 1, out / "action-log-pdf.png")
    from ui.boardpack_menu import BoardPackDialog

    dialog = BoardPackDialog(None)
    dialog.show()
    app.processEvents()
    suffix = "-200" if os.environ.get("QT_SCALE_FACTOR") == "2" else ""
    dialog.grab().save(str(out / f"board-pack-dialog{suffix}.png"))
    print(f"board-pack-1.png, board-pack-2.png, action-log-pdf.png, board-pack-dialog{suffix}.png written to {out}")


if __name__ == "__main__":
    main()

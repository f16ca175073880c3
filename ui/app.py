"""Application start-up: arguments, the database, the main window."""

import argparse
import sys

from tracker import APP_NAME, __version__, services
from tracker.db import default_target, open_database
from tracker.demo import load_demo
from tracker.errors import TrackerError
from tracker.logs import setup_logging


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="stakeholder-tracker", description=f"{APP_NAME} desktop app")
    parser.add_argument("--db", metavar="PATH", help="the database file to open (default: the last one used)")
    return parser.parse_args(argv)


def main(argv=None):
    setup_logging()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    target = args.db or default_target()
    try:
        open_database(target, create=True)
        if services.stats()["stakeholders"] == 0:
            load_demo()
    except TrackerError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    counts = services.stats()
    window = QLabel(f"{APP_NAME}: {counts['stakeholders']} stakeholders, {counts['actions']} actions")
    window.setWindowTitle(APP_NAME)
    window.show()
    return app.exec()

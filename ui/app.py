"""Application start-up: arguments, settings, the database (first run offers the demo), the window.

Which database opens: ``--db PATH``, else ``TRACKER_DB``, else the last one used (from settings),
else ``tracker.db`` in the per-user data folder.  A database that does not exist yet is created,
and the user is offered the summit demo data; one named by ``--db`` or ``TRACKER_DB`` is created only
once the user says so (a mistyped path: ``ui.firstrun.MissingDatabase``).  A database that cannot be
written opens read-only, in view-only mode (``ui.readonly``); ``--read-only`` asks for that mode.
``--board-pack OUT.pdf`` writes the board pack with no window instead (``ui.headless``).
"""

import argparse
import logging
import os
import sys
from pathlib import Path

from tracker import APP_NAME, __version__, services
from tracker.db import is_url
from tracker.errors import DamagedDatabaseError, TrackerError
from tracker.logs import setup_logging
from tracker.opening import announce_presence, default_target, open_database
from ui import filetypes, firstrun, headless, settings
from ui.worker import run_and_wait, wait_for_workers

log = logging.getLogger(__name__)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="stakeholder-tracker", description=f"{APP_NAME} desktop app")
    parser.add_argument("--db", metavar="PATH", help="the database file to open (default: the last one used)")
    parser.add_argument("--read-only", action="store_true",
                        help="open the database for reading only (a file that cannot be written is opened so anyway)")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    pack = parser.add_argument_group("board pack, with no window (ui.headless)")
    pack.add_argument("--board-pack", metavar="OUT.pdf", help="write the board pack as a PDF and exit")
    pack.add_argument("--council", metavar="NAME", help="the board pack of one council (default: all)")
    pack.add_argument("--as-of", metavar="DD/MM/YYYY", help="count overdue and due soon from this date "
                                                             "(default: today)")
    args = parser.parse_args(argv)
    if (args.council or args.as_of) and not args.board_pack:
        parser.error("--council and --as-of go with --board-pack OUT.pdf")
    return args


def choose_database(args):
    if args.db:
        return args.db
    if os.environ.get("TRACKER_DB"):
        return os.environ["TRACKER_DB"]
    last = settings.last_database()
    if last and Path(last).exists():
        return last
    return default_target()


def open_chosen_database(target, read_only=False):
    """Open ``target``, creating it if need be; True when a new, empty database was created.

    Opening (an upgrade of an older file, first of all) runs on a worker thread, a progress
    dialog showing when it takes a while; an error it raises is raised here."""
    created = not is_url(target) and not Path(target).expanduser().exists()
    if created:
        Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True, mode=0o700)

    def open_it(progress):
        open_database(target, create=True, read_only=True if read_only else None)
        return created and services.stats()["stakeholders"] == 0

    kind, value = run_and_wait(None, open_it, "Opening the database…", cancellable=False)
    if kind == "failure":
        raise value
    settings.remember_database(target)
    return value


def start(argv=None):
    """Everything main() does except running the event loop: returns the shown MainWindow, or None."""
    from PySide6.QtWidgets import QApplication

    from ui import damage, errors
    from ui.resources import apply_style
    from ui.safety import recover_at_start, start_daily_backup

    setup_logging()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    filetypes.install()  # before any file dialog: none may open the database to sniff its type
    announce_presence(True)  # a second app on the same database is told so
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("StakeholderTracker")
    apply_style(app)
    errors.install_excepthook()
    damage.install()
    settings.apply_actor()
    target = choose_database(args)
    if (args.db or os.environ.get("TRACKER_DB")) and not is_url(target) and not Path(target).expanduser().exists():
        target = firstrun.confirm_database_path(target)  # a mistyped path is not silently made a database
        if target is None:
            return None
    created = False
    try:
        created = open_chosen_database(target, read_only=args.read_only)
    except DamagedDatabaseError as exc:  # the damage dialog, before any window (ui.damage)
        log.warning("the database is damaged")
        if not damage.handler.recover_at_start(exc):
            return None
    except TrackerError as exc:
        log.warning("could not open the database: %s", type(exc).__name__)
        if not recover_at_start(target, exc):
            errors.show_message(None, str(exc))
            return None
        settings.remember_database(target)
    from ui.mainwindow import MainWindow

    window = damage.handler.build_window(MainWindow)  # damage met while it builds: the dialog first
    if window is None:
        return None
    window.show()
    window.daily_backup = start_daily_backup(window)
    if created:
        window.offer_demo_data(target)
    return window


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.board_pack:
        return headless.board_pack_command(args, choose_database(args))
    window = start(argv)
    if window is None:
        return 1
    from PySide6.QtWidgets import QApplication

    status = QApplication.instance().exec()
    wait_for_workers()  # a chart still being drawn must not outlive the app
    return status

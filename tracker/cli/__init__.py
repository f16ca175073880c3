"""The ``tracker`` command: one entry, one sub-command per capability.

Each module in ``COMMAND_MODULES`` adds its sub-commands with ``register(subparsers, common)``; a
sub-command sets ``func`` (called with the parsed arguments, returns the exit status) and
``db_mode``: ``"create"`` (make the database if missing), ``"open"`` (must exist; upgraded if
old), ``"as-is"`` (must exist; never changed before the command runs) or ``None``.

Errors a person can act on print one line to stderr and exit 1; bad arguments exit 2; an
unexpected failure prints one line, writes the details to the log file and exits 70.
Never a traceback.  The exit statuses and the type of a date argument are in ``tracker.cli.common``,
which the sub-command modules import instead of this module.
"""

import argparse
import logging
import os
import sys

import peewee

from tracker import __version__
from tracker.cli import core, duplicates, exchange, merging, reports, safety, tables
from tracker.cli.common import EXIT_CANCELLED, EXIT_ERROR, EXIT_INTERNAL, EXIT_USAGE
from tracker.cli.safety import damage_advice
from tracker.db import close_database, translate_operational_error
from tracker.errors import DamagedDatabaseError, TrackerError
from tracker.logs import log_file, setup_logging
from tracker.opening import default_target, open_database
from tracker.paths import default_database_path, ensure_private_dir

COMMAND_MODULES = (core, exchange, tables, merging, safety, reports, duplicates)

log = logging.getLogger("tracker.cli")


class CommandParser(argparse.ArgumentParser):
    """Argument errors as one line (what is wrong, where to look), exit 2."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see: {self.prog} --help)\n")


def build_parser():
    parser = CommandParser(
        prog="tracker",
        description="Stakeholder Tracker: stakeholders, commitments and actions for the tri-borough partnership.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    db_help = "the database file (default: TRACKER_DB, or the per-user data folder); or a postgresql:// URL"
    parser.add_argument("--db", metavar="PATH", help=db_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    common = CommandParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    for module in COMMAND_MODULES:
        module.register(sub, common)
    return parser


def main(argv=None):
    setup_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    target = args.db or default_target()
    mode = getattr(args, "db_mode", None)
    try:
        if mode is not None:
            if mode == "create" and not args.db and target == str(default_database_path()):
                ensure_private_dir(default_database_path().parent)
            open_database(target, create=(mode == "create"), upgrade=(mode != "as-is"))
        args.target = target
        return args.func(args) or 0
    except DamagedDatabaseError as exc:
        print(f"tracker: {damage_advice(exc, args)}", file=sys.stderr)
        return EXIT_ERROR
    except TrackerError as exc:
        print(f"tracker: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except peewee.DatabaseError as exc:  # locked, read-only: raised mid-command
        error = translate_operational_error(exc, target)
        advice = damage_advice(error, args) if isinstance(error, DamagedDatabaseError) else error
        print(f"tracker: {advice}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into head, less...: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("tracker: cancelled; nothing was changed by the interrupted step.", file=sys.stderr)
        return EXIT_CANCELLED
    except Exception as exc:  # the last line of defence: never a traceback in front of a user
        log.exception("unexpected error in tracker %s", args.command)
        print(f"tracker: unexpected error ({type(exc).__name__}). Details were written to {log_file()}.",
              file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        close_database()

"""The ``tracker`` command: one entry, one sub-command per capability.

Each module in ``COMMAND_MODULES`` adds its sub-commands with ``register(subparsers, common)``; a
sub-command sets ``func`` (called with the parsed arguments, returns the exit status) and
``db_mode``: ``"create"`` (make the database if missing), ``"open"`` (must exist; upgraded if
old), ``"as-is"`` (must exist; never changed before the command runs) or ``None``; and ``writes``
(True unless said otherwise; or a function of the arguments): a command that writes is refused in
one sentence on a database open read-only, one that only reads runs.

Who the command records as making changes: ``tracker.settings.identity`` with the environment
(the app's settings file, ``TRACKER_USER`` and ``TRACKER_COUNCIL`` overriding it); a home council
the database does not know is refused.

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

from tracker import __version__, services, settings
from tracker.cli import core, duplicates, exchange, merging, reports, safety, tables
from tracker.cli.common import EXIT_CANCELLED, EXIT_ERROR, EXIT_INTERNAL, EXIT_USAGE
from tracker.cli.safety import damage_advice
from tracker.db import close_database, describe, is_read_only, translate_operational_error
from tracker.errors import DamagedDatabaseError, NotFoundError, ReadOnlyDatabaseError, TrackerError
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
        epilog=ENVIRONMENT_HELP.format(settings_file=settings.settings_file()), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    db_help = "the database file (default: TRACKER_DB, or the per-user data folder); or a postgresql:// URL"
    read_only_help = ("open the database for reading only (a file that cannot be written is opened so anyway); "
                      "commands that change it are refused")
    parser.add_argument("--db", metavar="PATH", help=db_help)
    parser.add_argument("--read-only", action="store_true", help=read_only_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    common = CommandParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    common.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS, help=read_only_help)
    for module in COMMAND_MODULES:
        module.register(sub, common)
    return parser


ENVIRONMENT_HELP = """\
who is recorded as making changes:
  your name and home council as set in the app (Settings), kept in {settings_file}
  TRACKER_USER      your name instead (else the settings' name, else your login name)
  TRACKER_COUNCIL   your home council instead: a name or code (BD, HAV, RED); set but empty: none
                    (the council's code starts the references of the actions you add: HAV-A0042)
other environment variables:
  TRACKER_DB        the database used when --db is not given
  TRACKER_DATA_DIR  the folder of the settings file, the default database and the log"""


def _writes(args):
    writes = getattr(args, "writes", True)
    return writes(args) if callable(writes) else bool(writes)


def _set_actor():
    """Changes are recorded under the settings' or the environment's name and home council; a council
    this database does not know is refused (its actions would be numbered in no council's series)."""
    name, council, sources = settings.identity(os.environ)
    if council:
        try:
            council = services.councils.find(council).name
        except NotFoundError:
            where = (f"from {settings.ENV_COUNCIL}" if sources["council"] == settings.ENV_COUNCIL
                     else f"from the settings in {settings.settings_file()}")
            names = ", ".join(c.name for c in services.councils.all_councils())
            raise TrackerError(f"Your home council {council!r} ({where}) is not a council of this database "
                               f"(it knows: {names}); set {settings.ENV_COUNCIL} to one of them or to nothing, "
                               f"or choose another in the app's Settings.") from None
    services.set_actor(name, council)


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
            open_database(target, create=(mode == "create"), upgrade=(mode != "as-is"),
                          read_only=True if args.read_only else None)
            if is_read_only() and _writes(args):
                raise ReadOnlyDatabaseError(
                    f"The database {describe(target)} is open read-only (the file or its folder cannot be written, "
                    f"or --read-only was given), so 'tracker {args.command}' cannot change it; commands that only "
                    f"read it (stats, check, the reports, backup to another folder) still work.")
            _set_actor()
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

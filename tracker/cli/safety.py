"""Sub-commands that keep data safe: backups, restore, erasing a person, the retention review;
and the one line a command prints when it meets a damaged database (:func:`damage_advice`)."""

import argparse
import shlex
from pathlib import Path

from tracker import backups, services
from tracker.db import current_path, describe
from tracker.errors import TrackerError
from tracker.opening import default_target
from tracker.paths import default_database_path, ensure_private_dir
from tracker.restore import restore_backup


def register(sub, common):
    p = sub.add_parser("backups", parents=[common], help="list the backups of the database, newest first")
    p.set_defaults(func=cmd_backups, db_mode=None)

    p = sub.add_parser("restore", parents=[common], help="replace the database by a backup (after backing it up)",
                       description="Replace the database by BACKUP. The current database is backed up first; "
                                   "the backup must be a sound Stakeholder Tracker database.")
    p.add_argument("backup", metavar="BACKUP", help="a backup file, or a name listed by: tracker backups")
    p.set_defaults(func=cmd_restore, db_mode=None)

    p = sub.add_parser("erase", parents=[common], help="erase a person's personal data (right to erasure)",
                       description="Erase a person's personal data everywhere, including the audit trail, "
                                   "leaving a tombstone that exchange workbooks carry to the other councils.")
    p.add_argument("stakeholder", metavar="STAKEHOLDER_ID", help="the person's ID")
    p.add_argument("--yes", action="store_true", help="really erase (it cannot be undone)")
    p.set_defaults(func=cmd_erase, db_mode="open")

    p = sub.add_parser("retention-review", parents=[common],
                       help="list people nobody has updated for a number of months")
    p.add_argument("--months", type=_months, metavar="N",
                   help=f"months without activity (default: the database's setting, initially "
                        f"{services.privacy.DEFAULT_RETENTION_MONTHS})")
    p.add_argument("--save", action="store_true", help="make --months the database's setting")
    p.set_defaults(func=cmd_retention_review, db_mode="open", writes=lambda args: args.save)


def _months(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of months (1 or more)")
    return value


def _db_file(args):
    target = args.db or default_target()
    if "://" in str(target):
        raise TrackerError("Backups of a PostgreSQL database are taken by its server, not by this app.")
    if target == str(default_database_path()):
        ensure_private_dir(default_database_path().parent)
    return Path(target).expanduser()


def damage_advice(damage, args):
    """One line for a damaged database: what happened, its newest sound backup and the exact command."""
    path = Path(damage.path)
    if "://" in str(damage.path) or not path.parent.is_dir():
        return str(damage)
    try:
        found = backups.newest_sound_backup(path)
    except (TrackerError, OSError):  # the backups folder unreadable: the damage is still the news
        return str(damage)
    db_option = f"--db {shlex.quote(str(args.db))} " if getattr(args, "db", None) else ""
    if found is None:
        return (f"{damage.summary} No sound backup of it was found in {backups.backup_folder(path)}; if you "
                f"have a copy elsewhere, restore it with: tracker {db_option}restore FILE")
    return (f"{damage.summary} Its newest sound backup is {found.describe()}; restore it with: "
            f"tracker {db_option}restore {shlex.quote(found.backup.name)}")


def cmd_backups(args):
    db_file = _db_file(args)
    found = backups.list_backups(db_file)
    if not found:
        print(f"No backups of {db_file} yet (they are kept in {backups.backup_folder(db_file)}).")
        return 0
    for b in found:
        print(f"{b.taken:%d/%m/%Y %H:%M:%S}  {b.reason:<24} {b.size // 1024:>8} KB  {b.name}")
    print(f"{len(found)} backup(s) in {backups.backup_folder(db_file)}. Restore one with: tracker restore NAME")
    return 0


def cmd_restore(args):
    db_file = _db_file(args)
    source = backups.find_backup(args.backup, db_file)
    safety, erased = restore_backup(source, db_file)
    if safety is not None:
        print(f"The database as it was is kept in {safety}.")
    print(f"Restored {describe(current_path())} from {source.name}.")
    if erased:
        print(f"{erased} person(s) erased since that backup were erased again.")
    return 0


def cmd_erase(args):
    key = int(args.stakeholder) if args.stakeholder.isdigit() else args.stakeholder
    person = services.stakeholders.get(key)
    if not args.yes:
        raise TrackerError(f"This would erase {person.uuid} and cannot be undone; add --yes to erase.")
    services.privacy.erase(person, source="tracker erase")
    print(f"Erased {person.uuid}: personal data removed everywhere, including the audit trail. "
          f"The next exchange workbook tells the other councils to erase it too.")
    return 0


def cmd_retention_review(args):
    if args.save:
        if args.months is None:
            raise TrackerError("--save needs --months N.")
        services.privacy.set_retention_months(args.months)
    months = args.months or services.privacy.retention_months()
    cutoff, people = services.privacy.retention_review(months)
    if not people:
        print(f"Nobody to review: every person was updated in the last {months} months.")
        return 0
    for person, last in people:
        print(f"{person.uuid}  last activity {last:%d/%m/%Y}  {person.name}")
    print(f"{len(people)} person(s) not updated since {cutoff:%d/%m/%Y} ({months} months). Keep them up to date, "
          f"or erase those you no longer need with: tracker erase ID --yes")
    return 0

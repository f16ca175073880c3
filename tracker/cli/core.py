"""Sub-commands for the database itself: init, stats, check, backup."""

import json

from tracker import migrations, services
from tracker.backups import backup_database
from tracker.db import database, describe
from tracker.demo import load_demo


def register(sub, common):
    p = sub.add_parser("init", parents=[common], help="create or upgrade the database",
                       description="Create the database (or upgrade an older one, after a backup).")
    p.add_argument("--demo", action="store_true", help="load the summit demo data set (safe to repeat)")
    p.set_defaults(func=cmd_init, db_mode="create")

    p = sub.add_parser("stats", parents=[common], help="count the records of each kind")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats, db_mode="open", writes=False)

    p = sub.add_parser("check", parents=[common], help="check the database is sound (exit 0 when it is)")
    p.set_defaults(func=cmd_check, db_mode="as-is", writes=False)

    p = sub.add_parser("backup", parents=[common], help="write a consistent copy of the database")
    p.add_argument("dest", nargs="?", metavar="DEST",
                   help="file or folder to write (default: the backups folder beside the database)")
    p.set_defaults(func=cmd_backup, db_mode="as-is", writes=False)


def cmd_init(args):
    version = migrations.schema_version(database.obj)
    print(f"Database ready: {describe(args.target)} (schema version {version}).")
    if args.demo:
        added = load_demo()
        print(f"Demo data: {added} records added." if added else "Demo data: already loaded, nothing added.")
    return 0


def cmd_stats(args):
    counts = services.stats()
    if args.json:
        print(json.dumps(counts, sort_keys=True))
        return 0
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        if key == "deleted":
            continue
        extra = counts["deleted"].get(key)
        print(f"{key.replace('_', ' '):<{width}}  {value:>8}" + (f"  ({extra} deleted)" if extra else ""))
    return 0


def cmd_check(args):
    problems = services.check()
    if problems:
        for line in problems:
            print(f"problem: {line}")
        print(f"{describe(args.target)}: {len(problems)} problem(s) found.")
        return 1
    print(f"{describe(args.target)}: sound.")
    return 0


def cmd_backup(args):
    dest = backup_database(args.dest)
    print(f"Backup written: {dest}")
    return 0

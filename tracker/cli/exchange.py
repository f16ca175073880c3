"""Sub-commands for sharing between councils: export-workbook, import-workbook, undo-import, imports."""

import json
import sys

from tracker.cli.common import EXIT_ERROR, parse_date_arg
from tracker.dates import format_local_time
from tracker.exchange import export_workbook, import_workbook
from tracker.exchange.safety import ExchangeError
from tracker.services import conflicts, imports, tableimports


def register(sub, common):
    p = sub.add_parser("export-workbook", parents=[common], help="write the exchange workbook for another council",
                       description="Write every record (or those changed since a date) to an exchange workbook "
                                   "that another council can import.")
    p.add_argument("out", metavar="OUT.xlsx", help="the workbook to write (replaced safely if it exists)")
    p.add_argument("--no-personal-data", action="store_true",
                   help="leave out people's email, phone, address and notes")
    p.add_argument("--since", type=parse_date_arg, metavar="DATE",
                   help="only records changed on or after DATE (dd/mm/yyyy)")
    p.set_defaults(func=cmd_export, db_mode="open")

    p = sub.add_parser("import-workbook", parents=[common], help="import another council's exchange workbook",
                       description="Merge an exchange workbook into this database by record ID. Any problem in "
                                   "any row refuses the whole file and changes nothing.")
    p.add_argument("file", metavar="IN.xlsx")
    p.add_argument("--dry-run", action="store_true", help="show what would change and change nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--on-conflict", choices=("ask", "keep-mine", "take-theirs"), default="ask",
                   help="records changed here and in the file: hold for review in the app (ask, the default), "
                        "keep this database's values, or take the file's")
    p.set_defaults(func=cmd_import, db_mode="open", writes=lambda args: not args.dry_run)

    p = sub.add_parser("undo-import", parents=[common], help="reverse an import",
                       description="Reverse an import (additions, changes and deletions), unless the records "
                                   "were changed since.")
    p.add_argument("import_id", type=int, metavar="IMPORT_ID")
    p.set_defaults(func=cmd_undo, db_mode="open")

    p = sub.add_parser("imports", parents=[common], help="list recent imports, held conflicts and rows held for review")
    p.set_defaults(func=cmd_imports, db_mode="open", writes=False)


def cmd_export(args):
    result = export_workbook(args.out, personal_data=not args.no_personal_data, since=args.since)
    print(result.summary())
    return 0


def cmd_import(args):
    try:
        report = import_workbook(args.file, dry_run=args.dry_run, on_conflict=args.on_conflict)
    except ExchangeError as exc:
        if not args.json:
            raise
        print(json.dumps({"file": args.file, "applied": False, "refused": str(exc), "added": 0, "updated": 0,
                          "unchanged": 0, "conflicts": 0, "rejected": 0, "import_id": None, "details": []}))
        return EXIT_ERROR
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        _print_report(report)
    return EXIT_ERROR if report.refused else 0


def _print_report(report):
    out = sys.stderr if report.refused else sys.stdout
    for d in report.details:
        if d.kind == "rejected":
            print(f"  rejected: {d.message}", file=out)
        elif report.dry_run or d.kind == "conflict":
            print(f"  {d.kind}: {d.sheet} row {d.row}: {d.message}", file=out)
            for column, before, after in d.changes:
                print(f"      {column}: {before!r} -> {after!r}", file=out)
    print(("tracker: " if report.refused else "") + report.summary(), file=out)


def cmd_undo(args):
    run = imports.undo_import(args.import_id)
    print(f"Import {run.id} ({run.file_name}) was undone.")
    return 0


def cmd_imports(args):
    for run in imports.imports():
        state = f"undone {format_local_time(run.undone_at)}" if run.undone_at else "applied"
        print(f"{run.id:>5}  {format_local_time(run.at)}  {imports.summary(run)} ({state})")
    pending = conflicts.pending_conflicts()
    print(f"{len(pending)} conflict(s) held for review." if pending else "No conflicts held for review.")
    held = tableimports.held_rows()
    if held:
        print(f"{len(held)} row(s) of partners' tables held for review: see them with tracker held.")
    return 0

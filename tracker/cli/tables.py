"""Sub-commands for partners' own tables: import-table, held (and held resolve).

``tracker import-table FILE --as KIND`` runs the engine the app's wizard runs (``tracker.tableimport``)
with the suggested mapping (or the preset fitting the headers).  Exit 0 when applied (held rows
included) or for a clean dry run, 1 when refused, 2 for a usage error.  ``--json`` prints one object
(see docs/import-formats.md for its keys).
"""

import codecs
import json
import sys

from tracker.cli.common import EXIT_ERROR, EXIT_USAGE, whole_number
from tracker.errors import TrackerError
from tracker.services import tableimports
from tracker.tableimport import AS, Options, apply_plan, plan_import
from tracker.tableimport.mapping import parse_date_options, parse_map_options, parse_value_options
from tracker.tableimport.plan import refusal
from tracker.tableimport.report import write_report

ROW_NUMBER = whole_number(1, what="a row number", below="row numbers start at 1")
EMPTY = {"added": 0, "matched": 0, "updated": 0, "unchanged": 0, "held": [], "rejected": [], "sheets": [],
         "header_row": None, "mapping": {}, "dates": {}, "import_id": None}


def register(sub, common):
    p = sub.add_parser("import-table", parents=[common], help="import a partner's spreadsheet or CSV",
                       description="Import a sign-in sheet, contact list, action log or form export (.xlsx, .xlsm, "
                                   ".ods, .csv) as stakeholders, attendance, actions or commitments: columns mapped "
                                   "by their headers, people matched with those already held, doubtful matches "
                                   "held for review. Bad rows refuse the whole file unless --skip-bad-rows.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as", dest="kind", choices=AS, required=True, help="what each row is")
    p.add_argument("--event", help="attendance: the event, by ID or exact title (\"Title dd/mm/yyyy\" if titles repeat)")
    p.add_argument("--sheet", action="append", default=[], metavar="NAME",
                   help="import this sheet (repeatable; default: every visible sheet whose header fits)")
    p.add_argument("--header-row", type=ROW_NUMBER, metavar="N", help="the header's row number (default: detected)")
    p.add_argument("--preset", metavar="NAME", help="use the saved mapping NAME")
    p.add_argument("--save-preset", metavar="NAME", help="save the mapping used as NAME (offered again for the same headers)")
    p.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                   help="map a column to a field (or to 'ignore'); repeatable")
    p.add_argument("--map-value", action="append", default=[], metavar="HEADER:WRITTEN=STORED",
                   help="read a partner's word as one of ours, e.g. \"Status:Sorted=done\"; repeatable")
    p.add_argument("--dates", action="append", default=[], metavar="ORDER",
                   help="how text dates are written: day-first or month-first for every date column, or "
                        "\"Header=month-first\" for one (repeatable; default: decided per column, day-first "
                        "when undecidable)")
    p.add_argument("--on-match", choices=("fill", "update", "skip"), default="fill",
                   help="a matched record: fill its empty fields (default), update them all, or leave it")
    p.add_argument("--uncertain", choices=("hold", "create"), default="hold",
                   help="a doubtful match: hold it for review (default) or create a new record")
    p.add_argument("--skip-bad-rows", action="store_true", help="leave rows with bad values out instead of refusing")
    p.add_argument("--dry-run", action="store_true", help="show what would change and change nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--report", metavar="FILE.xlsx", help="write the bad rows, highlighted, with a reason column")
    p.add_argument("--encoding", help="a CSV's encoding (default: detected: UTF-8, Windows-1252 or Latin-1)")
    p.add_argument("--delimiter", choices=("comma", "semicolon", "tab"), help="a CSV's delimiter (default: detected)")
    p.set_defaults(func=cmd_import_table, db_mode="open", writes=lambda args: not args.dry_run or args.save_preset)

    p = sub.add_parser("held", parents=[common], help="rows of imported tables held for review",
                       description="List the rows whose match was doubtful, or decide one: link it to a held "
                                   "stakeholder, create a new one, or skip it.")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_held, db_mode="open", writes=False)
    held_sub = p.add_subparsers(dest="held_command", metavar="resolve")
    r = held_sub.add_parser("resolve", parents=[common], help="decide a held row")
    r.add_argument("row_id", type=int, metavar="ROW_ID")
    how = r.add_mutually_exclusive_group(required=True)
    how.add_argument("--link", metavar="ID", help="it is this stakeholder (ID or UUID)")
    how.add_argument("--create", action="store_true", help="it is someone new")
    how.add_argument("--skip", action="store_true", help="leave it out")
    r.add_argument("--json", action="store_true", help="print one JSON object")
    r.set_defaults(func=cmd_resolve, db_mode="open", writes=True)




def cmd_import_table(args):
    try:
        dates, column_dates = parse_date_options(args.dates)
        _check_usage(args)
    except ValueError as exc:
        print(f"tracker import-table: {exc}", file=sys.stderr)
        return EXIT_USAGE
    options = Options(kind=args.kind, sheets=tuple(args.sheet), header_row=args.header_row, preset=args.preset,
                      maps=tuple(args.map), map_values=tuple(args.map_value), dates=dates,
                      column_dates=column_dates,
                      on_match=args.on_match, uncertain=args.uncertain, skip_bad_rows=args.skip_bad_rows,
                      event=args.event, encoding=args.encoding,
                      delimiter={"comma": ",", "semicolon": ";", "tab": "\t", None: None}[args.delimiter])
    try:
        plan = plan_import(args.file, options)
    except TrackerError as exc:
        if not args.json:
            raise
        print(json.dumps({**EMPTY, "applied": False, "refused": str(exc), "file": args.file}, ensure_ascii=False))
        return EXIT_ERROR
    if args.report:
        write_report(plan, args.report)
    why = refusal(plan)
    import_id = None
    if why is None and not args.dry_run:
        try:
            import_id = apply_plan(plan)
        except TrackerError as exc:
            why = str(exc)
    if why is None and args.save_preset:
        words = parse_value_options(args.map_value)
        for table in plan.used:
            tableimports.save_preset(args.save_preset, args.kind, table.headers, table.mapping, words,
                                     {**plan.preset_dates, **column_dates})  # a preset's orders are kept
    if args.json:
        print(json.dumps({**plan.as_json(import_id, applied=import_id is not None), "years_assumed": _years_assumed(plan),
                          **({"refused": why} if why else {})}, ensure_ascii=False, default=str))
    else:
        _print_plan(plan, import_id, why, args.dry_run)
    return EXIT_ERROR if why else 0


def _years_assumed(plan):
    """{date column: how many of its values had no year} (an assumption, as an undecided order is)."""
    found = {}
    for table in plan.used:
        for header, count in table.years_assumed.items():
            found[header] = found.get(header, 0) + count
    return found


def _check_usage(args):
    """The options written wrong (exit 2, before the file is read): --map and --map-value not of their form
    or naming no field, an encoding Python does not know, attendance without --event."""
    for option in args.map:  # each alone: two columns given one field is the mapping's refusal (exit 1), not usage
        parse_map_options(args.kind, [option])
    parse_value_options(args.map_value)
    if args.encoding:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise ValueError(f"--encoding {args.encoding!r} is not an encoding name (e.g. utf-8, cp1252, "
                             "latin-1)") from None
    if args.kind == "attendance" and not args.event:
        raise ValueError("--event is needed to import attendance: the event, by ID or exact title.")


def _print_plan(plan, import_id, why, dry_run=False):
    out = sys.stderr if why else sys.stdout
    data = plan.as_json(import_id)
    print(data["read_as"], file=out)
    for t in data["sheets"]:
        if t["imported"]:
            print(f"  sheet '{t['name']}': header on row {t['header_row']}, {t['records']} records", file=out)
            for s in t["skipped"]:
                if s["why"] != "blank":
                    print(f"    row {s['row']} skipped: {s['why']}", file=out)
        else:
            print(f"  sheet '{t['name']}' not imported: {t['reason']}", file=out)
    for header, target in data["mapping"].items():
        print(f"  column '{header}' -> {target or '(ignored)'}", file=out)
    for header, order in data["dates"].items():
        print(f"  dates in '{header}': {order}", file=out)
    for header, count in _years_assumed(plan).items():
        print(f"  dates in '{header}': {count} written without a year (\"end of March\"), read as the next such "
              "month from today: flagged on their rows", file=out)
    for r in data["records"]:
        if r.get("note"):  # erased on request, a partner's RAG unlike ours, a doubtful organisation
            print(f"  {r['sheet']} row {r['row']} {r['name']!r}: {r['note']}", file=out)
        if r["changes"]:
            print(f"  {r['sheet']} row {r['row']}: {r['name']} (ID {r['record_id']}) changes:", file=out)
            for name, (old, new) in r["changes"].items():
                print(f"      {name}: {old!r} -> {new!r}", file=out)
    for h in data["held"]:
        options = "; ".join(f"{'the organisation ' if c.get('kind') == 'organisation' else ''}{c['name']} "
                            f"(ID {c['id']}, {c['score']}%)" for c in h["candidates"])
        print(f"  held: {h['sheet']} row {h['row']} {h['name']!r}: maybe {options}", file=out)
    for p in plan.problems:
        print(f"  rejected: {p.sentence()}", file=out)
    counts = (f"{data['added']} added, {data['matched']} matched ({data['updated']} updated, {data['unchanged']} "
              f"unchanged), {len(data['held'])} held for review, {len(data['rejected'])} rejected")
    if why:
        print(f"tracker: {why}", file=out)
    elif dry_run:
        print(f"Dry run: {counts}. Nothing was changed.", file=out)
    elif import_id is None:  # imported again, or all held already: no import is recorded
        print(f"Nothing to import: {counts}. Nothing was changed.", file=out)
    else:
        print(f"Import {import_id}: {counts}. Undo with: tracker undo-import {import_id}", file=out)


def cmd_held(args):
    if getattr(args, "held_command", None) == "resolve":
        return cmd_resolve(args)
    rows = tableimports.held_rows()
    if args.json:
        print(json.dumps({"held": [_held_json(r) for r in rows]}, ensure_ascii=False))
        return 0
    for r in rows:
        maybe = "; ".join(f"{c['name']} (ID {c['id']}, {c['score']}%)" for c in json.loads(r.candidates))
        print(f"{r.id:>5}  import {r.__data__.get('run')}  {r.sheet} row {r.row}  {r.name!r} {r.email}: maybe {maybe}")
    print(f"{len(rows)} row(s) held for review." if rows else "No rows held for review.")
    return 0


def _held_json(r):
    return {"id": r.id, "import_id": r.__data__.get("run"), "kind": r.kind, "sheet": r.sheet, "row": r.row, "name": r.name,
            "email": r.email, "values": json.loads(r.values), "candidates": json.loads(r.candidates)}


def cmd_resolve(args):
    if args.link is None and not args.create and not args.skip:
        print("tracker held resolve: say one of --link ID, --create or --skip", file=sys.stderr)
        return EXIT_USAGE
    resolution, record = tableimports.resolve_held(args.row_id, link=args.link, create=args.create, skip=args.skip)
    if getattr(args, "json", False):
        print(json.dumps({"id": args.row_id, "resolution": resolution,
                          "record": {"id": record.id, "name": record.name} if record else None}))
    else:
        print(f"Held row {args.row_id}: {resolution}" + (f" ({record.name}, ID {record.id})." if record else "."))
    return 0

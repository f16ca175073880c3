"""Sub-commands for duplicate stakeholders: merge, undo-merge, merges.

Records are named by their exchange ID (the workbook's ID column) or the number the app shows.
``tracker merge`` without ``--yes`` prints what would change and changes nothing.
"""

import argparse

from tracker import records
from tracker.dates import format_local_time
from tracker.services import merges


def register(sub, common):
    p = sub.add_parser("merge", parents=[common], help="merge duplicate stakeholders into one",
                       description="Merge OTHER_ID... into KEEP_ID: the kept record takes the chosen values, every "
                                   "link of the others moves to it and they are retired as merged into it. Without "
                                   "--yes, prints what would change and changes nothing.")
    p.add_argument("keep", metavar="KEEP_ID", help="the record to keep: its ID (the workbook's ID column) or number")
    p.add_argument("others", nargs="+", metavar="OTHER_ID", help="the records merged into it")
    p.add_argument("--take", action="append", default=[], type=_take, metavar="FIELD=ID",
                   help="take FIELD from record ID (or FIELD=both for notes and tags); repeat for more fields. "
                        "Unnamed fields keep the kept record's value; councils are always joined")
    p.add_argument("--yes", action="store_true", help="make the merge (without it nothing is changed)")
    p.set_defaults(func=cmd_merge, db_mode="open")

    p = sub.add_parser("undo-merge", parents=[common], help="undo a merge",
                       description="Put back everything a merge changed, unless those records were changed since "
                                   "or the merge was exported for sharing.")
    p.add_argument("merge_id", type=int, metavar="ID", help="the merge's number (see: tracker merges)")
    p.set_defaults(func=cmd_undo_merge, db_mode="open")

    p = sub.add_parser("merges", parents=[common], help="list recent merges of duplicate stakeholders")
    p.set_defaults(func=cmd_merges, db_mode="open", writes=False)


def _take(text):
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not FIELD=ID (e.g. --take email=12, --take notes=both)")
    spec = records.STAKEHOLDER.find(name)
    return (spec.name if spec is not None else name.strip(), value.strip())


def _take_dict(pairs):
    return {name: (merges.BOTH if value.lower() == merges.BOTH else merges.parse_id(value)) for name, value in pairs}


def cmd_merge(args):
    keep = merges.parse_id(args.keep)
    others = [merges.parse_id(o) for o in args.others]
    take = _take_dict(args.take)
    preview = merges.preview_merge(keep, others, take)
    if not args.yes:
        _print_preview(preview)
        print("Nothing was changed. Run again with --yes to merge.")
        return 0
    merge_id = merges.merge(keep, others, take)
    kept = preview.result.get("name", "")
    print(f"Merged {len(others)} record(s) into '{kept}' (merge {merge_id}). Undo with: tracker undo-merge {merge_id}")
    return 0


def _print_preview(preview):
    ids = [preview.keep_id, *preview.other_ids]
    names = {f.name: f for f in preview.fields}["name"].shown
    print(f"Keep {preview.keep_id} '{names[preview.keep_id]}'; merge into it: "
          + ", ".join(f"{i} '{names[i]}'" for i in preview.other_ids))
    for f in preview.fields:
        if not f.differs:
            continue
        print(f"  {f.label}: " + " | ".join(f"{i}: {f.shown[i]!r}" for i in ids))
        taken = "both, joined" if f.both else f"from {f.default}"
        print(f"      -> {preview.result[f.name]!r} ({taken})")
    for i in ids:
        counts = ", ".join(f"{label} {n}" for label, n in preview.links[i].items())
        verb = "kept" if i == preview.keep_id else "moves to the kept record"
        print(f"  {i} links ({verb}): {counts}")


def cmd_undo_merge(args):
    merges.undo_merge(args.merge_id)
    print(f"Merge {args.merge_id} was undone.")
    return 0


def cmd_merges(args):
    runs = merges.merge_runs()
    for run in runs:
        state = (f"undone {format_local_time(run.undone_at)}" if run.undone_at else
                 f"from {run.source}" if run.source else
                 f"exported {format_local_time(run.exported_at)}" if run.exported_at else "can be undone")
        retired = len(run.retired.split())
        print(f"{run.id:>5}  {format_local_time(run.at)}  {run.user or '?'} ({run.council or '?'}): kept "
              f"'{merges.kept_name(run)}' ({run.kept_uuid}), {retired} merged into it ({state})")
    if not runs:
        print("No merges yet.")
    return 0

"""Sub-commands for stakeholders held twice: duplicates (the candidate groups), not-duplicates (a pair to
offer no more).  Merging is ``tracker merge`` (another module).

``tracker duplicates [--kind people|organisations] [--council NAME] [--min-score N] [--json]`` prints the
groups best first (``--json``: ``{"groups": [{"score", "reasons", "records": [{"id": exchange ID, "number":
the app's number, "name", "organisation", "email"}]}]}``).  ``tracker not-duplicates ID ID`` takes exchange
IDs or the app's numbers.  Exit 0 when done, 1 when refused (one sentence), 2 for a usage error.
"""

import json

from tracker.cli.common import whole_number
from tracker.services import duplicates

SCORE = whole_number(0, 100, below="a score is from 0 to 100", above="a score is from 0 to 100")


def register(sub, common):
    p = sub.add_parser("duplicates", parents=[common], help="list stakeholders that may be held twice",
                       description="Candidate groups of people or organisations that may be the same one, best "
                                   "first, with a score (0-100) and the reasons: same email, same name and "
                                   "organisation, close name, same phone. A shared inbox (info@...) or "
                                   "switchboard is weak evidence on its own.")
    p.add_argument("--kind", choices=("people", "organisations"), help="only people or only organisations")
    p.add_argument("--council", metavar="NAME", help="only groups with a record of this council (name or code)")
    p.add_argument("--min-score", type=SCORE, default=duplicates.DEFAULT_MIN_SCORE, metavar="N",
                   help=f"the lowest score shown, 0-100 (default {duplicates.DEFAULT_MIN_SCORE})")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_duplicates, db_mode="open", writes=False)

    p = sub.add_parser("not-duplicates", parents=[common], help="say two stakeholders are not the same one",
                       description="Remember that two stakeholders are different, so they are not offered as "
                                   "duplicates again (the pair travels in the exchange workbook).")
    p.add_argument("ids", nargs=2, metavar="ID", help="an exchange ID (the workbook's ID column) or the app's number")
    p.set_defaults(func=cmd_not_duplicates, db_mode="open")




def cmd_duplicates(args):
    groups = duplicates.find_duplicates(kind=args.kind, council=args.council, min_score=args.min_score)
    if args.json:
        print(json.dumps({"groups": [
            {"score": g.score, "reasons": list(g.reasons), "records": [
                {"id": r.uuid, "number": r.id, "name": r.name, "organisation": r.organisation, "email": r.email}
                for r in g.records]} for g in groups]}, ensure_ascii=False))
        return 0
    for g in groups:
        print(f"{g.score:>3}  {', '.join(g.reasons)}")
        for r in g.records:
            where = f" ({r.organisation})" if r.organisation else ""
            email = f" <{r.email}>" if r.email else ""
            print(f"       {r.id:>6}  {r.name}{where}{email}  ID {r.uuid}")
    print(f"{len(groups)} group(s) of possible duplicates." if groups else "No possible duplicates found.")
    if groups:
        print("Merge with: tracker merge KEEP_ID OTHER_ID...; or: tracker not-duplicates ID ID")
    return 0


def cmd_not_duplicates(args):
    first, second = args.ids
    duplicates.mark_not_duplicates(first, second)
    print(f"{first} and {second} are not duplicates: they will not be offered together again.")
    return 0

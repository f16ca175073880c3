"""Sub-commands for the managers' reports: ``action-log`` and ``commitments`` (the register).

Options are turned into the same services filter dict the app's list views build, so the app
and the command produce the same rows.  A name that matches nothing is one line listing what
would have been valid.
"""

from tracker import records, reports, services
from tracker.cli.common import parse_date_arg
from tracker.errors import NotFoundError, TrackerError

# The fields the options filter on: their vocabularies are what the options accept.
ACTION_STATUS = records.ACTION["status"]
COMMITMENT_STATUS = records.COMMITMENT["status"]
THEME = records.COMMITMENT["theme"]


def register(sub, common):
    p = sub.add_parser("action-log", parents=[common], help="write the action log workbook for a board meeting",
                       description="Write the action log (one row per action, with a summary sheet) to an .xlsx "
                                   "file ready to print. Options narrow it down; repeat --status for several.")
    p.add_argument("out", metavar="OUT.xlsx", help="the workbook to write (replaced if it exists)")
    p.add_argument("--council", metavar="NAME", help="council name or code, e.g. Havering or HAV")
    p.add_argument("--owner", metavar="NAME_OR_ID", help="the owner's name, ID or UUID")
    p.add_argument("--status", action="append", metavar="STATUS",
                   help=f"one of: {_labels(ACTION_STATUS)} (repeatable)")
    p.add_argument("--overdue", action="store_true", help="only actions past their due date and not done")
    p.add_argument("--due-before", type=parse_date_arg, metavar="DATE", help="due on or before (dd/mm/yyyy)")
    p.add_argument("--due-after", type=parse_date_arg, metavar="DATE", help="due on or after (dd/mm/yyyy)")
    p.add_argument("--commitment", metavar="ID", help="only actions serving this commitment (ID or UUID)")
    p.set_defaults(func=cmd_action_log, db_mode="open", writes=False)

    p = sub.add_parser("commitments", parents=[common], help="write the commitment register workbook",
                       description="Write the register of commitments (one row per commitment, grouped by "
                                   "partner, with a summary sheet) to an .xlsx file ready to print.")
    p.add_argument("out", metavar="OUT.xlsx", help="the workbook to write (replaced if it exists)")
    p.add_argument("--council", metavar="NAME", help="council name or code")
    p.add_argument("--status", action="append", metavar="STATUS",
                   help=f"one of: {_labels(COMMITMENT_STATUS)} (repeatable)")
    p.add_argument("--theme", metavar="THEME", help=f"one of: {_labels(THEME)}")
    p.add_argument("--made-by", metavar="NAME_OR_ID", help="the partner or person who made it: name, ID or UUID")
    p.add_argument("--event", metavar="TITLE_OR_ID", help="the event it was made at: title, ID or UUID")
    p.set_defaults(func=cmd_commitments, db_mode="open", writes=False)


def _labels(field):
    return ", ".join(field.vocabulary.values())


def _choice(field, text, what):
    try:
        code = field.parse(text)
    except records.FieldError:
        code = None
    if code is None:
        raise TrackerError(f"{text!r} is not {what}. Valid: {_labels(field)}.")
    return code


def _by_key(service, text):
    """A record by database ID or UUID, or None when ``text`` is neither (or names nothing)."""
    key = int(text) if text.strip().isdigit() else text.strip()
    try:
        return service.get(key)
    except NotFoundError:
        return None


def _one_named(service, text, what, candidates):
    """The single live record whose name is ``text`` (ignoring case), by ID or UUID too."""
    found = _by_key(service, text)
    if found is not None:
        return found
    wanted = text.strip().casefold()
    exact = [r for r in candidates if str(r).casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise TrackerError(f"More than one {what} is called {text!r}; give the ID instead: "
                           + ", ".join(f"{r} (ID {r.id})" for r in exact) + ".")
    near = [str(r) for r in candidates if wanted in str(r).casefold()]
    if near:
        raise TrackerError(f"There is no {what} called {text!r}. Did you mean: {'; '.join(near[:10])}"
                           f"{' …' if len(near) > 10 else ''}?")
    names = sorted({str(r) for r in candidates}, key=str.casefold)
    listed = "; ".join(names[:15]) + (f"; and {len(names) - 15} more" if len(names) > 15 else "")
    raise TrackerError(f"There is no {what} called {text!r}. Known: {listed or 'none'}.")


def action_filters(args):
    """The services filter dict for ``tracker action-log`` options."""
    filters = {}
    if args.council:
        filters["council"] = services.councils.find(args.council)
    if args.owner:
        owners = services.stakeholders.find_by_name(args.owner) or services.actions.owners()
        filters["owner"] = _one_named(services.stakeholders, args.owner, "stakeholder", owners)
    if args.status:
        filters["status"] = [_choice(ACTION_STATUS, s, "an action status") for s in args.status]
    if args.overdue:
        filters["overdue"] = True
    if args.due_before:
        filters["due_before"] = args.due_before
    if args.due_after:
        filters["due_after"] = args.due_after
    if args.commitment:
        commitment = _by_key(services.commitments, args.commitment)
        if commitment is None:
            raise TrackerError(f"There is no commitment with ID {args.commitment!r} "
                               f"(give its database ID or UUID).")
        filters["commitment"] = commitment
    return filters


def commitment_filters(args):
    """The services filter dict for ``tracker commitments`` options."""
    filters = {}
    if args.council:
        filters["council"] = services.councils.find(args.council)
    if args.status:
        filters["status"] = [_choice(COMMITMENT_STATUS, s, "a commitment status") for s in args.status]
    if args.theme:
        filters["theme"] = _choice(THEME, args.theme, "a theme")
    if args.made_by:
        makers = services.stakeholders.find_by_name(args.made_by) or services.commitments.makers()
        filters["made_by"] = _one_named(services.stakeholders, args.made_by, "stakeholder", makers)
    if args.event:
        filters["event"] = _one_named(services.events, args.event, "event", services.events.page(0, 10_000))
    return filters


def cmd_action_log(args):
    report = reports.write_action_log(args.out, action_filters(args))
    print(f"Action log written: {args.out} ({report.notes.split('.')[0]}). {report.filters_text}.")
    return 0


def cmd_commitments(args):
    report = reports.write_commitment_register(args.out, commitment_filters(args))
    print(f"Commitment register written: {args.out} ({report.notes.split('.')[0]}). {report.filters_text}.")
    return 0

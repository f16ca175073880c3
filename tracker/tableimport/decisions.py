"""Doubtful matches decided before the import, in the wizard's preview: several rows at once linked to
their best candidate, created as new records, or skipped (issue 13, §7).

A decision is kept in the import's options (``Options.decisions``: {(sheet, row): how}) so a plan
worked out again (another mapping, the Back button) keeps it; :func:`decide` also changes the plan
in place, so the preview shows it at once.  A row decided "link" becomes a match of that candidate
(what it changes follows ``--on-match``; a commitment held for its maker's close name is made by that
organisation), "create" a new record, "skip" a row left out.  Rows decided
after the import, from the held rows, are ``tracker.services.tableimports.resolve_held``'s.
"""

from tracker import services
from tracker.tableimport.people import _changes
from tracker.tableimport.tasks import plan_attendance

HOW = ("link", "create", "skip")


def doubtful(plan):
    """The entries whose match was doubtful (held, or created because ``--uncertain create``), not decided."""
    return [e for e in plan.entries if e.candidates and e.action in ("held", "add")
            and (e.sheet, e.row) not in plan.options.decisions]


def decide(plan, keys, how):
    """Decide the doubtful rows ``keys`` ((sheet, row)) ``how`` (one of :data:`HOW`) in ``plan``; returns
    how many were decided (a row with no candidate is not a doubtful match, and is left)."""
    if how not in HOW:
        raise ValueError(f"how must be one of {', '.join(HOW)}")
    keys = {(s, r) for s, r in keys}
    wanted = [e for e in plan.entries if (e.sheet, e.row) in keys and e.candidates]
    plan.options.decisions = {**plan.options.decisions, **{(e.sheet, e.row): how for e in wanted}}
    decide_held(plan)
    if plan.options.kind == "attendance":  # a row linked or created now attends, a skipped one does not
        plan.attendance = []
        plan_attendance(plan)
    return len(wanted)


def decide_held(plan):
    """Apply ``plan.options.decisions`` to the plan's doubtful rows."""
    decisions = plan.options.decisions
    if not decisions:
        return
    for entry in plan.entries:
        how = decisions.get((entry.sheet, entry.row))
        if how is None or not entry.candidates:
            continue
        if how == "link" and entry.kind == "commitment":  # its maker is the organisation held
            best = max(entry.candidates, key=lambda c: c["score"])
            entry.values["made_by"] = services.stakeholders.get(best["id"])
            entry.action = "add"
        elif how == "link":
            best = max(entry.candidates, key=lambda c: c["score"])
            entry.action, entry.record_id = "match", best["id"]
            plan.prefetch([best["id"]])
            entry.changes = _changes(plan, best["id"], entry.values, entry.organisation)
        elif how == "create":
            entry.action, entry.record_id, entry.changes = "add", None, {}
        else:
            entry.action, entry.record_id, entry.changes = "skipped", None, {}

"""Services: the only way anything reads for display or changes data.

Callers (the CLI, the exchange code, the Qt app) use these objects and functions and never issue
queries of their own.  Each change validates first (raising ValidationError with plain-English
reasons), then writes the record and its audit entries in one transaction.

This package gathers every service so that callers write ``services.stakeholders``,
``services.check()`` and so on; importing any one service therefore loads them all.  A service
imports another as a module (``from tracker.services import audit``, ``tracker.services.base``),
never a name gathered here, so none needs this file loaded first; and nothing below the services
(the storage, the models) imports a service.  Restoring a backup, which erases again
through ``privacy``, is ``tracker.restore``, above this package.
"""

from tracker.services import councils, dashboard, duplicates, merges, powermap, privacy
from tracker.services.actions import actions
from tracker.services.actor import current_actor, set_actor
from tracker.services.audit import history
from tracker.services.commitments import commitments
from tracker.services.events import attendance, events
from tracker.services.maintenance import check, stats
from tracker.services.stakeholders import stakeholders
from tracker.services.updates import updates

__all__ = [
    "actions", "attendance", "check", "commitments", "councils", "current_actor", "dashboard", "duplicates", "events",
    "history", "merges", "powermap", "privacy", "set_actor", "stakeholders", "stats", "updates",
]

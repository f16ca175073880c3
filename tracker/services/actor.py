"""Who is making changes: the user's name and their home council.

Unless told otherwise (:func:`set_actor`: the app sets it from its settings at start and when they
change), it is whoever ``tracker.settings.identity`` says for the environment: the settings file
shared with the app, overridden by ``TRACKER_USER`` / ``TRACKER_COUNCIL``, else the login name.
Every audit entry and every created record takes its values from here.
"""

import getpass
import os
from dataclasses import dataclass

from tracker import settings


@dataclass(frozen=True)
class Actor:
    user: str
    council: str = ""  # name of the home council, "" when not set


def _login_name():
    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts
        return "unknown"


_current = None


def set_actor(user, council=""):
    global _current
    _current = Actor(user=(user or "").strip() or _login_name(), council=(council or "").strip())
    return _current


def actor_from_environment(environ=None):
    """The actor the settings file and the environment (``os.environ`` unless given) name."""
    name, council, _ = settings.identity(os.environ if environ is None else environ)
    return set_actor(name, council)


def current_actor() -> Actor:
    return _current if _current is not None else actor_from_environment()

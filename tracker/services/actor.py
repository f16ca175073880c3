"""Who is making changes: the user's name (from settings) and their home council.

The app sets it from its settings at start; the CLI from ``TRACKER_USER`` or the login name.
Every audit entry and every created record takes its values from here.
"""

import getpass
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: str
    council: str = ""  # name of the home council, "" when not set


def _login_name():
    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts
        return "unknown"


_current = Actor(user=os.environ.get("TRACKER_USER") or _login_name(),
                 council=os.environ.get("TRACKER_COUNCIL", ""))


def set_actor(user, council=""):
    global _current
    _current = Actor(user=(user or "").strip() or _login_name(), council=(council or "").strip())
    return _current


def current_actor() -> Actor:
    return _current

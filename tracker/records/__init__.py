"""One registry of fields: what each record kind holds, in the users' words, and every rule on it.

``tracker.records`` is where a field's rules live.  Each record kind (:data:`STAKEHOLDER`,
:data:`EVENT`, :data:`ATTENDANCE`, :data:`COMMITMENT`, :data:`ACTION`, :data:`UPDATE`) lists its
fields in form order with their label (and access key), type, vocabulary, limits, whether required
and default (``kinds.py``); a field checks, shows and parses its own values (``fields.py``); rules
across fields are named once (``rules.py``); action references are numbered in one place
(``references.py``).

Every layer reads it: ``RecordService.validate`` is ``Kind.validate``; the app builds its forms
(``ui.editors``), list columns (``ui.models``) and filters from it; the report columns
(``tracker.reports.rows``) take their headings and formats from it.  Plain data and small
functions: no Qt, no database (``pyproject.toml`` has the import-linter contract).
"""

from tracker.records.fields import (
    CHOICE, COUNCILS, DATE, EMAIL, LINK, LONG_TEXT, MAX_TEXT, PHONE, REFERENCE, SCORE, SCORES, TEXT, URL, Field,
    FieldError,
)
from tracker.records.kinds import (
    ACTION, ATTENDANCE, BY_PLURAL, BY_TABLE, COMMITMENT, EVENT, KINDS, STAKEHOLDER, UPDATE,
    UPDATE_TARGET_FIELDS, Kind,
)

__all__ = [
    "ACTION", "ATTENDANCE", "BY_PLURAL", "BY_TABLE", "CHOICE", "COMMITMENT", "COUNCILS", "DATE", "EMAIL",
    "EVENT", "Field", "FieldError", "KINDS", "Kind", "LINK", "LONG_TEXT", "MAX_TEXT", "PHONE", "REFERENCE", "SCORE",
    "SCORES", "STAKEHOLDER", "TEXT", "UPDATE", "UPDATE_TARGET_FIELDS", "URL",
]

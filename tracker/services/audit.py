"""The audit trail: every create, change, delete and restore, field by field.

Services call these functions inside the same transaction as the change they describe, so the
trail and the data cannot disagree.  Values are stored as text: linked records by UUID, dates
in ISO form, so that an import can be undone from the trail.
"""

import datetime as dt
import json
import uuid

from peewee import Model

from tracker.models import AuditEntry
from tracker.services.actor import current_actor


def as_text(value):
    if value is None:
        return None
    if isinstance(value, Model):
        return str(value.uuid)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(str(as_text(v)) for v in value)
    return str(value)


def write(record, operation, changes=None, source="", snapshot=None):
    """Record ``operation`` on ``record``; ``changes`` maps field to (old, new).

    A creation is one entry whose new value is a JSON ``snapshot`` of the fields set, so that
    creating many records does not multiply the trail by the number of fields.
    """
    actor = current_actor()
    base = {
        "user": actor.user,
        "council": actor.council,
        "operation": operation,
        "table": record._meta.table_name,
        "record_uuid": record.uuid,
        "source": source,
    }
    if snapshot is not None:
        AuditEntry.create(**base, new_value=json.dumps({k: as_text(v) for k, v in snapshot.items()},
                                                      ensure_ascii=False, sort_keys=True))
        return
    if not changes:
        AuditEntry.create(**base)
        return
    AuditEntry.insert_many(
        [dict(base, field=field, old_value=as_text(old), new_value=as_text(new)) for field, (old, new) in changes.items()]
    ).execute()


def history(record_uuid):
    """Audit entries for one record, oldest first."""
    return list(AuditEntry.select().where(AuditEntry.record_uuid == record_uuid).order_by(AuditEntry.at, AuditEntry.id))

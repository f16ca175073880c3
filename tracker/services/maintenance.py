"""Whole-database services: counts, the integrity check, whether another program changed the database."""

from peewee import SqliteDatabase, fn

from tracker import migrations
from tracker.db import database
from tracker.models import (ActionItem, Attendance, AuditEntry, Commitment, Council, Event, Stakeholder,
                            Update)

COUNTED = (
    ("councils", Council),
    ("stakeholders", Stakeholder),
    ("events", Event),
    ("attendance", Attendance),
    ("commitments", Commitment),
    ("actions", ActionItem),
    ("updates", Update),
)


def stats():
    """{kind: live count} plus {"deleted": {kind: count}} and the audit-trail length."""
    live, deleted = {}, {}
    for name, model in COUNTED:
        if model is Council:
            live[name] = model.select().count()
            continue
        rows = dict(model.select(model.deleted_at.is_null(), fn.COUNT(model.id))
                    .group_by(model.deleted_at.is_null()).tuples())
        live[name] = int(rows.get(1, 0) or rows.get(True, 0))
        deleted[name] = int(rows.get(0, 0) or rows.get(False, 0))
    return {**live, "deleted": deleted, "audit_entries": AuditEntry.select().count()}


def check():
    """Return a list of problems (empty when the database is sound).

    SQLite's own integrity and foreign-key checks, then the app's invariants: the schema is
    current, identities are unique, each update has exactly one target, a person's organisation
    is an organisation, no live record links to a missing one.
    """
    db = database.obj
    problems = []
    if isinstance(db, SqliteDatabase):
        result = [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            problems += [f"SQLite integrity: {r}" for r in result[:20]]
            return problems
        for table, rowid, parent, _ in db.execute_sql("PRAGMA foreign_key_check").fetchall()[:20]:
            problems.append(f"{table} row {rowid} links to a missing {parent} record")
    version = migrations.schema_version(db)
    if version != migrations.LATEST_VERSION:
        problems.append(f"schema version is {version}; this app expects {migrations.LATEST_VERSION} "
                        f"(run tracker init to upgrade)")
        return problems
    for _, model in COUNTED[1:]:
        dupes = (model.select(model.uuid).group_by(model.uuid).having(fn.COUNT(model.id) > 1).count())
        if dupes:
            problems.append(f"{dupes} {model._meta.table_name} IDs are used by more than one record")
    U = Update
    targets = (U.stakeholder.is_null(False).cast("INTEGER") + U.commitment.is_null(False).cast("INTEGER")
               + U.action.is_null(False).cast("INTEGER"))
    bad = U.select().where(targets != 1).count()
    if bad:
        problems.append(f"{bad} updates do not belong to exactly one record")
    Org = Stakeholder.alias()
    bad = (Stakeholder.select().join(Org, on=(Stakeholder.organisation == Org.id))
           .where(Org.kind != "organisation").count())
    if bad:
        problems.append(f"{bad} stakeholders belong to something that is not an organisation")
    bad = Commitment.select().where(Commitment.target_date < Commitment.date_made).count()
    if bad:
        problems.append(f"{bad} commitments have a target date before the date they were made")
    return problems


def data_version():
    """A number that changes when another connection (another program, or another thread's) commits
    to the open SQLite database, as this thread's connection sees it (SQLite's ``data_version``: one
    cheap read of the WAL index, no table read).  None on PostgreSQL, which has nothing as cheap."""
    db = database.obj
    if not isinstance(db, SqliteDatabase):
        return None
    return db.execute_sql("PRAGMA data_version").fetchone()[0]

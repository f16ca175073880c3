"""Schema versions and the steps between them.

The schema version lives in the ``meta`` table.  A new database is created at
``LATEST_VERSION`` directly (:func:`create_schema`, with the councils every database shares).
An older one is upgraded one step at a time (:func:`run_upgrade`), each step inside peewee's
migration context (foreign keys off, one transaction) so that tables rebuilt by SQLite keep their
child rows; ``PRAGMA foreign_key_check`` must pass before the step commits.

When that happens is ``tracker.opening``'s decision, not this module's: it refuses a database from a
newer app untouched and backs an older one up before upgrading it.  This module sits just above the
models and imports nothing else of the storage.

To change the schema: change the models, append a step to ``STEPS`` and keep an old schema
in ``tests/data`` so the upgrade is tested.
"""

import uuid

from peewee import CharField, IntegerField, SqliteDatabase, TextField
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from tracker import models
from tracker.errors import DatabaseError

SCHEMA_KEY = "schema_version"


def _add_record_versions(db, migrator):
    """v2: optimistic locking. Every exchanged record carries a version that each change bumps."""
    ops = [
        migrator.add_column(model._meta.table_name, "version", IntegerField(default=1))
        for model in models.RECORD_MODELS
    ]
    migrate(*ops)


def _add_exchange_tables(db, migrator):
    """v3: sharing between councils. Imports (for undo), held conflicts, per-record sync state."""
    db.create_tables(models.EXCHANGE_MODELS)


def _add_conflict_exported_hash(db, migrator):
    """v4: a conflict held from a row edited in a spreadsheet after export remembers the state the
    exporting council had (the row's Row check), so deciding it never brings that state back."""
    table = models.HeldConflict._meta.table_name
    if "exported_hash" in {c.name for c in db.get_columns(table)}:
        return  # the v3 step made the table from today's model, which has it already
    migrate(migrator.add_column(table, "exported_hash", CharField(max_length=32, default="")))


def _add_table_imports(db, migrator):
    """v5: importing partners' own tables.  An import run says what a table was read as (its mapping);
    doubtful matches are held per row; named mappings (presets) are kept."""
    table = models.ImportRun._meta.table_name
    if "details" not in {c.name for c in db.get_columns(table)}:
        migrate(migrator.add_column(table, "details", TextField(default="")))
    db.create_tables(models.TABLE_IMPORT_MODELS)


def _add_erased_identities(db, migrator):
    """v6: people erased on request are remembered as keyed hashes (``erased_identity``), so that an
    import never re-creates them.  People erased before this step left nothing to hash: their
    details were already gone."""
    db.create_tables(models.PRIVACY_MODELS)


def _add_not_duplicates(db, migrator):
    """v7: the duplicates review remembers the pairs a person said are not duplicates (by UUID)."""
    if models.NotDuplicate._meta.table_name not in db.get_tables():
        db.create_tables([models.NotDuplicate])


def _add_merges(db, migrator):
    """v8: merging duplicate stakeholders.  Each merge remembers what it kept, what it retired and what
    it changed (for Undo merge), and whether it was exported (then it travels and is not undone)."""
    db.create_tables(models.MERGE_MODELS)


def _add_date_precisions(db, migrator):
    """v9: a due or target date written as a month, a quarter or a year ("Mar 2019", "Q2 2019") keeps
    that precision beside its last day.  Every date stored so far was typed as a day: NULL says so."""
    for model, name in ((models.ActionItem, "due_date_precision"), (models.Commitment, "target_date_precision")):
        table = model._meta.table_name
        if name not in {c.name for c in db.get_columns(table)}:
            migrate(migrator.add_column(table, name, models.precision_column()))


def _add_preset_dates(db, migrator):
    """v10: a preset keeps the date order chosen for each of its columns ("Date=month-first"), offered
    again with its mapping.  Presets saved before chose none: "{}"."""
    table = models.ImportPreset._meta.table_name
    if "dates" not in {c.name for c in db.get_columns(table)}:
        migrate(migrator.add_column(table, "dates", TextField(default="{}")))


def _add_dashboard_index(db, migrator):
    """v11: the dashboard reads the actions' counts per owner along one covering index (owner, deleted,
    status, due date, council): at 100k actions about 3× less CPU than along the owner index alone,
    which fetched each row from the table; and the commitments' RAG rolled up from their actions along
    another (commitment, deleted, status, due date): about 2× less.  Nothing else changes."""
    table = models.ActionItem._meta.table_name
    fields = models.ActionItem._meta.fields
    present = [index.columns for index in db.get_indexes(table)]
    for names in (models.DASHBOARD_INDEX_COLUMNS, models.RAG_INDEX_COLUMNS):
        columns = [fields[name].column_name for name in names]
        if columns not in present:
            migrate(migrator.add_index(table, columns, False))


def _add_engagement_index(db, migrator):
    """v12: the dashboard's "partners not engaged for 6 months" (and the stakeholder list's filter of the
    same name) reads the updates written about stakeholders in the last six months along an index
    (stakeholder, date, deleted): at 100k actions and 20k stakeholders it scanned every update, most of
    them about actions, for about half its time.  Nothing else changes."""
    table = models.Update._meta.table_name
    fields = models.Update._meta.fields
    columns = [fields[name].column_name for name in models.ENGAGEMENT_INDEX_COLUMNS]
    if columns not in [index.columns for index in db.get_indexes(table)]:
        migrate(migrator.add_index(table, columns, False))


def _undo_keeps_changed_fields(db, migrator):
    """v13: a partner's table import keeps, to undo its change to a record, only the fields it wrote and their
    values before (``exchange_import_change.before`` as ``[version, {field: value}]``), not the whole record
    (``tracker.services.undo_snapshots``).  No table changes and the snapshots already kept stay as they are (both
    forms are read); the version is raised because an older app reads only the whole form, and would undo a newer
    import by emptying every field it did not write: it now refuses the database instead."""


# STEPS[n] upgrades a database at version n to n + 1.
STEPS = {1: _add_record_versions, 2: _add_exchange_tables, 3: _add_conflict_exported_hash, 4: _add_table_imports,
         5: _add_erased_identities, 6: _add_not_duplicates, 7: _add_merges, 8: _add_date_precisions,
         9: _add_preset_dates, 10: _add_dashboard_index, 11: _add_engagement_index, 12: _undo_keeps_changed_fields}
LATEST_VERSION = max(STEPS) + 1

SEED_COUNCILS = (
    ("Barking and Dagenham", "BD", "borough"),
    ("Havering", "HAV", "borough"),
    ("Redbridge", "RED", "borough"),
    ("Tri-borough", "TRI", "tri_borough"),
    ("Pan-London", "LDN", "pan_london"),
)
# Councils share one identity in every database, so exchanged records name the same council.
COUNCIL_NAMESPACE = uuid.UUID("6f1c1f0e-3d3a-4b55-9a53-2f0a1c0d5e11")


def council_uuid(name):
    return uuid.uuid5(COUNCIL_NAMESPACE, name)


def schema_version(db):
    """The stored version, 0 for an empty database; raises for a file that is not ours."""
    tables = set(db.get_tables())
    if not tables:
        return 0
    if "meta" not in tables:
        raise DatabaseError(f"{db.database} is an SQLite file but not a Stakeholder Tracker database.")
    row = db.execute_sql("SELECT value FROM meta WHERE key = ?" if isinstance(db, SqliteDatabase)
                         else "SELECT value FROM meta WHERE key = %s", (SCHEMA_KEY,)).fetchone()
    if row is None:
        raise DatabaseError(f"{db.database} has no schema version; it is not a Stakeholder Tracker database.")
    return int(row[0])


def _set_version(version):
    models.Meta.insert(key=SCHEMA_KEY, value=str(version)).on_conflict(
        conflict_target=[models.Meta.key], update={models.Meta.value: str(version)}
    ).execute()


def create_schema(db):
    """The tables of an empty database, at the latest version, with its own identity and the seed councils."""
    with db.atomic():
        db.create_tables(models.ALL_MODELS)
        _set_version(LATEST_VERSION)
        models.Meta.create(key="database_id", value=str(uuid.uuid4()))
        seed_councils()


def seed_councils():
    for name, code, kind in SEED_COUNCILS:
        models.Council.get_or_create(name=name, defaults={"code": code, "kind": kind, "uuid": council_uuid(name)})


def _migrator(db):
    if isinstance(db, SqliteDatabase):
        return SqliteMigrator(db)
    return PostgresqlMigrator(db)


def run_upgrade(db, from_version):
    migrator = _migrator(db)
    for version in range(from_version, LATEST_VERSION):
        with migrator.migration_context():
            STEPS[version](db, migrator)
            if isinstance(db, SqliteDatabase):
                broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(f"Upgrading to schema {version + 1} would break {len(broken)} links; nothing was changed.")
            _set_version(version + 1)

"""Peewee models: what the councils track, in their words.

Models hold data and nothing else: validation, audit and every change go through
``tracker.services``.  They are bound to ``tracker.db.database``, a proxy initialised when a
database is opened, and use no SQLite-only features so that PostgreSQL can be used as well.

Every record kind the councils exchange derives from :class:`Record`: a stable global ``uuid``
(what spreadsheets match on), timestamps, the council that created it, an optimistic-lock
``version`` and a soft-delete marker.

(Over 450 lines because every table is declared here, in one place the migrations and the exchange
read; each model is a few lines of fields.)
"""

import datetime as dt
import uuid

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FieldAccessor,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    UUIDField,
)

from tracker.dates import Period, as_period, precision_of
from tracker.db import database


def utcnow():
    """Naive UTC timestamp; every stored time is UTC."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the database itself: schema version, its own identity."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()

    class Meta:
        table_name = "meta"


class Council(BaseModel):
    """A borough (or a wider body such as tri-borough or pan-London) records belong to."""

    uuid = UUIDField(unique=True, default=uuid.uuid4)
    name = CharField(unique=True, max_length=100)
    code = CharField(unique=True, max_length=8)
    kind = CharField(max_length=20, default="borough")
    active = BooleanField(default=True)

    class Meta:
        table_name = "council"

    def __str__(self):
        return self.name


class PeriodAccessor(FieldAccessor):
    """A date that may be a month, a quarter or a year (``tracker.dates.Period``), kept in two columns:
    the period's last day (what sorts and falls due) and its precision beside it (NULL for a day).
    Reading gives the Period back; setting a date sets both, a plain date making it a day again."""

    def __get__(self, instance, instance_type=None):
        if instance is None:
            return self.field
        data = instance.__data__
        return as_period(data.get(self.name), data.get(self.field.precision))

    def __set__(self, instance, value):
        # A row read from the database sets the date, then the precision column declared after it.
        precision = self.field.precision
        instance.__data__[self.name] = value.last_day if isinstance(value, Period) else value
        instance.__data__[precision] = precision_of(value)
        instance._dirty.update((self.name, precision))


class PeriodDateField(DateField):
    """A date column whose value may be a period; ``precision`` names the column beside it that says how
    precisely it was written ("month", "quarter", "year", "fy"; NULL for a day).  Declare that column
    right after this one.  Writing the precision with a bulk statement is the caller's
    (``services.base``, ``services.bulk_writer``): a column cannot write another."""

    accessor_class = PeriodAccessor

    def __init__(self, precision, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.precision = precision

    def db_value(self, value):
        return super().db_value(value.last_day if isinstance(value, Period) else value)


def precision_column():
    return CharField(max_length=7, null=True)


class Record(BaseModel):
    uuid = UUIDField(unique=True, default=uuid.uuid4)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)
    origin_council = ForeignKeyField(Council, null=True, column_name="origin_council_id")
    version = IntegerField(default=1)
    deleted_at = DateTimeField(null=True, index=True)

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class Stakeholder(Record):
    """An organisation, or a person who usually belongs to one."""

    kind = CharField(max_length=20, default="organisation")
    name = CharField(max_length=200, index=True)
    organisation = ForeignKeyField("self", null=True, backref="members", column_name="organisation_id")
    sector = CharField(max_length=30, default="other")
    role = CharField(max_length=200, default="")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=50, default="")
    address = TextField(default="")
    website = CharField(max_length=500, default="")
    influence = IntegerField(null=True)  # 1 (low) .. 5 (high), for the power/interest grid
    interest = IntegerField(null=True)
    tags = CharField(max_length=500, default="")  # comma-separated
    notes = TextField(default="")
    erased_at = DateTimeField(null=True)  # personal data erased on request (right to erasure)

    class Meta:
        table_name = "stakeholder"

    def __str__(self):
        return self.name


class StakeholderCouncil(BaseModel):
    stakeholder = ForeignKeyField(Stakeholder, backref="council_links", on_delete="CASCADE")
    council = ForeignKeyField(Council, backref="stakeholder_links")

    class Meta:
        table_name = "stakeholder_council"
        indexes = ((("stakeholder", "council"), True),)


class Event(Record):
    """A summit, meeting or commission session."""

    title = CharField(max_length=300)
    kind = CharField(max_length=20, default="meeting")
    date = DateField(index=True)
    place = CharField(max_length=300, default="")
    council = ForeignKeyField(Council, null=True, backref="events")
    notes = TextField(default="")

    class Meta:
        table_name = "event"

    def __str__(self):
        return self.title


class Attendance(Record):
    """A stakeholder present at an event."""

    event = ForeignKeyField(Event, backref="attendance")
    stakeholder = ForeignKeyField(Stakeholder, backref="attendance")
    role = CharField(max_length=100, default="")  # e.g. speaker, delegate, chair
    notes = TextField(default="")

    class Meta:
        table_name = "attendance"
        indexes = ((("event", "stakeholder"), True),)


class Commitment(Record):
    """Something a stakeholder promised, often at an event."""

    title = CharField(max_length=300)
    description = TextField(default="")
    made_by = ForeignKeyField(Stakeholder, backref="commitments")
    made_at = ForeignKeyField(Event, null=True, backref="commitments")
    date_made = DateField()
    target_date = PeriodDateField("target_date_precision", null=True)
    target_date_precision = precision_column()
    theme = CharField(max_length=30, default="other")
    status = CharField(max_length=20, default="proposed", index=True)
    rag = CharField(max_length=1, null=True)

    class Meta:
        table_name = "commitment"

    def __str__(self):
        return self.title


class CommitmentCouncil(BaseModel):
    commitment = ForeignKeyField(Commitment, backref="council_links", on_delete="CASCADE")
    council = ForeignKeyField(Council, backref="commitment_links")

    class Meta:
        table_name = "commitment_council"
        indexes = ((("commitment", "council"), True),)


DASHBOARD_INDEX_COLUMNS = ("owner", "deleted_at", "status", "due_date", "council")
RAG_INDEX_COLUMNS = ("commitment", "deleted_at", "status", "due_date")
ENGAGEMENT_INDEX_COLUMNS = ("stakeholder", "date", "deleted_at")  # on Update (record_update)


class ActionItem(Record):
    """A concrete task, usually serving a commitment."""

    reference = CharField(max_length=20, unique=True)
    title = CharField(max_length=300)
    description = TextField(default="")
    commitment = ForeignKeyField(Commitment, null=True, backref="actions")
    owner = ForeignKeyField(Stakeholder, null=True, backref="actions_owned")
    council = ForeignKeyField(Council, null=True, backref="actions")
    due_date = PeriodDateField("due_date_precision", null=True, index=True)
    due_date_precision = precision_column()
    priority = CharField(max_length=10, default="medium")
    status = CharField(max_length=20, default="open", index=True)

    class Meta:
        table_name = "action_item"
        # The dashboard's one pass over the actions (``services.dashboard.action_load``), grouped per
        # owner along the first, which holds every column that pass reads: no row fetched from the table;
        # a commitment's RAG rolled up from its actions (``commitments.rolled_up_rag_sql``) along the second.
        indexes = ((DASHBOARD_INDEX_COLUMNS, False), (RAG_INDEX_COLUMNS, False))

    def __str__(self):
        return f"{self.reference} {self.title}"


class Update(Record):
    """A dated progress note on a stakeholder, commitment or action: the evidence trail."""

    date = DateField()
    text = TextField()
    author = CharField(max_length=100, default="")
    stakeholder = ForeignKeyField(Stakeholder, null=True, backref="updates")
    commitment = ForeignKeyField(Commitment, null=True, backref="updates")
    action = ForeignKeyField(ActionItem, null=True, backref="updates", column_name="action_id")

    class Meta:
        table_name = "record_update"
        # "Not engaged for 6 months" (services.stakeholders.engaged_partners) reads the updates about a
        # stakeholder in a date range along this one, not the whole table (most updates are on actions).
        indexes = ((ENGAGEMENT_INDEX_COLUMNS, False),)

    @property
    def target(self):
        return self.stakeholder or self.commitment or self.action


class AuditEntry(BaseModel):
    """One change to one field of one record: who, when, old and new value (as text)."""

    at = DateTimeField(default=utcnow, index=True)
    user = CharField(max_length=100)
    council = CharField(max_length=100, default="")
    operation = CharField(max_length=20)  # create, update, delete, restore, erase
    table = CharField(max_length=40)
    record_uuid = UUIDField(index=True)
    field = CharField(max_length=60, default="")
    old_value = TextField(null=True)
    new_value = TextField(null=True)
    source = CharField(max_length=500, default="")  # e.g. the workbook an import came from

    class Meta:
        table_name = "audit_entry"


class ImportRun(BaseModel):
    """One import of an exchange workbook: where it came from, what it did, whether it was undone."""

    at = DateTimeField(default=utcnow, index=True)
    user = CharField(max_length=100)
    council = CharField(max_length=100, default="")  # the importing user's council
    file_name = CharField(max_length=500)
    file_sha256 = CharField(max_length=64)
    from_council = CharField(max_length=100, default="")  # the exporting council (About sheet)
    exported_at = DateTimeField(null=True)
    on_conflict = CharField(max_length=20, default="ask")
    added = IntegerField(default=0)
    updated = IntegerField(default=0)
    unchanged = IntegerField(default=0)
    conflicts = IntegerField(default=0)
    undone_at = DateTimeField(null=True)
    # A partner's table (tracker.tableimport): JSON of what it was read as ("as", mapping, dates,
    # on_match, uncertain); empty for an exchange workbook.
    details = TextField(default="")

    class Meta:
        table_name = "exchange_import"


class ImportChange(BaseModel):
    """What an import did to one table, so it can be undone: one row per changed record (with its
    values before), and one row listing all the records it added (``added``: "uuid:version ...")."""

    run = ForeignKeyField(ImportRun, backref="changes", on_delete="CASCADE", column_name="import_id")
    table = CharField(max_length=40)
    kind = CharField(max_length=20)  # add, update
    record_uuid = UUIDField(null=True, index=True)  # the changed record (update)
    added = TextField(null=True)  # the added records and their versions (add)
    before = TextField(null=True)  # JSON [version, values] of the record before an update
    version_after = IntegerField(null=True)
    sync_before = TextField(null=True)  # JSON [base, seen] of the record's sync state before, or null

    class Meta:
        table_name = "exchange_import_change"


class HeldConflict(BaseModel):
    """A row changed both here and in an imported file, kept for a person to decide."""

    run = ForeignKeyField(ImportRun, null=True, backref="held", on_delete="SET NULL", column_name="import_id")
    at = DateTimeField(default=utcnow)
    table = CharField(max_length=40)
    record_uuid = UUIDField(index=True)
    source = CharField(max_length=500, default="")
    mine_version = IntegerField()
    theirs_version = IntegerField()
    theirs_hash = CharField(max_length=32)
    theirs = TextField()  # JSON: field -> value in the file (stored form)
    fields = TextField()  # JSON list of the fields that differ
    resolved_at = DateTimeField(null=True, index=True)
    resolution = CharField(max_length=20, default="")  # mine, theirs, edited
    # The Row check of a row edited in a spreadsheet after export: the state the exporting council
    # had (a content hash); empty for a conflict between the two councils' own changes.
    exported_hash = CharField(max_length=32, default="")

    class Meta:
        table_name = "exchange_conflict"


class HeldRow(BaseModel):
    """A row of a partner's table whose match was doubtful, kept with its import for a person to decide
    (link it to a held record, create a new one, or skip it): ``tracker held``."""

    run = ForeignKeyField(ImportRun, null=True, backref="held_rows", on_delete="SET NULL", column_name="import_id")
    at = DateTimeField(default=utcnow)
    kind = CharField(max_length=20)  # what the import was "as": stakeholders, attendance, actions, commitments
    sheet = CharField(max_length=100, default="")
    row = IntegerField()  # the row number the spreadsheet program shows
    name = CharField(max_length=300, default="")
    email = CharField(max_length=254, default="")
    values = TextField()  # JSON: the row's values as the import read them (field -> text)
    candidates = TextField()  # JSON list of {id, name, score}
    resolved_at = DateTimeField(null=True, index=True)
    resolution = CharField(max_length=20, default="")  # linked, created, skipped
    record_uuid = UUIDField(null=True)  # the stakeholder it was linked to or created as

    class Meta:
        table_name = "table_import_held"


class ImportPreset(BaseModel):
    """A named column mapping for a partner's table, offered again when a file with the same headers
    comes back (the app and the command share them)."""

    name = CharField(max_length=100, unique=True)
    kind = CharField(max_length=20)  # stakeholders, attendance, actions, commitments
    headers = TextField()  # JSON list of the headers it was made for (normalised)
    mapping = TextField()  # JSON {header: field or null}
    values = TextField(default="{}")  # JSON {header: {written: stored}}
    dates = TextField(default="{}")  # JSON {header key: "day-first" | "month-first"}: date orders chosen per column
    saved_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "table_import_preset"


class ErasedIdentity(BaseModel):
    """A person erased on request, as keyed hashes only (``tracker.services.erasures``): their email, and
    their name with their organisation, each HMAC-SHA256 under this database's own secret.  Enough for
    an import to recognise them and leave them out; not enough to say who they were, nor which
    tombstone they were (no link to it)."""

    digest = CharField(primary_key=True, max_length=64)

    class Meta:
        table_name = "erased_identity"


class SyncState(BaseModel):
    """Per record: the content last exchanged with another council (``base``) and older states seen."""

    record_uuid = UUIDField(primary_key=True)
    base = CharField(max_length=32)
    seen = TextField(default="")  # space-separated content hashes of earlier exchanged states

    class Meta:
        table_name = "exchange_sync_state"


class NotDuplicate(BaseModel):
    """Two stakeholders a person said are not the same one, so the duplicates review never offers them again.
    Kept by the records' UUIDs (``first`` the smaller as text), so the pair can travel in the exchange."""

    first = UUIDField()
    second = UUIDField(index=True)
    at = DateTimeField(default=utcnow)
    user = CharField(max_length=100, default="")
    council = CharField(max_length=100, default="")  # the home council of whoever said so

    class Meta:
        table_name = "not_duplicate"
        indexes = ((("first", "second"), True),)


class MergeRun(BaseModel):
    """One merge of duplicate stakeholders: the kept record, the records it retired (each shown in
    Deleted items as "merged into" the kept one) and, for Undo merge, what it changed: per record its
    state before and its version after (``tracker.services.merges``).  A merge done at another council
    arrives with the exchange workbook (``source`` names it) and travels on from here."""

    uuid = UUIDField(unique=True, default=uuid.uuid4)  # the same merge at every council
    at = DateTimeField(default=utcnow, index=True)  # when it was done (at the council that did it)
    user = CharField(max_length=100)
    council = CharField(max_length=100, default="")  # the council that merged
    kept_uuid = UUIDField(index=True)
    retired = TextField()  # the retired records' UUIDs, as 32 hex digits, space-separated
    changes = TextField(default="[]")  # JSON [[table, hex, version before, values before, version after]]
    source = CharField(max_length=500, default="")  # "" for a merge made here; else the workbook it came in
    import_id = IntegerField(null=True, index=True)  # the import that brought it (undoing that import removes it)
    exported_at = DateTimeField(null=True)  # first written to an exchange workbook: no undo since
    undone_at = DateTimeField(null=True)

    class Meta:
        table_name = "stakeholder_merge"


def period_fields(model):
    """The model's date columns that may hold a period (:class:`PeriodDateField`), by name."""
    return {f.name: f for f in model._meta.sorted_fields if isinstance(f, PeriodDateField)}


RECORD_MODELS = (Stakeholder, Event, Attendance, Commitment, ActionItem, Update)
EXCHANGE_MODELS = (ImportRun, ImportChange, HeldConflict, SyncState)
TABLE_IMPORT_MODELS = (HeldRow, ImportPreset)
PRIVACY_MODELS = (ErasedIdentity,)
MERGE_MODELS = (MergeRun,)
ALL_MODELS = (
    Meta,
    Council,
    Stakeholder,
    StakeholderCouncil,
    Event,
    Attendance,
    Commitment,
    CommitmentCouncil,
    ActionItem,
    Update,
    AuditEntry,
    *EXCHANGE_MODELS,
    *TABLE_IMPORT_MODELS,
    *PRIVACY_MODELS,
    NotDuplicate,
    *MERGE_MODELS,
)

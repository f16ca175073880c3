"""The exchange workbook's layout: which sheets, which columns, what each column holds.

One description serves the writer and the reader, so the two cannot drift apart.  Each record
kind has a :class:`Sheet`; each :class:`Column` names its header (what people see), the field it
carries and its kind.  ``content`` columns are what a record *is* (compared and hashed when
merging); bookkeeping columns (ID, version, timestamps) say which record and which state it is,
the ``Row check`` says which state the exporting council wrote (``tracker.exchange.rowcheck``) and
``Based on`` which earlier states that one replaces (``tracker.exchange.ancestry``).
docs/exchange-format.md describes the same thing for people.

A column carrying a record's field takes everything about that field from the registry of fields
(``tracker.records``): whether it is required, its limits and its vocabulary are the field's
(:attr:`Column.spec`); only what is the workbook's own is written here (header, width, the stored
kind, the Record type's vocabulary, the bookkeeping columns).

It is a description, not code that reads or writes anything, and both floors use it: the
workbook code in ``tracker.exchange`` and, below it, the services that store and hash what a
workbook carries (``tracker.services.exchange``, ``conflicts``).  So it sits with the base modules,
outside the ``tracker.exchange`` package, and imports only ``tracker.records``.
"""

from dataclasses import dataclass, replace
from functools import cached_property

from tracker import records

# 2: the Row check and Based on columns.  3: the Merges and Not duplicates sheets, and a due or target
# date may be a period ("Mar 2019", "Q2 2019", "2019", "FY 2019/20"), written as that text.  A reader
# refuses a file with a higher number.
FORMAT_VERSION = 3
ABOUT = "About"
COUNCIL_SEPARATOR = "; "
# Contact details of people, left out by --no-personal-data and blanked by an erasure.
PERSONAL_FIELDS = ("email", "phone", "address", "notes")

# Column kinds.  Content kinds: text, date, int, vocab, link, council, councils, target_type,
# deleted, erased.  Bookkeeping: id, version, created, changed, origin, check, ancestry, reference,
# name (the linked record's name beside a link, for people only).
CONTENT_KINDS = {"text", "date", "int", "vocab", "link", "council", "councils", "deleted", "erased"}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"
    target: str = None  # for links: the table (model table name) linked to
    width: int = 16
    wrap: bool = False
    spec: records.Field = None  # the registry's field this column carries (None: bookkeeping, Record ID and type)
    choices: dict = None  # the Record type's vocabulary (no record field: which kind the Record ID is)
    needed: bool = False  # the Record ID: an update belongs to a record

    @property
    def is_content(self):
        return self.kind in CONTENT_KINDS

    @property
    def required(self):
        return self.spec.required if self.spec is not None else self.needed

    @property
    def vocab(self):
        return self.spec.vocabulary if self.spec is not None else self.choices

    @property
    def max_length(self):
        return self.spec.max_length if self.spec is not None else None

    @property
    def minimum(self):
        return self.spec.minimum if self.spec is not None else None

    @property
    def maximum(self):
        return self.spec.maximum if self.spec is not None else None


def _bookkeeping(erased=False):
    cols = [
        Column("Deleted at", "deleted_at", "deleted", width=18),
    ]
    if erased:
        cols.append(Column("Erased at", "erased_at", "erased", width=18))
    cols += [
        Column("ID", "uuid", "id", width=34),
        Column("Version", "version", "version", width=9),
        Column("Origin council", "origin_council", "origin", width=18),
        Column("Created at", "created_at", "created", width=18),
        Column("Changed at", "updated_at", "changed", width=18),
        Column("Row check", "row_check", "check", width=26),
        Column("Based on", "based_on", "ancestry", width=26),  # after the Row check: the writer relies on it
    ]
    return cols


@dataclass(frozen=True)
class Sheet:
    name: str
    table: str  # model table name
    columns: tuple
    display: str  # the field naming a record of this kind for people

    @cached_property
    def content(self):
        """The content columns, in a fixed order (what is compared, hashed and stored)."""
        return tuple(c for c in self.columns if c.is_content)

    def column(self, field):
        return next(c for c in self.columns if c.field == field and c.kind != "name")

    @cached_property
    def at(self):
        """{field: its position in :attr:`content`}: content tuples are read by field name, never by number."""
        return {c.field: i for i, c in enumerate(self.content)}


def _of(kind, *columns):
    """``columns`` with the registry's field attached to each column carrying one of ``kind``'s fields."""
    return tuple(replace(c, spec=kind[c.field]) if c.field in kind and c.kind not in ("name", "reference") else c
                 for c in columns)


STAKEHOLDERS = Sheet("Stakeholders", "stakeholder", display="name", columns=_of(records.STAKEHOLDER,
    Column("Name", "name", width=34),
    Column("Kind", "kind", "vocab", width=14),
    Column("Organisation", "organisation", "name", target="stakeholder", width=30),
    Column("Organisation ID", "organisation", "link", target="stakeholder", width=34),
    Column("Sector", "sector", "vocab", width=20),
    Column("Role", "role", width=24),
    Column("Councils", "councils", "councils", width=24),
    Column("Email", "email", width=28),
    Column("Phone", "phone", width=16),
    Column("Address", "address", width=30, wrap=True),
    Column("Website", "website", width=28),
    Column("Influence", "influence", "int", width=10),
    Column("Interest", "interest", "int", width=10),
    Column("Tags", "tags", width=20),
    Column("Notes", "notes", width=40, wrap=True),
    *_bookkeeping(erased=True),
))

EVENTS = Sheet("Events", "event", display="title", columns=_of(records.EVENT,
    Column("Title", "title", width=40),
    Column("Kind", "kind", "vocab", width=18),
    Column("Date", "date", "date", width=12),
    Column("Place", "place", width=28),
    Column("Council", "council", "council", width=22),
    Column("Notes", "notes", width=40, wrap=True),
    *_bookkeeping(),
))

ATTENDANCE = Sheet("Attendance", "attendance", display="role", columns=_of(records.ATTENDANCE,
    Column("Event", "event", "name", target="event", width=36),
    Column("Event ID", "event", "link", target="event", width=34),
    Column("Stakeholder", "stakeholder", "name", target="stakeholder", width=30),
    Column("Stakeholder ID", "stakeholder", "link", target="stakeholder", width=34),
    Column("Role", "role", width=16),
    Column("Notes", "notes", width=40, wrap=True),
    *_bookkeeping(),
))

COMMITMENTS = Sheet("Commitments", "commitment", display="title", columns=_of(records.COMMITMENT,
    Column("Title", "title", width=40),
    Column("Description", "description", width=50, wrap=True),
    Column("Made by", "made_by", "name", target="stakeholder", width=30),
    Column("Made by ID", "made_by", "link", target="stakeholder", width=34),
    Column("Made at", "made_at", "name", target="event", width=30),
    Column("Made at ID", "made_at", "link", target="event", width=34),
    Column("Date made", "date_made", "date", width=12),
    Column("Target date", "target_date", "date", width=12),
    Column("Theme", "theme", "vocab", width=24),
    Column("Status", "status", "vocab", width=14),
    Column("RAG", "rag", "vocab", width=8),
    Column("Councils", "councils", "councils", width=24),
    *_bookkeeping(),
))

ACTIONS = Sheet("Actions", "action_item", display="title", columns=_of(records.ACTION,
    Column("Reference", "reference", "reference", width=12),
    Column("Title", "title", width=40),
    Column("Description", "description", width=50, wrap=True),
    Column("Commitment", "commitment", "name", target="commitment", width=30),
    Column("Commitment ID", "commitment", "link", target="commitment", width=34),
    Column("Owner", "owner", "name", target="stakeholder", width=26),
    Column("Owner ID", "owner", "link", target="stakeholder", width=34),
    Column("Council", "council", "council", width=22),
    Column("Due date", "due_date", "date", width=12),
    Column("Priority", "priority", "vocab", width=10),
    Column("Status", "status", "vocab", width=12),
    *_bookkeeping(),
))

UPDATE_TARGETS = {"stakeholder": "Stakeholder", "commitment": "Commitment", "action_item": "Action"}
UPDATES = Sheet("Updates", "record_update", display="text", columns=_of(records.UPDATE,
    Column("Date", "date", "date", width=12),
    Column("Text", "text", width=60, wrap=True),
    Column("Author", "author", width=20),
    Column("Record type", "target_type", "target_type", choices=UPDATE_TARGETS, width=14),
    Column("Record", "target", "name", width=34),
    Column("Record ID", "target", "link", needed=True, width=34),
    *_bookkeeping(),
))

SHEETS = (STAKEHOLDERS, EVENTS, ATTENDANCE, COMMITMENTS, ACTIONS, UPDATES)
BY_TABLE = {s.table: s for s in SHEETS}


# Format 3: decisions about duplicate stakeholders, which travel with the records (optional sheets:
# files of formats 1-2 have neither).  IDs as the ID column writes them; several in one cell joined by
# ID_SEPARATOR.  The name columns are for people and are not read back.
MERGES = "Merges"
MERGE_COLUMNS = ("Merge ID", "Kept ID", "Kept", "Retired IDs", "Retired", "Merged at", "Council", "Merged by")
NOT_DUPLICATES = "Not duplicates"
NOT_DUPLICATE_COLUMNS = ("First ID", "First", "Second ID", "Second", "Decided at", "Council", "Decided by")
ID_SEPARATOR = "; "

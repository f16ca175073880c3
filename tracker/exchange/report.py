"""What an import found, for the person asking: the report, its lines, and the plan behind it.

:class:`ImportReport` counts what a file adds, updates, leaves and holds, and lists each row's line
(:class:`Detail`; :class:`AddedDetail` for an added row, worded only when read).  :class:`Plan` is
what ``tracker.exchange.importer`` and ``merge`` decide for ``tracker.services.imports`` to write.
Plain data: nothing here reads a workbook or the database.
"""

from dataclasses import dataclass, field

from tracker import records
from tracker.exchange_format import SHEETS
from tracker.services.exchange import dashed as _dashed


@dataclass
class Detail:
    sheet: str
    row: int
    id: str
    kind: str  # added, updated, deleted, restored, erased, conflict, rejected
    message: str
    changes: list = field(default_factory=list)  # [(column, before, after)] for updates and conflicts
    name: str = ""  # the record's name or title (this database's), for people; "" for a rejected row

    def as_dict(self):
        d = {"sheet": self.sheet, "row": self.row, "id": self.id, "kind": self.kind, "message": self.message}
        if self.changes:
            d["changes"] = [{"column": c, "before": b, "after": a} for c, b, a in self.changes]
        return d


class AddedDetail:
    """A :class:`Detail` for an added row, worded only when read (an import may add 100k rows)."""

    __slots__ = ("_sheet", "row", "_hex", "_values")
    kind = "added"
    changes = ()
    as_dict = Detail.as_dict

    def __init__(self, sheet, row, hex_, values):
        self._sheet, self.row, self._hex, self._values = sheet, row, hex_, values

    @property
    def sheet(self):
        return self._sheet.name

    @property
    def id(self):
        return dashed(self._hex)

    @property
    def name(self):
        return name(self._sheet, self._values, None)

    @property
    def message(self):
        what = "attendance" if self._sheet.table == "attendance" else self._sheet.name.lower()[:-1]
        return f"new {what}: {name(self._sheet, self._values)}"


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    rejected: int = 0
    details: list = field(default_factory=list)
    import_id: int = None
    applied: bool = False
    refused: str = ""  # why the whole file was refused, when it was
    merges: int = 0  # merges new here (format 3's Merges sheet)

    def as_json(self):
        return {"file": self.file_name, "dry_run": self.dry_run, "applied": self.applied, "refused": self.refused,
                "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "rejected": self.rejected, "merges": self.merges,
                "import_id": self.import_id,
                "details": [d.as_dict() for d in self.details]}

    def summary(self):
        if self.refused:
            return self.refused
        text = (f"{self.file_name}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.conflicts} conflicts" + (f", {self.merges} merges of duplicates" if self.merges else ""))
        if self.dry_run:
            return text + " (dry run: nothing was changed)."
        held = " Conflicts are held for review in the app." if self.conflicts else ""
        return text + f". Import {self.import_id}; undo with: tracker undo-import {self.import_id}.{held}" \
            if self.import_id else text + ". Nothing was changed."


@dataclass
class Plan:
    creates: dict = field(default_factory=dict)  # table -> [services.exchange.Create]
    updates: dict = field(default_factory=dict)  # table -> [(rec, new values, new version)]
    sync: dict = field(default_factory=dict)  # hex -> (base, seen)
    held: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    edited: set = field(default_factory=set)  # hexes of records changed by rows edited in a spreadsheet
    merges: list = field(default_factory=list)  # the file's merges (services.merge_exchange.TravellingMerge)
    not_duplicates: list = field(default_factory=list)  # the file's "not a duplicate" pairs


_DISPLAY_AT = {s.name: s.at[s.display] for s in SHEETS}


def dashed(hex_):
    return _dashed(hex_) if hex_ else ""


_SHEETS = {s.name: s for s in SHEETS}


def kind_words(sheet_name):
    """The kind of record a sheet's rows are, in the registry's words: "action", "stakeholder"."""
    sheet = _SHEETS.get(sheet_name)
    return records.BY_TABLE[sheet.table].name if sheet is not None else sheet_name


def field_words(sheet_name, header):
    """A column's field as the forms call it (the registry's label: "Due date"); the header otherwise."""
    sheet = _SHEETS.get(sheet_name)
    column = next((c for c in sheet.columns if c.header == header and c.spec is not None), None) if sheet else None
    return column.spec.title if column is not None else header


def name(sheet, values, limit=60):
    """How a record is named in a report line (its title or name, cut at ``limit`` characters unless None)."""
    i = _DISPLAY_AT.get(sheet.name)
    text = str(values[i]) if i is not None and values[i] else ""
    return (text[:limit] + "…") if limit and len(text) > limit else (text or "(no name)")

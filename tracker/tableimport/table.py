"""From a sheet of cells to records: the header found, the columns mapped, every value read.

:func:`read_sheet` gives a :class:`SheetTable`: the header row and its (unique) headers, the mapping
(header -> target), each date column's order and whether its values decided it, the rows that are
not records (blank, section, footer) with why, and the records: per row, {target: value} ready for
a service, the words kept for the notes, and the problems (sheet, row, column, the value, why).
"""

import datetime as dt
from dataclasses import dataclass, field

from tracker.records import CHOICE, COUNCILS, DATE, EMAIL, LONG_TEXT, PHONE, TEXT, URL, FieldError
from tracker.tableimport import mapping as maps
from tracker.tableimport.header import find_header, is_empty, row_kind
from tracker.tableimport.values import TRIMMED, Assumption, date_order, name_of, phone_of, text_of, value_of

KEY_TARGETS = frozenset({"name", "first_name", "surname", "email", "title", "organisation", "made_by", "contact"})
# Targets whose values are names or words resolved later against the database (people, councils, events).
AS_TEXT = frozenset({"name", "first_name", "surname", "organisation", "owner", "commitment", "made_by", "contact",
                     "made_at", "rag", "attending", "attendance_role", "notes", "reference"})


def is_date_column(kind, target):
    """Whether a column imported as ``target`` holds dates whose order (day or month first) is decided."""
    record = maps.KIND_OF[kind]
    return bool(target) and target in record and record[target].type == DATE and target not in AS_TEXT


def column_order(values):
    """(order, decided, undecided) of a date column's ``values``: ``date_order``'s answer, and whether the
    preview flags it undecidable (text values that did not decide it)."""
    order, decided = date_order(values)
    return order, decided, not decided and any(isinstance(v, str) and v.strip() for v in values)


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    value: str
    reason: str

    def as_json(self):
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": self.value,
                "reason": self.reason}

    def sentence(self):
        return f"{self.sheet} row {self.row}, column '{self.column}': {self.value!r} {self.reason}"


@dataclass
class Record:
    sheet: str
    row: int
    values: dict  # target -> value (text for AS_TEXT targets, else the field's value)
    columns: dict  # target -> header (where each value came from, for messages)
    notes: list = field(default_factory=list)  # "Header: words" kept for the record's notes
    written: dict = field(default_factory=dict)  # header -> text as written (held rows, the report)
    assumptions: list = field(default_factory=list)  # "Header: what was assumed" ("end of March": which one)
    no_value: dict = field(default_factory=dict)  # target -> words read as no value of a choice ("Status": "TBC")


@dataclass
class SheetTable:
    name: str
    header_row: int = None  # as the program shows it
    headers: list = field(default_factory=list)
    mapping: dict = field(default_factory=dict)
    dates: dict = field(default_factory=dict)  # header -> "day-first" | "month-first"
    undecided: list = field(default_factory=list)  # date headers whose values did not decide the order
    skipped: list = field(default_factory=list)  # (row, why)
    records: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    refused: str = None  # why this sheet is not imported
    column_of: dict = field(default_factory=dict)  # header -> column letter
    years_assumed: dict = field(default_factory=dict)  # date header -> how many values had no year ("end of March")


def headers_of(sheet, kind, header_row=None):
    """The sheet's headers (as :func:`read_sheet` tells them apart), or [] when it has none."""
    rows = sheet.rows
    if header_row is not None:
        index = header_row - sheet.first_row
        return maps.unique_headers(rows[index]) if 0 <= index < len(rows) else []
    index, _ = find_header(rows, kind)
    return [] if index is None else [h for h in maps.unique_headers(rows[index]) if not h.startswith("Column ")]


def read_sheet(sheet, kind, told=None, told_values=None, header_row=None, dates=None, column_dates=None):
    """The :class:`SheetTable` for one :class:`sources.Sheet` imported as ``kind``.  ``dates``: the order of
    every date column ("day-first" | "month-first"), ``column_dates``: {header: order} of some (these first);
    a column not told is decided by its values."""
    table = SheetTable(sheet.name)
    rows = sheet.rows
    if header_row is not None:
        index = header_row - sheet.first_row
        if not 0 <= index < len(rows) or all(is_empty(v) for v in rows[index]):
            table.refused = f"row {header_row} (given as the header row) is empty or outside the sheet"
            return table
    else:
        index, why = find_header(rows, kind)
        if index is None:
            table.refused = why
            return table
    width = max((len(r) for r in rows[index:]), default=0)
    header_cells = list(rows[index]) + [None] * (width - len(rows[index]))
    while width and is_empty(header_cells[width - 1]) and all(
            len(r) < width or is_empty(r[width - 1]) for r in rows[index + 1:]):
        width -= 1
    header_cells = header_cells[:width]
    table.header_row = sheet.first_row + index
    table.headers = maps.unique_headers(header_cells)
    table.column_of = {h: maps.column_letter(sheet.first_column + i) for i, h in enumerate(table.headers)}
    table.mapping = maps.suggest(kind, table.headers, told)
    table.refused = maps.fits(kind, table.mapping)
    if table.refused:
        return table
    record_fields = maps.KIND_OF[kind]
    targets = {h: t for h, t in table.mapping.items() if t}
    positions = {h: i for i, h in enumerate(table.headers)}
    key_columns = {positions[h] for h, t in targets.items() if t in KEY_TARGETS}
    # a row as long as the header's columns (calamine's rows all are: used as they are, never changed); the
    # columns past ``width`` are empty in every row below the header, so row_kind reads the row whole
    body = [(number, r if len(r) >= width else list(r) + [None] * (width - len(r)))
            for number, r in enumerate(rows[index + 1:], sheet.first_row + index + 1)]
    records = []
    for number, row in body:
        what = row_kind(row, width, key_columns)
        if what != "record":
            if what != "blank":
                table.skipped.append((number, f"a {what} row ({text_of(next(v for v in row if not is_empty(v)))!r})"))
            else:
                table.skipped.append((number, "blank"))
            continue
        records.append((number, row))
    column_dates = {maps.header_key(h): order for h, order in (column_dates or {}).items()}
    for header, target in targets.items():
        if is_date_column(kind, target):
            order, _, undecided = column_order([row[positions[header]] for _, row in records])
            told_order = column_dates.get(maps.header_key(header)) or dates
            table.dates[header] = told_order or order
            if undecided and not told_order:
                table.undecided.append(header)
    told_values = told_values or {}
    # what is the same for every row of a column, worked out once per column rather than once per cell
    columns = [(header, target, positions[header], told_values.get(maps.header_key(header)), {},
                *_text_mode(record_fields, target), maps.joiner(target), _is_phone(record_fields, target))
               for header, target in targets.items()]
    name, problems, kept, skipped = sheet.name, table.problems, table.records, table.skipped
    for number, row in records:
        values, columns_of, written_of = {}, {}, {}
        record = Record(name, number, values, columns_of, written=written_of)
        for header, target, position, told, cache, mode, limit, joiner, phone in columns:
            raw = row[position]
            if raw is None:  # is_empty and text_of, inline: 60k cells a sheet
                continue
            if raw.__class__ is str:
                if not raw.strip():
                    continue
                if "\r" in raw:  # a line break in a cell as Windows writes it (CRLF, or a lone CR): stored as "\n"
                    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
                written = written_of[header] = raw.strip(TRIMMED)
                if mode is not None:  # a text cell in a text column: what _read_value does, inline
                    text = told[written.casefold()] if told and written.casefold() in told else written
                    if not (text if mode == "as written" else text.strip()):  # (a text field's parse: blank is none)
                        continue
                    if limit and len(text) > limit:  # (limit: text fields only)
                        problems.append(Problem(name, number, header, text[:60],
                                                f"is too long (at most {limit:,} characters)"))
                        continue
                    if target not in values:
                        values[target] = text
                        columns_of[target] = header
                    else:  # several columns mapped to one target: joined in column order
                        values[target] += joiner + text
                        if mode == "text":  # (_read_value names the last column; the text branch the first)
                            columns_of[target] = header
                    continue
            elif isinstance(raw, str) and not raw.strip():
                continue
            else:
                written = written_of[header] = text_of(raw)
            if phone:  # what _read_value does for a phone, inline (phone_of of the cell's text; numbers seldom repeat)
                value = phone_of(written)
                if value:
                    if target in values:
                        values[target] += joiner + value
                    else:
                        values[target] = value
                    columns_of[target] = header
                continue
            _read_value(table, record, record_fields, header, target, raw, told, written, cache)
        if values or record.notes:
            kept.append(record)
        else:
            skipped.append((number, "no value in a mapped column"))
    if sheet.unsaved:
        _unsaved_formulas(table, sheet, [n for n, _ in body], {h: sheet.first_column + positions[h] for h in targets})
    return table


UNSAVED = ("is a formula saved without its result (the file was written by a program that does not calculate): "
           "open it in Excel or LibreOffice, save it, and import it again")


def _unsaved_formulas(table, sheet, numbers, columns):
    """A bad value for each mapped cell holding a formula saved without its result (``formulas``): its row is
    not read as empty, blank or short of that value, nor planned."""
    bad = set()
    for number in numbers:
        for header, column in columns.items():
            formula = sheet.unsaved.get((number, column))
            if formula is not None:
                table.problems.append(Problem(table.name, number, header, formula, UNSAVED))
                bad.add(number)
    table.skipped = [(row, why) for row, why in table.skipped if row not in bad]
    table.records = [r for r in table.records if r.row not in bad]  # a bad row: not checked further ("required")


def _text_mode(record_fields, target):
    """(mode, limit) of a column imported as ``target``, for its text cells: "as written" (the text is the
    value: names and words resolved later, :data:`AS_TEXT`), "text" (a text field, whose ``parse`` gives
    the text back: role, email, web address, notes; ``limit``: the length a text or long text field
    takes, checked here), or None (everything else: :func:`_read_value`)."""
    if target in AS_TEXT or target not in record_fields:
        return (None if target in ("name", "contact") else "as written"), None
    field_ = record_fields[target]
    if field_.type in (TEXT, LONG_TEXT):
        return "text", field_.max_length
    return ("text" if field_.type in (EMAIL, URL) else None), None


def _is_phone(record_fields, target):
    """A column imported as a phone field: its value is ``phone_of`` the cell's text (``values.value_of``)."""
    return target not in AS_TEXT and target in record_fields and record_fields[target].type == PHONE


def _read_value(table, record, record_fields, header, target, raw, told, written, cache=None):
    """``written``: text_of(raw), worked out once per cell (text_of of a text is the text itself);
    ``cache``: the column's values read so far (:func:`_value_of`)."""
    if target in AS_TEXT or target not in record_fields:
        text = name_of(written) if target in ("name", "contact") else written
        if told and text.casefold() in told:
            text = told[text.casefold()]
        if not text:
            return
        if target in record.values:  # several columns mapped to one text: joined in column order
            record.values[target] += maps.joiner(target) + text
            return
        record.values[target] = text
        record.columns[target] = header
        return
    field_ = record_fields[target]
    if field_.type == COUNCILS:
        record.values[target] = field_.parse(written.replace("/", ";"))
        record.columns[target] = header
        return
    try:
        value, kept = _value_of(cache, field_, raw, told, table.dates.get(header) == "month-first")
    except FieldError as exc:
        table.problems.append(Problem(table.name, record.row, header, written, exc.reason))
        return
    if kept:
        record.notes.append(f"{header}: {kept}")
        if isinstance(kept, Assumption):
            record.assumptions.append(f"{header}: {kept}")
            table.years_assumed[header] = table.years_assumed.get(header, 0) + 1
        elif value is None and field_.type == CHOICE:
            record.no_value[target] = kept
    if value is None or value == "":
        return
    if field_.type == "text" or field_.type == "long text":
        if field_.max_length and len(value) > field_.max_length:
            table.problems.append(Problem(table.name, record.row, header, value[:60],
                                          f"is too long (at most {field_.max_length:,} characters)"))
            return
    if target in record.values:
        record.values[target] += maps.joiner(target) + value
    else:
        record.values[target] = value
    record.columns[target] = header


_IMMUTABLE = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})


def _value_of(cache, field_, raw, told, month_first):
    """``values.value_of`` of a cell, read once per column for a value the column repeats ("Officer",
    "Complete", a date): the same cell gives the same value or the same FieldError.  Only values that
    cannot be changed in place are kept (a record never shares a list with another)."""
    if cache is None:
        return value_of(field_, raw, told, month_first=month_first)
    key = (raw.__class__, raw)
    found = cache.get(key)
    if found is None:
        try:
            found = value_of(field_, raw, told, month_first=month_first)
        except FieldError as exc:
            found = exc
        if isinstance(found, FieldError) or found[0].__class__ in _IMMUTABLE:
            cache[key] = found
    if isinstance(found, FieldError):
        raise FieldError(found.reason)
    return found

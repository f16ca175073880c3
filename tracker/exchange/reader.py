"""Reading an exchange workbook into typed rows, with a clear reason for every cell that is wrong.

python-calamine reads the cells (about 15x faster than openpyxl's read-only mode; it decodes the
``_xHHHH_`` escapes, handles 1904 workbooks and returns dates for date-formatted cells).  Each
column's cells are read by its field's own converter from the registry (``tracker.records.cells``:
the field's limits, formats and vocabulary, UK dates through ``tracker.dates``) into the stored
form used by ``tracker.services.exchange``: text stays byte-identical (never stripped, never
evaluated), codes are parsed from labels or codes, dates from real date cells or UK text dates (an
ambiguous or impossible text date is an error, never a swap), numbers that Excel or LibreOffice
turned into floats back into ints.

A sheet is read two ways, a column at a time (the usual, fast path) and row by row (which names
each problem's row and column), from the same converters, and the two must give the same rows
(``tests/tracker/exchange_helpers.read_both_ways``); kept in one file, a change to one path is seen
beside the other.  Rules across fields and links are the importer's (``tracker.exchange.checks``).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import repeat

from tracker.exchange.ancestry import read_based_on, read_based_on_column
from tracker.exchange.decisions import read_decisions
from tracker.exchange_format import ABOUT, FORMAT_VERSION, SHEETS
from tracker.exchange.rowcheck import read_check, read_checks
from tracker.exchange.safety import ExchangeError, open_checked, sha256
from tracker.records import EMAIL, URL
from tracker.records.cells import CellError, converter, not_among, read_int, read_timestamp, read_uuid, text_of


class WorkbookRefused(ExchangeError):
    """The workbook is readable but not an exchange workbook this version can use."""


@dataclass
class Problem:
    sheet: str
    row: int  # spreadsheet row number (1 = header); 0 for the sheet as a whole
    column: str
    reason: str
    id: str = ""

    def message(self, file_name):
        where = f"sheet {self.sheet}"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{file_name}, {where}: {self.reason}"


@dataclass(slots=True)  # 100k of them per import
class Row:
    sheet: object  # format.Sheet
    number: int
    hex: str  # the ID, or None for a row added by hand
    version: int
    values: list
    created_at: object = None
    origin: str = None
    reference: str = ""
    target_type: str = None  # Updates: the table the Record ID should be in, when given
    check: str = None  # the Row check: the content hash of the row as exported (None: no check)
    based_on: str = None  # Based on: the hashes of the states the exported one replaces (None: none given)


@dataclass
class Book:
    about: dict
    rows: dict  # sheet name -> [Row]
    problems: list = field(default_factory=list)
    personal_data_left_out: bool = False
    sha256: str = ""  # of the bytes read
    merges: list = field(default_factory=list)  # format 3: services.merge_exchange.TravellingMerge
    not_duplicates: list = field(default_factory=list)  # format 3: (hex, hex, when, council, user)


def _converter(col, councils):
    """The column's cells in stored form: its field's own reading (``tracker.records.cells``), or a
    bookkeeping column's (deletion and erasure as timestamps; the Record ID, which no field describes)."""
    if col.kind in ("deleted", "erased"):
        return read_timestamp
    if col.spec is None:
        return read_uuid
    return converter(col.spec, councils)


def _header_key(text):
    return " ".join(text_of(text).split()).casefold()


def read_about(rows):
    about = {}
    for row in rows:
        if len(row) >= 2 and text_of(row[0]).strip():
            about[text_of(row[0]).strip().casefold()] = row[1]
    return about


def read_workbook(path, councils):
    """Read ``path`` (checked first) into a :class:`Book`; raises WorkbookRefused for a file that
    is not an exchange workbook at all, and lists cell problems in ``Book.problems``."""
    checked, wb = open_checked(path)
    name = checked.path.name
    sheet_names = {_header_key(n): n for n in wb.sheet_names}
    if _header_key(ABOUT) not in sheet_names:
        missing_all = all(_header_key(s.name) not in sheet_names for s in SHEETS)
        hint = ("it has none of the sheets an exchange workbook has (About, Stakeholders, Events, Attendance, "
                "Commitments, Actions, Updates); export one with File > Export for sharing"
                if missing_all else "it has no About sheet, which says which format the file is in")
        raise WorkbookRefused(f"{name} was not imported: {hint}.")
    about = read_about(_sheet(wb, sheet_names[_header_key(ABOUT)], name))
    version = about.get("format version")
    try:
        version = int(float(version))
    except (TypeError, ValueError):
        raise WorkbookRefused(f"{name} was not imported: sheet About, the Format version is missing or not a "
                              f"number.") from None
    if version > FORMAT_VERSION:
        raise WorkbookRefused(f"{name} was not imported: it was written in exchange format {version} by a newer "
                              f"version of Stakeholder Tracker; this version reads format {FORMAT_VERSION}. "
                              f"Install the newer version to import it.")
    missing = [s.name for s in SHEETS if _header_key(s.name) not in sheet_names]
    if missing:
        raise WorkbookRefused(f"{name} was not imported: it has no sheet named {', '.join(missing)}. The sheets "
                              f"must be named About, {', '.join(s.name for s in SHEETS)}.")
    left_out = text_of(about.get("personal data", "")).strip().lower().startswith("left out")
    book = Book(about, {}, personal_data_left_out=left_out, sha256=sha256(checked.data))
    for sheet in SHEETS:
        book.rows[sheet.name] = _read_sheet(sheet, _sheet(wb, sheet_names[_header_key(sheet.name)], name),
                                            councils, book.problems)
    book.merges, book.not_duplicates = read_decisions(
        lambda title: _sheet(wb, sheet_names[_header_key(title)], name) if _header_key(title) in sheet_names else None,
        lambda *where: book.problems.append(Problem(*where)))
    return book


def _sheet(wb, sheet_name, file_name):
    try:
        return wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise WorkbookRefused(f"{file_name} was not imported: sheet {sheet_name} cannot be read "
                              f"({str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}).") from None


def _read_sheet(sheet, cells, councils, problems):
    if not cells:
        problems.append(Problem(sheet.name, 1, "", "the sheet is empty; row 1 must hold the column headers"))
        return []
    header = [_header_key(h) for h in cells[0]]
    positions = {}
    for i, h in enumerate(header):
        if not h:
            continue
        if h in positions:
            problems.append(Problem(sheet.name, 1, text_of(cells[0][i]), "this column header appears twice"))
        positions[h] = i
    optional = {"name", "origin", "created", "changed", "reference", "target_type", "deleted", "erased", "version",
                "check", "ancestry"}
    index = {}
    for col in sheet.columns:
        key = _header_key(col.header)
        if key in positions:
            index[col.header] = positions[key]
        elif col.kind not in optional:
            problems.append(Problem(sheet.name, 1, col.header, "this column is missing; every exchange workbook "
                                                                 "has it (see docs/exchange-format.md)"))
    if any(p.sheet == sheet.name and p.row == 1 for p in problems):
        return []
    content = []
    for col in sheet.content:
        pos = index.get(col.header)
        content.append((pos, _converter(col, councils), col))
    fast = _fast_row(content)
    get = {k: index.get(h) for k, h in (("id", "ID"), ("version", "Version"), ("created", "Created at"),
                                        ("origin", "Origin council"), ("reference", "Reference"),
                                        ("type", "Record type"), ("check", "Row check"), ("based_on", "Based on"))}
    type_codes = {lab.casefold(): t for t, lab in (sheet.column("target_type").vocab.items()
                                                   if sheet.name == "Updates" else ())}
    width = len(header)
    body = [raw if len(raw) >= width else list(raw) + [""] * (width - len(raw)) for raw in cells[1:]]
    rows = _read_columns(sheet, body, content, get, councils, type_codes)
    if rows is not None:
        return rows
    # Something in the sheet is wrong (or unusual): row by row, so that each problem names its cell.
    rows = []
    origins = {}
    for n, raw in enumerate(body, start=2):
        if not any(raw) and all(v in ("", None) for v in raw):
            continue  # blank rows (spreadsheet programs leave them) carry nothing
        try:
            values = fast(raw)  # the whole row at once; on any problem, the slow path below says which cell
            bad = False
        except CellError:
            values = None
        if values is None:
            values, bad = _slow_row(sheet, n, raw, content, get, problems)
        try:
            hex_ = read_uuid(raw[get["id"]]) if get["id"] is not None else None
        except CellError as exc:
            problems.append(Problem(sheet.name, n, "ID", str(exc)))
            bad = True
            hex_ = None
        try:
            version = read_int(raw[get["version"]]) if get["version"] is not None else None
            if version is not None and version < 1:
                raise CellError(f"{version} is not a version (versions start at 1)")
        except CellError as exc:
            problems.append(Problem(sheet.name, n, "Version", str(exc)))
            bad = True
            version = None
        if bad:
            continue
        row = Row(sheet, n, hex_, version, values)
        if get["created"] is not None:
            try:
                row.created_at = read_timestamp(raw[get["created"]])
            except CellError:
                row.created_at = None  # bookkeeping only: a mangled timestamp is not worth refusing a row
        if get["origin"] is not None and raw[get["origin"]] not in ("", None):
            origin = raw[get["origin"]]
            if origin not in origins:
                origins[origin] = councils.find(origin)
            row.origin = origins[origin]
        if get["reference"] is not None:
            row.reference = text_of(raw[get["reference"]]).strip()
        if get["type"] is not None and raw[get["type"]] not in ("", None):
            t = type_codes.get(text_of(raw[get["type"]]).strip().casefold())
            if t is None:
                problems.append(Problem(sheet.name, n, "Record type",
                                        not_among(text_of(raw[get["type"]]), sheet.column("target_type").vocab)))
                continue
            row.target_type = t
        if get["check"] is not None:
            row.check = read_check(raw[get["check"]])
        if get["based_on"] is not None:
            row.based_on = read_based_on(raw[get["based_on"]])
        rows.append(row)
    return rows


_NUMBERS = frozenset((int, float, bool))  # equal across types (1 == 1.0 == True): never share a lookup


def _column(values, conv):
    """``[conv(v) for v in values]``, converting each distinct value once (a column of 100k cells
    holds a few hundred statuses, dates or links); raises CellError as ``conv`` does."""
    if len(_NUMBERS.intersection(map(type, values))) > 1:
        return list(map(conv, values))  # 1 and 1.0 would share one dictionary entry
    distinct = set(values)
    if len(distinct) > len(values) // 2:
        return list(map(conv, values))  # mostly different values: a lookup table would cost more than it saves
    converted = {v: conv(v) for v in distinct}
    return list(map(converted.__getitem__, values))


def _text_column(values, conv, limit):
    """A text column that is all text within ``limit`` needs no conversion; anything else goes cell by cell."""
    if set(map(type, values)) <= {str} and max(map(len, values), default=0) <= limit:
        return list(values)
    return _column(values, conv)


_UUIDS = re.compile(r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n)*"
                    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _id_column(values):
    """IDs as we write them, checked and converted as one string; otherwise one by one."""
    if values and set(map(type, values)) <= {str}:
        joined = "\n".join(values)
        if len(joined) == 37 * len(values) - 1 and _UUIDS.fullmatch(joined):  # (no cell holding two)
            return joined.replace("-", "").split("\n")
    return _column(values, read_uuid)


def _read_columns(sheet, body, content, get, councils, type_codes):
    """The rows of a sheet converted a column at a time (each distinct value once, whole columns of
    text and IDs checked in single C-level passes), which is several times faster than a row at a
    time at 100k rows.  Returns None if any cell is wrong or a required cell is empty; the caller
    then reads the sheet row by row, which names each problem's row and column."""
    numbers = [n for n, raw in enumerate(body, start=2) if any(raw) or not all(v in ("", None) for v in raw)]
    if len(numbers) != len(body):
        body = [body[n - 2] for n in numbers]
    if not body:
        return []
    columns = list(zip(*body))
    blank = ("",) * len(body)
    try:
        converted = []
        for pos, conv, col in content:
            values = columns[pos] if pos is not None else blank
            if col.kind == "text" and col.spec.type not in (EMAIL, URL):
                out = _text_column(values, conv, col.max_length)
            elif col.kind == "link":
                out = _id_column(values) if "" not in values else _column(values, read_uuid)
            else:
                out = _column(values, conv)
            if col.required and ("" in out or None in out):
                return None
            converted.append(out)
        hexes = _id_column(columns[get["id"]]) if get["id"] is not None else [None] * len(body)
        versions = _column(columns[get["version"]], read_int) if get["version"] is not None else [None] * len(body)
        if any(v is not None and v < 1 for v in set(versions)):
            return None
        targets = ([type_codes.get(text_of(v).strip().casefold(), False) if v not in ("", None) else None
                    for v in columns[get["type"]]] if get["type"] is not None else None)
        if targets is not None and False in targets:
            return None
    except CellError:
        return None
    none = repeat(None)
    created = _created_column(columns[get["created"]]) if get["created"] is not None else none
    origins = (_column(columns[get["origin"]], lambda v: councils.find(v) if v not in ("", None) else None)
               if get["origin"] is not None else none)
    references = _reference_column(columns[get["reference"]]) if get["reference"] is not None else repeat("")
    checks = read_checks(columns[get["check"]]) if get["check"] is not None else none
    based_on = read_based_on_column(columns[get["based_on"]]) if get["based_on"] is not None else none
    return list(map(Row, repeat(sheet), numbers, hexes, versions, map(list, zip(*converted)), created, origins,
                    references, targets if targets is not None else none, checks, based_on))


def _created_column(values):
    if set(map(type, values)) <= {dt.datetime}:
        return list(map(str, values))  # as we write them (what read_timestamp makes of a datetime)
    return _column(values, _timestamp_or_none)


def _reference_column(values):
    if set(map(type, values)) <= {str}:
        return list(map(str.strip, values))
    return _column(values, lambda v: text_of(v).strip())


def _timestamp_or_none(v):
    try:
        return read_timestamp(v)
    except CellError:
        return None  # bookkeeping only: a mangled timestamp is not worth refusing a row


def _fast_row(content):
    """A function converting a whole row in one expression (no per-cell loop); it returns None when a
    required cell is empty, and raises CellError for a wrong cell, leaving the reporting to _slow_row."""
    names = {}
    parts = []
    for k, (pos, conv, col) in enumerate(content):
        names[f"c{k}"] = conv
        parts.append(f"c{k}(r[{pos}])" if pos is not None else f"c{k}('')")
    required = [k for k, (_, _, col) in enumerate(content) if col.required]
    check = " and ".join(f"v[{k}] is not None and v[{k}] != ''" for k in required) or "True"
    source = f"lambda r: (lambda v: v if {check} else None)([{', '.join(parts)}])"
    return eval(source, names)  # noqa: S307 - built from our own column list, no file content


def _slow_row(sheet, n, raw, content, get, problems):
    values, bad = [], False
    for pos, conv, col in content:
        v = raw[pos] if pos is not None else ""
        try:
            value = conv(v)
        except CellError as exc:
            problems.append(Problem(sheet.name, n, col.header, str(exc),
                                    text_of(raw[get["id"]]) if get["id"] is not None else ""))
            bad = True
            continue
        if col.required and (value is None or value == ""):
            problems.append(Problem(sheet.name, n, col.header, "is empty; a value is required"))
            bad = True
        values.append(value)
    return values, bad

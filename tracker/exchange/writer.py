"""Writing the exchange workbook: one sheet per record kind, native-looking, never a formula.

openpyxl's write-only mode streams rows (memory stays flat at 100k rows).  Every record cell comes
from a :class:`tracker.sheet_stream.CellSlot` per column (a string cell, OOXML-escaped,
quote-prefixed when it looks like a formula, as ``tracker.spreadsheet.text_cell`` makes it; dates
are real date cells), whose type and style index are worked out once rather than for every cell.
Each row ends with its Row check (``tracker.exchange.rowcheck``): the content hash of what it holds,
which for a full row is the hash the export then keeps as the record's base, computed once for both;
and its Based on (``tracker.exchange.ancestry``): the earlier states that content replaces.
The file is saved beside the target and renamed into place.
"""

import contextlib
import datetime as dt
import os
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tracker import __version__
from tracker.dates import date_from_stored, format_uk_date
from tracker.exchange.ancestry import based_on
from tracker.exchange_format import (ABOUT, COUNCIL_SEPARATOR, FORMAT_VERSION, ID_SEPARATOR, MERGE_COLUMNS, MERGES,
                                     NOT_DUPLICATE_COLUMNS, NOT_DUPLICATES, PERSONAL_FIELDS, SHEETS, UPDATE_TARGETS)
from tracker.exchange.rowcheck import has_cr, personal_positions, written_check
from tracker.exchange.safety import ExchangeError
from tracker.records.fields import EMAIL, NOT_A_SCORE, URL
from tracker.services import exchange as store
from tracker.services import merge_exchange
from tracker.services.actor import current_actor
from tracker.services.sync import mark_exported
from tracker.sheet_stream import CellSlot, cells_sheet
from tracker.spreadsheet import MAX_CELL_TEXT, CellTooLong, safe_link, save_atomically, text_cell

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM:SS"
GREY = "7F7F7F"
MAX_ROWS = 1_048_575  # an Excel sheet's rows, less the header


class ExportCancelled(Exception):
    """The person cancelled; no file was written under the target name."""


@dataclass
class ExportResult:
    path: Path
    counts: dict = field(default_factory=dict)  # sheet name -> rows written
    personal_data: bool = True
    since: dt.date = None

    def summary(self):
        rows = ", ".join(f"{n} {s.lower()}" for s, n in self.counts.items())
        extra = "" if self.personal_data else " Personal contact details of people were left out."
        return f"Exported to {self.path}: {rows}.{extra}"


class _Styles:
    """Style arrays made once per workbook, for the column slots and the header cells.

    Ordinary text and numbers carry no style (so they cost what a bare write costs); the grey of
    the ID and bookkeeping columns comes from one conditional format per sheet rather than from
    a style on each of their cells, and survives a re-save in Excel and LibreOffice.
    """

    def __init__(self, ws):
        def array(**attrs):
            cell = WriteOnlyCell(ws)
            for k, v in attrs.items():
                setattr(cell, k, v)
            return cell._style

        wrap = Alignment(wrap_text=True, vertical="top")
        self.header = array(font=Font(bold=True), fill=PatternFill("solid", fgColor="DDEBF7"), alignment=wrap)
        self.header_grey = array(font=Font(bold=True, color=GREY), fill=PatternFill("solid", fgColor="EDEDED"),
                                 alignment=wrap)
        self.wrap = array(alignment=wrap)
        self.date = array(number_format=DATE_FORMAT)
        self.stamp = array(number_format=DATETIME_FORMAT)
        self.link = array(font=Font(color="0563C1", underline="single"))


def export_workbook(path, personal_data=True, since=None, progress=None):
    """Write every record (or those changed on or after ``since``) to ``path``; returns an ExportResult."""
    path = Path(path)
    _step(progress, 0, "Reading the database")
    state = store.load_state()
    since_text = str(dt.datetime.combine(since, dt.time())) if since else None
    names = _names(state)
    wb = Workbook(write_only=True)
    result = ExportResult(path, personal_data=personal_data, since=since)
    exported = {}
    checks = {}  # hex -> the content hash of a full row, worked out for its Row check: its base once exported
    total = sum(len(ts.records) for ts in state.tables.values()) or 1
    done = 0
    try:
        for sheet in SHEETS:
            ws = cells_sheet(wb, sheet.name)
            if not exported:
                styles = _Styles(ws)  # style arrays index workbook-wide tables: one set serves every sheet
            records = state.tables[sheet.table].records
            if since_text:
                records = {h: r for h, r in records.items() if store.iso_text(r.updated_at) >= since_text}
            if len(records) > MAX_ROWS:
                raise ExchangeError(f"{sheet.name} has {len(records)} records, more than a spreadsheet sheet holds; "
                                    f"export with --since to send fewer.")
            exported[sheet.table] = records
            _prepare(ws, sheet, len(records), state)
            ws.append([_header_cell(ws, c, styles) for c in sheet.columns])
            writers = [_cell_writer(ws, c, sheet, state, names, styles, checks) for c in sheet.columns]
            person_at = sheet.at["kind"] if sheet.table == "stakeholder" else None
            for n, (h, rec) in enumerate(sorted(records.items(), key=lambda item: item[1].id), start=1):
                redact = (not personal_data and person_at is not None and rec.values[person_at] == "person")
                try:
                    ws.append([w(h, rec, redact) for w in writers])
                except CellTooLong:
                    raise _too_long(sheet, writers, h, rec, redact) from None
                if n % 5000 == 0:
                    _step(progress, 5 + 85 * (done + n) // total, f"Writing {sheet.name}")
            done += len(records)
            result.counts[sheet.name] = len(records)
        merges = merge_exchange.standing_merges()
        _decisions(wb, names, merges, merge_exchange.not_duplicate_pairs(), styles)
        _about(wb, result, state)
        _step(progress, 92, "Saving")
        save_atomically(wb, path)
    except BaseException:
        _discard(wb)  # an error or a cancel mid-way: close the streamed sheets and remove their temp files
        raise
    mark_exported(_only(state, exported), list(exported), checks)
    merge_exchange.mark_exported(merges)
    _step(progress, 100, "Done")
    return result


def _discard(wb):
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()  # writes the sheet's closing tags while its file is still open
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.xf.close()
            with contextlib.suppress(Exception):
                os.remove(writer.out)


def _step(progress, percent, text):
    if progress is not None and progress(percent, text) is False:
        raise ExportCancelled()


def _only(state, exported):
    tables = {t: store.TableState(t, recs, state.tables[t].ids) for t, recs in exported.items()}
    return store.State(state.councils, tables, state.sync, state.references, state.database_id)


def _names(state):
    """hex -> how a linked record is named beside its ID."""
    names = {}
    for sheet in SHEETS:
        i = sheet.at[sheet.display]
        for h, rec in state.tables[sheet.table].records.items():
            names[h] = f"{rec.reference} {rec.values[i]}" if rec.reference else rec.values[i]
    return names


def _prepare(ws, sheet, count, state):
    """Widths, frozen header, filter and drop-down lists: set before any row is written."""
    last = get_column_letter(len(sheet.columns))
    for i, col in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    ws.print_title_rows = "1:1"
    quiet = [get_column_letter(i) for i, c in enumerate(sheet.columns, start=1) if _quiet(c)]
    if quiet:
        ranges = " ".join(f"{x}2:{x}{max(count + 1, 2)}" for x in quiet)
        ws.conditional_formatting.add(ranges, FormulaRule(formula=["TRUE"], font=Font(color=GREY), stopIfTrue=False))
    end = max(count + 1, 1000)
    for i, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        choices = None
        if col.kind == "vocab" or col.kind == "target_type":
            choices = list(col.vocab.values())
        elif col.kind == "council":
            choices = list(state.councils.names.values())
        if choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(c.replace('"', "") for c in choices) + '"',
                                allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                errorTitle=col.header, error=f"Choose one of: {', '.join(choices)}")
            dv.add(f"{letter}2:{letter}{end}")
            ws.data_validations.append(dv)
        elif col.kind == "int" and col.minimum is not None:
            dv = DataValidation(type="whole", operator="between", formula1=str(col.minimum),
                                formula2=str(col.maximum), allow_blank=True, showErrorMessage=True,
                                errorStyle="warning", error=f"{col.spec.title} {NOT_A_SCORE}")
            dv.add(f"{letter}2:{letter}{end}")
            ws.data_validations.append(dv)


def _quiet(col):
    """ID and bookkeeping columns, shown in grey (visible, so a re-save keeps them)."""
    return col.kind in ("id", "version", "created", "changed", "origin", "check", "ancestry", "link")


def _header_cell(ws, col, styles):
    cell = text_cell(ws, col.header)
    cell._style = copy(styles.header_grey if _quiet(col) else styles.header)
    return cell


def _cell_writer(ws, col, sheet, state, names, styles, checks):
    """A function (hex, rec, redact) -> the cell for one column (or None when empty).

    Each column has its own slots (see :mod:`tracker.sheet_stream`), so a row's cells are distinct.
    The Row check column puts the content hash of each full row in ``checks``.
    """
    kind = col.kind
    i = sheet.at.get(col.field) if col.is_content else None  # the column's place in the content, by field
    if kind == "name":  # the linked record's name, beside its ID
        j = sheet.at[col.field]
        return _text_writer(ws, None, lambda h, r: names.get(r.values[j], "") if r.values[j] else "")
    if kind in ("text",):
        personal = col.field in PERSONAL_FIELDS and sheet.table == "stakeholder"
        style = styles.wrap if col.wrap else None
        if col.spec.type in (EMAIL, URL):
            return _link_writer(ws, styles, i, col.spec.type == EMAIL, personal)
        if personal:
            return _text_writer(ws, style, lambda h, r, red=False: r.values[i], redactable=True)
        return _text_writer(ws, style, lambda h, r: r.values[i])
    if kind == "vocab":
        labels = col.vocab
        return _text_writer(ws, None, lambda h, r: labels.get(r.values[i], r.values[i]) if r.values[i] else "")
    if kind == "target_type":
        t_of = state.table_of
        idx = sheet.at["target"]
        return _text_writer(ws, None, lambda h, r: UPDATE_TARGETS.get(t_of(r.values[idx]), "")
                            if r.values[idx] else "")
    if kind == "council":
        cn = state.councils.names
        return _text_writer(ws, None, lambda h, r: cn.get(r.values[i], "") if r.values[i] else "")
    if kind == "councils":
        cn = state.councils.names
        return _text_writer(ws, None, lambda h, r: COUNCIL_SEPARATOR.join(
            sorted(cn[x] for x in r.values[i].split(";"))) if r.values[i] else "")
    if kind == "link":
        return _text_writer(ws, None, lambda h, r: store.dashed(r.values[i]) if r.values[i] else "")
    if kind == "id":
        return _text_writer(ws, None, lambda h, r: store.dashed(h))
    if kind == "reference":
        return _text_writer(ws, None, lambda h, r: r.reference)
    if kind == "check":
        text, table, blank, content_hash = CellSlot(ws).text, sheet.table, personal_positions(sheet), store.content_hash

        def check_cell(h, r, redact=False):
            if redact:  # the row holds no contact details: its check is of what it holds
                return text(written_check(table, r.values, blank))
            digest = checks[h] = content_hash(table, r.values)
            return text(written_check(table, r.values) if has_cr(r.values) else digest)
        return check_cell
    if kind == "ancestry":
        text, sync = CellSlot(ws).text, state.sync
        erased_at = sheet.at.get("erased_at")

        def based_on_cell(h, r, redact=False):
            # Not for a row without contact details, nor an erased person: earlier states' hashes cover
            # them, and a recipient could test guesses against them (see tracker.exchange.ancestry).
            if redact or h not in sync or (erased_at is not None and r.values[erased_at]):
                return None
            hashes = based_on(sync[h], checks[h])  # checks[h]: set by the Row check, the column before
            return text(hashes) if hashes else None
        return based_on_cell
    if kind == "origin":
        cn = state.councils.names
        return _text_writer(ws, None, lambda h, r: cn.get(r.origin, "") if r.origin else "")
    if kind == "date":
        put = CellSlot(ws, styles.date).put
        fromiso = dt.date.fromisoformat

        def date_cell(h, r, redact=False):
            v = r.values[i]
            if not v:
                return None
            # A month, quarter or year ("2019-Q2" stored) is written as people write it: "Q2 2019".
            return put(fromiso(v)) if len(v) == 10 else put(format_uk_date(date_from_stored(v)))
        return date_cell
    if kind in ("deleted", "erased", "created", "changed"):
        put = CellSlot(ws, styles.stamp).put
        getter = {"created": lambda r: r.created_at, "changed": lambda r: r.updated_at}.get(kind, lambda r: r.values[i])

        def stamp_cell(h, r, redact=False):
            v = getter(r)
            return put(_datetime(v)) if v else None
        return stamp_cell
    put = CellSlot(ws).put
    if kind == "int":
        return lambda h, r, redact=False: None if (v := r.values[i]) is None else put(v)
    if kind == "version":
        return lambda h, r, redact=False: put(r.version)
    raise AssertionError(kind)


def _text_writer(ws, style, get, redactable=False):
    """Text cells of one column; ``style`` None for plain text (no style, as a bare write has)."""
    put = CellSlot(ws, style).put

    def write(h, r, redact=False):
        v = get(h, r)
        if not v or (redact and redactable):
            return None
        return put(v)
    return write


def _link_writer(ws, styles, i, email, personal):
    links, plain = CellSlot(ws, styles.link), CellSlot(ws).put

    def write(h, r, redact=False):
        v = r.values[i]
        if not v or (redact and personal):
            return None
        target = safe_link(("mailto:" + v) if email else v)
        return links.link(v, target) if target else plain(v)
    return write


def _too_long(sheet, writers, h, rec, redact):
    for col, w in zip(sheet.columns, writers):
        try:
            w(h, rec, redact)
        except CellTooLong:
            return ExchangeError(
                f"Nothing was exported: the {col.header} of {sheet.name[:-1].lower() if sheet.name != 'Attendance' else 'attendance'} "
                f"{store.dashed(h)} is longer than a spreadsheet cell can hold ({MAX_CELL_TEXT:,} characters once stored). "
                f"Shorten it and export again.")
    return ExchangeError("Nothing was exported: a text is longer than a spreadsheet cell can hold.")


def _datetime(value):
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _decisions(wb, names, merges, pairs, styles):
    """The Merges and Not duplicates sheets (format 3): every merge standing here and every pair said
    not to be duplicates, by ID, with names beside the IDs for people."""
    def ids(hexes):
        return ID_SEPARATOR.join(store.dashed(h) for h in hexes)

    def named(hexes):
        return ID_SEPARATOR.join(names.get(h, "") for h in hexes)

    merge_rows = [(store.dashed(m.hex), store.dashed(m.kept), names.get(m.kept, ""), ids(m.retired),
                   named(m.retired), m.at, m.council, m.user) for m in merges]
    pair_rows = [(store.dashed(p[0]), names.get(p[0], ""), store.dashed(p[1]), names.get(p[1], ""), p[2], p[3], p[4])
                 for p in pairs]
    for title, headers, rows in ((MERGES, MERGE_COLUMNS, merge_rows), (NOT_DUPLICATES, NOT_DUPLICATE_COLUMNS,
                                                                       pair_rows)):
        ws = cells_sheet(wb, title)
        for i, header in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = 38 if header.endswith("IDs") else 22
        ws.freeze_panes = "A2"
        ws.append([_header_cell(ws, _DecisionHeader(h), styles) for h in headers])
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, dt.datetime):
                    cell = WriteOnlyCell(ws, value)
                    cell.number_format = DATETIME_FORMAT
                    cells.append(cell)
                else:
                    cells.append(text_cell(ws, value) if value else None)
            ws.append(cells)


@dataclass(frozen=True)
class _DecisionHeader:
    header: str

    @property
    def kind(self):
        return "id" if self.header.endswith(("ID", "IDs")) else "text"


def _about(wb, result, state):
    ws = wb.create_sheet(ABOUT)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 70
    actor = current_actor()
    personal = ("included" if result.personal_data else
                f"left out: {', '.join(PERSONAL_FIELDS)} of people are empty in this file")
    rows = [
        ("Stakeholder Tracker exchange workbook", ""),
        ("Format version", FORMAT_VERSION),
        ("Exporting council", actor.council),
        ("Exported by", actor.user),
        ("Exported at", dt.datetime.now().replace(microsecond=0)),
        ("App version", __version__),
        ("Database ID", state.database_id),
        ("Personal data", personal),
        ("Changes since", result.since.strftime("%d/%m/%Y") if result.since else "everything (a full export)"),
        *((f"{name} rows", n) for name, n in result.counts.items()),
        ("", ""),
        ("How to use", "Edit the records in the other sheets and send the file back. Leave the grey ID, "
                       "Version, date, Row check and Based on columns alone: they are how records are matched and "
                       "how your edits are told from the exporting council's records. New rows need no ID. "
                       "To delete a record, put a date in its Deleted at column."),
    ]
    for key, value in rows:
        cells = [text_cell(ws, key)]
        if isinstance(value, str):
            cells.append(text_cell(ws, value) if value else None)
        elif isinstance(value, dt.datetime):
            c = WriteOnlyCell(ws, value)
            c.number_format = DATETIME_FORMAT
            cells.append(c)
        else:
            cells.append(value)
        ws.append(cells)

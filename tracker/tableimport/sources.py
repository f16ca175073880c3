"""Reading a partner's file into plain tables: every visible sheet as rows of cell values.

:func:`read_source` takes .xlsx, .xlsm (macros are data to python-calamine: never run), .ods and
.csv/.txt.  A workbook passes the exchange's gate first (``tracker.exchange.safety.check_file``:
size, zip bombs, lying headers, what the parser would allocate), then python-calamine reads the
checked bytes on a thread of its own (it lets go of the GIL while it parses), so that work of the
caller's that needs no cell (an import loads the held stakeholders for matching) is done meanwhile;
formula cells give their saved values (those saved without one are listed, ``formulas``), merged
areas are filled with their first cell's value (one organisation over several people; an .ods
file's areas read by ``odsmerged``, calamine gives only an .xlsx's), hidden sheets are listed but
never read.

A CSV is read once, bounded (``safety.read_bounded``), and decoded by :func:`decode`: UTF-8 with or
without a BOM, else Windows-1252, else Latin-1 (every byte is a Latin-1 character, so decoding
never fails and never guesses between far-apart encodings).  Why not charset-normalizer or
chardet: the partners' files come in exactly these three, and the rule above tells them apart
without a guess (UTF-8 rarely decodes by accident; Windows-1252 leaves five bytes undefined, which
is what tells Latin-1 files with C1 controls apart); a statistical detector can call a short
Windows-1252 file Greek or Turkish.  The delimiter (comma, semicolon, tab) is the one that splits
the first records into the most consistent number of fields (:func:`sniff_delimiter`, the idea
behind clevercsv's "pattern score" in twenty lines; the stdlib ``csv.Sniffer`` picks a letter
when a column is mostly one word).  Both are reported and can be overridden.

Row numbers are those a spreadsheet program shows: a sheet's own row numbers; a CSV's record
number, the first record being 1 (a quoted line break does not start a new record).
"""

import csv
import datetime as dt
import io
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tracker.exchange.safety import FileRefused, check_file, read_bounded, sha256
from tracker.tableimport import odsmerged
from tracker.tableimport.formulas import unsaved_formulas

WORKBOOK_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsm", ".ods": "ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
ENCODING_NAMES = {"utf-8-sig": "UTF-8 (with BOM)", "utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}
SNIFF_RECORDS = 50


@dataclass
class Sheet:
    name: str
    rows: list  # lists of cell values (str, float, int, bool, date, datetime or None)
    first_row: int = 1  # the row number the program shows for rows[0]
    first_column: int = 0  # the column index (0 = A) of each row's first value
    unsaved: dict = field(default_factory=dict)  # (row number, column index) -> "=formula" saved without its result


@dataclass
class Source:
    path: Path
    kind: str  # xlsx, xlsm, ods, csv
    sha256: str
    sheets: list  # Sheet, the visible ones in tab order
    hidden: list = field(default_factory=list)  # names of sheets not imported because they are hidden
    encoding: str = ""  # CSV only
    delimiter: str = ""

    @property
    def is_csv(self):
        return self.kind == "csv"


def refuse(path, reason):
    raise FileRefused(f"{Path(path).name} was not imported: {reason}")


def read_source(path, encoding=None, delimiter=None, meanwhile=None):
    """The file at ``path`` as a :class:`Source`, or FileRefused naming the file and why.  ``meanwhile(busy)``: work
    of the caller's done on this thread while python-calamine parses a workbook's sheets on another (it lets go of
    the GIL while it parses: a 10k-row sheet is 50-70 ms), then the parse is waited for; ``busy()`` tells whether it
    is still going on (for work only worth doing meanwhile).  Called after a CSV is read (``busy()`` False), and
    never for a file the gate refuses (its checks come first)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        source = _read_csv(path, encoding, delimiter)
        if meanwhile is not None:
            meanwhile(lambda: False)
        return source
    if suffix == ".fods":
        refuse(path, "it is a flat OpenDocument spreadsheet (.fods). Open it in LibreOffice and save it as an "
                     "OpenDocument Spreadsheet (.ods) or Excel Workbook (.xlsx), then try again.")
    return _read_workbook(path, meanwhile)  # the gate tells an .xls, a CSV under another name, or a non-spreadsheet


# ---- workbooks ----------------------------------------------------------------------------------------
def _read_workbook(path, meanwhile=None):
    checked = check_file(path, formats=("xlsm", "ods"), keep=_is_worksheet)
    if "META-INF/manifest.xml" in checked.members and _encrypted_ods(checked.data):
        refuse(path, "it is password-protected. Open it in LibreOffice with its password and save a copy without "
                     "one (File > Save As, 'Save with password' unticked), then try again.")
    kind = "ods" if any(n == "mimetype" for n in checked.members) else (
        "xlsm" if any(n.lower() == "xl/vbaproject.bin" for n in checked.members) else "xlsx")
    parsing = _Parsing(path, checked.data)  # (the gate has passed: now the parser may open it)
    broken = None
    try:
        spans = odsmerged.merged_areas(checked.data) if kind == "ods" else {}  # calamine gives none for .ods
        # (LibreOffice saves every result; the worksheets the gate decompressed are not decompressed again)
        unsaved = unsaved_formulas(checked.data, checked.parts) if kind != "ods" else {}
    except Exception as exc:  # broken or hostile XML (defusedxml refuses entities), a missing part
        broken = exc
    else:
        if meanwhile is not None:
            meanwhile(parsing.busy)
    finally:
        parsed, hidden = parsing.result()  # (refuses a file calamine cannot read: that sentence first)
    if broken is not None:
        refuse(path, f"the file is damaged or not a spreadsheet this app can read ({_short(broken)}).")
    sheets = []
    for name, rows, start, merged in parsed:
        _fill_merged(rows, merged or spans.get(name, []), start)
        sheets.append(Sheet(name, rows, first_row=start[0] + 1, first_column=start[1], unsaved=unsaved.get(name, {})))
    return Source(path, kind, sha256(checked.data), sheets, hidden)


class _Parsing:
    """python-calamine reading a checked workbook: the book opened here (it reads the bytes through Python calls, 16
    for a 0.5 MB file, each of which would wait for the GIL on a thread of its own), then each visible worksheet
    parsed on a thread of its own (the GIL let go) and made rows of values (:meth:`result` waits for them)."""

    def __init__(self, path, data):
        from python_calamine import CalamineWorkbook  # only when a workbook is read

        self.path, self.done, self.failed = path, None, None
        try:
            self.book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.metadata = self.book.sheets_metadata
        except Exception as exc:  # calamine's errors are plain exceptions with terse texts
            refuse(path, f"the file is damaged or not a spreadsheet this app can read ({_short(exc)}). If it opens "
                         f"in Excel or LibreOffice, save it from there as an Excel Workbook (.xlsx).")
        self.thread = threading.Thread(target=self._run, name="calamine", daemon=True)
        self.thread.start()

    def _run(self):
        try:
            self.done = self._parse()
        except BaseException as exc:  # (FileRefused, or anything unforeseen: raised again by result())
            self.failed = exc

    def _parse(self):
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        sheets, hidden = [], []
        for meta in self.metadata:
            if meta.visible != SheetVisibleEnum.Visible:  # Hidden and VeryHidden
                hidden.append(meta.name)
                continue
            if meta.typ != SheetTypeEnum.WorkSheet:  # chart sheets, dialog sheets, macro sheets hold no table
                continue
            try:
                sheet = self.book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=True)
                start = sheet.start or (0, 0)
                merged = sheet.merged_cell_ranges
            except Exception as exc:
                refuse(self.path, f"sheet '{meta.name}' cannot be read ({_short(exc)}).")
            rows = [r if r.__class__ is list else list(r) for r in rows]  # (calamine's rows are new lists already)
            sheets.append((meta.name, rows, start, merged))
        return sheets, hidden

    def busy(self):
        """Whether the sheets are still being parsed."""
        return self.thread.is_alive()

    def result(self):
        self.thread.join()
        if self.failed is not None:
            raise self.failed
        return self.done


def _is_worksheet(name):
    """A part holding an .xlsx worksheet (as ``formulas`` finds them: xl/worksheets/sheet1.xml)."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _encrypted_ods(data):
    """An OpenDocument file whose parts are encrypted says so in its manifest."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return b"encryption-data" in zf.read("META-INF/manifest.xml")[:1_000_000]


def _fill_merged(rows, merged, start):
    """Every cell of a merged area takes the area's first value (readers give it only to the first)."""
    top, left = start
    for (r0, c0), (r1, c1) in merged:
        r0, r1, c0, c1 = r0 - top, r1 - top, c0 - left, c1 - left
        if not (0 <= r0 < len(rows)) or c0 < 0 or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        if value is None or value == "":
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if rows[r][c] is None or rows[r][c] == "":
                    rows[r][c] = value


def _short(exc):
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


# ---- CSV ----------------------------------------------------------------------------------------------
def decode(data, encoding=None):
    """(text, encoding name): UTF-8 (a BOM or not), else Windows-1252, else Latin-1; or as told."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as exc:
            raise ValueError(f"it cannot be read as {encoding} ({exc})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text):
    """The delimiter splitting the first records most consistently into more than one field; comma
    when none does."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = []
        try:
            for i, record in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
                if i >= SNIFF_RECORDS:
                    break
                if any(cell.strip() for cell in record):
                    counts.append(len(record))
        except csv.Error:
            continue
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = (sum(1 for c in counts if c == common and c > 1), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path, encoding, delimiter):
    data = read_bounded(path)
    if b"\x00" in data[:4096]:
        refuse(path, "it is not a text file (it holds binary data); a CSV file was expected.")
    try:
        text, used = decode(data, encoding)
    except ValueError as exc:
        refuse(path, str(exc))
    delimiter = delimiter or sniff_delimiter(text)
    rows = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False):
            rows.append(list(record))
    except csv.Error as exc:
        refuse(path, f"record {len(rows) + 1} cannot be read as CSV ({exc}).")
    name = path.stem
    return Source(path, "csv", sha256(data), [Sheet(name, rows)], encoding=used, delimiter=delimiter)


def describe(source):
    """How the file was read, in words (shown with the preview)."""
    if source.is_csv:
        return (f"{source.path.name}: CSV, {ENCODING_NAMES.get(source.encoding, source.encoding)}, "
                f"{DELIMITERS.get(source.delimiter, repr(source.delimiter))}-separated")
    hidden = f"; hidden sheets not imported: {', '.join(source.hidden)}" if source.hidden else ""
    return f"{source.path.name}: {source.kind}, sheets {', '.join(s.name for s in source.sheets)}{hidden}"


def is_date(value):
    return isinstance(value, (dt.date, dt.datetime))

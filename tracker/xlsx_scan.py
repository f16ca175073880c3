"""What reading an .xlsx would cost, measured before any parser allocates for it.

python-calamine (Rust) sizes its memory from what a file *says*: a sheet's used area is the box
from its first to its last cell (a value at A1 and one at XFD1048576 asks for 17 billion cells),
and the shared-string table is pre-allocated from ``uniqueCount``.  An allocation that large
aborts the whole process, app included, with no exception to catch.  :func:`scan_part` streams one
decompressed part (worksheet or shared strings) in blocks, counting what the parser would build:
the rows and columns of the area holding values (cell references, and cells without references
placed the way readers place them; empty styled cells cost readers nothing and are not counted) and the number of shared strings, against hard limits.

This module decompresses nothing itself; the caller hands it blocks from a capped reader.
"""

import re
from functools import lru_cache

MAX_SHEET_CELLS = 3_000_000  # rows x columns of a sheet's used area (an exchange sheet of 100k rows uses ~2.5M)
MAX_SHEET_COLUMNS = 16_384  # Excel's own limit
MAX_SHARED_STRINGS = 3_000_000
MAX_TAG_BYTES = 1024 * 1024  # no start tag of a sane part is longer

# Readers store only cells that hold something; a self-closing <c .../> (a style, no value) costs nothing.
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?:\s[^>]*)?(?<!/)>")
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=[\"']([A-Z]{1,3})([0-9]{1,9})[\"'][^>]*(?<!/)>")
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_R_ATTR = re.compile(rb"\br=[\"']([A-Z]{0,3})([0-9]{0,9})[\"']")
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_UNIQUE = re.compile(rb"\buniqueCount=[\"']([0-9]+)[\"']")


MAX_DEPTH = 256  # SpreadsheetML nests about ten deep; deeper is an attack on recursive parsers
# MAX_DEPTH start tags in a row with no end tag between them (text, empty elements and comments may be).
_DEEP = re.compile(rb"(?:<[A-Za-z_][^<>]*(?<!/)>(?:[^<]|<[A-Za-z_][^<>]*/>|<!--(?:[^-]|-(?!->))*-->)*){%d}" % MAX_DEPTH)
_OVERLAP = 64 * 1024


class TooBig(Exception):
    """The part asks for more than a workbook of records needs; ``str()`` says what, in plain words."""


def column_number(letters):
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _complete_tags(blocks, name="part"):
    """Yield runs of bytes that end after a '>', so that no tag is split between runs; refuse nesting
    deeper than MAX_DEPTH (checked with the end of the previous run, so a nest split between runs is seen)."""
    tail = b""
    for text in _runs(blocks):
        if too_deep(tail + text):
            raise TooBig(f"its part {name} nests XML elements more than {MAX_DEPTH} deep, which no workbook does")
        tail = text[-_OVERLAP:]
        yield text


def too_deep(data):
    """``_DEEP.search(data)``, asked only of the stretches that could hold such a nest.

    Outside comments a nest holds no end tag ``</`` and is at least three bytes a start tag long,
    so without comments it lies inside one stretch between end tags at least 3 * MAX_DEPTH long;
    real sheets have few such stretches.  Any stretch that long contains a whole aligned window of
    half its length, so windows are probed with ``bytes.find`` (no copies) and only the stretches
    around windows without an end tag (and with MAX_DEPTH '<' at least) are searched.  Searching every start tag cost ~1.4 s per
    14 MB of XML; splitting at every end tag ~0.6 s per 100 MB; probing windows ~0.04 s.
    """
    if b"<!--" in data:  # a comment may hide "</" inside a nest: search it all
        return _DEEP.search(data) is not None
    need = 3 * MAX_DEPTH
    step = need // 2
    find, rfind = data.find, data.rfind
    searched_to = 0
    for start in range(0, len(data), step):
        if start < searched_to or find(b"</", start, start + step) >= 0:
            continue
        begin = max(rfind(b"</", 0, start + 1), 0)  # the stretch around the window
        end = find(b"</", start)
        end = len(data) if end < 0 else end
        searched_to = end
        # (a nest holds MAX_DEPTH '<': a long run of text, as a file of repeated entities has, is not searched;
        # the pattern backtracks through such a run at each start tag: 1 s for a 136 KB file)
        if end - begin >= need and data.count(b"<", begin, end) >= MAX_DEPTH and _DEEP.search(data, begin, end):
            return True
    return False


def _runs(blocks):
    carry = b""
    for block in blocks:
        data = carry + block
        cut = data.rfind(b">") + 1
        if cut == 0:
            carry = data
            if len(carry) > MAX_TAG_BYTES:
                raise TooBig("it holds a single XML tag longer than 1 MB, which no workbook needs")
            continue
        carry = data[cut:]
        yield data[:cut]
    if carry:
        yield carry


class SheetExtent:
    """Rows and columns a reader would lay out for one worksheet."""

    def __init__(self):
        self.max_row = self.max_col = 0
        self.cells = self.referenced_cells = 0
        # For cells without a reference: where the reader would put them.
        self.row = 0
        self.col = 0

    def feed_fast(self, text):
        """Count cells and rows; cells with references give the extent directly."""
        self.cells += len(_CELL.findall(text))
        refs = _CELL_REF.findall(text)
        self.referenced_cells += len(refs)
        if refs:
            self.max_col = max(self.max_col, max(column_number(c) for c in {c for c, _ in refs}))
            self.max_row = max(self.max_row, max(int(r) for r in {r for _, r in refs}))

    def feed_exact(self, text):
        """Walk every row and cell tag, placing unreferenced ones after the previous (as readers do)."""
        for m in _TAG.finditer(text):
            ref = _R_ATTR.search(m.group(2))
            if m.group(1) == b"row":
                self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
                self.col = 0
            else:
                if ref and ref.group(1):
                    self.col = column_number(ref.group(1))
                    if ref.group(2):
                        self.row = max(int(ref.group(2)), 1)
                else:
                    self.col += 1
                if not m.group(3):  # holds a value
                    self.max_col = max(self.max_col, self.col)
                    self.max_row = max(self.max_row, self.row, 1)

    def check(self, name):
        cells = self.max_row * self.max_col
        if self.max_col > MAX_SHEET_COLUMNS:
            raise TooBig(f"its sheet part {name} uses {self.max_col:,} columns; Excel allows {MAX_SHEET_COLUMNS:,}")
        if cells > MAX_SHEET_CELLS:
            raise TooBig(f"its sheet part {name} spans {self.max_row:,} rows by {self.max_col:,} columns "
                         f"({cells:,} cells); the limit is {MAX_SHEET_CELLS:,} cells. Remove empty rows and "
                         f"columns far from the data (select them, Delete), save and try again")


# Every writer we know (openpyxl, Excel, LibreOffice, Google Sheets) writes cells in one form,
# <c r="B12" ...>, for which an upper bound on the area can be had from a few C-speed scans instead
# of a regular expression per cell.  Anything else anywhere in the part takes the exact path.
_OTHER_CELL = re.compile(rb'<c(?! r="[A-Z]{1,3}[0-9]{1,7}")[\s/>]')  # an unprefixed cell not in that form
_PREFIXED_CELL = re.compile(rb":c[\s/>]")  # <x:c ...> (or text that merely looks like it)
_COLUMN = re.compile(rb'<c r="([A-Z]+)')


@lru_cache(maxsize=None)
def _rows_of_at_least(digits):
    return re.compile(rb'<c r="[A-Z]+([0-9]{%d,})"' % digits)


@lru_cache(maxsize=64)
def _cell_not_within(columns, digits):
    """A search for any cell that is not ``<c r="X123"`` with X one of ``columns`` and a row number
    of fewer than ``digits`` digits: a run without one adds nothing to the bound."""
    names = b"|".join(re.escape(c) for c in sorted(columns))
    return re.compile(rb'<c(?! r="(?:%s)[0-9]{1,%d}")[\s/>]' % (names, digits - 1))


def bound_sheet(name, blocks):
    """An upper bound on the area :func:`scan_sheet` would measure, in a few scans a block that do
    not look at cells one at a time; None when the part is not all in the common form or the bound
    is over the limit (the exact scan then decides).  Styled empty cells count here, so the bound is
    never below the real area.  The nesting check is the same as the exact scan's.

    Once the columns and the row-number length that matters are known, a run is searched once for
    a cell outside them; only a run holding one (a new column, a long row number, another form) is
    looked at further.
    """
    extent = SheetExtent()
    row_bound = 0
    columns_seen = set()
    known = None  # _cell_not_within(the columns so far, the digits that matter), once there is one
    for text in _complete_tags(blocks(), name):
        if _PREFIXED_CELL.search(text):
            return None
        if known is not None and not known.search(text):
            continue
        if _OTHER_CELL.search(text):
            return None
        columns = set(_COLUMN.findall(text))
        if not columns:
            continue  # no cells in this run (in the common form every cell tag has a reference)
        columns_seen |= columns
        extent.max_col = max(extent.max_col, max(map(column_number, columns)))
        # Only rows long enough to break the limit with the widest column so far are read one by one.
        digits = len(str(MAX_SHEET_CELLS // max(extent.max_col, 1)))
        rows = _rows_of_at_least(digits).findall(text)
        row_bound = max(row_bound, max(map(int, rows)) if rows else 10 ** (digits - 1) - 1)
        if extent.max_col > MAX_SHEET_COLUMNS or row_bound * extent.max_col > MAX_SHEET_CELLS:
            return None
        known = _cell_not_within(frozenset(columns_seen), digits) if digits > 1 and len(columns_seen) <= 64 else None
    extent.max_row = row_bound
    return extent


def scan_sheet(name, blocks):
    """Check one worksheet part, given as an iterable of decompressed byte blocks (re-iterable: a
    callable returning a fresh iterator).  Returns its SheetExtent (for a part in the common form,
    an upper bound on it: see :func:`bound_sheet`); raises TooBig."""
    bound = bound_sheet(name, blocks)
    if bound is not None:
        return bound
    extent = SheetExtent()
    for text in _complete_tags(blocks(), name):
        extent.feed_fast(text)
        extent.check(name)
    if extent.referenced_cells != extent.cells:
        # Some cells have no reference: place them exactly, as the reader will.
        extent = SheetExtent()
        for text in _complete_tags(blocks(), name):
            extent.feed_exact(text)
            extent.check(name)
    return extent


def scan_shared_strings(name, blocks):
    """Check the shared-string table: its declared size (pre-allocated by readers) and its real one."""
    count = 0
    declared = None
    for text in _complete_tags(blocks(), name):
        if declared is None:
            m = _UNIQUE.search(text)
            if m:
                declared = int(m.group(1))
                if declared > MAX_SHARED_STRINGS:
                    raise TooBig(f"its part {name} declares {declared:,} different texts; the limit is "
                                 f"{MAX_SHARED_STRINGS:,}")
        count += len(_SI.findall(text))
        if count > MAX_SHARED_STRINGS:
            raise TooBig(f"its part {name} holds more than {MAX_SHARED_STRINGS:,} different texts")
    return count

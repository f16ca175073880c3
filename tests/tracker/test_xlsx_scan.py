"""The pre-parser scan: sheets and string tables that would make python-calamine allocate
gigabytes (and abort the process) are caught from the bytes, quickly; real files pass."""

import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from tests.tracker import hostile
from tracker import xlsx_scan

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "xlsx-real"


def blocks_of(zf, name, size=64 * 1024, read=None):
    def gen():
        with zf.open(name) as part:
            while block := part.read(size):
                if read is not None:
                    read[name] = read.get(name, 0) + len(block)
                yield block
    return gen


def scan(path, read=None):
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                xlsx_scan.scan_sheet(info.filename, blocks_of(zf, info.filename, read=read))
            elif info.filename.endswith("sharedStrings.xml"):
                xlsx_scan.scan_shared_strings(info.filename, blocks_of(zf, info.filename, read=read))


@pytest.mark.parametrize("attack, reason", [
    (hostile.million_cells, "cells"),
    (hostile.million_cells_without_references, "cells"),
    (hostile.huge_string_table, "different texts"),
])
def test_what_would_abort_the_reader_is_refused(tmp_path, attack, reason):
    """Refused from the bytes: "quickly" is measured as work done, not seconds on a shared machine.  The
    parts claim up to 17 billion cells or 4 billion texts; the scan reads each part at most three times
    (the bound, the fast pass, the exact one), allocates under 1 MB, and runs a bounded number of Python
    steps (a loop over the claimed cells or texts would take billions)."""
    path = attack(tmp_path / "attack.xlsx")
    with zipfile.ZipFile(path) as zf:
        sizes = {info.filename: info.file_size for info in zf.infolist()}
    read, steps = {}, [0]

    def count(frame, event, arg):
        steps[0] += 1
        return count

    tracemalloc.start()
    sys.settrace(count)
    try:
        with pytest.raises(xlsx_scan.TooBig, match=reason):
            scan(path, read)
    finally:
        sys.settrace(None)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert read and all(n <= 3 * sizes[name] for name, n in read.items()), (read, sizes)
    assert peak < 1024 * 1024, peak
    assert steps[0] < 500_000, steps  # ~45,000 for the largest attack part here (75 kB of cells)


def test_extent_counts_cells_as_readers_place_them():
    extent = xlsx_scan.SheetExtent()
    extent.feed_exact(b'<row r="3"><c r="B3"><v>1</v></c><c></c><c><v>2</v></c></row><row><c><v>3</v></c></row>'
                      b'<x:row r="9"><x:c r="AA9" s="1"/></x:row><row r="1048576"><c s="2"/></row>')
    assert (extent.max_row, extent.max_col) == (4, 4)  # styled empty cells (AA9, the last row) hold nothing
    fast = xlsx_scan.SheetExtent()
    fast.feed_fast(b'<row r="3"><c r="B3" t="s"><v>0</v></c><c r="D3"><v>1</v></c></row>'
                   b'<row r="7"><c r="A7"><v>1</v></c><c r="XFD7" s="3"/></row>')
    assert (fast.max_row, fast.max_col) == (7, 4) and fast.cells == fast.referenced_cells == 3


def test_a_tag_split_across_blocks_is_still_seen():
    text = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="500"><c r="ZZ500"><v>2</v></c></row>'
    extent = xlsx_scan.scan_sheet("s", lambda: iter(text[i:i + 7] for i in range(0, len(text), 7)))
    assert (extent.max_row, extent.max_col) == (500, 702)  # (the scattered runs take the exact scan)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
def test_real_files_pass_or_are_refused_for_their_size_only():
    refused = []
    for path in sorted(CORPUS.glob("*.xls[xm]")):
        try:
            scan(path)
        except xlsx_scan.TooBig as exc:
            refused.append((path.name, str(exc)))
        except (zipfile.BadZipFile, KeyError, OSError, EOFError):
            pass  # damaged packages are the gate's business, not the scan's
    assert refused == []


def test_deep_nesting_is_refused_even_split_between_blocks():
    text = b"<worksheet><sheetData/>" + b"<x>a<y/>" * 3000 + b"</x>" * 3000 + b"</worksheet>"
    with pytest.raises(xlsx_scan.TooBig, match="deep"):
        xlsx_scan.scan_sheet("s", lambda: iter(text[i:i + 10_000] for i in range(0, len(text), 10_000)))
    shallow = b"<worksheet><sheetData>" + b'<row r="1"><c r="A1" t="inlineStr"><is><r><t>x</t></r></is></c></row>' * 5000
    xlsx_scan.scan_sheet("s", lambda: iter([shallow + b"</sheetData></worksheet>"]))


@pytest.mark.parametrize("text", [
    b"<a>" * 300, b"<a>" * 255 + b"</a>", b"<a><!-- </b> -->" * 300, b"<a>x<b/>" * 300,
    b"<a>" * 100 + b"</a>" + b"<a>" * 200, b"<a ><!----><b/>text" * 256, b"<x:a>" * 257, b"<a/>" * 500,
    b"<a>" * 255 + b"<!-- x --><c/>" + b"<d>", b"<r>" + b"<c><v>1</v></c>" * 400 + b"</r>",
    b"</a>" + b"<a>" * 256 + b"</a>", b"<a>" * 256,
    # long runs of text between start tags (a file of repeated entities): a nest is still one when deep enough
    b"<a>" + b"&a;" * 5000 + b"<b>" * 255, b"<a>" + b"&a;" * 5000 + b"<b>" * 254, b"<v>" + b"&a;" * 40_000 + b"</v>",
])
def test_the_nesting_check_finds_exactly_what_the_full_search_finds(text):
    """too_deep only searches stretches between end tags (outside comments); the answer must not change."""
    assert xlsx_scan.too_deep(text) == bool(xlsx_scan._DEEP.search(text))


def exact_extent(text):
    extent = xlsx_scan.SheetExtent()
    extent.feed_exact(text)
    return extent


_cells = st.lists(st.tuples(st.integers(1, 300), st.integers(1, 800), st.booleans()), max_size=40)
_long_sheets = st.lists(st.tuples(st.integers(1, 400_000), st.integers(1, 30), st.booleans()), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_cells, st.integers(1, 5000))
def test_the_quick_bound_is_never_below_the_exact_area(cells, block):
    """bound_sheet may overestimate (styled empty cells count) but never underestimate, whatever the
    block boundaries; so a part it passes is one the exact scan would pass too."""
    body = b"".join(
        (b'<row r="%d"><c r="%s%d" s="1"/></row>' if empty else b'<row r="%d"><c r="%s%d"><v>1</v></c></row>')
        % (row, get_column_letter(col).encode(), row) for row, col, empty in cells)
    text = b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"
    bound = xlsx_scan.bound_sheet("s", lambda: iter(text[i:i + block] for i in range(0, len(text), block)))
    exact = exact_extent(text)
    if block >= len(text):
        assert bound is not None  # in one block, 300 rows x 800 columns is well within the limit
    if bound is not None:  # (None: a wider column late in the part loosened the bound; the exact scan decides)
        assert bound.max_row >= exact.max_row and bound.max_col >= exact.max_col
        assert bound.max_col == max((col for _, col, _ in cells), default=0)  # columns are read exactly


@settings(max_examples=300, deadline=None)
@given(_long_sheets, st.integers(1, 5000))
def test_the_quick_bound_reads_long_row_numbers_whatever_the_blocks(cells, block):
    body = b"".join(b'<row r="%d"><c r="%s%d"><v>1</v></c></row>' % (row, get_column_letter(col).encode(), row)
                    for row, col, _ in sorted(cells))
    text = b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"
    bound = xlsx_scan.bound_sheet("s", lambda: iter(text[i:i + block] for i in range(0, len(text), block)))
    exact = exact_extent(text)
    if bound is None:
        return  # over the limit as far as the bound can tell: the exact scan decides
    assert bound.max_row >= exact.max_row and bound.max_col >= exact.max_col
    assert bound.max_row * bound.max_col <= xlsx_scan.MAX_SHEET_CELLS


@pytest.mark.parametrize("text", [
    b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c><v>2</v></c></row></sheetData>',  # a cell without a reference
    b"<sheetData><row r=\"1\"><c r='A1'><v>1</v></c></row></sheetData>",  # single quotes
    b'<sheetData><row r="1"><c s="1" r="A1"><v>1</v></c></row></sheetData>',  # reference not first
    b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData>',  # prefixed
    b'<sheetData><row r="1"><c r="1"><v>1</v></c></row></sheetData>',  # a reference without a column
])
def test_other_forms_take_the_exact_scan(text):
    assert xlsx_scan.bound_sheet("s", lambda: iter([text])) is None
    xlsx_scan.scan_sheet("s", lambda: iter([text]))  # and the exact scan decides (these pass)


def test_far_corners_in_the_common_form_are_refused():
    text = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    assert xlsx_scan.bound_sheet("s", lambda: iter([text])) is None
    with pytest.raises(xlsx_scan.TooBig, match="1,048,576 rows by 16,384 columns"):
        xlsx_scan.scan_sheet("s", lambda: iter([text]))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
def test_most_real_sheets_take_the_quick_bound():
    """The common form is what Excel, LibreOffice and openpyxl write: the quick bound is the usual path."""
    quick = other = 0
    for path in sorted(CORPUS.glob("*.xls[xm]")):
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            continue
        with zf:
            for info in zf.infolist():
                if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml"):
                    data = zf.read(info)
                    if xlsx_scan.bound_sheet(info.filename, lambda: iter([data])) is None:
                        other += 1
                    else:
                        quick += 1
    assert quick > 4 * other


_tokens = st.sampled_from([b"<a>", b"</a>", b"<b/>", b"text ", b"<c r=\"A1\">", b"x" * 200])


@pytest.mark.slow  # 300 generated texts, each searched in full
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_tokens, st.integers(1, 300)), max_size=8))
def test_the_nesting_check_agrees_with_the_full_search_on_generated_text(runs):
    text = b"".join(token * n for token, n in runs)
    assert xlsx_scan.too_deep(text) == bool(xlsx_scan._DEEP.search(text))


@pytest.mark.parametrize("late", [b'<c r="XFD7000"><v>1</v></c>', b'<c r="C1048576"><v>1</v></c>',
                                  b'<c s="1" r="XFD1048576"><v>1</v></c>'])
def test_a_far_cell_after_thousands_of_ordinary_rows_is_still_found(late):
    ordinary = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d" t="s"><v>2</v></c></row>' % (n, n, n)
                        for n in range(1, 5000))
    text = b"<worksheet><sheetData>" + ordinary + b'<row r="7000">' + late + b"</row></sheetData></worksheet>"
    with pytest.raises(xlsx_scan.TooBig, match="cells"):
        xlsx_scan.scan_sheet("s", lambda: iter(text[i:i + 4096] for i in range(0, len(text), 4096)))

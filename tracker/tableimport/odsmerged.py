"""The merged areas of an OpenDocument spreadsheet (.ods), which python-calamine does not report.

A LibreOffice sheet with one organisation merged over several people's rows keeps the value in the
first cell and marks it ``table:number-rows-spanned`` (the cells under it are covered cells): the
same merged areas an .xlsx lists, so ``sources`` fills them down alike.  ``content.xml`` is read
once with defusedxml (no entities, no external references), element by element and cleared as it
goes; repeated rows and cells (``number-rows-repeated``, which a hostile file sets to a billion) are
counted, never expanded.
"""

import io
import zipfile

from defusedxml.ElementTree import iterparse

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = "{" + TABLE + "}"
_CELLS = (_T + "table-cell", _T + "covered-table-cell")


def merged_areas(data):
    """{sheet name: [((first row, first column), (last row, last column))]} (0-based, as python-calamine
    gives an .xlsx's) of the .ods file ``data`` (bytes already through the hostile-file checks)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        content = zf.read("content.xml")
    if b"-spanned" not in content:
        return {}
    found, name, stack, row, column = {}, None, [], 0, 0
    for event, element in iterparse(io.BytesIO(content), events=("start", "end")):
        tag = element.tag
        if event == "start":
            parent = stack[-1] if stack else None
            stack.append(tag)
            if tag == _T + "table":
                name, row = element.get(_T + "name", ""), 0
            elif tag == _T + "table-row" and name is not None:
                column = 0
            elif tag in _CELLS and parent == _T + "table-row":
                rows = _count(element, "number-rows-spanned")
                columns = _count(element, "number-columns-spanned")
                if rows > 1 or columns > 1:
                    found.setdefault(name, []).append(((row, column), (row + rows - 1, column + columns - 1)))
                column += _count(element, "number-columns-repeated")
            continue
        stack.pop()
        if tag == _T + "table-row":
            row += _count(element, "number-rows-repeated")
        if tag in (_T + "table-row", _T + "table"):
            element.clear()
    return found


def _count(element, attribute):
    try:
        return max(1, int(element.get(_T + attribute, "1")))
    except ValueError:
        return 1

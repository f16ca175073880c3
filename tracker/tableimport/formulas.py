"""Formula cells an .xlsx holds without a saved result.

Excel and LibreOffice save each formula's result beside it, and the import reads those results
(python-calamine gives a formula cell its saved value).  A program that writes workbooks without
calculating them (openpyxl, many reporting tools) saves the formula alone: the cell reads as empty,
and a column of them would be imported as nothing.  :func:`unsaved_formulas` finds those cells so
that the import names them (``table.read_sheet``: the partner opens and saves the file in Excel or
LibreOffice first) instead of dropping their values without a word.

A formula whose saved result is an empty text (``t="str"`` with an empty ``<v>``) is a saved result.
The workbook has passed the exchange's gate (``tracker.exchange.safety``) before this reads it; the worksheets
the gate decompressed to measure them are handed over rather than decompressed again.
"""

import io
import posixpath
import re
import zipfile

from defusedxml import ElementTree

from tracker.xlsx_scan import column_number

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>((?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f\b.*?)</(?:\w+:)?c>",
                           re.DOTALL)
_REF = re.compile(rb"\br=[\"']([A-Z]{1,3})([0-9]{1,9})[\"']")
_TYPE = re.compile(rb"\bt=[\"'](\w+)[\"']")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?>([^<]+)</(?:\w+:)?v>")
_ENTITIES = {b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'", b"&amp;": b"&"}  # &amp; last


def unsaved_formulas(data, parts=None):
    """{sheet name: {(row number, column index from 0): "=formula"}} of the formula cells without a saved
    result in the .xlsx/.xlsm ``data`` (a shared formula's following cells as "=(shared formula)").
    ``parts``: {part name: bytes} of parts already decompressed (the gate's, ``check_file(keep=)``): not read again."""
    found = {}
    parts = parts or {}
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name, part in _sheet_parts(book).items():
            xml = parts.get(part)
            try:
                xml = book.read(part) if xml is None else xml
            except KeyError:
                continue
            if b"<f" not in xml and b":f" not in xml:
                continue
            cells = {}
            for m in _FORMULA_CELL.finditer(xml):
                attributes, body = m[1], m[2]
                kind = _TYPE.search(attributes)
                if _VALUE.search(body) or (kind and kind[1] != b"n"):  # a result saved (text results may be "")
                    continue
                ref = _REF.search(attributes)
                if ref is None:
                    continue
                formula = _FORMULA.search(body)
                text = _unescape(formula[1]) if formula and formula[1] else "(shared formula)"
                cells[(int(ref[2]), column_number(ref[1]) - 1)] = "=" + text
            if cells:
                found[name] = cells
    return found


def _sheet_parts(book):
    """{sheet name: the part holding it} from xl/workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if target:
            parts[sheet.get("name")] = (target.lstrip("/") if target.startswith("/")
                                        else posixpath.normpath(posixpath.join("xl", target)))
    return parts


def _unescape(raw):
    for entity, char in _ENTITIES.items():
        raw = raw.replace(entity, char)
    return raw.decode("utf-8", "replace")


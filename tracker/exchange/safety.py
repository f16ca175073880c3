"""The one gate every spreadsheet passes before any parser sees it.

:func:`check_file` refuses, with one sentence saying what is wrong and what to do, anything that
is not a plausible .xlsx: too big, not a zip (an OLE2 header means a password-protected workbook
or an old .xls), too many parts, parts that would expand beyond what a spreadsheet of records
needs (zip bombs), or whose real size differs from what the zip says (lying headers), and sheets
or string tables that would make the reader allocate far more than the file holds
(``tracker.xlsx_scan``).  The real sizes are measured by decompressing with a hard cap, so a
hostile file costs bounded time and memory.  The file is read once, bounded, and the bytes
checked are the bytes parsed (a file swapped after the check is never read).  Readers call
:func:`open_checked` rather than opening files themselves.
"""

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from tracker import xlsx_scan
from tracker.db import is_live_file
from tracker.errors import TrackerError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_TOTAL_UNCOMPRESSED = 1024 * 1024 * 1024  # all parts together, as declared and as measured
MAX_MEMBER_UNCOMPRESSED = 768 * 1024 * 1024
MAX_RATIO = 200  # a part expanding more than this (and past 10 MB) is treated as a bomb
RATIO_FLOOR = 10 * 1024 * 1024
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 1024 * 1024
MAX_KEPT = 256 * 1024 * 1024  # what check_file(keep=) hands back at most, all parts together


class ExchangeError(TrackerError):
    """A workbook cannot be used; the message names the file (and sheet, row, column) and why."""


class FileRefused(ExchangeError):
    """The file is refused before reading: not an .xlsx, too big, damaged or hostile."""


@dataclass(frozen=True)
class CheckedFile:
    path: Path
    size: int
    members: tuple  # names of the zip's parts
    data: bytes  # the file's bytes, read once: what was checked is what the reader parses
    parts: dict = field(default_factory=dict)  # name -> decompressed bytes of the parts the caller asked to keep


def _refuse(path, reason):
    raise FileRefused(f"{Path(path).name} was not imported: {reason}")


def read_bounded(path):
    """The bytes of ``path``, read once and at most MAX_FILE_BYTES of them, or FileRefused saying why not
    (the database itself, not a file, too big, missing, unreadable, empty).  Any file a person gives
    the app passes here first, a CSV too."""
    path = Path(path)
    if is_live_file(path):  # reading it would close a descriptor of a file SQLite holds locks on
        _refuse(path, "it is the database the app has open (or one of its working files), not a workbook.")
    try:
        size = path.stat().st_size
        if not path.is_file():
            _refuse(path, "it is not a file.")
        if size > MAX_FILE_BYTES:
            _refuse(path, f"it is {size // (1024 * 1024)} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        _refuse(path, "the file does not exist.")
    except PermissionError:
        _refuse(path, "permission denied; copy it somewhere you can read and try again.")
    except OSError as exc:
        _refuse(path, f"it cannot be read ({exc.strerror or exc}).")
    size = len(data)
    if size == 0:
        _refuse(path, "the file is empty.")
    if size > MAX_FILE_BYTES:  # it grew after stat()
        _refuse(path, f"it is over the limit of {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return data


def check_file(path, formats=("xlsx",), keep=None):
    """Check ``path`` is a sane .xlsx before a parser opens it; returns a :class:`CheckedFile`.

    ``formats``: what else is welcome besides a plain .xlsx: ``"xlsm"`` (a workbook with macros,
    read as data: python-calamine never runs them) and ``"ods"`` (an OpenDocument spreadsheet).
    The exchange takes only .xlsx; a partner's table (``tracker.tableimport``) any of them.
    ``keep(part name)``: whether to hand back a part's bytes as the check decompressed them
    (``CheckedFile.parts``, at most :data:`MAX_KEPT` bytes in all), so that a caller reading it too
    does not decompress it again.
    """
    path = Path(path)
    data = read_bounded(path)
    size = len(data)
    head = data[:8]
    if head == OLE2_MAGIC:
        _refuse(path, "it is password-protected or an old Excel 97-2003 (.xls) file. Remove the password, or "
                      "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx), then try again.")
    if head[:4] not in ZIP_MAGIC:
        _refuse(path, "it is not an Excel workbook (.xlsx). Open it in Excel or LibreOffice and save it as an "
                      "Excel Workbook (.xlsx), then try again.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                _refuse(path, f"it has {len(infos)} parts, more than any workbook of records needs.")
            declared = sum(i.file_size for i in infos)
            if declared > MAX_TOTAL_UNCOMPRESSED:
                _refuse(path, "it would expand to more than 1 GB; it looks like a zip bomb, not a workbook.")
            names = tuple(i.filename for i in infos)
            is_ods = "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:100]
            if is_ods and "ods" in formats:
                pass
            elif "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                if is_ods:
                    _refuse(path, "it is an OpenDocument spreadsheet (.ods), not an Excel workbook. Open it in "
                                  "LibreOffice and save it as an Excel Workbook (.xlsx), then try again.")
                _refuse(path, "it is a zip file but not an Excel workbook (.xlsx). If it opens in Excel or "
                              "LibreOffice, save it from there as an Excel Workbook (.xlsx) and try again.")
            if "xlsm" not in formats and any(n.lower() == "xl/vbaproject.bin" for n in names):
                _refuse(path, "it contains macros (.xlsm). Save it as an Excel Workbook (.xlsx) without macros.")
            measured = 0
            kept, room = {}, MAX_KEPT
            for info in infos:
                wanted = keep is not None and info.file_size <= room and keep(info.filename)
                room -= info.file_size if wanted else 0
                measured += _measure(zf, info, path, kept if wanted else None)
                if measured > MAX_TOTAL_UNCOMPRESSED:
                    _refuse(path, "it expands to more than 1 GB; it looks like a zip bomb, not a workbook.")
    except zipfile.BadZipFile:
        _refuse(path, "the file is damaged (it is not a complete zip archive). Ask for it to be sent again.")
    except (zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
        _refuse(path, f"the file is damaged ({exc}). Ask for it to be sent again.")
    return CheckedFile(path, size, names, data, kept)


def _measure(zf, info, path, kept=None):
    """The real uncompressed size of one part, read with caps (a lying header cannot make us read more),
    and, for XML parts, what a reader would allocate for it (see ``tracker.xlsx_scan``).  ``kept``: a dict
    given the part's bytes (name -> bytes) when they were read whole."""
    if info.flag_bits & 0x1:
        _refuse(path, "it is encrypted. Remove the password and save it again as .xlsx.")
    limit = min(MAX_MEMBER_UNCOMPRESSED, max(RATIO_FLOOR, info.compress_size * MAX_RATIO))
    if info.file_size > limit:
        _refuse(path, f"its part {info.filename} would expand {info.file_size // max(info.compress_size, 1)} "
                      "times; it looks like a zip bomb, not a workbook.")
    measured = [0]
    read = []  # the blocks of the last reading, when kept

    def blocks():
        # zipfile stops at the declared size and checks the CRC, so a lying header ends in an error, not
        # in unbounded output; the cap also bounds what we decompress before finding out.  Every part
        # is read, small ones too: python-calamine's own zip reader is not trusted to stop.
        measured[0] = 0
        read.clear()
        with zf.open(info) as part:
            while True:
                block = part.read(CHUNK)
                if not block:
                    if kept is not None:  # read to its end (and its CRC checked): the whole part
                        kept[info.filename] = b"".join(read)
                    return
                measured[0] += len(block)
                if measured[0] > limit:
                    _refuse(path, f"its part {info.filename} expands far beyond its stated size; it looks like "
                                  "a zip bomb, not a workbook.")
                if kept is not None:
                    read.append(block)
                yield block

    name = info.filename
    try:
        if name.lower().endswith("sharedstrings.xml"):
            xlsx_scan.scan_shared_strings(name, blocks)
        elif name.lower().endswith(".xml"):  # any part a workbook's relationships could name as a sheet
            xlsx_scan.scan_sheet(name, blocks)
        else:
            for _ in blocks():
                pass
    except xlsx_scan.TooBig as exc:
        _refuse(path, f"{exc}.")
    return measured[0]


def open_checked(path):
    """Check ``path`` and return a python-calamine workbook for it (the only way files are opened)."""
    checked = check_file(path)
    from python_calamine import CalamineWorkbook

    try:
        return checked, CalamineWorkbook.from_filelike(io.BytesIO(checked.data))
    except Exception as exc:  # calamine's errors are plain exceptions with terse texts
        _refuse(path, f"the file is damaged or not a workbook this app can read ({_short(exc)}). If it opens in "
                      f"Excel or LibreOffice, save it from there as an Excel Workbook (.xlsx); otherwise ask for "
                      f"it to be sent again.")


def _short(exc):
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


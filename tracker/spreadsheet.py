"""What every workbook we write shares: cells that can never be formulas, safe links, atomic saves.

Used by the exchange workbook and by every report.  openpyxl turns any string starting with
``=`` into a formula; :func:`text_cell` forces a string cell instead, and marks text that a
spreadsheet program could take for a formula when a person edits it (``=``, ``+``, ``-``,
``@``, tab, CR) with Excel's quote prefix, so it stays text there too while the stored value is
byte-identical.  :func:`csv_safe` is the equivalent for CSV, where no cell type exists.
:func:`save_atomically` writes beside the target and renames, so a crash or a full disk never
leaves a half-written file under the target's name.
"""

import contextlib
import copy
import errno
import gc
import os
import re
import sys
from pathlib import Path

from openpyxl.cell import WriteOnlyCell

from tracker.db import is_live_file
from tracker.errors import TrackerError

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


# OOXML strings escape characters XML cannot carry (CR would come back as LF; most control
# characters are illegal) as _xHHHH_, and a literal "_xHHHH_" as _x005F_xHHHH_ (ECMA-376 ST_Xstring).
_NEEDS_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")


MAX_CELL_TEXT = 32_767  # characters one cell holds (Excel's limit; readers truncate beyond it)


class CellTooLong(TrackerError):
    """A text does not fit one spreadsheet cell; the file was not written."""


def ooxml_escape(text):
    """Text as it must be stored in a cell so that every reader gets back exactly ``text``."""
    escaped = _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if escaped and not escaped.strip():
        # openpyxl writes whitespace-only text without xml:space="preserve", so readers drop it
        escaped = f"_x{ord(escaped[0]):04X}_{escaped[1:]}"
    return escaped


def looks_like_formula(text):
    return isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)


def stored_text(value):
    """(``value`` as a cell stores it, whether it needs the quote prefix); CellTooLong if it does not fit."""
    stored = ooxml_escape(value)
    if len(stored) > MAX_CELL_TEXT:
        raise CellTooLong(f"a text of {len(value):,} characters takes {len(stored):,} once stored, more than the "
                          f"{MAX_CELL_TEXT:,} one spreadsheet cell holds; shorten it")
    return stored, looks_like_formula(value)


def text_cell(ws, value, style=None):
    """A write-only cell holding ``value`` as a string, never a formula.

    ``style``: a named style's name, or its array from :func:`style_array` (the same style without
    looking the name up for every cell: at 100k rows that lookup was a fifth of writing a report).
    """
    stored = stored_text(value)[0] if isinstance(value, str) else value
    cell = WriteOnlyCell(ws, value=stored)
    if style is not None:
        # First: a style replaces the whole style, quote prefix too.
        if isinstance(style, str):
            cell.style = style
        else:
            cell._style = copy.copy(style)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def style_array(ws, name):
    """The style array of the named style ``name`` (already added to the workbook), for :func:`text_cell`."""
    cell = WriteOnlyCell(ws)
    cell.style = name
    return cell._style


def safe_link(url):
    """``url`` if it may become a hyperlink (http, https, mailto), else None."""
    if isinstance(url, str) and url.strip().lower().startswith(SAFE_LINK_SCHEMES):
        return url.strip()
    return None


def csv_safe(value):
    """Text for a CSV cell that no spreadsheet program will evaluate (OWASP's quote prefix)."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


class WriteFailed(TrackerError):
    """The file could not be written; nothing was left under its name."""


def _let_go_quietly(workbook, exc):
    """After a failed save (a full disk), release openpyxl's half-written state now, silently: its zip
    archive and unfinished write-only sheets would otherwise print "Exception ignored" tracebacks
    when they are collected, after the user was given the clear message."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        error = exc
        while error is not None:  # the frames of the failed save hold the archive
            error.__traceback__ = None
            error = error.__context__
        for ws in getattr(workbook, "_sheets", ()):
            rows = getattr(ws, "_rows", None)
            if rows is not None:
                with contextlib.suppress(Exception):
                    rows.close()
        gc.collect()
    finally:
        sys.unraisablehook = hook


def save_atomically(workbook, path):
    """Save ``workbook`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    if not path.parent.is_dir():
        raise WriteFailed(f"Cannot write {path}: the folder {path.parent} does not exist.")
    if is_live_file(path):  # the rename would put a workbook where SQLite keeps writing the database
        raise WriteFailed(f"Cannot write {path}: it is the database the app has open (or one of its working "
                          f"files). Choose another file name.")
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        # 0600 like the database: what we write holds personal data; people share it by sending it.
        with os.fdopen(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb") as fh:
            workbook.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        _let_go_quietly(workbook, exc)
        if exc.errno == errno.ENOSPC:
            raise WriteFailed(f"Cannot write {path}: the disk is full. Nothing was written; free some space "
                              f"and try again.") from exc
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise WriteFailed(f"Cannot write {path}: permission denied. Choose another folder.") from exc
        raise WriteFailed(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path

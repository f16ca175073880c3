"""Real damage to a database file, for tests: b-tree pages overwritten, the file header left valid.

A garbage header is refused before SQLite reads anything (``tracker.db`` checks the magic); the
damage people actually meet (a bad sector, a copy cut short by a USB stick pulled out, a sync tool
writing over part of the file) leaves a file that opens and then fails on the first query that
reads the bad page with "database disk image is malformed".  :func:`damage_table` makes exactly
that: it finds the pages of one table (through the ``dbstat`` virtual table, or the table's root
page from ``sqlite_master`` where SQLite was built without it) and overwrites them in place.
"""

import sqlite3
from pathlib import Path

# Byte 0 of a b-tree page is its type (2, 5, 10 or 13); 0xFF is none of them, so SQLite reports
# SQLITE_CORRUPT on the first read of the page, whatever else the bytes happen to contain.
GARBAGE = b"\xff" * 512


def table_pages(path, table):
    """The b-tree pages of ``table`` (or of an index) as (page number, "internal" | "leaf"), in tree order."""
    con = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        try:
            rows = con.execute("SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY path",
                               (table,)).fetchall()
        except sqlite3.OperationalError:  # no dbstat in this SQLite: the root page is all we know
            root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
            rows = [(root[0], "leaf")] if root else []
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
    finally:
        con.close()
    if not rows:
        raise ValueError(f"no table {table} in {path}")
    return rows, page_size


def damage_table(path, table, which="root"):
    """Overwrite pages of ``table`` (or of an index) in the closed database file at ``path``; returns
    their numbers.

    ``which``: "root" (the table's root page: every read of the table fails, including the
    ``MAX(rowid)`` the app reads when it opens a database), or "leaves" (the leaf pages in the
    middle of the table: opening works, counting or listing the table fails).
    """
    path = Path(path)
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        raise AssertionError(f"{path} is still open (its WAL holds changes): close it first")
    rows, page_size = table_pages(path, table)
    if which == "root":
        pages = [rows[0][0]]
    else:
        leaves = [page for page, kind in rows if kind == "leaf"]
        pages = leaves[1:-1]  # the first and the last stay readable, so only a scan meets the damage
        if not pages:
            raise ValueError(f"{table} has too few pages to damage only the middle ones")
    with open(path, "r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * page_size)
            fh.write(GARBAGE)
    return pages

"""File types by name alone, so that no file dialog in the app opens the database to sniff its type.

Qt's file dialog (and a GTK one, when Qt uses the GTK platform theme) tells file types apart by
name and, when the name is not enough, by opening the file and reading its first bytes.  Listing
the database's folder then opens and closes ``tracker.db-shm``, ``tracker.db`` and
``tracker.db-wal``, and on Linux and macOS closing any descriptor of a file drops every lock the
process holds on it, SQLite's included.  ``tracker.filelocks`` makes the database safe whatever
opens it; this module stops the dialogs opening it at all, which also keeps the locks SQLite takes
for each transaction: :func:`install` adds ``resources/xdg`` to the folders where the
freedesktop.org shared MIME database is looked up (``XDG_DATA_DIRS``), whose definitions name a
type for ``*.db``, ``*.sqlite``, ``*-wal``, ``*-shm`` and ``*-journal`` by name.  Call it before
the first file dialog (``ui.app.start`` does, before the QApplication exists).  Windows and macOS
do not read these folders, and Windows does not have the problem.
"""

import os
import sys

from ui.resources import resource_path

DEFAULT_DATA_DIRS = "/usr/local/share:/usr/share"  # what the XDG specification means when the variable is unset


def data_folder():
    return resource_path("xdg")


def install():
    """Make the app's file type definitions visible to Qt and GLib in this process (idempotent)."""
    if sys.platform in ("win32", "darwin"):
        return False
    folder = str(data_folder())
    current = os.environ.get("XDG_DATA_DIRS") or DEFAULT_DATA_DIRS
    if folder not in current.split(os.pathsep):
        os.environ["XDG_DATA_DIRS"] = os.pathsep.join([folder, current])
    return True

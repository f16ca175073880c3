"""A folder that really cannot be written, for the read-only database tests (the domain's and the app's).

Root ignores permission bits (and tests may run as root, as scripts/run-tests may), so as root the
folder is a read-only bind mount of a writable one (writes fail with EROFS for everyone, root too);
otherwise the files are 0444 in a 0555 folder.  Either way ``os.access`` and SQLite both see it
read-only, as a user's read-only share or folder would be.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_folder(*files):
    """A read-only folder holding copies of ``files`` (with their names); yields its path."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-ro-"))
    inner, view = folder / "inner", folder / "view"
    inner.mkdir()
    view.mkdir()
    for f in files:
        shutil.copy(f, inner / Path(f).name)
    mounted = False
    try:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(inner), str(view)],
                                     capture_output=True, check=False).returncode == 0
            if not mounted:  # a container without the right to mount: nothing here can be made read-only
                pytest.skip("running as root where no read-only bind mount is possible: permissions cannot be tested")
            subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
            yield view
        else:
            for f in inner.iterdir():
                os.chmod(f, 0o444)
            os.chmod(inner, 0o555)
            yield inner
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(view)], check=False)
        os.chmod(inner, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def read_only_copy(source):
    """A copy of the database ``source`` that really cannot be written (nor its folder)."""
    with read_only_folder(source) as folder:
        yield folder / Path(source).name

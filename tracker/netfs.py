"""Is a file on a network drive?  SQLite's WAL mode needs memory shared by every program using the
database, which a network file system cannot give: on one it must use a rollback journal.

Councils keep files on an H: drive (a Windows share), an SMB/CIFS or NFS mount, or a folder synced
through a FUSE client.  :func:`network_filesystem` names the kind of network file system a path is
on, or returns None for a local disk (or where it cannot tell: macOS and others).

Linux: the mount holding the path, from ``/proc/self/mountinfo``.  Windows: a UNC path
(``\\\\server\\share\\…``) or a drive letter Windows reports as remote (``GetDriveTypeW``).
"""

import os
import sys
from pathlib import Path, PureWindowsPath

MOUNTINFO = "/proc/self/mountinfo"

# File system types (as mountinfo names them) that reach another computer.
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre", "gpfs",
    "ocfs2", "gfs2", "davfs", "coda", "orangefs", "beegfs",
    "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.glusterfs", "fuse.davfs2", "fuse.smbnetfs",
    "fuse.cephfs", "fuse.juicefs", "fuse.goofys", "fuse.onedriver", "fuse.dropbox",
})
DRIVE_REMOTE = 4  # GetDriveTypeW


def _unescape(field):
    r"""mountinfo writes space, tab, newline and backslash in paths as \040, \011, \012, \134."""
    out, i = [], 0
    while i < len(field):
        code = field[i + 1:i + 4]
        if field[i] == "\\" and len(code) == 3 and code.isdigit():
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_of(path, mountinfo_text):
    """(mount point, file system type) of the mount holding ``path`` (an absolute, resolved path)."""
    best = ("/", None)
    target = str(path)
    for line in mountinfo_text.splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5:
            continue
        point = _unescape(fields[4])
        fstype = right.split()[0] if right.split() else None
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best[0]):  # later lines win on ties: they are mounted on top
            best = (point, fstype)
    return best


def _existing(path):
    """The path itself when it exists, else its nearest existing folder (a new database's folder)."""
    path = Path(path).expanduser().absolute()
    while not path.exists() and path.parent != path:
        path = path.parent
    return path.resolve()


def network_filesystem(path, *, platform=None, mountinfo=None, drive_type=None):
    """The kind of network file system ``path`` is on (e.g. "nfs4", "cifs", "Windows network drive"), or None.

    ``platform``, ``mountinfo`` (the text of /proc/self/mountinfo) and ``drive_type`` (a function
    from a drive root to GetDriveTypeW's answer) are for tests.
    """
    platform = platform or sys.platform
    if platform == "win32":
        return _windows(str(path), drive_type)
    if not platform.startswith("linux"):
        return None
    if mountinfo is None:
        try:
            with open(MOUNTINFO, encoding="utf-8", errors="replace") as fh:
                mountinfo = fh.read()
        except OSError:
            return None
        path = _existing(path)
    _, fstype = mount_of(path, mountinfo)
    return fstype if fstype in NETWORK_TYPES else None


def _windows(path, drive_type=None):
    win = PureWindowsPath(path)
    if win.drive.startswith(("\\\\", "//")):
        return "Windows network share"
    if not win.drive:
        return None
    if drive_type is None:
        drive_type = _get_drive_type
    return "Windows network drive" if drive_type(win.drive + "\\") == DRIVE_REMOTE else None


def _get_drive_type(root):  # Windows only
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(os.fspath(root))

"""Locks this process holds on an open SQLite file beside SQLite's own, and reading such a file safely.

Why this exists: on Linux and macOS a process's POSIX record locks on a file belong to the process
and the file, and closing *any* descriptor of that file drops them all (fcntl(2); "How To Corrupt
An SQLite Database File" §2.2).  In WAL mode SQLite keeps two locks for as long as a connection
is open: a shared lock on the database file (so that no other process believes it is the last
one and checkpoints and deletes the WAL when it closes) and a shared lock on the "dead man switch"
byte of the ``-shm`` file (so that no other process believes nobody uses the WAL index and
rebuilds it).  Qt's file dialog opens and closes the files it lists to sniff their type, and so
can any other code in the process; after that, the next ``tracker`` command deletes the WAL the
app is still writing to, the two stop seeing each other's changes, and the file is corrupted.

- :class:`WalGuard` holds those same two locks as *open file description* (OFD) locks, which
  belong to one descriptor rather than to the process, so closing other descriptors of the file
  does not drop them.  Shared locks do not conflict with SQLite's own in this process or in
  others; they only stop another process from taking the exclusive locks that would make it
  delete the WAL or rebuild the index while this process uses them.
- The descriptors behind them are kept open for the life of the process and reused
  (:func:`handle`): closing one would itself drop SQLite's locks.  :func:`read_head` reads the
  start of a file through that descriptor when the process has one, so checking a database's
  header never closes a descriptor of a file SQLite has open.
- :class:`Presence` is the app's "open elsewhere" record: each running app takes an exclusive
  lock on one byte of a range of the database file that SQLite never uses, and counts the bytes
  locked by others.  The kernel drops a lock when its process ends, so a crash cannot leave the
  record stuck.

OFD locks exist on Linux.  Elsewhere :class:`WalGuard` does nothing (Windows locks belong to a
handle, so it does not need it; on macOS the app relies on not opening the files itself) and
:class:`Presence` falls back to process locks (POSIX) or to nothing (Windows).
"""

import errno
import logging
import os
import struct
import threading
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

log = logging.getLogger(__name__)

OFD = fcntl is not None and hasattr(fcntl, "F_OFD_SETLK")
POSIX = fcntl is not None

# SQLite's lock bytes (os_unix.c): the database file's locks sit on the page at 1 GiB, which
# SQLite never uses for data; the SHARED lock is a read lock on SHARED_FIRST..+510.
PENDING_BYTE = 0x40000000
SHARED_FIRST = PENDING_BYTE + 2
# The -shm file's "dead man switch": (22 + SQLITE_SHM_NLOCK) * 4 + SQLITE_SHM_NLOCK, NLOCK = 8.
SHM_DMS = 128
# Presence slots: after the 512 bytes SQLite locks, inside the lock page (4 KiB pages), never data.
PRESENCE_FIRST = PENDING_BYTE + 2048
PRESENCE_SLOTS = 32

GUARD_WAIT_S = 5  # another process may hold an exclusive lock for a moment (its own close)

_registry_lock = threading.Lock()
_handles = {}  # (st_dev, st_ino) -> descriptor, open until the process ends


def _key(st):
    return (st.st_dev, st.st_ino)


def handle(path):
    """A descriptor of ``path`` that stays open for the life of the process (one per file), or None.

    Used for files SQLite has open or is about to open: their descriptors must never be closed
    while SQLite uses the file.
    """
    with _registry_lock:
        try:
            key = _key(os.stat(path))
        except OSError:
            return None
        fd = _handles.get(key)
        if fd is not None:
            return fd
        flags = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, os.O_RDWR | flags)
        except OSError:
            try:
                fd = os.open(path, os.O_RDONLY | flags)
            except OSError:
                return None
        key = _key(os.fstat(fd))  # the file we really opened, even if renamed meanwhile
        if key in _handles:  # another thread registered it first
            os.close(fd)  # safe: that thread's descriptor stays open, and both are ours
            return _handles[key]
        _handles[key] = fd
        return fd


def is_held(path):
    """True when ``path`` is a file this process keeps a descriptor of (a live database or its -shm)."""
    try:
        return _key(os.stat(path)) in _handles
    except OSError:
        return False


def read_head(path, size):
    """The first ``size`` bytes of ``path``, read without closing a descriptor of a file SQLite uses.

    A file this process already holds is read through its kept descriptor; any other file is
    opened and closed as usual (the process holds no lock on it that closing could drop).
    """
    try:
        key = _key(os.stat(path))
    except FileNotFoundError:
        raise
    fd = _handles.get(key)
    if fd is not None:
        return os.pread(fd, size, 0)
    with open(path, "rb") as fh:
        return fh.read(size)


def _flock(kind, start, length=1):
    # struct flock: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid (0 for OFD).
    return struct.pack("hhqqi4x", kind, os.SEEK_SET, start, length, 0)


def _ofd_lock(fd, kind, start, length=1):
    """Take (or drop, with F_UNLCK) an OFD lock without waiting; False when another holds a conflicting one."""
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _flock(kind, start, length))
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise


def _conflicting(fd, kind, start, command):
    """True when a lock held elsewhere would conflict with ``kind`` on byte ``start``."""
    result = fcntl.fcntl(fd, command, _flock(kind, start))
    return struct.unpack("hhqqi4x", result)[0] != fcntl.F_UNLCK


class WalGuard:
    """The two shared locks SQLite relies on in WAL mode, held as OFD locks (see the module docstring)."""

    def __init__(self, path):
        self.path = Path(path)
        self.held = []  # (descriptor, byte)

    def hold(self, wait_s=GUARD_WAIT_S):
        """Take both locks; True when held, False where OFD locks do not exist.

        Raises OSError(EAGAIN) if another process keeps an exclusive lock longer than ``wait_s``
        (it is checkpointing as it closes, or initialising the WAL index).
        """
        if not OFD or self.held:
            return bool(self.held)
        wanted = [(self.path, SHARED_FIRST), (Path(f"{self.path}-shm"), SHM_DMS)]
        deadline = time.monotonic() + wait_s
        for file, byte in wanted:
            fd = handle(file)
            if fd is None:
                continue  # no -shm: not in WAL mode, nothing to guard there
            while not _ofd_lock(fd, fcntl.F_RDLCK, byte):
                if time.monotonic() > deadline:
                    self.release()
                    raise OSError(errno.EAGAIN, f"{file} stays locked by another program")
                time.sleep(0.01)
            self.held.append((fd, byte))
        return bool(self.held)

    def release(self):
        """Drop the locks (the descriptors stay open: closing them would drop SQLite's own locks)."""
        for fd, byte in self.held:
            try:
                _ofd_lock(fd, fcntl.F_UNLCK, byte)
            except OSError:
                log.warning("could not release a guard lock", exc_info=True)
        self.held = []


class Presence:
    """This app's mark on a database file, and how many other app windows have marked it.

    One exclusive lock on one byte of :data:`PRESENCE_SLOTS` per running app; counting the
    bytes another holds tells whether the database is open in another window or on another
    computer (where the network file system passes locks on).  The kernel drops the lock when
    the process ends, however it ends.  OFD locks where they exist; elsewhere on POSIX, process
    locks through ``fcntl.lockf`` (which SQLite closing its own descriptor may drop: the mark
    is advisory, never what keeps data safe).
    """

    def __init__(self, path):
        self.path = Path(path)
        self.fd = None
        self.slot = None

    def _try(self, fd, slot):
        """Take slot ``slot``'s lock if free; True when taken."""
        byte = PRESENCE_FIRST + slot
        if OFD:
            return _ofd_lock(fd, fcntl.F_WRLCK, byte)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, byte, os.SEEK_SET)
            return True
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise

    def _drop(self, fd, slot):
        byte = PRESENCE_FIRST + slot
        if OFD:
            _ofd_lock(fd, fcntl.F_UNLCK, byte)
        else:
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, byte, os.SEEK_SET)

    def _taken_elsewhere(self, fd, slot):
        if OFD:
            return _conflicting(fd, fcntl.F_WRLCK, PRESENCE_FIRST + slot, fcntl.F_OFD_GETLK)
        if not self._try(fd, slot):  # process locks never conflict with this process's own
            return True
        self._drop(fd, slot)
        return False

    def join(self):
        """Mark the file as open here; True when marked (False where locks are unavailable or all slots are taken)."""
        if not POSIX or self.slot is not None:
            return self.slot is not None
        fd = handle(self.path)
        if fd is None:
            return False
        for slot in range(PRESENCE_SLOTS):
            try:
                taken = self._try(fd, slot)
            except OSError as exc:
                if exc.errno == errno.EBADF:  # the file could only be opened read-only
                    return False
                raise
            if taken:
                self.fd, self.slot = fd, slot
                return True
        return False

    def others(self):
        """How many other running apps have this file open (0 where it cannot be told)."""
        if not POSIX:
            return 0
        fd = self.fd if self.fd is not None else handle(self.path)
        if fd is None:
            return 0
        return sum(1 for slot in range(PRESENCE_SLOTS) if slot != self.slot and self._taken_elsewhere(fd, slot))

    def leave(self):
        if self.slot is None:
            return
        try:
            self._drop(self.fd, self.slot)
        except OSError:
            log.warning("could not release the presence lock", exc_info=True)
        self.fd = self.slot = None

"""The real app in a process of its own, driven line by line, for tests that need a second app process,
a real file dialog over the database's folder, or a real X server with a native dialog.

    python -m tests.ui.app_driver DB [--without-file-types]

It starts the app as a user does (``ui.app.start(["--db", DB])``), then reads one command per line
on stdin and answers each with one JSON line on stdout:

- ``stats``: the record counts the app sees.
- ``write N``: the app saves N new organisations through the services.
- ``notice``: the "open elsewhere" notice as the window shows it once it is active again.
- ``dialog``: shows a QFileDialog (with default options: Qt's own, or the native one the platform
  theme gives) over the database's folder, waits until it has listed the folder and what the
  user sees there, and answers which files in the folder were opened and closed meanwhile
  (watched with Linux's inotify, so the answer covers anything in the process, Qt or GTK).
- ``quit``: closes the dialog and the window and the database, and exits.

``--without-file-types`` leaves out the app's file type definitions (``ui.filetypes``), so the
dialog sniffs files as any dialog in a process without them would: the database must come to no
harm even then.
"""

import ctypes
import json
import os
import struct
import sys
import time
from pathlib import Path

IN_CLOSE_NOWRITE = 0x10
LISTING_WINDOW_S = 2.5  # how long the dialog is watched after it has listed the folder


class ClosedFiles:
    """Names of files in ``folder`` that any code in this process (or another) opened to read and closed."""

    def __init__(self, folder):
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, os.fsencode(folder), IN_CLOSE_NOWRITE) < 0:
            raise OSError(ctypes.get_errno(), "inotify is not available")
        self.names = set()

    def collect(self):
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return self.names
            offset = 0
            while offset < len(data):
                _, mask, _, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16:offset + 16 + length].rstrip(b"\0").decode()
                if mask & IN_CLOSE_NOWRITE and name:
                    self.names.add(name)
                offset += 16 + length

    def close(self):
        os.close(self.fd)


def main(argv):
    db = Path(argv[0])
    if "--without-file-types" in argv:
        try:
            from ui import filetypes

            filetypes.install = lambda: False
            ours = str(filetypes.data_folder())
            kept = [d for d in os.environ.get("XDG_DATA_DIRS", "").split(os.pathsep) if d and d != ours]
            os.environ["XDG_DATA_DIRS"] = os.pathsep.join(kept or ["/usr/local/share", "/usr/share"])
        except ImportError:  # an app from before the file type definitions
            pass
    from PySide6.QtCore import QEventLoop, QSocketNotifier, QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel

    from tracker import services
    from tracker.db import close_database
    from ui import app as app_module

    window = app_module.start(["--db", str(db)])
    if window is None:
        print(json.dumps({"error": "the app did not start"}), flush=True)
        return 1
    app = QApplication.instance()
    state = {"dialog": None}

    def pump(seconds, until=lambda: False):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not until():
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    def show_dialog():
        watch = ClosedFiles(db.parent)
        dialog = QFileDialog(window, "Export for sharing", str(db.parent))
        dialog.open()
        state["dialog"] = dialog
        model = dialog.findChild(QFileSystemModel)
        if model is not None:  # Qt's own dialog: wait for the listing, then ask what the view shows
            listed = []
            model.directoryLoaded.connect(lambda path: listed.append(path))
            pump(10, until=lambda: listed or model.rowCount(model.index(str(db.parent))) > 0)
            root = model.index(str(db.parent))
            for row in range(model.rowCount(root)):
                index = model.index(row, 0, root)
                model.data(index, 1)  # DecorationRole: the file's icon
                model.type(index)
        pump(LISTING_WINDOW_S)
        closed = sorted(watch.collect())
        watch.close()
        return {"native": model is None, "visible": dialog.isVisible() or model is None, "closed": closed}

    def handle(line):
        command, _, rest = line.strip().partition(" ")
        if command == "stats":
            return services.stats()
        if command == "write":
            for i in range(int(rest)):
                services.stakeholders.create(name=f"Written by app {os.getpid()} #{i}", kind="organisation",
                                             sector="police")
            return {"written": int(rest)}
        if command == "notice":
            notice = getattr(window, "notice", None)
            if notice is None:
                return {"visible": False, "text": ""}
            notice.refresh()
            return {"visible": notice.isVisible(), "text": notice.label.text(), "others": notice.others}
        if command == "dialog":
            return show_dialog()
        if command == "quit":
            if state["dialog"] is not None:
                state["dialog"].reject()
            window.close()
            close_database()
            QTimer.singleShot(0, app.quit)
            return {"quit": True}
        return {"error": f"unknown command {command!r}"}

    def ready_to_read():
        line = sys.stdin.readline()
        if not line:
            app.quit()
            return
        try:
            answer = handle(line)
        except Exception as exc:  # reported to the test, which fails with it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer, default=str), flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(ready_to_read)
    print(json.dumps({"ready": True}), flush=True)
    status = app.exec()
    from ui.worker import wait_for_workers

    wait_for_workers()  # as ui.app.main: no worker outlives the app
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

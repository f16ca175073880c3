"""The log file in the data folder: what went wrong, for whoever supports the app.

Log messages name record IDs, files and counts, never a person's name or contact details.
Exceptions are logged as their type and stack (file, line, function) without their message,
because a message can quote a value someone typed (a name, an email address).  The file and its
rotated copies are readable by the user only.
"""

import logging
import logging.handlers
import os
import traceback

from tracker.paths import data_dir, ensure_private_dir

_handler = None


def log_file():
    return data_dir() / "tracker.log"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the first and each one after a rollover) is 0600."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


class RedactingFormatter(logging.Formatter):
    """Logs where an exception happened and its type, never its message (it may hold personal data)."""

    def format(self, record):
        cached, record.exc_text = record.exc_text, None  # another handler may have cached the full text
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei):
        exc_type, exc, tb = ei
        lines = ["Traceback (most recent call last):\n"]
        lines += traceback.format_list(traceback.extract_tb(tb))
        lines.append(f"{exc_type.__module__}.{exc_type.__qualname__} (message not logged)\n")
        cause = exc.__cause__ or exc.__context__ if exc is not None else None
        if cause is not None:
            lines.append(f"caused by {type(cause).__module__}.{type(cause).__qualname__}\n")
        return "".join(lines).rstrip("\n")


def setup_logging(level=logging.INFO):
    """Send log records to a rotating file in the data folder (again only if the folder changed)."""
    global _handler
    root = logging.getLogger()
    if _handler is not None:
        if _handler.baseFilename == str(log_file().absolute()):
            return
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    root.setLevel(level)
    try:
        ensure_private_dir(data_dir())
        handler = PrivateRotatingFileHandler(log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return  # a read-only home must not stop the app; we lose only the log
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _handler = handler

"""The log file in the data folder: what went wrong, for whoever supports the app.

Log messages name record IDs, files and counts, never a person's name or contact details.
"""

import logging
import logging.handlers

from tracker.paths import data_dir, ensure_private_dir

_handler = None


def log_file():
    return data_dir() / "tracker.log"


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
        log_file().touch(mode=0o600, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(log_file(), maxBytes=1_000_000, backupCount=3,
                                                       encoding="utf-8")
    except OSError:
        return  # a read-only home must not stop the app; we lose only the log
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    _handler = handler

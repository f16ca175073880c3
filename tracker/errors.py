"""Errors the domain raises, each carrying a message a council officer can act on.

Every error a person may see derives from :class:`TrackerError`; the CLI and the app show
``str(error)`` and never a traceback.  Programming errors are not wrapped here.
"""


class Cancelled(Exception):
    """The person cancelled a long piece of work (an import, a search for duplicates); nothing was changed.
    Not a TrackerError: nothing went wrong.  Here, at the bottom, so the services raise the same class as the
    exchange and the table import, and the app handles them all alike."""


class TrackerError(Exception):
    """A problem the user can understand and act on; ``str()`` is the message."""


class DatabaseError(TrackerError):
    """The database cannot be opened or used (missing, locked, corrupt, read-only)."""


class DatabaseBusyError(DatabaseError):
    """Another program holds the write lock for longer than we are willing to wait."""


class ReadOnlyDatabaseError(DatabaseError):
    """The database is open for reading only (its file or folder cannot be written, or it was asked
    for): a change was refused before anything was written."""


class NewerDatabaseError(DatabaseError):
    """The file was written by a newer version of the app; we leave it untouched."""


class DamagedDatabaseError(DatabaseError):
    """SQLite found the file damaged (some of its pages cannot be read); nothing more is written to it.

    ``path`` is the file, ``reason`` says in words what SQLite reported.  Raised the first time a
    statement meets the damage and again for every statement tried on that database afterwards.
    """

    def __init__(self, path, reason):
        self.path, self.reason = path, reason
        super().__init__(f"{self.summary} Restore it from a backup (tracker backups lists them; "
                         f"tracker restore NAME), or open another database.")

    @property
    def summary(self):
        """What happened, without the advice: "The database … is damaged: …; nothing more …"."""
        return f"The database {self.path} is damaged: {self.reason}. Nothing more will be written to it."

    def again(self):
        """The same error, fresh (raising one instance repeatedly would pile up tracebacks)."""
        return type(self)(self.path, self.reason)


class NotFoundError(TrackerError):
    """A record named by ID or name does not exist (or is deleted)."""


class StaleEditError(TrackerError):
    """Someone else changed the record since it was read; the edit was not applied."""

    def __init__(self, message, current=None):
        super().__init__(message)
        self.current = current


class ValidationError(TrackerError):
    """One or more fields are invalid.  ``errors`` maps field name to a plain-English reason."""

    def __init__(self, errors, what="record"):
        self.errors = dict(errors)
        self.what = what
        details = "; ".join(f"{field.replace('_', ' ')}: {reason}" for field, reason in self.errors.items())
        super().__init__(f"The {what} was not saved. {details}")

    def in_row(self, number, total):
        """This error as raised for row ``number`` of a batch of ``total`` of which nothing was saved."""
        self.row = number
        self.args = (f"Row {number} of {total}: {self.args[0]} None of the {total} rows were saved.",)
        return self

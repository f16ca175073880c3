"""Stakeholder Tracker's domain: records, storage, rules and spreadsheet exchange.

Nothing in this package imports Qt; the desktop application in ``ui`` sits on top of it,
and so does the ``tracker`` command.  The import-linter contracts in pyproject.toml enforce it.
"""

__version__ = "0.1.0"
APP_NAME = "Stakeholder Tracker"

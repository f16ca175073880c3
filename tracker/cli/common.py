"""What the sub-command modules share with the ``tracker`` entry point: the exit statuses, and
reading a date a person typed as an argument.

It sits below every module of ``tracker.cli``, so that the entry point (``tracker.cli``) can import
the sub-command modules and they never import it back.  Not here: the parser, running a command
and reporting its errors (``tracker.cli``), the sub-commands themselves.
"""

import argparse

from tracker.dates import parse_uk_date

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_CANCELLED = 130


def parse_date_arg(text):
    """argparse type for dates typed by a person: day first or ISO, as tracker.dates reads them."""
    try:
        return parse_uk_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def whole_number(low, high=None, *, what="a whole number", below="", above=""):
    """An argparse type: an integer at least ``low`` (and at most ``high``), else a usage error saying why."""
    def read(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < low:
            raise argparse.ArgumentTypeError(below or f"it starts at {low}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(above or f"it goes up to {high}")
        return value
    return read

"""Action references, such as ``HAV-A0042``: the one place that formats, reads and allocates them.

A reference is the home council's code, ``-A`` and a number of at least four digits.  Each
database numbers its own council's series; the next reference follows the highest number in the
series (``BD-A10000`` is higher than ``BD-A9999``, though it sorts before it as text).  An action
imported from another council keeps its reference, so a database holds several councils' series.

:class:`Series` hands out the next free references of a series, one at a time or in bulk; the
caller gives it the references already taken (the services read the top of the series from the
database; an import has every reference loaded and adds the file's as it goes).
"""

import re

PATTERN = re.compile(r"^(?P<prefix>[A-Z]+-A)(?P<number>\d+)$")
NO_COUNCIL = "X"  # the series of a database with no home council set


def prefix_for(council_code):
    """The series of a council: ``HAV`` -> ``HAV-A`` (``X-A`` with no council)."""
    return f"{council_code or NO_COUNCIL}-A"


def format_reference(prefix, number):
    return f"{prefix}{number:04d}"


def parse_reference(text):
    """(prefix, number) of a reference, or None for text that is not one."""
    match = PATTERN.match(text or "")
    return (match.group("prefix"), int(match.group("number"))) if match else None


def highest(references, prefix):
    """The highest number among ``references`` in the series ``prefix`` (0 when there is none)."""
    numbers = [parsed[1] for parsed in map(parse_reference, references) if parsed and parsed[0] == prefix]
    return max(numbers, default=0)


class Series:
    """The next free references of the series ``prefix``, after the highest of ``taken``.

    ``taken``: the references already used.  A set is kept as given (not copied), so a caller that
    adds references of its own as it goes (an import keeping a file's references) is never handed one
    of them; every reference handed out is added to it.
    """

    def __init__(self, prefix, taken=()):
        self.prefix = prefix
        self.taken = taken if isinstance(taken, set) else set(taken)
        self.number = highest(self.taken, prefix)

    def next(self):
        while True:
            self.number += 1
            reference = format_reference(self.prefix, self.number)
            if reference not in self.taken:
                self.taken.add(reference)
                return reference

    def take(self, count):
        """``count`` references in order (a batch of new actions)."""
        return [self.next() for _ in range(count)]

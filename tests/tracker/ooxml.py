"""Reading back what the writers store: OOXML's _xHHHH_ escapes undone (the app never needs this;
python-calamine decodes them itself, and openpyxl, which tests read with, returns them literally)."""

import re

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_unescape(text):
    """The inverse of ``tracker.spreadsheet.ooxml_escape``."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)

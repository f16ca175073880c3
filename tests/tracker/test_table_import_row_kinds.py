"""``header.row_kind`` decides a row with many values without reading its words (the speed path) exactly as
by the rules in full: footers by their words or their numbers, sections, blanks, records."""

import datetime as dt
import random
import re

import pytest

from tracker.tableimport.header import is_empty, row_kind

_DECORATED = re.compile(r"^\s*[-\u2013\u2014=*#]+.*[-\u2013\u2014=*#]+\s*$")
_FOOTER = re.compile(r"^\s*(grand\s+)?(total|totals|count|sum|number of)\b", re.IGNORECASE)


def by_the_rules(row, width, key_columns=()):
    """The rules of the module's docstring, each worked out for every row (no shortcut)."""
    values = [(i, v) for i, v in enumerate(row) if not is_empty(v)]
    texts = [v for _, v in values if isinstance(v, str)]
    numbers_only = all(isinstance(v, (int, float)) and not isinstance(v, bool) for _, v in values)
    few = len(values) <= max(2, width // 2)
    if not values:
        return "blank"
    if (texts and few and _FOOTER.match(texts[0])) or (numbers_only and width > 2):
        return "footer"
    if len(values) == 1 and texts and width >= 3 and (values[0][0] not in key_columns or _DECORATED.match(texts[0])):
        return "section"
    return "record"


CELLS = [None, "", "  ", "\u00a0", "Ann Oke", "Total", "Total attendees", "grand total", "Count", "— Havering —",
         "Redbridge schools", 0, 4, 12.5, True, False, dt.date(2019, 3, 1), "07700900123", "=SUM(A1:A4)"]


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 6, 7, 9, 12])
def test_row_kind_is_what_the_rules_in_full_say(width):
    rng = random.Random(width)
    for _ in range(3000):
        row = [rng.choice(CELLS) if rng.random() < 0.7 else None for _ in range(width)]
        keys = {rng.randrange(width)} if rng.random() < 0.5 else set()
        assert row_kind(row, width, keys) == by_the_rules(row, width, keys), (row, keys)


def test_rows_of_a_sign_in_sheet():
    assert row_kind(["Okafor", "Grace", "Met", "Inspector", "g@x.example", 7700900123], 6) == "record"
    assert row_kind([1, 2, 3, 4, 5, 6], 6) == "footer"  # numbers only, however many
    assert row_kind([1, 2, "x", 4, 5, 6], 6) == "record"
    assert row_kind(["Total attendees", 4, None, None, None, None], 6) == "footer"
    assert row_kind(["Total attendees", 4, 5, None, None, None], 6) == "footer"  # three values of six: still a footer
    assert row_kind(["Total attendees", 4, 5, 6, None, None], 6) == "record"  # four: a record named so
    assert row_kind(["— Havering —", None, None, None, None, None], 6, {0}) == "section"
    assert row_kind(["Ann Oke", None, None, None, None, None], 6, {0}) == "record"
    assert row_kind([None, " ", "\u00a0", None, None, None], 6) == "blank"

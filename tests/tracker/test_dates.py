"""UK dates: every accepted form parses to the same day; nothing is ever swapped silently."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import format_uk_date, parse_uk_date


@pytest.mark.parametrize("text", ["16/01/2019", "16/1/19", "16-01-2019", "16.01.2019", "16 Jan 2019",
                                  "16 January 2019", "16th January 2019", "Jan 16, 2019", "2019-01-16",
                                  " 2019-01-16 00:00:00 "])
def test_accepted_forms(text):
    assert parse_uk_date(text) == dt.date(2019, 1, 16)


@pytest.mark.parametrize("text, reason", [("31/02/2019", "not a real date"), ("01/16/2019", "not a real date"),
                                          ("2019/01/16", "not a date"), ("next Tuesday", "not a date"),
                                          ("", "no date")])
def test_refused_with_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_uk_date(text)


@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)))
def test_round_trip_through_uk_format(day):
    assert parse_uk_date(format_uk_date(day)) == day
    assert parse_uk_date(day.strftime("%d %b %Y")) == day
    assert parse_uk_date(day.strftime("%-d/%-m/%y")) == day

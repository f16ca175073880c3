"""UK dates: every accepted form parses to the same day; nothing is ever swapped, guessed or stood in for."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import EARLIEST, LATEST, DateError, check_range, format_uk_date, parse_uk_date

JAN_16 = dt.date(2019, 1, 16)


@pytest.mark.parametrize("text", ["16/01/2019", "16/1/19", "16/01/19", "16-01-2019", "16.01.2019", "16.1.2019",
                                  "16012019", "16 Jan 2019", "16 January 2019", "16 jan 19", "16-Jan-2019",
                                  "16th January 2019", "Jan 16, 2019", "2019-01-16", " 2019-01-16 00:00:00 "])
def test_accepted_forms(text):
    assert parse_uk_date(text) == JAN_16


@pytest.mark.parametrize("text, day", [
    ("31/03/2027", dt.date(2027, 3, 31)),  # the old date box turned this into 30/11/2026 or 28/03/2027
    ("01/02/2024", dt.date(2024, 2, 1)),  # day first: 1 February, never 2 January
    ("29/02/2024", dt.date(2024, 2, 29)),
    ("1/1/90", dt.date(2090, 1, 1)),  # a two-digit year always means 20yy
    ("16/01/99", dt.date(2099, 1, 16)),
    ("31/12/69", dt.date(2069, 12, 31)),
    ("01/01/1990", EARLIEST),
    ("31/12/2100", LATEST),
])
def test_day_first_and_twenty_yy(text, day):
    assert parse_uk_date(text) == day


@pytest.mark.parametrize("text, reason", [
    ("31/02/2019", "is not a real date (February 2019 has 28 days)"),
    ("29/02/2023", "is not a real date (February 2023 has 28 days)"),
    ("01/16/2019", "is not a real date (there is no month 16)"),
    ("00/01/2019", "is not a real date"),
    ("2019/01/16", "is not a date (type it as 16/01/2019"),
    ("16/01-2019", "is not a date"),  # one kind of separator
    ("16 Foo 2019", "is not a date"),
    ("hello", "is not a date"),
    ("next Tuesday", "is not a date"),
    ("16/01/201", "is not a date"),
    ("160119", "type the year in full"),  # six digits: 16/01/2019 or 2016-01-19? not guessed
    ("15/01/1900", "must be between 01/01/1990 and 31/12/2100"),
    ("31/12/1989", "must be between 01/01/1990 and 31/12/2100"),
    ("01/01/2101", "must be between 01/01/1990 and 31/12/2100"),
    ("0001-01-01", "must be between"),
    ("20240116", "is not a real date"),  # yyyymmdd is not day first: refused, never read as another day
    ("\u0661\u0666/\u0660\u0661/\u0662\u0660\u0661\u0669", "is not a date"),  # 16/01/2019 in Arabic-Indic digits
    ("", "no date given"),
    ("   ", "no date given"),
])
def test_refused_with_a_reason(text, reason):
    with pytest.raises(DateError, match=reason.replace("(", r"\(").replace(")", r"\)")) as caught:
        parse_uk_date(text)
    assert isinstance(caught.value, ValueError)
    assert caught.value.reason in str(caught.value)
    if text.strip():
        assert str(caught.value).startswith(repr(text.strip()))  # names what was typed (reader, CLI)


def test_reason_reads_after_a_field_name():
    with pytest.raises(DateError) as caught:
        parse_uk_date("15/01/1900")
    assert f"Due date {caught.value.reason}." == "Due date must be between 01/01/1990 and 31/12/2100."


def test_month_first_for_an_american_column():
    assert parse_uk_date("01/16/2019", month_first=True) == JAN_16
    assert parse_uk_date("01162019", month_first=True) == JAN_16
    assert parse_uk_date("2/1/24", month_first=True) == dt.date(2024, 2, 1)
    assert parse_uk_date("2019-01-16", month_first=True) == JAN_16  # ISO and names read the same
    assert parse_uk_date("16 Jan 2019", month_first=True) == JAN_16
    with pytest.raises(DateError, match="no month 16"):
        parse_uk_date("16/01/2019", month_first=True)


def test_check_range_is_the_one_range_rule():
    assert check_range(EARLIEST) == EARLIEST and check_range(LATEST) == LATEST
    with pytest.raises(DateError, match="'15/01/1900' must be between"):
        check_range(dt.date(1900, 1, 15))
    with pytest.raises(DateError, match="must be between"):
        check_range(LATEST + dt.timedelta(days=1))


IN_RANGE = st.dates(min_value=EARLIEST, max_value=LATEST)
FULL_YEAR_FORMS = ["%d/%m/%Y", "%-d/%-m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d%m%Y", "%d %b %Y", "%d %B %Y",
                   "%-d-%b-%Y", "%Y-%m-%d", "%b %d, %Y", "%Y-%m-%d 00:00:00"]
SHORT_YEAR_FORMS = ["%d/%m/%y", "%-d/%-m/%y", "%d.%m.%y", "%d-%m-%y", "%d %b %y"]


@given(IN_RANGE, st.sampled_from(FULL_YEAR_FORMS))
def test_every_full_year_form_round_trips(day, form):
    assert parse_uk_date(day.strftime(form)) == day


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(SHORT_YEAR_FORMS))
def test_every_two_digit_year_form_means_20yy(day, form):
    assert parse_uk_date(day.strftime(form)) == day


@given(IN_RANGE)
def test_shown_form_round_trips(day):
    assert parse_uk_date(format_uk_date(day)) == day


@given(st.one_of(st.dates(dt.date(1000, 1, 1), EARLIEST - dt.timedelta(days=1)),
                 st.dates(LATEST + dt.timedelta(days=1), dt.date(9999, 12, 31))),
       st.sampled_from(["%d/%m/%Y", "%d %b %Y", "%d%m%Y", "%Y-%m-%d"]))
def test_out_of_range_dates_are_refused(day, form):
    with pytest.raises(DateError, match="must be between 01/01/1990 and 31/12/2100"):
        parse_uk_date(day.strftime(form))


@given(st.text(alphabet="0123456789/.- JanFebSpt", max_size=12))
def test_any_text_is_a_date_in_range_or_refused(text):
    try:
        day = parse_uk_date(text)
    except DateError as exc:
        assert exc.reason and "\n" not in str(exc)
    else:
        assert EARLIEST <= day <= LATEST


def test_a_stored_time_is_shown_in_local_time(monkeypatch):
    """Times are stored in UTC; lists of imports and merges show them as the History tab does: local."""
    import time

    from tracker.dates import format_local_time

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert format_local_time(dt.datetime(2026, 7, 1, 9, 30)) == "01/07/2026 10:30"  # British Summer Time
        assert format_local_time(dt.datetime(2026, 12, 1, 9, 30)) == "01/12/2026 09:30"
        assert format_local_time(None) == ""
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()

"""The board pack's figures and tables (tracker.reports.boardpack): as of a date, per council, no Qt."""

import datetime as dt

import pytest

from tracker import services
from tracker.errors import NotFoundError
from tracker.reports.boardpack import board_pack
from tracker.services.dashboard import dashboard

TODAY = dt.date.today()


def days(n):
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def partnership(db):
    bd, hav = services.councils.find("Barking and Dagenham"), services.councils.find("Havering")
    tri = services.councils.find("Tri-borough")
    met = services.stakeholders.create(name="Metropolitan Police Service", sector="police")
    trust = services.stakeholders.create(name="Ben Kinsella Trust", sector="voluntary")
    late = services.commitments.create(title="Knife bins in every borough", made_by=met, theme="knife_crime",
                                       status="in_progress", date_made=days(-200), target_date=days(-10),
                                       councils=[bd])
    soon = services.commitments.create(title="Mentoring scheme", made_by=trust, theme="youth", status="agreed",
                                       target_date=days(20), councils=[hav])
    later = services.commitments.create(title="Schools programme", made_by=trust, theme="schools",
                                        status="agreed", target_date=days(200), councils=[hav])
    done = services.commitments.create(title="Done already", made_by=met, theme="other", status="achieved",
                                       date_made=days(-300), target_date=days(-100), councils=[bd])
    a = dict(
        oldest=services.actions.create(title="Oldest overdue", owner=met, council=bd, due_date=days(-30)),
        newer=services.actions.create(title="Newer overdue", owner=trust, council=hav, due_date=days(-3)),
        finished=services.actions.create(title="Finished late", owner=met, council=bd, due_date=days(-40),
                                         status="done"),
        coming=services.actions.create(title="Due in ten days", owner=trust, council=hav, due_date=days(10),
                                       commitment=later),
        tri=services.actions.create(title="Tri-borough overdue", owner=met, council=tri, due_date=days(-5)),
    )
    services.events.create(title="Board meeting", kind="meeting", date=days(12), council=hav, place="Romford")
    services.events.create(title="Summit two", kind="summit", date=days(45), council=bd)
    services.events.create(title="Last summit", kind="summit", date=days(-2), council=bd)
    return dict(bd=bd, hav=hav, late=late, soon=soon, later=later, done=done, **a)


def titles(section):
    return [r["title"] for r in section.rows]


def test_today_overdue_oldest_first_attention_and_events(partnership):
    pack = board_pack()
    assert titles(pack.overdue) == ["Oldest overdue", "Tri-borough overdue", "Newer overdue"]
    assert [r["days_overdue"] for r in pack.overdue.rows] == [30, 5, 3]
    assert titles(pack.attention) == ["Knife bins in every borough", "Mentoring scheme"]
    assert [r["attention"] for r in pack.attention.rows] == ["Overdue by 10 days", "Due in 20 days"]
    assert titles(pack.upcoming) == ["Board meeting"]
    assert pack.upcoming.rows[0]["council"] == "Havering" and pack.upcoming.rows[0]["kind"] == "Meeting"
    assert pack.figures == {"Open actions": 4, "Overdue actions": 3, "Commitments needing attention": 2,
                            "Events in the next 30 days": 1}
    assert pack.council is None and pack.council_text == (
        "All councils (Barking and Dagenham, Havering, Redbridge, Tri-borough and Pan-London)")
    # the same count the app's overdue filter gives today
    assert len(pack.overdue.rows) == services.actions.count(filters={"overdue": True})


def test_as_of_a_later_date_counts_from_it_on_todays_records(partnership):
    pack = board_pack(as_of=days(15))
    assert titles(pack.overdue) == ["Oldest overdue", "Tri-borough overdue", "Newer overdue", "Due in ten days"]
    assert pack.overdue.rows[0]["days_overdue"] == 45
    # the schools programme's only action is overdue by then: red, though its target is months away
    assert titles(pack.attention) == ["Knife bins in every borough", "Mentoring scheme", "Schools programme"]
    assert pack.attention.rows[1]["attention"] == "Due in 5 days"
    assert pack.attention.rows[2]["attention"] == "Red: 1 action overdue"
    assert titles(pack.upcoming) == ["Summit two"]
    assert pack.as_of_text == f"As of {days(15):%d/%m/%Y}"


def test_as_of_an_earlier_date(partnership):
    pack = board_pack(as_of=days(-20))
    assert titles(pack.overdue) == ["Oldest overdue"]  # "Finished late" is done: never overdue
    assert pack.overdue.rows[0]["days_overdue"] == 10
    assert titles(pack.upcoming) == ["Last summit"]  # the board meeting is 32 days after


def test_one_council_counts_as_the_action_log_does(partnership):
    pack = board_pack("havering")
    assert pack.council == "Havering" and pack.council_text == "Havering"
    assert titles(pack.overdue) == ["Newer overdue"]  # the tri-borough action is not Havering's alone
    assert titles(pack.attention) == ["Mentoring scheme"]
    assert titles(pack.upcoming) == ["Board meeting"]
    assert pack.figures["Open actions"] == 2
    assert "for Havering" in pack.overdue.filters_text


def test_an_unknown_council_names_the_known_ones(partnership):
    with pytest.raises(NotFoundError, match="no council called 'Narnia'. Known councils: Barking and Dagenham"):
        board_pack("Narnia")


def test_the_covers_figures_are_the_dashboards(partnership):
    """The board pack's cover and the dashboard's tiles count alike, for all councils or one, on any date."""
    cases = ((None, TODAY), (partnership["hav"], TODAY), (None, days(15)), (partnership["bd"], days(-20)))
    for council, as_of in cases:
        pack, tiles = board_pack(council, as_of), dashboard(council, as_of)
        assert pack.figures["Overdue actions"] == tiles.tile("overdue").count, (council, as_of)
        assert pack.figures["Commitments needing attention"] == tiles.tile("attention").count, (council, as_of)

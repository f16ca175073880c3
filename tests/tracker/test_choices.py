"""What a record picker offers: live records as light rows telling namesakes apart, searched by any
part of the name in any case, with or without accents and punctuation (tracker.services.choices)."""

import datetime as dt

from playhouse.test_utils import count_queries

from tracker import services
from tracker.services import choices


def test_people_are_shown_with_their_organisation_and_role(db):
    victim_support = services.stakeholders.create(kind="organisation", name="Victim Support", sector="voluntary")
    church = services.stakeholders.create(kind="organisation", name="Romford Churches Together", sector="faith")
    mentor = services.stakeholders.create(kind="person", name="Ben Patel", organisation=victim_support,
                                          role="Youth Mentor")
    vicar = services.stakeholders.create(kind="person", name="Ben Patel", organisation=church, role="Vicar")
    with count_queries() as counter:
        offered = choices.stakeholders()
    assert counter.count == 1
    found = offered.search("ben pat")
    assert [(c.id, c.text) for c in found] == [
        (vicar.id, "Ben Patel — Romford Churches Together · Vicar"),
        (mentor.id, "Ben Patel — Victim Support · Youth Mentor"),
    ] or [(c.id, c.text) for c in found] == [
        (mentor.id, "Ben Patel — Victim Support · Youth Mentor"),
        (vicar.id, "Ben Patel — Romford Churches Together · Vicar"),
    ]
    assert offered.get(church.id).text == "Romford Churches Together — organisation · Faith"
    assert choices.describe(vicar) == offered.get(vicar.id)  # a record shown as its choice is
    assert [c.id for c in choices.organisations().search("")] == [church.id, victim_support.id]


def test_search_ignores_case_accents_punctuation_and_word_order(db):
    amelie = services.stakeholders.create(kind="person", name="Amélie O'Brien-Laurent")
    services.stakeholders.create(kind="person", name="Someone Else")
    offered = choices.stakeholders()
    for typed in ("AMELIE", "amélie", "obrien", "o'brien laurent", "laurent amel", "  brien  "):
        assert [c.id for c in offered.search(typed)] == [amelie.id], typed
    assert offered.search("zz") == []
    assert offered.exact("amelie o brien laurent") == [offered.get(amelie.id)]


def test_names_beginning_with_the_text_come_first_then_names_holding_it_then_details(db):
    trust = services.stakeholders.create(kind="organisation", name="Ben Kinsella Trust")
    services.stakeholders.create(kind="person", name="Chloe Patel", organisation=trust)
    services.stakeholders.create(kind="person", name="Ruben Ali")
    services.stakeholders.create(kind="person", name="Ben Smith")
    names = [c.name for c in choices.stakeholders().search("ben")]
    assert names == ["Ben Kinsella Trust", "Ben Smith", "Ruben Ali", "Chloe Patel"]


def test_deleted_records_are_not_offered_and_events_show_their_date(db):
    gone = services.stakeholders.create(kind="organisation", name="Closed Charity")
    services.stakeholders.delete(gone)
    assert choices.stakeholders().search("closed") == []
    assert choices.record("stakeholder", gone.id) is None
    first = services.events.create(title="Partnership Board", date=dt.date(2019, 4, 10), place="Romford Town Hall")
    second = services.events.create(title="Partnership Board", date=dt.date(2026, 11, 1), place="Ilford Town Hall")
    assert [c.text for c in choices.events().search("board")] == [
        "Partnership Board — 01/11/2026 · Ilford Town Hall", "Partnership Board — 10/04/2019 · Romford Town Hall"]
    assert choices.record("event", second.id) == second and choices.describe(first).detail.startswith("10/04/2019")


def test_commitments_show_who_made_them_and_when(db):
    met = services.stakeholders.create(kind="organisation", name="Metropolitan Police")
    c = services.commitments.create(title="Safer Schools Officers", made_by=met, date_made=dt.date(2019, 1, 16))
    assert choices.commitments().get(c.id).text == "Safer Schools Officers — made by Metropolitan Police · 16/01/2019"
    assert choices.for_field(services.actions.record["commitment"]) is choices.commitments
    assert choices.for_field(services.stakeholders.record["organisation"]) is choices.organisations


def test_names_are_folded_all_at_once_exactly_as_one_by_one():
    """``matching.plain_all`` (a picker's first use folds 20,000 names with it) gives ``plain`` of each
    text: accents, punctuation, odd spaces, a text with nothing ASCII in it, a line break inside a name."""
    import random

    from tracker.services.matching import plain, plain_all

    awkward = ["Amélie O'Brien-Laurent", "  Ben\tPATEL  ", "Chloë\u00a0Smith", "北京", "Straße", "ﬁnance",
               "A\nB", "", None, "St. Mary's & St. John's", "x\x1cy", "\u0301"]
    assert plain_all(awkward) == [plain(t) for t in awkward]
    assert plain_all(awkward[:2]) == ["amelie o brien laurent", "ben patel"]
    rng = random.Random(15)
    letters = "aZ 9_&'.-\t\r\x0b\x1f\u00a0éÉßØ中\u2028\u0085\ufb01"
    for _ in range(2000):
        texts = ["".join(rng.choice(letters) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 5))]
        if rng.random() < 0.5:
            texts = [t.encode("ascii", "ignore").decode() for t in texts]
        assert plain_all(texts) == [plain(t) for t in texts], texts

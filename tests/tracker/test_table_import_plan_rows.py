"""The pass over a table's rows takes shortcuts that must answer as the long ways do: the matcher given the keys
the rows' pass has worked out (and skipping the erased people's hashes when nobody was erased) matches as it
does working them out itself."""

from tracker import services
from tracker.services import privacy
from tracker.services.matching import StakeholderMatcher, organisation_key, person_key


def _people():
    s = services.stakeholders
    met = s.create(name="Metropolitan Police Service", kind="organisation", sector="police")
    school = s.create(name="Havering Sixth Form College", kind="organisation", sector="education")
    s.create(name="Grace Okafor", kind="person", sector="police", organisation=met, email="grace@met.example")
    s.create(name="Daniel Smith", kind="person", sector="education", organisation=school, email="dan@hsfc.example")
    s.create(name="Daniel Smyth", kind="person", sector="police", organisation=met)
    s.create(name="Ann Oke", kind="person", sector="other")
    return met, school


# (name, email, organisation): email hits in any case, names at the same or another organisation, close names
# with and without an email or an organisation, nothing at all
ROWS = [("Grace Okafor", "GRACE@met.example ", "Other"), ("Grace Okafor", "", "Met Police"),
        ("Grace Okafr", "", "Met Police"), ("Grace Okafr", "g2@x.example", "Redbridge Mosque"),
        ("Dan Smith", "", "Havering Sixth Form College"), ("Daniel Smith", "other@x.example", "Elsewhere"),
        ("Daniel Smiht", "dan2@x.example", "Elsewhere"), ("Daniel Smiht", "dan2@x.example", ""),
        ("Daniel Smiht", "  ", "Elsewhere"), ("Ann Oke", "", ""), ("Anne Oke", "", "Somewhere"),
        ("Dr Ann Oke", "ann@x.example", ""), ("", "", "Met"), ("Nobody Here", "", ""), ("Daniel Gone", "", "Met"),
        ("Daniel Gone", "", "Metropolitan Police Service"), ("Someone", "dan.gone@college.example", "Other")]


def _answers(matcher, keyed):
    found = []
    for name, email, organisation in ROWS:
        keys = (person_key(name), organisation_key(organisation)) if keyed else None
        match = matcher.person(name, email, organisation, keys) if keyed else matcher.person(name, email, organisation)
        found.append((match.status, match.how, match.record.id if match.record else None,
                      [(h.id, score) for h, score in match.candidates]))
    return found


def test_the_matcher_given_the_rows_keys_answers_as_it_does_alone(db):
    _people()
    matcher = StakeholderMatcher()
    assert not matcher.erased  # nobody erased: the hashes are never asked for
    alone = _answers(matcher, keyed=False)
    assert alone == _answers(StakeholderMatcher(), keyed=True)
    assert [a[0] for a in alone] == ["matched", "matched", "doubtful", "new", "matched", "doubtful", "new", "doubtful", "new",
                                     "matched", "doubtful", "matched", "new", "new", "new", "new", "new"]


def test_with_someone_erased_the_hashes_are_still_asked(db):
    met, _ = _people()
    gone = services.stakeholders.create(name="Daniel Gone", kind="person", sector="police", organisation=met,
                                        email="Dan.Gone@College.example")
    privacy.erase(gone, source="request 12")
    matcher = StakeholderMatcher()
    assert matcher.erased
    alone = _answers(matcher, keyed=False)
    assert alone == _answers(StakeholderMatcher(), keyed=True)
    assert [a[0] for a in alone][-2:] == ["erased", "erased"]  # by name and organisation, and by email

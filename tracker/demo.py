"""A demo data set drawn from the tri-borough Serious Violence Summit (16 January 2019).

The organisations are the kinds of partner that were at the table (MOPAC, the Metropolitan
Police, the NHS, the courts, the Ben Kinsella Trust, schools, faith and community groups); the
people are invented.  The summit and the sessions after it keep their dates; what is still being
worked on is dated from the day the demo is loaded (``today``), so the partnership reads as alive on
any day: the latest board met a month ago and the next summit is two months away, open commitments'
target dates and open actions' due dates are spread around today (most later than a fortnight, some
within it, a few overdue: :data:`DUE_PATTERN`), and what is done or lapsed fell due in the past.
An action's title is a task and what it is about (``COMMITMENTS``' short subject), never a
commitment's title cut short.

It has a past, as if it had been kept since before the summit (:class:`History`): each record's
creation is dated in the audit trail when it would have been made (the partners before the summit,
an action weeks before it falls due, within the last year when still open), closed actions were
closed in their month, and some partners' influence or interest scores moved between the summits and
boards (:data:`SCORE_MOVES`), so the dashboard's actions over time and the power/interest map as of
an event show a partnership at work.  The records' ``updated_at`` stay the day of loading.

The stakeholders (names, emails, organisations) and the events' titles never change: other
councils' test files refer to them, and ``tests/tracker/test_demo.py`` pins them.  Every record
has a fixed UUID, so loading twice adds nothing.
"""

import datetime as dt
import random
import uuid

from tracker.models import AuditEntry, utcnow
from tracker.services import (actions, attendance, commitments, councils, events, set_actor, stakeholders,
                              updates)
from tracker.services.actor import current_actor
from tracker.services.base import writing

DEMO_NAMESPACE = uuid.UUID("0b9f7c1e-7a55-4c1e-8e0b-16a0119e2019")
SUMMIT_DATE = dt.date(2019, 1, 16)

ORGANISATIONS = [
    # key, name, sector, councils, influence, interest, website
    ("mopac", "Mayor's Office for Policing and Crime (MOPAC)", "mayoral", ["Pan-London"], 5, 4, "https://www.london.gov.uk/mopac"),
    ("met", "Metropolitan Police Service", "police", ["Pan-London"], 5, 5, "https://www.met.police.uk"),
    ("met_ea", "Metropolitan Police, East Area Basic Command Unit", "police", ["Tri-borough"], 5, 5, ""),
    ("lbbd", "London Borough of Barking and Dagenham", "local_authority", ["Barking and Dagenham"], 5, 5, "https://www.lbbd.gov.uk"),
    ("lbh", "London Borough of Havering", "local_authority", ["Havering"], 5, 5, "https://www.havering.gov.uk"),
    ("lbr", "London Borough of Redbridge", "local_authority", ["Redbridge"], 5, 5, "https://www.redbridge.gov.uk"),
    ("bhrut", "Barking, Havering and Redbridge University Hospitals NHS Trust", "health", ["Tri-borough"], 4, 4, ""),
    ("nelft", "North East London NHS Foundation Trust", "health", ["Tri-borough"], 4, 3, ""),
    ("nhs_nel", "NHS North East London", "health", ["Tri-borough"], 4, 3, ""),
    ("hmcts", "HM Courts & Tribunals Service, East London", "justice", ["Tri-borough"], 3, 2, ""),
    ("probation", "Probation Service, East London", "justice", ["Tri-borough"], 3, 3, ""),
    ("cps", "Crown Prosecution Service, London North", "justice", ["Pan-London"], 3, 2, ""),
    ("yos_bd", "Barking and Dagenham Youth Offending Service", "local_authority", ["Barking and Dagenham"], 3, 5, ""),
    ("yos_hav", "Havering Youth Justice Service", "local_authority", ["Havering"], 3, 5, ""),
    ("yos_red", "Redbridge Youth Offending Service", "local_authority", ["Redbridge"], 3, 5, ""),
    ("bkt", "Ben Kinsella Trust", "voluntary", ["Pan-London"], 3, 5, "https://benkinsella.org.uk"),
    ("stgiles", "St Giles Trust", "voluntary", ["Pan-London"], 2, 5, ""),
    ("redthread", "Redthread (hospital youth violence intervention)", "voluntary", ["Pan-London"], 2, 5, ""),
    ("victim", "Victim Support, East London", "voluntary", ["Tri-borough"], 2, 4, ""),
    ("women", "East London Women's Aid (demo)", "voluntary", ["Tri-borough"], 2, 5, ""),
    ("heads_bd", "Barking and Dagenham Secondary Head Teachers' Forum", "education", ["Barking and Dagenham"], 3, 4, ""),
    ("heads_hav", "Havering Head Teachers' Association", "education", ["Havering"], 3, 4, ""),
    ("heads_red", "Redbridge Schools Partnership", "education", ["Redbridge"], 3, 4, ""),
    ("college", "Barking and Dagenham College", "education", ["Barking and Dagenham"], 2, 3, ""),
    ("faith_bd", "Barking and Dagenham Faith Forum", "faith", ["Barking and Dagenham"], 2, 4, ""),
    ("faith_hav", "Havering Inter-Faith Forum", "faith", ["Havering"], 2, 3, ""),
    ("faith_red", "Redbridge Faith Forum", "faith", ["Redbridge"], 2, 4, ""),
    ("mosque", "Dagenham Central Mosque (demo)", "faith", ["Barking and Dagenham"], 2, 3, ""),
    ("church", "Romford Churches Together (demo)", "faith", ["Havering"], 1, 3, ""),
    ("gurdwara", "Ilford Gurdwara Community Trust (demo)", "faith", ["Redbridge"], 1, 3, ""),
    ("parents", "Dagenham Parents Against Knife Crime (demo)", "community", ["Barking and Dagenham"], 1, 5, ""),
    ("tenants", "Gascoigne Estate Residents' Association (demo)", "community", ["Barking and Dagenham"], 1, 4, ""),
    ("youth_hav", "Havering Youth Council", "community", ["Havering"], 1, 5, ""),
    ("youth_red", "Redbridge Youth Council", "community", ["Redbridge"], 1, 5, ""),
    ("sports", "East London Boxing Academy (demo)", "community", ["Tri-borough"], 1, 4, ""),
    ("lfb", "London Fire Brigade, East", "other", ["Tri-borough"], 2, 2, ""),
    ("tfl", "Transport for London, Community Safety", "other", ["Pan-London"], 2, 2, ""),
]

FIRST = ["Aisha", "Ben", "Chloe", "Daniel", "Ebony", "Femi", "Grace", "Harjit", "Imran", "Jade", "Kwame",
         "Laura", "Mohammed", "Nadia", "Oliver", "Priya", "Quentin", "Rachel", "Sanjay", "Tola", "Usman",
         "Vanessa", "Wei", "Yasmin", "Zoe", "Amara", "Callum", "Deborah", "Emeka", "Fatima", "Gary", "Hannah"]
LAST = ["Adeyemi", "Begum", "Campbell", "Davies", "Evans", "Francis", "Green", "Hussain", "Iqbal", "Jones",
        "Khan", "Lewis", "Mensah", "Nowak", "Okafor", "Patel", "Quinn", "Rahman", "Singh", "Thompson",
        "Uddin", "Walker", "Williams", "Young", "Zaman", "Ahmed", "Brown", "Clarke", "Edwards", "Hall"]
ROLES = {
    "police": ["Chief Inspector", "Detective Inspector", "Police Sergeant", "Safer Schools Officer"],
    "mayoral": ["Deputy Mayor for Policing and Crime", "Policy Officer", "Violence Reduction Unit Lead"],
    "local_authority": ["Community Safety Officer", "Head of Community Safety", "Cabinet Member", "Councillor",
                        "Youth Worker", "Youth Offending Team Manager"],
    "health": ["Consultant in Emergency Medicine", "Safeguarding Lead", "Public Health Registrar"],
    "justice": ["Legal Adviser", "Court Manager", "Senior Probation Officer"],
    "education": ["Head Teacher", "Deputy Head Teacher", "Designated Safeguarding Lead"],
    "voluntary": ["Chief Executive", "Project Coordinator", "Youth Mentor"],
    "faith": ["Imam", "Vicar", "Pastor", "Trustee"],
    "community": ["Chair", "Secretary", "Volunteer"],
    "other": ["Borough Commander", "Community Safety Manager"],
}

EVENTS = [
    # key, title, kind, days after the summit (or None for "relative to today"), place, council
    ("summit", "Tri-borough Serious Violence Summit", "summit", 0, "London East, Dagenham", "Tri-borough"),
    ("dv1", "Domestic Violence Commission: first session", "commission", 56, "Barking Town Hall", "Barking and Dagenham"),
    ("dv2", "Domestic Violence Commission: evidence session", "commission", 119, "Barking Learning Centre", "Barking and Dagenham"),
    ("board1", "Tri-borough Community Safety Partnership Board", "meeting", 84, "Romford Town Hall", "Tri-borough"),
    ("schools", "Schools and Youth Violence Workshop", "workshop", 140, "Redbridge Town Hall, Ilford", "Redbridge"),
    ("board2", "Tri-borough Community Safety Partnership Board", "meeting", -30, "Ilford Town Hall", "Tri-borough"),
    ("summit2", "Second Tri-borough Serious Violence Summit (planned)", "summit", 60, "Havering Town Hall, Romford", "Havering"),
]

COMMITMENTS = [
    # key, title, what its actions are about (the end of an action's title), made by, event, theme, status,
    # councils, months from the day the demo is loaded to the target date (before it: achieved, lapsed, or late)
    ("dv_commission", "Establish a Commission to tackle the cultural aspects that may have helped to normalise "
     "domestic violence in parts of Barking and Dagenham", "Domestic Violence Commission", "lbbd", "summit",
     "domestic_violence", "in_progress", ["Barking and Dagenham"], 9),
    ("open_dialogue", "Hold further summits across the tri-borough as an open dialogue with partners",
     "the second tri-borough summit", "lbbd", "summit", "community_safety", "agreed", ["Tri-borough"], 2),
    ("knife_surrender", "Run knife surrender bins and weapons sweeps in every borough", "knife surrender bins",
     "met_ea", "summit", "knife_crime", "in_progress", ["Tri-borough"], 4),
    ("safer_schools", "A named Safer Schools Officer for every secondary school", "Safer Schools Officers",
     "met_ea", "summit", "schools", "in_progress", ["Tri-borough"], 0.5),
    ("ae_navigators", "Youth violence navigators in A&E at Queen's and King George hospitals",
     "A&E youth violence navigators", "bhrut", "summit", "health", "achieved", ["Havering", "Redbridge"], -14),
    ("mentoring", "Mentoring for young people at risk of exclusion", "mentoring for young people at risk", "bkt",
     "summit", "youth", "in_progress", ["Tri-borough"], 12),
    ("knife_education", "Knife crime education sessions in secondary schools", "knife crime sessions in schools",
     "bkt", "summit", "knife_crime", "agreed", ["Barking and Dagenham", "Redbridge"], 7),
    ("exclusions", "Reduce permanent exclusions through a shared inclusion protocol", "the inclusion protocol",
     "heads_bd", "summit", "schools", "proposed", ["Barking and Dagenham"], 18),
    ("faith_safe_spaces", "Open places of worship as safe spaces for young people after school",
     "safe spaces in places of worship", "faith_red", "summit", "youth", "agreed", ["Redbridge"], -1),
    ("vru_funding", "Fund local violence reduction projects through the Violence Reduction Unit",
     "local violence reduction projects", "mopac", "summit", "health", "in_progress", ["Pan-London"], 24),
    ("court_fast_track", "Fast-track listing of knife possession cases", "fast-track listing of knife cases",
     "hmcts", "summit", "knife_crime", "lapsed", ["Tri-borough"], -20),
    ("county_lines", "Joint county lines exploitation panel across the three boroughs",
     "the county lines exploitation panel", "yos_hav", "board1", "exploitation", "in_progress", ["Tri-borough"], 6),
    ("dv_champions", "Train domestic abuse champions in every GP practice", "domestic abuse champions in GP practices",
     "nhs_nel", "dv1", "domestic_violence", "agreed", ["Barking and Dagenham"], 1),
]

ACTION_TEMPLATES = [
    "Agree terms of reference", "Appoint a lead officer", "Map existing services", "Report progress to the board",
    "Identify funding", "Draft the delivery plan", "Consult young people", "Share data under the ISA",
    "Brief ward councillors", "Evaluate the pilot", "Publish an update for residents", "Train front-line staff",
]
# Where each open action falls due, relative to the day the demo is loaded, taken in turn: most later
# than a fortnight, some within it, a few overdue, so that a first look is not a wall of red.
DUE_PATTERN = ("later", "soon", "later", "overdue", "later", "later", "soon", "later", "later", "later",
               "soon", "later", "overdue", "later", "soon", "later", "later", "later", "overdue", "later")
DUE_DAYS = {"overdue": (-45, -2), "soon": (1, 14), "later": (15, 180)}  # days from today, both ends included
STATUSES = {"overdue": ["in_progress", "blocked", "open"], "soon": ["in_progress", "in_progress", "open"],
            "later": ["open", "in_progress", "in_progress", "open"]}
DONE_DAYS = (-400, -10)  # a done action fell due in the past
# Partners whose place on the power/interest map moved: (organisation key, their scores before (influence,
# interest), when they changed: days after the summit, or, when negative, days before the demo is loaded).
# Their scores now are ORGANISATIONS'.
SCORE_MOVES = [
    ("parents", (1, 3), 20), ("bkt", (2, 5), 30), ("yos_hav", (2, 4), 70),  # between the summit and the board
    ("nhs_nel", (3, 2), 100), ("hmcts", (3, 4), -300),
    ("redthread", (1, 4), -240), ("heads_bd", (3, 2), -200), ("faith_red", (1, 2), -120), ("tfl", (2, 3), -75),
    ("victim", (2, 2), -20), ("sports", (1, 2), -12),  # since the latest board (30 days ago)
]
OPENED_DAYS = (5, 330)  # an open action was opened this many days before the demo is loaded
UPDATE_TEXTS = [
    "Discussed at the partnership board; on track.", "Lead officer appointed and briefed.",
    "Delayed: waiting for the data-sharing agreement to be signed.", "Funding confirmed for this year.",
    "First sessions delivered; feedback positive.", "Escalated to the Community Safety Partnership chair.",
    "Draft circulated to partners for comment.", "Completed and signed off.",
]


def demo_uuid(key):
    return uuid.uuid5(DEMO_NAMESPACE, key)


def _existing(service, key):
    model = service.model
    return model.get_or_none(model.uuid == demo_uuid(key))


def _ensure(service, key, **data):
    rec = _existing(service, key)
    if rec is not None:
        return rec, False
    return service.create(identity=demo_uuid(key), source="demo data", **data), True


class History:
    """The demo's past: records made and changes saved on days before the day it is loaded, written as
    the services write them and then dated in the audit trail (and the records' ``created_at``) on the
    day they would have happened; one UPDATE per table and day, not per record."""

    def __init__(self):
        self.started = utcnow()  # entries written from here on are this load's own
        self.created = {}  # (model, moment) -> [record]

    @staticmethod
    def moment(day, hour=10):
        """A time on ``day``, as the trail stores times (UTC, naive)."""
        return dt.datetime.combine(day, dt.time(hour))

    def made(self, record, day, hour=10):
        """``record`` (just created) was made on ``day``."""
        self.created.setdefault((type(record), self.moment(day, hour)), []).append(record)

    def change(self, service, record, day, **values):
        """``record`` changed to ``values`` on ``day`` (through the service: checked and audited)."""
        record = service.update(record, **values)
        A = AuditEntry
        (A.update(at=self.moment(day, 15))
         .where(A.record_uuid == record.uuid, A.operation == "update", A.at >= self.started).execute())
        return record

    def write(self):
        A = AuditEntry
        for (model, moment), records in self.created.items():
            model.update(created_at=moment).where(model.id.in_([r.id for r in records])).execute()
            (A.update(at=moment).where(A.record_uuid.in_([r.uuid for r in records]), A.operation == "create")
             .execute())


def _score_moves(history, orgs, new, today):
    """Some partners moved on the map since the summit: created with their scores before, then changed."""
    for key, (influence, interest), when in SCORE_MOVES:
        if key not in new:
            continue
        day = SUMMIT_DATE + dt.timedelta(days=when) if when > 0 else today + dt.timedelta(days=when)
        now = next(o for o in ORGANISATIONS if o[0] == key)
        orgs[key] = history.change(stakeholders, orgs[key], day, influence=now[4], interest=now[5])


def _action_history(history, past, action, status, due, made, today):
    """When ``action`` was opened (weeks before it fell due; an open one within the last year), and, when
    done or cancelled, closed (about when it fell due)."""
    if status in ("done", "cancelled"):
        opened = due - dt.timedelta(days=past.randint(30, 120))
    else:
        opened = today - dt.timedelta(days=past.randint(*OPENED_DAYS))
        if due < today:  # overdue: opened well before it fell due
            opened = min(opened, due - dt.timedelta(days=past.randint(20, 60)))
    opened = min(max(opened, made), today)
    history.made(action, opened, hour=9)
    if status in ("done", "cancelled"):
        late = past.randint(-25, 45) if status == "done" else past.randint(10, 60)  # done early, or weeks late
        closed = due + dt.timedelta(days=late)
        closed = min(max(closed, opened + dt.timedelta(days=3)), today - dt.timedelta(days=1))
        history.change(actions, action, closed, status=status)


def load_demo(today=None):
    """Load the demo data set; returns the number of records added (0 when already loaded)."""
    today = today or dt.date.today()
    rng = random.Random(20190116)
    past = random.Random(2019_01_16)  # the history's own draws: the records drawn by ``rng`` stay as they were
    history = History()
    moved = {key: (influence, interest) for key, (influence, interest), _ in SCORE_MOVES}
    previous = current_actor()
    set_actor("Demo data", "Barking and Dagenham")
    added = 0
    try:
        with writing():  # all or nothing, announced once
            council = {c.name: c for c in councils.all_councils()}
            orgs, new_orgs = {}, set()
            for n_org, (key, name, sector, names, influence, interest, web) in enumerate(ORGANISATIONS):
                influence, interest = moved.get(key, (influence, interest))  # where it sat at the summit
                orgs[key], new = _ensure(stakeholders, f"org:{key}", name=name, kind="organisation", sector=sector,
                                         influence=influence, interest=interest, website=web,
                                         councils=[council[n] for n in names], tags="summit partner")
                added += new
                if new:
                    new_orgs.add(key)
                    history.made(orgs[key], SUMMIT_DATE - dt.timedelta(days=60 - n_org))
            _score_moves(history, orgs, new_orgs, today)
            people = []
            org_keys = [o[0] for o in ORGANISATIONS]
            for i in range(236):
                org_key = org_keys[i % len(org_keys)] if i < 2 * len(org_keys) else rng.choice(org_keys)
                org = orgs[org_key]
                first, last = rng.choice(FIRST), rng.choice(LAST)
                role = rng.choice(ROLES[org.sector])
                if org_key == "mopac" and i == 0:
                    first, last, role = "Deputy", "Mayor (demo)", "Deputy Mayor for Policing and Crime"
                handle = f"{first}.{last}".lower().replace(" ", "").replace("(", "").replace(")", "")
                person, new = _ensure(
                    stakeholders, f"person:{i}", name=f"{first} {last}", kind="person", organisation=org,
                    sector=org.sector, role=role, email=f"{handle}{i}@example.org",
                    phone=f"020 7946 {i:04d}", influence=rng.randint(1, 5), interest=rng.randint(2, 5),
                    councils=stakeholders.councils_of(org),
                )
                added += new
                people.append(person)
                if new:  # the summit's delegates, registered the week before it
                    history.made(person, SUMMIT_DATE - dt.timedelta(days=7))
            evs = {}
            for key, title, kind, offset, place, council_name in EVENTS:
                date = SUMMIT_DATE + dt.timedelta(days=offset) if key not in ("board2", "summit2") \
                    else today + dt.timedelta(days=offset)
                evs[key], new = _ensure(events, f"event:{key}", title=title, kind=kind, date=date, place=place,
                                        council=council[council_name])
                added += new
                if new:  # planned three weeks ahead
                    history.made(evs[key], min(date, today) - dt.timedelta(days=21))
            # Almost 240 people attended the summit.
            for person in people:
                if _existing(attendance, f"att:summit:{person.uuid}") is None:
                    visit = attendance.create(identity=demo_uuid(f"att:summit:{person.uuid}"), event=evs["summit"],
                                              stakeholder=person, role="delegate", source="demo data")
                    history.made(visit, SUMMIT_DATE, hour=17)
                    added += 1
            for key in ("dv1", "dv2", "board1", "schools", "board2"):
                for person in rng.sample(people, 18):
                    if _existing(attendance, f"att:{key}:{person.uuid}") is None:
                        visit = attendance.create(identity=demo_uuid(f"att:{key}:{person.uuid}"), event=evs[key],
                                                  stakeholder=person, source="demo data")
                        history.made(visit, evs[key].date, hour=17)
                        added += 1
            owners_by_org = {}
            for person in people:
                owners_by_org.setdefault(person.organisation_id, []).append(person)
            n_action = n_open = 0
            for n_commitment, (key, title, about, by, at, theme, status, names, months) in enumerate(COMMITMENTS):
                made = evs[at].date
                target = max(made, today + dt.timedelta(days=round(30.4 * months)))
                com, new = _ensure(commitments, f"commitment:{key}", title=title, made_by=orgs[by], made_at=evs[at],
                                   date_made=made, target_date=target, theme=theme, status=status,
                                   councils=[council[n] for n in names])
                added += new
                if new:
                    history.made(com, min(made + dt.timedelta(days=2), today))
                for j in range(4 if key != "dv_commission" else 8):
                    n_action += 1
                    action_council = council[names[j % len(names)]]
                    if action_council.kind != "borough":
                        action_council = council[["Barking and Dagenham", "Havering", "Redbridge"][n_action % 3]]
                    if status == "achieved" or j == 0:
                        act_status, due = "done", today + dt.timedelta(days=rng.randint(*DONE_DAYS))
                    elif status == "lapsed":
                        act_status, due = "cancelled", target
                    else:
                        when = DUE_PATTERN[n_open % len(DUE_PATTERN)]
                        n_open += 1
                        early, late = DUE_DAYS[when]
                        if when == "later":  # by the commitment's target date, when that is not soon itself
                            late = max(early, min(late, (target - today).days))
                        act_status, due = rng.choice(STATUSES[when]), today + dt.timedelta(days=rng.randint(early, late))
                    owner = rng.choice(owners_by_org.get(orgs[by].id) or people)
                    template = ACTION_TEMPLATES[(5 * n_commitment + j) % len(ACTION_TEMPLATES)]  # none twice per commitment
                    closed = act_status in ("done", "cancelled")  # made open, closed later (below)
                    act, new = _ensure(actions, f"action:{key}:{j}", title=f"{template}: {about}", commitment=com,
                                       owner=owner, council=action_council, due_date=due,
                                       priority=rng.choice(["low", "medium", "medium", "high", "critical"]),
                                       status="in_progress" if closed else act_status)
                    added += new
                    if new:
                        _action_history(history, past, act, act_status, due, made, today)
                    for k in range(rng.randint(0, 3)):
                        note, new = _ensure(updates, f"update:{key}:{j}:{k}", action=act,
                                            date=min(today, due) - dt.timedelta(days=20 * (3 - k)),
                                            text=UPDATE_TEXTS[(n_action + k) % len(UPDATE_TEXTS)], author="Demo data")
                        added += new
                        if new:
                            history.made(note, note.date, hour=16)
                note, new = _ensure(updates, f"update:{key}", commitment=com, date=evs["board2"].date,
                                    text="Progress reported to the partnership board.", author="Demo data")
                added += new
                if new:
                    history.made(note, note.date, hour=16)
            history.write()
    finally:
        set_actor(previous.user, previous.council)
    return added



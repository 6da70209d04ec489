"""Fictional, realistic demo data: four teams across Wales with twelve weeks of contacts.

Every name here is made up. The generator is seeded, so a demo looks the same each time.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta, timezone
from functools import partial

from sqlalchemy import delete, update

from app.auth.passwords import hash_password
from app.contacts.operations import build_contact
from app.domain.requirements import Category
from app.domain.weeks import LONDON, week_start
from app.extensions import DbSession
from app.models import (
    Agency,
    CategoryChange,
    CohortPeriod,
    Contact,
    ContactType,
    DeselectionReason,
    Language,
    Outcome,
    Pathway,
    Pause,
    PauseReason,
    Person,
    Rag,
    RagChange,
    RequirementReview,
    Role,
    Team,
    User,
    utcnow,
)

TEAMS = (
    ("Powys IOM", "Dyfed-Powys Police", "Powys Community Safety Partnership", "powys"),
    ("Gwynedd a Môn IOM", "North Wales Police", "Gwynedd and Anglesey Community Safety Partnership", "gwynedd"),
    ("Caerdydd IOM", "South Wales Police", "Cardiff Community Safety Partnership", "caerdydd"),
    ("Casnewydd IOM", "Gwent Police", "Newport Community Safety Partnership", "casnewydd"),
)

FIRST_NAMES = (
    "Aled", "Bethan", "Carwyn", "Dafydd", "Eleri", "Ffion", "Gethin", "Gwenllian", "Huw", "Iolo",
    "Llew", "Lowri", "Rhodri", "Rhys", "Siôn", "Tomos", "Ynyr", "Cai", "Dylan", "Emyr",
    "Jack", "Liam", "Kyle", "Jordan", "Connor", "Nathan", "Ryan", "Callum", "Jade", "Chloe",
    "Ellis", "Mason", "Tyler", "Shannon", "Kayleigh", "Ieuan", "Osian", "Elis", "Gruffydd", "Ŵyn",
)
SURNAMES = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan",
    "Griffiths", "Price", "Powell", "Pritchard", "ap Gwilym", "Llywelyn", "Rhydderch",
    "Bevan", "Parry", "Owen", "Phillips", "Walsh", "Murphy", "Smith", "Clarke", "Ellis",
)
STAFF = (
    # (first name, surname, role, agency, language)
    ("Catrin", "Ffowc", Role.SUPERVISOR, Agency.POLICE, Language.WELSH),
    ("Mark", "Stephens", Role.SUPERVISOR, Agency.PROBATION, Language.ENGLISH),
    ("Siân", "Howells", Role.OFFICER, Agency.POLICE, Language.WELSH),
    ("Gareth", "Bowen", Role.OFFICER, Agency.POLICE, Language.ENGLISH),
    ("Nia", "Rowlands", Role.OFFICER, Agency.PROBATION, Language.WELSH),
    ("Paul", "Kelly", Role.OFFICER, Agency.PROBATION, Language.ENGLISH),
)
PEOPLE_PER_TEAM = 25
WEEKS = 12
ARRANGED_PEOPLE = (3, 4, 6, 7)  # in the first team, these people have contacts arranged this week
JOINT_VISIT_PEOPLE = (2, 5, 8)  # in each team, these people had a joint home visit last week

REVIEW_REASONING = {
    "risk": "Risk of reoffending assessed as reduced since stable accommodation was found.",
    "needs": "Continuing support with substance misuse through the local service.",
    "responses_to_supervision": "Attends most appointments; engages well with the offender manager.",
    "progress_towards_rehabilitation": "Started a college course; keeps to curfew.",
    "difficulties_attending": "Lives 30 miles from the office with one bus a day, so home visits suit best.",
}


def seed_demo(session: DbSession, *, password: str, today: date | None = None) -> list[User]:
    """Load the demo data set and return the accounts it made, admin first."""
    rng = random.Random(20261122)
    today = today or datetime.now(LONDON).date()
    password_hash = hash_password(password)
    accounts: list[User] = []
    teams = []
    for name, force, csp, slug in TEAMS:
        team = Team(name=name, force_area=force, community_safety_partnership=csp)
        session.add(team)
        teams.append((team, slug))
    session.flush()
    admin = User(email="admin@cyswllt.example", name="Alun Gweinyddwr", agency=Agency.PARTNER,
                 role=Role.ADMIN, team=teams[0][0], language=Language.WELSH, password_hash=password_hash)
    session.add(admin)
    accounts.append(admin)
    names = _unique_names(rng, len(TEAMS) * PEOPLE_PER_TEAM)
    moving: list[Person] = []
    officers_by_team: list[list[User]] = []
    arranged_for: list[Person] = []
    for index, (team, slug) in enumerate(teams):
        staff = _staff(session, team, slug, password_hash)
        accounts.extend(staff)
        officers = [user for user in staff if user.role == Role.OFFICER]
        team_names = names[index * PEOPLE_PER_TEAM:(index + 1) * PEOPLE_PER_TEAM]
        for number, display_name in enumerate(team_names):
            person = _person(session, rng, team, display_name, number, officers, today, staff[0])
            _contacts(session, rng, person, staff, today)
            if number in JOINT_VISIT_PEOPLE:
                _joint_visit(session, person, officers, today, number)
            if number == 1:
                moving.append(person)
            if index == 0 and number in ARRANGED_PEOPLE:
                arranged_for.append(person)
            if number == PEOPLE_PER_TEAM - 3:
                session.flush()
                _readmission(session, person, today)
        officers_by_team.append(officers)
    session.flush()
    _arrangements(session, arranged_for, officers_by_team[0], today)
    # One person in each team moved to the next team along two weeks ago.
    for index, person in enumerate(moving):
        next_index = (index + 1) % len(teams)
        _transfer(session, person, teams[next_index][0], officers_by_team[next_index][0], today)
    session.flush()
    accounts.extend(_staff_comings_and_goings(session, teams[0][0], teams[0][1], password_hash, today))
    session.flush()
    _plans_and_meetings(session, teams[0][0], today)
    session.flush()
    return accounts


def _staff_comings_and_goings(session: DbSession, team: Team, slug: str, password_hash: str, today: date) -> list[User]:
    """A new officer invited but not yet signed up, and a leaver whose account is deactivated.

    The leaver's contacts (from before they left) stay theirs and keep counting. A random
    generator of its own leaves the rest of the demo data as it was.
    """
    from sqlalchemy import select

    from app.account.links import issue
    from app.models import LinkPurpose

    rng = random.Random(20261201)
    invited = User(email=f"elin.newydd@{slug}.cyswllt.example", name="Elin Newydd", agency=Agency.PROBATION,
                   role=Role.OFFICER, team=team, language=Language.WELSH, password_hash=None)
    leaver = User(email=f"dewi.gadael@{slug}.cyswllt.example", name="Dewi Gadael", agency=Agency.POLICE,
                  role=Role.OFFICER, team=team, language=Language.ENGLISH, password_hash=password_hash)
    session.add_all([invited, leaver])
    session.flush()
    issue(session, invited, LinkPurpose.INVITE, by=None)
    people = list(session.scalars(select(Person).where(Person.team_id == team.id, Person.left_on.is_(None))))
    now = utcnow()
    for days_ago in range(30, 9, -3):  # a contact every few days until they left, ten days ago
        occurred = datetime.combine(today - timedelta(days=days_ago), time(rng.randint(9, 17)), LONDON)
        occurred = occurred.astimezone(timezone.utc)
        person = rng.choice(people)
        if occurred.date() < person.joined_on or occurred > now:
            continue
        session.add(build_contact(
            contact_id=uuid.UUID(int=rng.getrandbits(128), version=4), person=person, recorded_by=leaver,
            type=rng.choice((ContactType.HOME_VISIT, ContactType.PHONE, ContactType.PUBLIC_PLACE)),
            outcome=Outcome.KEPT, occurred_at=occurred, recorded_at=occurred + timedelta(minutes=20),
            received_at=occurred + timedelta(minutes=25), duration_minutes=30,
        ))
    leaver.active = False
    return [invited, leaver]


def _unique_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}")
    return sorted(names, key=lambda _name: rng.random())


def _staff(session: DbSession, team: Team, slug: str, password_hash: str) -> list[User]:
    staff = []
    for first, surname, role, agency, language in STAFF:
        user = User(
            email=f"{first.lower().replace('â', 'a')}.{surname.lower()}@{slug}.cyswllt.example",
            name=f"{first} {surname}",
            agency=agency,
            role=role,
            team=team,
            language=language,
            password_hash=password_hash,
        )
        session.add(user)
        staff.append(user)
    session.flush()
    return staff


def _person(session: DbSession, rng, team, display_name, number, officers, today, supervisor) -> Person:
    category = (Category.FIXED, Category.FIXED, Category.FLEX, Category.FREE)[number % 4]
    rag = (Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN, Rag.GREEN)[number % 5]
    joined = today - timedelta(days=rng.randint(14, 400))
    manager = officers[number % len(officers)]
    y2a = number % 9 == 4
    person = Person(
        team=team,
        display_name=display_name,
        # Unique in Wales (team and number), with a PNC ID whose check letter is right.
        delius_crn=f"{chr(65 + number % 26)}{100000 + team.id * 1000 + number}",
        niche_ref=_pnc_id(f"{rng.randint(10, 26):02d}", f"{team.id * 1000 + number:07d}"),
        category=category,
        rag=rag,
        lead_agency=manager.agency,
        offender_manager=manager,
        wisdom=category == Category.FREE and number % 8 == 3,
        mappa=number % 7 == 2,
        y2a=y2a,
        y2a_minimum_ends=joined + timedelta(days=91) if y2a else None,
        joined_on=joined,
    )
    session.add(person)
    session.flush()
    session.add(CategoryChange(person_id=person.id, category=category, effective=joined,
                               reason="Selected for the cohort at the local panel.", changed_by_id=supervisor.id))
    session.add(RagChange(person_id=person.id, rag=rag, effective=joined,
                          reason="Initial classification at selection.", changed_by_id=supervisor.id))
    if category == Category.FIXED and number % 3 == 0:
        effective = today - timedelta(days=rng.randint(20, 60))
        session.add(RequirementReview(
            person_id=person.id, effective=max(effective, joined), contacts_per_week=rng.choice((1, 2, 4)),
            reviewer_id=supervisor.id, next_review_due=effective + timedelta(days=rng.choice((28, 56, 84))),
            **REVIEW_REASONING,
        ))
    if number % 11 == 5:
        session.add(Pause(person_id=person.id, start=today - timedelta(days=rng.randint(10, 30)), end=None,
                          reason=PauseReason.CUSTODY, created_by_id=supervisor.id))
    if number == PEOPLE_PER_TEAM - 1:
        person.left_on = today - timedelta(days=5)
        person.left_reason = DeselectionReason.MOVED_AREA
        person.left_criteria = [DeselectionReason.MOVED_AREA.value, DeselectionReason.NO_OUTSTANDING_CHARGES.value]
    if number == PEOPLE_PER_TEAM - 2:
        person.rag = Rag.GREEN
        person.left_on = today - timedelta(days=9)
        person.left_reason = DeselectionReason.GREEN_THREE_MONTHS
        person.left_criteria = [DeselectionReason.GREEN_THREE_MONTHS.value,
                                DeselectionReason.NO_CONVICTION_12_MONTHS.value]
        person.exit_strategy = "Handed to the neighbourhood policing team; monthly check-in with the housing officer."
    return person


def _pnc_id(year: str, serial: str) -> str:
    from app.cohort.rules import pnc_check_letter

    return f"{year}/{serial}{pnc_check_letter(year, serial)}"


def _readmission(session: DbSession, person: Person, today: date) -> None:
    """A person who left (moved away) and came back: the first period is kept."""
    first_left = person.joined_on + timedelta(days=max(7, (today - person.joined_on).days // 3))
    back = min(today, first_left + timedelta(days=21))
    session.add(CohortPeriod(person_id=person.id, team_id=person.team_id, started_on=person.joined_on,
                             ended_on=first_left, ended_by="deselection", left_reason=DeselectionReason.MOVED_AREA,
                             left_criteria=[DeselectionReason.MOVED_AREA.value]))
    person.joined_on = back
    session.execute(delete(Contact).where(Contact.person_id == person.id,
                                          Contact.occurred_at >= datetime.combine(first_left, time(0), LONDON),
                                          Contact.occurred_at < datetime.combine(back, time(0), LONDON)))


def _transfer(session: DbSession, person: Person, to_team: Team, officer: User, today: date) -> None:
    """A person who moved to another team two weeks ago: the old team keeps its weeks."""
    on = week_start(datetime.combine(today, time(12), LONDON)) - timedelta(weeks=2)
    if on <= person.joined_on:
        return
    session.add(CohortPeriod(person_id=person.id, team_id=person.team_id, started_on=person.joined_on,
                             ended_on=on, ended_by="transfer"))
    session.execute(update(Contact).where(
        Contact.person_id == person.id, Contact.occurred_at >= datetime.combine(on, time(0), LONDON),
    ).values(team_id=to_team.id, recorded_by_id=officer.id, recorder_agency=officer.agency))
    person.team = to_team
    person.joined_on = on
    person.offender_manager = officer
    person.lead_agency = officer.agency


def _joint_visit(session: DbSession, person: Person, officers: list[User], today: date, number: int) -> None:
    """A police and a probation officer visited together last week, and both recorded it, each
    naming the other: the second record is linked to the first, so the visit counts once."""
    police = next(user for user in officers if user.agency == Agency.POLICE)
    probation = next(user for user in officers if user.agency == Agency.PROBATION)
    monday = week_start(datetime.combine(today, time(12), LONDON)) - timedelta(weeks=1)
    day = monday + timedelta(days=1 + number % 3)
    if day < person.joined_on or (person.left_on and day >= person.left_on):
        return
    occurred = datetime.combine(day, time(10, 30), LONDON).astimezone(timezone.utc)
    first_id = uuid.uuid5(uuid.NAMESPACE_URL, f"cyswllt-demo-joint-{person.display_name}-police")
    visit = partial(build_contact, person=person, type=ContactType.HOME_VISIT, outcome=Outcome.KEPT, duration_minutes=45)
    session.add(visit(
        contact_id=first_id, recorded_by=police, colleague_ids=[probation.id], occurred_at=occurred,
        recorded_at=occurred + timedelta(minutes=50), received_at=occurred + timedelta(minutes=55),
    ))
    session.flush()  # the first is stored before the record linked to it
    session.add(visit(
        contact_id=uuid.uuid5(uuid.NAMESPACE_URL, f"cyswllt-demo-joint-{person.display_name}-probation"),
        recorded_by=probation, colleague_ids=[police.id], occurred_at=occurred + timedelta(minutes=5),
        recorded_at=occurred + timedelta(hours=3), received_at=occurred + timedelta(hours=3, minutes=2),
        same_as_id=first_id,
    ))


def _contacts(session: DbSession, rng, person: Person, staff: list[User], today: date) -> None:
    diligence = rng.choice((0.5, 0.8, 1.0, 1.0, 1.2))  # some people met, some short
    target = {Category.FIXED: 3, Category.FLEX: 1, Category.FREE: 2}[person.category]
    now = utcnow()
    first_week = week_start(datetime.combine(today, time(12), LONDON)) - timedelta(weeks=WEEKS - 1)
    for week_index in range(WEEKS):
        monday = first_week + timedelta(weeks=week_index)
        wanted = max(0, round(target * diligence + rng.uniform(-0.6, 0.6)))
        for _ in range(wanted):
            day = monday + timedelta(days=rng.randint(0, 6))
            if day < person.joined_on or (person.left_on and day >= person.left_on):
                continue
            occurred = datetime.combine(day, time(rng.randint(8, 19), rng.choice((0, 15, 30, 45))), LONDON)
            occurred = occurred.astimezone(timezone.utc)
            if occurred > now:
                continue
            contact_type = rng.choice(list(ContactType))
            outcome = rng.choices(list(Outcome), weights=(75, 10, 10, 5))[0]
            recorder = rng.choice(staff)
            session.add(build_contact(
                contact_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                person=person,
                recorded_by=recorder,
                type=contact_type,
                outcome=outcome,
                occurred_at=occurred,
                recorded_at=occurred + timedelta(minutes=rng.randint(1, 90)),
                received_at=min(now, occurred + timedelta(minutes=rng.randint(2, 600))),
                duration_minutes=rng.choice((None, 15, 30, 45, 60)),
                pathways=rng.sample([p.value for p in Pathway], k=rng.randint(1, 2))
                if contact_type == ContactType.WELFARE_HELP else (),
                notes=None,
            ))


PLAN_WORK = {
    Pathway.ACCOMMODATION: ("high", "On the council's housing list; support worker from the housing association."),
    Pathway.DRUGS_ALCOHOL: ("some", "Attends the local substance misuse service every fortnight."),
    Pathway.EDUCATION_TRAINING_EMPLOYMENT: ("some", "Referred to a college course in construction skills."),
    Pathway.FINANCE_BENEFITS_DEBT: ("high", "Help with a Universal Credit claim and rent arrears."),
}


def _plans_and_meetings(session: DbSession, team: Team, today: date) -> None:
    """The demo team's plans and meetings: a plan for a few people, with an action overdue; a
    meeting twelve days ago that discussed some of them; and the next one in two days, whose
    agenda lists a red person, an amber one due for review, a de-selection candidate and the
    overdue action. Through the same operations as the pages (app/plans, app/meetings)."""
    from sqlalchemy import select

    from app.domain.plans import Need, Owner
    from app.meetings import operations as meetings
    from app.plans import operations as plans

    staff = list(session.scalars(select(User).where(User.team_id == team.id, User.active.is_(True),
                                                    User.password_hash.is_not(None)).order_by(User.id)))
    supervisor = next(user for user in staff if user.role == Role.SUPERVISOR)
    officers = [user for user in staff if user.role == Role.OFFICER]
    people = list(session.scalars(select(Person).where(Person.team_id == team.id, Person.left_on.is_(None))
                                  .order_by(Person.id)))
    for number, person in enumerate(people[:6]):
        for pathway, (need, work) in list(PLAN_WORK.items())[number % 2::2]:
            plans.set_pathway(session, person, by=supervisor, pathway=pathway, need=Need(need), work=work)
    planned = people[:6]
    plans.add_action(session, planned[0], by=supervisor, description="Housing assessment with the council",
                     owner=Owner(agency_name="Powys County Council housing"), due_on=today - timedelta(days=6),
                     pathway=Pathway.ACCOMMODATION)
    plans.add_action(session, planned[1], by=supervisor, description="Check the Universal Credit claim is paid",
                     owner=Owner(user_id=(planned[1].offender_manager_id or officers[0].id)),
                     due_on=today - timedelta(days=3), pathway=Pathway.FINANCE_BENEFITS_DEBT)
    plans.add_action(session, planned[2], by=supervisor, description="Book the first college interview",
                     owner=Owner(user_id=officers[0].id), due_on=today + timedelta(days=10),
                     pathway=Pathway.EDUCATION_TRAINING_EMPLOYMENT)
    # Twelve days ago: attendance and a decision about two people (so they are not "amber due" again yet).
    earlier = meetings.create_meeting(session, team, held_on=today - timedelta(days=12), by=supervisor)
    for agency, attendees in (("Police", "Catrin Ffowc, Siân Howells"), ("Probation", "Mark Stephens, Nia Rowlands"),
                              ("Housing", "Mererid Puw")):
        meetings.set_attendance(session, earlier, agency=agency, attendees=attendees)
    ambers = [person for person in people if person.rag == Rag.AMBER]
    for person in ambers[:1]:
        meetings.record_decision(session, earlier, person, meetings.Decision(
            rag=person.rag, lead_agency=person.lead_agency, offender_manager_id=person.offender_manager_id),
            by=supervisor, today=today, reason="Agreed at the IOM meeting.")
    meetings.create_meeting(session, team, held_on=today + timedelta(days=2), by=supervisor)
def _arrangements(session: DbSession, people: list[Person], officers: list[User], today: date) -> None:
    """A few contacts arranged around today for the first team's first officer: one today, one later
    in the week, one moved, one cancelled by the person, one recorded, and one whose outcome is missing
    (two days ago). Through the service that the web and the API use, so each is audited."""
    from app.arrangements import operations as arranging
    from app.arrangements.contract import ArrangementInput
    from app.domain.arrangements import CancelledBy

    officer = officers[0]
    now = utcnow()

    def at(days: int, hour: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=LONDON).astimezone(timezone.utc)

    plans = [
        (people[0], ContactType.HOME_VISIT, at(0, 14), "12 Stryd y Bont", None),
        (people[1], ContactType.OFFICE, at(2, 11), "Swyddfa'r heddlu", "Gweithiwr tai"),
        (people[2], ContactType.PUBLIC_PLACE, at(-2, 10), "Caffi'r farchnad", None),  # outcome missing
        (people[3], ContactType.PARTNER_AGENCY, at(1, 10), "Canolfan iechyd", "Nyrs camddefnyddio sylweddau"),
        (people[0], ContactType.PHONE, at(-1, 16), None, None),
        (people[1], ContactType.HOME_VISIT, at(-1, 9), "Fflat 3, Heol y Castell", None),
    ]
    made = []
    for person, kind, when, place, with_whom in plans:
        item = ArrangementInput(arrangement_id=uuid.uuid4(), person_id=person.id, type=kind, starts_at=when,
                                place=place, with_whom=with_whom)
        [result] = arranging.arrange(session, officer, [item], now=min(now, when - timedelta(days=2)))
        made.append(result.arrangement)
    moved, cancelled, recorded = made[3], made[4], made[5]
    if moved is not None:
        arranging.move(session, officer, moved, starts_at=moved.starts_at + timedelta(hours=5),
                       reason="Mae'r nyrs ar gael yn y prynhawn yn unig.", now=now)
    if cancelled is not None:
        arranging.cancel(session, officer, cancelled, cancelled_by=CancelledBy.PERSON,
                         reason="Roedd yn sâl ac wedi ffonio i ganslo.", now=now)
    if recorded is not None and recorded.starts_at <= now:
        arranging.record_outcome(session, officer, recorded, outcome=Outcome.KEPT, contact_id=uuid.uuid4(), now=now)

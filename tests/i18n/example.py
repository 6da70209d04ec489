"""The example data and the list of pages that the Welsh checks render (server and browser).

The pages come from ``app.url_map``, so a page added anywhere is checked without anyone
adding it here. A route that cannot be rendered fails, telling the developer what to add.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from app.extensions import db
from tests import factories

NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)

# Endpoints with no page of their own, each with the reason. Keep it short.
NOT_PAGES = {
    "static": "files served as they are; the phone app's screens are checked in the browser",
    "static_unversioned": "the same files at their plain addresses (app/assets.py)",
    "main.switch_language": "redirects back to the page the switch was followed from",
}

# Every GET route that does not answer with an HTML page, and what it answers with instead.
# Every other route must answer with an HTML page, and each listed one with its kind: the
# Welsh checks fail otherwise, so nothing is dropped unseen. Manifests and CSV files are
# read for their words here; JSON (the API's messages are checked in test_api_messages.py)
# and code are not words for a reader. The browser check opens only the HTML pages.
NOT_HTML = {
    "api.caseload": "json",
    "api.arrangements": "json",
    "api.contact": "json",
    "api.open_concerns": "json",
    "api.openapi": "json",
    "api.session_info": "json",
    "pwa.script_catalogue": "json",
    "pwa.manifest": "manifest",
    "pwa.service_worker": "code",
    "supervision.contacts_export": "csv",
    "supervision.week_export": "csv",
    "supervision.measures_export": "csv",
    "supervision.export_run_file": "csv",  # the example run is a Delius one
    "meetings.agenda_export": "csv",
    "meetings.minutes_export": "csv",
    "observability.healthz": "json",
    "observability.readyz": "json",
    "devices.team_devices": "json",
}

# The content types each kind may have.
MIMETYPES = {
    "html": ("text/html",),
    "json": ("application/json",),
    "manifest": ("application/manifest+json",),
    "code": ("text/javascript", "application/javascript"),
    "csv": ("text/csv",),
}


def kind_of(rule) -> str:
    """What the route answers with: "html" unless NOT_HTML says otherwise."""
    return NOT_HTML.get(rule.endpoint, "html")


# How to fill each URL argument from the example data, for a reader of a language ("cy" or
# "en"). A route with an argument that is not here fails the test: add the argument (and, if
# needed, the example row).
ROUTE_ARGUMENTS = {
    "person_id": lambda data, language: data.person.id,
    "contact_id": lambda data, language: data.contact.id,
    "user_id": lambda data, language: data.officer.id,
    "team_id": lambda data, language: data.team.id,
    "review_id": lambda data, language: data.review.id,
    "pause_id": lambda data, language: data.pause.id,
    "run_id": lambda data, language: data.export_run.id,
    "meeting_id": lambda data, language: data.meeting.id,
    "arrangement_id": lambda data, language: data.arrangement.id,
    # Addresses that name a language (the phone app's shell, manifest, messages): the reader's own.
    "language": lambda data, language: language,
    "lang": lambda data, language: language,
    # The one-time link's page: a real invitation, so that its form is shown.
    "token": lambda data, language: invitation_token(data),
}


def invitation_token(data) -> str:
    """One invitation link for the example officer (made once: a newer link would end it)."""
    if not hasattr(data, "_invitation_token"):
        from app.account import links
        from app.models import LinkPurpose

        data._invitation_token = links.issue(db.session, data.officer, LinkPurpose.INVITE, by=data.admin)
        db.session.commit()
    return data._invitation_token

# Pages whose language switch rightly goes back to another address than their own: the
# phone app's shell in one named language (precached by its service worker) switches to /app.
SWITCH_GOES_BACK_TO = {
    "pwa.shell_in": "/app",
}

# Pages that answer differently with a query string (a filter, an export): each query here
# is rendered too, as an extra page, for example {"audit_trail.export": [lambda data: {...}]}.
ROUTE_QUERIES: dict = {}

# The roles tried, in order, for a page that needs signing in: the first that may see it.
ROLES = ("officer", "supervisor", "admin")


@dataclass
class ExampleData:
    team: object
    officer: object
    supervisor: object
    admin: object
    person: object
    contact: object
    review: object
    pause: object
    words: frozenset[str]
    export_run: object = None
    meeting: object = None
    arrangement: object = None


def build_example(app) -> ExampleData:
    """A small team with one of almost everything, so that pages show as many words as they can."""
    app.config["FIXED_NOW"] = NOW
    team = factories.team("Powys IOM", community_safety_partnership="Powys Community Safety Partnership")
    officer = factories.user(team, "gareth.hughes@powys.example", name="Gareth Hughes")
    supervisor = factories.user(team, "catrin.ffowc@powys.example", role="supervisor", name="Catrin Ffowc")
    admin = factories.user(team, "aled.price@powys.example", role="admin", name="Aled Price")
    person = factories.person(team, "Rhys Evans", rag="red", offender_manager=officer, wisdom=True, mappa=True,
                              y2a=True, y2a_minimum_ends=date(2026, 12, 7), delius_crn="X123456",
                              niche_ref="PNC 26/123456A")
    other = factories.person(team, "Lowri Evans", category="flex", rag="green")
    factories.person(team, "Llew Jones", category="free", rag="amber", joined_on=date(2026, 11, 24))
    contact = None
    for index, (kind, outcome) in enumerate([
        ("home_visit", "kept"), ("phone", "did_not_attend"), ("public_place", "not_at_home"),
        ("office", "refused"), ("welfare_help", "kept"), ("lift_practical", "kept"), ("activity", "kept"),
        ("partner_agency", "kept"), ("video_online", "kept"),
    ]):
        # The first is a sensitive concern with someone else there: its alert is on the home pages.
        made = factories.contact(person, officer, occurred_at=NOW - timedelta(days=1, hours=index), type=kind,
                                 outcome=outcome, duration_minutes=30, pathways=["accommodation", "health"],
                                 sensitive=index == 0, concern=index == 0, others_present="Lowri Evans" if index == 0 else None)
        contact = contact or made
    void = factories.contact(other, supervisor, occurred_at=NOW - timedelta(days=2))
    void.voided = True
    void.void_reason = "Duplicate"
    db.session.commit()
    review = factories.review(person, date(2026, 11, 2), 2, reviewer_id=supervisor.id,
                              next_review_due=date(2027, 2, 1))
    factories.pause(other, date(2026, 10, 1), date(2026, 10, 20), reason="hospital")
    # An open pause of the example person (since Monday of this week), so pages about ending one render.
    pause = factories.pause(person, date(2026, 11, 23), None, reason="custody")
    # A phone that has held a record for three days: the phones page, the home screen's warning
    # and the account page show it.
    phone = factories.device(officer, unsent=2, attention=1, oldest_unsent_at=NOW - timedelta(days=3),
                             last_seen_at=NOW - timedelta(hours=2), app_version="0123456789abcdef",
                             storage_persisted=True)
    # A Delius export of the week's contacts, so its page and file are read for their words.
    from app.supervision.export_runs import make_run

    export_run = make_run(db.session, team, "delius", by=supervisor, changed_only=False,
                          first_day=date(2026, 11, 23), last_day=date(2026, 11, 29), now=NOW)
    db.session.commit()
    meeting = example_meeting(team, supervisor, officer, person)
    # An arranged contact whose outcome is missing (a day and more ago), moved once, and one cancelled.
    arrangement = factories.arrangement(person, officer, NOW - timedelta(days=1, hours=2), place="Swyddfa Drenewydd",
                                        with_whom="Gweithiwr tai")
    from app.arrangements import operations as arranging

    arranging.move(db.session, officer, arrangement, starts_at=NOW - timedelta(days=1, hours=1), reason="Reasoning.",
                   now=NOW - timedelta(days=2))
    cancelled = factories.arrangement(other, officer, NOW + timedelta(days=1), place=None)
    arranging.cancel(db.session, officer, cancelled, cancelled_by="team", reason="Reasoning.", now=NOW)
    db.session.commit()
    # Data is shown as it was typed, in whichever language it was typed in.
    words = frozenset({
        team.name, team.force_area, team.community_safety_partnership, "Powys", "Dyfed-Powys",
        *(user.name for user in (officer, supervisor, admin)), *(user.email for user in (officer, supervisor, admin)),
        "Rhys Evans", "Lowri Evans", "Llew Jones", "Swyddfa Drenewydd", "Gweithiwr tai", "X123456", "PNC 26/123456A", "Reasoning.", "Duplicate",
        # The own page names each sign-in's browser and system as the device reported them.
        "HeadlessChrome", "Linux",
        # A phone's browser and system as it reported them, its short id and the app's version.
        "Chrome Mobile", "Android", str(phone.id)[:8], "0123456789abcdef",
        # Delius codes go out unchanged in every language (app/domain/exports.py).
        "ATTC", "AAAA", "UAAB", "C204", "CHVS", "COPT", "COVC", "COAP", "COOO", "C084",
        # The example plan and meeting, as typed (app/plans, app/meetings).
        "Tai Powys", "Mererid Jones", "Housing assessment", "Referred to the council's housing team.",
    })
    return ExampleData(team, officer, supervisor, admin, person, contact, review, pause, words, export_run, meeting,
                       arrangement)


def example_meeting(team, supervisor, officer, person):
    """A plan with an overdue action for a partner agency, and today's meeting with its attendance,
    a decision and an action agreed, so that the plan and meeting pages show all their words."""
    from app.domain.plans import Need, Owner
    from app.meetings import operations as meetings
    from app.models import Agency, Pathway, Rag
    from app.plans import operations as plans

    plans.set_pathway(db.session, person, by=officer, pathway=Pathway.ACCOMMODATION, need=Need.HIGH,
                      work="Referred to the council's housing team.")
    plans.add_action(db.session, person, by=officer, description="Housing assessment",
                     owner=Owner(agency_name="Tai Powys"), due_on=date(2026, 11, 20))
    meeting = meetings.create_meeting(db.session, team, held_on=NOW.date(), by=supervisor)
    meetings.set_attendance(db.session, meeting, agency="Tai Powys", attendees="Mererid Jones")
    meetings.record_decision(db.session, meeting, person, meetings.Decision(
        rag=Rag.RED, lead_agency=Agency.POLICE, offender_manager_id=officer.id,
        action=meetings.NewAction("Housing assessment", Owner(user_id=officer.id), date(2026, 12, 2))),
        by=supervisor, today=NOW.date(), reason="Reasoning.")
    db.session.commit()
    return meeting



def page_rules(app):
    """Every GET route that is a page (or a file of words: manifest, CSV), in a stable order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES:
            yield rule


def example_urls(app, rule, data, language: str) -> list[str]:
    """The route's address, then the same address with each of its ROUTE_QUERIES."""
    from urllib.parse import urlencode

    url = example_url(app, rule, data, language)
    return [url] + [f"{url}?{urlencode(query(data))}" for query in ROUTE_QUERIES.get(rule.endpoint, [])]


def example_url(app, rule, data, language: str) -> str:
    missing = [name for name in rule.arguments - set(rule.defaults or {}) if name not in ROUTE_ARGUMENTS]
    if missing:
        raise LookupError(
            f"{rule.rule} ({rule.endpoint}) needs {', '.join(sorted(missing))}: add an example to "
            "ROUTE_ARGUMENTS in tests/i18n/example.py (or, if it is not a page, to NOT_PAGES with why)"
        )
    values = {name: ROUTE_ARGUMENTS[name](data, language) for name in rule.arguments - set(rule.defaults or {})}
    return app.url_map.bind("localhost").build(rule.endpoint, values, method="GET")




def set_language(user, language: str) -> None:
    from app import scoping
    from app.models import Language, User

    row = db.session.get(User, user.id, execution_options=scoping.UNSCOPED)
    row.language = Language(language)
    db.session.commit()


def who_can_see(app, rule, url: str, data) -> str | None:
    """None if the page can be seen signed out, else the first role in ROLES allowed to see it."""
    from tests.conftest import sign_in

    client = app.test_client()
    if client.get(url).status_code == 200:
        return None
    statuses = []
    for role in ROLES:
        client = app.test_client()
        assert sign_in(client, getattr(data, role).email).status_code == 302
        status = client.get(url).status_code
        if status == 200:
            return role
        statuses.append(status)
    raise LookupError(
        f"{url} ({rule.endpoint}) answered {statuses} to every role: give it example data in "
        "tests/i18n/example.py, or list it in NOT_PAGES with why it is not a page"
    )

"""Every route in the app, and how to fill in its URL for the access-control matrix.

The matrix and the CSRF test walk ``app.url_map`` on their own, so a route added later is
checked without editing anything. Two tables here say what cannot be worked out:

- ``PUBLIC``: endpoints that answer a signed-out visitor. Every other route must send a
  signed-out visitor to the sign-in page (pages) or answer 401 (``/api/``).
- ``LOWEST_ROLE``: endpoints that only supervisors or only administrators may use. Every
  other route is for any signed-in user of the team.
- ``ARGUMENTS``: how to fill each URL argument. A team-owned argument gives a value of the
  user's own team, of another team, and one that does not exist; the matrix checks that
  another team's record answers exactly as a record that does not exist.

A route with an argument not in ``ARGUMENTS`` fails the matrix with a message saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.routing import Rule

from tests.trust.conftest import World

PUBLIC = {
    "static",
    "static_unversioned",  # the same files at their plain addresses (app/assets.py)
    "auth.login",
    "main.switch_language",
    "api.openapi",  # the API's published description: no data in it
    # The phone app's shell, service worker, manifests and script catalogues: no personal
    # data in any of them, and they must load offline and before sign-in.
    "pwa.shell",
    "pwa.shell_in",
    "pwa.service_worker",
    "pwa.script_catalogue",
    "pwa.manifest",
    # For the load balancer and monitoring: whether the process is up and the database ready.
    "observability.healthz",
    "observability.readyz",
    "account.set_password",  # the one-time link is the proof of who it is for
}

ROLES = ("officer", "supervisor", "admin")
LOWEST_ROLE = {
    "audit_trail.export": "admin",
    "audit_trail.browse": "supervisor",
    "supervision.wales_page": "admin",
    "supervision.delius_codes": "supervisor",
    "supervision.exports_page": "supervisor",
    "supervision.export_run_page": "supervisor",
    "supervision.export_run_file": "supervisor",
    "supervision.reviews_page": "supervisor",
    "supervision.deselection_page": "supervisor",
    "supervision.measures_page": "supervisor",
    "supervision.measures_export": "supervisor",
    "supervision.review_person": "supervisor",
    "supervision.change_category": "supervisor",
    "supervision.change_rag": "supervisor",
    "supervision.add_pause": "supervisor",
    "supervision.end_pause": "supervisor",
    "supervision.deselect": "supervisor",
    "supervision.team_settings": "supervisor",
    "cohort.admit": "supervisor",
    "cohort.allocation": "supervisor",
    "cohort.transfer": "supervisor",
    "cohort.transfer_in": "supervisor",
    "cohort.readmit": "supervisor",
    "cohort.import_page": "supervisor",
    "supervision.team_details": "supervisor",
    "supervision.new_team": "admin",
    "staff.staff_page": "supervisor",
    "staff.invite": "supervisor",
    "staff.account": "supervisor",
    "staff.new_link": "supervisor",
    "staff.deactivate": "supervisor",
    "staff.reactivate": "supervisor",
    "devices.phones_page": "supervisor",
    "devices.revoke": "supervisor",
    "devices.team_devices": "supervisor",
    # Joint contacts: a supervisor confirms or dismisses "possibly the same contact".
    "supervision.confirm_same": "supervisor",
    "supervision.dismiss_possible": "supervisor",
    # The fortnightly IOM meeting (app/meetings): run by whoever acts for the team.
    "meetings.meetings_page": "supervisor",
    "meetings.meeting_page": "supervisor",
    "meetings.attendance": "supervisor",
    "meetings.decide": "supervisor",
    "meetings.agenda_export": "supervisor",
    "meetings.minutes_export": "supervisor",
}

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Owned:
    """A URL argument naming a team-owned record."""

    own: Callable[[World], object]
    other: Callable[[World], object]
    missing: Callable[[World], object]


@dataclass(frozen=True)
class Fixed:
    value: object


PERSON = Owned(lambda w: w.own_person.id, lambda w: w.other_person.id, lambda w: w.missing_int)
CONTACT = Owned(lambda w: w.own_contact.id, lambda w: w.other_contact.id, lambda w: w.missing_uuid)
USER = Owned(lambda w: w.officer.id, lambda w: w.other_officer.id, lambda w: w.missing_int)
PAUSE = Owned(lambda w: w.own_pause.id, lambda w: w.other_pause.id, lambda w: w.missing_int)
DEVICE = Owned(lambda w: w.own_device.id, lambda w: w.other_device.id, lambda w: w.missing_uuid)


def _export_run(which: str) -> Callable[[World], object]:
    """An export run of the team (own) or of the other team, made the first time it is asked for."""

    def run_of(world: World) -> object:
        from datetime import date

        from app.extensions import db
        from app.models import ExportRun

        runs = world.__dict__.setdefault("export_runs", {})
        if which not in runs:
            team, user = (world.team, world.supervisor) if which == "own" else (world.other_team, world.other_officer)
            run = ExportRun(team_id=team.id, kind="delius", made_by_id=user.id, changed_only=False,
                            first_day=date(2026, 11, 2), last_day=date(2026, 11, 8), sensitive_notes=False, rows=0)
            db.session.add(run)
            db.session.commit()
            runs[which] = run.id
        return runs[which]

    return run_of


def _meeting(which: str) -> Callable[[World], object]:
    """A meeting of the team (own) or of the other team, made the first time it is asked for."""

    def meeting_of(world: World) -> object:
        from datetime import date, datetime, timezone

        from app.extensions import db
        from app.models import Meeting

        meetings = world.__dict__.setdefault("meetings", {})
        if which not in meetings:
            team, user = (world.team, world.supervisor) if which == "own" else (world.other_team, world.other_officer)
            # A Core insert (not audited), so that making it is not counted as the request's change.
            meetings[which] = db.session.execute(Meeting.__table__.insert().values(
                team_id=team.id, held_on=date(2026, 11, 24), created_by_id=user.id,
                created_at=datetime(2026, 11, 24, 9, tzinfo=timezone.utc)).returning(Meeting.__table__.c.id)).scalar_one()
            db.session.commit()
        return meetings[which]

    return meeting_of


MEETING = Owned(_meeting("own"), _meeting("other"), lambda w: w.missing_int)
ARRANGEMENT = Owned(lambda w: w.own_arrangement.id, lambda w: w.other_arrangement.id, lambda w: w.missing_uuid)
EXPORT_RUN = Owned(_export_run("own"), _export_run("other"), lambda w: w.missing_int)
TEAM = Owned(lambda w: w.team.id, lambda w: w.other_team.id, lambda w: w.missing_int)

# By argument name; an (endpoint, argument) key wins over the name alone.
ARGUMENTS: dict[object, Owned | Fixed] = {
    "person_id": PERSON,
    "contact_id": CONTACT,
    "user_id": USER,
    "team_id": TEAM,
    "pause_id": PAUSE,
    "device_id": DEVICE,
    "run_id": EXPORT_RUN,
    "meeting_id": MEETING,
    "arrangement_id": ARRANGEMENT,
    "code": Fixed("cy"),
    "language": Fixed("cy"),
    "filename": Fixed("css/app.css"),
    # A link that was never made: the page says it cannot be used (tests/test_staff.py uses real ones).
    "token": Fixed("never-made-link-token"),
    # One of the caller's own sign-ins is not known in advance: an id no sign-in has
    # (tests/test_account.py ends real ones, and shows another user's answers as this does).
    "sign_in_id": Fixed(987654),
    ("static", "build"): Fixed("0123456789abcdef"),  # any build is answered (app/assets.py)
}


def checked_methods(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def argument_for(rule: Rule, name: str) -> Owned | Fixed:
    found = ARGUMENTS.get((rule.endpoint, name)) or ARGUMENTS.get(name)
    if found is None:
        converter = type(rule._converters.get(name)).__name__
        raise LookupError(
            f"The access-control matrix does not know how to fill <{name}> ({converter}) in "
            f"{rule.rule} (endpoint {rule.endpoint}). Add it to ARGUMENTS in tests/trust/routes.py: "
            f"Owned(own, other team, missing) for a team-owned record, Fixed(value) otherwise."
        )
    return found


def owns_records(rule: Rule) -> bool:
    return any(isinstance(argument_for(rule, name), Owned) for name in rule.arguments)


def url_for_rule(rule: Rule, world: World, which: str = "own") -> str:
    """The rule's URL, with team-owned arguments taken from ``which``: own, other or missing."""
    values = {}
    for name in rule.arguments:
        argument = argument_for(rule, name)
        values[name] = argument.value if isinstance(argument, Fixed) else getattr(argument, which)(world)
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"cannot build {rule.rule} from {values}"
    return built[1]


def role_allowed(role: str, endpoint: str) -> bool:
    return ROLES.index(role) >= ROLES.index(LOWEST_ROLE.get(endpoint, "officer"))


def all_rules(app) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))

"""Who may do what to which record: the one place.

Seeing is team scoping (``app.scoping``): another team's record is simply not found.
Recording is for one's own team's people (``sync_contacts`` and the record form's choices
both ask the database for ``Person.team_id == user.team_id``, administrators included).
Doing anything else is decided here, by named abilities::

    may(user, "supervise")                      # the supervision pages
    may(user, "administer")                     # all of Wales, Delius codes, the audit trail
    may(user, "act_for_team", team)             # reviews, categories, RAG, pauses, team settings
    may(user, "see_team_measures", team)        # how the team is doing (toolkit §10): its supervisors, admins
    may(user, "read_sensitive_notes", contact)  # a sensitive contact's notes and who else was there
    may(user, "read_team_sensitive_notes", team) # all of a team's, for its Delius and Niche exports
    may(user, "acknowledge_concern", contact)   # a concern raised on a contact
    may(user, "correct_contact", contact)       # and "void_contact": the same people
    may_change_contact(user, contact, team, now) # ... and the team's correction window is open
    may(user, "manage_account", account)        # staff: admins everyone, supervisors their officers
    may(user, "change_role_or_status", account) # the same, never one's own account
    may(user, "transfer", Move(from_id, to_id)) # administrators, or either team's supervisors
    may(user, "revoke_device", device)          # as managing the account of whoever last signed in on it
    may(user, "edit_plan", person)              # the person's offender manager and the team's supervisors
    may(user, "update_plan_action", action)     # as editing the plan, and the action's own owner
    may(user, "run_meeting", team)              # the team's fortnightly meeting: as acting for the team
    may(user, "arrange", person)                # arrange a contact ahead: the person's own team
    may(user, "arrange_for", officer)           # for oneself; a supervisor for any officer of their team
    may(user, "change_arrangement", arrangement) # move, cancel, record: its officer, who arranged it, supervisors

Views use ``requires(ability)`` (a decorator: sign-in, then 403) or ``may`` itself; the
API and the contacts service call ``may``; templates have ``may`` as a global (which
buttons show); the access-control matrix (``tests/trust/``) checks each route's declared
ability against the roles that have it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

from flask import abort, current_app
from flask_login import current_user

from app.models import Role


def _team_id(target) -> int | None:
    return target if isinstance(target, int) or target is None else target.id


def _supervise(user, _target=None) -> bool:
    return user.role in (Role.SUPERVISOR, Role.ADMIN)


def _administer(user, _target=None) -> bool:
    return user.role == Role.ADMIN


def _act_for_team(user, team) -> bool:
    """Supervisors act for their own team; administrators for every team."""
    return user.role == Role.ADMIN or (user.role == Role.SUPERVISOR and user.team_id == _team_id(team))


def _see_team_measures(user, team=None) -> bool:
    """A team's measures page and its export: the team's supervisors and administrators
    (without a team: whether the user may see any team's, for the navigation)."""
    return _supervise(user) if team is None else _act_for_team(user, team)


def _change_contact(user, contact) -> bool:
    """Its author, or a supervisor (or administrator) of the contact's own team."""
    return contact.recorded_by_id == user.id or (_supervise(user) and user.team_id == contact.team_id)


@dataclass(frozen=True)
class Move:
    """A person's move from one team's cohort to another's: what ``"transfer"`` is asked about."""

    from_team_id: int
    to_team_id: int


def _transfer(user, move: Move) -> bool:
    """An administrator, or a supervisor of either team: the sending one or the receiving one."""
    return user.role == Role.ADMIN or (
        user.role == Role.SUPERVISOR and user.team_id in (move.from_team_id, move.to_team_id))


def correction_window_open(received_at: datetime, window_days: int, now: datetime) -> bool:
    """A contact may be changed until ``window_days`` after it reached the server."""
    return now - received_at <= timedelta(days=window_days)


def may_change_contact(user, contact, team, now: datetime) -> bool:
    """Whether to offer "correct" and "void" for this contact now: the people who may, within
    the team's correction window (the service refuses anything else with the same rule)."""
    return (
        may(user, "correct_contact", contact)
        and not contact.voided
        and correction_window_open(contact.received_at, team.correction_window_days, now)
    )


def may_read_notes(user, contact) -> bool:
    """Whether the notes of this contact may be shown to ``user`` at all: any contact's that is not
    sensitive; a sensitive one's only by ``"read_sensitive_notes"``. Lists also ask whether the
    reader asked for them (``app.contacts.privacy.shows_private_text``)."""
    return not contact.sensitive or may(user, "read_sensitive_notes", contact)


def _read_sensitive_notes(user, contact) -> bool:
    """A sensitive contact's notes and others-present text: its author, the person's offender
    manager, and the supervisors of the contact's team (administrators, who act for every
    team, too). Every list, export and screen that shows notes asks this, contact by contact,
    and shows them only when the reader also asked to see them (``app.contacts.privacy``)."""
    if contact.recorded_by_id == user.id or _read_team_sensitive_notes(user, contact.team_id):
        return True
    person = contact.person
    return person is not None and person.offender_manager_id == user.id


def _read_team_sensitive_notes(user, team) -> bool:
    """Every sensitive note of a team (its exports): those who act for the team, and only they;
    ``"read_sensitive_notes"`` grants them each of the team's contacts by this same rule."""
    return _act_for_team(user, team)


def _acknowledge_concern(user, contact) -> bool:
    """A concern is for the person's offender manager and the team's supervisors to acknowledge."""
    person = contact.person
    return _act_for_team(user, contact.team_id) or (person is not None and person.offender_manager_id == user.id)


def _manage_account(user, account) -> bool:
    """Administrators manage every account; supervisors their own team's officers."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SUPERVISOR and account.team_id == user.team_id and account.role == Role.OFFICER


def _change_role_or_status(user, account) -> bool:
    """As managing, but never one's own account (so the last administrator cannot lock everyone out)."""
    return _manage_account(user, account) and user.id != account.id


def _revoke_device(user, device) -> bool:
    """Administrators revoke any phone; supervisors the phones their own team's officers use."""
    return _manage_account(user, device.user)


def _edit_plan(user, person) -> bool:
    """A person's plan: their offender manager (of the person's team) and whoever acts for the team."""
    return _act_for_team(user, person.team_id) or (
        person.offender_manager_id == user.id and user.team_id == person.team_id)


def _update_plan_action(user, action) -> bool:
    """Marking an action done or dropped: as editing the plan, and the user who owns the action."""
    return action.owner_id == user.id or _edit_plan(user, action.person)
def _arrange(user, person) -> bool:
    """Arranging a contact ahead, as recording one: for a person of one's own team (administrators too)."""
    return person is not None and person.team_id == user.team_id


def _arrange_for(user, officer) -> bool:
    """An arrangement is for its officer: oneself, or, for a supervisor, any active member of their team."""
    if officer is None or not officer.active:
        return False
    return officer.id == user.id or (_supervise(user) and officer.team_id == user.team_id)


def _change_arrangement(user, arrangement) -> bool:
    """Moving, cancelling and recording the outcome: the officer it is for, whoever arranged it,
    and the supervisors of its team (administrators, who act for every team, too)."""
    return user.id in (arrangement.officer_id, arrangement.arranged_by_id) or _act_for_team(user, arrangement.team_id)


def roles_to_give(user) -> list[Role]:
    """The roles a user may give an account: supervisors never make an administrator."""
    if user.role == Role.ADMIN:
        return [Role.OFFICER, Role.SUPERVISOR, Role.ADMIN]
    return [Role.OFFICER, Role.SUPERVISOR]


ABILITIES: dict[str, Callable[..., bool]] = {
    "supervise": _supervise,
    "administer": _administer,
    "act_for_team": _act_for_team,
    "see_team_measures": _see_team_measures,
    "read_sensitive_notes": _read_sensitive_notes,
    "read_team_sensitive_notes": _read_team_sensitive_notes,
    "acknowledge_concern": _acknowledge_concern,
    "correct_contact": _change_contact,
    "void_contact": _change_contact,
    "manage_account": _manage_account,
    "change_role_or_status": _change_role_or_status,
    "transfer": _transfer,
    "move_between_teams": _administer,  # supervisors cannot move anyone out of their team
    "revoke_device": _revoke_device,
    "edit_plan": _edit_plan,
    "update_plan_action": _update_plan_action,
    "run_meeting": _act_for_team,
    "arrange": _arrange,
    "arrange_for": _arrange_for,
    "change_arrangement": _change_arrangement,
}


def may(user, ability: str, target=None) -> bool:
    """Whether ``user`` has ``ability`` (over ``target``, for the abilities that name one)."""
    if user is None or not user.is_authenticated:
        return False
    return ABILITIES[ability](user, target)


def require(ability: str, target=None) -> None:
    """403 unless the signed-in user has the ability."""
    if not may(current_user, ability, target):
        abort(403)


def requires(ability: str):
    """A view for users with this ability: signed out → sign in; without it → 403.

    The ability is kept on the view (``required_ability``) for the access-control matrix.
    """
    if ABILITIES.get(ability) is None:
        raise KeyError(ability)

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            require(ability)
            return view(*args, **kwargs)

        wrapper.required_ability = ability  # type: ignore[attr-defined]
        return wrapper

    return decorator


def required_ability(view) -> str | None:
    """The ability a view was declared with (``requires``), if any."""
    return getattr(view, "required_ability", None)

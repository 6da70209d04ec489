"""Who may do what to which record: the one place.

Seeing is team scoping (``app.scoping``): another team's record is simply not found.
Recording is for one's own team's people (``sync_contacts`` and the record form's choices
both ask the database for ``Person.team_id == user.team_id``, administrators included).
Doing anything else is decided here, by named abilities::

    may(user, "supervise")                      # the supervision pages
    may(user, "administer")                     # all of Wales, Delius codes, the audit trail
    may(user, "act_for_team", team)             # reviews, categories, RAG, pauses, team settings
    may(user, "see_sensitive_notes", team)      # sensitive notes in exports
    may(user, "correct_contact", contact)       # and "void_contact": the same people
    may(user, "manage_account", account)        # staff: admins everyone, supervisors their officers
    may(user, "change_role_or_status", account) # the same, never one's own account
    may(user, "transfer", Move(from_id, to_id)) # administrators, or either team's supervisors

Views use ``requires(ability)`` (a decorator: sign-in, then 403) or ``may`` itself; the
API and the contacts service call ``may``; templates have ``may`` as a global (which
buttons show); the access-control matrix (``tests/trust/``) checks each route's declared
ability against the roles that have it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


def _manage_account(user, account) -> bool:
    """Administrators manage every account; supervisors their own team's officers."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SUPERVISOR and account.team_id == user.team_id and account.role == Role.OFFICER


def _change_role_or_status(user, account) -> bool:
    """As managing, but never one's own account (so the last administrator cannot lock everyone out)."""
    return _manage_account(user, account) and user.id != account.id


def roles_to_give(user) -> list[Role]:
    """The roles a user may give an account: supervisors never make an administrator."""
    if user.role == Role.ADMIN:
        return [Role.OFFICER, Role.SUPERVISOR, Role.ADMIN]
    return [Role.OFFICER, Role.SUPERVISOR]


ABILITIES: dict[str, Callable[..., bool]] = {
    "supervise": _supervise,
    "administer": _administer,
    "act_for_team": _act_for_team,
    "see_sensitive_notes": _act_for_team,
    "correct_contact": _change_contact,
    "void_contact": _change_contact,
    "manage_account": _manage_account,
    "change_role_or_status": _change_role_or_status,
    "transfer": _transfer,
    "move_between_teams": _administer,  # supervisors cannot move anyone out of their team
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

"""Managing staff accounts: invite, change, reset, deactivate. Permissions are checked here too,
so that no caller can forget them (``app.permissions`` says who may do what)."""

from __future__ import annotations

from sqlalchemy import func, select

from app import audit
from app.account import links
from app.auth.operations import create_user, end_every_sign_in
from app.extensions import DbSession
from app.models import Agency, Language, LinkPurpose, Person, Role, Team, User
from app.permissions import may, roles_to_give


class NotAllowed(PermissionError):
    """The signed-in user may not make this change (the view answers 403)."""


def team_staff(session: DbSession, team: Team) -> list[User]:
    users = session.scalars(select(User).where(User.team_id == team.id))
    return sorted(users, key=lambda user: (not user.active, user.name.casefold()))


def invite(session: DbSession, *, by: User | None, email: str, name: str, team: Team, role: Role, agency: Agency,
           language: Language, min_password_length: int) -> tuple[User, str]:
    """A new account with no password, and the one-time link's token with which its user sets one."""
    if by is not None and (role not in roles_to_give(by)
                           or (not may(by, "move_between_teams") and team.id != by.team_id)):
        raise NotAllowed
    user = create_user(session, email=email, name=name, team=team, role=role, agency=agency, language=language,
                       password=None, min_password_length=min_password_length)
    return user, links.issue(session, user, LinkPurpose.INVITE, by=by)


def new_link(session: DbSession, user: User, *, by: User) -> str:
    """A fresh one-time link: an invitation again if no password was ever set, else a reset."""
    if not may(by, "manage_account", user) or not user.active:
        raise NotAllowed
    return links.issue(session, user, LinkPurpose.INVITE if user.invited else LinkPurpose.RESET, by=by)


def change(session: DbSession, user: User, *, by: User, role: Role, team: Team, agency: Agency) -> None:
    if not may(by, "manage_account", user):
        raise NotAllowed
    if role != user.role and (role not in roles_to_give(by) or by.id == user.id):
        raise NotAllowed
    if team.id != user.team_id and not may(by, "move_between_teams"):
        raise NotAllowed
    if user.role != role:
        user.role = role
    if user.team_id != team.id:
        user.team = team
    if user.agency != agency:
        user.agency = agency


def people_managed_by(session: DbSession, user: User) -> int:
    """How many people in a cohort now have this user as their offender manager."""
    return session.scalar(
        select(func.count()).select_from(Person).where(Person.offender_manager_id == user.id, Person.left_on.is_(None))
    ) or 0


def deactivate(session: DbSession, user: User, *, by: User) -> None:
    """A leaver: no sign-in, no link. Every sign-in ends now (the phone's next request gets 401).

    Nothing they recorded changes: their contacts keep their author and keep counting.
    """
    if not may(by, "change_role_or_status", user):
        raise NotAllowed
    if not user.active:
        return
    audit.label(user, "deactivate")
    user.active = False
    links.end_links(session, user)
    end_every_sign_in(session, user)


def reactivate(session: DbSession, user: User, *, by: User) -> None:
    if not may(by, "change_role_or_status", user):
        raise NotAllowed
    if user.active:
        return
    audit.label(user, "reactivate")
    user.active = True

"""Who may manage whose account: the one place for it.

- Administrators manage every account in every team, and may give any role.
- Supervisors manage their own team's officers: create them, reset their passwords, change
  their agency and role (to officer or supervisor, never administrator), deactivate them.
  They cannot move anyone out of their team.
- Nobody deactivates, or changes the role of, their own account here (so that the last
  administrator cannot lock everyone out by mistake).

Seeing is team scoping (``app.scoping``): another team's user is simply not found.
"""

from __future__ import annotations

from app.models import Role, User


def may_manage_staff(actor) -> bool:
    return actor.is_authenticated and actor.role in (Role.SUPERVISOR, Role.ADMIN)


def may_manage(actor: User, user: User) -> bool:
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.SUPERVISOR and user.team_id == actor.team_id and user.role == Role.OFFICER


def roles_to_give(actor: User) -> list[Role]:
    if actor.role == Role.ADMIN:
        return [Role.OFFICER, Role.SUPERVISOR, Role.ADMIN]
    return [Role.OFFICER, Role.SUPERVISOR]


def may_move_teams(actor: User) -> bool:
    return actor.role == Role.ADMIN


def may_change_role_or_status(actor: User, user: User) -> bool:
    return may_manage(actor, user) and actor.id != user.id

"""Phones: keeping each one's latest report, revoking one, and listing them for the people who may see.

One row per phone (``Device``), overwritten by each report: never a log, never a location.
Who may revoke is ``app.permissions`` (``revoke_device``); which phones a reader sees is
team scoping (``Device`` is team-owned, ``app.scoping``); which come first is
``app.domain.devices``.

Revoking a phone marks it and every sign-in that reported from it (``SignInSession.revoked_at``):
those sign-ins stop signing anyone in at once, and the phone's next request on them is
answered 401 ``revoked`` (and the sign-in row goes). A report that names a revoked phone,
on any sign-in (someone signed in on it again), ends that sign-in too, and is answered the
same; a sync that carries records is stored first (records are evidence: nothing is lost),
and its 401 names each record's result, so the phone knows what arrived.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit, scoping
from app.devices.contract import DeviceReport
from app.domain.devices import PhoneState, Worry, in_order, unsent_age, worry
from app.extensions import DbSession
from app.models import Device, SignInSession, Team, User
from app.permissions import may


class NotAllowed(PermissionError):
    """The signed-in user may not revoke this phone (the view answers 403)."""


@dataclass(frozen=True)
class LeftOnPhone:
    """The records of a sync that the server did not take: they stay on the phone."""

    count: int = 0
    oldest_saved_at: datetime | None = None


def _rowcount(result: Result) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def _state(device: Device) -> PhoneState:
    return PhoneState(device.unsent, device.oldest_unsent_at, device.last_seen_at)


def _oldest(*moments: datetime | None) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return min(present) if present else None


def _on_server_clock(report: DeviceReport, received_at: datetime) -> datetime | None:
    """The oldest unsent record's time on the server's clock: its age on the phone's own clock
    (``reported_at`` − ``oldest_unsent_at``), counted back from when the report arrived. Without
    ``reported_at`` the phone's time is taken as it is. Never later than the arrival."""
    oldest = report.oldest_unsent_at
    if oldest is None:
        return None
    if report.reported_at is not None:
        oldest = received_at - max(timedelta(0), report.reported_at - oldest)
    return min(oldest, received_at)


def find(session: DbSession, device_id: uuid.UUID) -> Device | None:
    """The phone whoever reports it: a phone can move between officers and teams."""
    return session.scalar(select(Device).where(Device.id == device_id).execution_options(**scoping.UNSCOPED))


def record(session: DbSession, user: User, report: DeviceReport, *, received_at: datetime,
           sign_in_hash: str | None, user_agent: str | None, left: LeftOnPhone = LeftOnPhone()) -> Device:
    """Keep this report as the phone's latest, and link the sign-in it came on to the phone.

    The caller commits. A phone first reported by two requests at once: the second's insert
    fails, and it updates the row the first made instead (``IntegrityError`` is caught here).
    """
    values = {
        "team_id": user.team_id,
        "user_id": user.id,
        "last_seen_at": received_at,
        "app_version": report.app_version,
        "user_agent": (user_agent or "")[:400] or None,
        "unsent": min(report.unsent + left.count, 2**31 - 1),
        "oldest_unsent_at": _oldest(_on_server_clock(report, received_at), left.oldest_saved_at),
        "attention": min(report.attention + left.count, 2**31 - 1),
        "storage_persisted": report.storage_persisted,
        "storage_usage": report.storage_usage,
        "storage_quota": report.storage_quota,
    }
    device = find(session, report.device_id)
    if device is None:
        try:
            with session.begin_nested():
                device = Device(id=report.device_id, first_seen_at=received_at, **values)
                session.add(device)
        except IntegrityError:
            device = find(session, report.device_id)
            if device is None:
                raise
        else:
            audit.record(session, "device_first_seen", "devices", entity_id=str(report.device_id), team_id=user.team_id,
                         after={"user_id": user.id, "app_version": report.app_version})
            values = {}
    if values and device.user_id != user.id:
        audit.record(session, "device_signed_in", "devices", entity_id=str(device.id), team_id=user.team_id,
                     after={"user_id": user.id, "previous_user_id": device.user_id})
    for key, value in values.items():
        if getattr(device, key) != value:
            setattr(device, key, value)
    if sign_in_hash is not None:
        session.execute(
            update(SignInSession)
            .where(SignInSession.token_sha256 == sign_in_hash)
            .where((SignInSession.device_id.is_(None)) | (SignInSession.device_id != device.id))
            .values(device_id=device.id)
            .execution_options(synchronize_session=False)
        )
    return device


def end_sign_in_on_revoked(session: DbSession, device: Device, sign_in_hash: str | None, user: User) -> None:
    """A report named a revoked phone: the sign-in it came on ends now (the caller commits)."""
    if sign_in_hash is not None:
        session.execute(delete(SignInSession).where(SignInSession.token_sha256 == sign_in_hash))
    audit.record(session, "revoked_device_refused", "devices", entity_id=str(device.id), team_id=device.team_id,
                 actor_id=user.id)


def revoke(session: DbSession, device: Device, *, by: User, now: datetime) -> bool:
    """Revoke a phone: its sign-ins stop working now. False if it was revoked already."""
    if not may(by, "revoke_device", device):
        raise NotAllowed
    if device.revoked_at is not None:
        return False
    device.revoked_at = now
    device.revoked_by_id = by.id
    ended = _rowcount(session.execute(
        update(SignInSession)
        .where(SignInSession.device_id == device.id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    ))
    audit.record(session, "revoke_device", "devices", entity_id=str(device.id), team_id=device.team_id, actor_id=by.id,
                 after={"user_id": device.user_id, "unsent": device.unsent, "sign_ins_ended": ended})
    return True


def revoked_sign_in(session: DbSession, sign_in_hash: str, user_id: object) -> str | None:
    """Why a request that is not signed in was signed out, if by a revocation: ``"device"`` (its
    sign-in was revoked with its phone: the row is marked, and goes now, so the phone is told
    once) or ``"account"`` (its user was deactivated since); else None.

    ``user_id`` is what the signed session cookie holds: only this server writes it.
    """
    revoked = _rowcount(session.execute(
        delete(SignInSession).where(SignInSession.token_sha256 == sign_in_hash, SignInSession.revoked_at.is_not(None))
    ))
    if revoked:
        session.commit()
        return "device"
    if isinstance(user_id, str) and user_id.isdigit() and int(user_id) < 2**31:
        active = session.scalar(select(User.active).where(User.id == int(user_id)).execution_options(**scoping.UNSCOPED))
        if active is False:
            return "account"
    return None


# --- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhoneRow:
    device: Device
    officer: User
    worry: Worry | None
    unsent_age: timedelta | None
    not_seen_for: timedelta

    @property
    def short_id(self) -> str:
        """The first characters of the phone's id: enough to tell a team's phones apart."""
        return str(self.device.id)[:8]


def _rows(devices: Iterable[Device], now: datetime, language: str) -> list[PhoneRow]:
    from app.collation import sort_key_for

    name_key = sort_key_for(language)
    ordered = in_order(devices, now, state=_state, name_key=lambda device: name_key(device.user.name))
    return [
        PhoneRow(device, device.user, worry(_state(device), now), unsent_age(_state(device), now),
                 max(timedelta(0), now - device.last_seen_at))
        for device in ordered
    ]


def team_phones(session: DbSession, team: Team, now: datetime, language: str) -> list[PhoneRow]:
    """The team's phones (through the scoped ORM), worries first."""
    devices = session.scalars(select(Device).where(Device.team_id == team.id).options(selectinload(Device.user)))
    return _rows(devices, now, language)


def own_phones(session: DbSession, user: User, now: datetime, language: str) -> list[PhoneRow]:
    """The phones this user last signed in on."""
    devices = session.scalars(select(Device).where(Device.user_id == user.id).options(selectinload(Device.user)))
    return _rows(devices, now, language)


def worries_for_home(session: DbSession, user: User, now: datetime, language: str) -> list[PhoneRow]:
    """The phones a user's home screen warns about: the team's for a supervisor, their own for anyone."""
    phones = team_phones(session, user.team, now, language) if may(user, "supervise") \
        else own_phones(session, user, now, language)
    return [row for row in phones if row.worry is not None and row.device.revoked_at is None]

"""A user's own account: details, password, and the list of their sign-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask_babel import gettext
from typing import cast

from sqlalchemy import CursorResult, delete, select

from app import audit
from app.auth.operations import current_sign_in_hash, end_other_sign_ins
from app.auth.passwords import hash_password
from app.extensions import DbSession
from app.models import Language, SignInSession, User


@dataclass(frozen=True)
class SignInRow:
    id: int
    started: datetime
    device: str
    address: str | None
    this_device: bool


@lru_cache(maxsize=512)
def _parsed(user_agent: str) -> tuple[str | None, str | None]:
    """The browser and operating system a User-Agent names (ua-parser's maintained rules)."""
    import ua_parser

    result = ua_parser.parse(user_agent)
    browser = result.user_agent.family if result.user_agent and result.user_agent.family != "Other" else None
    system = result.os.family if result.os and result.os.family != "Other" else None
    return browser, system


def describe_device(user_agent: str | None) -> str:
    """"Chrome Mobile on Android", in the reader's language; the names are the products' own."""
    browser, system = _parsed(user_agent) if user_agent else (None, None)
    if browser and system:
        return gettext("%(browser)s on %(system)s", browser=browser, system=system)
    if browser:
        return browser
    if system:
        return system
    return gettext("A device that did not say what it is")


def sign_ins(session: DbSession, user: User) -> list[SignInRow]:
    """The user's sign-ins that still work, newest first, with this browser's marked."""
    this_one = current_sign_in_hash()
    rows = session.scalars(
        select(SignInSession).where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
        .order_by(SignInSession.created_at.desc())
    )
    return [SignInRow(row.id, row.created_at, describe_device(row.user_agent), row.ip_address,
                      row.token_sha256 == this_one) for row in rows]


def end_sign_in(session: DbSession, user: User, sign_in_id: int) -> bool:
    """End one of the user's own sign-ins; False if there is no such sign-in of theirs."""
    ended = cast(CursorResult, session.execute(  # a DELETE's result is a CursorResult (SQLAlchemy types it as Result)
        delete(SignInSession).where(SignInSession.id == sign_in_id, SignInSession.user_id == user.id)
    )).rowcount
    if ended:
        audit.record(session, "end_sign_in", "sign_in_sessions", entity_id=sign_in_id, team_id=user.team_id)
    return bool(ended)


def change_details(user: User, *, name: str, language: Language) -> None:
    if user.name != name:
        user.name = name
    if user.language != language:
        user.language = language


def change_password(session: DbSession, user: User, password: str) -> None:
    """The new password (already checked by the policy); every other sign-in ends."""
    user.password_hash = hash_password(password)
    audit.record(session, "change_password", "users", entity_id=user.id, team_id=user.team_id)
    end_other_sign_ins(session, user)

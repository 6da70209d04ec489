"""One-time links with which a user sets their own password: an invitation, or a reset.

Nobody is ever sent or told a password. An administrator (or the user's supervisor) makes a
link and passes it on; the link is shown to them once. It holds 32 random bytes
(``secrets.token_urlsafe``); only the SHA-256 of the token is stored, so a copy of the
database cannot be used to set anyone's password. A link works once, for ``VALID_FOR``;
a newer link for the same user ends the older ones, and deactivating the user ends them all.

Single use is decided by the database, not by looking first: the link is claimed with
``UPDATE … WHERE used_at IS NULL AND expires_at > now``, and only the request whose update
changed the row may set the password.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from typing import cast

from sqlalchemy import CursorResult, select, update

from app import audit, clock, scoping
from app.auth.operations import end_every_sign_in
from app.auth.passwords import hash_password
from app.extensions import DbSession
from app.models import AccountLink, LinkPurpose, User

VALID_FOR = timedelta(hours=72)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: DbSession, user: User, purpose: LinkPurpose, *, by: User | None) -> str:
    """A new link's token for ``user`` (older unused links stop working). Show it once."""
    now = clock.now()
    end_links(session, user)
    token = secrets.token_urlsafe(32)
    link = AccountLink(user_id=user.id, purpose=purpose, token_sha256=token_hash(token),
                       created_by_id=by.id if by else None, created_at=now, expires_at=now + VALID_FOR)
    audit.label(link, purpose.value)
    session.add(link)
    session.flush()
    return token


def end_links(session: DbSession, user: User) -> None:
    """Every unused link of this user stops working now."""
    now = clock.now()
    for link in session.scalars(
        select(AccountLink).where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None),
                                  AccountLink.expires_at > now)
    ):
        audit.label(link, "end")
        link.expires_at = now


def usable_link(session: DbSession, token: str) -> AccountLink | None:
    """The link this token opens, if it can still be used: not used, not expired, user active."""
    if not token or len(token) > 100:
        return None
    link = session.scalar(
        select(AccountLink)
        .where(AccountLink.token_sha256 == token_hash(token))
        .execution_options(**scoping.UNSCOPED)  # the holder of the link is not signed in
    )
    if link is None or link.used_at is not None or link.expires_at <= clock.now():
        return None
    user = session.get(User, link.user_id, execution_options=scoping.UNSCOPED)
    if user is None or not user.active:
        return None
    return link


def set_password_with(session: DbSession, link: AccountLink, password: str) -> User | None:
    """Use the link to set its user's password; None if it was used (or ended) meanwhile.

    Every sign-in of the user ends: whoever knew the old password is signed out.
    """
    now = clock.now()
    claimed = cast(CursorResult, session.execute(  # an UPDATE's result is a CursorResult (SQLAlchemy types it as Result)
        update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.used_at.is_(None), AccountLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )).rowcount
    if claimed != 1:
        session.rollback()
        return None
    user = session.get(User, link.user_id, execution_options=scoping.UNSCOPED)
    if user is None:  # the link's user is a foreign key: never missing
        session.rollback()
        return None
    audit.set_actor(user.id)
    audit.record(session, "use", "account_links", entity_id=link.id, team_id=user.team_id,
                 after={"used_at": audit.jsonable(now), "purpose": link.purpose.value}, actor_id=user.id)
    user.password_hash = hash_password(password)
    audit.record(session, "set_password", "users", entity_id=user.id, team_id=user.team_id, actor_id=user.id)
    end_every_sign_in(session, user)
    return user

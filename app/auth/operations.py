"""Signing in and out, and creating accounts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from contextlib import nullcontext
from datetime import timedelta

from flask import current_app, has_request_context, request
from flask import session as web_session
from flask_babel import force_locale
from flask_login import login_user, logout_user
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from app import audit, clock, scoping
from app.auth.password_policy import password_problems, problem_message
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.extensions import DbSession
from app.models import Agency, Language, Role, SignInSession, Team, User

# Keys in the (signed) session cookie.
SIGN_IN_TOKEN = "sign_in_token"  # matches one SignInSession row while the sign-in lasts
LAST_ACTIVE = "last_active"  # Unix time of the last request, for the idle timeout


class AccountError(ValueError):
    """An account cannot be created as asked; the message says why."""


def find_user_by_email(session: DbSession, email: str) -> User | None:
    return session.scalar(
        select(User)
        .where(func.lower(User.email) == email.strip().lower())
        .execution_options(**scoping.UNSCOPED)
    )


def authenticate(session: DbSession, email: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same work either way."""
    user = find_user_by_email(session, email)
    stored = user.password_hash if user else None
    valid = verify_password(stored, password)  # never valid without a stored hash (a new account's)
    if user is None or stored is None or not valid or not user.active:
        return None
    if needs_rehash(stored):  # made with older parameters: stored again with today's
        user.password_hash = hash_password(password)  # committed with the sign-in
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


token_hash = _token_hash  # the stored form of a sign-in's token (app/devices reads it too)


def _oldest_valid_start():
    hours = current_app.config.get("SIGN_IN_MAX_AGE_HOURS") or 0
    return clock.now() - timedelta(hours=hours) if hours else None


def sign_in(session: DbSession, user: User) -> None:
    earlier = web_session.get(SIGN_IN_TOKEN)
    if earlier:  # this browser's earlier sign-in (one the phone signed out of without signal) ends here
        session.execute(delete(SignInSession).where(SignInSession.token_sha256 == _token_hash(earlier)))
    web_session.clear()  # a fresh session at sign-in: nothing carries over from before
    token = secrets.token_urlsafe(32)
    oldest = _oldest_valid_start()
    if oldest is not None:  # sign-ins that can no longer be used: tidy them away
        session.execute(
            delete(SignInSession).where(SignInSession.user_id == user.id, SignInSession.created_at < oldest)
        )
    session.add(SignInSession(user_id=user.id, token_sha256=_token_hash(token), created_at=clock.now(),
                              **_device()))
    login_user(user)
    web_session[SIGN_IN_TOKEN] = token
    web_session[LAST_ACTIVE] = int(clock.now().timestamp())
    scoping.bind(user)
    audit.set_actor(user.id)
    audit.record(session, "sign_in", "users", entity_id=user.id, team_id=user.team_id)


def _device() -> dict:
    """What the user's own page shows of a sign-in: the browser and the address it came from."""
    if not has_request_context():
        return {}
    return {"user_agent": (request.user_agent.string or "")[:400] or None,
            "ip_address": (request.remote_addr or "")[:64] or None}


def current_sign_in_hash() -> str | None:
    """The stored hash of this browser's sign-in, to tell it apart in the list of sign-ins."""
    token = web_session.get(SIGN_IN_TOKEN)
    return _token_hash(token) if token else None


def sign_in_reference() -> str | None:
    """A name for this browser's sign-in that reveals nothing (the start of its stored hash): the
    phone keeps it with a sign-out made without signal, so it later ends that sign-in and never a
    newer one (static/js/wipe.js)."""
    stored = current_sign_in_hash()
    return stored[:16] if stored else None


def caseload_key() -> str | None:
    """This sign-in's key for the phone's offline caseload (static/js/lock.js): 32 bytes,
    base64url, made from the sign-in's token with the server's secret, so the server need not
    store it and it is never made again once the sign-in has ended."""
    token = web_session.get(SIGN_IN_TOKEN)
    if not token:
        return None
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, b"cyswllt caseload key\0" + token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def load_signed_in_user(session: DbSession, user_id: str, token: str | None) -> User | None:
    """The user of this session cookie, if its sign-in still exists on the server."""
    if not token or not user_id.isdigit():
        return None
    query = (
        select(User)
        .join(SignInSession, SignInSession.user_id == User.id)
        .where(User.id == int(user_id), SignInSession.token_sha256 == _token_hash(token), User.active.is_(True),
               SignInSession.revoked_at.is_(None))  # revoked with its phone (app/devices)
        .options(joinedload(User.team))  # every request needs the team: no second query for it
        .execution_options(**scoping.UNSCOPED)  # runs before the request's scope is known
    )
    oldest = _oldest_valid_start()
    if oldest is not None:
        query = query.where(SignInSession.created_at >= oldest)
    return session.scalar(query)


def sign_out(session: DbSession, user: User, action: str = "sign_out") -> None:
    """End this device's sign-in, here and on the server: a copy of the cookie stops working."""
    token = web_session.get(SIGN_IN_TOKEN)
    if token:
        session.execute(delete(SignInSession).where(SignInSession.token_sha256 == _token_hash(token)))
    audit.record(session, action, "users", entity_id=user.id, team_id=user.team_id, actor_id=user.id)
    session.commit()
    logout_user()
    web_session.clear()


def end_every_sign_in(session: DbSession, user: User) -> None:
    """Sign a user out on every device (after a password change, a lost phone, leaving)."""
    session.execute(delete(SignInSession).where(SignInSession.user_id == user.id))
    audit.record(session, "sign_out_everywhere", "users", entity_id=user.id, team_id=user.team_id)


def end_other_sign_ins(session: DbSession, user: User) -> None:
    """Sign a user out on every device but this one (after they change their password)."""
    query = delete(SignInSession).where(SignInSession.user_id == user.id)
    this_one = current_sign_in_hash()
    if this_one:
        query = query.where(SignInSession.token_sha256 != this_one)
    session.execute(query)
    audit.record(session, "sign_out_elsewhere", "users", entity_id=user.id, team_id=user.team_id)


def check_password(password: str, min_password_length: int, *, email: str = "", name: str = "") -> None:
    """The password policy (app/auth/password_policy.py), as an AccountError saying every problem."""
    problems = password_problems(password, min_length=min_password_length, email=email, name=name)
    if problems:
        with nullcontext() if has_request_context() else force_locale("en"):  # the command line is in English
            raise AccountError(" ".join(problem_message(problem, min_length=min_password_length) for problem in problems))


def check_password_length(password: str, min_password_length: int) -> None:
    """The policy without a user to compare with (the demo accounts' shared password)."""
    check_password(password, min_password_length)


NAME_MAX = 120  # users.name
EMAIL_MAX = 254  # users.email


def create_user(
    session: DbSession,
    *,
    email: str,
    name: str,
    team: Team,
    role: Role,
    agency: Agency,
    password: str | None,
    min_password_length: int,
    language: Language = Language.ENGLISH,
) -> User:
    """A new account; with ``password=None`` an invited one, who sets a password with a one-time link."""
    if find_user_by_email(session, email) is not None:
        raise AccountError(f"An account with the email {email} already exists.")
    if not name.strip():
        raise AccountError("The name cannot be empty.")
    if len(name.strip()) > NAME_MAX:
        raise AccountError(f"The name must be {NAME_MAX} characters or fewer.")
    if len(email.strip()) > EMAIL_MAX:
        raise AccountError(f"The email address must be {EMAIL_MAX} characters or fewer.")
    if password is not None:
        check_password(password, min_password_length, email=email, name=name)
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        team=team,
        role=role,
        agency=agency,
        language=language,
        password_hash=None if password is None else hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    return user

"""Signing in and out, and creating accounts."""

from __future__ import annotations

from flask import session as web_session
from flask_login import login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, scoping
from app.auth.passwords import hash_password, verify_password
from app.models import Agency, Language, Role, Team, User


class AccountError(ValueError):
    """An account cannot be created as asked; the message says why."""


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(
        select(User)
        .where(func.lower(User.email) == email.strip().lower())
        .execution_options(**scoping.UNSCOPED)
    )


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same work either way."""
    user = find_user_by_email(session, email)
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.active:
        return None
    return user


def sign_in(session: Session, user: User) -> None:
    web_session.clear()  # a fresh session at sign-in: nothing carries over from before
    login_user(user)
    scoping.bind(user)
    audit.set_actor(user.id)
    audit.record(session, "sign_in", "users", entity_id=user.id, team_id=user.team_id)
    session.commit()


def sign_out(session: Session, user: User) -> None:
    audit.record(session, "sign_out", "users", entity_id=user.id, team_id=user.team_id)
    session.commit()
    logout_user()
    web_session.clear()


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    team: Team,
    role: Role,
    agency: Agency,
    password: str,
    min_password_length: int,
    language: Language = Language.ENGLISH,
) -> User:
    if find_user_by_email(session, email) is not None:
        raise AccountError(f"An account with the email {email} already exists.")
    if len(password) < min_password_length:
        raise AccountError(f"The password must be at least {min_password_length} characters long.")
    if not name.strip():
        raise AccountError("The name cannot be empty.")
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        team=team,
        role=role,
        agency=agency,
        language=language,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    return user

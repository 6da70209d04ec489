"""Command-line tools, registered on the app in ``create_app``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from app import audit
from app.auth.operations import AccountError, check_password_length, create_user
from app.extensions import db
from app.models import Agency, Language, Person, Role, Team
from app.supervision.forms import TEAM_TEXT_MAX

TRANSLATIONS = Path(__file__).parent / "translations"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def register(app: Flask) -> None:
    app.cli.add_command(create_team_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(invite_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(translate)


def _choice(enum_class) -> click.Choice:
    return click.Choice([member.value for member in enum_class], case_sensitive=False)


@click.command("create-team")
@click.option("--name", required=True, help="The team's name, e.g. 'Powys IOM'.")
@click.option("--force", "force_area", required=True, help="The police force area.")
@click.option("--csp", default=None, help="The community safety partnership.")
def create_team_command(name: str, force_area: str, csp: str | None) -> None:
    """Create a local IOM team."""
    name, force_area, csp = name.strip(), force_area.strip(), (csp or "").strip() or None
    if not name or not force_area:
        raise click.UsageError("The team's name and police force area cannot be empty.")
    if any(len(value or "") > TEAM_TEXT_MAX for value in (name, force_area, csp)):
        raise click.UsageError(f"The team's name, force area and partnership must be {TEAM_TEXT_MAX} characters or fewer.")
    if db.session.scalar(select(Team).where(func.lower(Team.name) == name.lower())):
        raise click.UsageError(f"A team called '{name}' already exists.")
    audit.set_actor(None)
    team = Team(name=name, force_area=force_area, community_safety_partnership=csp)
    db.session.add(team)
    db.session.commit()
    click.echo(f"Created team '{team.name}' ({team.force_area}).")


def _account_options(command):
    for option in reversed([
        click.option("--email", required=True),
        click.option("--name", required=True),
        click.option("--team", "team_name", required=True, help="The name of an existing team."),
        click.option("--role", type=_choice(Role), required=True),
        click.option("--agency", type=_choice(Agency), required=True),
        click.option("--language", type=_choice(Language), default="en", show_default=True),
    ]):
        command = option(command)
    return command


def _new_account(email, name, team_name, role, agency, language, password):
    """Create the account (``password=None``: invited); a clear message, never a traceback, when it cannot be."""
    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.UsageError(f"'{email}' is not a valid email address: {error}") from None
    team = db.session.scalar(select(Team).where(func.lower(Team.name) == team_name.strip().lower()))
    if team is None:
        raise click.UsageError(f"There is no team called '{team_name}'. Create it with 'flask create-team'.")
    audit.set_actor(None)
    try:
        return create_user(
            db.session,
            email=email,
            name=name,
            team=team,
            role=Role(role.lower()),
            agency=Agency(agency.lower()),
            language=Language(language.lower()),
            password=password,
            min_password_length=current_app.config["MIN_PASSWORD_LENGTH"],
        )
    except AccountError as error:
        db.session.rollback()
        raise click.UsageError(str(error)) from None


@click.command("create-user")
@_account_options
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email, name, team_name, role, agency, language, password) -> None:
    """Create a user account in a team, with a password (the password policy applies)."""
    user = _new_account(email, name, team_name, role, agency, language, password)
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} in team '{user.team.name}'.")


@click.command("invite-user")
@_account_options
def invite_user_command(email, name, team_name, role, agency, language) -> None:
    """Create a user account with no password, and print the one-time link with which they set one."""
    from app.account.links import VALID_FOR, issue
    from app.models import LinkPurpose

    user = _new_account(email, name, team_name, role, agency, language, None)
    token = issue(db.session, user, LinkPurpose.INVITE, by=None)
    db.session.commit()
    hours = int(VALID_FOR.total_seconds() // 3600)
    click.echo(f"Invited {user.role.value} {user.email} to team '{user.team.name}'.")
    click.echo(f"Give them this link (it works once, for {hours} hours; it is not shown again):")
    click.echo(f"  {one_time_link(token)}")


def one_time_link(token: str) -> str:
    """The link's full address: PUBLIC_URL (where staff reach the service) and the page's path."""
    from flask import url_for

    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for("account.set_password", token=token, _external=True)


@click.command("seed-demo")
@click.option("--password", default="cyswllt-demo-password", show_default=True,
              help="The password every demo account gets.")
@click.option("--if-empty", is_flag=True, help="Do nothing (successfully) if there are people already.")
def seed_demo_command(password: str, if_empty: bool) -> None:
    """Load fictional demo data into an empty database."""
    from app.demo import seed_demo

    if db.session.scalar(select(func.count()).select_from(Person)) or db.session.scalar(
        select(func.count()).select_from(Team)
    ):
        if if_empty:
            click.echo("The database already has data: demo data not loaded.")
            return
        raise click.UsageError("The database is not empty: demo data is only loaded into an empty database.")
    try:
        check_password_length(password, current_app.config["MIN_PASSWORD_LENGTH"])
    except AccountError as error:
        raise click.UsageError(str(error)) from None
    accounts = seed_demo(db.session, password=password)
    click.echo(f"Demo data loaded. Every account's password is: {password}")
    for account in accounts:
        status = "  (deactivated: has left)" if not account.active else ""
        status = "  (invited: has not set a password yet)" if account.invited else status
        click.echo(f"  {account.email:<42} {account.role.value:<10} {account.agency.value:<9} {account.team.name}{status}")
    for account in accounts:
        if account.invited:  # a fresh link (only hashes are stored): try the invitation
            from app.account.links import issue
            from app.models import LinkPurpose

            link = one_time_link(issue(db.session, account, LinkPurpose.INVITE, by=None))
            db.session.commit()
            click.echo(f"The invited user sets a password with: {link}")


@click.group()
def translate() -> None:
    """Translation catalogues: extract, update, compile."""


def _pybabel(*arguments: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", *arguments]
    if subprocess.run(command, cwd=PROJECT_ROOT).returncode:
        raise click.ClickException("pybabel failed: " + " ".join(arguments))


# Shared with tests/i18n, which extracts afresh to prove the catalogues are up to date.
# babel.cfg says which files (Python, Jinja templates, JavaScript); these are the extra
# keywords (lazy forms for WTForms labels and messages) on top of pybabel's defaults.
EXTRACT_ARGUMENTS = (
    "-F", "babel.cfg",
    "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2",
    "--no-location", "--sort-output", "--no-wrap", "--project", "Cyswllt",
)


@translate.command()
def extract() -> None:
    """Extract every marked string into app/translations/messages.pot."""
    _pybabel("extract", *EXTRACT_ARGUMENTS, "-o", str(TRANSLATIONS / "messages.pot"), ".")


@translate.command()
def update() -> None:
    """Extract, then merge new strings into the cy and en catalogues."""
    extract.callback()
    _pybabel("update", "-i", str(TRANSLATIONS / "messages.pot"), "-d", str(TRANSLATIONS),
             "--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap")


@translate.command()
def compile() -> None:  # noqa: A001  (the command's name)
    """Compile the catalogues into the .mo files the app reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")

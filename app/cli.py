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
from app.models import Agency, Language, Person, Role, Team, User

TRANSLATIONS = Path(__file__).parent / "translations"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def register(app: Flask) -> None:
    app.cli.add_command(create_team_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(invite_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(import_people_command)
    app.cli.add_command(translate)
    app.cli.add_command(rebuild_person_weeks_command)
    app.cli.add_command(extend_person_weeks_command)
    from app.sealing import keys_command

    app.cli.add_command(keys_command)


class ColumnText(click.ParamType):
    """Text for a model column: stripped, not empty when required, and no longer than the
    column holds (the length is read from the model, so the rule is never written twice)."""

    name = "text"

    def __init__(self, column, required: bool = True):
        self.column = column
        self.required = required

    @property
    def limit(self) -> int | None:
        return getattr(self.column.type, "length", None)

    def convert(self, value, param, ctx):
        text = value.strip() if isinstance(value, str) else value
        if not text:
            if self.required:
                self.fail("cannot be empty.", param, ctx)
            return None
        if self.limit is not None and len(text) > self.limit:
            self.fail(f"is {len(text)} characters long; at most {self.limit} fit.", param, ctx)
        if "\x00" in text:
            self.fail("cannot hold a NUL character.", param, ctx)
        return text


def _choice(enum_class) -> click.Choice:
    return click.Choice([member.value for member in enum_class], case_sensitive=False)


@click.command("create-team")
@click.option("--name", required=True, type=ColumnText(Team.name), help="The team's name, e.g. 'Powys IOM'.")
@click.option("--force", "force_area", required=True, type=ColumnText(Team.force_area), help="The police force area.")
@click.option("--csp", default=None, type=ColumnText(Team.community_safety_partnership, required=False),
              help="The community safety partnership.")
def create_team_command(name: str, force_area: str, csp: str | None) -> None:
    """Create a local IOM team."""
    if db.session.scalar(select(Team).where(func.lower(Team.name) == name.lower())):
        raise click.UsageError(f"A team called '{name}' already exists.")
    audit.set_actor(None)
    team = Team(name=name, force_area=force_area, community_safety_partnership=csp)
    db.session.add(team)
    db.session.commit()
    click.echo(f"Created team '{team.name}' ({team.force_area}).")


def _account_options(command):
    for option in reversed([
        click.option("--email", required=True, type=ColumnText(User.email)),
        click.option("--name", required=True, type=ColumnText(User.name)),
        click.option("--team", "team_name", required=True, type=ColumnText(Team.name), help="The name of an existing team."),
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
    """Load fictional demo data into an empty database (never in production)."""
    from app.demo import seed_demo

    if current_app.config.get("PRODUCTION"):
        raise click.UsageError(
            "seed-demo does not run in production (CYSWLLT_ENV=production): its accounts share a published password."
        )

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
    db.session.commit()
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


def _describe(difference) -> str:
    def values(record) -> str:
        if record is None:
            return "none"
        return f"required {record.required}, category {record.category}, RAG {record.rag}, paused {record.paused}"

    return (f"  person {difference.person_id}, week {difference.week.isoformat()}:"
            f" stored {values(difference.stored)}; the rules say {values(difference.expected)}")


@click.command("rebuild-person-weeks")
@click.option("--check", is_flag=True, help="Only compare the stored weeks with the rules; change nothing.")
def rebuild_person_weeks_command(check: bool) -> None:
    """Rebuild every person's stored weeks from the rules, reporting any that differed."""
    from app import person_weeks

    differences = person_weeks.check_person_weeks(db.session)
    for difference in differences[:50]:
        click.echo(_describe(difference))
    if len(differences) > 50:
        click.echo(f"  ... and {len(differences) - 50} more")
    if check:
        db.session.rollback()
        if differences:
            raise click.ClickException(f"{len(differences)} stored weeks differ from the rules.")
        click.echo("Every stored week agrees with the rules.")
        return
    written = person_weeks.rebuild_person_weeks(db.session)
    db.session.commit()
    click.echo(f"Rebuilt {written} stored weeks; {len(differences)} had differed from the rules.")


@click.command("extend-person-weeks")
def extend_person_weeks_command() -> None:
    """Store the weeks ahead for everyone in the cohort (the week views also do it when they need to)."""
    from app import person_weeks

    extended = person_weeks.extend_person_weeks(db.session)
    db.session.commit()
    click.echo(f"Stored the weeks up to {person_weeks.horizon().isoformat()} for {extended} people.")


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


@click.command("import-people")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--team", "team_name", default=None, help="The team to import into (else each row's team column).")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; change nothing.")
def import_people_command(file: str, team_name: str | None, dry_run: bool) -> None:
    """Import a cohort from a CSV file (see the upload page for the columns)."""
    from app import clock
    from app.cohort.importing import find_team, import_people
    from app.domain.weeks import local_date

    team = find_team(db.session, team_name)
    if team_name and team is None:
        raise click.UsageError(f"There is no team called '{team_name}'.")
    audit.set_actor(None)
    data = Path(file).read_bytes()
    outcome = import_people(db.session, data, team=team, may_choose_team=True, is_admin=True,
                            today=local_date(clock.now()), dry_run=dry_run)
    if not outcome.ok:
        db.session.rollback()
        with current_app.test_request_context():  # the messages are translated: in English here
            for problem in outcome.problems:
                where = f"line {problem.line}" if problem.line else "file"
                column = f" ({problem.column})" if problem.column else ""
                click.echo(f"{where}{column}: {problem.message}", err=True)
        raise click.ClickException(f"Nothing imported: {len(outcome.problems)} problem(s).")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would be" if dry_run else "were"
    click.echo(f"{outcome.created} admitted, {outcome.updated} updated, {outcome.unchanged} unchanged"
               f" ({verb} changed: {'nothing, a dry run' if dry_run else 'committed'}).")

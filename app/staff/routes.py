"""Staff accounts (administrators; supervisors for their own team's officers). Views parse, call, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.account.links import VALID_FOR
from app.auth.operations import AccountError
from app.extensions import db
from app.models import Agency, Language, Role, Team, User
from app.presenters import ROLE_LABELS
from app.staff import operations
from app.staff.forms import ChangeAccountForm, InviteForm
from app.permissions import may, requires, roles_to_give
from app.supervision.lookups import visible_team

blueprint = Blueprint("staff", __name__, url_prefix="/staff")


@blueprint.app_context_processor
def staff_helpers() -> dict:
    return {"role_label": lambda value: ROLE_LABELS[Role(value)]}


def _teams_to_give() -> list[Team]:
    """Administrators may put an account in any team; supervisors only in their own."""
    if may(current_user, "move_between_teams"):
        return sorted(db.session.scalars(select(Team)), key=lambda team: team.name.casefold())
    return [current_user.team]


def _user_to_manage(user_id: int) -> User:
    """404 if not visible (another team's user for a supervisor), 403 if only visible."""
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None:
        abort(404)
    if not may(current_user, "manage_account", user):
        abort(403)
    return user


def _team_arg() -> int | None:
    try:
        return int(request.args.get("team", ""))
    except ValueError:
        return None


def _link_page(user: User, token: str, invited: bool):
    """The one-time link, shown this once: it is never stored or shown again."""
    link = url_for("account.set_password", token=token, _external=True)
    return render_template("staff/link.html", user=user, link=link, invited=invited, hours=_link_hours())


def _link_hours() -> int:
    return int(VALID_FOR.total_seconds() // 3600)


@blueprint.route("")
@requires("supervise")
def staff_page():
    team = visible_team(_team_arg())
    teams = _teams_to_give() if current_user.is_admin else []
    return render_template("staff/list.html", team=team, teams=teams, users=operations.team_staff(db.session, team),
                           may_manage=lambda user: may(current_user, "manage_account", user))


@blueprint.route("/new", methods=["GET", "POST"])
@requires("supervise")
def invite():
    form = InviteForm()
    form.offer(roles_to_give(current_user), _teams_to_give())
    if request.method == "GET":
        form.team.data = _team_arg() or current_user.team_id
        form.role.data, form.agency.data, form.language.data = Role.OFFICER.value, Agency.POLICE.value, "en"
    if form.validate_on_submit():
        team = next(team for team in _teams_to_give() if team.id == form.team.data)
        try:
            user, token = operations.invite(
                db.session, by=current_user._get_current_object(), email=form.email.data, name=form.name.data,
                team=team, role=Role(form.role.data), agency=Agency(form.agency.data),
                language=Language(form.language.data), min_password_length=current_app.config["MIN_PASSWORD_LENGTH"],
            )
            db.session.commit()
        except operations.NotAllowed:
            abort(403)
        except (AccountError, IntegrityError):  # another request took the email address meanwhile
            db.session.rollback()
            form.email.errors.append(gettext("An account with this email address already exists."))
        else:
            return _link_page(user, token, invited=True)
    status = 400 if request.method == "POST" else 200
    return render_template("staff/invite.html", form=form, hours=_link_hours()), status


@blueprint.route("/<int:user_id>", methods=["GET", "POST"])
@requires("supervise")
def account(user_id: int):
    user = _user_to_manage(user_id)
    form = ChangeAccountForm(data={"role": user.role.value, "agency": user.agency.value, "team": user.team_id}
                             if request.method == "GET" else None)
    roles = roles_to_give(current_user) if user.id != current_user.id else [user.role]
    if user.role not in roles:
        roles = [user.role, *roles]
    form.offer(roles, _teams_to_give())
    if form.validate_on_submit():
        team = next(team for team in _teams_to_give() if team.id == form.team.data)
        try:
            operations.change(db.session, user, by=current_user._get_current_object(), role=Role(form.role.data),
                              team=team, agency=Agency(form.agency.data))
        except operations.NotAllowed:
            db.session.rollback()
            abort(403)
        db.session.commit()
        flash(gettext("The account of %(name)s has been saved.", name=user.name))
        return redirect(url_for("staff.staff_page", team=user.team_id if current_user.is_admin else None))  # None: no argument
    status = 400 if request.method == "POST" else 200
    return render_template(
        "staff/account.html", user=user, form=form,
        may_change_status=may(current_user, "change_role_or_status", user),
        managed=operations.people_managed_by(db.session, user),
    ), status


@blueprint.route("/<int:user_id>/link", methods=["POST"])
@requires("supervise")
def new_link(user_id: int):
    user = _user_to_manage(user_id)
    if not user.active:
        flash(gettext("This account is deactivated. Reactivate it before making a link."))
        return redirect(url_for("staff.account", user_id=user.id))
    invited = user.invited
    token = operations.new_link(db.session, user, by=current_user._get_current_object())
    db.session.commit()
    return _link_page(user, token, invited=invited)


@blueprint.route("/<int:user_id>/deactivate", methods=["POST"])
@requires("supervise")
def deactivate(user_id: int):
    user = _user_to_manage(user_id)
    try:
        operations.deactivate(db.session, user, by=current_user._get_current_object())
    except operations.NotAllowed:
        abort(403)
    db.session.commit()
    flash(gettext("%(name)s can no longer sign in, and has been signed out everywhere."
                  " What they recorded is kept.", name=user.name))
    return redirect(url_for("staff.account", user_id=user.id))


@blueprint.route("/<int:user_id>/reactivate", methods=["POST"])
@requires("supervise")
def reactivate(user_id: int):
    user = _user_to_manage(user_id)
    try:
        operations.reactivate(db.session, user, by=current_user._get_current_object())
    except operations.NotAllowed:
        abort(403)
    db.session.commit()
    flash(gettext("%(name)s can sign in again.", name=user.name))
    return redirect(url_for("staff.account", user_id=user.id))

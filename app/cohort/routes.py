"""Cohort pages for a team's supervisors and administrators. Views parse, call, render."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user

from app import clock
from app.cohort import importing, operations
from app.cohort.forms import (
    AdmitForm,
    AllocationForm,
    ImportForm,
    ReadmitForm,
    TransferForm,
    TransferInForm,
    manager_choices,
    manager_id,
)
from app.domain.requirements import Category
from app.domain.weeks import local_date
from app.extensions import db
from app.models import Agency, Rag, Role, User
from app.permissions import Move, require, requires
from app.supervision.lookups import person_to_act_on, team_to_act_on

blueprint = Blueprint("cohort", __name__, url_prefix="/cohort")

ALREADY_IN_A_COHORT = _l("This person is already in a cohort.")


def _today():
    return local_date(clock.now())


def _status(form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def _team_arg() -> int | None:
    try:
        return int(request.args["team"]) if request.args.get("team") else None
    except ValueError:
        return None


def _staff(team_id: int) -> list[User]:
    return operations.offender_managers(db.session, team_id)


def _back_to(person):
    return redirect(url_for("people.person_page", person_id=person.id))


def _already_held(form, holders) -> bool:
    """Put "already in a cohort" (with the team, for an administrator) on the fields held."""
    for holder in holders:
        field = form.delius_crn if holder.field == "delius_crn" else form.niche_ref
        if current_user.is_admin:
            field.errors.append(gettext("This person is already in a cohort: %(team)s.", team=holder.team_name))
        else:
            field.errors.append(str(ALREADY_IN_A_COHORT))
    return bool(holders)


@blueprint.route("/admit", methods=["GET", "POST"])
@requires("supervise")
def admit():
    team = team_to_act_on(_team_arg())
    today = _today()
    form = AdmitForm(today=today)
    form.offender_manager.choices = manager_choices(_staff(team.id))
    if request.method == "GET":
        form.joined_on.data = today
    if form.validate_on_submit():
        try:
            person = operations.admit(db.session, team, operations.Details(
                display_name=form.display_name.data, delius_crn=form.delius_crn.data, niche_ref=form.niche_ref.data,
                category=Category(form.category.data), rag=Rag(form.rag.data),
                lead_agency=Agency(form.lead_agency.data), offender_manager_id=manager_id(form.offender_manager.data),
                joined_on=form.joined_on.data, mappa=form.mappa.data, wisdom=form.wisdom.data, y2a=form.y2a.data,
                y2a_minimum_ends=form.y2a_minimum_ends.data,
            ))
        except operations.AlreadyInCohort as refusal:
            _already_held(form, refusal.holders)
        else:
            db.session.commit()
            flash(gettext("%(name)s has been admitted to the cohort.", name=person.display_name))
            return _back_to(person)
    return render_template("cohort/admit.html", form=form, team=team), _status(form)


@blueprint.route("/people/<int:person_id>/allocation", methods=["GET", "POST"])
@requires("supervise")
def allocation(person_id: int):
    person = person_to_act_on(person_id)
    form = AllocationForm(person=person, today=_today(), obj=None if request.method == "POST" else person)
    form.offender_manager.choices = manager_choices(_staff(person.team_id))
    if request.method == "GET":
        form.offender_manager.data = str(person.offender_manager_id or "")
        form.lead_agency.data = person.lead_agency.value
    if form.validate_on_submit():
        changed = operations.change_allocation(
            db.session, person, offender_manager_id=manager_id(form.offender_manager.data),
            lead_agency=Agency(form.lead_agency.data), mappa=form.mappa.data, wisdom=form.wisdom.data,
            y2a=form.y2a.data, y2a_minimum_ends=form.y2a_minimum_ends.data,
        )
        db.session.commit()
        flash(gettext("The allocation has been saved.") if changed else gettext("Nothing was changed."))
        return _back_to(person)
    return render_template("cohort/allocation.html", form=form, person=person), _status(form)


@blueprint.route("/people/<int:person_id>/transfer", methods=["GET", "POST"])
@requires("supervise")
def transfer(person_id: int):
    person = person_to_act_on(person_id)
    today = _today()
    if person.left_on is not None:
        return render_template("cohort/transfer.html", form=None, person=person), 409 if request.method == "POST" else 200
    form = TransferForm(person=person, today=today)
    teams = {team.id: team for team in operations.transfer_teams(db.session) if team.id != person.team_id}
    form.team.choices = [(str(team_id), team.name) for team_id, team in teams.items()]
    if request.method == "GET":
        form.on.data = today
    if form.validate_on_submit():
        to_team = teams[int(form.team.data)]
        require("transfer", Move(person.team_id, to_team.id))
        operations.transfer(db.session, person, to_team=to_team, on=form.on.data, today=today)
        db.session.commit()
        flash(gettext("%(name)s has moved to another team: %(team)s.", name=person.display_name, team=to_team.name))
        if current_user.is_admin:
            return _back_to(person)
        return redirect(url_for("supervision.week_page"))
    return render_template("cohort/transfer.html", form=form, person=person), _status(form)


@blueprint.route("/transfer-in", methods=["GET", "POST"])
@requires("supervise")
def transfer_in():
    """A receiving team's supervisor (or an administrator) takes a person in from another team."""
    team = team_to_act_on(_team_arg())
    today = _today()
    form = TransferInForm(today=today)
    if request.method == "GET":
        form.on.data = today
    if form.validate_on_submit():
        crn, niche_ref = form.reference.data
        person = operations.person_holding(db.session, crn=crn, niche_ref=niche_ref)
        if person is None:
            form.reference.errors.append(gettext("Nobody in a cohort in Wales has this reference. Check it, or admit the person."))
        elif person.team_id == team.id:
            form.reference.errors.append(gettext("This person is already in this team's cohort."))
        elif person.left_on is not None:
            form.reference.errors.append(gettext(
                "This person has left the cohort. Their team or an administrator can re-admit them before a transfer."))
        elif form.on.data < person.joined_on:
            form.on.errors.append(gettext("The first day in this team cannot be before the person joined their present team."))
        else:
            require("transfer", Move(person.team_id, team.id))
            operations.transfer(db.session, person, to_team=team, on=form.on.data, today=today)
            db.session.commit()
            flash(gettext("%(name)s is now in this team's cohort: %(team)s.", name=person.display_name, team=team.name))
            return _back_to(person)
    return render_template("cohort/transfer_in.html", form=form, team=team), _status(form)


@blueprint.route("/people/<int:person_id>/readmit", methods=["GET", "POST"])
@requires("supervise")
def readmit(person_id: int):
    person = person_to_act_on(person_id)
    today = _today()
    if person.left_on is None:
        return render_template("cohort/readmit.html", form=None, person=person), 409 if request.method == "POST" else 200
    form = ReadmitForm(person=person, today=today)
    form.offender_manager.choices = manager_choices(_staff(person.team_id))
    if request.method == "GET":
        form.joined_on.data, form.category.data, form.rag.data = today, person.category.value, person.rag.value
        form.offender_manager.data = str(person.offender_manager_id or "")
    if form.validate_on_submit():
        operations.readmit(db.session, person, on=form.joined_on.data, category=Category(form.category.data),
                           rag=Rag(form.rag.data), offender_manager_id=manager_id(form.offender_manager.data),
                           today=today)
        db.session.commit()
        flash(gettext("%(name)s is back in the cohort.", name=person.display_name))
        return _back_to(person)
    return render_template("cohort/readmit.html", form=form, person=person), _status(form)


MAX_UPLOAD = 5 * 1024 * 1024


@blueprint.route("/import", methods=["GET", "POST"])
@requires("supervise")
def import_page():
    team = team_to_act_on(_team_arg())
    form = ImportForm()
    outcome = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read(MAX_UPLOAD + 1) if upload else b""
        if not data:
            form.file.errors.append(gettext("Choose a CSV file to import."))
        elif len(data) > MAX_UPLOAD:
            form.file.errors.append(gettext("The file is larger than 5 MB. Split it into smaller files."))
        else:
            outcome = importing.import_people(
                db.session, data, team=team, may_choose_team=current_user.role == Role.ADMIN,
                is_admin=current_user.is_admin, today=_today(), dry_run=form.dry_run.data,
            )
            if outcome.ok and not outcome.dry_run:
                db.session.commit()
            else:
                db.session.rollback()
    status = 400 if (form.errors or (outcome and not outcome.ok)) else 200
    return render_template("cohort/import.html", form=form, team=team, outcome=outcome,
                           columns=importing.COLUMNS), status



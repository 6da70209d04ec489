"""A person's plan: edit the pathways, add an action, mark one done or dropped. Thin views."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app import clock, inputs
from app.cohort.operations import offender_managers
from app.domain.plans import ActionStatus, Need, Owner
from app.domain.weeks import local_date
from app.extensions import db
from app.models import Pathway
from app.permissions import require
from app.plans import operations, queries
from app.plans.forms import AGENCY, ActionForm, PlanForm, owner_choices, pathway_fields
from app.supervision.lookups import visible_person

blueprint = Blueprint("plans", __name__, url_prefix="/people")


def _today():
    return local_date(clock.now())


def _person_to_plan_for(person_id: int):
    """404 if the person is not visible, 403 if the plan is not the user's to change."""
    person = visible_person(person_id)
    require("edit_plan", person)
    return person


def _back_to(person):
    return redirect(url_for("people.person_page", person_id=person.id) + "#plan-heading")


def _fill(form: PlanForm, plan: queries.Plan) -> None:
    """The pathways' form as the plan stands."""
    for pathway, row in plan.pathways:
        need, work = pathway_fields(pathway.value)
        form[need].data = (row.need if row else Need.NONE).value
        form[work].data = row.work if row else ""


def _action_form(person, **kwargs) -> ActionForm:
    form = ActionForm(person=person, today=_today(), **kwargs)
    form.owner.choices = owner_choices(offender_managers(db.session, person.team_id))
    return form


@blueprint.route("/<int:person_id>/plan", methods=["GET", "POST"])
@login_required
def edit_plan(person_id: int):
    person = _person_to_plan_for(person_id)
    today = _today()
    plan = queries.plan_of(db.session, person, today)
    form = PlanForm(person=person, today=today)
    if request.method == "GET":
        _fill(form, plan)
    if form.validate_on_submit():
        changed = 0
        for pathway in Pathway:
            need, work = pathway_fields(pathway.value)
            changed += operations.set_pathway(db.session, person, by=current_user, pathway=pathway,
                                              need=Need(form[need].data), work=form[work].data)
        db.session.commit()
        flash(gettext("The plan has been saved.") if changed else gettext("Nothing was changed."))
        return _back_to(person)
    action_form = _action_form(person)
    if request.method == "GET":
        action_form.owner.data = str(person.offender_manager_id or current_user.id)
    return render_template("plans/edit.html", person=person, form=form, action_form=action_form,
                           fields=[(pathway, *pathway_fields(pathway.value)) for pathway in Pathway]), \
        400 if form.errors else 200


@blueprint.route("/<int:person_id>/plan/actions", methods=["POST"])
@login_required
def add_action(person_id: int):
    person = _person_to_plan_for(person_id)
    form = _action_form(person)
    if form.validate_on_submit():
        owner = (Owner(agency_name=form.owner_agency.data) if form.owner.data == AGENCY
                 else Owner(user_id=int(form.owner.data)))
        try:
            operations.add_action(db.session, person, by=current_user, description=form.description.data,
                                  owner=owner, due_on=form.due_on.data,
                                  pathway=Pathway(form.pathway.data) if form.pathway.data else None)
        except operations.PlanError:
            form.owner.errors = [gettext("Choose someone who is still in the team.")]
        else:
            db.session.commit()
            flash(gettext("The action has been added to the plan."))
            return _back_to(person)
    plan_form = PlanForm(person=person, today=_today(), formdata=None)
    _fill(plan_form, queries.plan_of(db.session, person, _today()))
    return render_template("plans/edit.html", person=person, form=plan_form, action_form=form,
                           fields=[(pathway, *pathway_fields(pathway.value)) for pathway in Pathway]), 400


@blueprint.route("/<int:person_id>/plan/actions/status", methods=["POST"])
@login_required
def action_status(person_id: int):
    person = visible_person(person_id)
    action = queries.find_action(db.session, person, inputs.parse_int(request.form.get("action"), minimum=1))
    status = request.form.get("status")
    if action is None or status not in {member.value for member in ActionStatus}:
        abort(404 if action is None else 400)
    require("update_plan_action", action)
    if operations.set_action_status(db.session, action, ActionStatus(status)):
        db.session.commit()
        flash({ActionStatus.DONE: gettext("The action is marked done."),
               ActionStatus.DROPPED: gettext("The action is marked dropped."),
               ActionStatus.OPEN: gettext("The action is open again.")}[ActionStatus(status)])
    target = request.form.get("back")
    if target == "home":
        return redirect(url_for("main.caseload_page"))
    return _back_to(person)

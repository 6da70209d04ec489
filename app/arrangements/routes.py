"""Arranging contacts ahead from plain web forms (no JavaScript): arrange, list, move, cancel and
record the outcome. The views parse, call ``app.arrangements.operations`` (the same service the
sync API calls) and render; who may do what is ``app.permissions``."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from app import clock
from app.arrangements import history, operations
from app.arrangements.forms import CANCELLED_BY_LABELS, ArrangeForm, CancelForm, MoveForm, OutcomeForm
from app.collation import sort_key_for
from app.contacts.operations import Status
from app.domain import arrangements as rules
from app.domain.weeks import LONDON, week_start
from app.extensions import db
from app.i18n import current_language
from app.models import Arrangement, User
from app.permissions import may
from app.weekly_counts import recordable_people

blueprint = Blueprint("arrangements", __name__, url_prefix="/arrangements")


@blueprint.app_template_global()
def arrangement_outcome_missing(arrangement: Arrangement) -> bool:
    return rules.outcome_missing(arrangement.starts_at, arrangement.state, clock.now())


@blueprint.app_template_global()
def cancelled_by_label(value) -> str:
    return str(CANCELLED_BY_LABELS[value])


def _with_choices(form: ArrangeForm) -> ArrangeForm:
    key = sort_key_for(current_language())
    people = sorted(recordable_people(db.session, current_user.team_id, clock.now()),
                    key=lambda person: key(person.display_name))
    form.person.choices = [SelectChoice("", gettext("Choose a person"))] + [
        SelectChoice(str(person.id), person.display_name) for person in people]
    me = current_user._get_current_object()
    officers = [me]
    if may(me, "supervise"):
        team = db.session.scalars(select(User).where(User.team_id == me.team_id, User.active.is_(True)))
        officers = sorted(team, key=lambda user: key(user.name))
    form.officer.choices = [SelectChoice(str(user.id), user.name) for user in officers]
    return form


def _visible(arrangement_id: uuid.UUID) -> Arrangement:
    arrangement = operations.visible(db.session, arrangement_id)
    if arrangement is None:
        abort(404)
    return arrangement


def _changeable(arrangement: Arrangement) -> Arrangement:
    """For move, cancel and outcome: 403 for someone who may not; an ended one shows its page."""
    if not may(current_user, "change_arrangement", arrangement):
        abort(403)
    return arrangement


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def arrange():
    form = _with_choices(ArrangeForm())
    if request.method == "GET":
        form.arrangement_id.data = str(uuid.uuid4())  # one per form: a second POST is the same arrangement
        form.officer.data = str(current_user.id)
        form.date.data = clock.now().astimezone(LONDON).date()
        wanted = request.args.get("person", type=int)
        if wanted is not None:
            if str(wanted) not in {choice.value for choice in form.person.choices[1:]}:
                abort(404)
            form.person.data = str(wanted)
        return render_template("arrangements/new.html", form=form)
    typed_well = form.validate_on_submit()
    fits = form.validate_contract()
    if typed_well and fits and form.arrangement is not None:
        [result] = operations.arrange(db.session, current_user._get_current_object(), [form.arrangement],
                                      now=clock.now())
        db.session.commit()
        if result.status in (Status.CREATED, Status.DUPLICATE):
            flash(gettext("Contact arranged."), "success")
            return redirect(url_for("arrangements.arrangement_page", arrangement_id=result.arrangement_id))
        if result.status == Status.CONFLICT:
            form.arrangement_id.errors.append(
                gettext("This contact was arranged already. Open a new form to arrange another."))
        form.add_errors(result.errors)
    return render_template("arrangements/new.html", form=form), 400


@blueprint.route("/")
@login_required
def week_page():
    """The team's arrangements this week, and earlier ones whose outcome is missing."""
    now = clock.now()
    mine = request.args.get("mine") == "1"
    arrangements = operations.week_list(db.session, current_user.team_id, now,
                                        officer_id=current_user.id if mine else None)
    missing = sum(1 for arrangement in arrangements if arrangement_outcome_missing(arrangement))
    return render_template("arrangements/week.html", arrangements=arrangements, monday=week_start(now),
                           missing=missing, mine=mine)


@blueprint.route("/<uuid:arrangement_id>")
@login_required
def arrangement_page(arrangement_id: uuid.UUID):
    arrangement = _visible(arrangement_id)
    return render_template("arrangements/arrangement.html", arrangement=arrangement,
                           steps=list(reversed(history.steps(db.session, arrangement))),
                           changeable=may(current_user, "change_arrangement", arrangement)
                           and rules.can_change(arrangement.state))


def _refused(refusal: operations.ChangeRefused, arrangement: Arrangement):
    flash(str(refusal.message), "error")
    return redirect(url_for("arrangements.arrangement_page", arrangement_id=arrangement.id))


@blueprint.route("/<uuid:arrangement_id>/move", methods=["GET", "POST"])
@login_required
def move(arrangement_id: uuid.UUID):
    def fill(form, arrangement):
        when = arrangement.starts_at.astimezone(LONDON)
        form.date.data, form.time.data = when.date(), when.time().replace(second=0, microsecond=0)

    def apply(arrangement, parsed):
        operations.move(db.session, current_user._get_current_object(), arrangement,
                        starts_at=parsed.starts_at, reason=parsed.reason, now=clock.now())

    return _change(arrangement_id, MoveForm, "arrangements/move.html", apply, gettext("Arrangement moved."), fill)


@blueprint.route("/<uuid:arrangement_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(arrangement_id: uuid.UUID):
    def apply(arrangement, parsed):
        operations.cancel(db.session, current_user._get_current_object(), arrangement,
                          cancelled_by=parsed.cancelled_by, reason=parsed.reason, now=clock.now())

    return _change(arrangement_id, CancelForm, "arrangements/cancel.html", apply, gettext("Arrangement cancelled."))


def _change(arrangement_id: uuid.UUID, form_class, template: str, apply, done: str, fill=None):
    """Moving or cancelling an open arrangement: its form, then ``apply(arrangement, parsed)``,
    committed and said with ``done``; a refusal is said on the arrangement's page."""
    arrangement = _changeable(_visible(arrangement_id))
    form = form_class()
    if request.method == "GET":
        if fill is not None:
            fill(form, arrangement)
        return render_template(template, form=form, arrangement=arrangement)
    typed_well = form.validate_on_submit()
    parsed = form.parsed()
    if not (typed_well and parsed is not None):
        return render_template(template, form=form, arrangement=arrangement), 400
    try:
        apply(arrangement, parsed)
    except operations.ChangeRefused as refusal:
        return _refused(refusal, arrangement)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("arrangements.arrangement_page", arrangement_id=arrangement.id))


@blueprint.route("/<uuid:arrangement_id>/outcome", methods=["GET", "POST"])
@login_required
def record_outcome(arrangement_id: uuid.UUID):
    arrangement = _changeable(_visible(arrangement_id))
    form = OutcomeForm()
    if request.method == "GET":
        form.contact_id.data = str(uuid.uuid4())
        return render_template("arrangements/outcome.html", form=form, arrangement=arrangement)
    typed_well = form.validate_on_submit()
    outcome = form.parsed()
    try:
        contact_id = uuid.UUID(form.contact_id.data or "")
    except ValueError:
        contact_id = None
        form.outcome.errors = [*form.outcome.errors, gettext("This form has expired. Open it again.")]
    if typed_well and outcome is not None and contact_id is not None:
        try:
            result = operations.record_outcome(db.session, current_user._get_current_object(), arrangement,
                                               outcome=outcome, contact_id=contact_id, now=clock.now())
        except operations.ChangeRefused as refusal:
            return _refused(refusal, arrangement)
        db.session.commit()
        if result.status in (Status.CREATED, Status.DUPLICATE):
            flash(gettext("Outcome recorded: the contact is in the record."), "success")
            return redirect(url_for("arrangements.arrangement_page", arrangement_id=arrangement.id))
        for message in result.errors.values():
            form.outcome.errors = [*form.outcome.errors, str(message)]
        if result.status == Status.CONFLICT:
            form.outcome.errors = [*form.outcome.errors, gettext("This form has expired. Open it again.")]
    return render_template("arrangements/outcome.html", form=form, arrangement=arrangement), 400

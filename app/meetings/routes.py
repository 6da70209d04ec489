"""The team's fortnightly meeting: its list, its agenda and minutes, attendance, decisions,
and the agenda and minutes as CSV. Thin views over ``queries``/``operations``/``presenters``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from app import clock, inputs
from app.cohort.forms import manager_choices, manager_id
from app.cohort.operations import CohortError, offender_managers
from app.domain.plans import Owner
from app.domain.weeks import local_date
from app.extensions import db
from app.i18n import current_language
from app.meetings import operations, presenters, queries
from app.meetings.forms import AttendanceForm, DecisionForm, MeetingForm
from app.models import Agency, DeselectionReason, Person, Rag
from app.permissions import require, requires
from app.plans.forms import AGENCY, owner_choices
from app.plans.operations import PlanError
from app.presenters import full_date_in_sentence
from app.supervision.exports import csv_response, csv_text, record_export
from app.supervision.lookups import team_to_act_on

blueprint = Blueprint("meetings", __name__, url_prefix="/meetings")


def _today():
    return local_date(clock.now())


def _meeting(meeting_id: int):
    """404 if not the user's team's (scoping), 403 if they may not run it."""
    meeting = queries.find_meeting(db.session, meeting_id)
    if meeting is None:
        abort(404)
    require("run_meeting", meeting.team)
    return meeting


@blueprint.route("", methods=["GET", "POST"])
@requires("supervise")
def meetings_page():
    team = team_to_act_on(None)
    form = MeetingForm()
    if request.method == "GET":
        form.held_on.data = _today()
    if form.validate_on_submit():
        meeting = operations.create_meeting(db.session, team, held_on=form.held_on.data, by=current_user)
        db.session.commit()
        return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))
    return render_template("meetings/list.html", team=team, form=form,
                           meetings=queries.team_meetings(db.session, team.id)), 400 if form.errors else 200


def _decision_form(meeting, agenda, **kwargs) -> DecisionForm:
    form = DecisionForm(**kwargs)
    people = sorted(db.session.scalars(
        db.select(Person).where(Person.team_id == meeting.team_id, Person.left_on.is_(None))), key=lambda p: p.id)
    on_agenda = {person.id for person in agenda.people()}
    ordered = [p for p in agenda.people()] + [p for p in people if p.id not in on_agenda]
    form.person.choices = [(str(p.id), p.display_name) for p in ordered]
    staff = offender_managers(db.session, meeting.team_id)
    form.offender_manager.choices = manager_choices(staff)
    form.action_owner.choices = owner_choices(staff)
    if form.action_owner.data is None:  # not sent: no action, or the first choice for one
        form.action_owner.data = form.action_owner.choices[0].value
    return form


def _page(meeting, *, decision_form=None, attendance_form=None, status=200, agenda=None):
    today = _today()
    agenda = agenda or queries.agenda(db.session, meeting, today, current_language())
    decision_form = decision_form or _decision_form(meeting, agenda, formdata=None)
    return render_template(
        "meetings/meeting.html", meeting=meeting, sections=presenters.agenda_sections(agenda),
        minutes=queries.minutes(db.session, meeting), decision_text=presenters.decision_text,
        criteria_of=presenters.criteria_of, decision_form=decision_form,
        attendance_form=attendance_form or AttendanceForm(formdata=None), may_decide=meeting.held_on <= today,
    ), status


@blueprint.route("/<int:meeting_id>")
@requires("supervise")
def meeting_page(meeting_id: int):
    """``?person=`` fills the decision form with that person's RAG status and allocation now."""
    meeting = _meeting(meeting_id)
    person_id = inputs.parse_int(request.args.get("person"), minimum=1)
    person = db.session.get(Person, person_id) if person_id else None
    if person is None or person.team_id != meeting.team_id or person.left_on is not None:
        return _page(meeting)
    agenda = queries.agenda(db.session, meeting, _today(), current_language())
    form = _decision_form(meeting, agenda, formdata=None)
    form.person.data, form.rag.data, form.lead_agency.data = str(person.id), person.rag.value, person.lead_agency.value
    form.offender_manager.data = str(person.offender_manager_id or "")
    return _page(meeting, decision_form=form, agenda=agenda)


@blueprint.route("/<int:meeting_id>/attendance", methods=["POST"])
@requires("supervise")
def attendance(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = AttendanceForm()
    if form.validate_on_submit():
        operations.set_attendance(db.session, meeting, agency=form.agency.data, attendees=form.attendees.data)
        db.session.commit()
        flash(gettext("The attendance has been saved."))
        return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id) + "#attendance-heading")
    return _page(meeting, attendance_form=form, status=400)


@blueprint.route("/<int:meeting_id>/decisions", methods=["POST"])
@requires("supervise")
def decide(meeting_id: int):
    meeting = _meeting(meeting_id)
    today = _today()
    agenda = queries.agenda(db.session, meeting, today, current_language())
    form = _decision_form(meeting, agenda)
    if meeting.held_on > today:
        form.person.errors = [gettext("Decisions are recorded on the day of the meeting or after it.")]
        return _page(meeting, decision_form=form, status=409, agenda=agenda)
    if form.validate_on_submit():
        person = db.session.get(Person, int(form.person.data))
        assert person is not None  # one of the choices, all of the team's
        action = None
        if (form.action.data or "").strip():
            owner = (Owner(agency_name=form.action_agency.data) if form.action_owner.data == AGENCY
                     else Owner(user_id=int(form.action_owner.data)))
            action = operations.NewAction(form.action.data, owner, form.action_due_on.data)
        decision = operations.Decision(
            rag=Rag(form.rag.data), lead_agency=Agency(form.lead_agency.data),
            offender_manager_id=manager_id(form.offender_manager.data), deselect=form.deselect.data,
            criteria=[DeselectionReason(item) for item in form.criteria.data or []],
            exit_strategy=form.exit_strategy.data, y2a_early_reason=form.y2a_early_reason.data, action=action,
        )
        reason = gettext("Agreed at the IOM meeting held on %(date)s.", date=full_date_in_sentence(meeting.held_on))
        try:
            operations.record_decision(db.session, meeting, person, decision, by=current_user, today=today,
                                       reason=reason)
        except (CohortError, PlanError, operations.MeetingError):
            form.deselect.errors = [gettext(
                "The decision could not be recorded: a de-selection needs the criteria that apply, the exit strategy"
                " when green for three months, and a reason inside a Y2A minimum.")]
        else:
            db.session.commit()
            flash(gettext("The decision about %(name)s has been recorded.", name=person.display_name))
            return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id) + "#minutes-heading")
    return _page(meeting, decision_form=form, status=400, agenda=agenda)


@blueprint.route("/<int:meeting_id>/agenda.csv")
@requires("supervise")
def agenda_export(meeting_id: int):
    meeting = _meeting(meeting_id)
    agenda = queries.agenda(db.session, meeting, _today(), current_language())
    rows = presenters.agenda_csv_rows(presenters.agenda_sections(agenda))
    text = csv_text(presenters.agenda_csv_header(), rows)
    record_export(db.session, "meeting_agenda", team_id=meeting.team_id, filters={}, rows=len(rows), meeting=meeting.id)
    db.session.commit()
    return csv_response(presenters.agenda_filename(meeting), text)


@blueprint.route("/<int:meeting_id>/minutes.csv")
@requires("supervise")
def minutes_export(meeting_id: int):
    meeting = _meeting(meeting_id)
    rows = presenters.minutes_csv_rows(queries.minutes(db.session, meeting))
    text = csv_text(presenters.minutes_csv_header(), rows)
    record_export(db.session, "meeting_minutes", team_id=meeting.team_id, filters={}, rows=len(rows), meeting=meeting.id)
    db.session.commit()
    return csv_response(presenters.minutes_filename(meeting), text)

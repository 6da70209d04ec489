"""Recording, correcting and voiding contacts from plain web forms: work without JavaScript, online.

The views parse, call the contacts service (``app.contacts.operations``, the same one the
sync API calls) and render; who may change a contact, and until when, is
``app.permissions.may_change_contact``. A correction or void carries the hash of the version
it was made from, as the API's ``expected_sha256`` does: one made from a version that someone
else has changed since is refused as a conflict, with the version held now shown.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from app import clock
from app.weekly_counts import recordable_people
from app.collation import sort_key_for
from app.contacts import concerns, contract, history, joint, operations
from app.contacts.forms import ContactForm, CorrectionForm, RecordForm, VoidForm
from app.domain.late import week_to_confirm
from app.domain.weeks import LONDON
from app.extensions import db
from app.i18n import current_language
from app.models import Contact, Team
from app.permissions import may_change_contact, may_read_notes
from app.presenters import AGENCY_LABELS

blueprint = Blueprint("contacts", __name__, url_prefix="/contacts")
blueprint.add_app_template_global(history.short_reference, "short_reference")

RECENT_DAYS = 14  # "My recent contacts": at least the last fortnight, or the correction window if longer


def _with_people(form: ContactForm) -> ContactForm:
    """The form, offering the people the user may record for: their own team's (admins too)."""
    people = sorted(recordable_people(db.session, current_user.team_id, clock.now()),
                    key=lambda person: sort_key_for(current_language())(person.display_name))
    form.person.choices = [SelectChoice("", gettext("Choose a person"))] + [
        SelectChoice(str(person.id), person.display_name) for person in people
    ]
    # Joint contacts: the team's colleagues, the other agency's officers first.
    colleagues = joint.other_agency_first(
        joint.colleagues_for(db.session, current_user), current_user.agency, sort_key_for(current_language()))
    form.colleagues.choices = [
        SelectChoice(str(officer.id), gettext("%(name)s (%(agency)s)", name=officer.name,
                                              agency=AGENCY_LABELS[officer.agency]))
        for officer in colleagues
    ]
    return form


def _late_week(form, occurred_at: datetime, now: datetime):
    """The week to confirm, if the contact is late and the officer has not confirmed it yet."""
    week = week_to_confirm(occurred_at, now, current_user.team.late_entry_days)
    if week is None or form.confirm_late.data == week.isoformat():
        return None
    form.confirm_late.data = week.isoformat()  # the next submit of this form confirms this week
    return week


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new_contact():
    form = _with_people(RecordForm())
    if request.method == "GET":
        now = clock.now().astimezone(LONDON)
        form.contact_id.data = str(uuid.uuid4())  # made once per form: a second POST of it is the same contact
        form.date.data, form.time.data = now.date(), now.time().replace(second=0, microsecond=0)
        wanted = request.args.get("person", type=int)
        if wanted is not None:
            if str(wanted) not in {choice.value for choice in form.person.choices[1:]}:
                abort(404)
            form.person.data = str(wanted)
        return render_template("contacts/new.html", form=form)

    now = clock.now()
    typed_well = form.validate_on_submit()  # the token, the date and the time
    fits_the_contract = form.validate_contract(recorded_at=now)  # everything else, as the API checks it
    if typed_well and fits_the_contract and form.contact is not None:
        late_week = _late_week(form, form.contact.occurred_at, now)
        if late_week is not None:
            return render_template("contacts/new.html", form=form, late_week=late_week)
        # The same storing service as the sync API: the form's id makes a second POST a duplicate.
        [result] = operations.sync_contacts(db.session, current_user._get_current_object(), [form.contact], received_at=now)
        db.session.commit()
        if result.status in (operations.Status.CREATED, operations.Status.DUPLICATE):
            flash(gettext("Contact recorded."), "success")
            return redirect(url_for("main.caseload_page"))
        if result.status == operations.Status.CONFLICT:
            form.contact_id.errors.append(gettext("This contact was recorded already. Open a new form to record another."))
        form.add_errors(result.errors)
    return render_template("contacts/new.html", form=form), 400


@blueprint.route("/mine")
@login_required
def my_contacts():
    """The contacts I recorded lately, newest first, with correct and void where still open."""
    now = clock.now()
    team = current_user.team
    since = now - timedelta(days=max(RECENT_DAYS, team.correction_window_days))
    contacts = list(db.session.scalars(
        select(Contact)
        .where(Contact.recorded_by_id == current_user.id, Contact.received_at >= since)
        .options(selectinload(Contact.person), selectinload(Contact.recorded_by))
        .order_by(Contact.occurred_at.desc())
        .limit(500)
    ))
    return render_template("contacts/mine.html", contacts=contacts, days=(now - since).days,
                           changeable=_changeable_ids(contacts, now), readable=_readable_ids(contacts))


def _teams(contacts) -> dict[int, Team]:
    ids = {contact.team_id for contact in contacts}
    return {team.id: team for team in db.session.scalars(select(Team).where(Team.id.in_(ids)))} if ids else {}


def _changeable_ids(contacts, now: datetime) -> set[uuid.UUID]:
    teams = _teams(contacts)
    return {c.id for c in contacts if may_change_contact(current_user, c, teams[c.team_id], now)}


def _readable_ids(contacts) -> set[uuid.UUID]:
    return {c.id for c in contacts if may_read_notes(current_user, c)}


def _visible_contact(contact_id: uuid.UUID) -> Contact:
    """The contact, through the scoped ORM: another team's is a 404 (administrators see every team's)."""
    contact = db.session.scalar(
        select(Contact).where(Contact.id == contact_id)
        .options(selectinload(Contact.person), selectinload(Contact.recorded_by))
    )
    if contact is None:
        abort(404)
    return contact


@blueprint.route("/<uuid:contact_id>")
@login_required
def contact_page(contact_id: uuid.UUID):
    """One contact: as held now, its reference, and every version with who, when and why."""
    contact = _visible_contact(contact_id)
    now = clock.now()
    return render_template(
        "contacts/contact.html", contact=contact, versions=list(reversed(history.versions(db.session, contact))),
        reference=history.short_reference(contact.id), readable=may_read_notes(current_user, contact),
        changeable=bool(_changeable_ids([contact], now)),
    )


def _refusal_message(refusal: operations.ChangeRefused) -> str:
    reason = operations.Refusal
    if refusal.refusal == reason.WINDOW_CLOSED:
        return ngettext(
            "A contact can only be changed within %(num)d day of reaching the server.",
            "A contact can only be changed within %(num)d days of reaching the server.",
            refusal.window_days or 0,
        )
    if refusal.refusal == reason.VOIDED:
        return gettext("This contact has been voided, so it cannot be corrected.")
    return gettext("Only the officer who recorded this contact, or a supervisor of the team, can change it.")


def _open_for_change(contact: Contact):
    """A redirect to the contact's page, saying why, when the signed-in user may not change it now."""
    team = db.session.get(Team, contact.team_id)
    if team is not None and may_change_contact(current_user, contact, team, clock.now()):
        return None
    if contact.voided:
        flash(gettext("This contact has been voided, so it cannot be corrected."), "error")
    else:
        flash(gettext("Only the officer who recorded a contact, or a supervisor of the team, can change it, and only"
                      " within the team's correction window."), "error")
    return redirect(url_for("contacts.contact_page", contact_id=contact.id))


def _fill_from(form: CorrectionForm, contact: Contact) -> None:
    local = contact.occurred_at.astimezone(LONDON)
    form.contact_id.data = str(contact.id)
    form.person.data = str(contact.person_id)
    form.type.data = contact.type.value
    form.outcome.data = contact.outcome.value
    form.date.data, form.time.data = local.date(), local.time().replace(second=0, microsecond=0)
    form.duration_minutes.data = "" if contact.duration_minutes is None else str(contact.duration_minutes)
    form.pathways.data = list(contact.pathways or [])
    form.others_present.data = contact.others_present or ""
    form.sensitive.data, form.concern.data = contact.sensitive, contact.concern
    form.notes.data = contact.notes or ""
    form.base_sha256.data = contact.content_sha256


@blueprint.route("/<uuid:contact_id>/correct", methods=["GET", "POST"])
@login_required
def correct_contact(contact_id: uuid.UUID):
    contact = _visible_contact(contact_id)
    closed = _open_for_change(contact)
    if closed is not None:
        return closed
    form = _with_people(CorrectionForm())
    if request.method == "GET":
        _fill_from(form, contact)
        return render_template("contacts/correct.html", form=form, contact=contact)

    now = clock.now()
    form.contact_id.data = str(contact.id)  # the id is the contact's, whatever was posted
    typed_well = form.validate_on_submit()
    fits = form.validate_contract(recorded_at=contact.recorded_at)
    reason = (form.reason.data or "").strip()
    if not reason:
        form.reason.errors = [*form.reason.errors, str(contract.CORRECTION_REASON_MISSING)]
    if not (typed_well and fits and reason and form.contact is not None):
        return render_template("contacts/correct.html", form=form, contact=contact), 400
    if form.contact.occurred_at != contact.occurred_at:
        late_week = _late_week(form, form.contact.occurred_at, now)
        if late_week is not None:
            return render_template("contacts/correct.html", form=form, contact=contact, late_week=late_week)
    changes = {name: getattr(form.contact, name) for name in operations.CORRECTABLE_FIELDS}
    try:
        operations.correct_contact(
            db.session, current_user._get_current_object(), contact.id, changes,
            now=now, reason=reason, expected_sha256=form.base_sha256.data or None,
        )
    except operations.ChangeRefused as refusal:
        db.session.rollback()
        return _refused(refusal, contact, "contacts/correct.html", form)
    db.session.commit()
    flash(gettext("Contact corrected."), "success")
    return redirect(url_for("contacts.contact_page", contact_id=contact.id))


@blueprint.route("/<uuid:contact_id>/void", methods=["GET", "POST"])
@login_required
def void_contact(contact_id: uuid.UUID):
    contact = _visible_contact(contact_id)
    closed = _open_for_change(contact)
    if closed is not None:
        return closed
    form = VoidForm()
    if request.method == "GET":
        form.base_sha256.data = contact.content_sha256
        return render_template("contacts/void.html", form=form, contact=contact,
                               readable=may_read_notes(current_user, contact))
    reason = (form.reason.data or "").strip()
    if not form.validate_on_submit() or not reason:
        if not reason:
            form.reason.errors = [*form.reason.errors, str(contract.VOID_REASON_MISSING)]
        return render_template("contacts/void.html", form=form, contact=contact,
                               readable=may_read_notes(current_user, contact)), 400
    try:
        operations.void_contact(
            db.session, current_user._get_current_object(), contact.id,
            now=clock.now(), reason=reason[:1000], expected_sha256=form.base_sha256.data or None,
        )
    except operations.ChangeRefused as refusal:
        db.session.rollback()
        return _refused(refusal, contact, "contacts/void.html", form)
    db.session.commit()
    flash(gettext("Contact voided. It stays in the history and no longer counts."), "success")
    return redirect(url_for("contacts.contact_page", contact_id=contact.id))


def _refused(refusal: operations.ChangeRefused, contact: Contact, template: str, form):
    """Nothing was changed: say why, on the form as it was typed; a conflict shows the version held now."""
    if refusal.refusal == operations.Refusal.NOT_FOUND:
        abort(404)
    if refusal.refusal == operations.Refusal.INVALID and isinstance(form, CorrectionForm):
        form.add_errors(refusal.errors)
        return render_template(template, form=form, contact=contact), 400
    db.session.expire_all()
    current = _visible_contact(contact.id)
    if refusal.refusal == operations.Refusal.STALE:
        # Made from an older version: show the one held now. Sending the form again is then a
        # deliberate change of that version, never a silent overwrite of the other edit.
        form.base_sha256.data = current.content_sha256
        return render_template(template, form=form, contact=current, conflict=True,
                               readable=may_read_notes(current_user, current)), 409
    flash(_refusal_message(refusal), "error")
    return redirect(url_for("contacts.contact_page", contact_id=contact.id))
@blueprint.route("/<uuid:contact_id>/acknowledge-concern", methods=["POST"])
@login_required
def acknowledge_concern(contact_id: uuid.UUID):
    """The offender manager or a supervisor has seen the concern: it leaves their home pages."""
    try:
        acknowledgement = concerns.acknowledge(db.session, current_user._get_current_object(), contact_id, now=clock.now())
    except concerns.NotAllowed:
        abort(403)
    if acknowledgement is None:
        abort(404)
    db.session.commit()
    flash(gettext("Concern acknowledged."), "success")
    return redirect(url_for("main.caseload_page"))

"""Recording a contact from a plain web form: works without JavaScript, online."""

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app import clock
from app.weekly_counts import recordable_people
from app.collation import sort_key_for
from app.contacts import operations
from app.contacts.forms import ContactForm
from app.domain.weeks import LONDON
from app.extensions import db
from app.i18n import current_language

blueprint = Blueprint("contacts", __name__, url_prefix="/contacts")


def _form_with_people() -> ContactForm:
    """The form, offering the people the user may record for: their own team's (admins too)."""
    form = ContactForm()
    people = sorted(recordable_people(db.session, current_user.team_id, clock.now()),
                    key=lambda person: sort_key_for(current_language())(person.display_name))
    form.person.choices = [SelectChoice("", gettext("Choose a person"))] + [
        SelectChoice(str(person.id), person.display_name) for person in people
    ]
    return form


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new_contact():
    form = _form_with_people()
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
    if typed_well and fits_the_contract:
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

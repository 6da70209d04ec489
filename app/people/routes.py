"""A person's page: their weeks, contacts and history (a thin view over ``queries``)."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app import clock
from app.extensions import db
from app.cohort.presenters import cohort_periods
from app.people import queries
from app.permissions import may
from app.supervision import charts
from app.supervision.forms import DESELECTION_LABELS
from app.supervision.lookups import visible_person
from app.supervision.presenters import audit_trail

blueprint = Blueprint("people", __name__, url_prefix="/people")


@blueprint.route("/<int:person_id>")
@login_required
def person_page(person_id: int):
    person = visible_person(person_id)
    can_act = may(current_user, "act_for_team", person.team_id)
    page = queries.person_page(db.session, person, clock.now(), with_trail=can_act)
    return render_template(
        "people/person.html",
        person=person,
        history=page.history,
        chart=charts.week_chart(list(reversed(page.history)), f"chart-{person.id}", charts.LARGE),
        contacts=page.contacts,
        reviews=page.reviews,
        category_changes=page.category_changes,
        rag_changes=page.rag_changes,
        pauses=page.pauses,
        trail=audit_trail(page.trail) if page.trail is not None else None,
        can_act=can_act,
        deselection_labels=DESELECTION_LABELS,
        periods=cohort_periods(db.session, person),
    )

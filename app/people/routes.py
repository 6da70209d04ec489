"""A person's page: their weeks, contacts and history (a thin view over ``queries``)."""

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app import clock
from app.domain.weeks import local_date
from app.arrangements import operations as arrangement_operations
from app.extensions import db
from app.cohort import operations as cohort_operations
from app.cohort.presenters import cohort_periods
from app.contacts import privacy
from app.contacts.joint import joint_details
from app.people import queries
from app.plans import queries as plans
from app.permissions import may, may_change_contact
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
    now = clock.now()
    page = queries.person_page(db.session, person, now, with_trail=can_act)
    reader, asked = current_user._get_current_object(), privacy.asked(request.args)
    sensitive = [contact for contact in page.contacts if contact.sensitive]
    # Sensitive notes and others-present text: only for those allowed, and only when they ask (audited).
    private_shown = {contact.id for contact in page.contacts if privacy.shows_private_text(reader, contact, asked=asked)}
    may_ask = any(may(reader, "read_sensitive_notes", contact) for contact in sensitive)
    if asked:
        privacy.record_choice(db.session, "person_page", asked=True, team_id=person.team_id, person_id=person.id,
                              included=sum(1 for contact in sensitive if contact.id in private_shown))
        db.session.commit()
    return render_template(
        "people/person.html",
        person=person,
        arrangements=arrangement_operations.for_person(db.session, person.id, now),
        history=page.history,
        chart=charts.week_chart(list(reversed(page.history)), f"chart-{person.id}", charts.LARGE),
        contacts=page.contacts,
        # Correct and void for the author and the team's supervisors, within the correction window.
        changeable={c.id for c in page.contacts if may_change_contact(current_user, c, person.team, now)},
        readable=private_shown,  # sensitive notes: for those allowed, once they ask (app.contacts.privacy)
        reviews=page.reviews,
        category_changes=page.category_changes,
        rag_changes=page.rag_changes,
        pauses=page.pauses,
        trail=audit_trail(page.trail) if page.trail is not None else None,
        can_act=can_act,
        private_shown=private_shown,
        may_ask_for_sensitive=may_ask and not asked,
        sensitive_asked=asked,
        deselection_labels=DESELECTION_LABELS,
        periods=cohort_periods(person, *cohort_operations.periods_and_team_names(db.session, person)),
        joint=joint_details(db.session, page.contacts),
        plan=plans.plan_of(db.session, person, local_date(now)),
    )

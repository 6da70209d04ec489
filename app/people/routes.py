from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.caseload import weekly_counts
from app.domain.weeks import week_start, weeks_ending_with
from app import clock
from app.extensions import db
from app.models import CategoryChange, Contact, Pause, Person, RagChange, RequirementReview
from app.cohort.presenters import cohort_periods
from app.supervision import charts
from app.supervision.forms import DESELECTION_LABELS
from app.supervision.permissions import can_act_for_team
from app.supervision.presenters import audit_trail

blueprint = Blueprint("people", __name__, url_prefix="/people")

HISTORY_WEEKS = 12
RECENT_CONTACTS = 1000  # every contact, in practice (a person has a few hundred at most)


@blueprint.route("/<int:person_id>")
@login_required
def person_page(person_id: int):
    person = db.session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .options(selectinload(Person.team), selectinload(Person.offender_manager))
    )
    if person is None:
        abort(404)
    weeks = weeks_ending_with(week_start(clock.now()), HISTORY_WEEKS)
    counts = weekly_counts(db.session, [person], weeks)
    history = [counts[person.id, week] for week in reversed(weeks)]
    contacts = db.session.scalars(
        select(Contact)
        .where(Contact.person_id == person.id)
        .options(selectinload(Contact.recorded_by))
        .order_by(Contact.occurred_at.desc())
        .limit(RECENT_CONTACTS)
    ).all()
    can_act = can_act_for_team(current_user, person.team_id)
    return render_template(
        "people/person.html",
        person=person,
        history=history,
        chart=charts.week_chart(list(reversed(history)), f"chart-{person.id}", charts.LARGE),
        contacts=contacts,
        reviews=_newest_first(RequirementReview, person, RequirementReview.reviewer),
        category_changes=_newest_first(CategoryChange, person, CategoryChange.changed_by),
        rag_changes=_newest_first(RagChange, person, RagChange.changed_by),
        pauses=db.session.scalars(
            select(Pause).where(Pause.person_id == person.id).order_by(Pause.start.desc(), Pause.id.desc())
        ).all(),
        can_act=can_act,
        trail=audit_trail(db.session, person.id) if can_act else None,
        deselection_labels=DESELECTION_LABELS,
        periods=cohort_periods(db.session, person),
    )


def _newest_first(model, person, who):
    return db.session.scalars(
        select(model)
        .where(model.person_id == person.id)
        .options(selectinload(who))
        .order_by(model.effective.desc(), model.id.desc())
    ).all()

from flask import Blueprint, abort, render_template
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.caseload import weekly_counts
from app.domain.weeks import week_start, weeks_ending_with
from app import clock
from app.extensions import db
from app.models import Contact, Person

blueprint = Blueprint("people", __name__, url_prefix="/people")

HISTORY_WEEKS = 12
RECENT_CONTACTS = 30


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
    return render_template("people/person.html", person=person, history=history, contacts=contacts)

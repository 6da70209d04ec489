"""The demo data has joint home visits recorded by both officers, counted once."""

from __future__ import annotations

from sqlalchemy import select

from app import weekly_counts as caseload
from app.extensions import db
from app.models import Contact


def test_the_demo_has_joint_visits_recorded_by_both_officers_counted_once(runner):
    assert runner.invoke(args=["seed-demo", "--password", "demo password 123"]).exit_code == 0
    seconds = list(db.session.scalars(select(Contact).where(Contact.same_as_id.is_not(None))))
    assert len(seconds) >= 8
    for second in seconds:
        first = db.session.get(Contact, second.same_as_id)
        assert first.same_as_id is None and first.person_id == second.person_id
        assert {first.recorder_agency.value, second.recorder_agency.value} == {"police", "probation"}
        assert first.colleague_ids == [second.recorded_by_id] and second.colleague_ids == [first.recorded_by_id]
        week = first.occurred_week
        records = db.session.scalars(select(Contact).where(
            Contact.person_id == first.person_id, Contact.occurred_week == week, Contact.voided.is_(False))).all()
        offered = caseload.load_tallies(db.session, [first.person_id], [week])[first.person_id, week][0]
        assert offered == len(records) - 1  # the visit is two records and one contact

from datetime import date

from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models import AuditEvent, Rag
from tests import factories


def events_for(entity: str):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)).all()


def test_creating_a_person_is_audited_with_what_was_stored(team):
    person = factories.person(team, "Lowri Hughes")
    [created] = events_for("people")
    assert created.action == "create"
    assert created.entity_id == str(person.id)
    assert created.team_id == team.id
    assert created.person_id == person.id
    assert created.after["display_name"] == "Lowri Hughes"
    assert created.before is None


def test_a_change_records_the_values_before_and_after_and_who_made_it(team, supervisor):
    person = factories.person(team, "Lowri Hughes", rag="amber")
    audit.set_actor(supervisor.id)
    person.rag = Rag.GREEN
    db.session.commit()
    change = events_for("people")[-1]
    assert change.action == "update"
    assert change.actor_id == supervisor.id
    assert change.before == {"rag": "amber"}
    assert change.after == {"rag": "green"}


def test_a_labelled_change_keeps_its_name(team, officer):
    person = factories.person(team)
    contact = factories.contact(person, officer)
    audit.label(contact, "void")
    contact.voided = True
    contact.void_reason = "Recorded against the wrong person"
    db.session.commit()
    assert [event.action for event in events_for("contacts")] == ["create", "void"]


def test_password_hashes_never_reach_the_audit_trail(team):
    factories.user(team, "new@powys.example")
    [created] = events_for("users")
    assert "password_hash" not in created.after
    assert created.after["email"] == "new@powys.example"


def test_pauses_and_reviews_are_audited_against_the_person(team):
    person = factories.person(team)
    factories.pause(person, date(2026, 3, 2))
    factories.review(person, date(2026, 3, 2), 2)
    for entity in ("pauses", "requirement_reviews"):
        [event] = events_for(entity)
        assert event.person_id == person.id
        assert event.team_id == team.id


def test_a_rolled_back_change_leaves_no_audit_event(team):
    person = factories.person(team)
    before = len(events_for("people"))
    person.display_name = "Someone Else"
    db.session.flush()
    db.session.rollback()
    assert len(events_for("people")) == before

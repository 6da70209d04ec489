"""The fortnightly IOM meeting in the browser, on the demo data: the agenda made from the data
lists a red person, an amber one due for review, a de-selection candidate and an overdue plan
action, and a decision recorded at the meeting is in the person's history."""

from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import force_locale
from playwright.sync_api import expect
from sqlalchemy import select

from app.domain.weeks import local_date
from app.extensions import db
from app.models import Language, Person, Role, Team, User
from app.presenters import full_date_in_sentence
from tests.browser.conftest import sign_in

PASSWORD = "demo password 123"


def test_the_demo_meetings_agenda_and_a_decision_that_changes_the_persons_history(server, page, runner):
    assert runner.invoke(args=["seed-demo", "--password", PASSWORD]).exit_code == 0
    team = db.session.scalar(select(Team).where(Team.name == "Powys IOM"))
    sergeant = db.session.scalar(select(User).where(User.team_id == team.id, User.role == Role.SUPERVISOR,
                                                    User.active.is_(True), User.password_hash.is_not(None)))
    sergeant.language = Language.ENGLISH  # the demo's sergeant reads Welsh; these words are the English ones
    db.session.commit()
    sign_in(page, server, sergeant.email, password=PASSWORD, next_path="/meetings")
    page.get_by_role("button", name="Open the meeting for this date").click()  # today's, the date given

    def agenda(heading):
        return page.locator("section.agenda-section", has=page.get_by_role("heading", name=heading, exact=True))

    for heading in ("Red: daily management", "Amber: due for their fortnightly review",
                    "To consider for de-selection", "Overdue plan actions"):
        expect(agenda(heading).locator("tbody tr").first).to_be_visible()
    name = agenda("Red: daily management").locator("tbody th a").first.inner_text()

    agenda("Red: daily management").get_by_role("link", name=f"Record a decision about {name}").click()
    decision = page.locator("form", has=page.get_by_role("button", name="Record the decision"))
    expect(decision.get_by_label("Person", exact=True)).to_have_value(str(db.session.scalar(
        select(Person.id).where(Person.team_id == team.id, Person.display_name == name))))
    decision.get_by_label("RAG status agreed").select_option(label="Amber")
    decision.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"The decision about {name} has been recorded.")).to_be_visible()

    page.locator("main").get_by_role("link", name=name, exact=True).first.click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    with force_locale("en"):
        today = full_date_in_sentence(local_date(datetime.now(timezone.utc)))
    expect(page.get_by_role("cell", name=f"Agreed at the IOM meeting held on {today}.")).to_be_visible()  # the RAG history
    expect(page.get_by_text("Decision recorded at the IOM meeting").first).to_be_visible()

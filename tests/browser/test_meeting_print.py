"""A meeting's agenda and minutes printed on A4 in Chromium, in Welsh and in English: in the
print media nothing is wider than the page, the forms and navigation are left off, and the
PDF is made."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.domain.plans import Owner
from app.domain.weeks import local_date
from app.extensions import db
from app.meetings import operations as meetings
from app.models import Agency, Rag
from app.plans import operations as plans
from tests import factories
from tests.browser.conftest import sign_in

A4_CONTENT_WIDTH = 703  # 210 mm less the print stylesheet's 12 mm margins, at 96 px an inch
LONG = "GwasanaethCymorthTaiaDigartrefeddCyngorSirPowysLlandrindodLlanfairymMualltLlanidloes"
WORDS = {"en": ("Red: daily management", "Attendance by agency"),
         "cy": ("Coch: rheoli bob dydd", "Presenoldeb fesul asiantaeth")}

# What the browser does by itself: the server's side is tested on both databases (pyproject's markers).
pytestmark = pytest.mark.database_independent


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_agenda_and_minutes_print_on_a4_with_nothing_cut_off(server, new_context, team, language):
    today = local_date(datetime.now(timezone.utc))
    sergeant = factories.user(team, f"rhingyll-{language}@powys.example", role="supervisor", language=language)
    officer = factories.user(team, f"pc-{language}@powys.example", name="PC Dai Jones")
    red = factories.person(team, "Rhys ap Gruffudd Evans-Llewelyn", rag="red", offender_manager=officer)
    amber = factories.person(team, "Llinos Ŵyn", rag="amber", offender_manager=officer)
    factories.person(team, "Gwyn Gwyrdd", rag="green")
    factories.contact(red, officer, datetime.now(timezone.utc) - timedelta(hours=3), concern=True, sensitive=True,
                      notes="Nodyn cyfrinachol")
    plans.add_action(db.session, amber, by=sergeant, description=f"Housing assessment with {LONG}",
                     owner=Owner(agency_name=LONG), due_on=today - timedelta(days=9))
    meeting = meetings.create_meeting(db.session, team, held_on=today, by=sergeant)
    meetings.set_attendance(db.session, meeting, agency=LONG, attendees="Mererid Jones, " * 20)
    meetings.record_decision(db.session, meeting, amber, meetings.Decision(
        rag=Rag.RED, lead_agency=Agency.PROBATION, offender_manager_id=officer.id,
        action=meetings.NewAction(f"Joint home visit; tell {LONG}", Owner(user_id=officer.id),
                                  today + timedelta(days=7))),
        by=sergeant, today=today, reason="Agreed at the meeting.")
    db.session.commit()

    page = new_context().new_page()
    sign_in(page, server, sergeant.email, next_path=f"/meetings/{meeting.id}")
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    red_heading, attendance = WORDS[language]
    assert page.get_by_role("heading", name=red_heading).is_visible()
    assert page.get_by_role("heading", name=attendance).is_visible()
    wider = page.evaluate("""(limit) => [...document.querySelectorAll('body *')]
        .filter(element => element.getClientRects().length && !element.closest('.visually-hidden'))
        .filter(element => element.getBoundingClientRect().right > limit + 1 || element.scrollWidth > element.clientWidth + 1
                          && getComputedStyle(element).overflowX !== 'visible')
        .map(element => element.tagName + '.' + element.className + ': ' + (element.textContent || '').slice(0, 40))""",
                          A4_CONTENT_WIDTH)
    assert wider == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_WIDTH
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_WIDTH
    hidden = page.evaluate("""() => ['form', '.main-nav', '.site-header']
        .flatMap(selector => [...document.querySelectorAll(selector)]).filter(element => element.getClientRects().length).length""")
    assert hidden == 0
    assert "Nodyn cyfrinachol" not in page.content()
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000

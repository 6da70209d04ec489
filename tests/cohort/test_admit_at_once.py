"""Two admissions of the same person at once: one is admitted, the other is told "already
in a cohort" (never a 500), though both looked before either stored (the unique index
decides). These really commit: the second admission must meet the first one's row."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.cohort import operations
from app.extensions import db
from app.models import AuditEvent, Person
from tests import factories
from tests.cohort.test_cohort_pages import ADMIT, post

pytestmark = pytest.mark.commits  # the other admission is another transaction (tests/conftest.py)


def people() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Person))


def test_an_admission_that_loses_the_race_is_refused_as_already_in_a_cohort(
        client, supervisor, other_team, signed_in, monkeypatch):
    factories.person(other_team, "Dafydd", delius_crn="X123456")  # committed by the other admission
    real_holders = operations.holders
    looks = []

    def holders_as_before_the_other_commit(session, **references):
        looks.append(references)
        return [] if len(looks) == 1 else real_holders(session, **references)

    monkeypatch.setattr(operations, "holders", holders_as_before_the_other_commit)
    signed_in(supervisor)
    response = post(client, "/cohort/admit", ADMIT)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This person is already in a cohort." in page and other_team.name not in page
    assert people() == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "admit")) is None


def test_the_refused_admission_names_the_team_to_an_administrator(app, admin, supervisor, other_team, signed_in,
                                                                 monkeypatch):
    factories.person(other_team, "Dafydd", niche_ref="22/0123456A")
    real_holders = operations.holders
    looks = []
    monkeypatch.setattr(operations, "holders", lambda session, **refs: (
        looks.append(refs) or ([] if len(looks) == 1 else real_holders(session, **refs))))
    admin_client = signed_in(admin, app.test_client())
    response = post(admin_client, f"/cohort/admit?team={supervisor.team_id}", ADMIT)
    assert response.status_code == 400
    assert f"This person is already in a cohort: {other_team.name}." in response.get_data(as_text=True)


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def signed_in_opener(base: str, email: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    token = TOKEN.search(opener.open(f"{base}/login", timeout=30).read().decode()).group(1)
    opener.open(f"{base}/login", data=urlencode({"email": email, "password": factories.PASSWORD,
                                                 "csrf_token": token}).encode(), timeout=30)
    return opener


def test_two_admissions_sent_at_once_admit_the_person_once(live_server, supervisor, admin):
    senders = [signed_in_opener(live_server, user.email) for user in (supervisor, admin)]
    forms = []
    for opener in senders:
        token = TOKEN.search(opener.open(f"{live_server}/cohort/admit?team={supervisor.team_id}",
                                         timeout=30).read().decode()).group(1)
        forms.append(urlencode({**ADMIT, "csrf_token": token}).encode())
    start = threading.Barrier(len(senders))

    def send(number: int) -> int:
        start.wait(timeout=30)
        try:
            with senders[number].open(f"{live_server}/cohort/admit?team={supervisor.team_id}",
                                      data=forms[number], timeout=60) as response:
                return response.status  # the person's page, after the redirect
        except urllib.error.HTTPError as refused:
            page = refused.read().decode()
            assert "This person is already in a cohort" in page, page[:500]
            return refused.code

    with ThreadPoolExecutor(len(senders)) as pool:
        statuses = sorted(pool.map(send, range(len(senders))))
    assert statuses == [200, 400]
    assert people() == 1

"""Two officers' records of one joint meeting, sent at the same moment from two phones, are
linked, never both counted: the person's row lock makes the second wait for the first."""

from __future__ import annotations

import json
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app import weekly_counts as caseload
from app.domain.weeks import week_start
from app.extensions import db
from app.models import Contact
from tests import factories
from tests.api.conftest import NOW, contact_json, iso
from tests.api.test_concurrency import live_server, signed_in_opener  # noqa: F401 (a fixture)

pytestmark = pytest.mark.commits

ROUNDS = 5


@pytest.mark.postgres_only
def test_a_joint_visit_sent_from_two_phones_at_once_is_counted_once(live_server, officer, team):  # noqa: F811
    probation = factories.user(team, "probation@powys.example", agency="probation")
    phones = [signed_in_opener(live_server, user.email) for user in (officer, probation)]
    week = week_start(NOW)
    for round_number in range(ROUNDS):
        person = factories.person(team, f"Person {round_number}")
        bodies = [
            json.dumps({"sent_at": iso(NOW), "contacts": [contact_json(person.id, colleague_ids=[colleague.id])]}).encode()
            for colleague in (probation, officer)
        ]
        start = threading.Barrier(2)

        def send(index: int, bodies=bodies, start=start):
            opener, token = phones[index]
            request = urllib.request.Request(
                f"{live_server}/api/v1/contacts/sync", data=bodies[index], method="POST",
                headers={"Content-Type": "application/json", "X-CSRFToken": token},
            )
            start.wait(timeout=30)
            with opener.open(request, timeout=60) as response:
                return json.loads(response.read())["results"][0]

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(send, [0, 1]))
        assert [result["status"] for result in results] == ["created", "created"]
        assert sum("same_as" in result for result in results) == 1, results
        db.session.expire_all()
        records = db.session.scalars(select(Contact).where(Contact.person_id == person.id)).all()
        assert sorted(record.same_as_id is None for record in records) == [False, True]
        assert caseload.load_tallies(db.session, [person.id], [week])[person.id, week][0] == 1

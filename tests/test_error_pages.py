"""What the error answers say: the API's 429 names the wait its Retry-After gives, in the
reader's language; a page not found offers a signed-out visitor the sign-in page."""

from __future__ import annotations

import json

import pytest
from flask_babel import refresh
from werkzeug.exceptions import TooManyRequests


def too_many(app, seconds: int, language: str = "en"):
    error = TooManyRequests()
    error.retry_after = seconds  # type: ignore[attr-defined]  # what app.auth.throttle's refusals carry
    with app.test_request_context("/api/v1/contacts/sync", method="POST", headers={"Accept-Language": language}):
        refresh()  # the test's app context outlives each request: forget the last one's language
        return app.handle_http_exception(error)


@pytest.mark.parametrize(("seconds", "english", "welsh"), [
    (30, "Wait 30 seconds", "Arhoswch 30 eiliad"),
    (1, "Wait 1 second", "Arhoswch 1 eiliad"),
    (150, "Wait 3 minutes", "Arhoswch 3 munud"),
])
def test_the_apis_429_says_the_real_wait_in_both_languages(app, seconds, english, welsh):
    for language, words in (("en", english), ("cy", welsh)):
        response = too_many(app, seconds, language)
        assert response.status_code == 429
        assert response.headers["Retry-After"] == str(seconds)
        error = json.loads(response.get_data(as_text=True))["error"]
        assert error["code"] == "too_many_requests"
        assert words in error["message"], (language, error["message"])
        assert "minute," not in error["message"] or seconds >= 60


def test_a_page_not_found_offers_sign_in_to_a_signed_out_visitor(client):
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "sign in" in page.lower() and "/login" in page
    assert "caseload" not in page.lower()


def test_a_page_not_found_offers_the_caseload_to_a_signed_in_user(client, officer, signed_in):
    signed_in(officer)
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "go back to your caseload" in page

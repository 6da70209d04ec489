"""Schemathesis over app/api/openapi.yaml, in-process against the WSGI app, signed in: the
document and the server cannot drift apart. Every operation gets a bounded number of
generated requests (valid and invalid), and each answer is checked against the document by
Schemathesis' checks: status, content type, headers, body schema, never a server error,
Allow on a 405.

The operations are driven with Hypothesis directly (``operation.as_strategy()``):
Schemathesis' own pytest plugin (``from_fixture``) does not run under pytest 9.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth
from flask.globals import _cv_app
from hypothesis import HealthCheck, given, settings

from tests.conftest import csrf_token_from, sign_in

EXAMPLES_PER_OPERATION = 30


def signed_in(app, user) -> tuple[str, str]:
    """(the session cookie, the CSRF token) of a fresh sign-in."""
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    token = csrf_token_from(client, "/")  # first: making the token writes its secret into the cookie
    return client.get_cookie("session").value, token


def with_sign_in(case, cookie: str, token: str) -> None:
    """The case as the phone sends it: the generated security values replaced by real ones
    (so Schemathesis' "ignored auth" check, which expects its own invalid ones, is left out:
    signing in is tested in tests/trust/test_access_matrix.py and test_csrf.py)."""
    if "session" in (case.cookies or {}):  # a negative case may leave one out: then so do we
        case.cookies = {**case.cookies, "session": cookie}
    if "X-CSRFToken" in (case.headers or {}):
        case.headers = {**case.headers, "X-CSRFToken": token}


@contextmanager
def own_app_context():
    """Each request in its own app context, as in production (see tests/conftest.py's
    IsolatedClient): otherwise they would share the test's ``g``, signed-in user included."""
    token = _cv_app.set(None)
    try:
        yield
    finally:
        _cv_app.reset(token)


@pytest.mark.slow
def test_every_answer_of_the_api_is_what_its_document_says(app, world):
    with own_app_context():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cookie, token = signed_in(app, world.officer)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7, "the document's operations were not found"
    for operation, mode in [(operation, mode) for operation in operations for mode in GenerationMode]:

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            with_sign_in(case, cookie, token)
            with own_app_context():
                case.call_and_validate(excluded_checks=[ignored_auth])

        try:
            check()
        except Exception as failure:  # noqa: BLE001  (every operation is tried, then all are reported)
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)

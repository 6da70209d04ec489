"""The access-control matrix: every route and method × signed out / every role × own team /
another team / a record that does not exist.

The routes come from ``app.url_map``, so a route added later is checked without editing
this file; ``tests/trust/routes.py`` holds the few facts that cannot be worked out (which
routes are public, which need a supervisor or an administrator, how to fill URL arguments).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from tests.conftest import csrf_token_from, sign_in
from tests.trust.conftest import HIDDEN_NAME, HIDDEN_NOTE, inline_code_in
from tests.trust.routes import (
    PUBLIC,
    ROLES,
    all_rules,
    checked_methods,
    is_api,
    owns_records,
    role_allowed,
    url_for_rule,
)


def audit_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def _said(response) -> str:
    """What a page said in its alerts and errors (why a sign-in was refused)."""
    text = response.get_data(as_text=True)
    return " | ".join(re.sub(r"<[^>]+>", " ", part).strip() for part in
                      re.findall(r'<(?:p|div|span|li)[^>]*(?:error|alert|warning)[^>]*>(.*?)</(?:p|div|span|li)>', text, re.S))


class Caller:
    """One browser or phone: signs in (again, if a route signed it out) and sends requests."""

    def __init__(self, app, user=None):
        self.app, self.user = app, user
        self.client = app.test_client()
        self.token = None
        # The account as the test made it: a route sent earlier (by the fuzz, as an administrator)
        # may have deactivated this user or changed their email, role or password since.
        self.account = None if user is None else {
            name: getattr(user, name) for name in ("email", "active", "password_hash", "role", "team_id")}
        self._ensure_state()

    def _restore_account(self):
        from app.extensions import db

        # As stored now: the test's own copy of the user would still show it as the test made it.
        user = db.session.get(type(self.user), self.user.id, populate_existing=True)
        if user is None or self.account is None:
            return
        changed = {name: value for name, value in self.account.items() if getattr(user, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(user, name, value)
            db.session.commit()

    def _ensure_state(self):
        if self.user is None:
            if self.token is None:
                self.token = csrf_token_from(self.client, "/login")
            return
        with self.client.session_transaction() as session:
            signed_in = "sign_in_token" in session
        if not signed_in:
            self._restore_account()
            response = sign_in(self.client, self.user.email)
            assert response.status_code == 302, _said(response)
            self.token = csrf_token_from(self.client, "/")

    def send(self, method: str, url: str, api: bool):
        self._ensure_state()
        headers = {"X-CSRFToken": self.token, "Accept-Language": "en"}
        if method == "GET":
            response = self.client.get(url, headers=headers)
        elif api:
            response = self.client.open(url, method=method, json={}, headers=headers)
        else:
            response = self.client.open(url, method=method, data={}, headers=headers)
        response.get_data()  # read it all, then let go of any file behind it (static files)
        response.close()
        return response


def describe(role, method, url):
    return f"{method} {url} as {role}"


def check_page(response, what: str) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{what}: server error {response.status_code}")
    if response.mimetype == "text/html":
        problems += [f"{what}: {problem}" for problem in inline_code_in(response.get_data(as_text=True))]
    return problems


def json_error_code(response) -> str | None:
    body = response.get_json(silent=True) or {}
    return (body.get("error") or {}).get("code") if isinstance(body, dict) else None


def test_every_route_sends_a_signed_out_visitor_to_sign_in_or_answers_401(app, world):
    problems = []
    caller = Caller(app)
    for rule in all_rules(app):
        for method in checked_methods(rule):
            url = url_for_rule(rule, world)
            before = audit_count()
            response = caller.send(method, url, is_api(rule))
            what = describe("signed out", method, url)
            problems += check_page(response, what)
            if rule.endpoint in PUBLIC:
                continue
            if is_api(rule):
                if response.status_code != 401 or json_error_code(response) != "unauthenticated":
                    problems.append(f"{what}: expected 401 unauthenticated JSON, got {response.status_code}")
            elif response.status_code != 302 or not response.location.startswith("/login"):
                problems.append(
                    f"{what}: expected a redirect to /login, got {response.status_code}. If this route is "
                    "meant for signed-out visitors, add its endpoint to PUBLIC in tests/trust/routes.py."
                )
            if audit_count() != before:
                problems.append(f"{what}: a signed-out request changed something")
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_every_route_lets_each_role_do_exactly_what_it_may_in_its_own_team(app, world, role):
    problems = []
    caller = Caller(app, world.user(role))
    for rule in all_rules(app):
        for method in checked_methods(rule):
            url = url_for_rule(rule, world, "own")
            before = audit_count()
            response = caller.send(method, url, is_api(rule))
            what = describe(role, method, url)
            problems += check_page(response, what)
            if not role_allowed(role, rule.endpoint):
                if response.status_code != 403:
                    problems.append(f"{what}: expected 403, got {response.status_code}")
                elif is_api(rule) and json_error_code(response) is None:
                    problems.append(f"{what}: a refusal under /api/ must be a JSON error object")
                if audit_count() != before:
                    problems.append(f"{what}: a refused request changed something")
            elif response.status_code in (401, 403):
                problems.append(
                    f"{what}: refused with {response.status_code}. If only supervisors or administrators "
                    "may use it, add its endpoint to LOWEST_ROLE in tests/trust/routes.py."
                )
            elif method == "GET" and response.status_code >= 400:
                problems.append(f"{what}: a page of the user's own team answered {response.status_code}")
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_another_teams_records_answer_exactly_as_records_that_do_not_exist(app, world, role):
    """For officers and supervisors everywhere; for administrators in the phone's API, which
    answers for the signed-in user's own team only (api-contract.md)."""
    problems = []
    caller = Caller(app, world.user(role))
    checked = 0
    for rule in all_rules(app):
        if not owns_records(rule) or not role_allowed(role, rule.endpoint):
            continue
        if role == "admin" and not is_api(rule):
            continue
        for method in checked_methods(rule):
            checked += 1
            before = audit_count()
            theirs = caller.send(method, url_for_rule(rule, world, "other"), is_api(rule))
            missing = caller.send(method, url_for_rule(rule, world, "missing"), is_api(rule))
            what = describe(role, method, url_for_rule(rule, world, "other"))
            problems += check_page(theirs, what)
            body = theirs.get_data(as_text=True)
            if HIDDEN_NAME in body or HIDDEN_NOTE in body:
                problems.append(f"{what}: shows another team's person or notes")
            if theirs.status_code != missing.status_code:
                problems.append(
                    f"{what}: answered {theirs.status_code}, but a record that does not exist answers "
                    f"{missing.status_code}"
                )
            if is_api(rule) and json_error_code(theirs) != json_error_code(missing):
                problems.append(f"{what}: error {json_error_code(theirs)} differs from {json_error_code(missing)}")
            if method == "GET" and theirs.status_code != 404:
                problems.append(f"{what}: expected 404, got {theirs.status_code}")
            if audit_count() != before:
                problems.append(f"{what}: a request about another team's record changed something")
    if role != "admin":
        assert checked, "no route names a team-owned record: the matrix is not checking anything"
    assert problems == []


def test_an_administrator_reaches_every_teams_records_in_the_web_pages(app, world):
    problems = []
    caller = Caller(app, world.admin)
    for rule in all_rules(app):
        if not owns_records(rule) or "GET" not in rule.methods or is_api(rule):
            continue
        url = url_for_rule(rule, world, "other")
        response = caller.send("GET", url, is_api(rule))
        if response.status_code >= 400:
            problems.append(f"GET {url} as admin: {response.status_code}")
    assert problems == []


def test_a_route_the_matrix_cannot_fill_in_fails_with_a_message_saying_what_to_add(app, world):
    from werkzeug.routing import Rule

    from tests.trust.routes import argument_for

    rule = Rule("/widgets/<int:widget_id>", endpoint="widgets.show")
    rule.bind(app.url_map.__class__())
    with pytest.raises(LookupError, match=r"Add it to ARGUMENTS in tests/trust/routes.py"):
        argument_for(rule, "widget_id")


def test_every_route_declares_the_ability_that_the_matrix_expects(app, world):
    """The roles each route is for (``LOWEST_ROLE``) are what ``app.permissions`` gives the
    ability the route declares with ``requires``: one place decides, and this table checks it."""
    from app.permissions import may, required_ability
    from tests.trust.routes import LOWEST_ROLE

    problems = []
    for rule in all_rules(app):
        ability = required_ability(app.view_functions[rule.endpoint])
        holders = [role for role in ROLES if ability is None or may(world.user(role), ability)]
        lowest = holders[0] if holders else None
        expected = LOWEST_ROLE.get(rule.endpoint, "officer")
        if rule.endpoint in PUBLIC:
            continue
        if lowest != expected:
            problems.append(f"{rule.endpoint}: declares {ability!r}, which starts at {lowest}, not {expected}")
        if ability is not None and holders != list(ROLES[ROLES.index(expected):]):
            problems.append(f"{rule.endpoint}: {ability!r} is held by {holders}")
    assert problems == []

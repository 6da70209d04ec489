"""Every state-changing request needs the CSRF token: forms and JSON alike.

The routes come from ``app.url_map``: a POST, PUT, PATCH or DELETE route added later is
checked without editing this file.
"""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.trust.routes import WRITE_METHODS, all_rules, is_api, url_for_rule


def audit_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def write_routes(app):
    return [(rule, method) for rule in all_rules(app) for method in sorted(rule.methods & WRITE_METHODS)]


def test_there_are_state_changing_routes_to_check(app):
    assert write_routes(app), "no POST route at all: the CSRF checks below would check nothing"


@pytest.mark.parametrize("token_kind", ["missing", "forged", "from another session"])
def test_every_state_changing_route_refuses_a_request_without_the_right_token(
    app, world, signed_in, token_kind
):
    client = signed_in(world.admin)  # the most powerful account: nothing else stands in the way
    other_browser = app.test_client()
    tokens = {
        "missing": None,
        "forged": "IjEyMzQ1Njc4OTAi.Zm9yZ2Vk.c2lnbmF0dXJlLXRoYXQtaXMtbm90LXJpZ2h0",
        "from another session": csrf_token_from(other_browser, "/login"),
    }
    token = tokens[token_kind]
    problems = []
    for rule, method in write_routes(app):
        url = url_for_rule(rule, world)
        headers = {"Accept-Language": "en"}
        before = audit_count()
        if is_api(rule):
            if token:
                headers["X-CSRFToken"] = token
            response = client.open(url, method=method, json={}, headers=headers)
            body = response.get_json(silent=True) or {}
            if response.status_code != 403 or (body.get("error") or {}).get("code") != "csrf_failed":
                problems.append(f"{method} {url}: expected 403 csrf_failed JSON, got {response.status_code}")
        else:
            data = {"csrf_token": token} if token else {}
            response = client.open(url, method=method, data=data, headers=headers)
            if response.status_code != 400 or "This form has expired" not in response.get_data(as_text=True):
                problems.append(f"{method} {url}: expected the 400 'This form has expired' page, got "
                                f"{response.status_code}")
        if audit_count() != before:
            problems.append(f"{method} {url}: changed something without a valid token")
    assert problems == []
    assert client.get("/").status_code == 200, "the refused sign-out must not have signed the user out"


def test_the_token_refusal_is_in_the_users_language(client, team, signed_in):
    from tests import factories

    welsh = factories.user(team, "cymraeg@powys.example", language="cy")
    signed_in(welsh)
    page = html.unescape(client.post("/logout").get_data(as_text=True))
    assert "Mae'r ffurflen hon wedi dod i ben" in page

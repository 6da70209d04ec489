"""Security headers on every response, and no inline code anywhere for the policy to block."""

from __future__ import annotations

import re
from pathlib import Path

from app import create_app
from app.extensions import db
from app.security.headers import CONTENT_SECURITY_POLICY
from tests import conftest as shared
from tests.trust.conftest import inline_code_in

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


def policy_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_the_content_security_policy_allows_only_the_apps_own_files_and_no_inline_code():
    policy = policy_directives(CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


def test_pages_errors_and_files_all_carry_the_security_headers(client, officer, signed_in):
    anonymous = {"sign-in page": client.get("/login"), "missing page": client.get("/no-such-page"),
                 "static file": client.get("/static/css/app.css")}
    signed_in(officer)
    signed = {"caseload": client.get("/"), "forbidden page": client.get("/audit/export")}
    for name, response in {**anonymous, **signed}.items():
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name
        assert headers["X-Frame-Options"] == "DENY", name
        permissions = headers["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()"):
            assert feature in permissions, name
        assert "Strict-Transport-Security" not in headers, f"{name}: HSTS outside production"
        response.close()


def test_pages_are_never_kept_in_a_cache_but_static_files_may_be(client, officer, signed_in):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    signed_in(officer)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    assert static.headers.get("Cache-Control") != "no-store"
    static.close()


def test_production_adds_hsts(migrated_database):
    production = create_app(shared.test_settings(migrated_database, PRODUCTION=True, SEALING_KEYS=shared.production_sealing_keys()))
    production.test_client_class = shared.IsolatedClient
    response = production.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    with production.app_context():
        db.engine.dispose()


def test_the_inline_code_finder_finds_what_the_policy_would_block():
    page = ('<script>alert(1)</script><style>p{}</style><p style="color:red" onclick="x()">'
            '<a href="javascript:x()">x</a><script src="/static/js/app.js"></script>')
    problems = inline_code_in(page)
    assert len(problems) == 5
    assert inline_code_in('<script src="/static/js/app.js"></script><svg><rect fill="red"/></svg>') == []


def test_no_template_has_inline_script_style_or_event_handlers():
    """The rendered pages are checked by the access-control matrix; this catches the rest."""
    problems = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        source = template.read_text()
        # Jinja statements and expressions could hide a tag from the parser: drop them.
        # An expression stands in for a value (e.g. a script's src), so keep a placeholder for it.
        markup = re.sub(r"{%.*?%}|{#.*?#}", "", source, flags=re.S)
        markup = re.sub(r"{{.*?}}", "x", markup, flags=re.S)
        problems += [f"{template.relative_to(TEMPLATES)}: {problem}" for problem in inline_code_in(markup)]
    assert problems == []

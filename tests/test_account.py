"""A user's own page: name, language, password, and where they are signed in."""

from __future__ import annotations

from html import unescape

from sqlalchemy import func, select

from app import scoping
from app.account.operations import describe_device
from app.extensions import db
from app.models import AuditEvent, Language, SignInSession, User
from tests import factories
from tests.conftest import csrf_token_from, sign_in

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
NEW_PASSWORD = "ceffyl cywir batri styffylwr"


def post(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_token_from(client, "/account")})


def fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id, execution_options=scoping.UNSCOPED)


def sign_ins_of(user) -> int:
    return db.session.scalar(select(func.count()).select_from(SignInSession).where(SignInSession.user_id == user.id))


def test_the_own_page_lists_each_sign_in_with_its_device_time_and_address(app, officer, signed_in):
    phone = app.test_client()
    phone.environ_base.update({"HTTP_USER_AGENT": PHONE, "REMOTE_ADDR": "192.0.2.44"})
    signed_in(officer, phone)
    desk = signed_in(officer)
    page = unescape(desk.get("/account").get_data(as_text=True))
    assert "Chrome Mobile on Android" in page and "192.0.2.44" in page
    assert page.count("Sign out that device") == 1 and page.count("Sign out this device") == 1


def test_a_device_is_described_in_the_readers_language(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("cy"):
        assert describe_device(PHONE) == "Chrome Mobile ar Android"
        assert describe_device(None) == "Dyfais na ddywedodd beth yw hi"


def test_signing_out_another_device_ends_that_sign_in_only(app, officer, signed_in):
    phone = signed_in(officer, app.test_client())
    desk = signed_in(officer)
    this_id = db.session.scalar(select(func.max(SignInSession.id)).where(SignInSession.user_id == officer.id))
    other_id = db.session.scalar(select(func.min(SignInSession.id)).where(SignInSession.user_id == officer.id))
    assert post(desk, f"/account/sign-ins/{other_id}/end", {}).status_code == 302
    assert phone.get("/api/v1/session").status_code == 401
    assert desk.get("/account").status_code == 200
    assert sign_ins_of(officer) == 1 and this_id != other_id


def test_nobody_can_end_another_users_sign_in(app, officer, supervisor, signed_in):
    signed_in(supervisor, app.test_client())
    theirs = db.session.scalar(select(SignInSession.id).where(SignInSession.user_id == supervisor.id))
    client = signed_in(officer)
    assert post(client, f"/account/sign-ins/{theirs}/end", {}).status_code == 404
    assert sign_ins_of(supervisor) == 1


def test_sign_out_everywhere_ends_every_sign_in_this_one_included(app, officer, signed_in):
    phone = signed_in(officer, app.test_client())
    desk = signed_in(officer)
    response = post(desk, "/account/sign-out-everywhere", {})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert phone.get("/api/v1/session").status_code == 401
    assert desk.get("/account").status_code == 302
    assert sign_ins_of(officer) == 0


def test_changing_the_password_needs_the_current_one_and_signs_out_the_other_devices(app, officer, signed_in):
    phone = signed_in(officer, app.test_client())
    desk = signed_in(officer)
    wrong = post(desk, "/account/password", {"current": "not my password", "password": NEW_PASSWORD,
                                             "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400
    assert "Your current password is not right." in wrong.get_data(as_text=True)
    assert phone.get("/api/v1/session").status_code == 200

    right = post(desk, "/account/password", {"current": factories.PASSWORD, "password": NEW_PASSWORD,
                                             "confirm": NEW_PASSWORD})
    assert right.status_code == 302
    assert phone.get("/api/v1/session").status_code == 401
    assert desk.get("/account").status_code == 200
    assert sign_in(app.test_client(), officer.email, NEW_PASSWORD).status_code == 302
    assert "$argon2" not in str([event.after for event in db.session.scalars(select(AuditEvent))])


def test_a_new_password_must_follow_the_policy_on_the_own_page_too(app, officer, signed_in):
    officer.language = Language.WELSH  # the profile's language is what a signed-in reader sees
    db.session.commit()
    client = signed_in(officer)
    weak = post(client, "/account/password", {"current": factories.PASSWORD, "password": "officer password",
                                              "confirm": "officer password"})
    assert weak.status_code == 400
    assert "Ni all y cyfrinair gynnwys eich cyfeiriad e-bost." in unescape(weak.get_data(as_text=True))
    assert sign_in(app.test_client(), officer.email).status_code == 302


def test_the_own_page_changes_the_name_and_language_and_refuses_a_blank_name(app, officer, signed_in):
    client = signed_in(officer)
    blank = post(client, "/account/details", {"name": "   ", "language": "cy"})
    assert blank.status_code == 400 and "Enter your name." in blank.get_data(as_text=True)
    junk = post(client, "/account/details", {"name": "Siân Howells", "language": "klingon"})
    assert junk.status_code == 400 and "Choose one of the options." in junk.get_data(as_text=True)
    assert post(client, "/account/details", {"name": "  Siân Howells ", "language": "cy"}).status_code == 302
    changed = fresh(officer)
    assert (changed.name, changed.language) == ("Siân Howells", Language.WELSH)
    assert '<html lang="cy">' in client.get("/account").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "users", AuditEvent.action == "update"))
    assert event.after == {"name": "Siân Howells", "language": "cy"}

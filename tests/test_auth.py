from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from tests import factories
from tests.conftest import csrf_token_from, sign_in


def test_an_officer_signs_in_with_email_and_password_and_lands_on_the_caseload(client, officer):
    response = sign_in(client, "Officer@Powys.example")
    assert response.status_code == 302
    assert response.location == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, officer):
    wrong_password = sign_in(client, officer.email, "not the password")
    unknown = sign_in(client, "nobody@powys.example", "not the password")
    assert wrong_password.status_code == unknown.status_code == 400
    message = "The email address or password is not right."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_an_invited_officer_who_tries_to_sign_in_is_pointed_to_her_link_as_anyone_would_be(client, team, officer):
    factories.user(team, "newydd@powys.example").password_hash = None  # invited: no password until her link
    db.session.commit()
    invited = sign_in(client, "newydd@powys.example", "a guess").get_data(as_text=True)
    wrong = sign_in(client, officer.email, "not the password").get_data(as_text=True)
    hint = "Open the one-time link your supervisor or an administrator gave you, and set your password there."
    assert hint in invited and hint in wrong  # the same answer: it never tells who has an account
    assert hint not in client.get("/login").get_data(as_text=True)


def test_a_deactivated_account_cannot_sign_in(client, team):
    factories.user(team, "gone@powys.example", active=False)
    assert sign_in(client, "gone@powys.example").status_code == 400


def test_empty_sign_in_form_says_what_is_missing(client):
    token = csrf_token_from(client)
    page = client.post("/login", data={"csrf_token": token}).get_data(as_text=True)
    assert "Enter your email address." in page
    assert "Enter your password." in page


def test_signing_in_without_the_form_token_is_refused(client, officer):
    response = client.post("/login", data={"email": officer.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_the_caseload_asks_a_signed_out_visitor_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, officer):
    token = csrf_token_from(client)
    data = {"email": officer.email, "password": factories.PASSWORD, "csrf_token": token}
    assert client.post("/login?next=/people/1", data=data).location == "/people/1"
    client.post("/logout", data={"csrf_token": csrf_token_from(client, "/")})
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        token = csrf_token_from(client)
        data["csrf_token"] = token
        assert client.post(f"/login?next={target}", data=data).location == "/"
        client.post("/logout", data={"csrf_token": csrf_token_from(client, "/")})


def test_the_sign_in_page_sends_someone_already_signed_in_where_they_were_going(client, officer, signed_in):
    signed_in(officer)
    assert client.get("/login?next=/app").location == "/app"
    assert client.get("/login").location == "/"
    assert client.get("/login?next=https://evil.example/").location == "/"


def test_signing_out_is_a_post_with_a_token_and_ends_the_session(client, officer, signed_in):
    signed_in(officer)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token_from(client, "/")})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_sign_in_and_sign_out_are_audited(client, officer, signed_in):
    signed_in(officer)
    client.post("/logout", data={"csrf_token": csrf_token_from(client, "/")})
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == officer.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["sign_in", "sign_out"]


def test_passwords_are_stored_as_argon2id_hashes(officer):
    stored = db.session.get(User, officer.id).password_hash
    assert stored.startswith("$argon2id$")
    assert factories.PASSWORD not in stored


def test_the_session_starts_afresh_at_sign_in(client, officer):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, officer.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == str(officer.id)

from sqlalchemy import func, select

from app.extensions import db
from app.models import Contact, Person, RequirementReview, Pause, Role, Team, User


def test_create_team_makes_a_team_with_the_national_default_levels(runner):
    result = runner.invoke(args=["create-team", "--name", "Powys IOM", "--force", "Dyfed-Powys Police"])
    assert result.exit_code == 0, result.output
    team = db.session.scalar(select(Team))
    assert (team.name, team.force_area) == ("Powys IOM", "Dyfed-Powys Police")
    assert (team.default_fixed, team.default_flex, team.default_free) == (3, 1, 0)


def test_create_team_refuses_a_duplicate_or_empty_name(runner, team):
    duplicate = runner.invoke(args=["create-team", "--name", "powys iom", "--force", "Dyfed-Powys Police"])
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
    empty = runner.invoke(args=["create-team", "--name", "  ", "--force", "Gwent Police"])
    assert empty.exit_code != 0
    assert "cannot be empty" in empty.output
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1


def test_create_user_makes_an_account_that_can_sign_in(runner, team, client):
    result = runner.invoke(args=[
        "create-user", "--email", "Nia@Powys.example", "--name", "Nia Rowlands", "--team", "Powys IOM",
        "--role", "officer", "--agency", "probation", "--language", "cy", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.language.value) == ("nia@powys.example", Role.OFFICER, "cy")
    from tests.conftest import sign_in

    assert sign_in(client, "nia@powys.example", "a long enough password").status_code == 302


def test_create_user_prompts_for_the_password_when_not_given(runner, team):
    result = runner.invoke(
        args=["create-user", "--email", "a@powys.example", "--name", "A", "--team", "Powys IOM",
              "--role", "supervisor", "--agency", "police"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role)) == Role.SUPERVISOR


def test_create_user_refuses_bad_input_with_a_clear_message(runner, team, officer):
    base = ["--name", "A", "--team", "Powys IOM", "--role", "officer", "--agency", "police",
            "--password", "a long enough password"]
    cases = {
        "not an email address": (["--email", "not-an-email"], "not a valid email address"),
        "unknown team": (["--email", "b@powys.example", "--team", "Atlantis"], "no team called 'Atlantis'"),
        "duplicate": (["--email", officer.email.upper()], "already exists"),
        "short password": (["--email", "c@powys.example", "--password", "short"], "at least 12 characters"),
        "bad role": (["--email", "d@powys.example", "--role", "chief"], "Invalid value for '--role'"),
    }
    for name, (overrides, message) in cases.items():
        args = dict(zip(base[::2], base[1::2]))
        args.update(dict(zip(overrides[::2], overrides[1::2])))
        result = runner.invoke(args=["create-user", *[part for pair in args.items() for part in pair]])
        assert result.exit_code != 0, name
        assert message in result.output, (name, result.output)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_seed_demo_loads_four_teams_of_realistic_people_and_prints_the_accounts(runner):
    result = runner.invoke(args=["seed-demo", "--password", "demo password 123"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Team)) == 4
    people = db.session.scalar(select(func.count()).select_from(Person))
    assert 90 <= people <= 110
    assert db.session.scalar(select(func.count()).select_from(Contact)) > 1000
    assert db.session.scalar(select(func.count()).select_from(RequirementReview)) > 0
    assert db.session.scalar(select(func.count()).select_from(Pause)) > 0
    categories = set(db.session.scalars(select(Person.category)))
    assert {category.value for category in categories} == {"fixed", "flex", "free"}
    assert db.session.scalar(select(func.count()).where(Person.wisdom.is_(True)))
    assert db.session.scalar(select(func.count()).where(Person.y2a.is_(True)))
    outcomes = {outcome.value for outcome in db.session.scalars(select(Contact.outcome).distinct())}
    assert outcomes == {"kept", "not_at_home", "did_not_attend", "refused"}
    for user in db.session.scalars(select(User)):
        assert user.email in result.output
    agencies = {(u.team_id, u.agency.value, u.role.value) for u in db.session.scalars(select(User))}
    for team in db.session.scalars(select(Team)):
        for agency in ("police", "probation"):
            for role in ("officer", "supervisor"):
                assert (team.id, agency, role) in agencies


def test_demo_accounts_can_sign_in_with_the_password_given(runner, client):
    runner.invoke(args=["seed-demo", "--password", "demo password 123"])
    from tests.conftest import sign_in

    # An officer at work with a password set (the demo also has a leaver, whose account is closed, and a
    # newcomer still to accept her invitation), the same one on any database.
    email = db.session.scalar(select(User.email).where(User.role == Role.OFFICER, User.active.is_(True),
                                                       User.password_hash.is_not(None))
                              .order_by(User.email).limit(1))
    assert sign_in(client, email, "demo password 123").status_code == 302
    assert client.get("/").status_code == 200


def test_seed_demo_only_loads_into_an_empty_database(runner, team):
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0
    assert "not empty" in refused.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1


def test_names_longer_than_the_database_holds_are_refused_with_the_limit_not_a_traceback(runner, team):
    long_team = runner.invoke(args=["create-team", "--name", "P" * 121, "--force", "Dyfed-Powys Police"])
    assert long_team.exit_code == 2 and "at most 120 fit" in long_team.output
    assert long_team.exception is None or isinstance(long_team.exception, SystemExit)
    long_force = runner.invoke(args=["create-team", "--name", "Gwent IOM", "--force", "G" * 500])
    assert long_force.exit_code == 2 and "at most 120 fit" in long_force.output
    long_name = runner.invoke(args=[
        "create-user", "--email", "hir@powys.example", "--name", "N" * 121, "--team", "Powys IOM",
        "--role", "officer", "--agency", "police", "--password", "a long enough password"])
    assert long_name.exit_code == 2 and "at most 120 fit" in long_name.output
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_seed_demo_refuses_to_run_in_production(app, runner):
    app.config["PRODUCTION"] = True
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "does not run in production" in result.output
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_create_user_applies_the_password_policy(runner, team):
    base = ["create-user", "--email", "nia.rowlands@powys.example", "--name", "Nia Rowlands", "--team", "Powys IOM",
            "--role", "officer", "--agency", "probation"]
    for password, message in (("password123456", "too common"), ("nia rowlands password", "cannot contain your")):
        result = runner.invoke(args=[*base, "--password", password])
        assert result.exit_code != 0 and message in result.output, result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_over_long_names_get_a_clear_message_not_a_traceback(runner, team):
    long_user = runner.invoke(args=[
        "create-user", "--email", "a@powys.example", "--name", "N" * 121, "--team", "Powys IOM",
        "--role", "officer", "--agency", "police", "--password", "a long enough password"])
    assert long_user.exit_code == 2 and "at most 120 fit" in long_user.output
    long_team = runner.invoke(args=["create-team", "--name", "T" * 121, "--force", "Gwent Police"])
    assert long_team.exit_code == 2 and "at most 120 fit" in long_team.output
    long_invite = runner.invoke(args=[
        "invite-user", "--email", "b@powys.example", "--name", "N" * 500, "--team", "Powys IOM",
        "--role", "officer", "--agency", "police"])
    assert long_invite.exit_code == 2 and "at most 120 fit" in long_invite.output


def test_invite_user_prints_a_one_time_link_that_sets_the_password(runner, team, app):
    app.config["PUBLIC_URL"] = "https://cyswllt.example.gov.wales"
    result = runner.invoke(args=[
        "invite-user", "--email", "Elin@Powys.example", "--name", "Elin Newydd", "--team", "Powys IOM",
        "--role", "officer", "--agency", "probation"])
    assert result.exit_code == 0, result.output
    import re

    link = re.search(r"https://cyswllt\.example\.gov\.wales(/account/set-password/\S+)", result.output).group(1)
    user = db.session.scalar(select(User))
    assert user.email == "elin@powys.example" and user.password_hash is None
    from tests.conftest import csrf_token_from, sign_in

    browser = app.test_client()
    response = browser.post(link, data={"password": "ceffyl cywir batri styffylwr",
                                        "confirm": "ceffyl cywir batri styffylwr", "csrf_token": csrf_token_from(browser)})
    assert response.status_code == 302
    assert sign_in(app.test_client(), "elin@powys.example", "ceffyl cywir batri styffylwr").status_code == 302


def test_seed_demo_shows_an_invited_user_and_a_leaver_whose_contacts_still_count(runner):
    result = runner.invoke(args=["seed-demo", "--password", "demo password 123"])
    assert result.exit_code == 0, result.output
    invited = db.session.scalar(select(User).where(User.password_hash.is_(None)))
    leaver = db.session.scalar(select(User).where(User.active.is_(False)))
    assert invited is not None and leaver is not None
    assert "invited: has not set a password yet" in result.output and "/account/set-password/" in result.output
    assert db.session.scalar(select(func.count()).select_from(Contact).where(Contact.recorded_by_id == leaver.id)) > 0

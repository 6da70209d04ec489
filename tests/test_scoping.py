"""Officers see their own team only; another team's records answer as if absent."""

from app.extensions import db
from app.models import Person
from sqlalchemy import select
from tests import factories


def test_the_caseload_shows_only_the_officers_own_team(client, officer, other_team, signed_in):
    factories.person(officer.team, "Aled Powys")
    factories.person(other_team, "Bethan Caerdydd")
    page = signed_in(officer).get("/").get_data(as_text=True)
    assert "Aled Powys" in page
    assert "Bethan Caerdydd" not in page


def test_another_teams_person_page_is_not_found(client, officer, other_team, signed_in):
    theirs = factories.person(other_team, "Bethan Caerdydd")
    ours = factories.person(officer.team, "Aled Powys")
    signed_in(officer)
    assert client.get(f"/people/{ours.id}").status_code == 200
    response = client.get(f"/people/{theirs.id}")
    assert response.status_code == 404
    assert "Bethan" not in response.get_data(as_text=True)
    assert client.get("/people/999999").status_code == 404


def test_every_person_route_hides_another_teams_person(app, client, officer, other_team, signed_in):
    theirs = factories.person(other_team, "Bethan Caerdydd")
    signed_in(officer)
    person_routes = [rule for rule in app.url_map.iter_rules()
                     if "person_id" in rule.arguments and "GET" in rule.methods]
    assert person_routes, "there should be at least one person page"
    for rule in person_routes:
        url = rule.rule.replace("<int:person_id>", str(theirs.id))
        # 404, or 403 for a page an officer may not open for any person (their own team's alike).
        assert client.get(url).status_code in (403, 404), url


def test_an_admin_sees_every_team(client, admin, other_team, signed_in):
    theirs = factories.person(other_team, "Bethan Caerdydd")
    signed_in(admin)
    assert client.get(f"/people/{theirs.id}").status_code == 200


def test_queries_outside_a_request_see_every_team(app, team, other_team):
    factories.person(team, "Aled Powys")
    factories.person(other_team, "Bethan Caerdydd")
    assert len(db.session.scalars(select(Person)).all()) == 2


def test_a_request_before_sign_in_sees_nobody(app, team):
    factories.person(team, "Aled Powys")
    with app.test_request_context("/"):
        from app import scoping

        scoping.bind(None)
        assert db.session.scalars(select(Person)).all() == []

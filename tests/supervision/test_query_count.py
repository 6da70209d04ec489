"""The week view issues a fixed number of queries, however many people the team has."""

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from app.extensions import db
from app.supervision import operations
from tests import factories
from tests.supervision.conftest import LAST_WEEK, THIS_WEEK, at


@contextmanager
def counting_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def a_team_of(size: int, name: str):
    team = factories.team(name)
    supervisor = factories.user(team, f"sergeant@{name.split()[0].lower()}.example", role="supervisor")
    # One offender manager each, so that loading managers one by one would show.
    officers = [factories.user(team, f"officer{n}@{name.split()[0].lower()}.example") for n in range(size)]
    for number in range(size):
        person = factories.person(team, f"Person {number}", category=("fixed", "flex", "free")[number % 3],
                                  offender_manager=officers[number], joined_on=date(2026, 6, 1))
        factories.contact(person, officers[number], at(THIS_WEEK), type=("home_visit", "phone")[number % 2])
        factories.contact(person, officers[0], at(LAST_WEEK))
        if number % 4 == 0:
            factories.review(person, date(2026, 9, 1), 2, next_review_due=date(2026, 12, 1))
        if number % 5 == 0:
            factories.pause(person, THIS_WEEK + timedelta(days=2), None)
    return supervisor


def queries_for(client, signed_in, supervisor, url: str) -> int:
    signed_in(supervisor, client)
    client.get(url)  # warm: anything done once per process is not counted
    with counting_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_the_week_view_needs_as_many_queries_for_30_people_as_for_3(app, signed_in):
    small = a_team_of(3, "Bach IOM")
    large = a_team_of(30, "Mawr IOM")
    small_count = queries_for(app.test_client(), signed_in, small, "/supervision/week?sort=name")
    large_count = queries_for(app.test_client(), signed_in, large, "/supervision/week?sort=name")
    assert small_count == large_count
    assert large_count <= 12, large_count


def test_the_week_export_needs_as_many_queries_for_30_people_as_for_3(app, signed_in):
    small = a_team_of(3, "Bach IOM")
    large = a_team_of(30, "Mawr IOM")
    assert queries_for(app.test_client(), signed_in, small, "/supervision/week.csv") == queries_for(
        app.test_client(), signed_in, large, "/supervision/week.csv")


def test_the_review_and_deselection_lists_need_a_fixed_number_of_queries(app, signed_in):
    small = a_team_of(3, "Bach IOM")
    large = a_team_of(30, "Mawr IOM")
    for url in ("/supervision/reviews", "/supervision/deselection"):
        assert queries_for(app.test_client(), signed_in, small, url) == queries_for(
            app.test_client(), signed_in, large, url), url


def test_the_all_wales_summary_needs_as_many_queries_for_four_teams_as_for_one(app, admin, signed_in):
    def changed_defaults(supervisor):  # so that each team has a history of defaults to read
        team = db.session.get(type(supervisor.team), supervisor.team_id)
        operations.set_team_defaults(db.session, team, fixed=4, flex=1, free=0, effective=THIS_WEEK, set_by=None)
        db.session.commit()

    changed_defaults(a_team_of(2, "Un IOM"))
    one_team = queries_for(app.test_client(), signed_in, admin, "/supervision/wales")
    for name in ("Dau IOM", "Tri IOM", "Pedwar IOM"):
        changed_defaults(a_team_of(2, name))
    assert queries_for(app.test_client(), signed_in, admin, "/supervision/wales") == one_team


def _statements_for(client, signed_in, user, url: str) -> list[str]:
    signed_in(user, client)
    client.get(url)
    with counting_queries() as statements:
        assert client.get(url).status_code == 200
    return statements


def test_the_week_views_read_stored_weeks_not_the_histories(app, admin, signed_in):
    """The rules ran when the histories changed (app.person_weeks): a page only reads their answers."""
    supervisor = a_team_of(5, "Bach IOM")
    for user, url in ((supervisor, "/supervision/week"), (admin, "/supervision/wales"),
                      (supervisor, "/supervision/week.csv")):
        statements = " ".join(_statements_for(app.test_client(), signed_in, user, url)).lower()
        assert "person_weeks" in statements, url
        # Pauses are not read for the levels either: only a paused week's own pauses, to say from
        # which day ("In custody from Wednesday"), which the stored week does not hold.
        for history in ("category_changes", "rag_changes", "team_defaults"):
            assert f"from {history}" not in statements and f"join {history}" not in statements, (url, history)


def test_a_delius_or_niche_export_needs_as_many_queries_for_60_contacts_as_for_6(app, signed_in):
    from tests.supervision.test_delius_niche_runs import make_run, run_id_of

    counts = {}
    for size, name in ((3, "Bach IOM"), (30, "Mawr IOM")):
        supervisor = a_team_of(size, name)
        for kind in ("delius", "niche"):
            client = app.test_client()
            signed_in(supervisor, client)
            run = f"/supervision/exports/{run_id_of(make_run(client, kind=kind, scope='range'))}"
            for url in (run, run + "/file"):
                client.get(url)
                with counting_queries() as statements:
                    assert client.get(url).status_code == 200
                counts[size, url.endswith("/file"), kind] = len(statements)
    for key in [(file, kind) for file in (False, True) for kind in ("delius", "niche")]:
        assert counts[(3, *key)] == counts[(30, *key)], key

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.weekly_counts import caseload
from app.devices.operations import worries_for_home
from app.collation import matches_search
from app.contacts import concerns
from app.domain.weeks import local_date, week_start
from app.plans.queries import overdue_owned_by
from app import clock
from app.extensions import db
from app.i18n import current_language, keep_on_profile, remember_on_device
from app.urls import safe_next

blueprint = Blueprint("main", __name__)


@blueprint.route("/")
@login_required
def caseload_page():
    """My caseload (the people I am offender manager for) first, then the rest of the team;
    ``?q=`` searches names, CRNs and Niche references (accents folded)."""
    monday = week_start(clock.now())
    query = (request.args.get("q") or "").strip()[:100]
    everyone = caseload(db.session, current_user.team_id, monday, current_language())
    rows = [row for row in everyone if matches_search(query, row.person.display_name, row.person.delius_crn,
                                                          row.person.niche_ref)]
    mine = [row for row in rows if row.person.offender_manager_id == current_user.id]
    rest = [row for row in rows if row.person.offender_manager_id != current_user.id]
    user = current_user._get_current_object()
    return render_template("main/caseload.html", rows=rows, mine=mine, rest=rest, week=monday, query=query,
                           concerns=concerns.open_concerns(db.session, user),
                           concerns_total=concerns.count_open(db.session, user),
                           overdue_actions=overdue_owned_by(db.session, user, local_date(clock.now())),
                           phone_worries=worries_for_home(db.session, user, clock.now(), current_language()),
                           everyone=len(everyone), show_rest=bool(query) or not mine or request.args.get("all") == "1")


@blueprint.route("/language/<code>", methods=["GET", "POST"])
def switch_language(code: str):
    """GET: remember the language on this device. POST (same site, CSRF-checked): on the
    signed-in user's profile too. app/i18n.py says why the profile never changes on a GET."""
    target = safe_next(request.args.get("next")) or url_for("main.caseload_page")
    response = redirect(target)
    if code not in current_app.config["LANGUAGES"]:
        return response
    if request.method == "POST" and current_user.is_authenticated and keep_on_profile(current_user, code):
        db.session.commit()
    remember_on_device(response, code)
    return response

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.caseload import caseload
from app.collation import matches_search
from app.domain.weeks import week_start
from app import clock
from app.extensions import db
from app.i18n import CHOSEN_BEFORE_SIGN_IN_COOKIE, LANGUAGE_COOKIE, current_language
from app.models import Language
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
    return render_template("main/caseload.html", rows=rows, mine=mine, rest=rest, week=monday, query=query,
                           everyone=len(everyone), show_rest=bool(query) or not mine or request.args.get("all") == "1")


@blueprint.route("/language/<code>")
def switch_language(code: str):
    """Remember the language on the device and, once signed in, on the profile."""
    target = safe_next(request.args.get("next")) or url_for("main.caseload_page")
    if code not in current_app.config["LANGUAGES"]:
        return redirect(target)
    if current_user.is_authenticated and current_user.language != Language(code):
        current_user.language = Language(code)
        db.session.commit()
    response = redirect(target)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=current_app.config["PRODUCTION"],
        httponly=False,
    )
    if not current_user.is_authenticated:  # copied to the profile at sign-in (app/i18n.py)
        response.set_cookie(CHOSEN_BEFORE_SIGN_IN_COOKIE, code, samesite="Lax",
                            secure=current_app.config["PRODUCTION"], httponly=True)
    return response

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.caseload import caseload
from app.domain.weeks import week_start
from app import clock
from app.extensions import db
from app.i18n import current_language, keep_on_profile, remember_on_device
from app.urls import safe_next

blueprint = Blueprint("main", __name__)


@blueprint.route("/")
@login_required
def caseload_page():
    monday = week_start(clock.now())
    rows = caseload(db.session, current_user.team_id, monday, current_language())
    return render_template("main/caseload.html", rows=rows, week=monday)


@blueprint.route("/language/<code>", methods=["GET", "POST"])
def switch_language(code: str):
    """GET: remember the language on this device. POST (same site, CSRF-checked): on the
    signed-in user's profile too. app/i18n.py says why the profile never changes on a GET."""
    target = safe_next(request.args.get("next")) or url_for("main.caseload_page")
    response = redirect(target)
    if code not in current_app.config["LANGUAGES"]:
        return response
    if request.method == "POST" and current_user.is_authenticated:
        if keep_on_profile(current_user, code):
            db.session.commit()
    remember_on_device(response, code)
    return response

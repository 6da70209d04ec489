from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app.auth import operations
from app.auth.forms import SignInForm
from app.extensions import db, limiter
from app.urls import safe_next

blueprint = Blueprint("auth", __name__)


def _login_throttle_key() -> str:
    return (request.form.get("email") or "").strip().lower() or request.remote_addr or ""


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per 5 minutes", methods=["POST"])
@limiter.limit("10 per 5 minutes", methods=["POST"], key_func=_login_throttle_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.caseload_page"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = operations.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            operations.sign_in(db.session, user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("main.caseload_page"))
        error = gettext("The email address or password is not right.")
    status = 200 if request.method == "GET" or not (form.errors or error) else 400
    return render_template("auth/login.html", form=form, error=error), status


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout():
    operations.sign_out(db.session, current_user._get_current_object())
    return redirect(url_for("auth.login"))

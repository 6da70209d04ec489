from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from app.auth import operations, throttle
from app.auth.forms import SignInForm
from app.extensions import db, limiter
from app.urls import safe_next

blueprint = Blueprint("auth", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
# Only failed sign-ins cost a try (app/auth/throttle.py has the rules and the figures).
@limiter.limit(throttle.PER_ADDRESS, methods=["POST"], key_func=throttle.address, deduct_when=throttle.failed)
@limiter.limit(throttle.PER_ACCOUNT_AND_ADDRESS, methods=["POST"], key_func=throttle.account_and_address,
               deduct_when=throttle.failed)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.caseload_page"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        throttle.check_account()
        user = operations.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            operations.sign_in(db.session, user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("main.caseload_page"))
        throttle.record_failure()
        error = gettext("The email address or password is not right.")
    status = 200 if request.method == "GET" or not (form.errors or error) else 400
    return render_template("auth/login.html", form=form, error=error), status


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout():
    operations.sign_out(db.session, current_user._get_current_object())
    return redirect(url_for("auth.login"))

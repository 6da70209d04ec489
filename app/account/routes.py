"""A user's own page, and the one-time link that sets a password. Views parse, call, render."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, logout_user
from flask import session as web_session

from app import clock
from app.account import links, operations
from app.devices.operations import own_phones
from app.i18n import current_language
from app.account.forms import ChangePasswordForm, DetailsForm, SetPasswordForm
from app.auth.operations import end_every_sign_in
from app.extensions import db, limiter
from app.models import Language, LinkPurpose

blueprint = Blueprint("account", __name__, url_prefix="/account")


def _own_page(details=None, password=None, status: int = 200):
    user = current_user._get_current_object()
    if details is None:
        details = DetailsForm(formdata=None, data={"name": user.name, "language": user.language.value})
    return render_template(
        "account/page.html", user=user, details=details, password=password or ChangePasswordForm(formdata=None, user=user),
        sign_ins=operations.sign_ins(db.session, user), min_length=current_app.config["MIN_PASSWORD_LENGTH"],
        phones=own_phones(db.session, user, clock.now(), current_language()),
    ), status


@blueprint.route("")
@login_required
def own_page():
    return _own_page()


@blueprint.route("/details", methods=["POST"])
@login_required
def change_details():
    form = DetailsForm()
    if not form.validate_on_submit():
        return _own_page(details=form, status=400)
    operations.change_details(current_user._get_current_object(), name=form.name.data,
                              language=Language(form.language.data))
    db.session.commit()
    flash(gettext("Your details have been saved."))
    return redirect(url_for("account.own_page"))


@blueprint.route("/password", methods=["POST"])
@login_required
@limiter.limit("10 per 5 minutes")
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(user=user)
    if not form.validate_on_submit():
        return _own_page(password=form, status=400)
    operations.change_password(db.session, user, form.password.data)
    db.session.commit()
    flash(gettext("Your password has been changed. You have been signed out on every other device."))
    return redirect(url_for("account.own_page"))


@blueprint.route("/sign-ins/<int:sign_in_id>/end", methods=["POST"])
@login_required
def end_sign_in(sign_in_id: int):
    user = current_user._get_current_object()
    this_one = next((row for row in operations.sign_ins(db.session, user) if row.id == sign_in_id), None)
    if this_one is None or not operations.end_sign_in(db.session, user, sign_in_id):
        abort(404)
    db.session.commit()
    if this_one.this_device:
        logout_user()
        web_session.clear()
        return redirect(url_for("auth.login"))
    flash(gettext("That device has been signed out."))
    return redirect(url_for("account.own_page"))


@blueprint.route("/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    end_every_sign_in(db.session, current_user._get_current_object())
    db.session.commit()
    logout_user()
    web_session.clear()
    flash(gettext("You have been signed out on every device, this one included."), "notice")
    return redirect(url_for("auth.login"))


# --- the one-time link (no sign-in: the link is the proof) ---------------------------------


@blueprint.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit("30 per 5 minutes", methods=["POST"])
def set_password(token: str):
    link = links.usable_link(db.session, token)
    if link is None:
        return render_template("account/link_unusable.html")
    user = link.user
    form = SetPasswordForm(user=user)
    if form.validate_on_submit():
        if links.set_password_with(db.session, link, form.password.data) is None:
            return render_template("account/link_unusable.html")
        db.session.commit()
        flash(gettext("Your password has been set. Sign in with your email address and your new password."), "notice")
        return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("account/set_password.html", form=form, user=user, invited=link.purpose == LinkPurpose.INVITE,
                           min_length=current_app.config["MIN_PASSWORD_LENGTH"]), status

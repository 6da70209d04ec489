"""Supervision pages. Views parse, call ``queries``/``operations``/``exports``, render."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.contacts import contract, joint
from app.contacts.joint import joint_details, possible_duplicates
from app.domain.cohort import add_months
from app.domain.requirements import Category
from app.domain.weeks import local_date, week_of
from app.extensions import db
from app.i18n import current_language
from app.models import Contact, DeselectionReason, PauseReason, Rag, Team, TeamDefaults
from app.presenters import AGENCY_LABELS, CATEGORY_LABELS, CONTACT_TYPE_LABELS, RAG_LABELS, full_date_in_sentence
from app.cohort import operations as cohort
from app.contacts import privacy
from app.cohort.forms import DeselectForm
from app.supervision import charts, exports, operations, queries
from app.supervision.forms import (
    CategoryForm,
    EndPauseForm,
    PauseForm,
    RagForm,
    ReviewForm,
    TeamDefaultsForm,
    TeamDetailsForm,
    delius_codes_form,
    delius_codes_from,
)
from app.permissions import may, require, requires
from app.supervision.lookups import person_to_act_on, team_to_act_on, visible_team
from app.supervision.presenters import SORT_LABELS, STATUS_FILTER_LABELS, page_labels, percent, week_table
from app.supervision.review_summary import review_summary

blueprint = Blueprint("supervision", __name__, url_prefix="/supervision")

NEXT_REVIEW_MONTHS = 3  # the date a review form suggests for the next one
FILTER_OPTIONS = {"category": CATEGORY_LABELS, "rag": RAG_LABELS, "agency": AGENCY_LABELS, "type": CONTACT_TYPE_LABELS}


@blueprint.context_processor
def supervision_helpers() -> dict:
    """Template helpers. The label ones remember their words for the page being made:
    a week view shows the same few words hundreds of times, and each translation lookup
    costs more than the lookup in a small dictionary."""
    return {
        "percent": percent,
        **page_labels(),
        "status_labels": STATUS_FILTER_LABELS,
        "sort_labels": SORT_LABELS,
        "options": FILTER_OPTIONS,
    }


def _today():
    return local_date(clock.now())


def _team_arg() -> int | None:
    """Administrators choose a team with ?team=; anyone else's choice is checked by scoping."""
    return queries.parse_int(request.args.get("team"))


def _all_teams() -> list[Team]:
    if not may(current_user, "administer"):
        return []
    return sorted(db.session.scalars(select(Team)), key=lambda team: team.name.casefold())


def _status(form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


# --- Reading -----------------------------------------------------------------------


def _week_view():
    team = visible_team(_team_arg())
    today = _today()
    week = queries.chosen_week(request.args.get("week"), today)
    filters = queries.WeekFilters.from_args(request.args)
    return queries.week_view(db.session, team, week, today, filters, current_language())


def _week_url(view, endpoint: str = "supervision.week_page", **changes) -> str:
    """The week view's address with the same week, team and filters, and some changed."""
    args = {"week": view.week.isoformat(), **view.filters.as_args()}
    if may(current_user, "administer"):
        args["team"] = view.team.id
    args.update(changes)
    return url_for(endpoint, **{key: value for key, value in args.items() if value not in (None, "")})


_MARKER = 2_147_483_647  # an id no person has, to be replaced (the person page's id is a whole number)


def _person_urls():
    """The person page's address for any id, from one ``url_for``: a week view links to 250
    people, and each ``url_for`` costs about as much as the rest of a row."""
    before, after = url_for("people.person_page", person_id=_MARKER).split(str(_MARKER))
    return lambda person_id: f"{before}{person_id}{after}"


@blueprint.route("/week")
@login_required
def week_page():
    view = _week_view()
    can_act = may(current_user, "act_for_team", view.team)
    return render_template(
        "supervision/week.html",
        view=view,
        table=week_table(view, _person_urls(), current_language()),
        possible=possible_duplicates(db.session, view.team.id, view.week) if can_act else [],
        can_act=can_act,
        teams=_all_teams(),
        week_url=partial(_week_url, view),
    )


@blueprint.route("/week.csv")
@login_required
def week_export():
    view = _week_view()
    text = exports.csv_text(exports.week_header(), exports.week_rows(view))
    exports.record_export(
        db.session, "week_view", team_id=view.team.id, filters=view.filters.as_args(), rows=len(view.rows),
        week=view.week.isoformat(),
    )
    db.session.commit()
    return exports.csv_response(exports.week_filename(view), text)


@blueprint.route("/wales")
@requires("administer")
def wales_page():
    today = _today()
    week = queries.chosen_week(request.args.get("week"), today)
    summary, totals = queries.wales_summary(db.session, week, current_language())
    current = week_of(today)
    following = week + timedelta(weeks=1)
    return render_template(
        "supervision/wales.html", week=week, summary=summary, totals=totals,
        previous_week=week - timedelta(weeks=1), next_week=following if following <= current else None,
        current_week=current,
    )


@blueprint.route("/reviews")
@requires("supervise")
def reviews_page():
    team = visible_team(_team_arg())
    today = _today()
    lists = queries.review_lists(db.session, team, today, current_language())
    return render_template("supervision/reviews.html", team=team, lists=lists, today=today, teams=_all_teams())


@blueprint.route("/deselection")
@requires("supervise")
def deselection_page():
    team = visible_team(_team_arg())
    today = _today()
    candidates = queries.deselection_candidates(db.session, team, today, current_language())
    return render_template(
        "supervision/deselection.html", team=team, candidates=candidates, today=today, teams=_all_teams()
    )


def _contact_filters():
    return queries.ContactFilters.from_args(request.args, _today())


@blueprint.route("/contacts")
@login_required
def contacts_page():
    team = visible_team(_team_arg())
    filters = _contact_filters()
    contacts, total = ([], 0)
    if filters.problem is None:
        contacts, total = queries.contact_log(db.session, team, filters, limit=queries.CONTACT_LOG_PAGE)
    return render_template(
        "supervision/contacts.html", team=team, filters=filters, contacts=contacts, total=total,
        managers=queries.team_managers(db.session, team, current_language()),
        can_act=may(current_user, "act_for_team", team), teams=_all_teams(),
        page_size=queries.CONTACT_LOG_PAGE, max_days=queries.MAX_EXPORT_DAYS,
        joint=joint_details(db.session, contacts),
    )


@blueprint.route("/contacts.csv")
@login_required
def contacts_export():
    team = visible_team(_team_arg())
    filters = _contact_filters()
    if filters.problem is not None:
        abort(400)
    asked = privacy.asked(request.args)
    contacts, total = queries.contact_log(db.session, team, filters)
    codes = operations.delius_codes(db.session, team)
    reader = current_user._get_current_object()
    shown = [contact for contact in contacts if contact.sensitive and privacy.shows_private_text(reader, contact, asked=asked)]
    text = exports.csv_text(
        exports.contact_header(),
        exports.contact_rows(contacts, codes, lambda contact: privacy.shows_private_text(reader, contact, asked=asked),
                             joint=joint_details(db.session, contacts)),
    )
    exports.record_export(
        db.session, "contact_log", team_id=team.id, filters=filters.as_args(), rows=total,
        sensitive_notes_asked=asked, sensitive_notes_included=len(shown),
    )
    db.session.commit()
    return exports.csv_response(exports.contacts_filename(filters), text)


# --- Possibly the same contact (joint contacts) ------------------------------------


def _possible_pair(contact_id: uuid.UUID):
    """The contact named (404 unless visible) and the other record from the form, or None."""
    contact = db.session.scalar(select(Contact).where(Contact.id == contact_id))
    if contact is None:
        abort(404)
    require("act_for_team", contact.team_id)
    return contact, contract.parse_uuid(request.form.get("other"))


def _back_to_week(contact):
    week = queries.chosen_week(request.form.get("week"), _today())
    args = {"week": week.isoformat()}
    if may(current_user, "administer"):
        args["team"] = str(contact.team_id)
    return redirect(url_for("supervision.week_page", **args), code=303)


def _decide_possible_pair(contact_id: uuid.UUID, decide, done: str):
    """A supervisor's decision on a "possibly the same contact" pair: ``decide(contact, other)``,
    then back to the week with ``done``; a pair that has changed meanwhile is said so, changing nothing."""
    contact, other = _possible_pair(contact_id)
    try:
        if other is None:
            raise joint.PairGone
        decide(contact, other)
    except joint.PairGone:
        db.session.rollback()
        flash(gettext("These records are no longer possibly the same contact: one was changed or made void."))
        return _back_to_week(contact)
    db.session.commit()
    flash(done)
    return _back_to_week(contact)


@blueprint.route("/possible/<uuid:contact_id>/confirm", methods=["POST"])
@requires("supervise")
def confirm_same(contact_id: uuid.UUID):
    return _decide_possible_pair(
        contact_id,
        lambda contact, other: joint.confirm_same(
            db.session, current_user, contact.id, other, now=clock.now(), team_id=contact.team_id),
        gettext("The two records are now one contact, counted once."),
    )


@blueprint.route("/possible/<uuid:contact_id>/dismiss", methods=["POST"])
@requires("supervise")
def dismiss_possible(contact_id: uuid.UUID):
    return _decide_possible_pair(
        contact_id,
        lambda contact, other: joint.dismiss_possible(db.session, current_user, contact.id, other, team_id=contact.team_id),
        gettext("The two records stay two contacts. They will not be listed again."),
    )


# --- Acting on a person ------------------------------------------------------------


def _back_to(person):
    return redirect(url_for("people.person_page", person_id=person.id))


def _form_page(template: str, form, person, **context):
    return render_template(template, form=form, person=person, **context), _status(form)


@blueprint.route("/people/<int:person_id>/review", methods=["GET", "POST"])
@requires("supervise")
def review_person(person_id: int):
    person = person_to_act_on(person_id)
    today = _today()
    form = ReviewForm(person=person, today=today)
    if request.method == "GET":
        form.effective.data = today
        form.next_review_due.data = add_months(today, NEXT_REVIEW_MONTHS)
    if form.validate_on_submit():
        operations.record_review(
            db.session, person, reviewer=current_user, effective=form.effective.data,
            contacts_per_week=form.contacts_per_week.data, next_review_due=form.next_review_due.data,
            reasoning={factor: getattr(form, factor).data for factor in operations.REVIEW_FACTORS},
        )
        db.session.commit()
        flash(gettext("The review has been saved."))
        return _back_to(person)
    summary = review_summary(db.session, person, today)
    return _form_page("supervision/review_form.html", form, person, summary=summary,
                      summary_chart=charts.week_chart(summary.weeks, f"review-chart-{person.id}", charts.LARGE))


@blueprint.route("/people/<int:person_id>/category", methods=["GET", "POST"])
@requires("supervise")
def change_category(person_id: int):
    person = person_to_act_on(person_id)
    today = _today()
    form = CategoryForm(person=person, today=today)
    if request.method == "GET":
        form.category.data, form.effective.data = person.category.value, today
    if form.validate_on_submit():
        operations.change_category(
            db.session, person, by=current_user, category=Category(form.category.data),
            effective=form.effective.data, reason=form.reason.data, today=today,
        )
        db.session.commit()
        flash(gettext("The category change has been saved."))
        return _back_to(person)
    return _form_page("supervision/change_form.html", form, person, choice=form.category,
                      title=gettext("Change category"),
                      effective_hint=gettext("From this date the person goes back to the new category's default, "
                                             "ending a reviewed level. A review recorded after this change, on the "
                                             "same day or later, sets the level again."),
                      heading=gettext("Change the category for %(name)s", name=person.display_name))


@blueprint.route("/people/<int:person_id>/rag", methods=["GET", "POST"])
@requires("supervise")
def change_rag(person_id: int):
    person = person_to_act_on(person_id)
    today = _today()
    form = RagForm(person=person, today=today)
    if request.method == "GET":
        form.rag.data, form.effective.data = person.rag.value, today
    if form.validate_on_submit():
        operations.change_rag(
            db.session, person, by=current_user, rag=Rag(form.rag.data),
            effective=form.effective.data, reason=form.reason.data, today=today,
        )
        db.session.commit()
        flash(gettext("The RAG status change has been saved."))
        return _back_to(person)
    return _form_page("supervision/change_form.html", form, person, choice=form.rag,
                      title=gettext("Change RAG status"),
                      heading=gettext("Change the RAG status for %(name)s", name=person.display_name))


@blueprint.route("/people/<int:person_id>/pause", methods=["GET", "POST"])
@requires("supervise")
def add_pause(person_id: int):
    person = person_to_act_on(person_id)
    today = _today()
    form = PauseForm(person=person, today=today)
    if request.method == "GET":
        form.start.data = today
    if form.validate_on_submit():
        operations.add_pause(
            db.session, person, by=current_user, start=form.start.data, end=form.end.data,
            reason=PauseReason(form.reason.data),
        )
        db.session.commit()
        flash(gettext("The pause has been saved."))
        return _back_to(person)
    return _form_page("supervision/pause_form.html", form, person)


@blueprint.route("/people/<int:person_id>/pauses/<int:pause_id>/end", methods=["GET", "POST"])
@requires("supervise")
def end_pause(person_id: int, pause_id: int):
    person = person_to_act_on(person_id)
    pause = operations.open_pause(db.session, person, pause_id)
    if pause is None:
        abort(404)
    form = EndPauseForm(person=person, today=_today(), pause=pause)
    if request.method == "GET":
        form.end.data = _today()
    if form.validate_on_submit():
        operations.end_pause(db.session, pause, end=form.end.data)
        db.session.commit()
        flash(gettext("The pause has been ended."))
        return _back_to(person)
    return _form_page("supervision/end_pause_form.html", form, person, pause=pause)


@blueprint.route("/people/<int:person_id>/deselect", methods=["GET", "POST"])
@requires("supervise")
def deselect(person_id: int):
    person = person_to_act_on(person_id)
    form = DeselectForm(person=person, today=_today())
    if person.left_on is not None:
        return render_template("supervision/deselect_form.html", form=None, person=person), 409 if request.method == "POST" else 200
    if request.method == "GET":
        form.left_on.data = _today()
    if form.validate_on_submit():
        cohort.deselect(
            db.session, person, left_on=form.left_on.data, criteria=[DeselectionReason(item) for item in form.criteria.data],
            exit_strategy=form.exit_strategy.data, y2a_early_reason=form.y2a_early_reason.data, today=_today(),
        )
        db.session.commit()
        flash(gettext("The de-selection has been recorded."))
        return _back_to(person)
    return _form_page("supervision/deselect_form.html", form, person)


# --- Team and administration -------------------------------------------------------


def _team_page(team, form=None, details=None, status=200):
    form = form or TeamDefaultsForm(formdata=None, obj=team, effective=week_of(_today()))
    details = details or TeamDetailsForm(formdata=None, obj=team, team_id=team.id)
    history = sorted(team.default_history, key=lambda change: change.effective, reverse=True)
    return render_template("supervision/team.html", form=form, details=details, team=team, teams=_all_teams(),
                           history=history, since_the_start=TeamDefaults.SINCE_THE_START), status


def _back_to_team(team):
    return redirect(url_for("supervision.team_settings", **({"team": team.id} if may(current_user, "administer") else {})))


def _committed_unless_name_taken(form) -> bool:
    """Commit; if another request took the team's name meanwhile, say so on the field instead."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.name.errors.append(gettext("Another team already has this name."))
        return False
    return True


@blueprint.route("/team/details", methods=["POST"])
@requires("supervise")
def team_details():
    team = team_to_act_on(_team_arg())
    details = TeamDetailsForm(team_id=team.id)
    if not details.validate_on_submit():
        return _team_page(team, details=details, status=400)
    operations.update_team_details(team, **{key: getattr(details, key).data for key in operations.TEAM_DETAILS})
    if not _committed_unless_name_taken(details):
        return _team_page(team_to_act_on(_team_arg()), details=details, status=400)
    flash(gettext("The team's settings have been saved."))
    return _back_to_team(team)


@blueprint.route("/teams/new", methods=["GET", "POST"])
@requires("administer")
def new_team():
    form = TeamDetailsForm(data=None if request.method == "POST" else {"correction_window_days": 7, "late_entry_days": 14})
    if form.validate_on_submit():
        team = operations.create_team(db.session, **{key: getattr(form, key).data for key in operations.TEAM_DETAILS})
        if _committed_unless_name_taken(form):
            flash(gettext("The team %(team)s has been created. Add its staff next.", team=team.name))
            return redirect(url_for("staff.staff_page", team=team.id))
        return render_template("supervision/new_team.html", form=form), 400
    return render_template("supervision/new_team.html", form=form), _status(form)


@blueprint.route("/team", methods=["GET", "POST"])
@requires("supervise")
def team_settings():
    team = team_to_act_on(_team_arg())
    form = TeamDefaultsForm(obj=team, effective=week_of(_today()))
    if form.validate_on_submit():
        monday = operations.set_team_defaults(
            db.session, team, fixed=form.default_fixed.data, flex=form.default_flex.data, free=form.default_free.data,
            effective=form.effective.data, set_by=current_user._get_current_object(),
        )
        db.session.commit()
        flash(gettext("The team's default levels have been saved. They count from the week beginning %(date)s;"
                      " earlier weeks keep the levels they were counted by.", date=full_date_in_sentence(monday)))
        return _back_to_team(team)
    return _team_page(team, form=form, status=_status(form))


@blueprint.route("/delius-codes", methods=["GET", "POST"])
@requires("supervise")
def delius_codes():
    """The team's Delius mapping: codes by agency and kind, outcome codes, which absences are acceptable."""
    team = team_to_act_on(_team_arg())
    in_force = operations.delius_codes(db.session, team)
    form = delius_codes_form(delius_code_pages.labels(), data=in_force)
    if form.validate_on_submit():
        changed = operations.set_delius_codes(db.session, team, delius_codes_from(form), by=current_user._get_current_object())
        db.session.commit()
        flash(ngettext("%(num)d Delius setting has been changed for %(team)s.",
                       "%(num)d Delius settings have been changed for %(team)s.", changed, team=team.name)
              if changed else gettext("Nothing was changed."))
        return redirect(url_for("supervision.delius_codes", **({"team": team.id} if may(current_user, "administer") else {})))
    return render_template(
        "supervision/delius_codes.html", form=form, team=team, teams=_all_teams(),
        sections=delius_code_pages.sections(form), history=delius_code_pages.history(db.session, team),
    ), _status(form)


from app.supervision import delius_code_pages, export_pages, measure_pages  # noqa: E402,F401  (their parts of this blueprint)

"""The Delius and Niche export pages (on the supervision blueprint): make a run, read it, download it.

Views parse, call ``export_runs``/``exports``, render. Whether sensitive notes go in is
asked of ``app.permissions`` every time a run is read or downloaded, not only when it is made.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.domain.exports import ExportStatus
from app.domain.weeks import local_date, week_of
from app.extensions import db
from app.models import ExportRun, Team
from app.permissions import may, requires
from app.supervision import export_runs, exports, operations
from app.supervision.forms import ExportRunForm
from app.supervision.lookups import team_to_act_on
from app.supervision.routes import _all_teams, _team_arg, blueprint


def may_include_sensitive_notes(team: Team) -> bool:
    """Whether the reader may have sensitive contacts' notes in an export (app/permissions.py decides)."""
    return may(current_user, "read_team_sensitive_notes", team)


def _today():
    return local_date(clock.now())


def _run_to_read(run_id: int) -> tuple[ExportRun, Team]:
    """A run of a team the reader acts for: another team's run is not found (app/scoping.py)."""
    run = db.session.scalar(select(ExportRun).where(ExportRun.id == run_id))
    if run is None:
        abort(404)
    team = team_to_act_on(run.team_id)
    return run, team


@blueprint.route("/exports", methods=["GET", "POST"])
@requires("supervise")
def exports_page():
    team = team_to_act_on(_team_arg())
    today = _today()
    form = ExportRunForm(today=today, max_days=export_runs.MAX_RANGE_DAYS)
    if request.method == "GET":
        form.first_day.data, form.last_day.data = week_of(today), today
    if form.validate_on_submit():
        allowed = may_include_sensitive_notes(team)
        changed_only = form.scope.data == "changed"
        try:
            run = export_runs.make_run(
                db.session, team, form.kind.data, by=current_user._get_current_object(), changed_only=changed_only,
                first_day=form.first_day.data, last_day=form.last_day.data,
                sensitive_notes=bool(form.sensitive_notes.data) and allowed, now=clock.now(),
            )
        except export_runs.NothingToContinue:
            db.session.rollback()
            form.scope.errors = [*form.scope.errors, exports.nothing_to_continue()]
        else:
            db.session.commit()
            return redirect(url_for("supervision.export_run_page", run_id=run.id))
    last = {kind: export_runs.last_run(db.session, team, kind) for kind in export_runs.KINDS}
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template(
        "supervision/exports.html", form=form, team=team, teams=_all_teams(), last=last,
        runs=export_runs.recent_runs(db.session, team), can_see_sensitive=may_include_sensitive_notes(team),
    ), status


def _lines_and_notes(run: ExportRun, team: Team):
    lines = export_runs.run_lines(db.session, run)
    return lines, run.sensitive_notes and may_include_sensitive_notes(team)


@blueprint.route("/exports/<int:run_id>")
@requires("supervise")
def export_run_page(run_id: int):
    run, team = _run_to_read(run_id)
    lines, sensitive_notes = _lines_and_notes(run, team)
    blocks = exports.niche_blocks(lines, sensitive_notes) if run.kind == export_runs.NICHE else []
    codes = operations.delius_codes(db.session, team)
    counts = {status.value: sum(1 for line in lines if line.status == status) for status in ExportStatus}
    page = render_template(
        "supervision/export_run.html", run=run, team=team, lines=lines, blocks=blocks, counts=counts,
        status_labels=exports.status_labels(), instruction=exports.status_instruction,
        changed_since=sum(1 for line in lines if line.changed_since), sensitive_notes=sensitive_notes,
        coded=[(operations.delius_code_for(line.contact, codes), operations.delius_outcome_for(line.contact, codes))
               for line in lines],
    )
    if run.kind == export_runs.NICHE:  # the page shows the data itself; recorded once it is made (see above)
        export_runs.record_download(db.session, run, what="page", sensitive_notes=sensitive_notes)
        db.session.commit()
    return page


@blueprint.route("/exports/<int:run_id>/file")
@requires("supervise")
def export_run_file(run_id: int):
    run, team = _run_to_read(run_id)
    lines, sensitive_notes = _lines_and_notes(run, team)
    # The file is made before the download is recorded: the commit would expire every contact loaded.
    if run.kind == export_runs.NICHE:
        response = exports.text_response(exports.run_filename(run), exports.niche_text(lines, sensitive_notes))
    else:
        codes = operations.delius_codes(db.session, team)
        text = exports.csv_text(exports.delius_header(), exports.delius_rows(lines, codes, sensitive_notes))
        response = exports.csv_response(exports.run_filename(run), text)
    export_runs.record_download(db.session, run, what="file", sensitive_notes=sensitive_notes)
    db.session.commit()
    return response


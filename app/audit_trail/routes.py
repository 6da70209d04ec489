from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app.audit_trail import operations
from app.audit_trail.forms import ExportForm
from app.extensions import db
from app.audit_trail.browse import TrailFilters, number_or_none, people_matching, team_users, trail_page
from app.audit_trail.labels import entity_labels
from app.models import Team
from app.permissions import may, requires
from app.supervision.lookups import team_to_act_on

blueprint = Blueprint("audit_trail", __name__, url_prefix="/audit")


@blueprint.route("/export")
@requires("administer")
def export():
    form = ExportForm(formdata=request.args or None)
    form.team.choices = [("", "")] + operations.team_choices(db.session)
    # The person is found by a search on the name, in the team chosen: the page never lists
    # every person in Wales. The choice offered is the matches, and the person chosen before.
    search = (request.args.get("person_search") or "").strip()
    team_id = number_or_none(request.args.get("team"))
    matches = people_matching(db.session, team_id, search) if search else []
    people, form.people_by_team = operations.chosen_person(db.session, number_or_none(request.args.get("person")))
    form.person.choices = [("", "")] + list(dict.fromkeys(people + matches))
    if not request.args:
        return render_template("audit_trail/export.html", form=form, search=search, matches=matches)
    if not form.validate():
        return render_template("audit_trail/export.html", form=form, search=search, matches=matches), 400
    if search and not request.args.get("person") and request.args.get("find"):
        return render_template("audit_trail/export.html", form=form, search=search, matches=matches)
    export = operations.export_audit_trail(
        db.session, team_id=form.team.data, person_id=form.person.data, start=form.start.data, end=form.end.data,
        reader=current_user._get_current_object(), sensitive_notes=bool(form.sensitive_notes.data),
    )
    db.session.commit()  # the export's own audit event
    return Response(
        export.content,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@blueprint.route("/team")
@requires("supervise")
def browse():
    """The team's audit trail, for its supervisors (and administrators, any team)."""
    team = team_to_act_on(number_or_none(request.args.get("team")))
    filters = TrailFilters.from_args(request.args)
    trail = trail_page(db.session, team.id, filters)
    return render_template(
        "audit_trail/browse.html", team=team, filters=filters, trail=trail,
        users=team_users(db.session, team.id), kinds=entity_labels(),
        teams=sorted(db.session.scalars(select(Team)), key=lambda each: each.name.casefold()) if may(current_user, "administer") else [],
    )

from flask import Blueprint, Response, render_template, request

from app.audit_trail import operations
from app.audit_trail.forms import ExportForm
from app.extensions import db
from app.i18n import current_language
from app.permissions import requires

blueprint = Blueprint("audit_trail", __name__, url_prefix="/audit")


@blueprint.route("/export")
@requires("administer")
def export():
    form = ExportForm(formdata=request.args or None)
    form.team.choices = [("", "")] + operations.team_choices(db.session)
    people, form.people_by_team = operations.people_choices(db.session, current_language())
    form.person.choices = [("", "")] + people
    if not request.args:
        return render_template("audit_trail/export.html", form=form)
    if not form.validate():
        return render_template("audit_trail/export.html", form=form), 400
    export = operations.export_audit_trail(
        db.session, team_id=form.team.data, person_id=form.person.data, start=form.start.data, end=form.end.data
    )
    db.session.commit()  # the export's own audit event
    return Response(
        export.content,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )

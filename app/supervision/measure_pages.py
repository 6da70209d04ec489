"""How the team is doing (toolkit §10), on the supervision blueprint: the page and its CSV.

Views parse, call ``measures``/``exports``, render. The figures are ``app.domain.measures``'s;
the words for them are here (whole sentences, one for each category and each cohort band).
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext, lazy_gettext as _l, ngettext

from app import clock
from app.domain.measures import AGENCIES, ALL, CohortBand, WeekMeasure
from app.extensions import db
from app.permissions import require, requires
from app.supervision import charts, exports
from app.supervision.lookups import visible_team
from app.supervision.measures import TeamMeasures, team_measures
from app.supervision.routes import _all_teams, _team_arg, blueprint

HEADINGS = {
    ALL: _l("Every category"),
    "fixed": _l("Fixed cohort"),
    "flex": _l("Flex cohort"),
    "free": _l("Free cohort"),
}
CAPTIONS = {
    ALL: _l("Each week's figures for every category"),
    "fixed": _l("Each week's figures for the Fixed cohort"),
    "flex": _l("Each week's figures for the Flex cohort"),
    "free": _l("Each week's figures for the Free cohort"),
}
CHART_TITLES = {
    ALL: _l("The share of people in every category who were offered, and who kept, at least their required "
            "level each week."),
    "fixed": _l("The share of people in the Fixed cohort who were offered, and who kept, at least their required "
                "level each week."),
    "flex": _l("The share of people in the Flex cohort who were offered, and who kept, at least their required "
               "level each week."),
    "free": _l("The share of people in the Free cohort who were offered, and who kept, at least their required "
               "level each week."),
}


def cohort_size_sentence(size: int, band: CohortBand) -> str:
    """The cohort's size this week against the toolkit's guidance, in one sentence."""
    if band is CohortBand.BELOW_SMALLER:
        return ngettext(
            "%(num)d person is in the cohort this week: fewer than the 60 to 100 the toolkit suggests for a "
            "smaller CSP area.",
            "%(num)d people are in the cohort this week: fewer than the 60 to 100 the toolkit suggests for a "
            "smaller CSP area.", size)
    if band is CohortBand.SMALLER:
        return ngettext(
            "%(num)d person is in the cohort this week: within the 60 to 100 the toolkit suggests for a smaller "
            "CSP area.",
            "%(num)d people are in the cohort this week: within the 60 to 100 the toolkit suggests for a smaller "
            "CSP area.", size)
    if band is CohortBand.BETWEEN:
        return ngettext(
            "%(num)d person is in the cohort this week: more than the 60 to 100 the toolkit suggests for a "
            "smaller CSP area, and fewer than the 240 to 500 it suggests for a larger one.",
            "%(num)d people are in the cohort this week: more than the 60 to 100 the toolkit suggests for a "
            "smaller CSP area, and fewer than the 240 to 500 it suggests for a larger one.", size)
    if band is CohortBand.LARGER:
        return ngettext(
            "%(num)d person is in the cohort this week: within the 240 to 500 the toolkit suggests for a larger "
            "CSP area.",
            "%(num)d people are in the cohort this week: within the 240 to 500 the toolkit suggests for a larger "
            "CSP area.", size)
    return ngettext(
        "%(num)d person is in the cohort this week: more than the 240 to 500 the toolkit suggests for a larger "
        "CSP area.",
        "%(num)d people are in the cohort this week: more than the 240 to 500 the toolkit suggests for a larger "
        "CSP area.", size)


def share(value: int | None) -> str:
    """A percentage for a cell, or words when there was nothing to count."""
    if value is None:
        return gettext("Nothing to count")
    return gettext("%(percent)d%%", percent=value)


def share_weeks(series: list[WeekMeasure]) -> list[charts.ShareWeek]:
    return [charts.ShareWeek(measure.week, measure.met_percent, measure.kept_enough_percent) for measure in series]


def agencies_shown(figures: TeamMeasures, category: str | None) -> list[str]:
    """Police and probation always; a partner agency's column only if it made contacts."""
    return [agency for agency in AGENCIES
            if agency != "partner" or any(measure.agency(agency).offered for measure in figures.series(category))]


def _figures() -> TeamMeasures:
    team = visible_team(_team_arg())
    require("see_team_measures", team)
    return team_measures(db.session, team, clock.now())


@blueprint.route("/measures")
@requires("see_team_measures")
def measures_page():
    figures = _figures()
    return render_template(
        "supervision/measures.html", figures=figures, teams=_all_teams(), headings=HEADINGS, captions=CAPTIONS,
        cohort_size=cohort_size_sentence(figures.cohort_size, figures.band),
        share=share, agencies_shown=agencies_shown,
        share_chart=lambda category: charts.share_chart(
            share_weeks(figures.series(category)), f"measures-chart-{category or 'all'}", str(CHART_TITLES[category])),
        agency_chart=charts.agency_chart(
            [charts.AgencyWeek(measure.week, measure.agency("police").offered, measure.agency("probation").offered)
             for measure in figures.series(ALL)], "measures-chart-agencies"),
    )


@blueprint.route("/measures.csv")
@requires("see_team_measures")
def measures_export():
    figures = _figures()
    rows = exports.measures_rows(figures)
    text = exports.csv_text(exports.measures_header(), rows)
    exports.record_export(db.session, "team_measures", team_id=figures.team.id, filters={}, rows=len(rows),
                          week=figures.weeks[-1].isoformat())
    db.session.commit()
    return exports.csv_response(exports.measures_filename(figures), text)


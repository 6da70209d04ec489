"""A chart of contacts kept and offered each week against the required level.

Inline SVG made on the server: no JavaScript, no chart library. Each chart is an image
(``role="img"``) labelled by its ``<title>``, a sentence summarising the weeks, so a
screen reader hears what a sighted reader sees; the numbers are also in a table or in
the row beside it. Colours come from CSS classes in static/css/app.css (no inline
styles, so the Content Security Policy can forbid them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import g, has_request_context
from flask_babel import gettext, ngettext
from markupsafe import Markup, escape

from app.domain.counting import WeekCount, WeekStatus
from app.i18n import current_language
from app.presenters import label_date, short_date


@dataclass(frozen=True)
class ChartSize:
    slot: int  # width given to each week
    bar: int  # width of a bar
    height: int  # height of the plotting area
    top: int  # room above the plot (for the tallest value's label)
    bottom: int  # room below it (for week labels)
    labels: bool


SMALL = ChartSize(slot=12, bar=8, height=36, top=2, bottom=2, labels=False)
LARGE = ChartSize(slot=40, bar=24, height=120, top=16, bottom=22, labels=True)


def _words(key: tuple, make) -> str:
    """A translated phrase, made once per request: a week view draws 250 charts whose
    sentences differ only in their numbers, and each translation lookup has a cost."""
    if not has_request_context():
        return make()
    cache = g.setdefault("chart_words", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def summary(weeks: Sequence[WeekCount]) -> str:
    """The chart in words: whole sentences, each with its own count, for any language."""
    if not weeks:
        return gettext("No weeks to show.")
    met = short = offered = kept = 0
    for week in weeks:
        status = week.status
        met += status is WeekStatus.MET
        short += status is WeekStatus.SHORT
        offered += week.offered
        kept += week.kept
    last = weeks[-1].week
    sentences = [
        _words(("weeks", len(weeks), last), lambda: ngettext(
            "Contacts in the %(num)d week up to the week beginning %(date)s.",
            "Contacts in the %(num)d weeks up to the week beginning %(date)s.",
            len(weeks),
            date=short_date(last),
        )),
        _words(("met", met), lambda: ngettext(
            "The required level was met in %(num)d week.", "The required level was met in %(num)d weeks.", met)),
        _words(("short", short), lambda: ngettext(
            "It was not met in %(num)d week.", "It was not met in %(num)d weeks.", short)),
        _words(("offered", offered, kept), lambda: ngettext(
            "%(num)d contact was offered in all, and %(kept)d kept.",
            "%(num)d contacts were offered in all, and %(kept)d kept.",
            offered,
            kept=kept,
        )),
    ]
    sentences.append(_words(("each",) + tuple((week.week, week.offered, week.kept, week.required) for week in weeks),
                            lambda: _week_by_week(weeks)))
    return " ".join(sentences)


def _week_by_week(weeks: Sequence[WeekCount]) -> str:
    """Every week's numbers, so the text alternative carries what the bars show."""
    return " ".join(
        _words(("week", week.week, week.offered, week.kept, week.required), lambda week=week: gettext(
            "Week beginning %(date)s. Offered: %(offered)d, kept: %(kept)d, required: %(required)d.",
            date=_words(("date", week.week), lambda: short_date(week.week)),  # a page has 12 weeks, and 250 charts
            offered=week.offered, kept=week.kept, required=week.required,
        ))
        for week in weeks
    )


# Stands for the chart's id in a remembered chart; no id can contain it.
_ID = "\x00"


def week_chart(weeks: Sequence[WeekCount], chart_id: str, size: ChartSize = SMALL, language: str | None = None) -> Markup:
    """An SVG bar chart of ``weeks`` (oldest first): offered, kept, and the required level.

    A chart depends only on its weeks' numbers, its size and the language, so each is
    drawn once and remembered (``_drawn``): a week view shows 250 of them, and between two
    visits only the current week's contacts change. ``language`` is the response's
    (``app.i18n.current_language``), given by a caller drawing many charts for one page.
    """
    return _drawn(tuple(weeks), size, language or current_language()).replace(_ID, chart_id)


@lru_cache(maxsize=8192)  # about 1.5 KB each
def _drawn(weeks: tuple[WeekCount, ...], size: ChartSize, _language: str) -> Markup:
    return _draw(weeks, _ID, size)


def _draw(weeks: Sequence[WeekCount], chart_id: str, size: ChartSize) -> Markup:
    scale_top = max([1] + [max(week.offered, week.required) for week in weeks])
    width = size.slot * max(len(weeks), 1)
    total_height = size.top + size.height + size.bottom
    base = size.top + size.height
    unit = size.height / scale_top
    chart_id = escape(chart_id)
    parts = [
        f'<svg class="chart chart--{"large" if size.labels else "small"}" viewBox="0 0 {width} {total_height}"'
        f' width="{width}" height="{total_height}" role="img" aria-labelledby="{chart_id}"'
        f' focusable="false" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}">{escape(summary(weeks))}</title>',
        f'<line class="chart__axis" x1="0" y1="{base}" x2="{width}" y2="{base}"/>',
    ]
    half_gap = (size.slot - size.bar) / 2
    for index, week in enumerate(weeks):
        left = index * size.slot
        x = left + half_gap
        if week.offered:
            bar = week.offered * unit
            parts.append(
                f'<rect class="chart__offered chart__offered--{week.status.value}" x="{x:g}" y="{base - bar:.1f}"'
                f' width="{size.bar}" height="{bar:.1f}"/>'
            )
        if week.kept:
            bar = week.kept * unit
            parts.append(
                f'<rect class="chart__kept" x="{x + size.bar / 4:g}" y="{base - bar:.1f}"'
                f' width="{size.bar / 2:g}" height="{bar:.1f}"/>'
            )
        if week.required:
            level = base - week.required * unit
            parts.append(
                f'<line class="chart__required" x1="{left + 1}" y1="{level:.1f}"'
                f' x2="{left + size.slot - 1}" y2="{level:.1f}"/>'
            )
        if size.labels and (len(weeks) - 1 - index) % 3 == 0:  # the last week, and every third before it
            # The last label ends at the chart's right edge, so no part of it is cut off.
            last = index == len(weeks) - 1
            parts.append(
                f'<text class="chart__label" x="{width - 1 if last else left + size.slot / 2:g}" y="{total_height - 6}"'
                f' text-anchor="{"end" if last else "middle"}">{escape(label_date(week.week))}</text>'
            )
    if size.labels:
        parts.append(f'<text class="chart__label" x="2" y="{size.top - 4}">{scale_top}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# --- The team's measures (toolkit §10) ----------------------------------------------


@dataclass(frozen=True)
class ShareWeek:
    """One week of a share chart: two percentages of the people with contacts required."""

    week: date
    offered: int | None  # offered at least their level; None when nobody had contacts required
    kept: int | None  # kept at least their level


SHARE_SLOT, SHARE_BAR, SHARE_HEIGHT = 44, 28, 150
SHARE_LEFT, SHARE_TOP, SHARE_BOTTOM = 44, 10, 40  # room for the percentage axis, the top tick, the weeks
SHARE_RIGHT = 36  # room for half of the last week's label, centred under its bar


def share_week_text(week: ShareWeek) -> str:
    """One week of a share chart in words (its text alternative and the table say the same)."""
    if week.offered is None or week.kept is None:
        return gettext("Week beginning %(date)s: nobody had contacts required.", date=short_date(week.week))
    return gettext(
        "Week beginning %(date)s. Offered at least their required level: %(offered)d%%. "
        "Kept at least their required level: %(kept)d%%.",
        date=short_date(week.week), offered=week.offered, kept=week.kept,
    )


def _each_share_week(weeks: Sequence[ShareWeek]) -> str:
    """Every week's figures, one sentence each (as ``_week_by_week`` does for the week charts)."""
    return " ".join(share_week_text(week) for week in weeks)


def share_chart(weeks: Sequence[ShareWeek], chart_id: str, title: str) -> Markup:
    """An SVG bar chart of the share of people offered (wide bar) and kept (narrow bar) at
    least their required level, each week, oldest first: a percentage axis from 0 to 100
    labelled on the left, the weeks labelled below. ``title`` names what it shows (a whole
    sentence); its description (``<desc>``) gives every week's figures in words."""
    chart_id = escape(chart_id)
    right = SHARE_LEFT + SHARE_SLOT * max(len(weeks), 1)  # the plot's right edge
    width = right + SHARE_RIGHT
    base = SHARE_TOP + SHARE_HEIGHT
    total_height = base + SHARE_BOTTOM
    unit = SHARE_HEIGHT / 100
    parts = [
        f'<svg class="chart chart--share" viewBox="0 0 {width} {total_height}" width="{width}" height="{total_height}"'
        f' role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" focusable="false"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_each_share_week(weeks))}</desc>',
    ]
    for tick in (0, 50, 100):
        y = base - tick * unit
        tick_label = escape(gettext("%(percent)d%%", percent=tick))
        parts.append(f'<line class="chart__grid" x1="{SHARE_LEFT}" y1="{y:g}" x2="{right}" y2="{y:g}"/>')
        parts.append(f'<text class="chart__label" x="{SHARE_LEFT - 4}" y="{y + 3:g}" text-anchor="end">'
                     f'{tick_label}</text>')
    parts.append(f'<line class="chart__axis" x1="{SHARE_LEFT}" y1="{base}" x2="{right}" y2="{base}"/>')
    parts.append(f'<line class="chart__axis" x1="{SHARE_LEFT}" y1="{SHARE_TOP}" x2="{SHARE_LEFT}" y2="{base}"/>')
    half_gap = (SHARE_SLOT - SHARE_BAR) / 2
    for index, week in enumerate(weeks):
        left = SHARE_LEFT + index * SHARE_SLOT
        if week.offered:
            bar = week.offered * unit
            parts.append(f'<rect class="chart__offered" x="{left + half_gap:g}" y="{base - bar:.1f}"'
                         f' width="{SHARE_BAR}" height="{bar:.1f}"/>')
        if week.kept:
            bar = week.kept * unit
            parts.append(f'<rect class="chart__kept" x="{left + half_gap + SHARE_BAR / 4:g}" y="{base - bar:.1f}"'
                         f' width="{SHARE_BAR / 2:g}" height="{bar:.1f}"/>')
        _week_label(parts, weeks, index, left, base)
    return _with_axes(parts, weeks, total_height, gettext("Share of people"))


def _week_label(parts: list[str], weeks, index: int, left: float, base: float) -> None:
    """The week's date under its bar: the last week's, and every third before it."""
    if (len(weeks) - 1 - index) % 3 == 0:
        parts.append(f'<text class="chart__label" x="{left + SHARE_SLOT / 2:g}" y="{base + 14}"'
                     f' text-anchor="middle">{escape(label_date(weeks[index].week))}</text>')


def _with_axes(parts: list[str], weeks, total_height: float, value_axis: str) -> Markup:
    """A measures chart finished: its two axes named (weeks along, ``value_axis`` up) and closed."""
    weeks_axis = escape(gettext("Week beginning"))
    middle = SHARE_TOP + SHARE_HEIGHT / 2
    parts.append(f'<text class="chart__label chart__label--axis" x="{SHARE_LEFT + SHARE_SLOT * len(weeks) / 2:g}"'
                 f' y="{total_height - 6}" text-anchor="middle">{weeks_axis}</text>')
    parts.append(f'<text class="chart__label chart__label--axis" x="12" y="{middle:g}"'
                 f' text-anchor="middle" transform="rotate(-90 12 {middle:g})">{escape(value_axis)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class AgencyWeek:
    """One week of the agency chart: contacts offered by each agency's officers."""

    week: date
    police: int
    probation: int


def agency_week_text(week: AgencyWeek) -> str:
    return gettext(
        "Week beginning %(date)s. Contacts offered by the police: %(police)d. Contacts offered by probation: "
        "%(probation)d.", date=short_date(week.week), police=week.police, probation=week.probation,
    )


def _each_agency_week(weeks: Sequence[AgencyWeek]) -> str:
    return " ".join(agency_week_text(week) for week in weeks)


def agency_chart(weeks: Sequence[AgencyWeek], chart_id: str) -> Markup:
    """An SVG bar chart of the contacts offered by the police (left bar) and by probation (right
    bar) each week, oldest first: a count axis labelled on the left, the weeks below; its
    ``<desc>`` gives every week's numbers in words."""
    chart_id = escape(chart_id)
    scale_top = max([1] + [max(week.police, week.probation) for week in weeks])
    right = SHARE_LEFT + SHARE_SLOT * max(len(weeks), 1)  # the plot's right edge
    width = right + SHARE_RIGHT
    base = SHARE_TOP + SHARE_HEIGHT
    total_height = base + SHARE_BOTTOM
    unit = SHARE_HEIGHT / scale_top
    title = escape(gettext("Contacts offered each week by police officers and by probation officers."))
    parts = [
        f'<svg class="chart chart--share" viewBox="0 0 {width} {total_height}" width="{width}" height="{total_height}"'
        f' role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" focusable="false"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{title}</title>',
        f'<desc id="{chart_id}-desc">{escape(_each_agency_week(weeks))}</desc>',
    ]
    for tick in sorted({0, scale_top // 2 if scale_top % 2 == 0 else 0, scale_top}):
        y = base - tick * unit
        parts.append(f'<line class="chart__grid" x1="{SHARE_LEFT}" y1="{y:g}" x2="{right}" y2="{y:g}"/>')
        parts.append(f'<text class="chart__label" x="{SHARE_LEFT - 4}" y="{y + 3:g}" text-anchor="end">{tick}</text>')
    parts.append(f'<line class="chart__axis" x1="{SHARE_LEFT}" y1="{base}" x2="{right}" y2="{base}"/>')
    parts.append(f'<line class="chart__axis" x1="{SHARE_LEFT}" y1="{SHARE_TOP}" x2="{SHARE_LEFT}" y2="{base}"/>')
    bar = SHARE_BAR / 2
    half_gap = (SHARE_SLOT - SHARE_BAR) / 2
    for index, week in enumerate(weeks):
        left = SHARE_LEFT + index * SHARE_SLOT
        for offset, value, kind in ((0, week.police, "police"), (bar, week.probation, "probation")):
            if value:
                height = value * unit
                parts.append(f'<rect class="chart__agency chart__agency--{kind}" x="{left + half_gap + offset:g}"'
                             f' y="{base - height:.1f}" width="{bar:g}" height="{height:.1f}"/>')
        _week_label(parts, weeks, index, left, base)
    return _with_axes(parts, weeks, total_height, gettext("Contacts offered"))

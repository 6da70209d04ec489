"""Words for values: the translated labels templates show. Templates stay dumb."""

from __future__ import annotations

from flask_babel import (
    force_locale,
    format_date,
    format_datetime,
    get_locale,
    gettext,
    lazy_gettext as _l,
    lazy_pgettext,
    ngettext,
)

from app.domain.counting import WeekCount, WeekStatus
from app.domain.plans import ActionStatus, Need
from app.domain.requirements import Category, ProRating, ProRatingReason
from app.models import Agency, ContactType, Outcome, Pathway, PauseReason, Rag, Role

CATEGORY_LABELS = {Category.FIXED: _l("Fixed"), Category.FLEX: _l("Flex"), Category.FREE: _l("Free")}
RAG_LABELS = {Rag.RED: _l("Red"), Rag.AMBER: _l("Amber"), Rag.GREEN: _l("Green")}
AGENCY_LABELS = {
    Agency.POLICE: _l("Police"),
    Agency.PROBATION: _l("Probation"),
    Agency.PARTNER: _l("Partner agency"),
}
ROLE_LABELS = {Role.OFFICER: _l("Officer"), Role.SUPERVISOR: _l("Supervisor"), Role.ADMIN: _l("Administrator")}
CONTACT_TYPE_LABELS = {
    ContactType.HOME_VISIT: _l("Home visit"),
    ContactType.PUBLIC_PLACE: _l("Meeting in a public place"),
    ContactType.PHONE: _l("Phone call"),
    ContactType.VIDEO_ONLINE: _l("Video or online"),
    ContactType.OFFICE: _l("Office appointment"),
    ContactType.PARTNER_AGENCY: _l("Meeting with a partner agency"),
    ContactType.LIFT_PRACTICAL: _l("Lift or practical help"),
    ContactType.WELFARE_HELP: _l("Welfare help"),
    ContactType.ACTIVITY: _l("Activity"),
}
OUTCOME_LABELS = {
    Outcome.KEPT: _l("Kept"),
    Outcome.NOT_AT_HOME: _l("Not kept: not at home"),
    Outcome.DID_NOT_ATTEND: _l("Not kept: did not attend"),
    Outcome.REFUSED: _l("Refused"),
}
PATHWAY_LABELS = {
    Pathway.ACCOMMODATION: _l("Accommodation and support"),
    Pathway.EDUCATION_TRAINING_EMPLOYMENT: _l("Education, training and employment"),
    Pathway.HEALTH: _l("Health"),
    Pathway.DRUGS_ALCOHOL: _l("Drugs and alcohol"),
    Pathway.CHILDREN_FAMILIES: _l("Children and families"),
    Pathway.FINANCE_BENEFITS_DEBT: _l("Finance, benefits and debt"),
    Pathway.ATTITUDES_THINKING_BEHAVIOUR: _l("Attitudes, thinking and behaviour"),
}
NEED_LABELS = {
    Need.NONE: _l("No need"),
    Need.SOME: _l("Some need"),
    Need.HIGH: _l("High need"),
}
ACTION_STATUS_LABELS = {
    ActionStatus.OPEN: lazy_pgettext("a plan action's status", "Open"),
    ActionStatus.DONE: lazy_pgettext("a plan action's status", "Done"),
    ActionStatus.DROPPED: lazy_pgettext("a plan action's status", "Dropped"),
}
PAUSE_LABELS = {
    PauseReason.CUSTODY: _l("In custody"),
    PauseReason.HOSPITAL: _l("In hospital"),
    PauseReason.OTHER: _l("Other reason"),
}


# The language switch's hidden text, HMRC's pattern: written in the language it switches to,
# like the link itself ("English" / "Change the language to English" on a Welsh page).
LANGUAGE_SWITCH_HINTS = {
    "en": _l("Change the language to English"),
    "cy": _l("Change the language to Welsh"),
}


def language_switch_hint(target: str) -> str:
    with force_locale(target):
        return str(LANGUAGE_SWITCH_HINTS[target])


def week_status(count: WeekCount) -> str:
    if count.status == WeekStatus.NOT_REQUIRED:
        return gettext("Not required this week")
    if count.status == WeekStatus.MET:
        return gettext("Met")
    return ngettext(
        "Short by %(num)d contact", "Short by %(num)d contacts", count.shortfall
    )


def counts_summary(count: WeekCount) -> str:
    """Three labelled numbers, not a sentence: a label reads right with any number in either
    language ("Cynigiwyd: 1"), where a sentence would need agreement with three counts at once."""
    return gettext(
        "Offered: %(offered)d · Kept: %(kept)d · Required: %(required)d",
        offered=count.offered,
        kept=count.kept,
        required=count.required,
    )


def still_needed(count: WeekCount) -> str:
    return ngettext(
        "%(num)d more contact needed this week",
        "%(num)d more contacts needed this week",
        count.still_needed,
    )


# GOV.UK-style patterns: "Monday 23 November 2026" / "Dydd Llun 23 Tachwedd 2026". Month and
# day names are always written in full: Welsh abbreviations are rarely read ("Gorff", "Chwef")
# and ambiguous in March ("Maw 3 Maw 2026" is Tuesday 3 March); HMRC's and gov.wales's Welsh
# services write "3 Mawrth 2026". The phone app uses these same patterns (/i18n/<lang>.json).
FULL_DATE = "EEEE d MMMM y"
SHORT_DATE = "d MMMM y"
DATE_TIME = "d MMMM y, HH:mm"  # GOV.UK: "3 March 2026, 13:15"; no day name to abbreviate
RECENT_TIME = "d MMMM, HH:mm"
WEEKDAY = "EEEE"
DAY_AND_MONTH = "d MMMM"


def full_date(value) -> str:
    return format_date(value, FULL_DATE)


def full_date_in_sentence(value) -> str:
    """A full date inside a sentence, where English says "on Monday 23 November 2026".

    Welsh says that with no preposition but a soft mutation and a small letter:
    "ddydd Llun 23 Tachwedd 2026" ("Mae'n dod i ben ddydd Llun..."). So a message reads
    "... ends on %(date)s." in English and "... yn dod i ben %(date)s." in Welsh, and no
    Welsh sentence has to put an unmutated date after "ar".
    """
    text = full_date(value)
    if get_locale() is not None and get_locale().language == "cy" and text.startswith("Dydd "):
        return "ddydd " + text[len("Dydd "):]
    return text


def weekday_in_sentence(value) -> str:
    """The day's name inside a sentence: "Wednesday"; Welsh "ddydd Mercher" (mutated, as in
    full_date_in_sentence), so "o %(day)s ymlaen" reads "o ddydd Mercher ymlaen"."""
    text = format_date(value, WEEKDAY)
    if get_locale() is not None and get_locale().language == "cy" and text.startswith("Dydd "):
        return "ddydd " + text[len("Dydd "):]
    return text


def pro_rating_note(rating: ProRating | None, required: int, pause_reason: PauseReason | None = None) -> str:
    """Why a week's requirement is lower than the weekly level: "In custody from Wednesday:
    1 contact required". Empty when the week was not pro-rated."""
    if rating is None:
        return ""
    day = weekday_in_sentence(rating.day)
    reason = rating.reason
    if reason is ProRatingReason.JOINED:
        return ngettext("Joined the cohort on %(day)s: %(num)d contact required",
                        "Joined the cohort on %(day)s: %(num)d contacts required", required, day=day)
    if reason is ProRatingReason.LEFT:
        return ngettext("Left the cohort on %(day)s: %(num)d contact required",
                        "Left the cohort on %(day)s: %(num)d contacts required", required, day=day)
    if reason is ProRatingReason.RESUMED:
        return ngettext("Back from a pause on %(day)s: %(num)d contact required",
                        "Back from a pause on %(day)s: %(num)d contacts required", required, day=day)
    if reason is ProRatingReason.PAUSED_ALL_WEEK:
        return ""  # the week's status says so already ("Not required this week: in custody")
    if pause_reason is PauseReason.CUSTODY:
        return ngettext("In custody from %(day)s: %(num)d contact required",
                        "In custody from %(day)s: %(num)d contacts required", required, day=day)
    if pause_reason is PauseReason.HOSPITAL:
        return ngettext("In hospital from %(day)s: %(num)d contact required",
                        "In hospital from %(day)s: %(num)d contacts required", required, day=day)
    return ngettext("Paused from %(day)s: %(num)d contact required",
                    "Paused from %(day)s: %(num)d contacts required", required, day=day)


def label_date(value) -> str:
    """A day and a full month with no year, for a chart's axis ("23 November", "23 Tachwedd")."""
    return format_date(value, DAY_AND_MONTH)


def short_date(value) -> str:
    return format_date(value, SHORT_DATE)


def date_time(value) -> str:
    return format_datetime(value, DATE_TIME)


def recent_time(value) -> str:
    return format_datetime(value, RECENT_TIME)


def register(app) -> None:
    app.jinja_env.globals.update(
        full_date=full_date,
        full_date_in_sentence=full_date_in_sentence,
        short_date=short_date,
        date_time=date_time,
        recent_time=recent_time,
        week_status=week_status,
        counts_summary=counts_summary,
        still_needed=still_needed,
        pro_rating_note=pro_rating_note,
        category_label=lambda value: CATEGORY_LABELS[value],
        rag_label=lambda value: RAG_LABELS[value],
        agency_label=lambda value: AGENCY_LABELS[value],
        contact_type_label=lambda value: CONTACT_TYPE_LABELS[value],
        outcome_label=lambda value: OUTCOME_LABELS[value],
        pathway_label=lambda value: PATHWAY_LABELS[value],
        pause_label=lambda value: PAUSE_LABELS[value],
        need_label=lambda value: NEED_LABELS[value],
        action_status_label=lambda value: ACTION_STATUS_LABELS[value],
    )

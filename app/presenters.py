"""Words for values: the translated labels templates show. Templates stay dumb."""

from __future__ import annotations

from flask_babel import format_date, format_datetime, get_locale, gettext, lazy_gettext as _l, ngettext

from app.domain.counting import WeekCount, WeekStatus
from app.domain.requirements import Category
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
PAUSE_LABELS = {
    PauseReason.CUSTODY: _l("In custody"),
    PauseReason.HOSPITAL: _l("In hospital"),
    PauseReason.OTHER: _l("Other reason"),
}


def week_status(count: WeekCount) -> str:
    if count.status == WeekStatus.NOT_REQUIRED:
        return gettext("Not required this week")
    if count.status == WeekStatus.MET:
        return gettext("Met")
    return ngettext(
        "Short by %(num)d contact", "Short by %(num)d contacts", count.shortfall
    )


def counts_summary(count: WeekCount) -> str:
    """One whole sentence, so that each language can order and mutate it properly."""
    return gettext(
        "%(offered)d offered, %(kept)d kept, %(required)d required",
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


# GOV.UK-style patterns: "Monday 23 November 2026" / "Dydd Llun 23 Tachwedd 2026".
FULL_DATE = "EEEE d MMMM y"
SHORT_DATE = "d MMM y"
DATE_TIME = "EEE d MMM y, HH:mm"
RECENT_TIME = "d MMM, HH:mm"


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
        category_label=lambda value: CATEGORY_LABELS[value],
        rag_label=lambda value: RAG_LABELS[value],
        agency_label=lambda value: AGENCY_LABELS[value],
        contact_type_label=lambda value: CONTACT_TYPE_LABELS[value],
        outcome_label=lambda value: OUTCOME_LABELS[value],
        pathway_label=lambda value: PATHWAY_LABELS[value],
        pause_label=lambda value: PAUSE_LABELS[value],
    )

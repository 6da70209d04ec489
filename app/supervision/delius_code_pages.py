"""The words of a team's Delius codes page: each setting's label, the page's sections, and
the history of the team's changes (read from the audit trail, which holds every one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import select

from app.domain import exports as rules
from app.extensions import DbSession
from app.models import POLICE_LIAISON, AuditEvent, ContactType, DeliusCode, Outcome, Team, User
from app.presenters import CONTACT_TYPE_LABELS, OUTCOME_LABELS
from app.supervision.forms import field_name

HISTORY_SHOWN = 30



def _by_agency(agency: str, kind: str) -> str:
    if agency == "police":
        return gettext("%(kind)s (recorded by police staff)", kind=kind)
    if agency == "probation":
        return gettext("%(kind)s (recorded by probation staff)", kind=kind)
    return gettext("%(kind)s (recorded by partner agency staff)", kind=kind)

_SECTION_TITLES = {
    "police": _l("Contacts recorded by police staff"),
    "probation": _l("Contacts recorded by probation staff"),
    "partner": _l("Contacts recorded by partner agency staff"),
}


def labels() -> dict[str, object]:
    """Every setting's label, by key (app.domain.exports.KEYS)."""
    found: dict[str, object] = {}
    for agency in rules.AGENCIES:
        for kind in rules.KINDS:
            found[rules.type_key(agency, kind)] = _by_agency(agency, str(CONTACT_TYPE_LABELS[ContactType(kind)]))
    found[rules.ATTENDED_KEY] = _l("Kept: attended and complied")
    found[rules.ACCEPTABLE_KEY] = _l("An acceptable absence")
    found[rules.UNACCEPTABLE_KEY] = _l("An unacceptable absence")
    for outcome in rules.ABSENCES:
        found[rules.absence_key(outcome)] = OUTCOME_LABELS[Outcome(outcome)]
    return found


def label_of(key: str) -> str:
    """A stored key in words, including the keys used before codes were per team."""
    if key == POLICE_LIAISON:
        return gettext("Any contact recorded by police staff")
    if key in rules.KINDS:
        return str(CONTACT_TYPE_LABELS[ContactType(key)])
    found = labels().get(key)
    return str(found) if found is not None else key


def value_of(_key: str | None, value: str | None) -> str:
    if value == rules.ACCEPTABLE:
        return gettext("Acceptable absence")
    if value == rules.UNACCEPTABLE:
        return gettext("Unacceptable absence")
    return value or gettext("(default)")


@dataclass(frozen=True)
class Section:
    title: str
    fields: list
    radios: bool = False


def sections(form) -> list[Section]:
    found = [
        Section(str(_SECTION_TITLES[agency]), [getattr(form, field_name(rules.type_key(agency, kind))) for kind in rules.KINDS])
        for agency in rules.AGENCIES
    ]
    found.append(Section(gettext("Outcome codes"), [getattr(form, field_name(key)) for key in rules.OUTCOME_CODE_KEYS]))
    found.append(Section(gettext("Which absences are acceptable"),
                         [getattr(form, field_name(key)) for key in rules.ABSENCE_KEYS], radios=True))
    return found


def _actor(actor_id: int | None, names: dict[int, str]) -> str:
    """Who made a change. Only an administrator of another team acts for this one, and
    another team's staff are not visible here (app/scoping.py): so an actor not found is one."""
    if actor_id is None:
        return gettext("(unknown)")
    return names.get(actor_id) or gettext("An administrator")


@dataclass(frozen=True)
class Change:
    at: datetime
    by: str
    what: str
    before: str
    after: str


def history(session: DbSession, team: Team) -> list[Change]:
    """The team's changes to its Delius settings, newest first."""
    events = list(session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "delius_codes", AuditEvent.team_id == team.id)
        .order_by(AuditEvent.id.desc()).limit(HISTORY_SHOWN)
    ))
    actors = {event.actor_id for event in events if event.actor_id is not None}
    names = {user.id: user.name for user in session.scalars(select(User).where(User.id.in_(actors)))} if actors else {}
    # A change of the code alone names the row, not its key: the row says which key it is.
    keys = {str(row.id): row.key for row in session.scalars(select(DeliusCode).where(DeliusCode.team_id == team.id))}
    changes = []
    for event in events:
        after, before = event.after or {}, event.before or {}
        key = after.get("key") or before.get("key") or keys.get(event.entity_id or "")
        if key is None:
            continue
        changes.append(Change(
            at=event.occurred_at, by=_actor(event.actor_id, names), what=label_of(key),
            before=value_of(key, before.get("code")), after=value_of(key, after.get("code")),
        ))
    return changes

"""What supervisors change: reviews, category and RAG, pauses, team defaults (de-selection: app.cohort).

Views call these after their forms have checked the input; these keep the records
consistent (history row and current value together, in one transaction) and leave
committing to the caller. Every change here is to an audited model, so the audit
trail is written by ``app.audit`` with the change itself.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app import audit
from app.domain import exports as exports_rules
from app.extensions import DbSession
from app.weekly_counts import category_spans
from app.domain.cohort import StatusSpan, value_on
from app.domain.requirements import MAX_LEVEL, MIN_LEVEL, Category, category_on
from app.domain.weeks import week_of
from app.models import (
    CategoryChange,
    Contact,
    DeliusCode,
    Pause,
    PauseReason,
    Person,
    Rag,
    RagChange,
    RequirementReview,
    Team,
    TeamDefaults,
    User,
)

REVIEW_FACTORS = (
    "risk",
    "needs",
    "responses_to_supervision",
    "progress_towards_rehabilitation",
    "difficulties_attending",
)


def _check_level(level: int) -> None:
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValueError(f"a level must be {MIN_LEVEL}..{MAX_LEVEL}, got {level}")


def record_review(
    session: DbSession,
    person: Person,
    *,
    reviewer: User,
    effective: date,
    contacts_per_week: int,
    next_review_due: date,
    reasoning: dict[str, str],
) -> RequirementReview:
    """A requirement review: the new level from ``effective`` and the reasoning on each factor."""
    _check_level(contacts_per_week)
    if next_review_due <= effective:
        raise ValueError("the next review must come after this one")
    missing = [factor for factor in REVIEW_FACTORS if not (reasoning.get(factor) or "").strip()]
    if missing:
        raise ValueError(f"reasoning is needed on every factor: {missing}")
    review = RequirementReview(
        person_id=person.id,
        effective=effective,
        contacts_per_week=contacts_per_week,
        reviewer_id=reviewer.id,
        next_review_due=next_review_due,
        **{factor: reasoning[factor].strip() for factor in REVIEW_FACTORS},
    )
    session.add(review)
    return review


def change_category(
    session: DbSession, person: Person, *, by: User, category: Category, effective: date, reason: str, today: date
) -> CategoryChange:
    """Record a category change and bring the person's current category into line with history."""
    if effective > today:
        raise ValueError("a category change cannot take effect in the future")
    changes = list(
        session.scalars(
            select(CategoryChange)
            .where(CategoryChange.person_id == person.id)
            .order_by(CategoryChange.effective, CategoryChange.id)
        )
    )
    if not changes:
        # Until now the category was the one the person joined with: write that down
        # first, so that weeks before this change keep being counted as they were.
        changes.append(_add(session, CategoryChange(person_id=person.id, category=person.category,
                                                    effective=person.joined_on)))
    change = _add(session, CategoryChange(person_id=person.id, category=category, effective=effective,
                                          reason=reason.strip(), changed_by_id=by.id))
    changes.append(change)
    person.category = category_on(today, category_spans(person, changes)) or category
    return change


def change_rag(
    session: DbSession, person: Person, *, by: User, rag: Rag, effective: date, reason: str, today: date
) -> RagChange:
    """Record a RAG change and bring the person's current RAG status into line with history."""
    if effective > today:
        raise ValueError("a RAG change cannot take effect in the future")
    changes = list(
        session.scalars(
            select(RagChange).where(RagChange.person_id == person.id).order_by(RagChange.effective, RagChange.id)
        )
    )
    if not changes:
        changes.append(_add(session, RagChange(person_id=person.id, rag=person.rag, effective=person.joined_on)))
    change = _add(session, RagChange(person_id=person.id, rag=rag, effective=effective,
                                     reason=reason.strip(), changed_by_id=by.id))
    changes.append(change)
    current = value_on(today, [StatusSpan(item.rag.value, item.effective) for item in changes])
    person.rag = Rag(current) if current else rag
    return change


def _add(session: DbSession, instance):
    session.add(instance)
    return instance


def add_pause(
    session: DbSession, person: Person, *, by: User, start: date, end: date | None, reason: PauseReason
) -> Pause:
    """Pause the requirement from ``start`` until ``end`` (the first day back), or until ended."""
    if end is not None and end < start:
        raise ValueError("a pause cannot end before it starts")
    return _add(session, Pause(person_id=person.id, start=start, end=end, reason=reason, created_by_id=by.id))


def end_pause(session: DbSession, pause: Pause, *, end: date) -> Pause:
    if pause.end is not None:
        raise ValueError("this pause has already ended")
    if end < pause.start:
        raise ValueError("a pause cannot end before it starts")
    audit.label(pause, "end")
    pause.end = end
    return pause


def open_pause(session: DbSession, person: Person, pause_id: int) -> Pause | None:
    """One of the person's pauses that has not ended, or None."""
    return session.scalar(
        select(Pause).where(Pause.id == pause_id, Pause.person_id == person.id, Pause.end.is_(None))
    )


def set_team_defaults(
    session: DbSession, team: Team, *, fixed: int, flex: int, free: int, effective: date, set_by: User | None
) -> date:
    """New default levels from the week that holds ``effective``; earlier weeks keep theirs.

    Returns the Monday the levels count from.
    """
    for level in (fixed, flex, free):
        _check_level(level)
    monday = week_of(effective)
    if not team.default_history:  # the first change: keep what applied until now
        before = team.newest_default_levels()
        team.default_history.append(TeamDefaults(
            effective=TeamDefaults.SINCE_THE_START,
            fixed=before[Category.FIXED], flex=before[Category.FLEX], free=before[Category.FREE],
        ))
    change = next((change for change in team.default_history if change.effective == monday), None)
    if change is None:
        change = TeamDefaults(effective=monday)
        team.default_history.append(change)
    change.fixed, change.flex, change.free, change.set_by = fixed, flex, free, set_by
    newest = max(team.default_history, key=lambda row: row.effective)
    team.default_fixed, team.default_flex, team.default_free = newest.fixed, newest.flex, newest.free
    return monday


# --- Delius codes (per team) ----------------------------------------------------------


def delius_codes(session: DbSession, team: Team | int) -> dict[str, str]:
    """The team's mapping in force: its own choices over the defaults (``app.domain.exports``),
    so a key with no row is never a gap."""
    team_id = team if isinstance(team, int) else team.id
    rows = session.scalars(select(DeliusCode).where(DeliusCode.team_id == team_id))
    return exports_rules.mapping_in_force({row.key: row.code for row in rows})


def set_delius_codes(session: DbSession, team: Team, codes: dict[str, str], *, by: User | None) -> int:
    """Keep the team's choices (only where they differ from what is stored); returns how many changed.

    A choice equal to the default is stored too once the team has made one, so the history
    (the audit trail of ``delius_codes``) shows every decision."""
    stored = {row.key: row for row in session.scalars(select(DeliusCode).where(DeliusCode.team_id == team.id))}
    in_force = delius_codes(session, team)
    changed = 0
    for key in exports_rules.KEYS:
        value = codes[key].strip()
        value = value.upper() if key in exports_rules.CODE_KEYS else value
        if value == in_force[key]:
            continue
        changed += 1
        if key in stored:
            stored[key].code, stored[key].updated_by = value, by
        else:
            session.add(DeliusCode(team_id=team.id, key=key, code=value, updated_by=by))
    return changed


def delius_code_for(contact: Contact, codes: dict[str, str]) -> str:
    """The Delius contact type a contact is keyed in as: by the recorder's agency and its kind
    (a contact recorded by police staff is police liaison, C204, by default)."""
    return exports_rules.contact_type_code(codes, agency=contact.recorder_agency.value, kind=contact.type.value)


def delius_outcome_for(contact: Contact, codes: dict[str, str]) -> str:
    return exports_rules.outcome_code(codes, contact.outcome.value)


# --- The team's own settings -------------------------------------------------------


def team_name_taken(name: str, *, except_team_id: int | None = None) -> bool:
    """Whether another team (in any part of Wales) already has this name, whatever its case."""
    from app import scoping
    from app.extensions import db

    query = select(Team.id).where(func.lower(Team.name) == name.strip().lower()).execution_options(**scoping.UNSCOPED)
    if except_team_id is not None:
        query = query.where(Team.id != except_team_id)
    return db.session.scalar(query) is not None


TEAM_DETAILS = ("name", "force_area", "community_safety_partnership", "correction_window_days", "late_entry_days")


def update_team_details(team: Team, **values) -> None:
    """Name, area and the two day limits. None of them changes a week's count, so the audit
    trail (before and after) is their history; the levels keep their own (``set_team_defaults``)."""
    for key in TEAM_DETAILS:
        value = values[key] if key != "community_safety_partnership" else (values[key] or None)
        if getattr(team, key) != value:
            setattr(team, key, value)


def create_team(session: DbSession, **values) -> Team:
    team = Team(**{key: values[key] for key in TEAM_DETAILS})
    team.community_safety_partnership = team.community_safety_partnership or None
    session.add(team)  # stored on commit: a name taken meanwhile is refused there
    return team

"""The rules of the Delius and Niche exports, in plain Python (no Flask, no database).

- **Delius contact type**: by the agency of the person who recorded the contact and the
  kind of contact. The defaults are the codes Delius itself uses: ``CHVS`` home visit,
  ``COPT`` telephone, ``COVC`` video, ``COAP`` office appointment, ``C084`` three-way or
  partner-agency meeting, ``COOO`` any other contact outside the office, and ``C204``
  police liaison for every contact recorded by police staff. Each team may override any
  of them (``mapping_in_force``).
- **Delius outcome**: ``ATTC`` (attended, complied) for a kept contact; each kind of
  absence is acceptable or unacceptable as the team decides, and goes out as the team's
  acceptable-absence code (``AAAA``, "Acceptable Absence - Other") or unacceptable-absence
  code (``UAAB``).
- **What a run carries** (``export_status``): every contact is compared with the version an
  earlier run of the same kind sent. Never sent: *new* (a contact voided before it was ever
  sent is left out: there is nothing to key or to remove). Sent, and its content changed
  since: *corrected*. Sent, and voided since: *voided* (remove it from the other system).
  Sent as it is now: *unchanged* (already keyed), which a "new and changed" run leaves out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# The stored values of app.models.Agency, ContactType and Outcome (domain code has no models).
AGENCIES = ("police", "probation", "partner")
KINDS = (
    "home_visit", "public_place", "phone", "video_online", "office",
    "partner_agency", "lift_practical", "welfare_help", "activity",
)
KEPT = "kept"
ABSENCES = ("not_at_home", "did_not_attend", "refused")

ACCEPTABLE = "acceptable"
UNACCEPTABLE = "unacceptable"

# Outcome code keys: what a kept contact, an acceptable absence and an unacceptable one go out as.
ATTENDED_KEY = "outcome:attended"
ACCEPTABLE_KEY = "outcome:acceptable"
UNACCEPTABLE_KEY = "outcome:unacceptable"
OUTCOME_CODE_KEYS = (ATTENDED_KEY, ACCEPTABLE_KEY, UNACCEPTABLE_KEY)

_PROBATION_DEFAULTS = {
    "home_visit": "CHVS",
    "public_place": "COOO",
    "phone": "COPT",
    "video_online": "COVC",
    "office": "COAP",
    "partner_agency": "C084",
    "lift_practical": "COOO",
    "welfare_help": "COOO",
    "activity": "COOO",
}
POLICE_LIAISON_CODE = "C204"


def type_key(agency: str, kind: str) -> str:
    return f"{agency}:{kind}"


def absence_key(outcome: str) -> str:
    return f"absence:{outcome}"


TYPE_KEYS = tuple(type_key(agency, kind) for agency in AGENCIES for kind in KINDS)
ABSENCE_KEYS = tuple(absence_key(outcome) for outcome in ABSENCES)
CODE_KEYS = TYPE_KEYS + OUTCOME_CODE_KEYS  # the keys whose value is a Delius code

DEFAULTS: dict[str, str] = {
    **{type_key("police", kind): POLICE_LIAISON_CODE for kind in KINDS},
    **{type_key("probation", kind): code for kind, code in _PROBATION_DEFAULTS.items()},
    # Partner-agency staff working in the team: as probation's, by kind.
    **{type_key("partner", kind): code for kind, code in _PROBATION_DEFAULTS.items()},
    ATTENDED_KEY: "ATTC",
    ACCEPTABLE_KEY: "AAAA",
    UNACCEPTABLE_KEY: "UAAB",
    # Not at home on a visit that was not arranged is not a failure to comply; a missed
    # appointment or a refusal is, until the team decides otherwise.
    absence_key("not_at_home"): ACCEPTABLE,
    absence_key("did_not_attend"): UNACCEPTABLE,
    absence_key("refused"): UNACCEPTABLE,
}
KEYS = tuple(DEFAULTS)


def mapping_in_force(overrides: Mapping[str, str]) -> dict[str, str]:
    """The defaults with a team's own choices over them; unknown keys are ignored."""
    mapping = dict(DEFAULTS)
    mapping.update({key: value for key, value in overrides.items() if key in DEFAULTS})
    return mapping


def contact_type_code(mapping: Mapping[str, str], *, agency: str, kind: str) -> str:
    return mapping[type_key(agency, kind)]


def absence_is_acceptable(mapping: Mapping[str, str], outcome: str) -> bool:
    return mapping[absence_key(outcome)] == ACCEPTABLE


def outcome_code(mapping: Mapping[str, str], outcome: str) -> str:
    if outcome == KEPT:
        return mapping[ATTENDED_KEY]
    return mapping[ACCEPTABLE_KEY if absence_is_acceptable(mapping, outcome) else UNACCEPTABLE_KEY]


def end_time(start: datetime, duration_minutes: int | None) -> datetime | None:
    """When the contact ended: its start plus its duration (none without a duration)."""
    return None if duration_minutes is None else start + timedelta(minutes=duration_minutes)


# --- What each run carries ---------------------------------------------------------


class ExportStatus(StrEnum):
    NEW = "new"
    CORRECTED = "corrected"
    VOIDED = "voided"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Sent:
    """The version of a contact that the latest earlier run of the same kind carried."""

    sha256: str
    voided: bool
    run_id: int


def export_status(sha256: str, voided: bool, sent: Sent | None) -> ExportStatus | None:
    """How a contact goes out now, given what was sent before; None: it does not go out at all."""
    if sent is None:
        return None if voided else ExportStatus.NEW
    if voided:
        return ExportStatus.UNCHANGED if sent.voided else ExportStatus.VOIDED
    if sent.voided or sent.sha256 != sha256:  # (a void is never undone; if it were, it is a correction)
        return ExportStatus.CORRECTED
    return ExportStatus.UNCHANGED


def latest_sent(rows: Iterable[tuple[str, str, bool, int]]) -> dict[str, Sent]:
    """From (contact id, hash, voided, run id) of every earlier run: each contact's latest."""
    latest: dict[str, Sent] = {}
    for contact_id, sha256, voided, run_id in rows:
        held = latest.get(contact_id)
        if held is None or run_id > held.run_id:
            latest[contact_id] = Sent(sha256, voided, run_id)
    return latest


@dataclass(frozen=True)
class Candidate:
    contact_id: str
    sha256: str
    voided: bool


def select_for_run(
    candidates: Iterable[Candidate], sent: Mapping[str, Sent], *, changed_only: bool
) -> list[tuple[Candidate, ExportStatus]]:
    """What a run carries, in the candidates' order: a "new and changed" run leaves out
    what was sent unchanged; a run for a date range keeps it, marked, so nobody keys it twice."""
    chosen = []
    for candidate in candidates:
        status = export_status(candidate.sha256, candidate.voided, sent.get(candidate.contact_id))
        if status is None or (changed_only and status == ExportStatus.UNCHANGED):
            continue
        chosen.append((candidate, status))
    return chosen

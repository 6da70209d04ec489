"""The arrangement contract, written once: what an arrangement, a move and a cancellation may hold.

As ``app/contacts/contract.py`` does for contacts (and with its field types for the id, the
person, the kind and the time): the sync API (``POST /api/v1/arrangements/sync``) and the web
forms (``app/arrangements/forms.py``) both parse with it, and each error is one of our
translated sentences, the same on the form and in the API. ``app/api/openapi.yaml`` describes
these shapes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from app.contacts import contract as contacts
from app.contacts.contract import (SEAL_BROKEN, SEAL_UNKNOWN_KEY, SEAL_TOKEN_UNKNOWN, SEALED_INVALID, SHA256_PATTERN,
                                   ContactId, Kind, Moment, PersonId, Seal, _blank, _empty_is_none, _given, _storable)
from app.domain.arrangements import CancelledBy
from app.models import Outcome

PLACE_MAX = 500
WITH_WHOM_MAX = 500
REASON_MAX = contacts.REASON_MAX
USER_ID_MAX = contacts.PERSON_ID_MAX

ID_INVALID = _l("The arrangement's id must be a UUID, such as 0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10.")
PERSON_MISSING = _l("Choose the person the contact is arranged with.")
TYPE_MISSING = _l("Choose the kind of contact.")
STARTS_MISSING = _l("Give the date and time of the arranged contact.")
PLACE_INVALID = _l("Where must be text of at most 500 characters.")
WITH_WHOM_INVALID = _l("With whom must be text of at most 500 characters.")
OFFICER_INVALID = _l("The officer must be given by their user number.")
REASON_INVALID = _l("The reason must be text of at most 1,000 characters.")
MOVE_REASON_MISSING = _l("Say why this arrangement is being moved.")
CANCEL_REASON_MISSING = _l("Say why this arrangement is being cancelled.")
CANCELLED_BY_MISSING = _l("Say whether the person or the team cancelled it.")
OUTCOME_MISSING = _l("Choose whether the arranged contact was kept, and if not, why not.")
ARRANGEMENT_NOT_OBJECT = _l("Each arrangement must be a JSON object.")
SEALED_ID_MISMATCH = _l("The id inside the sealed arrangement is not the id it was sent under, so it has not been stored.")
CONTENT_SHA256_MISMATCH = _l("The sealed arrangement's hash does not match what was inside it, so it has not been stored.")

MESSAGES: dict[str, dict[str, Any]] = {
    "id": {"invalid": ID_INVALID},
    "person_id": {"missing": PERSON_MISSING, "greater_than_equal": contacts.NOT_ON_CASELOAD,
                  "less_than_equal": contacts.NOT_ON_CASELOAD, "invalid": contacts.PERSON_INVALID},
    "type": {"missing": TYPE_MISSING, "invalid": contacts.TYPE_UNKNOWN},
    "starts_at": {"missing": STARTS_MISSING, "time_no_offset": contacts.TIME_NO_OFFSET,
                  "time_too_early": contacts.TIME_TOO_EARLY, "invalid": contacts.TIME_UNREADABLE},
    "place": {"unstorable": contacts.TEXT_UNSTORABLE, "invalid": PLACE_INVALID},
    "with_whom": {"unstorable": contacts.TEXT_UNSTORABLE, "invalid": WITH_WHOM_INVALID},
    "officer_id": {"invalid": OFFICER_INVALID},
    "reason": {"unstorable": contacts.TEXT_UNSTORABLE, "invalid": REASON_INVALID},
    "cancelled_by": {"missing": CANCELLED_BY_MISSING, "invalid": CANCELLED_BY_MISSING},
    "outcome": {"missing": OUTCOME_MISSING, "invalid": contacts.OUTCOME_UNKNOWN},
    "content_sha256": {"invalid": CONTENT_SHA256_MISMATCH},
    "sealed": {"invalid": SEALED_INVALID},
}


def _text(limit: int):
    return Annotated[Annotated[str, Field(max_length=limit), AfterValidator(_storable)] | None,
                     BeforeValidator(_empty_is_none)]


Reason = Annotated[str, Field(min_length=1, max_length=REASON_MAX), AfterValidator(_storable)]


class ArrangementIn(BaseModel):
    """One arrangement as made (on a phone, or typed into the web form)."""

    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    id: ContactId
    person_id: PersonId
    type: Kind
    starts_at: Moment
    place: _text(PLACE_MAX) = None  # type: ignore[valid-type]
    with_whom: _text(WITH_WHOM_MAX) = None  # type: ignore[valid-type]
    officer_id: Annotated[int, Field(ge=1, le=USER_ID_MAX)] | None = None  # None: the one who arranges it


class SealedArrangementIn(BaseModel):
    """An arrangement sealed on the phone (``static/js/seal.js``, as a contact is, read as
    ``{"arrangement": ...}``): its id, the hash of its content, and the seal."""

    model_config = ConfigDict(strict=True, extra="ignore")

    id: ContactId
    content_sha256: Annotated[str, Field(pattern=SHA256_PATTERN)]
    sealed: Seal


class MoveIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    starts_at: Moment
    reason: Reason


class CancelIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    cancelled_by: Annotated[CancelledBy, Field(strict=False), _given(empty_too=True)]
    reason: Reason


class OutcomeIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    outcome: contacts.ContactOutcome


@dataclass(frozen=True)
class ArrangementInput:
    arrangement_id: uuid.UUID
    person_id: int
    type: Any
    starts_at: datetime
    place: str | None = None
    with_whom: str | None = None
    officer_id: int | None = None


def _errors(error: ValidationError) -> dict:
    errors: dict = {}
    for item in error.errors(include_url=False, include_context=False, include_input=False):
        name = str(item["loc"][0]) if item["loc"] else "arrangement"
        if name in MESSAGES and name not in errors:
            messages = MESSAGES[name]
            errors[name] = messages.get(item["type"], messages["invalid"])
    return errors


def parse_arrangement(raw) -> tuple[ArrangementInput | None, dict]:
    if not isinstance(raw, Mapping):
        return None, {"arrangement": ARRANGEMENT_NOT_OBJECT}
    try:
        parsed = ArrangementIn.model_validate(dict(raw))
    except ValidationError as error:
        return None, _errors(error)
    return ArrangementInput(
        arrangement_id=uuid.UUID(str(parsed.id)), person_id=parsed.person_id, type=parsed.type,
        starts_at=parsed.starts_at, place=(parsed.place or "").strip() or None,
        with_whom=(parsed.with_whom or "").strip() or None, officer_id=parsed.officer_id,
    ), {}


@dataclass(frozen=True)
class SealedArrangement:
    """An arrangement opened from its seal: whose it is (the token) and the hash the phone claimed."""

    item: ArrangementInput
    seal_token: str
    content_sha256: str


def is_sealed(raw) -> bool:
    return isinstance(raw, Mapping) and "sealed" in raw


def parse_sealed_arrangement(raw) -> tuple[SealedArrangement | None, dict]:
    """Open a sealed arrangement and check what was inside as ``parse_arrangement`` does a plain one.
    Whose token it is, and whether the hash is right (it names the officer, by default the
    sealer), are the caller's questions (``app.arrangements.operations.arrange_batch``)."""
    from app import sealing

    try:
        envelope = SealedArrangementIn.model_validate(dict(raw))
    except ValidationError as error:
        return None, _errors(error) or {"sealed": SEALED_INVALID}
    try:
        opened, token = sealing.open_sealed(sealing.keyring(), raw["id"], envelope.sealed.model_dump(),
                                            member="arrangement")
    except sealing.Unopenable as failure:
        return None, {"sealed": SEAL_UNKNOWN_KEY if failure.reason == "unknown_key" else SEAL_BROKEN}
    item, errors = parse_arrangement(opened)
    if item is None:
        return None, errors
    if item.arrangement_id != uuid.UUID(str(envelope.id)):
        return None, {"id": SEALED_ID_MISMATCH}
    if token is None:
        return None, {"sealed": SEAL_TOKEN_UNKNOWN}
    return SealedArrangement(item, token, envelope.content_sha256), {}


def _with_reason(model, body: Mapping, missing) -> tuple[Any, dict]:
    body = dict(body)
    reason_missing = _blank(body.get("reason"))
    if reason_missing:
        body.pop("reason", None)
    try:
        parsed = model.model_validate(body)
    except ValidationError as error:
        errors = _errors(error)
        if reason_missing:
            errors["reason"] = missing
        return None, errors
    return parsed, {}


def parse_move(body: Mapping) -> tuple[MoveIn | None, dict]:
    return _with_reason(MoveIn, body, MOVE_REASON_MISSING)


def parse_cancel(body: Mapping) -> tuple[CancelIn | None, dict]:
    return _with_reason(CancelIn, body, CANCEL_REASON_MISSING)


def parse_outcome(body: Mapping) -> tuple[Outcome | None, dict]:
    try:
        return OutcomeIn.model_validate(dict(body)).outcome, {}
    except ValidationError as error:
        return None, _errors(error)

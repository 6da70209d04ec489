"""The contact contract, written once: what a contact, a correction and a void may hold.

Everything that checks a contact follows from this module:

- the sync API (``app/api/schemas.py``) parses each contact, correction and void with it;
- the web form (``app/contacts/forms.py``) turns what was typed into the same shape and
  asks the same question, so it shows the same message for the same mistake;
- ``app/api/openapi.yaml`` describes these shapes; ``tests/api/test_contract.py`` checks
  the document against ``ContactIn.model_json_schema()`` (fields, required, limits, codes);
- the phone reads ``LIMITS`` from ``GET /api/v1/session`` instead of keeping its own copy.

The models are pydantic v2 in strict mode: a number is never read from a string, nor a
boolean from 0. Pydantic's own messages are never shown: each error's field (``loc``) and
kind (``type``) are mapped to one of our sentences below, which come from the gettext
catalogue, so every message is the same in the API and on the form, in English and Welsh.

Text lengths are counted in Unicode code points (Python's ``len``, PostgreSQL's
``varchar(n)``); the phone counts the same way (``[...text].length``), not in UTF-16 units.
``None`` means "not given" everywhere; for the kinds, outcomes, times and texts an empty
string means the same.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from app.contacts.operations import CORRECTABLE_FIELDS, FUTURE_TOLERANCE, NOT_ON_CASELOAD, ContactInput
from app.models import ContactType, Outcome, Pathway

NOTES_MAX = 4000
OTHERS_PRESENT_MAX = 500
REASON_MAX = 1000
DURATION_MAX = 1440
TIMESTAMP_MAX = 40
PERSON_ID_MAX = 2**31 - 1
COLLEAGUES_MAX = 10
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
PATHWAY_CODES = frozenset(member.value for member in Pathway)

# What the phone enforces before it saves, published in GET /api/v1/session.
LIMITS = {
    "notes_max": NOTES_MAX,
    "others_present_max": OTHERS_PRESENT_MAX,
    "reason_max": REASON_MAX,
    "duration_max": DURATION_MAX,
    "future_tolerance_seconds": int(FUTURE_TOLERANCE / timedelta(seconds=1)),
    "colleagues_max": COLLEAGUES_MAX,
}

# The sentences ---------------------------------------------------------------------------

ID_INVALID = _l("The record's id must be a UUID, such as 0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10.")
PERSON_MISSING = _l("Choose the person the contact was with.")
PERSON_INVALID = _l("The person must be given by their number on the caseload.")
TYPE_MISSING = _l("Choose the kind of contact.")
TYPE_UNKNOWN = _l("This kind of contact is not one that Cyswllt knows.")
OUTCOME_MISSING = _l("Choose the outcome of the contact.")
OUTCOME_UNKNOWN = _l("This outcome is not one that Cyswllt knows.")
OCCURRED_MISSING = _l("Give the date and time of the contact.")
RECORDED_MISSING = _l("Give the time the contact was saved on the phone.")
TIME_UNREADABLE = _l(
    "This time could not be read. Give it in ISO 8601 form with a time zone offset, such as 2026-11-18T10:05:00.000Z."
)
TIME_NO_OFFSET = _l("This time has no time zone offset. Add one, such as Z or +01:00.")
TIME_TOO_EARLY = _l("This time is too long ago to be right. Check the date.")
DURATION_INVALID = _l("The duration must be a whole number of minutes from 0 to 1440.")
PATHWAYS_INVALID = _l("Pathways must be a list of pathway codes.")
PATHWAY_UNKNOWN = _l("One of the pathways is not one that Cyswllt knows.")
PATHWAY_REPEATED = _l("Each pathway can be given only once.")
NOTES_INVALID = _l("Notes must be text of at most 4,000 characters.")
OTHERS_PRESENT_INVALID = _l("Who else was there must be text of at most 500 characters.")
TEXT_UNSTORABLE = _l("This text has a character that cannot be stored. Remove it and try again.")
FLAG_INVALID = _l("This must be true or false.")
CHANGES_INVALID = _l("Give the corrections as an object of field names and new values.")
NOTHING_TO_CORRECT = _l("Give at least one field to correct.")
REASON_INVALID = _l("The reason must be text of at most 1,000 characters.")
VOID_REASON_MISSING = _l("Say why this contact is being voided.")
CORRECTION_REASON_MISSING = _l("Say why this contact is being corrected.")
KEY_INVALID = _l("The idempotency key must be a UUID, such as 0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10.")
EXPECTED_SHA256_INVALID = _l("The expected hash must be 64 lower-case hexadecimal characters.")
CONTACT_NOT_OBJECT = _l("Each contact must be a JSON object.")
COLLEAGUES_INVALID = _l("The colleagues must be a list of user numbers.")
COLLEAGUE_REPEATED = _l("Each colleague can be named only once.")
COLLEAGUES_TOO_MANY = _l("Name at most 10 colleagues.")
SEALED_INVALID = _l(
    "The sealed record is not in the form the server reads: it needs a key id, a wrapped key or an ephemeral public key, "
    "an IV and the ciphertext."
)
SEAL_UNKNOWN_KEY = _l(
    "This record was sealed with a key the server does not hold, so it cannot be opened. It has not been stored:"
    " keep it on this phone and tell your administrator."
)
SEAL_BROKEN = _l("This record's seal could not be opened: it was damaged or changed after it was sealed. It has not been stored.")
SEAL_TOKEN_UNKNOWN = _l(
    "This record does not show who recorded it in a way the server recognises, so it has not been stored."
)
SEALED_OTHER_TEAM = _l(
    "This record was made by an officer of another team. It has not been stored: someone of that team must send it."
)
CONTENT_SHA256_INVALID = _l("The content hash must be 64 lower-case hexadecimal characters.")
CONTENT_SHA256_MISMATCH = _l("The record's content does not match its content hash, so it has not been stored.")
ARRANGEMENT_ID_INVALID = _l("The arrangement's id must be a UUID, such as 0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10.")
SEALED_ID_MISMATCH = _l("The id inside the sealed record is not the id it was sent under, so it has not been stored.")

# Field → error kind → sentence. "invalid" is every kind not named.
MESSAGES: dict[str, dict[str, Any]] = {
    "id": {"invalid": ID_INVALID},
    "person_id": {
        "missing": PERSON_MISSING,
        "greater_than_equal": NOT_ON_CASELOAD,
        "less_than_equal": NOT_ON_CASELOAD,
        "invalid": PERSON_INVALID,
    },
    "type": {"missing": TYPE_MISSING, "invalid": TYPE_UNKNOWN},
    "outcome": {"missing": OUTCOME_MISSING, "invalid": OUTCOME_UNKNOWN},
    "occurred_at": {"missing": OCCURRED_MISSING, "time_no_offset": TIME_NO_OFFSET, "time_too_early": TIME_TOO_EARLY,
                    "invalid": TIME_UNREADABLE},
    "recorded_at": {"missing": RECORDED_MISSING, "time_no_offset": TIME_NO_OFFSET, "time_too_early": TIME_TOO_EARLY,
                    "invalid": TIME_UNREADABLE},
    "duration_minutes": {"invalid": DURATION_INVALID},
    "pathways": {"pathway_unknown": PATHWAY_UNKNOWN, "pathway_repeated": PATHWAY_REPEATED, "invalid": PATHWAYS_INVALID},
    "notes": {"unstorable": TEXT_UNSTORABLE, "invalid": NOTES_INVALID},
    "others_present": {"unstorable": TEXT_UNSTORABLE, "invalid": OTHERS_PRESENT_INVALID},
    "sensitive": {"invalid": FLAG_INVALID},
    "concern": {"invalid": FLAG_INVALID},
    "changes": {"invalid": CHANGES_INVALID},
    "reason": {"unstorable": TEXT_UNSTORABLE, "missing": VOID_REASON_MISSING, "invalid": REASON_INVALID},
    "expected_sha256": {"invalid": EXPECTED_SHA256_INVALID},
    "idempotency_key": {"invalid": KEY_INVALID},
    # Whether each colleague is an active member of the team, and not the recorder, needs the
    # database: app.contacts.operations checks that (its messages are there).
    "colleague_ids": {"colleague_repeated": COLLEAGUE_REPEATED, "too_long": COLLEAGUES_TOO_MANY,
                      "invalid": COLLEAGUES_INVALID},
    "content_sha256": {"invalid": CONTENT_SHA256_INVALID},
    "sealed": {"invalid": SEALED_INVALID},
    "arrangement_id": {"invalid": ARRANGEMENT_ID_INVALID},
}


def message_for(field: str, kind: str):
    """Our sentence for an error of this kind on this field."""
    messages = MESSAGES[field]
    return messages.get(kind, messages["invalid"])


# The field types -------------------------------------------------------------------------


def _given(*, empty_too: bool):
    """None (and, for most fields, "") is "not given": the field's ``missing`` message."""

    def check(value):
        if value is None or (empty_too and value == ""):
            raise PydanticCustomError("missing", "not given")
        return value

    return BeforeValidator(check)


def _empty_is_none(value):
    return None if value == "" else value


def _read_time(value):
    """An aware UTC datetime from ISO 8601 text with an offset (or from an aware datetime)."""
    if isinstance(value, str):
        if len(value) > TIMESTAMP_MAX:
            raise PydanticCustomError("time_unreadable", "unreadable")
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("time_unreadable", "unreadable") from None
    if not isinstance(value, datetime):
        raise PydanticCustomError("time_unreadable", "unreadable")
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError("time_no_offset", "no offset")
    try:
        value = value.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        raise PydanticCustomError("time_unreadable", "unreadable") from None
    if value < EARLIEST:
        raise PydanticCustomError("time_too_early", "too early")
    return value


def read_time_strictly(value):
    """An optional time read as ``occurred_at`` is (None and "" are None), for other contracts."""
    if value is None or value == "":
        return None
    return _read_time(value)


def _storable(text: str) -> str:
    if "\x00" in text:
        raise PydanticCustomError("unstorable", "unstorable")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape
        raise PydanticCustomError("unstorable", "unstorable") from None
    return text


def _cleaned(text: str) -> str:
    """Text kept only for the audit trail, made storable rather than refused."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _pathway_codes(codes: list[str] | None) -> tuple[str, ...]:
    if codes is None:
        return ()
    if not all(code in PATHWAY_CODES for code in codes):
        raise PydanticCustomError("pathway_unknown", "unknown pathway")
    if len(set(codes)) != len(codes):
        raise PydanticCustomError("pathway_repeated", "repeated pathway")
    return tuple(sorted(codes))


def _colleague_ids(ids: list[int] | None) -> tuple[int, ...]:
    if ids is None:
        return ()
    if len(set(ids)) != len(ids):
        raise PydanticCustomError("colleague_repeated", "repeated colleague")
    return tuple(sorted(ids))


def _false_if_none(value: bool | None) -> bool:
    return bool(value)


ContactId = Annotated[str, Field(pattern=UUID_PATTERN), AfterValidator(uuid.UUID), _given(empty_too=False)]
PersonId = Annotated[int, Field(ge=1, le=PERSON_ID_MAX), _given(empty_too=False)]
# Kinds and outcomes are checked against the enums' values (strict mode would want enum objects).
Kind = Annotated[ContactType, Field(strict=False), _given(empty_too=True)]
ContactOutcome = Annotated[Outcome, Field(strict=False), _given(empty_too=True)]
Moment = Annotated[datetime, BeforeValidator(_read_time), _given(empty_too=True),
                   Field(json_schema_extra={"type": "string", "maxLength": TIMESTAMP_MAX})]
Duration = Annotated[int, Field(ge=0, le=DURATION_MAX)] | None
Pathways = Annotated[
    list[Annotated[str, Field(json_schema_extra={"enum": sorted(PATHWAY_CODES)})]] | None,
    Field(json_schema_extra={"uniqueItems": True}),
    AfterValidator(_pathway_codes),
]
Notes = Annotated[Annotated[str, Field(max_length=NOTES_MAX), AfterValidator(_storable)] | None,
                  BeforeValidator(_empty_is_none)]
OthersPresent = Annotated[Annotated[str, Field(max_length=OTHERS_PRESENT_MAX), AfterValidator(_storable)] | None,
                          BeforeValidator(_empty_is_none)]
Flag = Annotated[bool | None, AfterValidator(_false_if_none)]
# A joint contact's colleagues: user ids, each once; omitted (old phones) or [] is none.
ColleagueIds = Annotated[
    Annotated[list[Annotated[int, Field(ge=1, le=PERSON_ID_MAX)]], Field(max_length=COLLEAGUES_MAX)] | None,
    Field(json_schema_extra={"uniqueItems": True}),
    AfterValidator(_colleague_ids),
]
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)] | None
ArrangementId = Annotated[str, Field(pattern=UUID_PATTERN), AfterValidator(uuid.UUID)] | None
# A phone's own key for one correction or void, so that sending it again applies it once.
ChangeKey = Annotated[str, Field(pattern=UUID_PATTERN)] | None


class ContactIn(BaseModel):
    """One contact as recorded (on a phone, or typed into the web form)."""

    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    id: ContactId
    person_id: PersonId
    type: Kind
    outcome: ContactOutcome
    occurred_at: Moment
    recorded_at: Moment
    duration_minutes: Duration = None
    pathways: Pathways = None
    notes: Notes = None
    sensitive: Flag = None
    concern: Flag = None
    others_present: OthersPresent = None
    colleague_ids: ColleagueIds = None
    # The arrangement this contact is the outcome of; not part of the content (app.arrangements).
    arrangement_id: ArrangementId = None


# Why a contact is corrected or voided, or a record discarded: not blank (a blank one is read as
# missing, with its own sentence) and storable. The pattern only tells the document so.
REASON_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
Reason = Annotated[str, Field(min_length=1, max_length=REASON_MAX, json_schema_extra={"pattern": REASON_PATTERN}),
                   AfterValidator(_storable)]


class CorrectionIn(BaseModel):
    """A correction: new values for some of ``CORRECTABLE_FIELDS``, checked as in ``ContactIn``."""

    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    changes: dict[str, Any]
    reason: Reason
    expected_sha256: Sha256 = None
    idempotency_key: ChangeKey = None


class VoidIn(BaseModel):
    """A void: why the contact was recorded in error."""

    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    reason: Reason
    expected_sha256: Sha256 = None
    idempotency_key: ChangeKey = None


def change_key(body) -> uuid.UUID | None:
    """The idempotency key of a correction or void already parsed (and so checked) by the contract."""
    value = body.get("idempotency_key") if isinstance(body, Mapping) else None
    return uuid.UUID(value) if isinstance(value, str) and re.fullmatch(UUID_PATTERN, value) else None


class DiscardIn(BaseModel):
    """A record a phone never sent and its officer discarded, with why (audited, once per id)."""

    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    id: ContactId
    person_id: Annotated[int, Field(ge=1, le=PERSON_ID_MAX, strict=False)]  # JSON's 12.0 is 12, as the document says
    type: Kind
    # Only for the audit trail: kept as the phone sent it (the record itself is never stored).
    occurred_at: Annotated[str, Field(max_length=TIMESTAMP_MAX), AfterValidator(_cleaned)]
    reason: Reason


DISCARD_REASON_MISSING = _l("Say why this record is being discarded.")


def parse_discard(body: Mapping) -> tuple[DiscardIn | None, dict]:
    body = dict(body)
    if _blank(body.get("reason")):
        body.pop("reason", None)
    try:
        return DiscardIn.model_validate(body), {}
    except ValidationError as error:
        errors = _errors(error)
        if "reason" in errors and "reason" not in body:
            errors["reason"] = DISCARD_REASON_MISSING
        return None, errors


B64URL_PATTERN = r"^[A-Za-z0-9_-]+$"
KEY_ID_MAX = 100
WRAPPED_KEY_MAX = 1400  # RSA-OAEP with a key of up to 8192 bits
EPK_LENGTH = 87  # an uncompressed P-256 point (65 bytes) in base64url
IV_LENGTH = 16  # 12 bytes in base64url
# A contact's JSON at its largest (every text at its limit, each character 4 bytes of UTF-8) and the token.
CIPHERTEXT_MAX = 4 * ((NOTES_MAX + OTHERS_PRESENT_MAX) * 4 * 2 + 4096) // 3


KeyId = Annotated[str, Field(pattern=B64URL_PATTERN, min_length=1, max_length=KEY_ID_MAX)]
WrappedKey = Annotated[str, Field(pattern=B64URL_PATTERN, min_length=1, max_length=WRAPPED_KEY_MAX)]
Epk = Annotated[str, Field(pattern=B64URL_PATTERN, min_length=EPK_LENGTH, max_length=EPK_LENGTH)]
SealAlgorithm = Literal["ECDH-P256-HKDF-SHA256", "RSA-OAEP-256"]  # app/sealing.py ALGORITHMS
Iv = Annotated[str, Field(pattern=B64URL_PATTERN, min_length=IV_LENGTH, max_length=IV_LENGTH)]
Ciphertext = Annotated[str, Field(pattern=B64URL_PATTERN, min_length=1, max_length=CIPHERTEXT_MAX)]


class Seal(BaseModel):
    """A record encrypted on the phone to the server's public key (``app/sealing.py``).

    ``alg`` "ECDH-P256-HKDF-SHA256" carries the ephemeral public key ``epk``; "RSA-OAEP-256"
    (or no ``alg``: seals made before P-256 keys) carries ``wrapped_key``.
    """

    model_config = ConfigDict(strict=True, extra="ignore")

    alg: SealAlgorithm = "RSA-OAEP-256"
    key_id: KeyId
    wrapped_key: WrappedKey | None = None
    epk: Epk | None = None
    iv: Iv
    ciphertext: Ciphertext

    @model_validator(mode="after")
    def _carries_its_key(self) -> Seal:
        if (self.epk if self.alg == "ECDH-P256-HKDF-SHA256" else self.wrapped_key) is None:
            raise PydanticCustomError("invalid", "the seal lacks what its alg needs")
        return self


class SealedContactIn(BaseModel):
    """A sealed contact as a phone sends it: its id, the hash of its content, and the seal.

    The phone also sends the summary its outbox shows (``person_id``, ``type``,
    ``occurred_at``); the server reads the contact from inside the seal only.
    """

    model_config = ConfigDict(strict=True, extra="ignore")

    id: ContactId
    content_sha256: Annotated[str, Field(pattern=SHA256_PATTERN)]
    sealed: Seal


# One adapter per correctable field, so that a correction checks each value it names alone.
_FIELD_TYPES: dict[str, Any] = {
    "person_id": PersonId, "type": Kind, "outcome": ContactOutcome, "occurred_at": Moment,
    "duration_minutes": Duration, "pathways": Pathways, "notes": Notes, "sensitive": Flag,
    "concern": Flag, "others_present": OthersPresent,
}
assert set(_FIELD_TYPES) == set(CORRECTABLE_FIELDS) <= set(ContactIn.model_fields)
_FIELD_ADAPTERS: dict[str, TypeAdapter[Any]] = {name: TypeAdapter(kind, config=ConfigDict(strict=True)) for name, kind in _FIELD_TYPES.items()}


def _errors(error: ValidationError, *, field: str | None = None) -> dict:
    """Pydantic's errors as our sentences, one per field (the first error of each)."""
    errors: dict = {}
    for item in error.errors(include_url=False, include_context=False, include_input=False):
        name = field or (str(item["loc"][0]) if item["loc"] else "contact")
        if name in MESSAGES and name not in errors:
            errors[name] = message_for(name, item["type"])
    return errors


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# What the API and the form call ----------------------------------------------------------


def parse_contact(raw) -> tuple[ContactInput | None, dict]:
    """A ContactInput, or the errors of each field that is wrong (field → sentence)."""
    if not isinstance(raw, Mapping):
        return None, {"contact": CONTACT_NOT_OBJECT}
    try:
        contact = ContactIn.model_validate(dict(raw))
    except ValidationError as error:
        return None, _errors(error)
    values = {name: getattr(contact, name) for name in ContactIn.model_fields}
    return ContactInput(contact_id=values.pop("id"), **values), {}


def is_sealed(raw) -> bool:
    """Whether a contact of a sync body is in the sealed form (it has ``sealed``)."""
    return isinstance(raw, Mapping) and "sealed" in raw


def parse_sealed_contact(raw) -> tuple[ContactInput | None, dict, str | None]:
    """Open a sealed contact and check what was inside as ``parse_contact`` checks a plain one.

    (the contact, {}, its seal token) or (None, each field's errors, None). The token is not
    checked here: whose it is, is the caller's question (``app/contacts/sealed.py``).
    """
    from app import sealing

    try:
        envelope = SealedContactIn.model_validate(dict(raw))
    except ValidationError as error:
        errors = _errors(error)
        return None, errors or {"sealed": SEALED_INVALID}, None
    try:
        opened, token = sealing.open_sealed(sealing.keyring(), raw["id"], envelope.sealed.model_dump())
    except sealing.Unopenable as failure:
        return None, {"sealed": SEAL_UNKNOWN_KEY if failure.reason == "unknown_key" else SEAL_BROKEN}, None
    contact, errors = parse_contact(opened)
    if contact is None:
        return None, errors, None
    if contact.contact_id != envelope.id:
        return None, {"id": SEALED_ID_MISMATCH}, None
    if token is None:
        return None, {"sealed": SEAL_TOKEN_UNKNOWN}, None
    if content_hash_of(contact) != envelope.content_sha256:
        return None, {"content_sha256": CONTENT_SHA256_MISMATCH}, None
    return contact, {}, token


def content_hash_of(contact: ContactInput) -> str:
    """The canonical hash of a contact's content, as it is stored (``app/contacts/canonical.py``)."""
    from app.contacts.canonical import canonical_content, content_hash, truncate_to_millis

    return content_hash(canonical_content(
        contact_id=contact.contact_id, person_id=contact.person_id, type=contact.type, outcome=contact.outcome,
        occurred_at=truncate_to_millis(contact.occurred_at), duration_minutes=contact.duration_minutes,
        pathways=contact.pathways, notes=contact.notes, sensitive=contact.sensitive, concern=contact.concern,
        others_present=contact.others_present, colleague_ids=contact.colleague_ids,
    ))


def parse_changes(raw) -> tuple[dict, dict]:
    """(the changes named, each field's errors) for the ``changes`` object of a correction."""
    changes, errors = {}, {}
    for name in CORRECTABLE_FIELDS:
        if name not in raw:
            continue
        try:
            changes[name] = _FIELD_ADAPTERS[name].validate_python(raw[name])
        except ValidationError as error:
            errors.update(_errors(error, field=name))
    return changes, errors


def parse_correction(body: Mapping) -> tuple[tuple[dict, str, str | None] | None, dict]:
    """((changes, reason, expected_sha256), {}) or (None, each field's errors)."""
    body = dict(body)
    reason_missing = _blank(body.get("reason"))
    if reason_missing:
        body.pop("reason", None)
    errors: dict = {}
    correction = None
    try:
        correction = CorrectionIn.model_validate(body)
    except ValidationError as error:
        errors = _errors(error)
    if reason_missing:
        errors["reason"] = CORRECTION_REASON_MISSING  # like a void, a correction says why
    changes: dict = {}
    raw_changes = body.get("changes")
    if isinstance(raw_changes, dict):
        changes, change_errors = parse_changes(raw_changes)
        errors.update(change_errors)
        if not errors and not changes:
            errors["changes"] = NOTHING_TO_CORRECT
    if errors or correction is None:
        return None, errors
    return (changes, correction.reason.strip(), correction.expected_sha256), {}


def parse_void(body: Mapping) -> tuple[tuple[str, str | None] | None, dict]:
    """((reason, expected_sha256), {}) or (None, each field's errors)."""
    body = dict(body)
    if _blank(body.get("reason")):
        body.pop("reason", None)
    try:
        void = VoidIn.model_validate(body)
    except ValidationError as error:
        return None, _errors(error)
    return (void.reason.strip(), void.expected_sha256), {}


_MOMENT = TypeAdapter(Moment, config=ConfigDict(strict=True))


def read_time(value) -> datetime | None:
    """A time as the contract reads ``occurred_at``, or None when it cannot be read."""
    try:
        return _MOMENT.validate_python(value)
    except ValidationError:
        return None


def parse_uuid(value) -> uuid.UUID | None:
    """A UUID from text in the contract's form (any version), else None."""
    if isinstance(value, str) and re.fullmatch(UUID_PATTERN, value):
        return uuid.UUID(value)
    return None

"""Reading API request bodies: whole-request checks, then each field on its own.

Every message is a whole sentence in the user's language. Unknown fields are ignored;
a field of the wrong type is named in ``errors`` with what would be right.
The shapes are described in ``openapi.yaml``; this module is what enforces them.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone

from flask import Request
from flask_babel import lazy_gettext as _l, ngettext

from app.api.errors import ApiError
from app.contacts.operations import CORRECTABLE_FIELDS, NOT_ON_CASELOAD, ContactInput
from app.models import ContactType, Outcome, Pathway

MAX_CONTACTS = 200
MAX_IDS = 500
NOTES_MAX = 4000
OTHERS_PRESENT_MAX = 500
REASON_MAX = 1000
DURATION_MAX = 1440
ID_ECHO_MAX = 100
TIMESTAMP_MAX = 40
PERSON_ID_MAX = 2**31 - 1
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)

UUID_FORM = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
SHA256_FORM = re.compile(r"[0-9a-f]{64}")
TYPES = frozenset(member.value for member in ContactType)
OUTCOMES = frozenset(member.value for member in Outcome)
PATHWAYS = frozenset(member.value for member in Pathway)

INVALID_JSON = _l("The request is not valid JSON.")
SYNC_SHAPE = _l("The request must be a JSON object with a list of contacts.")
CHECK_SHAPE = _l("The request must be a JSON object with a list of ids.")
OBJECT_SHAPE = _l("The request must be a JSON object.")
INVALID_DETAILS = _l("Some details are not right: see the message for each one.")

CONTACT_NOT_OBJECT = _l("Each contact must be a JSON object.")
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
EXPECTED_SHA256_INVALID = _l("The expected hash must be 64 lower-case hexadecimal characters.")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def read_json(request: Request):
    """The decoded JSON body, or an ApiError: 415 not JSON, 413 too large, 400 unreadable."""
    if request.mimetype != "application/json":
        raise ApiError(415)
    data = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "invalid_json", INVALID_JSON) from None


def _too_many(limit: int, *, ids: bool = False) -> ApiError:
    if ids:
        text = ngettext("Ask about at most %(num)d id at a time.", "Ask about at most %(num)d ids at a time.", limit)
        return ApiError(400, "too_many_ids", text)
    text = ngettext("Send at most %(num)d contact at a time.", "Send at most %(num)d contacts at a time.", limit)
    return ApiError(400, "too_many_contacts", text)


# Fields ----------------------------------------------------------------------------------


def parse_time(value):
    """(aware UTC datetime, None) or (None, message)."""
    if not isinstance(value, str) or len(value) > TIMESTAMP_MAX:
        return None, TIME_UNREADABLE
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, TIME_UNREADABLE
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None, TIME_NO_OFFSET
    try:
        moment = moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None, TIME_UNREADABLE
    if moment < EARLIEST:
        return None, TIME_TOO_EARLY
    return moment, None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape
        return False
    return True


def _text(value, limit: int, invalid):
    if value is None or value == "":
        return None, None
    if not isinstance(value, str) or len(value) > limit:
        return None, invalid
    if not _storable(value):
        return None, TEXT_UNSTORABLE
    return value, None


def _person_id(value):
    if value is None:
        return None, PERSON_MISSING
    if not _is_int(value):
        return None, PERSON_INVALID
    if not 1 <= value <= PERSON_ID_MAX:
        return None, NOT_ON_CASELOAD
    return value, None


def _code(allowed, missing, unknown, convert):
    def parse(value):
        if value is None or value == "":
            return None, missing
        if not isinstance(value, str) or value not in allowed:
            return None, unknown
        return convert(value), None

    return parse


def _required_time(missing):
    def parse(value):
        if value is None or value == "":
            return None, missing
        return parse_time(value)

    return parse


def _duration(value):
    if value is None:
        return None, None
    if not _is_int(value) or not 0 <= value <= DURATION_MAX:
        return None, DURATION_INVALID
    return value, None


def _pathways(value):
    if value is None:
        return (), None
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        return None, PATHWAYS_INVALID
    if not all(code in PATHWAYS for code in value):
        return None, PATHWAY_UNKNOWN
    if len(set(value)) != len(value):
        return None, PATHWAY_REPEATED
    return tuple(sorted(value)), None


def _flag(value):
    if value is None:
        return False, None
    if not isinstance(value, bool):
        return None, FLAG_INVALID
    return value, None


FIELDS = {
    "person_id": _person_id,
    "type": _code(TYPES, TYPE_MISSING, TYPE_UNKNOWN, ContactType),
    "outcome": _code(OUTCOMES, OUTCOME_MISSING, OUTCOME_UNKNOWN, Outcome),
    "occurred_at": _required_time(OCCURRED_MISSING),
    "recorded_at": _required_time(RECORDED_MISSING),
    "duration_minutes": _duration,
    "pathways": _pathways,
    "notes": lambda value: _text(value, NOTES_MAX, NOTES_INVALID),
    "others_present": lambda value: _text(value, OTHERS_PRESENT_MAX, OTHERS_PRESENT_INVALID),
    "sensitive": _flag,
    "concern": _flag,
}
assert set(CORRECTABLE_FIELDS) <= set(FIELDS)


def parse_uuid(value) -> uuid.UUID | None:
    if isinstance(value, str) and UUID_FORM.fullmatch(value):
        return uuid.UUID(value)
    return None


def echo_id(raw) -> str | None:
    """The id to name a result by: as sent, when it is a string of sensible length."""
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and len(value) <= ID_ECHO_MAX else None


def parse_contact(raw) -> tuple[ContactInput | None, dict]:
    """A ContactInput, or the errors of each field that is wrong."""
    if not isinstance(raw, dict):
        return None, {"contact": CONTACT_NOT_OBJECT}
    errors = {}
    contact_id = parse_uuid(raw.get("id"))
    if contact_id is None:
        errors["id"] = ID_INVALID
    values = {}
    for name, parse in FIELDS.items():
        value, error = parse(raw.get(name))
        if error is not None:
            errors[name] = error
        else:
            values[name] = value
    if errors:
        return None, errors
    return ContactInput(contact_id=contact_id, **values), {}


# Bodies ----------------------------------------------------------------------------------


def parse_sync(body) -> tuple[datetime | None, list]:
    """(sent_at or None, the list of raw contacts). An unreadable ``sent_at`` counts as absent."""
    if not isinstance(body, dict) or not isinstance(body.get("contacts"), list):
        raise ApiError(400, "bad_request", SYNC_SHAPE)
    contacts = body["contacts"]
    if len(contacts) > MAX_CONTACTS:
        raise _too_many(MAX_CONTACTS)
    sent_at, _error = parse_time(body.get("sent_at"))
    return sent_at, contacts


def parse_check(body) -> list:
    """The ids asked about, each as sent (strings)."""
    if not isinstance(body, dict) or not isinstance(body.get("ids"), list):
        raise ApiError(400, "bad_request", CHECK_SHAPE)
    ids = body["ids"]
    if not all(isinstance(value, str) for value in ids):
        raise ApiError(400, "bad_request", CHECK_SHAPE)
    if len(ids) > MAX_IDS:
        raise _too_many(MAX_IDS, ids=True)
    return ids


def _invalid(errors: dict) -> ApiError:
    return ApiError(400, "invalid", INVALID_DETAILS, errors={key: str(value) for key, value in errors.items()})


def _expected_sha256(body: dict, errors: dict) -> str | None:
    value = body.get("expected_sha256")
    if value is None:
        return None
    if not isinstance(value, str) or not SHA256_FORM.fullmatch(value):
        errors["expected_sha256"] = EXPECTED_SHA256_INVALID
    return value


def _reason(body: dict, errors: dict, *, required: bool) -> str | None:
    value = body.get("reason")
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors["reason"] = VOID_REASON_MISSING
        return None
    if not isinstance(value, str) or len(value) > REASON_MAX:
        errors["reason"] = REASON_INVALID
    elif not _storable(value):
        errors["reason"] = TEXT_UNSTORABLE
    return value.strip() if isinstance(value, str) else None


def parse_correction(body) -> tuple[dict, str | None, str | None]:
    """(changes, reason, expected_sha256) or ApiError 400 with each field's error."""
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", OBJECT_SHAPE)
    errors: dict = {}
    raw = body.get("changes")
    changes = {}
    if not isinstance(raw, dict):
        errors["changes"] = CHANGES_INVALID
    else:
        for name in CORRECTABLE_FIELDS:
            if name not in raw:
                continue
            value, error = FIELDS[name](raw[name])
            if error is not None:
                errors[name] = error
            else:
                changes[name] = value
        if not errors and not changes:
            errors["changes"] = NOTHING_TO_CORRECT
    reason = _reason(body, errors, required=False)
    expected = _expected_sha256(body, errors)
    if errors:
        raise _invalid(errors)
    return changes, reason, expected


def parse_void(body) -> tuple[str, str | None]:
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", OBJECT_SHAPE)
    errors: dict = {}
    reason = _reason(body, errors, required=True)
    expected = _expected_sha256(body, errors)
    if errors:
        raise _invalid(errors)
    return reason, expected


def invalid(errors: dict) -> ApiError:
    return _invalid(errors)

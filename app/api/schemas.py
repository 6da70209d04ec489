"""Reading API request bodies: the whole request's shape here, each contact by the contract.

Every message is a whole sentence in the user's language. Unknown fields are ignored;
a field of the wrong type is named in ``errors`` with what would be right. What a
contact, a correction and a void may hold is ``app/contacts/contract.py`` (which
``openapi.yaml`` is checked against); this module only reads bodies and their envelopes.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask import Request
from flask_babel import lazy_gettext as _l, ngettext

from app.api.errors import ApiError
from app.contacts import contract

MAX_CONTACTS = 200
MAX_IDS = 500
ID_ECHO_MAX = 100

INVALID_JSON = _l("The request is not valid JSON.")
SYNC_SHAPE = _l("The request must be a JSON object with a list of contacts.")
CHECK_SHAPE = _l("The request must be a JSON object with a list of ids.")
OBJECT_SHAPE = _l("The request must be a JSON object.")
INVALID_DETAILS = _l("Some details are not right: see the message for each one.")


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


parse_uuid = contract.parse_uuid


def echo_id(raw) -> str | None:
    """The id to name a result by: as sent, when it is a string of sensible length."""
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and len(value) <= ID_ECHO_MAX else None


parse_contact = contract.parse_contact


def parse_sync_contact(raw):
    """(the contact, {}, its seal token or None) or (None, each field's errors, None): plain or sealed."""
    if contract.is_sealed(raw):
        return contract.parse_sealed_contact(raw)
    item, errors = contract.parse_contact(raw)
    return item, errors, None


# Bodies ----------------------------------------------------------------------------------


def parse_sync(body) -> tuple[datetime | None, list]:
    """(sent_at or None, the list of raw contacts). An unreadable ``sent_at`` counts as absent."""
    if not isinstance(body, dict) or not isinstance(body.get("contacts"), list):
        raise ApiError(400, "bad_request", SYNC_SHAPE)
    contacts = body["contacts"]
    if len(contacts) > MAX_CONTACTS:
        raise _too_many(MAX_CONTACTS)
    sent_at = contract.read_time(body.get("sent_at"))
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


def parse_correction(body) -> tuple[dict, str, str | None]:
    """(changes, reason, expected_sha256) or ApiError 400 with each field's error."""
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", OBJECT_SHAPE)
    parsed, errors = contract.parse_correction(body)
    if parsed is None:
        raise _invalid(errors)
    return parsed


def object_body(body) -> dict:
    """The body if it is a JSON object, else ApiError 400."""
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", OBJECT_SHAPE)
    return body


def parse_void(body) -> tuple[str, str | None]:
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", OBJECT_SHAPE)
    parsed, errors = contract.parse_void(body)
    if parsed is None:
        raise _invalid(errors)
    return parsed


def invalid(errors: dict) -> ApiError:
    return _invalid(errors)


ARRANGEMENTS_SHAPE = _l("The request must be a JSON object with a list of arrangements.")


def parse_arrangement_sync(body) -> list:
    """The list of raw arrangements (each checked by ``app.arrangements.contract`` on its own)."""
    if not isinstance(body, dict) or not isinstance(body.get("arrangements"), list):
        raise ApiError(400, "bad_request", ARRANGEMENTS_SHAPE)
    arrangements = body["arrangements"]
    if len(arrangements) > MAX_CONTACTS:
        text = ngettext("Send at most %(num)d arrangement at a time.", "Send at most %(num)d arrangements at a time.",
                        MAX_CONTACTS)
        raise ApiError(400, "too_many_arrangements", text)
    return arrangements

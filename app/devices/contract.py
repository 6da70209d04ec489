"""The device report, written once: what a phone says about itself with each sync and caseload fetch.

In the style of the contact contract (``app/contacts/contract.py``): pydantic v2 in strict
mode, unknown fields ignored, and every error a whole sentence from the gettext catalogue
(field → sentence), never pydantic's own words. ``app/api/openapi.yaml`` describes the same
shape (``DeviceReport``); ``tests/devices/test_report_contract.py`` checks the two agree.

The report goes in the sync body as ``device``, and with ``GET /api/v1/caseload`` as the
``Cyswllt-Device`` header (the same object as JSON text). It is optional: an older phone
that sends none is served as before. A report that is wrong is ignored, never the request:
the sync's records are stored whatever the report holds, and the answer says the report
was ignored and why (``device.status`` ``ignored`` with ``errors``).

The counts describe the records the phone holds *besides those in this request*: in a sync,
the server adds the records of the batch it did not take (they stay on the phone), so the
stored counts are right the moment the answer is made, with no second report.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from app.contacts.contract import TIME_UNREADABLE, TIMESTAMP_MAX, UUID_PATTERN, read_time_strictly

COUNT_MAX = 1_000_000
BYTES_MAX = 2**53 - 1  # what a JavaScript number holds exactly
APP_VERSION_PATTERN = r"^[A-Za-z0-9._+-]{1,40}$"
HEADER = "Cyswllt-Device"
HEADER_MAX = 1000  # characters of JSON text: a report is about 300

DEVICE_ID_INVALID = _l("The device id must be a UUID made on the phone.")
APP_VERSION_INVALID = _l("The app version must be 1 to 40 letters, digits, dots, dashes or plus signs.")
UNSENT_INVALID = _l("The number of unsent records must be a whole number from 0 to 1,000,000.")
ATTENTION_INVALID = _l("The number of records that need attention must be a whole number from 0 to 1,000,000.")
ATTENTION_TOO_MANY = _l("More records cannot need attention than are unsent.")
TIME_INVALID = TIME_UNREADABLE  # the same sentence as a contact's times (one translation)
PERSISTED_INVALID = _l("Whether storage is persistent must be true, false or null.")
BYTES_INVALID = _l("A storage estimate must be a whole number of bytes, or null.")
REPORT_NOT_OBJECT = _l("The device report must be a JSON object.")

MESSAGES: dict[str, dict[str, Any]] = {
    "id": {"invalid": DEVICE_ID_INVALID},
    "app_version": {"invalid": APP_VERSION_INVALID},
    "unsent": {"invalid": UNSENT_INVALID},
    "attention": {"attention_too_many": ATTENTION_TOO_MANY, "invalid": ATTENTION_INVALID},
    "oldest_unsent_at": {"invalid": TIME_INVALID},
    "reported_at": {"invalid": TIME_INVALID},
    "storage_persisted": {"invalid": PERSISTED_INVALID},
    "storage_usage": {"invalid": BYTES_INVALID},
    "storage_quota": {"invalid": BYTES_INVALID},
}


def _id_given(value):
    if value is None or value == "":
        raise PydanticCustomError("missing", "not given")
    return value


DeviceId = Annotated[str, Field(pattern=UUID_PATTERN), BeforeValidator(_id_given)]
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
Bytes = Annotated[int, Field(ge=0, le=BYTES_MAX)] | None
Time = Annotated[datetime | None, BeforeValidator(read_time_strictly),
                 Field(json_schema_extra={"type": "string", "maxLength": TIMESTAMP_MAX})]


class DeviceReportIn(BaseModel):
    """One phone's report about itself."""

    model_config = ConfigDict(strict=True, extra="ignore", validate_default=True)

    id: DeviceId
    app_version: Annotated[str, Field(pattern=APP_VERSION_PATTERN)] | None = None
    unsent: Count
    oldest_unsent_at: Time = None
    attention: Count = 0
    storage_persisted: bool | None = None
    storage_usage: Bytes = None
    storage_quota: Bytes = None
    reported_at: Time = None

    @model_validator(mode="after")
    def _attention_is_unsent(self):
        if self.attention > self.unsent:
            raise PydanticCustomError("attention_too_many", "more attention than unsent")
        return self


@dataclass(frozen=True)
class DeviceReport:
    """A report as the server keeps it (``oldest_unsent_at`` None when nothing is unsent)."""

    device_id: uuid.UUID
    app_version: str | None
    unsent: int
    oldest_unsent_at: datetime | None
    attention: int
    storage_persisted: bool | None
    storage_usage: int | None
    storage_quota: int | None
    reported_at: datetime | None


def _errors(error: ValidationError) -> dict:
    """Pydantic's errors as our sentences, one per field (the first of each)."""
    errors: dict = {}
    for item in error.errors(include_url=False, include_context=False, include_input=False):
        # The one check across fields (attention and unsent) has no field of its own.
        name = str(item["loc"][0]) if item["loc"] else "attention"
        if name in MESSAGES and name not in errors:
            errors[name] = MESSAGES[name].get(item["type"], MESSAGES[name]["invalid"])
    return errors


def parse_report(raw) -> tuple[DeviceReport | None, dict]:
    """A DeviceReport, or each wrong field's sentence (field → sentence)."""
    if not isinstance(raw, Mapping):
        return None, {"device": REPORT_NOT_OBJECT}
    try:
        report = DeviceReportIn.model_validate(dict(raw))
    except ValidationError as error:
        return None, _errors(error)
    return DeviceReport(
        device_id=uuid.UUID(report.id),
        app_version=report.app_version,
        unsent=report.unsent,
        oldest_unsent_at=report.oldest_unsent_at if report.unsent else None,
        attention=report.attention,
        storage_persisted=report.storage_persisted,
        storage_usage=report.storage_usage,
        storage_quota=report.storage_quota,
        reported_at=report.reported_at,
    ), {}


def parse_header(text: str) -> tuple[DeviceReport | None, dict]:
    """The ``Cyswllt-Device`` header: the same report as JSON text."""
    if len(text) > HEADER_MAX:
        return None, {"device": REPORT_NOT_OBJECT}
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        return None, {"device": REPORT_NOT_OBJECT}
    return parse_report(raw)

"""The API's hooks for device reports: read one from the request, keep it, say what became of it.

The sync (``POST /api/v1/contacts/sync``, body ``device``) and the caseload fetch
(``GET /api/v1/caseload``, header ``Cyswllt-Device``) call ``receive``. A report that is
wrong, or that cannot be kept, is ignored and the answer says so (``device.status``
``ignored``, with each field's error): the request itself is never refused for it, and a
sync's records are committed before its report is even read. A report naming a revoked
phone ends the sign-in it came on; the view then answers ``revoked_response``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask import Request, Response, request
from flask import session as web_session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.api.errors import error_response
from app.auth.operations import SIGN_IN_TOKEN, current_sign_in_hash, token_hash
from app.contacts.contract import read_time
from app.devices import contract, operations
from app.extensions import db

RECORDED = "recorded"
IGNORED = "ignored"
ABSENT = "absent"
ACCEPTED_STATUSES = frozenset({"created", "duplicate"})
STATUS_HEADER = "Cyswllt-Device-Report"  # on the caseload's answer: recorded or ignored

NOT_KEPT = _l("The device report could not be kept just now. Your records are not affected.")
DEVICE_REVOKED = _l("This phone has been revoked, so it has been signed out. What it had already sent is kept."
                    " Ask your supervisor before you use it again.")
ACCOUNT_REVOKED = _l("Your account has been deactivated, so this phone has been signed out."
                     " What it had already sent is kept.")


@dataclass(frozen=True)
class Received:
    status: str
    errors: dict = field(default_factory=dict)
    revoked: bool = False

    def answer(self) -> dict | None:
        """What the sync's answer says of the report (``device``), or None when none was sent."""
        if self.status == ABSENT:
            return None
        if self.errors:
            return {"status": self.status, "errors": {key: str(value) for key, value in self.errors.items()}}
        return {"status": self.status}


def left_on_phone(raw_contacts: Sequence, results: Sequence[Mapping], opened: Sequence = ()) -> operations.LeftOnPhone:
    """The records of a sync the server did not take (they stay on the phone, needing attention).

    ``opened``: each record as the server read it (a ``ContactInput``, or None when it could
    not be read), so that a sealed record's saved time is known once it was opened.
    """
    opened = list(opened) or [None] * len(raw_contacts)
    times = []
    count = 0
    for raw, result, item in zip(raw_contacts, results, opened):
        if result.get("status") in ACCEPTED_STATUSES:
            continue
        count += 1
        moment = getattr(item, "recorded_at", None)
        if moment is None and isinstance(raw, Mapping):
            moment = read_time(raw.get("recorded_at"))
        if moment is not None:
            times.append(moment)
    return operations.LeftOnPhone(count, min(times) if times else None)


def receive(raw, *, left: operations.LeftOnPhone = operations.LeftOnPhone()) -> Received:
    """Read and keep the report sent in a body (``None``: none was sent)."""
    if raw is None:
        return Received(ABSENT)
    report, errors = contract.parse_report(raw)
    if report is None:
        return Received(IGNORED, errors)
    return _keep(report, left)


def receive_header(incoming: Request) -> Received:
    """Read and keep the report sent in the ``Cyswllt-Device`` header."""
    text = incoming.headers.get(contract.HEADER)
    if text is None:
        return Received(ABSENT)
    report, errors = contract.parse_header(text)
    if report is None:
        return Received(IGNORED, errors)
    return _keep(report, operations.LeftOnPhone())


def _keep(report: contract.DeviceReport, left: operations.LeftOnPhone) -> Received:
    user = current_user._get_current_object()
    this_sign_in = current_sign_in_hash()
    try:
        device = operations.record(db.session, user, report, received_at=clock.now(), sign_in_hash=this_sign_in,
                                   user_agent=request.user_agent.string, left=left)
        revoked = device.revoked_at is not None
        if revoked:
            operations.end_sign_in_on_revoked(db.session, device, this_sign_in, user)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        return Received(IGNORED, {"device": NOT_KEPT})
    if revoked:
        logout_user()
        web_session.clear()
    return Received(RECORDED, revoked=revoked)


def revoked_response(*, account: bool = False, **extra) -> Response:
    """401 ``revoked``: the phone wipes what is readable (``extra``: a sync's ``results``)."""
    message = ACCOUNT_REVOKED if account else DEVICE_REVOKED
    return error_response(401, "revoked", message, revoked="account" if account else "device", **extra)


def signed_out_by_revocation() -> Response | None:
    """For a request that is not signed in: 401 ``revoked`` if its sign-in was revoked (with its
    phone, or with its user), so that the phone wipes what it shows; else None."""
    token = web_session.get(SIGN_IN_TOKEN)
    if not token:
        return None
    revoked = operations.revoked_sign_in(db.session, token_hash(token), web_session.get("_user_id"))
    if revoked is None:
        return None
    web_session.clear()
    return revoked_response(account=revoked == "account")

"""The sync API's views: read the body, call the contacts service, answer in JSON."""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, request
from flask_babel import lazy_gettext as _l, ngettext
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from werkzeug.http import quote_etag

from app import clock, sealing, versions
from app.security.idle import app_lock_seconds, idle_timeout_seconds
from app.api import schemas, serialise
from app.api.errors import ApiError, error_response, from_error, json_response
from app.api.presenters import caseload_etag, caseload_rows, colleagues_rows, people_rows, tallies
from app.arrangements import contract as arrangement_contract, operations as arranging
from app.auth import operations as auth_operations
from app.contacts import concerns, contract, operations as contacts, privacy, sealed
from app.devices import reports as device_reports
from app.domain.weeks import week_start
from app.extensions import db
from app.i18n import current_language

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
OPENAPI_DOCUMENT = Path(__file__).parent / "openapi.yaml"


@blueprint.errorhandler(ApiError)
def api_error(error: ApiError):
    db.session.rollback()
    return from_error(error)


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    import yaml

    return yaml.safe_load(OPENAPI_DOCUMENT.read_text(encoding="utf-8"))


@blueprint.get("/openapi.json")
def openapi():
    return json_response(openapi_document())  # cacheable: app/security/headers.py CACHEABLE


@blueprint.get("/session")
@login_required
def session_info():
    user = current_user
    return json_response(
        {
            "user": {
                "id": user.id,
                "name": user.name,
                "language": user.language.value,
                "team": {
                    "id": user.team.id, "name": user.team.name,
                    # The phone asks to confirm a late entry, and offers correct and void, by these.
                    "late_entry_days": user.team.late_entry_days,
                    "correction_window_days": user.team.correction_window_days,
                },
                "role": user.role.value,
                "agency": user.agency.value,
            },
            "csrf_token": generate_csrf(),
            "server_time": serialise.iso(clock.now()),
            "idle_timeout_seconds": idle_timeout_seconds(),
            "lock_after_seconds": app_lock_seconds(),
            "caseload_key": auth_operations.caseload_key(),
            "sign_in": auth_operations.sign_in_reference(),
            "limits": contract.LIMITS,
            "colleagues": colleagues_rows(db.session, user, current_language()),
            # The key the phone seals each record to, and this sign-in's seal token (app/sealing.py).
            "sealing": sealing.session_answer(db.session, user.id),
        }
    )


@blueprint.get("/caseload")
@login_required
def caseload():
    device = device_reports.receive_header(request)  # the phone's report (header Cyswllt-Device)
    if device.revoked:
        return device_reports.revoked_response()
    now = clock.now()
    monday = week_start(now)
    language = current_language()
    team_id = current_user.team_id
    # The version is read first: the answer is at least as new as the ETag says.
    etag = caseload_etag(team_id, versions.current(db.session, team_id), monday, language)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304, mimetype="application/json")
    else:
        response = json_response(
            {
                "week_start": monday.isoformat(),
                "people": caseload_rows(db.session, current_user, monday, language),
                "server_time": serialise.iso(now),
            }
        )
    response.set_etag(etag)
    response.vary.update(("Cookie", "Accept-Language"))
    if device.answer():
        response.headers[device_reports.STATUS_HEADER] = device.status
    return response


@blueprint.post("/contacts/sync")
@login_required
def sync():
    received_at = clock.now()
    body = schemas.read_json(request)
    sent_at, raw_contacts = schemas.parse_sync(body)
    parsed = [schemas.parse_sync_contact(raw) for raw in raw_contacts]
    valid = [sealed.Entry(item, token) for item, _errors, token in parsed if item is not None]
    user = current_user._get_current_object()
    outcomes = sealed.store_batch(db.session, user, valid, received_at=received_at, sent_at=sent_at)
    # Contacts that are the outcome of an arrangement: the arrangement is now recorded.
    arranging.link_recorded(db.session, user, [
        (entry.item.arrangement_id, outcome.contact_id) for entry, outcome in zip(valid, outcomes)
        if entry.item.arrangement_id is not None and outcome.status in (contacts.Status.CREATED, contacts.Status.DUPLICATE)
    ], now=received_at)
    week = week_start(received_at)
    changed = tallies(db.session, outcomes, week)
    # Read before the commit expires the user, so that it is not loaded a second time.
    team_id, language = user.team_id, current_language()
    db.session.commit()
    results, stored = [], iter(outcomes)
    for raw, (item, errors, _token) in zip(raw_contacts, parsed):
        sent_id = schemas.echo_id(raw)
        results.append(serialise.rejected(sent_id, errors) if item is None else serialise.sync_result(next(stored), sent_id))
    caseload_versions = _caseload_versions(team_id, week, language)
    # The phone's report, after the records are committed: a bad one never costs a record.
    left = device_reports.left_on_phone(raw_contacts, results, [item for item, _errors, _token in parsed])
    device = device_reports.receive(body.get("device"), left=left)
    if device.revoked:
        return device_reports.revoked_response(results=results)
    answer = {
        "results": results,
        "week_start": week.isoformat(),
        "tallies": changed,
        "caseload": caseload_versions,
        "server_time": serialise.iso(received_at),
    }
    return json_response({**answer, "device": device.answer()} if device.answer() else answer)


def _caseload_versions(team_id: int, week, language: str) -> dict | None:
    """The caseload's ETag before and after this sync's change, or None when it changed nothing.

    A phone holding the ETag before has, once it applies the tallies, the caseload after:
    it keeps that ETag; otherwise something else changed too, and it asks again by ETag.
    """
    version = versions.raised(db.session, team_id)
    if version is None:
        return None
    return {
        "etag": quote_etag(caseload_etag(team_id, version, week, language)),
        "previous_etag": quote_etag(caseload_etag(team_id, version - 1, week, language)),
    }


@blueprint.post("/contacts/check")
@login_required
def check():
    sent_ids = schemas.parse_check(schemas.read_json(request))
    wanted = {sent: schemas.parse_uuid(sent) for sent in sent_ids}
    held = contacts.held_contacts(db.session, current_user, {value for value in wanted.values() if value})
    found, missing = [], []
    for sent in sent_ids:
        contact = held.get(wanted[sent])
        if contact is None:
            missing.append(sent)
        else:
            found.append(serialise.held(contact, sent))
    return json_response({"contacts": found, "missing": missing, "server_time": serialise.iso(clock.now())})


@blueprint.get("/contacts/<uuid:contact_id>")
@login_required
def contact(contact_id: uuid.UUID):
    found = contacts.find_contact(db.session, current_user, contact_id)
    if found is None:
        raise ApiError(404)
    # A sensitive contact's notes and others-present text only for a reader who may read
    # them and asks (?sensitive_notes=1, audited); the hash still lets the phone correct it.
    asked = privacy.asked(request.args)
    shown = privacy.shows_private_text(current_user._get_current_object(), found, asked=asked)
    body = serialise.stored_contact(found)
    if not shown:
        body.update({field: None for field in privacy.PRIVATE_FIELDS}, private_text_left_out=True)
    if asked:
        privacy.record_choice(db.session, "api_contact", asked=True, team_id=found.team_id, person_id=found.person_id,
                              included=int(found.sensitive and shown))
        db.session.commit()
    return json_response({"contact": body, "server_time": serialise.iso(clock.now())})


CONCERN_NOT_ALLOWED = _l("Only the person's offender manager, or a supervisor of the team, can acknowledge this concern.")
NO_CONCERN = _l("This contact raises no concern to acknowledge.")


@blueprint.get("/concerns")
@login_required
def open_concerns():
    """The concerns the signed-in user is to acknowledge: for the phone's home screen (no notes)."""
    user = current_user._get_current_object()
    return json_response({
        "concerns": [serialise.concern(contact) for contact in concerns.open_concerns(db.session, user)],
        "total": concerns.count_open(db.session, user),
        "server_time": serialise.iso(clock.now()),
    })


@blueprint.post("/contacts/<uuid:contact_id>/acknowledge-concern")
@login_required
def acknowledge_concern(contact_id: uuid.UUID):
    now = clock.now()
    try:
        acknowledgement = concerns.acknowledge(db.session, current_user._get_current_object(), contact_id, now=now)
    except concerns.NotAllowed:
        db.session.rollback()
        return error_response(403, "forbidden", CONCERN_NOT_ALLOWED)
    if acknowledgement is None:
        db.session.rollback()
        return error_response(404, "not_found", NO_CONCERN)
    body = {"acknowledged": {"contact_id": str(acknowledgement.contact_id),
                             "by": acknowledgement.acknowledged_by_id,
                             "at": serialise.iso(acknowledgement.acknowledged_at)},
            "server_time": serialise.iso(now)}
    db.session.commit()
    return json_response(body)


def _changed(contact, touched, now):
    db.session.commit()
    return json_response(
        {
            "contact": serialise.stored_contact(contact),
            "people": people_rows(db.session, current_user, touched, week_start(now)),
            "server_time": serialise.iso(now),
        }
    )


NOT_FOUND = _l("This contact was not found.")
NOT_ALLOWED = _l("Only the officer who recorded this contact, or a supervisor of the team, can change it.")
VOIDED = _l("This contact has been voided, so it cannot be corrected.")
STALE = _l("Someone changed this contact first. Check the version held now and try again.")


def _refused(refusal: contacts.ChangeRefused):
    response = _refusal_response(refusal)
    db.session.rollback()
    return response


def _refusal_response(refusal: contacts.ChangeRefused):
    reason = contacts.Refusal
    if refusal.refusal == reason.NOT_FOUND:
        return error_response(404, "not_found", NOT_FOUND)
    if refusal.refusal == reason.NOT_ALLOWED:
        return error_response(403, "forbidden", NOT_ALLOWED)
    if refusal.refusal == reason.WINDOW_CLOSED:
        message = ngettext(
            "A contact can only be changed within %(num)d day of reaching the server.",
            "A contact can only be changed within %(num)d days of reaching the server.",
            refusal.window_days,
        )
        return error_response(403, "correction_window_closed", message)
    # A void or a stale change is refused with the contact as held (ChangeRefused carries it).
    if refusal.refusal == reason.VOIDED and refusal.contact is not None:
        return error_response(409, "voided", VOIDED, contact=serialise.stored_contact(refusal.contact))
    if refusal.refusal == reason.STALE and refusal.contact is not None:
        return error_response(409, "conflict", STALE, contact=serialise.stored_contact(refusal.contact))
    return from_error(schemas.invalid(refusal.errors))


@blueprint.post("/contacts/<uuid:contact_id>/correction")
@login_required
def correct(contact_id: uuid.UUID):
    body = schemas.read_json(request)
    changes, reason, expected = schemas.parse_correction(body)

    def apply(now):
        return contacts.correct_contact(
            db.session, current_user._get_current_object(), contact_id, changes,
            now=now, reason=reason, expected_sha256=expected,
        )

    return _change(body, contact_id, kind="correct", apply=apply)


@blueprint.post("/contacts/<uuid:contact_id>/void")
@login_required
def void(contact_id: uuid.UUID):
    body = schemas.read_json(request)
    reason, expected = schemas.parse_void(body)

    def apply(now):
        contact = contacts.void_contact(
            db.session, current_user._get_current_object(), contact_id,
            now=now, reason=reason, expected_sha256=expected,
        )
        return contact, {contact.person_id}

    return _change(body, contact_id, kind="void", apply=apply)


def _change(body, contact_id: uuid.UUID, kind: str, apply):
    """A correction or a void from a phone, applied once by its idempotency key: ``apply(now)``
    returns the contact and the people whose counts it touched."""
    now = clock.now()
    key = contract.change_key(body)
    replayed = _replayed(key, contact_id, now)
    if replayed is not None:
        return replayed
    try:
        contact, touched = apply(now)
        contacts.keep_change_key(db.session, current_user, key, contact_id, kind, now)
    except contacts.ChangeRefused as refusal:
        return _refused(refusal)
    return _changed(contact, touched, now)


def _replayed(key, contact_id: uuid.UUID, now):
    """A correction or void sent again under the key it was applied with: answered as done, changing nothing."""
    applied = contacts.applied_change(db.session, current_user, key)
    if applied is None:
        return None
    found = contacts.find_contact(db.session, current_user, applied.contact_id)
    if applied.contact_id != contact_id or found is None:
        return error_response(409, "key_reused", KEY_REUSED)
    return _changed(found, {found.person_id}, now)


KEY_REUSED = _l("This idempotency key was used for another change. Send this change under a new key.")


@blueprint.post("/contacts/discarded")
@login_required
def discarded():
    """A record the officer discarded on the phone, never sent: audited once per id."""
    parsed, errors = contract.parse_discard(schemas.object_body(schemas.read_json(request)))
    if parsed is None:
        raise schemas.invalid(errors)
    now = clock.now()
    outcome = contacts.report_discarded(
        db.session, current_user._get_current_object(), contact_id=parsed.id, person_id=parsed.person_id,
        type=parsed.type, occurred_at=parsed.occurred_at, reason=parsed.reason.strip(), now=now,
    )
    if outcome == contacts.DiscardOutcome.HELD:
        db.session.rollback()
        return error_response(409, "held", DISCARD_HELD)
    db.session.commit()
    return json_response({"id": str(parsed.id), "status": outcome.value, "server_time": serialise.iso(now)})


DISCARD_HELD = _l("The server holds this record, so it was sent: it cannot be discarded. Correct or void it instead.")



@blueprint.post("/arrangements/sync")
@login_required
def sync_arrangements():
    """Arrangements made on a phone, each stored exactly once by its own id."""
    now = clock.now()
    raw_items = schemas.parse_arrangement_sync(schemas.read_json(request))
    # Plain, or sealed on the phone (opened here; arranged by whoever sealed it).
    parsed = [(arrangement_contract.parse_sealed_arrangement if arrangement_contract.is_sealed(raw)
               else arrangement_contract.parse_arrangement)(raw) for raw in raw_items]
    user = current_user._get_current_object()
    stored = iter(arranging.arrange_batch(db.session, user, [item for item, _errors in parsed if item is not None], now=now))
    results = []
    for raw, (item, errors) in zip(raw_items, parsed):
        sent_id = schemas.echo_id(raw)
        results.append(serialise.rejected(sent_id, errors) if item is None
                       else serialise.arrangement_result(next(stored), sent_id, now))
    db.session.commit()
    return json_response({"results": results, "server_time": serialise.iso(now)})


@blueprint.get("/arrangements")
@login_required
def arrangements():
    """The signed-in officer's arrangements this week (today's marked), and earlier ones whose outcome is missing."""
    now = clock.now()
    found = arranging.week_list(db.session, current_user.team_id, now, officer_id=current_user.id)
    return json_response({
        "week_start": week_start(now).isoformat(),
        "arrangements": [serialise.arrangement(arrangement, now) for arrangement in found],
        "server_time": serialise.iso(now),
    })

"""Phones: the team's phones page, its JSON for tools, and revoking a phone. Views parse, call, render."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta, gettext
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.account.operations import describe_device
from app.api import serialise
from app.api.errors import json_response
from app.devices import operations
from app.devices.operations import PhoneRow
from app.domain.devices import Worry
from app.extensions import db
from app.i18n import current_language
from app.models import Device, Team
from app.permissions import may, requires
from app.supervision.lookups import visible_team

blueprint = Blueprint("devices", __name__)

@blueprint.app_template_global("phone_age")
def age(value) -> str:
    """"3 days", "5 hours" in the reader's language (Babel's CLDR units and plurals)."""
    return format_timedelta(value, granularity="minute", threshold=1.0)


@blueprint.app_template_global("phone_worry")
def worry_text(worry: Worry) -> str:
    if worry is Worry.UNSENT_TOO_LONG:
        return gettext("Has held unsent records for more than 48 hours.")
    return gettext("Holds unsent records and has not reached the server for 7 days.")


@blueprint.app_template_global("phone_name")
def phone_name(device: Device) -> str:
    """"Chrome Mobile on Android": what the phone's browser said it is, in the reader's language."""
    return describe_device(device.user_agent)


def _team_arg() -> int | None:
    value = request.args.get("team", "")
    return int(value) if value.isdigit() and int(value) < 2**31 else None


def _all_teams() -> list[Team]:
    if not may(current_user, "administer"):
        return []
    return sorted(db.session.scalars(select(Team)), key=lambda team: team.name.casefold())


@blueprint.route("/phones")
@requires("supervise")
def phones_page():
    team = visible_team(_team_arg())
    now = clock.now()
    rows = operations.team_phones(db.session, team, now, current_language())
    return render_template("devices/phones.html", team=team, teams=_all_teams(), rows=rows,
                           may_revoke=lambda row: may(current_user, "revoke_device", row.device))


@blueprint.route("/phones/<uuid:device_id>/revoke", methods=["POST"])
@requires("supervise")
def revoke(device_id: uuid.UUID):
    device = db.session.scalar(select(Device).where(Device.id == device_id))
    if device is None:
        abort(404)
    try:
        revoked = operations.revoke(db.session, device, by=current_user._get_current_object(), now=clock.now())
    except operations.NotAllowed:
        abort(403)
    db.session.commit()
    if revoked:
        flash(gettext("The phone %(phone)s has been revoked: it is signed out, and what it shows will be wiped the"
                      " next time it reaches the server.", phone=str(device.id)[:8]))
    back: dict[str, Any] = {"team": device.team_id} if current_user.is_admin else {}
    return redirect(url_for("devices.phones_page", **back))


def _phone_json(row: PhoneRow) -> dict:
    device = row.device
    return {
        "id": str(device.id),
        "officer": {"id": row.officer.id, "name": row.officer.name},
        "app_version": device.app_version,
        "first_seen_at": serialise.iso(device.first_seen_at),
        "last_seen_at": serialise.iso(device.last_seen_at),
        "unsent": device.unsent,
        "oldest_unsent_at": serialise.iso(device.oldest_unsent_at),
        "oldest_unsent_age_seconds": None if row.unsent_age is None else int(row.unsent_age.total_seconds()),
        "attention": device.attention,
        "storage_persisted": device.storage_persisted,
        "storage_usage": device.storage_usage,
        "storage_quota": device.storage_quota,
        "warning": None if row.worry is None else row.worry.value,
        "revoked_at": serialise.iso(device.revoked_at),
    }


@blueprint.route("/api/v1/team/devices")
@requires("supervise")
def team_devices():
    team = visible_team(_team_arg())
    now = clock.now()
    rows = operations.team_phones(db.session, team, now, current_language())
    return json_response({
        "team": {"id": team.id, "name": team.name},
        "devices": [_phone_json(row) for row in rows],
        "server_time": serialise.iso(now),
    })

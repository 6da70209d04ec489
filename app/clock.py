"""The current time. Tests fix it with the FIXED_NOW setting instead of patching."""

from datetime import datetime, timezone

from flask import current_app, has_app_context


def now() -> datetime:
    fixed = current_app.config.get("FIXED_NOW") if has_app_context() else None
    return fixed or datetime.now(timezone.utc)

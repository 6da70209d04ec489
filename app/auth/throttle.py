"""Sign-in throttling: slow a guesser down without locking the owner out (NCSC: throttle,
do not lock out).

Only failed sign-ins count (a wrong email or password), and each rule counts them for a
different key:

| rule | key | limit | what it stops |
|---|---|---|---|
| ``PER_ACCOUNT_AND_ADDRESS`` | account + address | 5 failures in 15 minutes | one device guessing one account |
| ``PER_ADDRESS`` | address | 30 failures in 15 minutes | one device spraying many accounts |
| ``PER_ACCOUNT`` | account | 50 failures in an hour | many devices guessing one account |

The first two are Flask-Limiter limits on the view (``deduct_when``: only a failure costs a
try). The third is counted here with the same storage, because it must not refuse an
address that has not failed for this account in the last hour: the owner signing in from
their own phone gets in, however many others are guessing their password. An address
that has failed for the account meets all three rules.

Every count lives in RATELIMIT_STORAGE_URI (Redis in production, shared by every worker of
every server: app/config.py refuses per-process memory when more than one process counts).
"""

from __future__ import annotations

import math
import time

from flask import current_app, g, request
from flask_babel import ngettext
from limits import parse
from werkzeug.exceptions import TooManyRequests

from app.extensions import limiter

PER_ACCOUNT_AND_ADDRESS = "5 per 15 minutes"
PER_ADDRESS = "30 per 15 minutes"
PER_ACCOUNT = parse("50 per hour")
# How long an address is remembered as having failed for an account: as long as PER_ACCOUNT counts.
FAILED_FROM = parse("1 per hour")
DEFAULT_WAIT = 60
FAILED = "sign_in_failed"


class SignInThrottled(TooManyRequests):
    """Too many failures for this account from addresses that have failed for it."""

    def __init__(self, retry_after: int):
        super().__init__()
        self.retry_after = retry_after


def account() -> str:
    return (request.form.get("email") or "").strip().lower()


def address() -> str:
    return request.remote_addr or ""


def account_and_address() -> str:
    return f"{account()}|{address()}"


def failed(_response=None) -> bool:
    """Flask-Limiter's ``deduct_when``: this request was a failed sign-in."""
    return bool(g.get(FAILED))


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True)) and bool(account())


def _keys(*parts: str) -> tuple[str, ...]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return (prefix, "sign-in", *parts)


def check_account() -> None:
    """Refuse (429) a try at an account under attack, unless this address has not failed for it."""
    if not _enabled():
        return
    strategy = limiter.limiter
    if strategy.test(FAILED_FROM, *_keys("failed-from", account(), address())):
        return  # this address has no failure for the account: let the owner through
    if not strategy.test(PER_ACCOUNT, *_keys("account", account())):
        reset = strategy.get_window_stats(PER_ACCOUNT, *_keys("account", account())).reset_time
        raise SignInThrottled(max(1, math.ceil(reset - time.time())))


def record_failure() -> None:
    """Count a failed sign-in (the view's two Flask-Limiter limits count it too, via ``failed``)."""
    setattr(g, FAILED, True)
    if not _enabled():
        return
    strategy = limiter.limiter
    strategy.hit(FAILED_FROM, *_keys("failed-from", account(), address()))
    strategy.hit(PER_ACCOUNT, *_keys("account", account()))


def retry_after_seconds(error) -> int:
    """The wait a 429 names, in whole seconds: the refusing rule's, or Flask-Limiter's."""
    own = getattr(error, "retry_after", None)
    if isinstance(own, int):
        return own
    try:
        current = limiter.current_limit
    except Exception:  # no limit evaluated for this request (an error page of a test route)
        current = None
    if current is not None:
        return max(1, math.ceil(current.reset_at - time.time()))
    return DEFAULT_WAIT


def wait_message(seconds: int) -> str:
    """The wait in the reader's language: seconds under a minute, else whole minutes rounded up."""
    if seconds < 60:
        return ngettext("Wait %(num)d second, then try again.", "Wait %(num)d seconds, then try again.", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("Wait %(num)d minute, then try again.", "Wait %(num)d minutes, then try again.", minutes)

"""Password hashing with Argon2id (argon2-cffi), at a cost chosen by PASSWORD_HASH_PROFILE.

- ``owasp`` (the default): OWASP's Password Storage Cheat Sheet's Argon2id, m=19 MiB, t=2, p=1.
  Measured on the 2-core machine: about 26 ms of CPU per hash (argon2-cffi's own default,
  RFC 9106's low-memory profile with p=4, took 209 ms, and sign-ins starved syncs under load).
- ``rfc9106-low-memory``: argon2-cffi's default (m=64 MiB, t=3, p=4), for those who want it.
- ``cheapest``: argon2-cffi's cheapest profile, for tests only (refused in production).

A stored hash made with other parameters is made again at the next successful sign-in
(``needs_rehash``). No more hashes run at once in a process than PASSWORD_HASH_CONCURRENCY
(default: the number of cores): a crowd signing in waits its turn instead of taking every
core from the syncs.
"""

from __future__ import annotations

import os
import threading
from functools import cache

from argon2 import PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

PROFILES = {
    "owasp": profiles.Parameters(type=Type.ID, version=19, salt_len=16, hash_len=32,
                                 time_cost=2, memory_cost=19 * 1024, parallelism=1),
    "rfc9106-low-memory": profiles.RFC_9106_LOW_MEMORY,
    "cheapest": profiles.CHEAPEST,
}
DEFAULT_PROFILE = "owasp"

_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _setting(name: str, default):
    return current_app.config.get(name, default) if has_app_context() else default


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[profile])


@cache
def _unknown_account_hash(profile: str) -> str:
    """Verified when the account does not exist, so that both answers take the same work."""
    return _hasher(profile).hash("no account has this password")


def _hashing_slot() -> threading.BoundedSemaphore:
    size = int(_setting("PASSWORD_HASH_CONCURRENCY", 0) or os.cpu_count() or 1)
    with _slots_lock:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


def current_profile() -> str:
    return _setting("PASSWORD_HASH_PROFILE", DEFAULT_PROFILE)


def hash_password(password: str, profile: str | None = None) -> str:
    hasher = _hasher(profile or current_profile())
    with _hashing_slot():
        return hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    profile = current_profile()
    hasher = _hasher(profile)
    try:
        with _hashing_slot():
            return hasher.verify(password_hash or _unknown_account_hash(profile), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with other parameters than the current profile's."""
    try:
        return _hasher(current_profile()).check_needs_rehash(password_hash)
    except InvalidHashError:
        return True

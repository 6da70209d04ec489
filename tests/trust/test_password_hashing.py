"""Argon2id at OWASP's parameters, hashes made again when the parameters change, and no more
hashes at once than cores (app/auth/passwords.py). The rest of the suite uses the cheapest
profile; these tests set the production one."""

from __future__ import annotations

import os

import pytest

from app.auth import passwords
from app.config import ConfigurationError, password_hash_profile
from app.extensions import db
from app.models import User
from tests import conftest as shared
from tests import factories

OWASP = "$argon2id$v=19$m=19456,t=2,p=1$"


def test_a_new_password_is_hashed_with_argon2id_at_owasps_parameters_and_a_salt():
    first, second = passwords.hash_password("the same password"), passwords.hash_password("the same password")
    assert first.startswith(OWASP) and second.startswith(OWASP)
    assert first != second
    assert passwords.verify_password(first, "the same password")
    assert not passwords.verify_password(first, "another password")


def test_the_default_profile_is_owasps_and_the_cheapest_is_refused_in_production():
    assert password_hash_profile({}, production=True) == "owasp"
    assert password_hash_profile({"PASSWORD_HASH_PROFILE": "cheapest"}, production=False) == "cheapest"
    with pytest.raises(ConfigurationError, match="tests only"):
        password_hash_profile({"PASSWORD_HASH_PROFILE": "cheapest"}, production=True)
    with pytest.raises(ConfigurationError, match="must be one of"):
        password_hash_profile({"PASSWORD_HASH_PROFILE": "md5"}, production=False)


def stored_hash(user) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).password_hash


def test_a_hash_made_with_older_parameters_is_made_again_at_the_next_sign_in(app, client, team):
    app.config["PASSWORD_HASH_PROFILE"] = "owasp"
    old = passwords.hash_password(factories.PASSWORD, profile="rfc9106-low-memory")
    user = factories.user(team, "old.hash@powys.example")
    user.password_hash = old
    db.session.commit()
    assert shared.sign_in(client, user.email, "not the password at all").status_code == 400
    assert stored_hash(user) == old  # a wrong password changes nothing
    assert shared.sign_in(client, user.email).status_code == 302
    upgraded = stored_hash(user)
    assert upgraded.startswith(OWASP)
    assert passwords.verify_password(upgraded, factories.PASSWORD)
    assert not passwords.needs_rehash(upgraded)


def test_every_hash_and_check_takes_one_of_as_many_slots_as_there_are_cores(app, monkeypatch):
    app.config["PASSWORD_HASH_CONCURRENCY"] = 2
    held = []

    class SlotCheckingHasher:
        """Inside a hash or a check, one of the two slots is taken: only one more can be had."""

        def _check(self):
            slot = passwords._hashing_slot()
            first, second = slot.acquire(blocking=False), slot.acquire(blocking=False)
            for taken in (first, second):
                if taken:
                    slot.release()
            held.append((first, second))

        def hash(self, password):
            self._check()
            return OWASP + "c2FsdHNhbHQ$aGFzaA"

        def verify(self, hash_, password):
            self._check()
            return True

    monkeypatch.setattr(passwords, "_hasher", lambda profile: SlotCheckingHasher())
    passwords.hash_password("a password")
    passwords.verify_password(OWASP + "c2FsdHNhbHQ$aGFzaA", "a password")
    assert held == [(True, False), (True, False)]
    app.config["PASSWORD_HASH_CONCURRENCY"] = 0
    assert passwords._hashing_slot()._initial_value == (os.cpu_count() or 1)

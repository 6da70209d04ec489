"""Sealing: what a phone records is encrypted to the server's public key before it is stored.

The phone (``static/js/seal.js``, WebCrypto only) makes a fresh AES-GCM-256 key for each
record, encrypts the record with it, and wraps that key with the server's RSA-OAEP
(SHA-256, 3072 bits or more) public key. Only the server holds the private keys, so a lost
phone reveals nothing of a record but what the outbox shows (person, kind, time).

Keys
    ``SEALING_KEYS`` (PEM text) or ``SEALING_KEYS_FILE`` (a PEM file) holds one or more RSA
    private keys. The **first** seals new records (its public key is in the session answer);
    the others only open records sealed before a rotation. A key is named by its RFC 7638 JWK
    thumbprint, so the id cannot disagree with the key. Without either setting (development
    and tests) a key is made once and kept in ``instance/sealing_keys.pem``; production
    refuses to start without one (``app/config.py``). ``flask keys generate FILE`` makes one.

Seal tokens
    Each sign-in is given a random seal token (``GET /api/v1/session``); only its SHA-256 is
    kept (``SealToken``), for good: it outlives the sign-in, so that a record sealed under it
    is known to be that user's whoever sends it later, a leaver's included. It identifies,
    never authenticates: sending still needs a sign-in.

The envelope (``contract.SealedContactIn``)
    ``sealed.ciphertext`` is AES-GCM over the UTF-8 JSON ``{"contact": {…}, "seal_token": "…"}``,
    with the additional data ``cyswllt-seal-v1|<key_id>|<id>``, so a sealed body cannot be
    moved under another record's id or key. ``content_sha256`` is the canonical hash of the
    contact (``app/contacts/canonical.py``), checked after opening.

The cryptography is the ``cryptography`` package's (OpenSSL); nothing is hand-written but
the choice of parameters, the JWK thumbprint (a few lines of RFC 7638) and the PEM splitting.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import click
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app
from flask import session as web_session
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock

KEY_BITS = 3072
PUBLIC_EXPONENT = 65537
ALGORITHM = "RSA-OAEP-256"  # the JWK "alg": RSA-OAEP with SHA-256 and MGF1-SHA-256
AAD_PREFIX = "cyswllt-seal-v1"
IV_BYTES = 12
SEAL_TOKEN = "seal_token"  # key in the (signed) session cookie: this sign-in's seal token
DEVELOPMENT_KEY_FILE = "sealing_keys.pem"
_PEM_BLOCK = re.compile(r"-----BEGIN (?:RSA )?PRIVATE KEY-----.+?-----END (?:RSA )?PRIVATE KEY-----", re.S)
_OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


class SealingKeyError(ValueError):
    """The configured keys cannot be used; the message says why."""


class Unopenable(Exception):
    """A sealed record the server cannot open; ``reason`` names which check failed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise Unopenable("encoding")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise Unopenable("encoding") from None


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


@dataclass(frozen=True)
class SealingKey:
    private_key: rsa.RSAPrivateKey

    @property
    def public_jwk(self) -> dict[str, str]:
        numbers = self.private_key.public_key().public_numbers()
        return {"kty": "RSA", "n": _b64url(_int_bytes(numbers.n)), "e": _b64url(_int_bytes(numbers.e))}

    @property
    def key_id(self) -> str:
        """The RFC 7638 thumbprint: SHA-256 of the required members in lexical order, no spaces."""
        canonical = json.dumps(self.public_jwk, sort_keys=True, separators=(",", ":"))
        return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())

    def published(self) -> dict[str, Any]:
        """The public key as the phone imports it (``crypto.subtle.importKey("jwk", …)``)."""
        return {**self.public_jwk, "alg": ALGORITHM, "use": "enc", "kid": self.key_id, "ext": True,
                "key_ops": ["wrapKey", "encrypt"]}


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[SealingKey, ...]

    @property
    def current(self) -> SealingKey:
        return self.keys[0]

    def find(self, key_id: str) -> SealingKey | None:
        return next((key for key in self.keys if key.key_id == key_id), None)


def generate_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_BITS)


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


@lru_cache(maxsize=8)
def parse_keys(text: str, source: str = "the sealing keys") -> KeyRing:
    """Every RSA private key in PEM text, the first one current.

    Cached: reading and checking a 3072-bit key takes about half a second, and every app
    made in a process (each test makes one) reads the same text.
    """
    keys = []
    for block in _PEM_BLOCK.findall(text or ""):
        try:
            key = serialization.load_pem_private_key(block.encode("ascii"), password=None)
        except (ValueError, TypeError) as error:
            raise SealingKeyError(f"{source}: a key could not be read ({error}).") from None
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SealingKeyError(f"{source}: every sealing key must be an RSA key.")
        if key.key_size < KEY_BITS:
            raise SealingKeyError(f"{source}: a sealing key has {key.key_size} bits; at least {KEY_BITS} are needed.")
        keys.append(SealingKey(key))
    if not keys:
        raise SealingKeyError(f"{source} holds no PEM private key.")
    return KeyRing(tuple(keys))


def add_key(path: Path, key: rsa.RSAPrivateKey) -> None:
    """Put ``key`` first in the PEM file at ``path`` (made, readable by its owner only), keeping the others."""
    old = path.read_text(encoding="ascii") if path.exists() else ""
    _write_private(path, private_pem(key) + old, replace=True)


def _write_private(path: Path, text: str, *, replace: bool) -> bool:
    """Write a file only its owner can read, all at once. With ``replace=False`` an existing file wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".sealing-")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(text)
        os.chmod(temporary, 0o600)
        if replace:
            os.replace(temporary, path)
            return True
        try:
            os.link(temporary, path)  # fails if another process made the file first
            return True
        except FileExistsError:
            return False
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def development_key_file(instance_path: str) -> Path:
    """The key made once for ``make run`` and the tests when none is configured."""
    path = Path(instance_path) / DEVELOPMENT_KEY_FILE
    if not path.exists():
        _write_private(path, private_pem(generate_private_key()), replace=False)
    return path


def load_keyring(config: Mapping[str, Any], instance_path: str) -> KeyRing:
    text = config.get("SEALING_KEYS")
    if text:
        return parse_keys(text, "SEALING_KEYS")
    configured = config.get("SEALING_KEYS_FILE")
    path = Path(configured) if configured else development_key_file(instance_path)
    try:
        content = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise SealingKeyError(f"SEALING_KEYS_FILE {path} cannot be read ({error}).") from None
    return parse_keys(content, f"SEALING_KEYS_FILE {path}")


def init_app(app: Flask) -> None:
    """Read the keys once, at start-up: a wrong key stops the app starting, not a sync later."""
    app.extensions["sealing"] = load_keyring(app.config, app.instance_path)


def keyring() -> KeyRing:
    return current_app.extensions["sealing"]


# Seal tokens -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def seal_token_for_this_sign_in(session: Session, user_id: int) -> str:
    """This sign-in's seal token: made (and its hash stored) the first time it is asked for.

    It is kept in the signed session cookie, which a new sign-in clears, so each sign-in has
    its own; the stored hash outlives the sign-in. A new token is committed at once.
    """
    from app.models import SealToken

    token = web_session.get(SEAL_TOKEN)
    if isinstance(token, str) and token:
        return token
    token = secrets.token_urlsafe(32)
    session.add(SealToken(user_id=user_id, token_sha256=token_hash(token), created_at=clock.now()))
    session.commit()  # stored before the phone can seal anything with it
    web_session[SEAL_TOKEN] = token
    return token


def users_of_tokens(session: Session, tokens: set[str]) -> dict[str, int]:
    """The user each of these seal tokens was issued to (unknown tokens are left out)."""
    from app.models import SealToken

    if not tokens:
        return {}
    by_hash = {token_hash(token): token for token in tokens}
    rows = session.execute(select(SealToken.token_sha256, SealToken.user_id).where(SealToken.token_sha256.in_(by_hash)))
    return {by_hash[digest]: user_id for digest, user_id in rows}


def session_answer(session: Session, user_id: int) -> dict[str, Any]:
    """What ``GET /api/v1/session`` says about sealing: the current key and this sign-in's token."""
    current = keyring().current
    return {"key_id": current.key_id, "algorithm": ALGORITHM, "public_key": current.published(),
            "seal_token": seal_token_for_this_sign_in(session, user_id)}


# Opening ---------------------------------------------------------------------------------


def additional_data(key_id: str, record_id: str) -> bytes:
    return f"{AAD_PREFIX}|{key_id}|{record_id}".encode()


def open_sealed(ring: KeyRing, record_id: str, sealed: Mapping[str, str]) -> tuple[Any, str | None]:
    """(the contact as sent inside the seal, its seal token) or ``Unopenable`` saying which check failed."""
    key = ring.find(sealed["key_id"])
    if key is None:
        raise Unopenable("unknown_key")
    wrapped, iv, ciphertext = (_unb64url(sealed[name]) for name in ("wrapped_key", "iv", "ciphertext"))
    if len(iv) != IV_BYTES:
        raise Unopenable("encoding")
    try:
        content_key = key.private_key.decrypt(wrapped, _OAEP)
    except ValueError:
        raise Unopenable("bad_seal") from None
    if len(content_key) != 32:
        raise Unopenable("bad_seal")
    try:
        plaintext = AESGCM(content_key).decrypt(iv, ciphertext, additional_data(key.key_id, record_id))
    except InvalidTag:
        raise Unopenable("bad_seal") from None
    try:
        opened = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Unopenable("bad_content") from None
    if not isinstance(opened, dict):
        raise Unopenable("bad_content")
    token = opened.get("seal_token")
    return opened.get("contact"), token if isinstance(token, str) and token else None


def seal(ring_key: SealingKey, record_id: str, contact: Mapping[str, Any], seal_token: str | None) -> dict[str, str]:
    """Seal a contact as the phone does (for tests and tools; the phone uses ``static/js/seal.js``)."""
    content_key = AESGCM.generate_key(bit_length=256)
    iv = os.urandom(IV_BYTES)
    plaintext = json.dumps({"contact": dict(contact), "seal_token": seal_token}, ensure_ascii=False).encode("utf-8")
    ciphertext = AESGCM(content_key).encrypt(iv, plaintext, additional_data(ring_key.key_id, record_id))
    return {
        "key_id": ring_key.key_id,
        "wrapped_key": _b64url(ring_key.private_key.public_key().encrypt(content_key, _OAEP)),
        "iv": _b64url(iv),
        "ciphertext": _b64url(ciphertext),
    }


# The command line: flask keys generate | list -------------------------------------------

@click.group("keys")
def keys_command() -> None:
    """The private keys that open records sealed on phones."""


@keys_command.command("generate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def generate_command(file: Path) -> None:
    """Make a new sealing key and put it first in FILE (made if missing, owner-only).

    The keys already in FILE stay, after it, so records sealed with them still open.
    """
    key = SealingKey(generate_private_key())
    add_key(file, key.private_key)
    ring = parse_keys(file.read_text(encoding="ascii"), str(file))
    click.echo(f"New sealing key {key.key_id} is first in {file} ({len(ring.keys)} key(s) in all).")
    click.echo("Point SEALING_KEYS_FILE at it on every app server and restart them.")


@keys_command.command("list")
def list_command() -> None:
    """The key ids this server can open, the current one (which seals new records) first."""
    for index, key in enumerate(keyring().keys):
        click.echo(f"{key.key_id}  {'seals new records' if index == 0 else 'opens older records'}")

"""Sealing: what a phone records is encrypted to the server's public key before it is stored.

The phone (``static/js/seal.js``, WebCrypto only) encrypts each record with AES-GCM-256
under a key only it and the server can know, so a lost phone reveals nothing of a record but
what the outbox shows (person, kind, time). Two ways to reach that key, named by ``alg``:

``ECDH-P256-HKDF-SHA256`` (keys made now)
    Ephemeral-static ECDH on P-256, as HPKE's DHKEM(P-256, HKDF-SHA256) does it: the phone
    makes a fresh key pair for each record, computes the shared secret with the server's
    P-256 public key, and derives the AES key from it with HKDF-SHA-256 (empty salt; the
    info binds the version label, the server key id, the record id and the ephemeral public
    key). It sends the ephemeral public key (``epk``, an uncompressed point) instead of a
    wrapped key. Opening costs the server one ECDH (about 0.05 ms of CPU) instead of an RSA
    private-key decryption (about 0.6 ms here; docs/deployment.md §10 has the figures).
``RSA-OAEP-256`` (keys made before; a seal without ``alg``)
    A fresh AES key, wrapped with the server's RSA-OAEP (SHA-256, 3072 bits or more) public
    key. Records sealed so before the switch still sit in phones' outboxes: they still open
    while their key is in the ring.

Keys
    ``SEALING_KEYS`` (PEM text) or ``SEALING_KEYS_FILE`` (a PEM file) holds one or more
    private keys: P-256 (EC) keys, and RSA keys of 3072 bits or more from before; anything
    else (another curve, a shorter RSA key) stops the app starting. The **first** seals new
    records (its public key is in the session answer); the others only open records sealed
    before a rotation. A key is named by its RFC 7638 JWK thumbprint, so the id cannot
    disagree with the key, and its type decides how a seal made with it is opened. Without
    either setting (development and tests) a key is made once and kept in
    ``instance/sealing_keys.pem``; production refuses to start without one
    (``app/config.py``). ``flask keys generate FILE`` makes one (P-256).

Seal tokens
    Each sign-in is given a random seal token (``GET /api/v1/session``); only its SHA-256 is
    kept (``SealToken``), for good: it outlives the sign-in, so that a record sealed under it
    is known to be that user's whoever sends it later, a leaver's included. It identifies,
    never authenticates: sending still needs a sign-in.

The envelope (``contract.SealedContactIn``)
    ``sealed.ciphertext`` is AES-GCM over the UTF-8 JSON ``{"contact": {…}, "seal_token": "…"}``,
    with the additional data ``cyswllt-seal-v2|<key_id>|<id>`` (ECDH; ``cyswllt-seal-v1|…``
    for RSA), so a sealed body cannot be moved under another record's id or key. ``content_sha256`` is the canonical hash of the
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
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import click
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app
from flask import session as web_session
from sqlalchemy import select

from app import clock
from app.extensions import DbSession

KEY_BITS = 3072
PUBLIC_EXPONENT = 65537
RSA_ALGORITHM = "RSA-OAEP-256"  # the JWK "alg": RSA-OAEP with SHA-256 and MGF1-SHA-256
ECDH_ALGORITHM = "ECDH-P256-HKDF-SHA256"  # ephemeral-static ECDH on P-256, HKDF-SHA-256 to an AES-256 key
ALGORITHMS = (ECDH_ALGORITHM, RSA_ALGORITHM)
AAD_PREFIX = {RSA_ALGORITHM: "cyswllt-seal-v1", ECDH_ALGORITHM: "cyswllt-seal-v2"}
IV_BYTES = 12
POINT_BYTES = 65  # an uncompressed P-256 point: 0x04, x, y
SEAL_TOKEN = "seal_token"  # key in the (signed) session cookie: this sign-in's seal token
DEVELOPMENT_KEY_FILE = "sealing_keys.pem"
_PEM_BLOCK = re.compile(r"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----.+?-----END (?:RSA |EC )?PRIVATE KEY-----", re.S)
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


PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class SealingKey:
    """A private key and what is worked out from it once (its id is looked up for every record opened)."""

    private_key: PrivateKey

    @cached_property
    def algorithm(self) -> str:
        return ECDH_ALGORITHM if isinstance(self.private_key, ec.EllipticCurvePrivateKey) else RSA_ALGORITHM

    @cached_property
    def public_jwk(self) -> dict[str, str]:
        """The members RFC 7638 hashes (and all WebCrypto needs), for either kind of key."""
        if isinstance(self.private_key, ec.EllipticCurvePrivateKey):
            point = self.private_key.public_key().public_numbers()
            return {"kty": "EC", "crv": "P-256", "x": _b64url(point.x.to_bytes(32, "big")),
                    "y": _b64url(point.y.to_bytes(32, "big"))}
        numbers = self.private_key.public_key().public_numbers()
        return {"kty": "RSA", "n": _b64url(_int_bytes(numbers.n)), "e": _b64url(_int_bytes(numbers.e))}

    @cached_property
    def key_id(self) -> str:
        """The RFC 7638 thumbprint: SHA-256 of the required members in lexical order, no spaces."""
        canonical = json.dumps(self.public_jwk, sort_keys=True, separators=(",", ":"))
        return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())

    def published(self) -> dict[str, Any]:
        """The public key as the phone imports it (``crypto.subtle.importKey("jwk", …)``).

        An EC key has no JWK ``alg``: JOSE's "ECDH-ES" names another key derivation (Concat
        KDF), not this one; ``algorithm`` in the session answer names ours.
        """
        if self.algorithm == ECDH_ALGORITHM:
            return {**self.public_jwk, "use": "enc", "kid": self.key_id, "ext": True}
        return {**self.public_jwk, "alg": RSA_ALGORITHM, "use": "enc", "kid": self.key_id, "ext": True,
                "key_ops": ["wrapKey", "encrypt"]}


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[SealingKey, ...]

    @property
    def current(self) -> SealingKey:
        return self.keys[0]

    def find(self, key_id: str) -> SealingKey | None:
        return self._by_id.get(key_id)

    @cached_property
    def _by_id(self) -> dict[str, SealingKey]:
        return {key.key_id: key for key in self.keys}


def generate_private_key() -> ec.EllipticCurvePrivateKey:
    """A new sealing key: P-256."""
    return ec.generate_private_key(ec.SECP256R1())


def generate_rsa_private_key() -> rsa.RSAPrivateKey:
    """A sealing key of the kind made before P-256 (tests of records sealed then, benchmarks)."""
    return rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_BITS)


def private_pem(key: PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


@lru_cache(maxsize=8)
def parse_keys(text: str, source: str = "the sealing keys") -> KeyRing:
    """Every private key in PEM text (P-256, or RSA of 3072 bits or more), the first one current.

    Cached: reading and checking a 3072-bit RSA key takes about half a second, and every app
    made in a process (each test makes one) reads the same text.
    """
    keys = []
    for block in _PEM_BLOCK.findall(text or ""):
        try:
            key = serialization.load_pem_private_key(block.encode("ascii"), password=None)
        except (ValueError, TypeError) as error:
            raise SealingKeyError(f"{source}: a key could not be read ({error}).") from None
        if isinstance(key, ec.EllipticCurvePrivateKey):
            if not isinstance(key.curve, ec.SECP256R1):
                raise SealingKeyError(f"{source}: a sealing key is on the curve {key.curve.name}; only P-256 (secp256r1) is used.")
            keys.append(SealingKey(key))
            continue
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SealingKeyError(f"{source}: every sealing key must be a P-256 key (or an RSA key made before).")
        if key.key_size < KEY_BITS:
            raise SealingKeyError(f"{source}: a sealing key has {key.key_size} bits; at least {KEY_BITS} are needed.")
        keys.append(SealingKey(key))
    if not keys:
        raise SealingKeyError(f"{source} holds no PEM private key.")
    return KeyRing(tuple(keys))


def add_key(path: Path, key: PrivateKey) -> None:
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


def seal_token_for_this_sign_in(session: DbSession, user_id: int) -> str:
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


def users_of_tokens(session: DbSession, tokens: set[str]) -> dict[str, int]:
    """The user each of these seal tokens was issued to (unknown tokens are left out)."""
    from app.models import SealToken

    if not tokens:
        return {}
    by_hash = {token_hash(token): token for token in tokens}
    rows = session.execute(select(SealToken.token_sha256, SealToken.user_id).where(SealToken.token_sha256.in_(by_hash)))
    return {by_hash[digest]: user_id for digest, user_id in rows}


def session_answer(session: DbSession, user_id: int) -> dict[str, Any]:
    """What ``GET /api/v1/session`` says about sealing: the current key and this sign-in's token."""
    current = keyring().current
    return {"key_id": current.key_id, "algorithm": current.algorithm, "public_key": current.published(),
            "seal_token": seal_token_for_this_sign_in(session, user_id)}


# Opening ---------------------------------------------------------------------------------


def additional_data(key_id: str, record_id: str, algorithm: str = RSA_ALGORITHM) -> bytes:
    return f"{AAD_PREFIX[algorithm]}|{key_id}|{record_id}".encode()


def kdf_info(key_id: str, record_id: str, epk: str) -> bytes:
    """HKDF's info: the version label, the server's key id, the record id and the ephemeral key (base64url)."""
    return f"{AAD_PREFIX[ECDH_ALGORITHM]}|{ECDH_ALGORITHM}|{key_id}|{record_id}|{epk}".encode()


def _derive(shared: bytes, key_id: str, record_id: str, epk: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=kdf_info(key_id, record_id, epk)).derive(shared)


def _content_key(key: SealingKey, record_id: str, sealed: Mapping[str, Any]) -> bytes:
    """The AES key of a seal, by the kind of the key it names (the seal's ``alg`` must agree)."""
    if (sealed.get("alg") or RSA_ALGORITHM) != key.algorithm:
        raise Unopenable("bad_seal")
    if isinstance(key.private_key, ec.EllipticCurvePrivateKey):
        epk = sealed.get("epk")
        if not epk:
            raise Unopenable("encoding")
        point = _unb64url(epk)
        if len(point) != POINT_BYTES:
            raise Unopenable("encoding")
        try:  # OpenSSL checks the point is on the curve
            ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
            shared = key.private_key.exchange(ec.ECDH(), ephemeral)
        except ValueError:
            raise Unopenable("bad_seal") from None
        return _derive(shared, key.key_id, record_id, epk)
    wrapped = sealed.get("wrapped_key")
    if not wrapped:
        raise Unopenable("encoding")
    try:
        content_key = key.private_key.decrypt(_unb64url(wrapped), _OAEP)
    except ValueError:
        raise Unopenable("bad_seal") from None
    if len(content_key) != 32:
        raise Unopenable("bad_seal")
    return content_key


def open_sealed(ring: KeyRing, record_id: str, sealed: Mapping[str, Any], member: str = "contact") -> tuple[Any, str | None]:
    """(the record as sent inside the seal, its seal token) or ``Unopenable`` saying which check failed.

    ``member`` is the kind of record the seal is read as: a contact is sealed as
    ``{"contact": ...}``, an arrangement as ``{"arrangement": ...}``, so one is never read as the other."""
    key = ring.find(sealed["key_id"])
    if key is None:
        raise Unopenable("unknown_key")
    iv, ciphertext = (_unb64url(sealed[name]) for name in ("iv", "ciphertext"))
    if len(iv) != IV_BYTES:
        raise Unopenable("encoding")
    content_key = _content_key(key, record_id, sealed)
    try:
        plaintext = AESGCM(content_key).decrypt(iv, ciphertext, additional_data(key.key_id, record_id, key.algorithm))
    except InvalidTag:
        raise Unopenable("bad_seal") from None
    try:
        opened = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Unopenable("bad_content") from None
    if not isinstance(opened, dict):
        raise Unopenable("bad_content")
    token = opened.get("seal_token")
    return opened.get(member), token if isinstance(token, str) and token else None


def seal(ring_key: SealingKey, record_id: str, contact: Mapping[str, Any], seal_token: str | None,
         member: str = "contact") -> dict[str, str]:
    """Seal a contact as the phone does (for tests and tools; the phone uses ``static/js/seal.js``).

    With an RSA key, the seal is made as phones made it before P-256 (no ``alg``).
    """
    iv = os.urandom(IV_BYTES)
    plaintext = json.dumps({member: dict(contact), "seal_token": seal_token}, ensure_ascii=False).encode("utf-8")
    public = ring_key.private_key.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        ephemeral = ec.generate_private_key(ec.SECP256R1())
        epk = _b64url(ephemeral.public_key().public_bytes(serialization.Encoding.X962,
                                                          serialization.PublicFormat.UncompressedPoint))
        content_key = _derive(ephemeral.exchange(ec.ECDH(), public), ring_key.key_id, record_id, epk)
        ciphertext = AESGCM(content_key).encrypt(iv, plaintext, additional_data(ring_key.key_id, record_id, ECDH_ALGORITHM))
        return {"alg": ECDH_ALGORITHM, "key_id": ring_key.key_id, "epk": epk, "iv": _b64url(iv),
                "ciphertext": _b64url(ciphertext)}
    content_key = AESGCM.generate_key(bit_length=256)
    ciphertext = AESGCM(content_key).encrypt(iv, plaintext, additional_data(ring_key.key_id, record_id))
    return {
        "key_id": ring_key.key_id,
        "wrapped_key": _b64url(public.encrypt(content_key, _OAEP)),
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
    """Make a new sealing key (P-256) and put it first in FILE (made if missing, owner-only).

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
        kind = "P-256" if isinstance(key.private_key, ec.EllipticCurvePrivateKey) else f"RSA-{key.private_key.key_size}"
        click.echo(f"{key.key_id}  {kind}  {'seals new records' if index == 0 else 'opens older records'}")

"""Configuration from environment variables, with safe defaults for development."""

import os
import secrets
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path

DEVELOPMENT_SECRET_KEYS = frozenset({"", "dev", "development", "changeme", "change-me", "secret"})


class ConfigurationError(RuntimeError):
    """The app refuses to start with an unsafe or incomplete configuration."""


def database_url(instance_path: str, environ: Mapping[str, str]) -> str:
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "cyswllt.db")
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whichever spelling the URL uses."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key(instance_path: str, production: bool, environ: Mapping[str, str]) -> str:
    key = environ.get("SECRET_KEY", "")
    if production:
        if key.strip().lower() in DEVELOPMENT_SECRET_KEYS or len(key) < 32:
            raise ConfigurationError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production."
            )
        return key
    if key:
        return key
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def integer(environ: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    """A whole number from the environment, or the default when it is not set."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}.")
    return value


def password_hash_profile(environ: Mapping[str, str], production: bool) -> str:
    from app.auth.passwords import DEFAULT_PROFILE, PROFILES

    profile = environ.get("PASSWORD_HASH_PROFILE", "").strip() or DEFAULT_PROFILE
    if profile not in PROFILES:
        raise ConfigurationError(f"PASSWORD_HASH_PROFILE must be one of {', '.join(PROFILES)}, not {profile!r}.")
    if production and profile == "cheapest":
        raise ConfigurationError("PASSWORD_HASH_PROFILE=cheapest is for tests only, never production.")
    return profile


def counting_processes(environ: Mapping[str, str], argv: list[str] | None = None) -> int:
    """How many processes count sign-in tries: app servers (APP_SERVERS) × gunicorn workers.

    The workers are read the way gunicorn reads them (its own parser): the command line when
    this process was started by gunicorn, then GUNICORN_CMD_ARGS, then WEB_CONCURRENCY.
    """
    from gunicorn.config import Config

    argv = sys.argv if argv is None else argv
    args = list(argv[1:]) if argv and Path(argv[0]).name.startswith("gunicorn") else []
    args += shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    parsed, _unknown = Config().parser().parse_known_args(args)
    workers = parsed.workers if parsed.workers is not None else integer(environ, "WEB_CONCURRENCY", 1, minimum=1)
    return integer(environ, "APP_SERVERS", 1, minimum=1) * max(int(workers), 1)


def rate_limit_storage(production: bool, environ: Mapping[str, str], argv: list[str] | None = None) -> str:
    """Where sign-in tries are counted. In production, per-process memory is refused as soon as
    more than one process counts: each would allow the full number of tries on its own."""
    uri = environ.get("RATELIMIT_STORAGE_URI", "").strip() or "memory://"
    if production and uri.startswith("memory://"):
        processes = counting_processes(environ, argv)
        if processes > 1:
            raise ConfigurationError(
                f"RATELIMIT_STORAGE_URI is memory:// but {processes} processes count sign-in tries "
                "(APP_SERVERS × gunicorn workers): each would count on its own. "
                "Point RATELIMIT_STORAGE_URI at one Redis for all of them."
            )
    return uri


def sealing_keys(production: bool, environ: Mapping[str, str]) -> dict:
    """Where the private keys that open sealed records are (app/sealing.py): PEM text in
    SEALING_KEYS, or a PEM file named by SEALING_KEYS_FILE. Development and tests without
    either get a key made once in the instance folder; production refuses to start."""
    text = environ.get("SEALING_KEYS", "").strip()
    path = environ.get("SEALING_KEYS_FILE", "").strip()
    if text and path:
        raise ConfigurationError("Set SEALING_KEYS or SEALING_KEYS_FILE, not both.")
    if production and not (text or path):
        raise ConfigurationError(
            "SEALING_KEYS_FILE (or SEALING_KEYS) must name the private keys that open sealed records in production: "
            "make one with `flask keys generate FILE`."
        )
    return {"SEALING_KEYS": text or None, "SEALING_KEYS_FILE": path or None}


def load(instance_path: str, environ: Mapping[str, str] | None = None, provided: Mapping | None = None) -> dict:
    """Settings from the environment; anything in ``provided`` (tests) is not looked up."""
    environ = os.environ if environ is None else environ
    provided = provided or {}
    production = provided.get("PRODUCTION", environ.get("CYSWLLT_ENV", "development") == "production")
    return {
        "PRODUCTION": production,
        "SECRET_KEY": provided.get("SECRET_KEY") or secret_key(instance_path, production, environ),
        "SQLALCHEMY_DATABASE_URI": provided.get("SQLALCHEMY_DATABASE_URI") or database_url(instance_path, environ),
        # hide_parameters: values (notes among them) never appear in SQL logs or error messages.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "LANGUAGES": ("en", "cy"),
        "SESSION_COOKIE_HTTPONLY": True,
        # Lax, not Strict: a link to a person's page opened from mail or a chat app arrives
        # signed in. Every change is a POST with a CSRF token, and Lax already keeps the
        # cookie off cross-site POSTs.
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": provided.get("RATELIMIT_STORAGE_URI") or rate_limit_storage(production, environ),
        # Off: the 429 handler sends the one Retry-After (the wait its page states), and the
        # X-RateLimit-* headers would tell a guesser how many tries are left.
        "RATELIMIT_HEADERS_ENABLED": False,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "MIN_PASSWORD_LENGTH": integer(environ, "MIN_PASSWORD_LENGTH", 12, minimum=12),
        # Argon2id's cost (app/auth/passwords.py), and how many hashes may run at once (0: one per core).
        "PASSWORD_HASH_PROFILE": password_hash_profile(environ, production),
        "PASSWORD_HASH_CONCURRENCY": integer(environ, "PASSWORD_HASH_CONCURRENCY", 0),
        # Error reports to Sentry (app/observability.py) only when this is set.
        "SENTRY_DSN": environ.get("SENTRY_DSN", "").strip() or None,
        # Where staff reach the service: the start of the one-time links `flask invite-user` prints.
        "PUBLIC_URL": environ.get("PUBLIC_URL", "").strip() or "http://127.0.0.1:5000",
        # Signed out after this many minutes without a request (0: never). See app/security/idle.py.
        "IDLE_TIMEOUT_MINUTES": integer(environ, "IDLE_TIMEOUT_MINUTES", 30),
        # The phone app locks after this many seconds without a touch (0: the idle timeout, or
        # 30 minutes without one); never later than the idle timeout. See static/js/lock.js.
        "APP_LOCK_SECONDS": integer(environ, "APP_LOCK_MINUTES", 0) * 60,
        # A sign-in ends this many hours after it began, whatever the activity (0: never).
        "SIGN_IN_MAX_AGE_HOURS": integer(environ, "SIGN_IN_MAX_AGE_HOURS", 24),
        # How many reverse proxies in front of the app set each X-Forwarded-* header (0: trust none).
        "PROXY_FIX_X_FOR": integer(environ, "PROXY_FIX_X_FOR", 0),
        "PROXY_FIX_X_PROTO": integer(environ, "PROXY_FIX_X_PROTO", 0),
        "PROXY_FIX_X_HOST": integer(environ, "PROXY_FIX_X_HOST", 0),
        "PROXY_FIX_X_PREFIX": integer(environ, "PROXY_FIX_X_PREFIX", 0),
        # The private keys that open records sealed on phones (app/sealing.py); the first seals.
        **({} if "SEALING_KEYS" in provided or "SEALING_KEYS_FILE" in provided else sealing_keys(production, environ)),
    }

"""Configuration from environment variables, with safe defaults for development."""

import os
import secrets
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
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "MIN_PASSWORD_LENGTH": integer(environ, "MIN_PASSWORD_LENGTH", 12, minimum=12),
        # Where staff reach the service: the start of the one-time links `flask invite-user` prints.
        "PUBLIC_URL": environ.get("PUBLIC_URL", "").strip() or "http://127.0.0.1:5000",
        # Signed out after this many minutes without a request (0: never). See app/security.py.
        "IDLE_TIMEOUT_MINUTES": integer(environ, "IDLE_TIMEOUT_MINUTES", 30),
        # A sign-in ends this many hours after it began, whatever the activity (0: never).
        "SIGN_IN_MAX_AGE_HOURS": integer(environ, "SIGN_IN_MAX_AGE_HOURS", 24),
        # How many reverse proxies in front of the app set each X-Forwarded-* header (0: trust none).
        "PROXY_FIX_X_FOR": integer(environ, "PROXY_FIX_X_FOR", 0),
        "PROXY_FIX_X_PROTO": integer(environ, "PROXY_FIX_X_PROTO", 0),
        "PROXY_FIX_X_HOST": integer(environ, "PROXY_FIX_X_HOST", 0),
        "PROXY_FIX_X_PREFIX": integer(environ, "PROXY_FIX_X_PREFIX", 0),
    }

"""Security headers on every response, and which answers may be cached at all.

A Content Security Policy with no inline code, no framing, no referrer beyond the site, no
powerful browser features, HSTS in production; ``CACHEABLE`` names the answers a browser may
keep, and everything else is ``no-store``.
"""

from __future__ import annotations

from flask import current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "payment", "usb",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: over HTTPS Flask-WTF refuses a write without a
    # same-site Referer (WTF_CSRF_SSL_STRICT), and other sites still learn nothing.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=63072000; includeSubDomains"


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("PRODUCTION"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in ("static", "static_unversioned"):  # app/assets.py sets their caching
        response.headers["Cache-Control"] = cache_policy(request.endpoint) if response.status_code < 400 else NO_STORE
    return response


# Answers that hold no personal data and that a browser may keep. Every other answer (pages,
# the API, CSV exports, errors) holds or may hold personal data and is no-store, whatever its
# view set: this table is the one place that decides. The caseload's ETag still works: the
# phone keeps its copy and the ETag in IndexedDB and sends If-None-Match itself (caseload.js).
CACHEABLE = {
    "api.openapi": "public, max-age=300",
    "pwa.shell": "no-cache",
    "pwa.shell_in": "no-cache",
    "pwa.service_worker": "no-cache",
    "pwa.script_catalogue": "no-cache",
    "pwa.manifest": "no-cache",
}
NO_STORE = "no-store"


def cache_policy(endpoint: str | None) -> str:
    return CACHEABLE.get(endpoint or "", NO_STORE)

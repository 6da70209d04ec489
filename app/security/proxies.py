"""ProxyFix, when the app runs behind reverse proxies (PROXY_FIX_X_*)."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def install_proxy_fix(app: Flask) -> None:
    counts = {
        name: app.config.get(f"PROXY_FIX_X_{name.upper()}", 0) or 0
        for name in ("for", "proto", "host", "prefix")
    }
    if any(counts.values()):
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
            app.wsgi_app,
            x_for=counts["for"],
            x_proto=counts["proto"],
            x_host=counts["host"],
            x_prefix=counts["prefix"],
        )

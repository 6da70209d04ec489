"""Security that applies to every request and response, one job per module:

- ``headers``: security headers and which answers may be cached (``CACHEABLE``);
- ``request_text``: refusing input no database can store (U+0000, lone surrogates);
- ``idle``: the idle timeout of a signed-in session;
- ``proxies``: ProxyFix behind reverse proxies;
- ``redaction``: notes redacted from every log record.

Who may do what is not here: that is ``app.permissions``.
"""

from __future__ import annotations

from flask import Flask

from app.security.headers import add_security_headers
from app.security.idle import end_idle_sign_in
from app.security.proxies import install_proxy_fix
from app.security.redaction import install_log_redaction
from app.security.request_text import refuse_unstorable_text


def init_app(app: Flask) -> None:
    install_proxy_fix(app)
    install_log_redaction()
    app.before_request(refuse_unstorable_text)
    app.before_request(end_idle_sign_in)
    app.after_request(add_security_headers)

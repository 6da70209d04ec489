"""Input no database can store, refused at the door with a 400 in the reader's language:
U+0000 in a query string or form, and JSON strings that are not Unicode text (lone surrogates)."""

from __future__ import annotations

import json
import re

from flask import abort, current_app, request
from flask_babel import lazy_gettext as _l

UNENCODABLE_TEXT = _l("Some text in the request has a character that is not valid Unicode. Nothing was stored:"
                      " remove the character and send it again.")


def refuse_unstorable_text():
    """PostgreSQL cannot store U+0000 in text, and no person types it: refuse it at the door
    (a 400 in the user's language) rather than fail deep inside with a server error."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
    return _refuse_unencodable_json()


# A JSON escape of a UTF-16 surrogate: the only way a JSON text can hold a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _refuse_unencodable_json():
    """A JSON body holding a string that is not Unicode text (a lone surrogate such as
    "\\ud800": valid JSON, but no database can store it and no answer can echo it) is refused
    whole, with a 400 in the user's language, before any view reads it: nothing is stored,
    and the phone's halving of a refused batch finds the one record at fault."""
    if request.mimetype != "application/json" or request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if (request.content_length or 0) > (current_app.config.get("MAX_CONTENT_LENGTH") or float("inf")):
        return None  # the reader answers 413
    data = request.get_data(cache=True)
    if not _SURROGATE_ESCAPE.search(data):
        return None  # the fast path: no escape that could make one
    from app.api import errors as api_errors

    try:
        json.dumps(json.loads(data), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        if api_errors.is_api_request():
            return api_errors.error_response(400, "unencodable_text", UNENCODABLE_TEXT)
        abort(400)
    except (ValueError, RecursionError):
        return None  # not JSON at all: the reader says so
    return None

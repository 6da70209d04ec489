"""Redaction of contact notes (and PostgreSQL's "Failing row contains" details) from every
log record, whichever logger writes it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

REDACTED = "[redacted]"
_NOTES = re.compile(
    r"""(?P<key>["']?\bnotes["']?\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,&;}\]]+)""",
    re.IGNORECASE,
)
# PostgreSQL's DETAIL for a failed CHECK or NOT NULL constraint prints the whole row.
_FAILING_ROW = re.compile(r"(Failing row contains ).*$", re.MULTILINE)


def redact(text: str) -> str:
    """The text with any notes value and any PostgreSQL row dump replaced by [redacted]."""
    text = _NOTES.sub(lambda match: match.group("key") + REDACTED, text)
    return _FAILING_ROW.sub(lambda match: match.group(1) + REDACTED, text)


def _redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it for logging to report
        return record
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters use exc_text when it is set: give them the redacted traceback.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    return record


def install_log_redaction() -> None:
    """Redact every log record at birth, whichever logger or handler deals with it later."""
    factory = logging.getLogRecordFactory()
    if isinstance(factory, _RedactingFactory):
        return
    logging.setLogRecordFactory(_RedactingFactory(factory))


class _RedactingFactory:
    """A log record factory that redacts what the one it wraps makes (installed once)."""

    def __init__(self, factory: Callable[..., logging.LogRecord]) -> None:
        self.factory = factory

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        return _redact_record(self.factory(*args, **kwargs))

"""The short reference an officer quotes for a record."""

from __future__ import annotations

import uuid


def short_reference(contact_id: uuid.UUID | str) -> str:
    """The record's first eight hex digits as a ten-digit number in three groups (``0195-264-190``).

    Digits only, so that it reads out the same over a radio or a phone in Welsh and in English.
    The phone derives the same from the id it made (``static/js/receipts.js``), so a record has
    its reference before it is sent. The full id stays the record's identity: this is only for
    quoting, and the contact's page shows it with the reference.
    """
    digits = f"{int(str(contact_id).replace('-', '')[:8], 16):010d}"
    return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"

"""The short reference an officer quotes for a record."""

from __future__ import annotations

import uuid


def short_reference(contact_id: uuid.UUID | str) -> str:
    """The first eight hex digits of the record's id, in two groups of four (``0B6F-3C1E``).

    The phone derives the same from the id it made (``static/js/receipts.js``), so a record
    has its reference before it is sent. The full id stays the record's identity: this is
    only for reading out, and the contact's page shows both.
    """
    digits = str(contact_id).replace("-", "").upper()
    return f"{digits[:4]}-{digits[4:8]}"

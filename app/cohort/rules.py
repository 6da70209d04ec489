"""The rules for a person's details: the one place the admit form and the CSV import check them.

Each ``clean_*`` function takes what was typed (or read from a file) and returns the
stored value, or raises ``Invalid`` with a message in the reader's language.

References (decided here, see ``docs`` in the README):

- **Delius CRN**: one letter and six digits (``X123456``); lower case is accepted and
  stored in capitals.
- **Niche/PNC reference**: either a PNC ID, ``YY/NNNNNNNC`` (two digits of the year, a
  slash, a serial number of up to seven digits, and a check letter; a four-digit year is
  accepted too), whose check letter must be right: the year's last two digits and the
  serial padded to seven digits, read as one number, modulo 23, index
  ``ZABCDEFGHJKLMNPQRTUVWXY``; it is stored as ``YY/NNNNNNNC``. Or a Niche nominal or
  occurrence reference: 4 to 20 letters and digits with at least one digit (forces
  number them differently; spaces and hyphens are dropped). Stored in capitals.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.domain.cohort import Y2A_MINIMUM_MONTHS, add_months
from app.domain.requirements import Category
from app.models import Agency, Rag

NAME_MAX = 120
TEXT_MAX = 2000

CRN = re.compile(r"^[A-Z][0-9]{6}$")
PNC = re.compile(r"^(?:[0-9]{2})?([0-9]{2})/([0-9]{1,7})([A-Z])$")
NICHE = re.compile(r"^(?=.*[0-9])[A-Z0-9]{4,20}$")
PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"

YES = {"yes", "y", "ie", "true", "1"}
NO = {"no", "n", "na", "false", "0", ""}

CATEGORY_WORDS = {"fixed": Category.FIXED, "sefydlog": Category.FIXED, "flex": Category.FLEX,
                  "hyblyg": Category.FLEX, "free": Category.FREE, "rhydd": Category.FREE}
RAG_WORDS = {"red": Rag.RED, "coch": Rag.RED, "amber": Rag.AMBER, "ambr": Rag.AMBER,
             "green": Rag.GREEN, "gwyrdd": Rag.GREEN}
AGENCY_WORDS = {"police": Agency.POLICE, "heddlu": Agency.POLICE, "probation": Agency.PROBATION,
                "prawf": Agency.PROBATION, "partner": Agency.PARTNER}


class Invalid(ValueError):
    """A value that cannot be stored; ``message`` is lazily translated."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


def clean_name(value: str | None) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise Invalid(_l("Enter the person's name."))
    if len(name) > NAME_MAX:
        raise Invalid(_l("The name must be 120 characters or fewer."))
    if "?" in name or "\ufffd" in name:
        # What Excel's plain CSV leaves of a ŵ or ŷ: refused rather than stored wrong.
        raise Invalid(_l("A name cannot contain a question mark. If the file came from Excel,"
                         " save it as \"CSV UTF-8\" so that letters such as ŵ and ŷ are kept."))
    return name


def clean_crn(value: str | None) -> str | None:
    """A Delius CRN in capitals, or None when left empty."""
    crn = (value or "").strip().upper()
    if not crn:
        return None
    if not CRN.match(crn):
        raise Invalid(_l("A Delius CRN is one letter and six digits, for example X123456."))
    return crn


def pnc_check_letter(year: str, serial: str) -> str:
    return PNC_CHECK_LETTERS[int(year + serial.rjust(7, "0")) % 23]


def clean_niche_ref(value: str | None) -> str | None:
    """A PNC ID (check letter checked) as ``YY/NNNNNNNC``, a Niche reference, or None."""
    reference = re.sub(r"[\s-]", "", (value or "").upper())
    if reference.startswith("PNC"):
        reference = reference[3:]
    if not reference:
        return None
    pnc = PNC.match(reference)
    if pnc:
        year, serial, letter = pnc.groups()
        if pnc_check_letter(year, serial) != letter:
            raise Invalid(_l("The check letter of this PNC ID is wrong. Check the PNC ID and try again."))
        return f"{year}/{serial.rjust(7, '0')}{letter}"
    if "/" not in reference and NICHE.match(reference):
        return reference
    raise Invalid(_l("Enter a PNC ID such as 22/0123456A, or a Niche reference of 4 to 20 letters and digits."))


def clean_references(crn: str | None, niche_ref: str | None) -> None:
    if crn is None and niche_ref is None:
        raise Invalid(_l("Enter a Delius CRN or a Niche or PNC reference, so that the person can be found."))


def _choice(value: str | None, words: dict, message):
    found = words.get((value or "").strip().casefold())
    if found is None:
        raise Invalid(message)
    return found


def clean_category(value: str | None) -> Category:
    return _choice(value, CATEGORY_WORDS, _l("The category must be Fixed, Flex or Free."))


def clean_rag(value: str | None) -> Rag:
    return _choice(value, RAG_WORDS, _l("The RAG status must be red, amber or green."))


def clean_agency(value: str | None) -> Agency:
    return _choice(value, AGENCY_WORDS, _l("The lead agency must be police, probation or partner."))


def clean_flag(value: str | None) -> bool:
    word = (value or "").strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise Invalid(_l("Write yes or no (ie or na, true or false, 1 or 0)."))


def clean_date(value: str | None) -> date:
    """YYYY-MM-DD or DD/MM/YYYY."""
    text = (value or "").strip()
    if not text:
        raise Invalid(_l("Enter the date the person joined the cohort."))
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise Invalid(_l("Enter a real date as YYYY-MM-DD or DD/MM/YYYY, for example 2026-11-23."))


def clean_joined_on(joined_on: date, today: date) -> date:
    if joined_on > today:
        raise Invalid(_l("The date joined cannot be in the future."))
    return joined_on


def y2a_minimum_end(joined_on: date) -> date:
    """The earliest end of a Y2A person's minimum time on IOM."""
    return add_months(joined_on, Y2A_MINIMUM_MONTHS)


def clean_y2a_end(y2a: bool, joined_on: date | None, end: date | None) -> date | None:
    """The end of the Y2A minimum: three months from joining unless a later date is given."""
    if not y2a or joined_on is None:
        return None
    earliest = y2a_minimum_end(joined_on)
    if end is None:
        return earliest
    if end < earliest:
        raise Invalid(_l("The Y2A minimum cannot end less than three months after the person joined."))
    return end


def clean_text(value: str | None, message_if_empty=None) -> str | None:
    text = (value or "").strip()
    if not text:
        if message_if_empty is not None:
            raise Invalid(message_if_empty)
        return None
    if len(text) > TEXT_MAX:
        raise Invalid(_l("Keep this to 2,000 characters or fewer."))
    return text

"""Form fields shared by every form that asks for a date: the one date field type.

``CalendarDateField`` reads YYYY-MM-DD (what a browser's date picker sends). White space
alone is an empty answer, so ``InputRequired`` asks for the date and ``Optional`` lets it
be; a date outside the calendar the app works in (``app/inputs.py``: 2000 to 2099) is
refused with a message in the reader's language rather than stored or computed on.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField

from app import inputs

NOT_A_DATE = _l("Enter a real date, for example 23/11/2026.")


class CalendarDateField(DateField):
    def process_formdata(self, valuelist):
        if not valuelist or inputs.is_blank(valuelist[0]):
            self.raw_data = []  # nothing entered, as far as the validators are concerned
            self.data = None
            return
        try:
            self.data = date.fromisoformat(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(str(self.invalid_value_message or NOT_A_DATE)) from None
        if not inputs.in_calendar(self.data):
            self.data = None
            raise ValueError(str(_l("Enter a date from %(first)s to %(last)s.", first=inputs.FIRST_DAY.isoformat(),
                                    last=inputs.LAST_DAY.isoformat())))

"""Which phones come first: the 48-hour and 7-day rules, as plain functions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.domain.devices import PhoneState, Worry, in_order, unsent_age, worry

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


def phone(unsent: int, held_for: timedelta | None, not_seen_for: timedelta) -> PhoneState:
    return PhoneState(unsent, None if held_for is None else NOW - held_for, NOW - not_seen_for)


def test_a_phone_holding_a_record_for_just_over_48_hours_is_a_worry_and_for_48_hours_exactly_is_not():
    assert worry(phone(1, timedelta(hours=48, seconds=1), timedelta(0)), NOW) is Worry.UNSENT_TOO_LONG
    assert worry(phone(1, timedelta(hours=48), timedelta(0)), NOW) is None


def test_a_phone_not_seen_for_7_days_is_a_worry_only_while_it_holds_records():
    assert worry(phone(2, timedelta(hours=1), timedelta(days=7)), NOW) is Worry.NOT_SEEN_TOO_LONG
    assert worry(phone(2, timedelta(hours=1), timedelta(days=7) - timedelta(seconds=1)), NOW) is None
    assert worry(phone(0, None, timedelta(days=30)), NOW) is None


def test_a_phone_that_holds_records_but_did_not_say_since_when_warns_only_when_not_seen():
    assert worry(phone(3, None, timedelta(days=2)), NOW) is None
    assert worry(phone(3, None, timedelta(days=8)), NOW) is Worry.NOT_SEEN_TOO_LONG


def test_the_unsent_age_is_never_negative_and_none_when_nothing_is_unsent():
    assert unsent_age(phone(1, -timedelta(minutes=5), timedelta(0)), NOW) == timedelta(0)
    assert unsent_age(phone(0, timedelta(days=3), timedelta(0)), NOW) is None
    assert unsent_age(phone(1, timedelta(days=3), timedelta(0)), NOW) == timedelta(days=3)


def test_worries_come_first_the_longest_held_first_then_the_rest_by_name_newest_seen_first():
    phones = {
        "calm, Anwen": phone(0, None, timedelta(hours=1)),
        "calm, Bryn, older": phone(1, timedelta(hours=2), timedelta(days=2)),
        "calm, Bryn, newer": phone(0, None, timedelta(hours=3)),
        "held 3 days": phone(1, timedelta(days=3), timedelta(days=3)),
        "held 5 days": phone(4, timedelta(days=5), timedelta(hours=1)),
        "not seen 8 days": phone(1, timedelta(hours=1), timedelta(days=8)),
    }
    names = {"calm, Anwen": "Anwen", "calm, Bryn, older": "Bryn", "calm, Bryn, newer": "Bryn",
             "held 3 days": "Zed", "held 5 days": "Zed", "not seen 8 days": "Aaron"}
    ordered = in_order(phones, NOW, state=phones.__getitem__, name_key=names.__getitem__)
    assert ordered == ["held 5 days", "held 3 days", "not seen 8 days",
                       "calm, Anwen", "calm, Bryn, newer", "calm, Bryn, older"]

"""The working-day calendar of New Caledonia."""

from datetime import date, timedelta

import pytest
from dateutil.easter import easter

from dpti.core.calendar import (
    add_working_days,
    is_public_holiday,
    is_working_day,
    public_holidays,
    working_days_between,
)


def expected_holidays_2025():
    """The DOMAIN.md list for 2025, Easter-related dates computed from Easter Sunday."""
    easter_sunday = easter(2025)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (9, 24), (11, 1), (11, 11), (12, 25)]
    movable = [
        easter_sunday + timedelta(days=1),  # Easter Monday
        easter_sunday + timedelta(days=39),  # Ascension Thursday
        easter_sunday + timedelta(days=50),  # Whit Monday
    ]
    return sorted([date(2025, month, day) for month, day in fixed] + movable)


def test_new_caledonian_holidays_2025_are_exactly_the_domain_list():
    """The twelve public holidays of 2025 are those of DOMAIN.md, no more, no less."""
    expected = expected_holidays_2025()
    assert expected[1] == date(2025, 4, 21)  # the hand computation agrees with the calendar
    assert list(public_holidays(2025)) == expected
    assert all(is_public_holiday(day) for day in expected)


def test_citizenship_day_and_ascension_are_not_working_days():
    """24 September (Wednesday in 2025) and Ascension (Thursday 29 May) are days off."""
    assert not is_working_day(date(2025, 9, 24))
    assert not is_working_day(date(2025, 5, 29))
    assert is_working_day(date(2025, 9, 23))


def test_weekends_are_not_working_days():
    """Saturdays and Sundays never count; an ordinary Monday does."""
    assert not is_working_day(date(2025, 3, 8))
    assert not is_working_day(date(2025, 3, 9))
    assert is_working_day(date(2025, 3, 10))


def test_extra_closures_are_days_off():
    """A bridge day given as a closure is not a working day."""
    bridge = date(2025, 5, 30)  # the Friday after Ascension
    assert is_working_day(bridge)
    assert not is_working_day(bridge, closures={bridge})
    assert add_working_days(date(2025, 5, 28), 1, closures={bridge}) == date(2025, 6, 2)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 4, 17), 1, date(2025, 4, 18)),  # Thursday → Good Friday (worked in NC)
        (date(2025, 4, 18), 1, date(2025, 4, 22)),  # over the weekend and Easter Monday
        (date(2025, 5, 7), 1, date(2025, 5, 9)),  # over 8 May
        (date(2025, 12, 24), 2, date(2025, 12, 29)),  # over Christmas and the weekend
        (date(2025, 4, 22), -1, date(2025, 4, 18)),  # backwards over Easter Monday
        (date(2025, 3, 8), 0, date(2025, 3, 8)),  # zero days: the start itself
    ],
)
def test_add_working_days_skips_weekends_and_holidays(start, days, expected):
    """Adding working days jumps over weekends and public holidays, both ways."""
    assert add_working_days(start, days) == expected


def test_working_days_between_counts_days_after_start_up_to_end():
    """The count excludes the start and includes the end; it is the inverse of adding."""
    # April 2025: 22 weekdays, one of which (Easter Monday 21st) is a holiday.
    assert working_days_between(date(2025, 3, 31), date(2025, 4, 30)) == 21
    assert working_days_between(date(2025, 4, 30), date(2025, 3, 31)) == -21
    assert working_days_between(date(2025, 4, 1), date(2025, 4, 1)) == 0
    start = date(2025, 12, 19)
    for days in (1, 5, 30):
        assert working_days_between(start, add_working_days(start, days)) == days

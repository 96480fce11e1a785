"""The working-day calendar: public holidays of New Caledonia, working days, date arithmetic.

Service-level clocks, payment delays and notice periods count working days, not calendar
days. A working day is a Monday to Friday that is not a public holiday of the country set in
`settings.DPTI["HOLIDAY_COUNTRY"]` ("NC": New Caledonia, as given by the `holidays` package:
1 January, Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 July, 15 August,
24 September, 1 November, 11 November, 25 December).

Every function takes an optional `closures` collection of extra closed dates (bridge days,
exceptional closures) so that local closures kept as data can be added without touching this
module.

Counting conventions (they make the two main functions inverse of each other):

- `add_working_days(start, n)` moves n working days forward (n < 0: backward), counting the
  days *after* `start`; `start` itself never counts, so `add_working_days(d, 0) == d`.
- `working_days_between(a, b)` counts the working days d with a < d <= b (negative when b is
  before a); hence `working_days_between(d, add_working_days(d, n)) == n`.
"""

from datetime import datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings

SATURDAY = 5


def holiday_country():
    """The country code whose public holidays apply (settings.DPTI["HOLIDAY_COUNTRY"])."""
    return settings.DPTI.get("HOLIDAY_COUNTRY", "NC")


@lru_cache(maxsize=64)
def _holidays_of_year(country, year):
    """{date: name} of one year; cached because the rules are computed, not stored."""
    return dict(holidays.country_holidays(country, years=year))


def public_holidays(year, country=None):
    """{date: name} of the public holidays of a year, sorted by date."""
    found = _holidays_of_year(country or holiday_country(), year)
    return dict(sorted(found.items()))


def is_public_holiday(day, country=None):
    """Whether the date is a public holiday."""
    return day in _holidays_of_year(country or holiday_country(), day.year)


def is_working_day(day, closures=(), country=None):
    """Whether the date is a working day: Monday to Friday, not a holiday, not a closure."""
    if isinstance(day, datetime):
        day = day.date()  # a datetime counts for its calendar day
    return day.weekday() < SATURDAY and not is_public_holiday(day, country) and day not in closures


def add_working_days(start, n, closures=(), country=None):
    """The date n working days after `start` (before it when n is negative).

    `start` itself is not counted: with a Friday start, one working day later is the
    following Monday (or Tuesday when Monday is a holiday).
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, closures, country):
            remaining -= 1
    return day


def working_days_between(start, end, closures=(), country=None):
    """The number of working days d with start < d <= end (negative when end < start)."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    count = 0
    day = low + timedelta(days=1)
    while day <= high:
        if is_working_day(day, closures, country):
            count += 1
        day += timedelta(days=1)
    return sign * count

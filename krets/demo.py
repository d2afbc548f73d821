"""What every app's demo.py shares: which rows are the demo's, and the demo's calendar.

The demo keeps 2023 (the year of the operating plan) as history and lives in today's year, so that
loading it on any date shows this year's work. Dates of this year are built here, relative to
today and clamped into the year, so that loading on 1 January or on 31 December works too.

The core imports no app: the members' marker (`members.demo.demo_members`) is built on
`DEMO_DOMAIN` below."""

import datetime

from django.utils import timezone

# Every demo person's address is at example.org, a domain reserved for examples (RFC 2606): no
# real member can receive mail there, so a member with such an address is the demo's.
DEMO_DOMAIN = "example.org"
HISTORY_YEAR = 2023  # the operating plan's year, kept as the annual report's history


def demo_today() -> datetime.date:
    return timezone.localdate()


def demo_year() -> int:
    """The year the demo lives in: today's."""
    return demo_today().year


def in_year(month: int, day: int, year: int | None = None) -> datetime.date:
    return datetime.date(year or demo_year(), month, day)


def clamp_to_year(day: datetime.date, year: int | None = None) -> datetime.date:
    """`day`, moved into the demo's year if it falls outside it."""
    year = year or demo_year()
    return min(max(day, datetime.date(year, 1, 1)), datetime.date(year, 12, 31))


def days_from_today(days: int) -> datetime.date:
    """Today plus `days`, kept inside this year (loading on 31 December stays in the year)."""
    return clamp_to_year(demo_today() + datetime.timedelta(days=days))


def within_this_month(day: datetime.date) -> datetime.date:
    """`day`, moved into the current month if it falls outside it: tasks dated this month."""
    today = demo_today()
    first = today.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return min(max(day, first), last)


def past_months(count: int) -> list[datetime.date]:
    """The first day of each month of this year before the current one, the latest `count`."""
    today = demo_today()
    return [datetime.date(today.year, m, 1) for m in range(1, today.month)][-count:]

"""Swedish formats for templates: `{{ amount|money }}` → `1 234,50 kr`, `{{ day|sv_date }}` →
`13 dec 2026`, `|sv_day` → `5 okt`, `|sv_datetime` → `sön 13 dec 2026 18:30`,
`{{ e164|phone }}` → `070-123 45 67`. Dates follow krets/formats/sv/formats.py."""

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers
from django import template
from django.utils import formats, timezone, translation

register = template.Library()


def format_money(value, *, unit: bool = True) -> str:
    """`1234.5` → `1 234,50 kr`: a space between thousands, a decimal comma, two decimals."""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = f"{sign}{' '.join(groups)},{cents}"
    return f"{text} kr" if unit else text


@register.filter
def money(value) -> str:
    if value is None or value == "":
        return ""
    return format_money(value)


def _local(value):
    """A datetime in Europe/Stockholm (aware ones converted); a date as it is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value):
    value = _local(value)
    return value.date() if isinstance(value, datetime.datetime) else value


@register.filter
def sv_date(value) -> str:
    """`2026-12-13` → `13 dec 2026` (the day in Europe/Stockholm for a datetime)."""
    if not value:
        return ""
    return _date_format(_day(value), "DATE_FORMAT", translation.get_language())


# A page of 50 members formats 50 dates and 50 numbers: both were a sixth of the member list's
# time (issue 14, the load benchmark). Keyed by the language, as the formats depend on it.
@functools.lru_cache(maxsize=4096)
def _date_format(day: datetime.date, fmt: str, language: str | None) -> str:
    return formats.date_format(day, fmt)


@register.filter
def sv_day(value) -> str:
    """`2026-10-05` → `5 okt`: day and month, for when the year is plain."""
    if not value:
        return ""
    return formats.date_format(_day(value), "MONTH_DAY_FORMAT")


@register.filter
def sv_datetime(value) -> str:
    """`sön 13 dec 2026 18:30`: weekday, day, month, year and Swedish time."""
    if not value:
        return ""
    value = _local(value)
    return f"{formats.date_format(value, 'D')} {formats.date_format(value, 'DATETIME_FORMAT')}"


@register.filter
def sv_time(value) -> str:
    """`18:30` in Swedish time."""
    if not value:
        return ""
    return formats.time_format(_local(value), "TIME_FORMAT")


@register.filter
def phone(value) -> str:
    """An E.164 number shown the Swedish way for Swedish numbers: `070-123 45 67`."""
    if not value:
        return ""
    return _phone(value)


@functools.lru_cache(maxsize=4096)
def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException:
        return value
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(
        number, style.NATIONAL if number.country_code == 46 else style.INTERNATIONAL
    )

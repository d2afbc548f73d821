"""Swedish formats for templates: `{{ amount|money }}` → `1 234,50 kr`, `{{ day|sv_date }}`,
`{{ e164|phone }}` → `070-123 45 67`."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers
from django import template
from django.utils import formats

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


@register.filter
def sv_date(value) -> str:
    """`2023-03-14` → `14 mars 2023` (the day in Europe/Stockholm for a datetime)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "j F Y")


@register.filter
def phone(value) -> str:
    """An E.164 number shown the Swedish way for Swedish numbers: `070-123 45 67`."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException:
        return value
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(
        number, style.NATIONAL if number.country_code == 46 else style.INTERNATIONAL
    )

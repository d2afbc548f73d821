"""Input checks shared by the registry form, the import and self-service."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def phone_normalise(value: str) -> str:
    """A phone number as E.164 (`+46701234567`); Swedish input like `070-123 45 67` accepted."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(value)s är inte ett giltigt telefonnummer.") % {"value": value}, code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

"""Money as Swedes type it, in one field every form with an amount uses.

Read as 1 200,50 kr: `1 200,50`, `1200,50`, `1 200,50 kr`, `1200.50`, `1.200,50`, `1 200,50 SEK`,
`1 200:-`; thousands may be grouped with a space, a no-break space (U+00A0), a narrow no-break
space (U+202F) or a thin space (U+2009), the way word processors and banks' web pages copy them.

The rules, so that no amount is ever read as a hundred times what was meant:
- The decimal separator is a comma or a point followed by one or two digits.
- With both a point and a comma, the last one is the decimal separator and the other groups
  thousands (`1.200,50` and `1,200.50` are both 1 200,50 kr: neither can mean anything else).
- A single point or comma followed by exactly three digits (`1.200`, `1,200`, `12.345`) is
  ambiguous, a thousands separator to one person and three decimals to another: refused with
  a message asking for the amount without it.
- Thousands groups have exactly three digits (`12,345,6` and `1 20 000` are refused).
- More than two decimals, letters, signs where no negative amount is allowed: refused.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from krets.templatetags.krets_format import format_money

SPACES = " \u00a0\u202f\u2009"
_UNIT = re.compile(r"^(?:kr\.?|sek)\s*|\s*(?:kr\.?|sek|:-|,-|\.-)$", re.IGNORECASE)
_SPACE_GROUPED = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+")


class MoneyError(ValueError):
    """Input that is not an amount; the message is Swedish and says what to type instead."""


def parse_money(text: str, *, allow_negative: bool = False) -> Decimal:
    """`"1 200,50 kr"` → `Decimal("1200.50")`, or MoneyError with a Swedish message."""
    value = str(text).strip().translate({ord(c): " " for c in SPACES})
    value = re.sub(r" +", " ", value)
    negative = False
    if value[:1] in {"-", "\u2212"}:
        negative, value = True, value[1:].strip()
    for _repeat in range(2):  # "SEK 1 200" and "1 200 kr", "-1 200 kr"
        value = _UNIT.sub("", value).strip()
    if value[:1] in {"-", "\u2212"} and not negative:
        negative, value = True, value[1:].strip()
    if not value:
        raise MoneyError(_("Skriv ett belopp i kronor, till exempel 1 200,50."))
    if not re.fullmatch(r"[0-9 .,]+", value) or not re.search(r"[0-9]", value):
        raise MoneyError(_("Skriv beloppet med siffror, till exempel 1 200,50."))
    whole, decimals = _split(value)
    if " " in whole:
        if not _SPACE_GROUPED.fullmatch(whole):
            raise MoneyError(_("Tusental skrivs i grupper om tre siffror, till exempel 12 500."))
        whole = whole.replace(" ", "")
    try:
        amount = Decimal(f"{whole or '0'}.{decimals or '0'}")
    except InvalidOperation:
        raise MoneyError(_("Skriv beloppet med siffror, till exempel 1 200,50.")) from None
    if negative and amount:
        if not allow_negative:
            raise MoneyError(_("Beloppet kan inte vara negativt."))
        amount = -amount
    return amount.quantize(Decimal("0.01"))


def _split(value: str) -> tuple[str, str]:
    """(whole part with any space grouping, decimals) of digits, spaces, points and commas."""
    marks = [c for c in value if c in ".,"]
    if not marks:
        return value, ""
    if value.endswith((".", ",")) or " " in value.rsplit(marks[-1], 1)[1]:
        raise MoneyError(_("Skriv beloppet med siffror, till exempel 1 200,50."))
    last = marks[-1]
    head, tail = value.rsplit(last, 1)
    thousands = [m for m in marks[:-1]]
    if len(set(marks)) == 1 and len(marks) > 1:
        # "1.200.000" or "1,200,000": only a thousands separator repeats.
        head, tail = value, ""
        thousands = marks
        last = None
    if thousands:
        separator = thousands[0]
        if any(m != separator for m in thousands) or " " in head:
            raise MoneyError(_("Beloppet kunde inte läsas. Skriv det som 1 200,50."))
        groups = head.split(separator)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise MoneyError(_("Beloppet kunde inte läsas. Skriv det som 1 200,50."))
        head = "".join(groups)
    if last is None:
        return head, ""
    if len(tail) == 3 and not thousands and re.fullmatch(r"[1-9][0-9]{0,2}", head):
        raise MoneyError(
            _(
                "”%(value)s” kan läsas både som tusental och som decimaler. Skriv %(plain)s "
                "för %(thousands)s kronor, och ören med decimalkomma, till exempel 1 200,50."
            )
            % {
                "value": value,
                "plain": head + tail,
                "thousands": format_money(Decimal(head + tail), unit=False)[:-3],
            }
        )
    if len(tail) > 2:
        raise MoneyError(_("Högst två decimaler (ören), till exempel 1 200,50."))
    return head, tail


def format_money_input(value) -> str:
    """`Decimal("1200.5")` → `1 200,50`: the value an amount field shows, whatever the language."""
    if value in (None, ""):
        return ""
    return format_money(value, unit=False) or str(value)


class MoneyInput(forms.TextInput):
    """A text input with the decimal keyboard on phones: never `<input type=number>`, which
    refuses the decimal comma in some browsers and silently drops it in others."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, str):
            return value or None  # what the user typed, shown back as typed
        return format_money_input(value) or None


class MoneyField(forms.DecimalField):
    """An amount in kronor as Swedes type it (see the module's rules); at most two decimals."""

    widget = MoneyInput
    default_error_messages = {
        "max_digits": _("Beloppet är för stort."),
        "max_whole_digits": _("Beloppet är för stort."),
        "max_decimal_places": _("Högst två decimaler (ören), till exempel 1 200,50."),
    }

    def __init__(self, *, max_digits=12, decimal_places=2, allow_negative=False, **kwargs):
        self.allow_negative = allow_negative
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        # Limits said the Swedish way ("minst 0,01 kr"), not as Python prints a Decimal.
        for validator in self.validators:
            if isinstance(validator, MinValueValidator):
                validator.message = _("Beloppet måste vara minst %(limit)s kr.") % {
                    "limit": format_money_input(validator.limit_value)
                }
            elif isinstance(validator, MaxValueValidator):
                validator.message = _("Beloppet får vara högst %(limit)s kr.") % {
                    "limit": format_money_input(validator.limit_value)
                }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_money(str(value), allow_negative=self.allow_negative)
        except MoneyError as error:
            raise ValidationError(str(error), code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and value < 0 and not self.allow_negative:
            raise ValidationError(_("Beloppet kan inte vara negativt."), code="negative")


# For a ModelAdmin's formfield_overrides: the admin's forms take amounts the same way.
MONEY_FORMFIELDS = {models.DecimalField: {"form_class": MoneyField}}

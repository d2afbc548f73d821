"""Reading query parameters without a 500: a malformed value falls back to the default and the
person is told so in Swedish. One place, so every view reads numbers, years and dates alike."""

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.utils.translation import gettext as _

# Years the portal has anything to show for; outside them `datetime` or the database overflow.
MIN_YEAR = 1900
MAX_YEAR = 2100


def _refuse(request, name: str) -> None:
    if hasattr(request, "_messages"):
        messages.warning(
            request,
            _("Värdet för ”%(name)s” kunde inte läsas; standardvärdet visas i stället.")
            % {"name": name},
        )


def int_param(
    request,
    name: str,
    default: int | None,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
    source=None,
) -> int | None:
    """An integer within [min_value, max_value], or `default` (with a message) when the value is
    there but not such an integer. `source` is request.GET unless given (e.g. request.POST)."""
    raw = (request.GET if source is None else source).get(name, "")
    raw = raw.strip() if isinstance(raw, str) else raw
    if raw in ("", None):
        return default
    # Digits only, at most 18 of them: no "1e400", "NaN", "1.5" or a number the database refuses.
    text = str(raw)
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
        _refuse(request, name)
        return default
    value = int(text)
    if (min_value is not None and value < min_value) or (
        max_value is not None and value > max_value
    ):
        _refuse(request, name)
        return default
    return value


def year_param(
    request,
    default: int | None | Callable[[], int | None],
    name: str = "ar",
    *,
    source=None,
) -> int | None:
    """A calendar year the portal can work with, or `default`. Without `source` the year is read
    from the query string, else from a posted form (a year picker posts its `ar`). `default` may
    be a callable, called only when the year is missing or malformed (it may cost a query)."""
    if source is None:
        source = request.GET if request.GET.get(name, "").strip() else request.POST
    value = int_param(request, name, None, min_value=MIN_YEAR, max_value=MAX_YEAR, source=source)
    if value is not None:
        return value
    return default() if callable(default) else default


def date_param(request, name: str, default: datetime.date | None) -> datetime.date | None:
    """An ISO date (2023-03-01) that exists, or `default` (with a message when malformed)."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    try:
        value = datetime.date.fromisoformat(raw)
    except ValueError:
        _refuse(request, name)
        return default
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        _refuse(request, name)
        return default
    return value

"""Reading the common query parameters of the portal's pages."""

from collections.abc import Callable


def year_param(request, default: Callable[[], int]) -> int:
    """The year a page shows: `?ar=` (or a form's `ar`), else `default()` when it is missing
    or not a number."""
    try:
        return int(request.GET.get("ar") or request.POST.get("ar"))
    except (TypeError, ValueError):
        return default()

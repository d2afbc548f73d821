"""Logging every read of member data, in one place (issue 13 item 3).

A view that shows or exports personal data says so with `@reads_personal_data("member_list")`;
`ReadLogMiddleware` then writes one audit entry per successful response: which view, the filter's
query-string *keys* (never their values: a search term may be a name), how many rows the view
showed (the view calls `note_rows`), and the row it showed (`note_object`: content type + id).
No free text about a person reaches the log.
"""

from collections.abc import Callable

from django.db import models

from .audit import Action, audit_record

ATTRIBUTE = "krets_reads_personal_data"


def reads_personal_data(what: str, *, export: bool = False) -> Callable:
    """Mark a view as reading member data; the middleware logs each response it gives."""

    def mark(view):
        setattr(view, ATTRIBUTE, (what, export))
        return view

    return mark


def note_rows(request, rows: int) -> None:
    """The number of people the response shows (a list page's page, an export's rows)."""
    request.krets_read_rows = rows


def note_object(request, obj: models.Model, *, target: str = "") -> None:
    """The one row the response shows (a member page, an invoice); `target` is how the log
    names it (a member: "medlem:<id>", which survives anonymisation)."""
    request.krets_read_object = obj
    request.krets_read_target = target


def object_ref(obj: models.Model) -> dict:
    return {"model": obj._meta.label_lower, "id": obj.pk}


def log_read(request, what: str, *, export: bool = False) -> None:
    detail = {"read": what}
    keys = sorted(key for key in request.GET.keys() if request.GET.get(key, "") != "")
    if keys:
        detail["filter"] = keys
    rows = getattr(request, "krets_read_rows", None)
    if rows is not None:
        detail["rows"] = rows
    obj = getattr(request, "krets_read_object", None)
    target = ""
    if obj is not None:
        detail.update(object_ref(obj))
        target = getattr(request, "krets_read_target", "") or f"{obj._meta.label_lower}:{obj.pk}"
    audit_record(
        request,
        action=Action.MEMBERS_EXPORTED if export else Action.MEMBER_VIEWED,
        target=target or what,
        detail=detail,
    )


class ReadLogMiddleware:
    """One audit entry per response of a view marked `@reads_personal_data`; only responses that
    showed something (2xx), only for signed-in people (the public sees no member data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        mark = getattr(request, "krets_read_mark", None)
        if (
            mark is not None
            and request.method in ("GET", "HEAD")
            and 200 <= response.status_code < 300
            and request.user.is_authenticated
        ):
            log_read(request, mark[0], export=mark[1])
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        mark = getattr(view_func, ATTRIBUTE, None)
        if mark is not None:
            request.krets_read_mark = mark
        return None

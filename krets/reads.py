"""Logging every read of member data, in one place (issue 13 item 3).

A view that shows or exports personal data says so with `@reads_personal_data("member_list")`;
`ReadLogMiddleware` then writes one audit entry per successful response: which view, the filter's
query-string *keys* (never their values: a search term may be a name), how many rows the view
showed (the view calls `note_rows`), and the row it showed (`note_object`: content type + id).
No free text about a person reaches the log.

Every view that shows member data carries the mark (tests/test_privacy_reads.py walks the URL
patterns against a list of them). Variants:
- `export=True`: the data leaves the portal (a CSV, a register extract): logged as an export.
- `when_noted=True`: the page shows people only to some (a meeting's sign-ups to those who may
  change it): logged only when the view called `note_rows`/`note_object`.
- `action=`: an action of its own (the audit log's export is "Loggen exporterad").
- A page opened by a mailed link, nobody signed in (one's own data): `note_reader` names the
  reader, and the read is logged under that label.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.db import models

from .audit import Action, audit_record

ATTRIBUTE = "krets_reads_personal_data"


class ReadMark(NamedTuple):
    what: str
    export: bool = False
    when_noted: bool = False
    action: str = ""


def reads_personal_data(
    what: str, *, export: bool = False, when_noted: bool = False, action: str = ""
) -> Callable:
    """Mark a view as reading member data; the middleware logs each response it gives."""

    def mark(view):
        setattr(view, ATTRIBUTE, ReadMark(what, export, when_noted, action))
        return view

    return mark


def read_mark(view) -> ReadMark | None:
    return getattr(view, ATTRIBUTE, None)


def note_rows(request, rows: int) -> None:
    """The number of people the response shows (a list page's page, an export's rows)."""
    request.krets_read_rows = rows


def note_object(request, obj: models.Model, *, target: str = "") -> None:
    """The one row the response shows (a member page, an invoice); `target` is how the log
    names it (a member: "medlem:<id>", which survives anonymisation)."""
    request.krets_read_object = obj
    request.krets_read_target = target


def note_target(request, target: str) -> None:
    """What the response shows when it is not one row: "avgifter:2024" (a year's dues)."""
    request.krets_read_target = target


def note_reader(request, label: str) -> None:
    """Who reads when nobody is signed in: the holder of a personal link (SELF_LABEL)."""
    request.krets_read_reader = label


def noted(request) -> bool:
    return any(
        getattr(request, name, None) is not None
        for name in ("krets_read_rows", "krets_read_object")
    )


def object_ref(obj: models.Model) -> dict:
    return {"model": obj._meta.label_lower, "id": obj.pk}


def log_read(request, what: str, *, export: bool = False, action: str = "") -> None:
    detail = {"read": what}
    keys = sorted(key for key in request.GET.keys() if request.GET.get(key, "") != "")
    if keys:
        detail["filter"] = keys
    rows = getattr(request, "krets_read_rows", None)
    if rows is not None:
        detail["rows"] = rows
    obj = getattr(request, "krets_read_object", None)
    target = getattr(request, "krets_read_target", "")
    if obj is not None:
        detail.update(object_ref(obj))
        target = target or f"{obj._meta.label_lower}:{obj.pk}"
    audit_record(
        request,
        action=action or (Action.MEMBERS_EXPORTED if export else Action.MEMBER_VIEWED),
        target=target or what,
        detail=detail,
        actor_label=getattr(request, "krets_read_reader", ""),
    )


class ReadLogMiddleware:
    """One audit entry per response of a view marked `@reads_personal_data`; only responses that
    showed something (2xx), only for signed-in people or the holder of a personal link (the
    public sees no member data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        mark = getattr(request, "krets_read_mark", None)
        if (
            mark is not None
            and request.method in ("GET", "HEAD")
            and 200 <= response.status_code < 300
            and (request.user.is_authenticated or getattr(request, "krets_read_reader", ""))
            and (noted(request) or not mark.when_noted)
        ):
            log_read(request, mark.what, export=mark.export, action=mark.action)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        mark = read_mark(view_func)
        if mark is not None:
            request.krets_read_mark = mark
        return None

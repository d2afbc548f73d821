"""A confirmation step for actions that cannot be undone (Ställ in, Justera och lås, ...).

The server refuses to act on a POST without `confirm=1`: it answers with a confirmation page
that repeats the form with `confirm=1` added. With JavaScript, static/krets/portal.js asks the
same question in a <dialog> first (forms marked `data-confirm`) and adds the field itself, so a
person sees one question either way. Wrap the view where its URL is declared:

    path("<int:pk>/avsluta/", confirmed(views.matter_close, question=..., button=...), ...)
"""

from collections.abc import Callable
from functools import wraps

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .rights import declared_permissions


def is_confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def confirmed(
    view: Callable,
    *,
    question: str,
    button: str,
    detail: str = "",
    when: Callable | None = None,
    authorize: Callable | None = None,
) -> Callable:
    """`view` acts only on a confirmed POST; `when(request)` limits which POSTs must confirm;
    `authorize(request, **kwargs)` runs the view's own object check (raising 403/404) first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST" or is_confirmed(request):
            return view(request, *args, **kwargs)
        if when is not None and not when(request):
            return view(request, *args, **kwargs)
        # Who may not act is told so now, not after confirming.
        perms = declared_permissions(view)
        if perms:
            request.rights.require(*perms)
        if authorize is not None:
            authorize(request, *args, **kwargs)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = ""
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in {"csrfmiddlewaretoken", "confirm"}
            for value in values
        ]
        return render(
            request,
            "confirm.html",
            {
                "question": question,
                "detail": detail,
                "button": button,
                "action": request.path,
                "fields": fields,
                "back": back,
            },
        )

    return wrapped

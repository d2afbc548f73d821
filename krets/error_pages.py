"""The error pages, in Swedish and in the portal's layout: 403, 404, 500 and a failed CSRF check.

A 500 never shows a trace. The request gets a short reference when the exception is raised
(`got_request_exception`), the log line with the traceback carries it, and the page shows it so a
person can quote it to whoever reads the log.
"""

import logging
import secrets

from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from members.models import BoardAssignment, BoardFunction
from members.selectors import current_year

from .rights import ASSIGNMENT_RIGHTS, PERM_LABELS, RightMissing, functions_with

logger = logging.getLogger("krets.error_pages")
# No 0/O or 1/I/L: a reference read aloud over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


@receiver(got_request_exception)
def log_with_reference(sender, request=None, **kwargs):
    if request is None:
        return
    request.error_reference = new_reference()
    logger.error(
        "Server error, reference %s: %s %s",
        request.error_reference,
        request.method,
        request.path,
        exc_info=True,
    )


def missing_rights(exception) -> list[dict]:
    """For each missing right: what it allows, the functions that hold it and their holders."""
    if not isinstance(exception, RightMissing):
        return []
    holders: dict[str, list[str]] = {}
    assignments = BoardAssignment.objects.filter(year=current_year()).select_related("member")
    for assignment in assignments.order_by("member__first_name", "member__last_name"):
        holders.setdefault(assignment.function, []).append(assignment.member.full_name)
    labels = dict(BoardFunction.choices)
    result = []
    for perm in exception.perms:
        result.append(
            {
                "label": PERM_LABELS.get(perm, perm),
                "functions": [
                    {"title": labels[function], "people": holders.get(function, [])}
                    for function in functions_with(perm)
                ],
                "assignment": perm in ASSIGNMENT_RIGHTS,
            }
        )
    return result


def permission_denied(request, exception=None):
    return render(request, "403.html", {"missing": missing_rights(exception)}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever broke (the database?) must not break this page too.
    reference = getattr(request, "error_reference", None)
    if reference is None:
        reference = new_reference()
        logger.error("Server error, reference %s: %s", reference, getattr(request, "path", ""))
    html = loader.get_template("500.html").render({"reference": reference, "request": None})
    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def too_many_requests(request, exception=None):
    return render(request, "429.html", status=429)

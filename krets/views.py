from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.selectors import current_year

from .audit import client_ip
from .mail.selectors import suppressions_page
from .mail.services import suppression_lift
from .models import AuditEvent, Suppression
from .overview import panels_for
from .rights import Perm, login_only, requires
from .text import clean_line
from .twofactor import has_two_factor, two_factor_required


@login_only
def overview(request):
    return render(request, "krets/overview.html", {"panels": panels_for(request)})


@login_only
def account(request):
    member = getattr(request.user, "member", None)
    functions = member.board_assignments.filter(year=current_year()) if member is not None else []
    return render(
        request,
        "krets/account.html",
        {
            "member": member,
            "functions": functions,
            "has_two_factor": has_two_factor(request.user),
            "two_factor_required": two_factor_required(request),
        },
    )


@requires(Perm.AUDIT_VIEW)
def audit_log(request):
    events = AuditEvent.objects.all()
    action = request.GET.get("handelse", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "krets/audit_log.html",
        {"page": page, "actions": AuditEvent.Action.choices, "action": action},
    )


@requires(Perm.SUPPRESSIONS_CHANGE)
def suppressions(request):
    """Addresses mail no longer goes to, with why and since when; each can be lifted."""
    query = clean_line(request.GET.get("sok", ""))[:254]  # a NUL would be a 500 on PostgreSQL
    page = suppressions_page(query, request.GET.get("sida"))
    return render(request, "krets/mail/suppressions.html", {"page": page, "q": query})


@requires(Perm.SUPPRESSIONS_CHANGE)
@require_POST
def suppression_lift_view(request, pk: int):
    suppression = get_object_or_404(Suppression, pk=pk)
    suppression_lift(actor=request.user, suppression=suppression, ip=client_ip(request))
    messages.success(
        request,
        _("Spärren för %(email)s är hävd: e-post går dit igen.") % {"email": suppression.email},
    )
    return redirect("suppressions")

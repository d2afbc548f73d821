from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from members.selectors import current_year

from .health import health_report
from .models import AuditEvent
from .overview import panels_for
from .rights import Perm, login_only, public, requires
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


@public
@never_cache
def healthz(request):
    """For load balancers and compose health checks: 200 when all is well, else 503."""
    healthy, checks = health_report()
    return JsonResponse(
        {"status": "ok" if healthy else "fel", "checks": checks}, status=200 if healthy else 503
    )

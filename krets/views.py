from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members.selectors import current_year

from .audit import client_ip
from .audit_sentences import Filters, audit_actors, audit_events, present
from .forms import AuditFilterForm
from .health import health_report
from .mail.selectors import suppressions_page
from .mail.services import suppression_lift
from .models import AuditEvent, Suppression
from .overview import panels_for
from .reads import note_rows, note_target, reads_personal_data
from .rights import Perm, login_only, public, requires
from .spreadsheet import excel_writer
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


def _audit_filters(request) -> Filters:
    form = AuditFilterForm(request.GET or None, actors=audit_actors())
    if not form.is_valid():
        return form, Filters()
    data = form.cleaned_data
    return form, Filters(
        actor=int(data["vem"]) if data["vem"] else None,
        member=data["om"],
        action=data["handelse"],
        start=data["fran"],
        end=data["till"],
    )


# The log names who read whom: reading it is itself a read of member data.
@requires(Perm.AUDIT_VIEW)
@reads_personal_data("audit_log")
def audit_log(request):
    form, filters = _audit_filters(request)
    page = Paginator(audit_events(filters), 50).get_page(request.GET.get("sida"))
    note_rows(request, len(page))
    return render(
        request,
        "krets/audit_log.html",
        {"page": page, "entries": present(page), "form": form, "query": request.GET.urlencode()},
    )


@requires(Perm.AUDIT_VIEW)
@reads_personal_data("audit_log_export", export=True, action=AuditEvent.Action.AUDIT_EXPORTED)
def audit_log_export(request):
    """The log as CSV for a spreadsheet, with the page's filters; the export is itself logged
    (filter keys, never values: "om" may be a name)."""
    _form, filters = _audit_filters(request)
    events = audit_events(filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="logg.csv"'
    writer = excel_writer(response)
    writer.writerow(
        [_("Tid"), _("Vem"), _("Händelse"), _("Vad som hände"), _("Detaljer"), _("IP-adress")]
    )
    rows = 0
    for chunk_start in range(0, events.count(), 2000):
        for entry in present(events[chunk_start : chunk_start + 2000]):
            writer.writerow(
                [
                    timezone.localtime(entry.event.at).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.actor,
                    entry.event.get_action_display(),
                    entry.sentence,
                    "; ".join(entry.details),
                    entry.event.ip or "",
                ]
            )
            rows += 1
    note_rows(request, rows)
    note_target(request, "logg")
    return response


@public
@never_cache
def healthz(request):
    """For load balancers and compose health checks: 200 when all is well, else 503."""
    healthy, checks = health_report()
    return JsonResponse(
        {"status": "ok" if healthy else "fel", "checks": checks}, status=200 if healthy else 503
    )


@requires(Perm.SUPPRESSIONS_CHANGE)
@reads_personal_data("suppressions")  # members' email addresses
def suppressions(request):
    """Addresses mail no longer goes to, with why and since when; each can be lifted."""
    query = clean_line(request.GET.get("sok", ""))[:254]  # a NUL would be a 500 on PostgreSQL
    page = suppressions_page(query, request.GET.get("sida"))
    note_rows(request, len(page))
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

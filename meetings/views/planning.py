"""The year's plan of chapter and board meetings, and the council meetings."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.rights import Perm, requires

from .. import selectors, services
from ..council_dates import council_messages
from ..forms import CouncilMeetingsForm, YearPlanForm
from ..models import CouncilMeeting, Kind, Meeting


@requires(Perm.MEETINGS_VIEW)
def plan(request, year: int):
    form = YearPlanForm(request.POST or None, year=year)
    if request.method == "POST":
        request.rights.require(Perm.MEETINGS_CHANGE)
        if form.is_valid():
            created = services.year_plan_propose(
                actor=request.user,
                ip=client_ip(request),
                year=year,
                dates=form.cleaned_data["dates"],
                organiser=getattr(request.user, "member", None),
            )
            messages.success(request, _("%(count)s möten är föreslagna.") % {"count": len(created)})
            return redirect("meetings:plan", year=year)
    proposed = Meeting.objects.filter(
        starts_at__year=year, kind=Kind.CHAPTER, status=Meeting.Status.PROPOSED
    ).count()
    return render(
        request,
        "meetings/plan.html",
        {
            "year": year,
            "rows": selectors.year_spread(year),
            "form": form,
            "proposed": proposed,
            "can_change": request.rights.has(Perm.MEETINGS_CHANGE),
            "months": range(1, 13),
        },
    )


@requires(Perm.MEETINGS_CHANGE)
@require_POST
def plan_decide(request, year: int):
    count = services.year_plan_decide(actor=request.user, year=year, ip=client_ip(request))
    messages.success(request, _("Styrelsen har beslutat %(count)s möten.") % {"count": count})
    return redirect("meetings:plan", year=year)


@requires(Perm.MEETINGS_VIEW)
def council(request):
    form = CouncilMeetingsForm(
        request.POST or None,
        request.FILES or None,
        initial={"days_before": settings.KRETS_COUNCIL_GROUP_DAYS_BEFORE},
    )
    if request.method == "POST":
        request.rights.require(Perm.MEETINGS_CHANGE)
        if form.is_valid():
            entered = services.council_dates_enter(
                actor=request.user,
                dates=form.dates(),
                days_before=form.cleaned_data["days_before"],
                ip=client_ip(request),
            )
            for text in council_messages(entered, form.skipped):
                messages.info(request, text)
            return redirect("meetings:council")
    return render(
        request,
        "meetings/council.html",
        {
            "form": form,
            "council_meetings": CouncilMeeting.objects.select_related("group_meeting"),
            "can_change": request.rights.has(Perm.MEETINGS_CHANGE),
        },
    )

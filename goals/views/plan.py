"""The year's plan and its dashboard: goals, activities and measured targets."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import Invalid
from krets.rights import Perm, requires

from .. import registry, selectors, services
from ..charts import goals_chart
from ..forms import (
    ActivityForm,
    GoalForm,
    TargetForm,
)
from ..models import (
    Activity,
    Goal,
    Target,
)
from .common import edit_page, year_shown


@requires(Perm.GOALS_VIEW)
def index(request):
    years = selectors.plan_years()
    year = year_shown(request, years)
    progress = selectors.year_progress(year, rights=request.rights)
    # A finished year shows what was reached, not what is left of it.
    finished = year < timezone.localdate().year
    return render(
        request,
        "goals/dashboard.html",
        {
            "year": year,
            "years": years,
            "progress": progress,
            "chart": goals_chart(progress, year=year, finished=finished),
            # Blocks apps above contribute (goals/registry.py), targets or not.
            "panels": registry.panels(year, request.rights),
            "today": timezone.localdate(),
            "finished": finished,
        },
    )


@requires(Perm.GOALS_VIEW)
def overview_status(request):
    """The overview's goals panel, loaded after the page (goals/overview.py)."""
    from ..overview import goals_status_context

    return render(request, "goals/overview/status.html", {"panel": goals_status_context()})


@requires(Perm.GOALS_VIEW)
def plan(request):
    years = selectors.plan_years()
    year = year_shown(request, years)
    goals, activities = selectors.plan(year)
    context = {"year": year, "years": years, "goals": goals, "activities": activities}
    offer = selectors.plan_copy_offer(year, years=years)
    if offer:
        context["copy_from"], context["copy_to"] = offer
    return render(request, "goals/plan.html", context)


@require_POST
@requires(Perm.GOALS_CHANGE)
def plan_copy(request):
    """Kopiera förra årets plan: the board starts the new year from the last one's."""
    offer = selectors.plan_copy_offer(year_shown(request))
    if offer is None:
        messages.error(request, _("Det finns ingen plan att kopiera till det året."))
        return redirect("goals:plan")
    from_year, to_year = offer
    try:
        services.year_plan_copy(
            actor=request.user, from_year=from_year, to_year=to_year, ip=client_ip(request)
        )
    except Invalid as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Planen för %(from)s är kopierad till %(to)s. Se över målvärden och perioder.")
            % {"from": from_year, "to": to_year},
        )
    return redirect(f"{reverse('goals:plan')}?ar={to_year}")


@requires(Perm.GOALS_CHANGE)
def goal_create(request):
    year = year_shown(request)
    form = GoalForm(request.POST or None, initial={"year": year})
    return edit_page(request, form, title=_("Nytt mål"), back=f"{reverse('goals:plan')}?ar={year}")


@requires(Perm.GOALS_CHANGE)
def goal_edit(request, pk: int):
    goal = get_object_or_404(Goal, pk=pk)
    form = GoalForm(request.POST or None, instance=goal)
    return edit_page(request, form, title=str(goal), back=f"{reverse('goals:plan')}?ar={goal.year}")


@requires(Perm.GOALS_CHANGE)
def activity_create(request):
    year = year_shown(request)
    form = ActivityForm(request.POST or None, initial={"year": year}, year=year)
    return edit_page(
        request, form, title=_("Ny aktivitet"), back=f"{reverse('goals:plan')}?ar={year}"
    )


@requires(Perm.GOALS_CHANGE)
def activity_edit(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = ActivityForm(request.POST or None, instance=activity, year=activity.year)
    back = f"{reverse('goals:plan')}?ar={activity.year}"
    delete = reverse("goals:activity_delete", args=[pk])
    return edit_page(request, form, title=activity.title, back=back, delete=delete)


@requires(Perm.GOALS_CHANGE)
def target_create(request, goal_pk: int):
    goal = get_object_or_404(Goal, pk=goal_pk)
    form = TargetForm(request.POST or None, goal=goal)
    back = f"{reverse('goals:plan')}?ar={goal.year}"
    return edit_page(request, form, title=_("Nytt mätbart mål för %s") % goal, back=back)


@requires(Perm.GOALS_CHANGE)
def target_edit(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("goal"), pk=pk)
    form = TargetForm(request.POST or None, instance=target, goal=target.goal)
    back = f"{reverse('goals:plan')}?ar={target.goal.year}"
    delete = reverse("goals:target_delete", args=[pk])
    return edit_page(request, form, title=str(target), back=back, delete=delete)


@require_POST
@requires(Perm.GOALS_CHANGE)
def target_delete(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("goal"), pk=pk)
    services.target_delete(actor=request.user, target=target, ip=client_ip(request))
    messages.success(request, _("Det mätbara målet är borttaget."))
    return redirect(f"{reverse('goals:plan')}?ar={target.goal.year}")


@require_POST
@requires(Perm.GOALS_CHANGE)
def activity_delete(request, pk: int):
    """Removes the activity from every goal it serves, with its log entries."""
    activity = get_object_or_404(Activity, pk=pk)
    services.activity_delete(actor=request.user, activity=activity, ip=client_ip(request))
    messages.success(request, _("Aktiviteten är borttagen."))
    return redirect(f"{reverse('goals:plan')}?ar={activity.year}")

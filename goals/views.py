"""The year's plan, its dashboard, the activity log, theme groups, the election programme and
the annual report. Thin views: reads in selectors, rules in services."""

import datetime

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import Action, audit_record
from krets.rights import Perm, login_only, requires

from . import selectors, services
from .forms import (
    ActivityForm,
    AnnualReportForm,
    GoalForm,
    LogEntryForm,
    ProgrammeLinkForm,
    ProgrammePointForm,
    PublishForm,
    ReturnForm,
    TargetForm,
    ThemeDocumentForm,
    ThemeGroupForm,
)
from .models import (
    Activity,
    Goal,
    LogEntry,
    ProgrammeLink,
    ProgrammePoint,
    Target,
    ThemeDocument,
    ThemeGroup,
)


def _year(request, years: list[int] | None = None) -> int:
    try:
        return int(request.GET.get("ar") or request.POST.get("ar"))
    except (TypeError, ValueError):
        return selectors.default_year(years=years)


# Fetch and authorise ----------------------------------------------------------------------


def get_group_for_user(request, pk: int) -> ThemeGroup:
    """Board members and the group's own leader (if they have a login) work with a group."""
    group = get_object_or_404(ThemeGroup.objects.select_related("leader"), pk=pk)
    if request.rights.has(Perm.GOALS_VIEW):
        return group
    if group.leader_id is not None and group.leader_id == request.rights.member_id:
        return group
    raise PermissionDenied


def get_document_for_user(request, pk: int) -> ThemeDocument:
    document = get_object_or_404(ThemeDocument.objects.select_related("group"), pk=pk)
    get_group_for_user(request, document.group_id)
    return document


# The plan and its dashboard ---------------------------------------------------------------


@requires(Perm.GOALS_VIEW)
def index(request):
    years = selectors.plan_years()
    year = _year(request, years)
    return render(
        request,
        "goals/dashboard.html",
        {
            "year": year,
            "years": years,
            "progress": selectors.year_progress(year, rights=request.rights),
            "today": timezone.localdate(),
            # A finished year shows what was reached, not what is left of it.
            "finished": year < timezone.localdate().year,
        },
    )


@requires(Perm.GOALS_VIEW)
def plan(request):
    years = selectors.plan_years()
    year = _year(request, years)
    goals, activities = selectors.plan(year)
    return render(
        request,
        "goals/plan.html",
        {"year": year, "years": years, "goals": goals, "activities": activities},
    )


def _edit(request, form, *, title: str, back: str, delete: str = ""):
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Sparat."))
        return redirect(back)
    context = {"form": form, "title": title, "back": back, "delete": delete}
    return render(request, "goals/form.html", context)


@requires(Perm.GOALS_CHANGE)
def goal_create(request):
    year = _year(request)
    form = GoalForm(request.POST or None, initial={"year": year})
    return _edit(request, form, title=_("Nytt mål"), back=f"{reverse('goals:plan')}?ar={year}")


@requires(Perm.GOALS_CHANGE)
def goal_edit(request, pk: int):
    goal = get_object_or_404(Goal, pk=pk)
    form = GoalForm(request.POST or None, instance=goal)
    return _edit(request, form, title=str(goal), back=f"{reverse('goals:plan')}?ar={goal.year}")


@requires(Perm.GOALS_CHANGE)
def activity_create(request):
    year = _year(request)
    form = ActivityForm(request.POST or None, initial={"year": year}, year=year)
    return _edit(request, form, title=_("Ny aktivitet"), back=f"{reverse('goals:plan')}?ar={year}")


@requires(Perm.GOALS_CHANGE)
def activity_edit(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = ActivityForm(request.POST or None, instance=activity, year=activity.year)
    back = f"{reverse('goals:plan')}?ar={activity.year}"
    delete = reverse("goals:activity_delete", args=[pk])
    return _edit(request, form, title=activity.title, back=back, delete=delete)


@requires(Perm.GOALS_CHANGE)
def target_create(request, goal_pk: int):
    goal = get_object_or_404(Goal, pk=goal_pk)
    form = TargetForm(request.POST or None, goal=goal)
    back = f"{reverse('goals:plan')}?ar={goal.year}"
    return _edit(request, form, title=_("Nytt mätbart mål för %s") % goal, back=back)


@requires(Perm.GOALS_CHANGE)
def target_edit(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("goal"), pk=pk)
    form = TargetForm(request.POST or None, instance=target, goal=target.goal)
    back = f"{reverse('goals:plan')}?ar={target.goal.year}"
    delete = reverse("goals:target_delete", args=[pk])
    return _edit(request, form, title=str(target), back=back, delete=delete)


@require_POST
@requires(Perm.GOALS_CHANGE)
def target_delete(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("goal"), pk=pk)
    target.delete()
    messages.success(request, _("Det mätbara målet är borttaget."))
    return redirect(f"{reverse('goals:plan')}?ar={target.goal.year}")


@require_POST
@requires(Perm.GOALS_CHANGE)
def activity_delete(request, pk: int):
    """Removes the activity from every goal it serves, with its log entries."""
    activity = get_object_or_404(Activity, pk=pk)
    activity.delete()
    messages.success(request, _("Aktiviteten är borttagen."))
    return redirect(f"{reverse('goals:plan')}?ar={activity.year}")


# The activity log -------------------------------------------------------------------------


@requires(Perm.GOALS_VIEW)
def log(request):
    """What was done with no record of its own; any board member logs an entry."""
    year = _year(request)
    activity_id = request.GET.get("aktivitet")
    activity_id = int(activity_id) if activity_id and activity_id.isdigit() else None
    form = LogEntryForm(
        request.POST or None, year=year, initial={"activity": activity_id, "who": request.user}
    )
    if request.method == "POST" and form.is_valid():
        services.log_entry_create(**form.cleaned_data, by=request.user)
        messages.success(request, _("Loggat."))
        return redirect(selectors.log_url(activity_id=activity_id, year=year))
    entries = selectors.log_entries(year=year, activity_id=activity_id)
    return render(
        request,
        "goals/log.html",
        {
            "year": year,
            "activity": Activity.objects.filter(pk=activity_id).first() if activity_id else None,
            "page": Paginator(entries, 50).get_page(request.GET.get("sida")),
            "form": form,
        },
    )


@require_POST
@requires(Perm.GOALS_VIEW)
def log_delete(request, pk: int):
    entry = get_object_or_404(LogEntry, pk=pk)
    if entry.created_by_id != request.user.pk and not request.rights.has(Perm.GOALS_CHANGE):
        raise PermissionDenied
    services.log_entry_delete(entry=entry)
    messages.success(request, _("Loggposten är borttagen."))
    return redirect(selectors.log_url(year=entry.happened_on.year))


@requires(Perm.MEMBERS_NAMES)
def new_members(request):
    """The records behind "new members": who joined in a period (names, district, date)."""
    today = timezone.localdate()
    start = parse_date(request.GET.get("fran", "")) or datetime.date(today.year, 1, 1)
    end = parse_date(request.GET.get("till", "")) or today
    page = Paginator(selectors.new_members(start, end), 100).get_page(request.GET.get("sida"))
    audit_record(
        request,
        action=Action.MEMBER_VIEWED,
        target=_("Nya medlemmar %(start)s–%(end)s") % {"start": start, "end": end},
        detail={"list": "goals.new_members", "from": str(start), "to": str(end)},
    )
    return render(request, "goals/new_members.html", {"page": page, "start": start, "end": end})


# Theme groups and their documents ---------------------------------------------------------


@login_only
def groups(request):
    group_list = selectors.theme_groups_for(rights=request.rights)
    if not group_list and not request.rights.has(Perm.GOALS_VIEW):
        raise PermissionDenied
    submitted = list(selectors.submitted_documents()) if request.rights.has(Perm.PUBLISH) else []
    return render(request, "goals/groups.html", {"groups": group_list, "submitted": submitted})


@requires(Perm.GOALS_CHANGE)
def group_create(request):
    form = ThemeGroupForm(request.POST or None)
    return _edit(request, form, title=_("Ny temagrupp"), back=reverse("goals:groups"))


@requires(Perm.GOALS_CHANGE)
def group_edit(request, pk: int):
    group = get_object_or_404(ThemeGroup, pk=pk)
    form = ThemeGroupForm(request.POST or None, instance=group)
    back = reverse("goals:group_detail", args=[pk])
    return _edit(request, form, title=group.topic, back=back)


@login_only
def group_detail(request, pk: int):
    group = get_group_for_user(request, pk)
    return render(
        request,
        "goals/group_detail.html",
        {
            "group": group,
            "members": group.members.select_related("district"),
            "documents": group.documents.all(),
        },
    )


@login_only
def document_create(request, group_pk: int):
    group = get_group_for_user(request, group_pk)
    form = ThemeDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = services.document_create(group=group, **form.cleaned_data, by=request.user)
        messages.success(request, _("Utkastet är sparat."))
        return redirect("goals:document_detail", pk=document.pk)
    back = reverse("goals:group_detail", args=[group.pk])
    return render(
        request, "goals/form.html", {"form": form, "title": _("Nytt dokument"), "back": back}
    )


@login_only
def document_detail(request, pk: int):
    document = get_document_for_user(request, pk)
    form = ThemeDocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(document=document, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Sparat."))
        return redirect("goals:document_detail", pk=pk)
    return render(
        request,
        "goals/document_detail.html",
        {
            "document": document,
            "form": form if document.is_editable else None,
            "events": document.events.select_related("by"),
            "publish_form": PublishForm(initial={"published_on": timezone.localdate()}),
            "return_form": ReturnForm(),
            "can_publish": request.rights.has(Perm.PUBLISH),
        },
    )


def _flow(request, pk: int, step, form=None):
    document = get_document_for_user(request, pk)
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("goals:document_detail", pk=pk)
    try:
        step(document=document, by=request.user, **(form.cleaned_data if form else {}))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Klart. Ett mejl är på väg."))
    return redirect("goals:document_detail", pk=pk)


@require_POST
@login_only
def document_submit(request, pk: int):
    return _flow(request, pk, services.document_submit)


@require_POST
@requires(Perm.PUBLISH)
def document_publish(request, pk: int):
    return _flow(request, pk, services.document_publish, PublishForm(request.POST))


@require_POST
@requires(Perm.PUBLISH)
def document_return(request, pk: int):
    return _flow(request, pk, services.document_return, ReturnForm(request.POST))


# The election programme -------------------------------------------------------------------


@requires(Perm.GOALS_VIEW)
def programme(request):
    points = ProgrammePoint.objects.prefetch_related("links__document")
    return render(request, "goals/programme.html", {"points": points})


@requires(Perm.GOALS_CHANGE)
def point_create(request):
    form = ProgrammePointForm(request.POST or None)
    return _edit(request, form, title=_("Ny punkt"), back=reverse("goals:programme"))


@requires(Perm.GOALS_CHANGE)
def point_edit(request, pk: int):
    point = get_object_or_404(ProgrammePoint, pk=pk)
    form = ProgrammePointForm(request.POST or None, instance=point)
    link_form = ProgrammeLinkForm(request.POST or None, prefix="lank")
    if request.method == "POST" and "lank-kind" in request.POST:
        if link_form.is_valid():
            link_form.instance.point = point
            link_form.save()
            messages.success(request, _("Länken är tillagd."))
            return redirect("goals:point_edit", pk=pk)
        form = ProgrammePointForm(instance=point)
    elif request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Sparat."))
        return redirect("goals:programme")
    else:
        link_form = ProgrammeLinkForm(prefix="lank")
    return render(
        request,
        "goals/point_edit.html",
        {"point": point, "form": form, "link_form": link_form, "links": point.links.all()},
    )


@require_POST
@requires(Perm.GOALS_CHANGE)
def point_link_delete(request, pk: int):
    link = get_object_or_404(ProgrammeLink, pk=pk)
    link.delete()
    messages.success(request, _("Länken är borttagen."))
    return redirect("goals:point_edit", pk=link.point_id)


# The annual report ------------------------------------------------------------------------


def _report_context(year: int) -> dict:
    return {
        "year": year,
        "report": services.annual_report_for(year=year),
        "figures": selectors.annual_figures(year),
    }


@requires(Perm.GOALS_VIEW)
def report_latest(request):
    return redirect("goals:report", year=selectors.default_year())


@requires(Perm.GOALS_VIEW)
def report(request, year: int):
    return render(request, "goals/report.html", _report_context(year))


@requires(Perm.GOALS_CHANGE)
def report_edit(request, year: int):
    report = services.annual_report_for(year=year)
    form = AnnualReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        form.instance.updated_by = request.user
        form.save()
        messages.success(request, _("Texten är sparad."))
        return redirect("goals:report", year=year)
    back = reverse("goals:report", args=[year])
    title = _("Verksamhetsberättelse %(year)s") % {"year": year}
    return render(request, "goals/form.html", {"form": form, "title": title, "back": back})


@requires(Perm.GOALS_VIEW)
def report_pdf(request, year: int):
    """The same page as A4 PDF, rendered by WeasyPrint with the print stylesheet."""
    from weasyprint import HTML  # imported here: it loads pango, which the rest never needs

    with open(finders.find("goals/report-print.css"), encoding="utf-8") as css:
        html = render_to_string(
            "goals/report_pdf.html",
            {**_report_context(year), "stylesheet": css.read()},
            request=request,
        )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="verksamhetsberattelse-{year}.pdf"'
    return response


@requires(Perm.GOALS_VIEW)
def overview_status(request):
    """The overview's goals panel, loaded after the page (goals/overview.py)."""
    from .overview import goals_status_context

    return render(request, "goals/overview/status.html", {"panel": goals_status_context()})

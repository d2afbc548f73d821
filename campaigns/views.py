import calendar
import datetime
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.errors import DomainError, NotAllowed
from krets.params import date_param, year_param
from krets.rights import Perm, requires
from members.models import Member
from members.selectors import media_spokespeople

from . import parts, records, selectors, services
from .forms import (
    CampaignForm,
    ChannelForm,
    CompetitionForm,
    ContentForm,
    EntryForm,
    FieldActivityForm,
    FollowersForm,
    LivePanelForm,
    MonthPlanForm,
    PublishForm,
    ReturnForm,
)
from .models import (
    Campaign,
    Channel,
    Competition,
    ContentItem,
    LivePanel,
    PaidMarketing,
    first_of_month,
)


def _member(request) -> Member | None:
    return Member.objects.filter(user=request.user).first()


def _done(request, write, success: str = "") -> bool:
    """Run a service call; map its refusal to 403 (NotAllowed) or a message. True: it wrote."""
    try:
        write(actor=request.user, ip=client_ip(request))
    except NotAllowed:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, str(error))
        return False
    if success:
        messages.success(request, success)
    return True


def _form_page(request, form, title: str, cancel_url: str):
    return render(
        request, "campaigns/form.html", {"form": form, "title": title, "cancel_url": cancel_url}
    )


# Campaigns


@requires(Perm.CAMPAIGNS_VIEW)
def index(request):
    return render(
        request,
        "campaigns/index.html",
        {
            "campaigns": selectors.campaigns_overview(),
            "lacking": selectors.upcoming_months_lacking_channels(),
            "can_change": request.rights.has(Perm.CAMPAIGNS_CHANGE),
        },
    )


@requires(Perm.CAMPAIGNS_CHANGE)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_save(
            actor=request.user,
            campaign=form.instance,
            goals=form.cleaned_data["goals"],
            ip=client_ip(request),
        )
        messages.success(request, _("Kampanjen är sparad."))
        return redirect("campaigns:detail", campaign.pk)
    return _form_page(request, form, _("Ny kampanj"), "campaigns:index")


@requires(Perm.CAMPAIGNS_VIEW)
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    activities = campaign.activities.select_related("district").prefetch_related("people")
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "activities": activities,
            "content": campaign.contentitem_set.select_related("owner"),
            "can_change": request.rights.has(Perm.CAMPAIGNS_CHANGE),
            "sections": parts.sections(campaign, request.rights),
        },
    )


@requires(Perm.CAMPAIGNS_CHANGE)
def campaign_edit(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        services.campaign_save(
            actor=request.user,
            campaign=form.instance,
            goals=form.cleaned_data["goals"],
            ip=client_ip(request),
        )
        messages.success(request, _("Kampanjen är sparad."))
        return redirect("campaigns:detail", campaign.pk)
    return _form_page(request, form, _("Ändra kampanj"), "campaigns:index")


@requires(Perm.CAMPAIGNS_CHANGE)
def activity_add(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = FieldActivityForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.activity_add(
            actor=request.user,
            campaign=campaign,
            activity=form.instance,
            people=form.cleaned_data["people"],
            ip=client_ip(request),
        )
        messages.success(request, _("Aktiviteten är sparad."))
        return redirect("campaigns:detail", campaign.pk)
    return _form_page(
        request, form, _("Ny aktivitet i %(name)s") % {"name": campaign}, "campaigns:index"
    )


# Paid marketing and channels


@requires(Perm.CAMPAIGNS_VIEW)
def marketing(request):
    year = year_param(request, timezone.localdate().year)
    plans = selectors.month_plans(datetime.date(year, 1, 1), 12)
    return render(
        request,
        "campaigns/marketing.html",
        {
            "year": year,
            "plans": plans,
            "today_month": first_of_month(timezone.localdate()),
            "can_change": request.rights.has(Perm.CAMPAIGNS_CHANGE),
        },
    )


@requires(Perm.CAMPAIGNS_CHANGE)
def marketing_month(request, year: int, month: int):
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise PermissionDenied from None
    channels = Channel.objects.filter(is_active=True)
    existing = {row.channel_id: row for row in PaidMarketing.objects.filter(month=first)}
    form = MonthPlanForm(request.POST or None, channels=channels, existing=existing)
    if request.method == "POST" and form.is_valid():
        saved = _done(
            request,
            partial(services.paid_marketing_plan, month=first, amounts=form.amounts()),
            _("Betald marknadsföring för %(month)s är sparad.")
            % {"month": first.strftime("%Y-%m")},
        )
        if saved:
            return redirect("campaigns:marketing")
    return render(
        request,
        "campaigns/marketing_month.html",
        {"form": form, "month": first, "plan": selectors.month_plans(first, 1)[0]},
    )


@requires(Perm.CAMPAIGNS_VIEW)
def channels(request):
    channel_form = ChannelForm(prefix="kanal")
    followers_form = FollowersForm(prefix="foljare")
    if request.method == "POST":
        if "kanal-name" in request.POST:
            request.rights.require(Perm.CAMPAIGNS_CHANGE)
            channel_form = ChannelForm(request.POST, prefix="kanal")
            if channel_form.is_valid():
                services.channel_save(
                    actor=request.user, channel=channel_form.instance, ip=client_ip(request)
                )
                messages.success(request, _("Kanalen är tillagd."))
                return redirect("campaigns:channels")
        else:
            request.rights.require(Perm.COMMUNICATION_CHANGE)
            followers_form = FollowersForm(request.POST, prefix="foljare")
            if followers_form.is_valid():
                data = followers_form.cleaned_data
                services.follower_count_set(
                    actor=request.user,
                    channel=data["channel"],
                    month=data["month"],
                    followers=data["followers"],
                    ip=client_ip(request),
                )
                messages.success(request, _("Antalet följare är sparat."))
                return redirect("campaigns:channels")
    return render(
        request,
        "campaigns/channels.html",
        {
            "channels": Channel.objects.all(),
            "series": selectors.follower_series(),
            "channel_form": channel_form,
            "followers_form": followers_form,
            "can_add_channel": request.rights.has(Perm.CAMPAIGNS_CHANGE),
            "can_count": request.rights.has(Perm.COMMUNICATION_CHANGE),
        },
    )


# Content calendar


def _calendar_window(view: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if view == "vecka":
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    start = day.replace(day=1)
    return start, start.replace(day=calendar.monthrange(day.year, day.month)[1])


@requires(Perm.COMMUNICATION_VIEW)
def content(request):
    view = "vecka" if request.GET.get("vy") == "vecka" else "manad"
    try:
        day = datetime.date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        day = timezone.localdate()
    start, end = _calendar_window(view, day)
    items = list(selectors.content_between(start, end))
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    by_day = {d: [i for i in items if i.planned_on == d] for d in days}
    step = datetime.timedelta(days=7) if view == "vecka" else datetime.timedelta(days=31)
    return render(
        request,
        "campaigns/content.html",
        {
            "view": view,
            "start": start,
            "end": end,
            "by_day": by_day,
            "previous": (start - datetime.timedelta(days=1)).isoformat(),
            "next": (end + datetime.timedelta(days=1)).isoformat()
            if view == "manad"
            else (start + step).isoformat(),
        },
    )


@requires(Perm.COMMUNICATION_VIEW)
def content_create(request):
    member = _member(request)
    if member is None:
        raise PermissionDenied
    form = ContentForm(request.POST or None, initial={"planned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        item = form.instance
        if _done(
            request, partial(services.content_save, item=item), _("Innehållet är sparat som idé.")
        ):
            return redirect("campaigns:content_detail", item.pk)
    return _form_page(request, form, _("Nytt innehåll"), "campaigns:content")


@requires(Perm.COMMUNICATION_VIEW)
def content_detail(request, pk: int):
    item = get_object_or_404(
        ContentItem.objects.select_related("owner", "channel", "body", "profile_issue", "goal"),
        pk=pk,
    )
    member = _member(request)
    return render(
        request,
        "campaigns/content_detail.html",
        {
            "item": item,
            "spokespeople": media_spokespeople(item.body) if item.body else [],
            "may_edit": services.content_may_edit(item, member=member, rights=request.rights),
            "may_advance": item.status in services.OWNER_STEPS
            and services.content_may_edit(item, member=member, rights=request.rights),
            "may_review": request.rights.has(Perm.PUBLISH)
            and item.status == ContentItem.Status.REVIEW,
            "publish_form": PublishForm(initial={"published_on": timezone.localdate()}),
            "return_form": ReturnForm(),
        },
    )


@requires(Perm.COMMUNICATION_VIEW)
def content_edit(request, pk: int):
    item = get_object_or_404(ContentItem, pk=pk)
    if not services.content_may_edit(item, member=_member(request), rights=request.rights):
        raise PermissionDenied
    form = ContentForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        if _done(
            request, partial(services.content_save, item=form.instance), _("Innehållet är sparat.")
        ):
            return redirect("campaigns:content_detail", item.pk)
    return _form_page(request, form, _("Ändra innehåll"), "campaigns:content")


def _content_step(request, pk: int, step, **data) -> object:
    item = get_object_or_404(ContentItem, pk=pk)
    _done(request, partial(step, item=item, **data))
    return redirect("campaigns:content_detail", pk)


@requires(Perm.COMMUNICATION_VIEW)
@require_POST
def content_advance(request, pk: int):
    return _content_step(request, pk, services.content_advance)


@requires(Perm.PUBLISH)
@require_POST
def content_publish(request, pk: int):
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kontrollera länken och datumet."))
        return redirect("campaigns:content_detail", pk)
    return _content_step(request, pk, services.content_publish, **form.cleaned_data)


@requires(Perm.PUBLISH)
@require_POST
def content_return(request, pk: int):
    comment = request.POST.get("comment", "")
    return _content_step(request, pk, services.content_return, comment=comment)


# Live panels


@requires(Perm.COMMUNICATION_VIEW)
def panels(request):
    return render(
        request,
        "campaigns/panels.html",
        {
            "panels": LivePanel.objects.prefetch_related("panellists"),
            "can_change": request.rights.has(Perm.COMMUNICATION_CHANGE),
        },
    )


@requires(Perm.COMMUNICATION_CHANGE)
def panel_edit(request, pk: int | None = None):
    panel = get_object_or_404(LivePanel, pk=pk) if pk else None
    form = LivePanelForm(request.POST or None, instance=panel)
    if request.method == "POST" and form.is_valid():
        services.panel_save(
            actor=request.user,
            panel=form.instance,
            panellists=form.cleaned_data["panellists"],
            ip=client_ip(request),
        )
        messages.success(request, _("Panelsamtalet är sparat."))
        return redirect("campaigns:panels")
    title = _("Ändra panelsamtal") if panel else _("Nytt panelsamtal")
    return _form_page(request, form, title, "campaigns:panels")


# Competitions


@requires(Perm.COMMUNICATION_VIEW)
def competitions(request):
    return render(
        request,
        "campaigns/competitions.html",
        {
            "competitions": Competition.objects.select_related("draw__winner"),
            "can_change": request.rights.has(Perm.COMMUNICATION_CHANGE),
        },
    )


@requires(Perm.COMMUNICATION_CHANGE)
def competition_create(request):
    form = CompetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        competition = services.competition_save(
            actor=request.user, competition=form.instance, ip=client_ip(request)
        )
        return redirect("campaigns:competition_detail", competition.pk)
    return _form_page(request, form, _("Ny tävling"), "campaigns:competitions")


@requires(Perm.COMMUNICATION_VIEW)
def competition_detail(request, pk: int):
    competition = get_object_or_404(Competition, pk=pk)
    draw = getattr(competition, "draw", None)
    return render(
        request,
        "campaigns/competition_detail.html",
        {
            "competition": competition,
            "entries": competition.entries.all(),
            "draw": draw,
            "entry_form": EntryForm(),
            "can_change": request.rights.has(Perm.COMMUNICATION_CHANGE),
        },
    )


@requires(Perm.COMMUNICATION_CHANGE)
@require_POST
def entry_add(request, pk: int):
    competition = get_object_or_404(Competition, pk=pk)
    form = EntryForm(request.POST)
    if form.is_valid():
        services.entry_add(
            actor=request.user, competition=competition, entry=form.instance, ip=client_ip(request)
        )
        messages.success(request, _("Bidraget är registrerat."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("campaigns:competition_detail", pk)


@requires(Perm.COMMUNICATION_CHANGE)
@require_POST
def draw(request, pk: int):
    competition = get_object_or_404(Competition, pk=pk)
    try:
        result = services.competition_draw(
            actor=request.user, competition=competition, ip=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Vinnaren är dragen: %(name)s.") % {"name": result.winner.name})
    return redirect("campaigns:competition_detail", pk)


# The rows behind the goal figures (campaigns/goals_counters.py)

# slug in the URL -> (the rows, the right to see them, the page's heading)
RECORDS = {
    "kampanjer": (records.campaigns_held, Perm.CAMPAIGNS_VIEW, _("Genomförda kampanjer")),
    "marknadsforing": (
        records.paid_marketing_months,
        Perm.CAMPAIGNS_VIEW,
        _("Månader med betald marknadsföring i minst två kanaler"),
    ),
    "paneler": (records.live_panels_held, Perm.COMMUNICATION_VIEW, _("Genomförda panelsamtal")),
    "tavlingar": (
        records.competitions_with_entries,
        Perm.COMMUNICATION_VIEW,
        _("Genomförda tävlingar"),
    ),
    "tavlingsdeltagare": (
        lambda start, end: (
            records.competition_entries(start, end)
            .select_related("competition")
            .order_by("competition__ends_on", "competition_id", "id")
        ),
        Perm.COMMUNICATION_VIEW,
        _("Deltagare i tävlingar"),
    ),
}


@requires(Perm.CAMPAIGNS_VIEW)
def records_list(request, what: str):
    """What a goal figure counted: the period (fran, till) and kind of record in the link."""
    if what not in RECORDS:
        raise Http404
    rows, permission, heading = RECORDS[what]
    if not request.rights.has(permission):
        raise PermissionDenied
    today = timezone.localdate()
    start = date_param(request, "fran", datetime.date(today.year, 1, 1))
    end = max(start, date_param(request, "till", datetime.date(start.year, 12, 31)))
    return render(
        request,
        "campaigns/records.html",
        {
            "what": what,
            "heading": heading,
            "rows": list(rows(start, end)),
            "start": start,
            "end": end,
        },
    )

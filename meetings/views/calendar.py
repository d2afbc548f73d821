"""The meetings list, the month calendar, a meeting's page and the iCalendar feeds."""

import calendar
import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _

from krets.audit import client_ip
from krets.reads import note_rows, note_target, reads_personal_data
from krets.rights import Perm, login_only, public
from members import selectors as members_selectors

from .. import ical, parts, selectors, services
from ..models import CalendarFeed, Kind, Meeting
from .common import get_public_meeting

FEED_CACHE_SECONDS = 24 * 60 * 60


@login_only
def index(request):
    past = request.GET.get("tidigare") == "1"
    meetings = selectors.meetings_visible_to(request.rights)
    kind = request.GET.get("typ", "")
    if kind in Kind.values:
        meetings = meetings.filter(kind=kind)
    now = timezone.now()
    meetings = (
        meetings.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else meetings.filter(ends_at__gte=now)
    )
    page = Paginator(meetings, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "meetings/index.html",
        {
            "page": page,
            "past": past,
            "kind": kind,
            "kinds": Kind.choices,
            "can_create": request.rights.has(Perm.MEETINGS_CHANGE),
            "can_create_training": request.rights.has(Perm.TRAININGS_CHANGE),
        },
    )


@login_only
def month(request, year: int, month: int):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day = defaultdict(list)
    for meeting in selectors.meetings_visible_to(request.rights).filter(
        starts_at__date__gte=first, starts_at__date__lte=last
    ):
        by_day[timezone.localdate(meeting.starts_at)].append(meeting)
    previous = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    following = datetime.date(year, month, 28) + datetime.timedelta(days=7)
    return render(
        request,
        "meetings/month.html",
        {
            "month_start": datetime.date(year, month, 1),
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "previous": previous,
            "following": following,
            # On a phone the days without meetings are hidden; a month with none says so.
            "month_empty": not any(day.month == month for day in by_day),
            "today": timezone.localdate(),
        },
    )


@public
@reads_personal_data("meeting_signups", when_noted=True)
def detail(request, pk: int):
    meeting, sign_in = get_public_meeting(request, pk)
    if sign_in is not None:
        return sign_in
    rights = request.rights
    can_change = selectors.can_change_meeting(rights, meeting)
    invitation = None
    if rights.member_id is not None:
        invitation = meeting.invitations.filter(member_id=rights.member_id).first()
    sections = parts.sections(meeting, rights)
    shown = [section.rows for section in sections if section.rows is not None]
    if shown:  # a part listed people (the sign-ups): a read, logged by krets.reads
        note_rows(request, sum(shown))
        note_target(request, f"meeting:{meeting.pk}")
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "agenda": meeting.agenda_items.all(),
            "can_change": can_change,
            "can_read_minutes": rights.has(Perm.MEETINGS_VIEW),
            "counts": selectors.reply_counts(meeting) if rights.has(Perm.MEETINGS_VIEW) else None,
            "invitation": invitation,
            "kit_bookings": meeting.kit_bookings.all() if rights.has(Perm.KIT_BOOK) else [],
            "can_book_kit": rights.has(Perm.KIT_BOOK) and meeting.is_digital,
            "matters": meeting.matters.all() if rights.has(Perm.DECISIONS_VIEW) else [],
            "sections": sections,
            "mail_waiting": selectors.mail_waiting(meeting) if can_change else [],
        },
    )


def _feed_response(request, meetings, *, name: str, filename: str, private: bool):
    """The calendar, or 304 when the client's ETag/Last-Modified still match (one query)."""
    digest, changed = selectors.feed_state(meetings)
    etag = quote_etag(digest)
    # HTTP dates have whole seconds; the ETag catches a change within the same second.
    modified = int(changed.timestamp()) if changed else None
    last_modified = http_date(modified) if changed else None
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        # Rendering is the expensive part (about 0.5 ms per event): keep each version once.
        cache_key = f"meetings:ics:{filename}:{digest}"
        body = cache.get(cache_key)
        if body is None:
            body = ical.calendar_bytes(list(meetings), name=name)
            cache.set(cache_key, body, FEED_CACHE_SECONDS)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = last_modified
    response["Cache-Control"] = "private, no-cache" if private else "public, max-age=300"
    return response


@public
def feed(request):
    return _feed_response(
        request,
        selectors.public_meetings(),
        name=_("Centerpartiet i Sandviken"),
        filename="kalender.ics",
        private=False,
    )


@public
def private_feed(request, token: str):
    feed_owner = CalendarFeed.objects.filter(token=token, user__is_active=True).first()
    if feed_owner is None:
        raise Http404
    rights = members_selectors.rights_of_feed_owner(feed_owner.user)
    return _feed_response(
        request,
        selectors.meetings_visible_to(rights),
        name=_("Kretsportalen: mina möten"),
        filename="mina-moten.ics",
        private=True,
    )


@public
def meeting_ics(request, pk: int):
    meeting, sign_in = get_public_meeting(request, pk)
    if sign_in is not None:
        return sign_in
    return _feed_response(
        request,
        Meeting.objects.filter(pk=meeting.pk).select_related("district"),
        name=meeting.title,
        filename=f"mote-{meeting.pk}.ics",
        private=not meeting.is_open,
    )


@public
def signed_meeting_ics(request, pk: int, token: str):
    """The calendar link in a mail (ical.meeting_ics_url): that meeting's `.ics`, no login."""
    meeting = ical.meeting_from_ics_token(pk, token)
    if meeting is None:
        raise Http404
    return _feed_response(
        request,
        Meeting.objects.filter(pk=meeting.pk).select_related("district"),
        name=meeting.title,
        filename=ical.meeting_ics_filename(meeting),
        private=True,
    )


@login_only
def feeds(request):
    if request.method == "POST":
        services.feed_revoke(actor=request.user, ip=client_ip(request))
        messages.success(request, _("Du har fått en ny adress. Den gamla fungerar inte längre."))
        return redirect("meetings:feeds")
    feed_token = services.feed_for(actor=request.user).token
    return render(
        request,
        "meetings/feeds.html",
        {
            "public_url": request.build_absolute_uri(reverse("meetings:feed")),
            "private_url": request.build_absolute_uri(
                reverse("meetings:private_feed", kwargs={"token": feed_token})
            ),
        },
    )

import calendar
import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from krets.audit import Action, audit_record
from krets.rights import Perm, login_only, public, requires
from krets.spreadsheet import excel_writer
from members.selectors import rights_for_user
from members.tokens import MEETING_REPLY, member_from_token

from . import ical, selectors, services
from .council_dates import council_messages
from .forms import (
    CouncilMeetingsForm,
    KitBookingForm,
    MatterForm,
    MeetingForm,
    MinutesForm,
    ParticipantForm,
    YearPlanForm,
)
from .models import (
    TRAINING_KINDS,
    CalendarFeed,
    CouncilMeeting,
    GroupSeat,
    Invitation,
    Kind,
    KitBooking,
    Matter,
    Meeting,
)

FEED_CACHE_SECONDS = 24 * 60 * 60
STATUS_MESSAGES = {
    Meeting.Status.PROPOSED: gettext_lazy("Mötet är föreslaget."),
    Meeting.Status.DECIDED: gettext_lazy("Mötet är beslutat."),
    Meeting.Status.CANCELLED: gettext_lazy("Mötet är inställt."),
}
CHANGEABLE_KINDS = [kind for kind in Kind.values if kind not in TRAINING_KINDS]


# Fetch and authorise


def get_meeting_for_user(request, pk: int, write: bool = False) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("district", "organiser"), pk=pk)
    if write:
        allowed = selectors.can_change_meeting(request.rights, meeting)
    else:
        allowed = selectors.meetings_visible_to(request.rights).filter(pk=pk).exists()
    if not allowed:
        raise PermissionDenied
    return meeting


def get_public_meeting(request, pk: int) -> tuple[Meeting | None, HttpResponse | None]:
    """For the pages anyone may open: (meeting, None), or (None, a redirect to sign in) when
    an anonymous visitor asks for a meeting that is not open; 403 for a signed-in person."""
    try:
        return get_meeting_for_user(request, pk), None
    except PermissionDenied:
        if not request.user.is_authenticated:
            return None, redirect_to_login(request.get_full_path())
        raise


def get_matter_for_user(request, pk: int) -> tuple[Matter, GroupSeat | None]:
    """The matter and the person's seat in its group (None: may read, not vote)."""
    matter = get_object_or_404(Matter.objects.select_related("body", "outcome", "meeting"), pk=pk)
    seat = matter.seats.filter(member_id=request.rights.member_id).first()
    if seat is None and not request.rights.has(Perm.DECISIONS_VIEW):
        raise PermissionDenied
    return matter, seat


# Lists and calendars


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
            "today": timezone.localdate(),
        },
    )


@public
def detail(request, pk: int):
    meeting, sign_in = get_public_meeting(request, pk)
    if sign_in is not None:
        return sign_in
    rights = request.rights
    can_change = selectors.can_change_meeting(rights, meeting)
    invitation = None
    if rights.member_id is not None:
        invitation = meeting.invitations.filter(member_id=rights.member_id).first()
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
    rights = rights_for_user(feed_owner.user)
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
        services.feed_revoke(user=request.user)
        messages.success(request, _("Du har fått en ny adress. Den gamla fungerar inte längre."))
        return redirect("meetings:feeds")
    feed_token = services.feed_for(user=request.user).token
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


# Creating and changing meetings


def _meeting_form(request, *, kinds, meeting=None):
    form = MeetingForm(request.POST or None, instance=meeting, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if meeting is None:
                meeting = services.meeting_create(**data, agenda=form.agenda_items())
            else:
                meeting = services.meeting_update(meeting=meeting, changes=data)
                services.agenda_set(meeting=meeting, items=form.agenda_items())
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Mötet är sparat."))
            if meeting.is_digital and not meeting.kit_bookings.exists():
                messages.info(request, _("Mötet är digitalt: vill du boka konferensutrustningen?"))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@requires(Perm.MEETINGS_CHANGE)
def create(request):
    return _meeting_form(request, kinds=CHANGEABLE_KINDS)


@requires(Perm.TRAININGS_CHANGE)
def training_create(request):
    return _meeting_form(request, kinds=sorted(TRAINING_KINDS))


@requires(Perm.MEETINGS_VIEW)
def edit(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    kinds = sorted(TRAINING_KINDS) if meeting.is_training else CHANGEABLE_KINDS
    return _meeting_form(request, kinds=kinds, meeting=meeting)


@requires(Perm.MEETINGS_VIEW)
@require_POST
def status(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    new_status = request.POST.get("status")
    if new_status in Meeting.Status.values:
        services.meeting_set_status(meeting=meeting, status=new_status)
        messages.success(request, STATUS_MESSAGES[new_status])
    return redirect("meetings:detail", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
@require_POST
def invite(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    try:
        count = services.invitations_send(meeting=meeting)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Inbjudan skickas till %(count)s personer.") % {"count": count})
    return redirect("meetings:detail", pk=meeting.pk)


# Minutes and attendance


@requires(Perm.MEETINGS_VIEW)
def minutes(request, pk: int):
    meeting = get_meeting_for_user(request, pk)
    can_change = selectors.can_change_meeting(request.rights, meeting)
    form = MinutesForm(
        request.POST or None,
        initial={
            "text": meeting.minutes,
            "decisions": "\n".join(d.text for d in meeting.decisions.all()),
        },
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.minutes_write(
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    decisions=form.cleaned_data["decisions"].splitlines(),
                )
            except services.MeetingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Protokollet är sparat."))
            return redirect("meetings:minutes", pk=meeting.pk)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "form": form,
            "can_change": can_change and not meeting.minutes_locked,
            "decisions": meeting.decisions.all(),
            "matters": meeting.matters.select_related("outcome"),
        },
    )


@requires(Perm.MEETINGS_VIEW)
@require_POST
def minutes_approve(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    try:
        services.minutes_approve(meeting=meeting, user=request.user)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Protokollet är justerat och låst."))
    return redirect("meetings:minutes", pk=meeting.pk)


@requires(Perm.MEETINGS_VIEW)
def attendance(request, pk: int):
    meeting = get_meeting_for_user(request, pk)
    can_change = selectors.can_change_meeting(request.rights, meeting)
    # Names are for those who take attendance: the board's name readers, and for a training
    # the utbildningsansvarig who runs it.
    if not (request.rights.has(Perm.MEMBERS_NAMES) or (meeting.is_training and can_change)):
        raise PermissionDenied
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        attended = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        services.attendance_record(meeting=meeting, attended_ids=attended)
        audit_record(request, action=Action.MEMBER_CHANGED, target=f"närvaro {meeting}")
        messages.success(request, _("Närvaron är sparad."))
        return redirect("meetings:attendance", pk=meeting.pk)
    invitations = meeting.invitations.select_related("member")
    audit_record(request, action=Action.MEMBER_VIEWED, target=f"närvaro {meeting}")
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "invitations": invitations,
            "can_change": can_change,
            "counts": selectors.reply_counts(meeting),
        },
    )


@requires(Perm.TRAININGS_CHANGE)
def participants(request, pk: int):
    meeting = get_meeting_for_user(request, pk, write=True)
    if not meeting.is_training:
        raise Http404
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.participant_register(meeting=meeting, member=form.member)
        audit_record(request, action=Action.MEMBER_CHANGED, target=f"deltagare {meeting}")
        messages.success(request, _("%(name)s är anmäld.") % {"name": form.member.full_name})
        return redirect("meetings:participants", pk=meeting.pk)
    audit_record(request, action=Action.MEMBER_VIEWED, target=f"deltagare {meeting}")
    return render(
        request,
        "meetings/participants.html",
        {
            "meeting": meeting,
            "form": form,
            "invitations": meeting.invitations.select_related("member"),
        },
    )


@requires(Perm.TRAININGS_CHANGE)
def participants_csv(request, pk: int):
    """The participant list for the study association: Swedish Excel opens it as it is."""
    meeting = get_meeting_for_user(request, pk, write=True)
    if not meeting.is_training:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deltagare-{meeting.pk}.csv"'
    writer = excel_writer(response)
    writer.writerow(
        [_("Förnamn"), _("Efternamn"), _("Födelseår"), _("Ort"), _("E-post"), _("Närvarade")]
    )
    rows = meeting.invitations.select_related("member")
    for invitation in rows:
        member = invitation.member
        writer.writerow(
            [
                member.first_name,
                member.last_name,
                member.birth_date.year if member.birth_date else "",
                member.town,
                member.email,
                {True: _("Ja"), False: _("Nej")}.get(invitation.attended, ""),
            ]
        )
    audit_record(
        request,
        action=Action.MEMBERS_EXPORTED,
        target=f"deltagare {meeting}",
        detail={"meeting": meeting.pk, "rows": len(rows)},
    )
    return response


@public
def reply(request, pk: int, token: str):
    """Coming or not, from the link in the invitation; no login. GET shows, POST records."""
    member = member_from_token(token, MEETING_REPLY, extra=str(pk))
    invitation = (
        Invitation.objects.select_related("meeting", "meeting__district", "member")
        .filter(meeting_id=pk, member=member)
        .first()
        if member is not None
        else None
    )
    if invitation is None:
        return render(request, "meetings/reply_invalid.html", status=404)
    if request.method == "POST":
        try:
            services.invitation_reply(
                invitation=invitation, coming=request.POST.get("svar") == "ja"
            )
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Tack för ditt svar!"))
        return redirect("meetings:reply", pk=pk, token=token)
    return render(
        request, "meetings/reply.html", {"invitation": invitation, "meeting": invitation.meeting}
    )


# Planning


@requires(Perm.MEETINGS_VIEW)
def plan(request, year: int):
    form = YearPlanForm(request.POST or None, year=year)
    if request.method == "POST":
        request.rights.require(Perm.MEETINGS_CHANGE)
        if form.is_valid():
            created = services.year_plan_propose(
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
    count = services.year_plan_decide(year=year)
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
                dates=form.dates(), days_before=form.cleaned_data["days_before"]
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


# The decision group


def can_raise_matter(rights) -> bool:
    return rights.is_board or rights.has_assignment


@login_only
def matters(request):
    if not (request.rights.has(Perm.DECISIONS_VIEW) or request.rights.has_assignment):
        raise PermissionDenied
    return render(
        request,
        "meetings/matters.html",
        {
            "matters": selectors.matters_visible_to(request.rights),
            "can_raise": can_raise_matter(request.rights),
        },
    )


@login_only
def matter_create(request):
    if not can_raise_matter(request.rights):
        raise PermissionDenied
    form = MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_raise(
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                description=form.cleaned_data["description"],
                proposals=form.cleaned_data["proposals"].splitlines(),
                meeting=form.cleaned_data["meeting"],
            )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("meetings:matter", pk=matter.pk)
    return render(request, "meetings/matter_form.html", {"form": form})


@login_only
def matter(request, pk: int):
    matter, seat = get_matter_for_user(request, pk)
    votes = {v.member_id: v for v in matter.votes.select_related("proposal")}
    seats = list(matter.seats.select_related("member"))
    return render(
        request,
        "meetings/matter.html",
        {
            "matter": matter,
            "seat": seat,
            "seats": [(s, votes.get(s.member_id)) for s in seats],
            "spokespeople": [s for s in seats if s.speaks_to_media],
            "proposals": matter.proposals.all(),
            "my_vote": votes.get(seat.member_id) if seat else None,
            "outcome": selectors.matter_outcome(matter) if matter.is_open else None,
        },
    )


@login_only
@require_POST
def matter_vote(request, pk: int):
    matter, seat = get_matter_for_user(request, pk)
    if seat is None:  # object-level: only the matter's group votes
        raise PermissionDenied
    choice = request.POST.get("forslag", "")
    proposal = matter.proposals.filter(pk=choice).first() if choice.isdigit() else None
    try:
        services.vote_cast(matter=matter, member=seat.member, proposal=proposal)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Din röst är registrerad."))
    return redirect("meetings:matter", pk=pk)


@login_only
@require_POST
def matter_close(request, pk: int):
    matter, seat = get_matter_for_user(request, pk)
    if seat is None:
        raise PermissionDenied
    try:
        services.matter_close(matter=matter)
    except services.MeetingError as error:
        messages.error(request, str(error))
    return redirect("meetings:matter", pk=pk)


# The conference kit


@requires(Perm.KIT_BOOK)
def kit(request):
    initial = {}
    meeting_id = request.GET.get("mote", "")
    if meeting_id.isdigit():
        booked_for = selectors.meetings_visible_to(request.rights).filter(pk=meeting_id).first()
        if booked_for is not None:
            initial = {
                "meeting": booked_for,
                "starts_at": timezone.localtime(booked_for.starts_at),
                "ends_at": timezone.localtime(booked_for.ends_at),
                "note": booked_for.title,
            }
    form = KitBookingForm(request.POST or None, initial=initial)
    member = getattr(request.user, "member", None)
    if request.method == "POST" and member is None:
        form.add_error(None, _("Din inloggning hör inte till någon medlem."))
    elif request.method == "POST" and form.is_valid():
        try:
            services.kit_book(member=member, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Utrustningen är bokad."))
            return redirect("meetings:kit")
    bookings = KitBooking.objects.filter(ends_at__gte=timezone.now()).select_related(
        "booked_by", "meeting"
    )
    return render(
        request,
        "meetings/kit.html",
        {
            "form": form,
            "bookings": bookings,
            "member_id": request.rights.member_id,
            "may_cancel_any": request.rights.has(Perm.MEETINGS_CHANGE),
        },
    )


@requires(Perm.KIT_BOOK)
@require_POST
def kit_cancel(request, pk: int):
    """The one who booked cancels; so may the sekreterare and the ordförande."""
    booking = get_object_or_404(KitBooking, pk=pk)
    if booking.booked_by_id != request.rights.member_id and not request.rights.has(
        Perm.MEETINGS_CHANGE
    ):
        raise PermissionDenied
    services.kit_booking_cancel(booking=booking)
    messages.success(request, _("Bokningen är avbokad."))
    return redirect("meetings:kit")
